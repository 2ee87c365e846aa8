import { expect } from "chai";

import {
  binaryPairChecked,
  binaryPairF32,
  binaryPairF32I32,
  commitPairs,
  oneVsAllPairF32,
} from "../../lib/functional/hingeKernels.js";
import { HingeLoss, MetricInputError } from "../../lib/index.js";
import { formatHexFloat, scaledFromDouble } from "../../lib/state/index.js";

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each sample's contribution with the same float64 expressions as the library's slow path. */
function binaryContribution(x: number, y: number, squared = false): number {
  const m = 1 - (y + Math.abs(y) - 1) * x;
  const h = (m + Math.abs(m)) * 0.5;
  return squared ? h * h : h;
}

function ovaContribution(v: number, isTarget: boolean): number {
  const m = 1 + (isTarget ? -v : v);
  return (m + Math.abs(m)) * 0.5;
}

/** The exact BigInt reference of a binary batch, as the JSON state writes it. */
function binaryReference(p: ArrayLike<number>, t: ArrayLike<number>, squared = false): string {
  let sum = 0n;
  for (let i = 0; i < p.length; i++) sum += scaledFromDouble(binaryContribution(p[i], t[i], squared));
  return formatHexFloat(sum);
}

function f32Scores(n: number, seed: number, spread = 4): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (r() - 0.5) * spread;
  return out;
}

function targets(n: number, seed: number, values: readonly number[]): number[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => values[Math.floor(r() * values.length)]);
}

/** Awkward doubles: ≥ 2^32 (exact slow path), tiny and subnormal (bits below every bin), near ±1. */
const AWKWARD = [
  2 ** 33,
  -(2 ** 40),
  1e-30,
  -1e-300,
  5e-324,
  -5e-324,
  1 - 2 ** -53,
  -1 + 2 ** -40,
  0.1,
  2 ** 24,
];

function measureOf(metric: HingeLoss): string {
  return (metric.toJSON() as unknown as { measure: string[] }).measure[0];
}

describe("hinge kernels: every specialised path equals the BigInt reference, bit for bit", () => {
  // 40,000 samples: more than one pair chunk (2^14) and, split unevenly, batches under PAIR_MIN_BATCH.
  const N = 40_000;
  const p32 = f32Scores(N, 1);
  const t01 = targets(N, 2, [0, 1, -1]);
  const expected = binaryReference(p32, t01);

  const inputs: [string, () => [unknown, unknown]][] = [
    ["Float32Array + Int32Array (proven two-anchor)", () => [p32, Int32Array.from(t01)]],
    ["Float32Array + Float64Array targets (proven two-anchor)", () => [p32, Float64Array.from(t01)]],
    ["Float32Array + Int8Array targets", () => [p32, Int8Array.from(t01)]],
    ["number[] + number[] (checked two-anchor)", () => [Array.from(p32), t01]],
    ["Float64Array + Int32Array (checked two-anchor)", () => [Float64Array.from(p32), Int32Array.from(t01)]],
    ["{ data, shape: [N, 1] } Float32Array", () => [{ data: p32, shape: [N, 1] }, Int32Array.from(t01)]],
  ];
  for (const [name, make] of inputs) {
    it(`binary ${name}: one batch and uneven splits give the reference sum`, () => {
      const [p, t] = make();
      const whole = new HingeLoss().update(p as Float32Array, t as Int32Array);
      expect(measureOf(whole)).to.equal(expected);
      expect(whole.total).to.equal(N);
      const split = new HingeLoss();
      const pp = p as ArrayLike<number> & { slice?: unknown };
      const flat = "data" in (p as object) ? p32 : (pp as ArrayLike<number>);
      const tt = t as ArrayLike<number>;
      for (const [a, b] of [
        [0, 7],
        [7, 300],
        [300, 20_000],
        [20_000, 20_001],
        [20_001, N],
      ]) {
        const sl = (x: ArrayLike<number>): ArrayLike<number> =>
          Array.isArray(x) ? x.slice(a, b) : (x as Float32Array).slice(a, b);
        split.update(sl(flat) as Float32Array, sl(tt) as Int32Array);
      }
      expect(measureOf(split)).to.equal(expected);
      expect(split.compute()).to.equal(whole.compute());
    });
  }

  it("binary plain doubles (not float32-valued) stay exact on the two-anchor path", () => {
    const r = rng(5);
    const p = Array.from({ length: 5000 }, () => (r() - 0.5) * 3);
    const t = targets(5000, 6, [0, 1]);
    const metric = new HingeLoss().update(p, t);
    expect(measureOf(metric)).to.equal(binaryReference(p, t));
    const f64 = new HingeLoss().update(Float64Array.from(p), Int32Array.from(t));
    expect(measureOf(f64)).to.equal(binaryReference(p, t));
  });

  it("binary values that need the exact slow path (≥ 2^32, tiny, subnormal) inside bulk batches", () => {
    const p = Array.from(f32Scores(3000, 7));
    const r = rng(8);
    for (let k = 0; k < 200; k++) p[Math.floor(r() * p.length)] = AWKWARD[k % AWKWARD.length];
    const t = targets(3000, 9, [0, 1, -1]);
    const expectedSum = binaryReference(p, t);
    expect(measureOf(new HingeLoss().update(p, t))).to.equal(expectedSum);
    expect(measureOf(new HingeLoss().update(Float64Array.from(p), Int32Array.from(t)))).to.equal(expectedSum);
    // Float32Array: the awkward values are rounded to float32 first; those ≥ 2^24 leave the proven path.
    const q = Float32Array.from(p);
    expect(measureOf(new HingeLoss().update(q, Int32Array.from(t)))).to.equal(binaryReference(q, t));
  });

  it("squared binary (three-anchor kernels) equals the reference", () => {
    const t = targets(20_000, 10, [0, 1]);
    const m = new HingeLoss({ squared: true }).update(p32.subarray(0, 20_000), Int32Array.from(t));
    expect(measureOf(m)).to.equal(binaryReference(p32.subarray(0, 20_000), t, true));
  });

  for (const C of [3, 10]) {
    it(`one-vs-all Float32Array {data, shape} C=${C} (proven two-anchor) equals the per-class reference`, () => {
      const n = 20_000;
      const P = f32Scores(n * C, 11 + C, 6);
      P[5 * C + 1] = 3e7; // ≥ 2^24: that row goes to the slow path
      P[7 * C] = 1e-40; // a float32 subnormal
      const y = Int32Array.from(
        targets(
          n,
          12,
          Array.from({ length: C }, (_, c) => c),
        ),
      );
      const ref = Array.from({ length: C }, () => 0n);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < C; c++) ref[c] += scaledFromDouble(ovaContribution(P[i * C + c], c === y[i]));
      }
      const json = new HingeLoss({ multiclassMode: "one-vs-all" })
        .update({ data: P, shape: [n, C] }, y)
        .toJSON();
      expect((json as unknown as { measure: string[] }).measure).to.deep.equal(ref.map(formatHexFloat));
      const rows = Array.from({ length: n }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
      const viaRows = new HingeLoss({ multiclassMode: "one-vs-all" }).update(rows, Array.from(y)).toJSON();
      expect(viaRows).to.deep.equal(json);
    });
  }

  it("a bad target inside a bulk two-anchor batch names its position and leaves the state unchanged", () => {
    const metric = new HingeLoss().update(p32.subarray(0, 1000), Int32Array.from(t01.slice(0, 1000)));
    const before = JSON.stringify(metric.toJSON());
    const t = Int32Array.from(t01.slice(0, 30_000));
    t[25_000] = 2;
    expect(() => metric.update(p32.subarray(0, 30_000), t)).to.throw(MetricInputError, "target[25000]");
    expect(JSON.stringify(metric.toJSON())).to.equal(before);
    const q = Float32Array.from(p32.subarray(0, 30_000));
    q[17_000] = NaN;
    expect(() => metric.update(q, Int32Array.from(t01.slice(0, 30_000)))).to.throw(
      MetricInputError,
      "preds[17000]",
    );
    expect(JSON.stringify(metric.toJSON())).to.equal(before);
  });

  it("a NaN row in a one-vs-all Float32Array batch is an error and leaves the state unchanged", () => {
    const metric = new HingeLoss({ multiclassMode: "one-vs-all" });
    const P = f32Scores(3000 * 4, 13);
    const y = Int32Array.from(targets(3000, 14, [0, 1, 2, 3]));
    metric.update({ data: P, shape: [3000, 4] }, y);
    const before = JSON.stringify(metric.toJSON());
    const bad = P.slice();
    bad[2500 * 4 + 3] = Infinity;
    expect(() => metric.update({ data: bad, shape: [3000, 4] }, y)).to.throw(
      MetricInputError,
      "preds[2500][3]",
    );
    expect(JSON.stringify(metric.toJSON())).to.equal(before);
  });
});

describe("hinge kernels called directly", () => {
  const p = f32Scores(16_384, 21, 8);
  const t = Int32Array.from(targets(16_384, 22, [0, 1, -1]));

  function pairValue(acc: Float64Array): string {
    const big = [0n];
    commitPairs(acc, big, 1);
    expect(acc[0]).to.equal(0);
    expect(acc[1]).to.equal(0);
    return formatHexFloat(big[0]);
  }

  it("binaryPairF32I32, binaryPairF32 and binaryPairChecked sum a full chunk exactly", () => {
    const ref = binaryReference(p, t);
    const a = new Float64Array(2);
    expect(binaryPairF32I32(p, t, 0, p.length, a)).to.equal(p.length);
    expect(pairValue(a)).to.equal(ref);
    const b = new Float64Array(2);
    expect(binaryPairF32(p, Float64Array.from(t), 0, p.length, b)).to.equal(p.length);
    expect(pairValue(b)).to.equal(ref);
    const c = new Float64Array(2);
    expect(binaryPairChecked(Array.from(p), Array.from(t), 0, p.length, c)).to.equal(p.length);
    expect(pairValue(c)).to.equal(ref);
  });

  it("the pair kernels stop at the first element they cannot take exactly", () => {
    const q = p.slice(0, 100);
    q[40] = 2 ** 25;
    expect(binaryPairF32I32(q, t, 0, 100, new Float64Array(2))).to.equal(t[40] === 1 ? 100 : 40);
    const tt = t.slice(0, 100);
    tt[60] = 3;
    expect(binaryPairF32I32(p, tt, 0, 100, new Float64Array(2))).to.equal(60);
    expect(binaryPairF32(p, Float64Array.from(tt), 0, 100, new Float64Array(2))).to.equal(60);
    const plain = Array.from(p.subarray(0, 100)) as unknown[];
    plain[20] = "1";
    expect(binaryPairChecked(plain, Array.from(t), 0, 100, new Float64Array(2))).to.equal(20);
    plain[20] = 2 ** 30;
    expect(binaryPairChecked(plain, Array.from(t), 0, 100, new Float64Array(2))).to.equal(
      t[20] === 1 ? 100 : 20,
    );
  });

  it("oneVsAllPairF32 sums each class exactly", () => {
    const C = 4;
    const n = p.length / C;
    const y = Int32Array.from(targets(n, 23, [0, 1, 2, 3]));
    const acc = new Float64Array(2 * C);
    expect(oneVsAllPairF32(p, y, C, 0, n, new Float64Array(C), acc)).to.equal(n);
    const big = Array.from({ length: C }, () => 0n);
    commitPairs(acc, big, C);
    for (let c = 0; c < C; c++) {
      let ref = 0n;
      for (let i = 0; i < n; i++) ref += scaledFromDouble(ovaContribution(p[i * C + c], c === y[i]));
      expect(big[c]).to.equal(ref);
    }
  });
});
