// The stream accumulator's kernels (lib/metrics/hinge/stream.ts): what they accept is exactly a batch of
// labels in {-1, 0, 1} and finite scores with every contribution below 2^24, and what they add is the exact sum
// of the contributions (checked against an exact sum fed one contribution at a time), in any form. A batch
// they decline leaves the accumulator as it was; a disarmed or full accumulator declines everything.
import { expect } from "chai";
import fc from "fast-check";

import {
  STREAM_ROOM,
  STREAM_SIZE,
  foldStream,
  newStream,
  streamOne,
  streamPlain,
  streamTyped,
} from "../../lib/metrics/hinge/stream.js";
import { HingeLoss } from "../../lib/index.js";
import { emptyHingeState, hingeLossUpdate } from "../../lib/metrics/hinge/functional.js";
import { resolveHingeLossOptions } from "../../lib/options/index.js";
import { exactSum } from "../../lib/state/index.js";

/** max(0, 1 - y x) as the metric defines it (y = 1 positive, 0 or -1 negative). */
function contribution(x: number, y: number): number {
  const m = 1 - (y === 1 ? 1 : -1) * x;
  return m > 0 ? m : 0;
}

const LABELS = [
  -1,
  0,
  1,
  -0,
  0.5,
  -0.5,
  2,
  -2,
  Number.NaN,
  Infinity,
  2 ** 32 + 1,
  2 ** 31,
  -(2 ** 31),
  1e-300,
];
const label = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, 1, -1) },
  { weight: 1, arbitrary: fc.constantFrom(...LABELS) },
);
const score = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      0,
      -0,
      2 ** -60,
      1 - 2 ** -53,
      -(2 ** 24) + 1,
      -(2 ** 24) + 2,
      -(2 ** 24),
      2 ** 24,
      Number.NaN,
      Infinity,
      -Infinity,
      -1e300,
    ),
  },
);

function armed(): Float64Array {
  const s = newStream();
  s[4] = STREAM_ROOM;
  return s;
}

/** What the kernels must accept, and the exact sum they must add (scaled by 2^1074), or null. */
function reference(xs: number[], ys: number[]): bigint | null {
  const sum = exactSum().empty();
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i];
    if (!(y === 0 || y === 1 || y === -1) || !Number.isFinite(xs[i])) return null; // (the general path's)
    const c = contribution(xs[i], y);
    if (!(c < 2 ** 24)) return null;
    sum.add(c);
  }
  return sum.exact();
}

function held(s: Float64Array): bigint {
  const sum = exactSum().empty();
  sum.addPair(s[0], s[1]);
  return sum.exact();
}

describe("stream accumulator kernels (stream.ts)", () => {
  it("property: a batch in any form is added exactly when every label is -1, 0 or 1, every score finite and every contribution below 2^24", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(score, label), { minLength: 1, maxLength: 255 }),
        fc.constantFrom("f64", "f32/i32", "f64/f32", "plain"),
        (pairs, form) => {
          const xs0 = pairs.map(([x]) => x);
          const ys0 = pairs.map(([, y]) => y);
          let p: ArrayLike<number>;
          let t: ArrayLike<number>;
          if (form === "plain") [p, t] = [xs0, ys0];
          else if (form === "f64") [p, t] = [Float64Array.from(xs0), Float64Array.from(ys0)];
          else if (form === "f32/i32") [p, t] = [Float32Array.from(xs0), Int32Array.from(ys0)];
          else [p, t] = [Float64Array.from(xs0), Float32Array.from(ys0)];
          // what the arrays hold (a float32 rounds, an Int32Array wraps)
          const xs = Array.from(p);
          const ys = Array.from(t);
          const expected = reference(xs, ys);
          const s = armed();
          s[0] = 2 ** 20; // something already held: the batch adds to it
          s[2] = 7;
          const before = Array.from(s);
          const got =
            xs.length === 1
              ? streamOne(s, xs[0], ys[0])
              : form === "plain"
                ? streamPlain(s, p as number[], t as number[])
                : streamTyped(s, p, t);
          if (expected === null) {
            expect(got).to.equal(false);
            expect(Array.from(s)).to.deep.equal(before);
          } else {
            expect(got).to.equal(true);
            expect(s[2]).to.equal(7 + xs.length);
            expect(held(s) - (BigInt(2 ** 20) << 1074n)).to.equal(expected);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("declines when disarmed, full, or for a form it does not take (BigInt, lengths, holes, throwing reads)", () => {
    const s = newStream();
    expect(streamOne(s, 0.5, 1)).to.equal(false);
    expect(streamTyped(s, new Float32Array([0.5, 1]), new Int32Array([1, 0]))).to.equal(false);
    expect(streamPlain(s, [0.5, 1], [1, 0])).to.equal(false);
    s[4] = STREAM_ROOM;
    s[2] = STREAM_ROOM; // full
    expect(streamOne(s, 0.5, 1)).to.equal(false);
    expect(streamPlain(s, [0.5, 1], [1, 0])).to.equal(false);
    s[2] = STREAM_ROOM - 1; // room for one more call, whatever its size
    expect(streamTyped(s, new Float64Array(255).fill(-(2 ** 24) + 2), new Int8Array(255).fill(1))).to.equal(
      true,
    );
    expect(s[2]).to.equal(STREAM_ROOM - 1 + 255);
    expect(s[2]).to.be.below(2 ** 14);
    const a = armed();
    expect(streamTyped(a, new Float32Array([1, 2]), new BigInt64Array([1n, 0n]) as never)).to.equal(false);
    expect(streamTyped(a, new Float32Array([1, 2, 3]), new Int32Array([1, 0]))).to.equal(false);
    expect(streamTyped(a, new Float32Array(256), new Int32Array(256))).to.equal(false);
    // eslint-disable-next-line no-sparse-arrays
    expect(streamPlain(a, [1, , 3], [1, 0, 1])).to.equal(false);
    const trap = new Proxy([1, 2], {
      get(target, key) {
        if (key === "1") throw new Error("trap");
        return Reflect.get(target, key) as unknown;
      },
    });
    expect(streamPlain(a, trap, [1, 0])).to.equal(false);
    expect(Array.from(a.subarray(0, STREAM_SIZE))).to.deep.equal([0, 0, 0, 0, STREAM_ROOM]);
  });

  it("a full accumulator of the largest contributions folds into the state exactly", () => {
    const state = emptyHingeState();
    hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions({}));
    const s = armed();
    const x = -(2 ** 24) + 1 + 2 ** -28; // c = 2^24 - 2^-28: the largest kind, with low bits
    const ref = exactSum().empty();
    ref.add(0); // the first sample (score 1, label 1) contributed 0
    let n = 0;
    while (streamTyped(s, new Float64Array(200).fill(x), new Float64Array(200).fill(1))) n += 200;
    expect(n).to.be.above(STREAM_ROOM - 200);
    for (let i = 0; i < n; i++) ref.add(contribution(x, 1));
    foldStream(s, state);
    expect(state.measure.exact()).to.equal(ref.exact());
    expect([state.total.value(), state.samples.value()]).to.deep.equal([n + 1, n + 1]);
    expect(Array.from(s.subarray(0, STREAM_SIZE))).to.deep.equal([0, 0, 0, 0, STREAM_ROOM]);
  });

  it("getters that re-enter update() mid-batch, with the accumulator nearly full, leave the exact sums", () => {
    // Contributions of 2^24 - 1 + 2^-14 (bits down to 2^-14): past 2^15 samples the pair's hi (then above
    // 2^39) would round. A chain of 80 batches, each with a getter that (once) updates the metric with the
    // next: every kernel has read its batch before any has written, so the room must be checked right
    // before the write (checked at the start, all 81 would add: 36,655 samples in one accumulator).
    const x = -(2 ** 24) + 2 - 2 ** -14;
    const ones = (k: number): number[] => new Array<number>(k).fill(1);
    const m = new HingeLoss().update([x], [1]);
    for (let i = 0; i < 16_000; i += 200) m.update(new Array<number>(200).fill(x), ones(200));
    const chain = (depth: number): number[] => {
      const batch = new Array<number>(255).fill(x);
      if (depth === 0) return batch;
      let done = false;
      Object.defineProperty(batch, 7, {
        get(): number {
          if (!done) {
            done = true;
            m.update(chain(depth - 1), ones(255));
          }
          return x;
        },
      });
      return batch;
    };
    m.update(chain(80), ones(255));
    const n = 1 + 16_000 + 81 * 255;
    const ref = new HingeLoss().update(
      { data: new Array<number>(n).fill(x), shape: [n] } as unknown as number[],
      ones(n),
    );
    expect(m.samples).to.equal(n);
    expect(JSON.stringify(m.toJSON())).to.equal(JSON.stringify(ref.toJSON()));
  });
});
