// The JSON state of HingeLoss version 1 is exchanged between workers and spec'd: moving the metric onto
// declared state fields (issue 13) kept it byte for byte. The expected lines were written by the hand-written
// StateSpec implementation (commit 68a64fa) for these cases; every line must also read back unchanged.
import { expect } from "chai";
import { readFileSync } from "node:fs";

import { HingeLoss, mergeStates } from "../../lib/index.js";

const expected = readFileSync(new URL("../fixtures/vectors/hingeStateV1.jsonl", import.meta.url), "utf8")
  .trim()
  .split("\n");

const cases: [object, unknown, unknown, unknown?][] = [
  [{}, [-2.2, 2.4, 0.1], [0, 1, 1]],
  [{ squared: true }, new Float32Array([0.5, -1, 3]), new Int32Array([1, 0, -1])],
  [
    {},
    [
      [-1, 0.9, 0.2],
      [0.5, -1.1, 0.8],
      [2.2, -0.5, 0.3],
    ],
    [0, 1, 2],
    [1, 0.5, 2],
  ],
  [
    { multiclassMode: "one-vs-all" },
    [
      [-1, 0.9, 0.2],
      [0.5, -1.1, 0.8],
      [2.2, -0.5, 0.3],
    ],
    [0, 1, 2],
  ],
  [
    { ignoreIndex: -1, numClasses: 3 },
    [
      [-1, 0.9, 0.2],
      [0.5, -1.1, 0.8],
    ],
    [0, -1],
  ],
  [{}, [1e300, -1e-300, 2 ** 40], [0, 1, 1]],
];

function written(): string[] {
  const out: string[] = [];
  for (const [o, p, t, w] of cases) {
    const m = new HingeLoss(o);
    out.push(JSON.stringify(m.toJSON()));
    m.update(p as never, t as never, w as never);
    out.push(JSON.stringify(m.toJSON()));
  }
  const big = new HingeLoss();
  const xs = Float32Array.from({ length: 70000 }, (_, i) => Math.sin(i) * 3);
  const ys = Int32Array.from({ length: 70000 }, (_, i) => i % 2);
  out.push(JSON.stringify(big.update(xs, ys).toJSON()));
  return out;
}

describe("HingeLoss state format v1 (byte-identical across the move to declared fields)", () => {
  it("toJSON writes exactly the v1 lines", () => {
    expect(written()).to.deep.equal(expected);
  });

  it("every v1 line reads back through fromJSON and mergeStates and writes itself again", () => {
    for (const line of expected) {
      expect(JSON.stringify(HingeLoss.fromJSON(JSON.parse(line)).toJSON())).to.equal(line);
      expect(JSON.stringify(mergeStates([JSON.parse(line)]).toJSON())).to.equal(line);
    }
  });
});
