import { expect } from "chai";
import fc from "fast-check";
import { MetricStateError, type Metric } from "../../../lib/index.js";
import { catalog, numClasses as C, type Entry } from "./catalog.js";
import { expectSameBits } from "./support.js";

const IGNORE = -1;

interface Data {
  preds: number[] | number[][];
  target: number[];
}

// scores on a coarse grid, so that ties (argmax, top-k, threshold) are frequent
const grid = fc.integer({ min: 0, max: 4 }).map((k) => k / 4);

function dataset(e: Entry): fc.Arbitrary<Data> {
  const target = fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: 0, max: e.task === "binary" ? 1 : C - 1 }) },
    { weight: 1, arbitrary: fc.constant(IGNORE) },
  );
  const pred = e.task === "binary" ? grid : fc.array(grid, { minLength: C, maxLength: C });
  return fc.array(fc.tuple(pred, target), { maxLength: 40 }).map((rows) => ({
    preds: rows.map((r) => r[0]) as number[] | number[][],
    target: rows.map((r) => r[1]),
  }));
}

function variants(e: Entry): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ ignoreIndex: IGNORE }];
  if (e.takes.includes("average")) {
    for (const average of ["micro", "macro", "weighted", "none"]) out.push({ ignoreIndex: IGNORE, average });
  }
  if (e.takes.includes("topK")) out.push({ ignoreIndex: IGNORE, topK: 2 });
  if (e.takes.includes("normalize")) out.push({ ignoreIndex: IGNORE, normalize: "true" });
  if (e.task === "binary") out.push({ ignoreIndex: IGNORE, threshold: 0.5 + 2 ** -30 });
  return out;
}

function value(m: Metric<unknown>): unknown {
  try {
    return m.compute();
  } catch (error) {
    expect(error).to.be.instanceOf(MetricStateError);
    return "nothing counted";
  }
}

function slice(d: Data, from: number, to: number): Data {
  return { preds: d.preds.slice(from, to) as Data["preds"], target: d.target.slice(from, to) };
}

describe("classification properties: any split, order and merge of the batches gives the same bits", () => {
  for (const e of catalog) {
    for (const options of variants(e)) {
      it(`${e.name} ${JSON.stringify(options)}`, () => {
        fc.assert(
          fc.property(
            dataset(e),
            fc.array(fc.nat(), { maxLength: 6 }),
            fc.array(fc.nat(3), { maxLength: 8 }),
            fc.boolean(),
            (d, cuts, owners, viaForward) => {
              const whole = value(e.make(options).update(d.preds, d.target));
              const n = d.target.length;
              const bounds = [0, ...cuts.map((c) => (n === 0 ? 0 : c % (n + 1))).sort((a, b) => a - b), n];
              const workers = [0, 1, 2, 3].map(() => e.make(options));
              for (let k = 0; k + 1 < bounds.length; k++) {
                const part = slice(d, bounds[k], bounds[k + 1]);
                if (part.target.length === 0) continue;
                const w = workers[owners[k] ?? k % 4];
                if (viaForward && part.target.some((y) => y !== IGNORE)) w.forward(part.preds, part.target);
                else w.update(part.preds, part.target);
              }
              // merge in a permuted order, half of them as JSON text that crossed a "network"
              const order = [...workers].sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length);
              const [first, ...rest] = order;
              first.merge(
                ...rest.map((m, i) => (i % 2 === 0 ? (JSON.parse(JSON.stringify(m)) as never) : m)),
              );
              expectSameBits(value(first), whole, "merged");
            },
          ),
          { numRuns: 40 },
        );
      });
    }
  }
});
