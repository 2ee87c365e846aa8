// Property specs: the hinge-loss state is exact, so compute() gives the same bits for every batching, every
// merge tree and every JSON round trip, and equals the correctly rounded quotient of the exact sums.
import { expect } from "chai";
import fc from "fast-check";
import { HingeLoss } from "../../lib/index.js";
import {
  batches,
  dataset,
  expectSameBits,
  mergeTree,
  optionsOf,
  reference,
  singlePass,
  slice,
  valueOrNull,
  viaJSON,
  type Data,
} from "./arbitraries.js";

const RUNS = { numRuns: 150 };

function batched(d: Data, cuts: number[]): HingeLoss {
  const metric = new HingeLoss(optionsOf(d));
  for (const b of batches(d, cuts)) metric.update(b.preds, b.target, b.weights ?? undefined);
  return metric;
}

describe("exact state: properties (fast-check)", () => {
  it("single pass = BigInt reference (roundQuotient of exact sums), any magnitude", () => {
    fc.assert(
      fc.property(dataset(), (d) => {
        const expected = reference(d);
        const actual = valueOrNull(singlePass(d));
        if (expected === null) expect(actual).to.equal(null);
        else expectSameBits(actual, expected);
      }),
      RUNS,
    );
  });

  it("any batch split gives the bits of the single pass", () => {
    fc.assert(
      fc.property(dataset(), fc.array(fc.nat(), { maxLength: 5 }), (d, cuts) => {
        expectSameBits(valueOrNull(batched(d, cuts)), valueOrNull(singlePass(d)));
      }),
      RUNS,
    );
  });

  it("any split, any batch order, any merge tree (metrics and JSON) gives the bits of the single pass", () => {
    fc.assert(
      fc.property(
        dataset(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        (d, cuts, picks) => {
          const parts = batches(d, cuts).map((b) => singlePass(b));
          const merged = mergeTree(parts, picks);
          const expected = reference(d);
          const actual = valueOrNull(merged);
          if (expected === null) expect(actual).to.equal(null);
          else expectSameBits(actual, expected);
          expect(merged.toJSON()).to.deep.equal(singlePass(d).toJSON());
        },
      ),
      RUNS,
    );
  });

  it("merge is commutative and associative on states (toJSON deep-equal), arguments unchanged", () => {
    fc.assert(
      fc.property(dataset(9), fc.nat(), fc.nat(), (d, x, y) => {
        const n = d.target.length;
        const [i, j] = [x % (n + 1), y % (n + 1)].sort((p, q) => p - q);
        const [a, b, c] = [slice(d, 0, i), slice(d, i, j), slice(d, j, n)].map((part) => singlePass(part));
        const before = [a, b, c].map((m) => m.toJSON());
        expect(a.clone().merge(b).toJSON()).to.deep.equal(b.clone().merge(a).toJSON());
        const left = a.clone().merge(b).merge(c);
        const right = a.clone().merge(b.clone().merge(c));
        expect(left.toJSON()).to.deep.equal(right.toJSON());
        expect(c.clone().merge(a, b).toJSON()).to.deep.equal(left.toJSON());
        expect([a, b, c].map((m) => m.toJSON())).to.deep.equal(before);
      }),
      RUNS,
    );
  });

  it("fromJSON(JSON.parse(JSON.stringify(toJSON()))) computes the same bits and has the same state", () => {
    fc.assert(
      fc.property(dataset(), (d) => {
        const metric = singlePass(d);
        const json = viaJSON(metric.toJSON());
        const back = HingeLoss.fromJSON(json);
        expect(back.toJSON()).to.deep.equal(metric.toJSON());
        expectSameBits(valueOrNull(back), valueOrNull(metric));
        expect(back.measure).to.deep.equal(metric.measure);
        expect(Object.is(back.total, metric.total)).to.equal(true);
      }),
      RUNS,
    );
  });

  it("reset gives the initial state, and the metric then behaves as a fresh one", () => {
    fc.assert(
      fc.property(dataset(6), fc.array(fc.nat(), { maxLength: 3 }), (d, cuts) => {
        const metric = batched(d, cuts).reset();
        expect(metric.toJSON()).to.deep.equal(new HingeLoss(optionsOf(d)).toJSON());
        expect(metric.samples).to.equal(0);
        expect(metric.task).to.equal(null);
        expect(() => metric.compute()).to.throw("nothing accumulated");
        metric.update(d.preds, d.target, d.weights ?? undefined);
        expect(metric.toJSON()).to.deep.equal(singlePass(d).toJSON());
      }),
      { numRuns: 100 },
    );
  });

  it("clone is independent: updating the copy leaves the original's state as it was", () => {
    fc.assert(
      fc.property(dataset(6), (d) => {
        const metric = singlePass(d);
        const before = metric.toJSON();
        const copy = metric.clone().update(d.preds, d.target, d.weights ?? undefined);
        expect(metric.toJSON()).to.deep.equal(before);
        expect(copy.samples).to.equal(2 * metric.samples);
      }),
      { numRuns: 100 },
    );
  });
});

describe("exact state: quotients at and next to a rounding midpoint", () => {
  // Weights w1 = 2^53 - k, w2 = k (k odd) on measures 1 and 2 give Σ w·m / Σ w = 1 + k·2^-53: exactly halfway
  // between two doubles. A third, tiny weight on measure 1, 2 or 4 moves the exact quotient just below or
  // above the midpoint. Everything is scaled by 2^s (exact), so every binade is visited. A quotient that is
  // not correctly rounded (e.g. a fast double-double path with too small a margin) fails here.
  it("compute() equals the BigInt reference (ties to even, and just off the tie)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 51 - 1 }).map((h) => 2 * h + 1),
        fc.integer({ min: -560, max: 400 }),
        fc.option(fc.integer({ min: 1, max: 1074 }), { nil: undefined }),
        fc.constantFrom(0, -1, -3),
        fc.boolean(),
        (k, s, tinyExp, p3, squared) => {
          const scale = 2 ** s;
          const tiny = tinyExp === undefined ? 0 : Math.max(2 ** -tinyExp * scale, Number.MIN_VALUE);
          const d: Data = {
            mode: "binary",
            squared,
            C: 1,
            preds: [0, -1, p3],
            target: [1, 1, 1],
            weights: [(2 ** 53 - k) * scale, k * scale, tiny],
          };
          const expected = reference(d) as number;
          expect(Object.is(singlePass(d).compute(), expected)).to.equal(true, JSON.stringify(d));
          const split = singlePass(slice(d, 0, 1)).merge(singlePass(slice(d, 1, 3)));
          expect(Object.is(split.compute(), expected)).to.equal(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the exact tie itself rounds to even", () => {
    const d: Data = {
      mode: "binary",
      squared: false,
      C: 1,
      preds: [0, -1],
      target: [1, 1],
      weights: [2 ** 53 - 1, 1],
    };
    expect(singlePass(d).compute()).to.equal(1); // 1 + 2^-53 is a tie: 1 (even) not 1 + 2^-52
    d.weights = [2 ** 53 - 3, 3];
    expect(singlePass(d).compute()).to.equal(1 + 2 * 2 ** -52); // 1 + 3·2^-53: tie, the even neighbour
  });
});

describe("exact state: a case where naive += summation depends on the split", () => {
  // Binary, target 1, preds -2^53, 0, 0: contributions m = 1 + 2^53 (rounds to 2^53, ties to even), 1, 1.
  const preds = [-(2 ** 53), 0, 0];
  const target = [1, 1, 1];

  /** A float64 `+=` accumulator, as torchmetrics / Keras keep it (in float64 here, to be generous). */
  function naive(parts: number[][]): number {
    let measure = 0;
    let total = 0;
    for (const part of parts) {
      let m = 0;
      let t = 0;
      for (const i of part) {
        m += Math.max(0, 1 - preds[i]);
        t += 1;
      }
      measure += m;
      total += t;
    }
    return measure / total;
  }

  it("naive summation gives different bits for [0,1,2] and [0] + [1,2]", () => {
    const whole = naive([[0, 1, 2]]);
    const split = naive([[0], [1, 2]]);
    expect(whole).to.equal(2 ** 53 / 3);
    expect(split).to.equal((2 ** 53 + 2) / 3);
    expect(Object.is(whole, split)).to.equal(false);
  });

  it("ours gives the correctly rounded (2^53 + 2) / 3 for every split and merge", () => {
    const expected = (2 ** 53 + 2) / 3; // 2^53 + 2 is exact, so IEEE division rounds the exact quotient
    expect(new HingeLoss().update(preds, target).compute()).to.equal(expected);
    const a = new HingeLoss().update(preds.slice(0, 1), target.slice(0, 1));
    const b = new HingeLoss().update(preds.slice(1), target.slice(1));
    expect(a.clone().merge(b).compute()).to.equal(expected);
    expect(b.clone().merge(a.toJSON()).compute()).to.equal(expected);
    const sequential = new HingeLoss();
    for (let i = 0; i < 3; i++) sequential.update([preds[i]], [target[i]]);
    expect(sequential.compute()).to.equal(expected);
    expect(new HingeLoss().update(new Float64Array(preds), new Int8Array(target)).compute()).to.equal(
      expected,
    );
  });
});

describe("exact state: more than FLUSH_EVERY (65536) samples", () => {
  // Deterministic pseudo-random scores of every scale, typed arrays (the fast binary kernel) and weights.
  const n = 70_001;
  const preds = new Float64Array(n);
  const target = new Int32Array(n);
  const weights = new Float64Array(n);
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    preds[i] = (next() - 0.5) * 2 ** Math.floor(next() * 80 - 40);
    target[i] = next() < 0.5 ? 0 : 1;
    weights[i] = next() * 2 ** Math.floor(next() * 40 - 20);
  }
  const d: Data = {
    mode: "binary",
    squared: false,
    C: 1,
    preds: Array.from(preds),
    target: Array.from(target),
    weights: null,
  };

  it("typed single pass, 3 uneven batches and the plain-array pass agree with the BigInt reference", () => {
    const expected = reference(d) as number;
    const one = new HingeLoss().update(preds, target);
    expect(one.compute()).to.equal(expected);
    const three = new HingeLoss()
      .update(preds.subarray(0, 1), target.subarray(0, 1))
      .update(preds.subarray(1, 65_537), target.subarray(1, 65_537))
      .update(preds.subarray(65_537), target.subarray(65_537));
    expect(three.compute()).to.equal(expected);
    expect(three.toJSON()).to.deep.equal(one.toJSON());
    expect(new HingeLoss().update(d.preds, d.target).compute()).to.equal(expected);
  });

  it("weighted and squared: two halves merged = one pass = reference", () => {
    const w: Data = { ...d, squared: true, weights: Array.from(weights) };
    const expected = reference(w) as number;
    const one = new HingeLoss({ squared: true }).update(preds, target, weights);
    expect(one.compute()).to.equal(expected);
    const h = 40_000;
    const left = new HingeLoss({ squared: true }).update(
      preds.subarray(0, h),
      target.subarray(0, h),
      weights.subarray(0, h),
    );
    const right = new HingeLoss({ squared: true }).update(
      preds.subarray(h),
      target.subarray(h),
      weights.subarray(h),
    );
    expect(right.merge(left).compute()).to.equal(expected);
  });
});

describe("clamp overflow (found by review, fixed in slowSample): scores near the float64 limit", () => {
  // m = 1 + 1e308 is a finite measure (DESIGN §2: any finite input), but m + |m| = 2e308 = Infinity, so the
  // update is refused as "overflows float64". Fix: clamp with `m > 0 ? m : 0` in slowSample (the kernels
  // already send such samples there, since c is not < 2^32).
  it("a binary score of -1e308 with target 1 gives the hinge loss 1e308", () => {
    expect(new HingeLoss().update([-1e308], [1]).compute()).to.equal(1 + 1e308);
  });
});
