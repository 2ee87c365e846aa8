import { expect } from "chai";

import { binaryPairChecked, binaryPairF32, binaryPairF32I32 } from "../../lib/metrics/hinge/binaryKernels.js";
import {
  crammerSingerPairF32,
  crammerSingerPairF64,
  crammerSingerPairRows,
} from "../../lib/metrics/hinge/crammerSingerKernels.js";
import {
  oneVsAllPairF32,
  oneVsAllPairF64,
  oneVsAllPairRows,
  oneVsAllPairUndo,
} from "../../lib/metrics/hinge/oneVsAllKernels.js";
import { addOneBinary } from "../../lib/metrics/hinge/singleSample.js";
import { exactSum } from "../../lib/state/index.js";

/** Commits pair accumulators into fresh exact sums and returns them scaled (what ExactSum.commitPairs adds). */
function commitPairs(acc: Float64Array, big: bigint[], count: number): void {
  const sums = exactSum(count).empty();
  sums.commitPairs(acc, count);
  for (let k = 0; k < count; k++) big[k] += sums.exact(k);
}
import { HingeLoss, MetricInputError, type HingeState } from "../../lib/index.js";
import { formatHexFloat, scaledFromDouble } from "../../lib/state/index.js";
import { prng as rng } from "../support/prng.js";

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

function csContribution(row: ArrayLike<number>, y: number): number {
  let max = -Infinity;
  for (let j = 0; j < row.length; j++) if (j !== y && row[j] > max) max = row[j];
  const m = 1 - (row[y] - max);
  return m > 0 ? m : 0;
}

/** Exact BigInt references of a flat multiclass batch: [Crammer–Singer sum, per-class one-vs-all sums]. */
function multiclassReference(P: ArrayLike<number>, y: ArrayLike<number>, C: number): [string, string[]] {
  let cs = 0n;
  const ova = Array.from({ length: C }, () => 0n);
  for (let i = 0; i < y.length; i++) {
    const row = Array.prototype.slice.call(P, i * C, (i + 1) * C) as number[];
    cs += scaledFromDouble(csContribution(row, y[i]));
    for (let c = 0; c < C; c++) ova[c] += scaledFromDouble(ovaContribution(row[c], c === y[i]));
  }
  return [formatHexFloat(cs), ova.map(formatHexFloat)];
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

  describe("multiclass two-anchor kernels (flat float32, flat float64, rows) with awkward values", () => {
    const n = 20_000;
    const C = 5;
    const classes = Array.from({ length: C }, (_, c) => c);
    const y = Int32Array.from(targets(n, 31, classes));
    const P32 = f32Scores(n * C, 32, 6);
    P32[3 * C + 1] = 3e7; // contributions ≥ 2^24: the three-anchor kernels / slow path
    P32[9 * C + y[9]] = -3e7;
    P32[11 * C + 2] = 1e-40; // a float32 subnormal
    P32[17_000 * C] = 2 ** 40; // ≥ 2^32 in a later pair chunk: the exact slow path
    const r = rng(33);
    const P64 = Float64Array.from(P32, (v) => v + (r() - 0.5) * 1e-9); // plain doubles, not float32-valued
    for (let k = 0; k < 60; k++) P64[Math.floor(r() * P64.length)] = AWKWARD[k % AWKWARD.length];
    const cases: [string, Float32Array | Float64Array][] = [
      ["Float32Array", P32],
      ["Float64Array", P64],
    ];
    for (const [name, P] of cases) {
      const [csRef, ovaRef] = multiclassReference(P, y, C);
      const rows = Array.from({ length: n }, (_, i) => Array.from(P.subarray(i * C, (i + 1) * C)));
      const inputs: [string, unknown, unknown][] = [
        [`${name} {data, shape}`, { data: P, shape: [n, C] }, y],
        [`${name} values as number[][] + number[]`, rows, Array.from(y)],
        [`${name} {data, shape} + Float64Array targets`, { data: P, shape: [n, C] }, Float64Array.from(y)],
      ];
      for (const [label, preds, target] of inputs) {
        it(`Crammer–Singer ${label}: whole and split batches equal the reference`, () => {
          const whole = new HingeLoss().update(preds as number[][], target as number[]);
          expect(measureOf(whole)).to.equal(csRef);
          expect(whole.samples).to.equal(n);
          const split = new HingeLoss();
          for (const [a, b] of [
            [0, 300],
            [300, 555],
            [555, 17_500],
            [17_500, n],
          ]) {
            const part = Array.isArray(preds)
              ? preds.slice(a, b)
              : { data: P.subarray(a * C, b * C), shape: [b - a, C] };
            split.update(part as number[][], (target as Int32Array).slice(a, b) as unknown as number[]);
          }
          expect(split.toJSON()).to.deep.equal(whole.toJSON());
        });
        it(`one-vs-all ${label}: per-class sums equal the reference`, () => {
          const metric = new HingeLoss({ multiclassMode: "one-vs-all" });
          metric.update(preds as number[][], target as number[]);
          expect((metric.toJSON() as unknown as { measure: string[] }).measure).to.deep.equal(ovaRef);
          expect(metric.samples).to.equal(n);
        });
      }
    }

    const badCases: [string, (P: Float32Array, rows: unknown[][], t: number[]) => void, string][] = [
      [
        "-Infinity in a non-target column",
        (P, rows) => ((P[12_345 * C + 4] = -Infinity), (rows[12_345][4] = -Infinity)),
        "preds[12345][4]",
      ],
      [
        "NaN in the target column",
        (P, rows, t) => ((P[600 * C + t[600]] = NaN), (rows[600][t[600]] = NaN)),
        `preds[600][`,
      ],
      ["a class index out of range", (_P, _rows, t) => (t[18_000] = C), "target[18000]"],
    ];
    for (const mode of ["crammer-singer", "one-vs-all"] as const) {
      for (const [what, spoil, where] of badCases) {
        it(`${mode}: ${what} in a bulk batch is an error naming it, the state unchanged`, () => {
          const metric = new HingeLoss({ multiclassMode: mode }).update(
            { data: P32.subarray(0, 100 * C), shape: [100, C] },
            y.subarray(0, 100),
          );
          const before = JSON.stringify(metric.toJSON());
          const P = P32.slice();
          const rows = Array.from(
            { length: n },
            (_, i) => Array.from(P32.subarray(i * C, (i + 1) * C)) as unknown[],
          );
          const t = Array.from(y);
          spoil(P, rows, t);
          expect(() => metric.update({ data: P, shape: [n, C] }, Int32Array.from(t))).to.throw(
            MetricInputError,
            where,
          );
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
          expect(() => metric.update({ data: Float64Array.from(P), shape: [n, C] }, t)).to.throw(
            MetricInputError,
            where,
          );
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
          expect(() => metric.update(rows as number[][], t)).to.throw(MetricInputError, where);
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
        });
      }
      it(`${mode}: a ragged row or a string score in number[][] is an error, the state unchanged`, () => {
        const metric = new HingeLoss({ multiclassMode: mode });
        const rows = Array.from(
          { length: 1000 },
          (_, i) => Array.from(P32.subarray(i * C, (i + 1) * C)) as unknown[],
        );
        const t = Array.from(y.subarray(0, 1000));
        metric.update(rows.slice(0, 10) as number[][], t.slice(0, 10));
        const before = JSON.stringify(metric.toJSON());
        rows[700] = rows[700].slice(0, 3);
        expect(() => metric.update(rows as number[][], t)).to.throw(MetricInputError, "preds[700]");
        expect(JSON.stringify(metric.toJSON())).to.equal(before);
        rows[700] = [0, 0, 0, 0, 0];
        rows[800][2] = "0.5";
        expect(() => metric.update(rows as number[][], t)).to.throw(MetricInputError, "preds[800][2]");
        expect(JSON.stringify(metric.toJSON())).to.equal(before);
      });
    }
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
    expect(oneVsAllPairF32(p, y, C, 0, n, acc)).to.equal(n);
    const big = Array.from({ length: C }, () => 0n);
    commitPairs(acc, big, C);
    for (let c = 0; c < C; c++) {
      let ref = 0n;
      for (let i = 0; i < n; i++) ref += scaledFromDouble(ovaContribution(p[i * C + c], c === y[i]));
      expect(big[c]).to.equal(ref);
    }
  });

  it("oneVsAllPairF64 and oneVsAllPairRows give the same pairs as oneVsAllPairF32; undo restores a stopped row", () => {
    const C = 4;
    const n = p.length / C;
    const y = Int32Array.from(targets(n, 23, [0, 1, 2, 3]));
    const a = new Float64Array(2 * C);
    const b = new Float64Array(2 * C);
    const c = new Float64Array(2 * C);
    expect(oneVsAllPairF32(p, y, C, 0, n, a)).to.equal(n);
    expect(oneVsAllPairF64(Float64Array.from(p), y, C, 0, n, b)).to.equal(n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(p.subarray(i * C, (i + 1) * C)));
    expect(oneVsAllPairRows(rows, Array.from(y), C, 0, n, c)).to.equal(n);
    expect(b).to.deep.equal(a);
    expect(c).to.deep.equal(a);
    // A row with an element the pair cannot take: the kernel stops there having added its other elements;
    // the undo takes exactly those back out.
    const q = p.slice();
    q[100 * C + ((y[100] + 1) % C)] = 2 ** 30; // non-target: 1 + 2^30 ≥ 2^24
    const d = new Float64Array(2 * C);
    const at100 = new Float64Array(2 * C);
    expect(oneVsAllPairF32(q, y, C, 0, 100, at100)).to.equal(100);
    expect(oneVsAllPairF32(q, y, C, 0, n, d)).to.equal(100);
    expect(d).to.not.deep.equal(at100);
    oneVsAllPairUndo(q, 100 * C, y[100], C, d);
    expect(d).to.deep.equal(at100);
    const rowsQ = rows.map((r) => r.slice()) as unknown[][];
    rowsQ[100][1] = "x";
    const e = new Float64Array(2 * C);
    expect(oneVsAllPairRows(rowsQ, Array.from(y), C, 0, n, e)).to.equal(100);
    oneVsAllPairUndo(rowsQ[100], 0, y[100], C, e);
    expect(e).to.deep.equal(at100);
  });

  it("crammerSingerPairF32, crammerSingerPairF64 and crammerSingerPairRows sum exactly and stop where they must", () => {
    const C = 8;
    const n = p.length / C;
    const y = Int32Array.from(targets(n, 24, [0, 1, 2, 3, 4, 5, 6, 7]));
    let ref = 0n;
    for (let i = 0; i < n; i++) ref += scaledFromDouble(csContribution(p.subarray(i * C, (i + 1) * C), y[i]));
    const rows = Array.from({ length: n }, (_, i) => Array.from(p.subarray(i * C, (i + 1) * C)));
    const accs = [new Float64Array(2), new Float64Array(2), new Float64Array(2)];
    expect(crammerSingerPairF32(p, y, C, 0, n, accs[0])).to.equal(n);
    expect(crammerSingerPairF64(Float64Array.from(p), y, C, 0, n, accs[1])).to.equal(n);
    expect(crammerSingerPairRows(rows, Array.from(y), C, 0, n, accs[2])).to.equal(n);
    for (const acc of accs) expect(pairValue(acc)).to.equal(formatHexFloat(ref));
    const q = Float64Array.from(p);
    q[50 * C + ((y[50] + 1) % C)] = -Infinity; // ignored by the max: caught by the finiteness sum
    expect(crammerSingerPairF64(q, y, C, 0, n, new Float64Array(2))).to.equal(50);
    q[50 * C + ((y[50] + 1) % C)] = 0;
    q[70 * C + y[70]] = -(2 ** 25); // c ≥ 2^24
    expect(crammerSingerPairF64(q, y, C, 0, n, new Float64Array(2))).to.equal(70);
    const yy = y.slice();
    yy[30] = -1;
    expect(crammerSingerPairF32(p, yy, C, 0, n, new Float64Array(2))).to.equal(30);
    const rowsQ = rows.map((r) => r.slice()) as unknown[][];
    rowsQ[20][3] = null;
    expect(crammerSingerPairRows(rowsQ, Array.from(y), C, 0, n, new Float64Array(2))).to.equal(20);
    rowsQ[20] = rows[20];
    rowsQ[25] = rows[25].slice(1);
    expect(crammerSingerPairRows(rowsQ, Array.from(y), C, 0, n, new Float64Array(2))).to.equal(25);
  });

  it("addOneBinary adds one valid sample exactly, across flushes, and touches nothing otherwise", () => {
    // 70,000 single samples (past a flush at 2^16 additions), awkward values included: the samples it
    // declines go through the general update, and the result equals the BigInt reference bit for bit.
    const n = 70_000;
    const xs = Array.from(f32Scores(n, 41, 8));
    for (let k = 0; k < 50; k++) xs[(k * 1399) % n] = AWKWARD[k % AWKWARD.length];
    const ys = targets(n, 42, [0, 1, -1]);
    for (const squared of [false, true]) {
      const metric = new HingeLoss({ squared }).update([xs[0]], [ys[0]]);
      const state = (metric as unknown as { state: HingeState }).state;
      let declined = 0;
      for (let i = 1; i < n; i++) {
        if (addOneBinary(state.measure, state.total, xs[i], ys[i], squared)) state.samples.add(1);
        else {
          declined++;
          metric.update([xs[i]], [ys[i]]);
        }
      }
      expect(declined).to.be.within(1, 60); // most awkward values (a due flush is made in place)
      expect(measureOf(metric)).to.equal(binaryReference(xs, ys, squared));
      expect(metric.samples).to.equal(n);
      expect(metric.total).to.equal(n);
    }
    const measure = exactSum(1).empty();
    const total = exactSum().empty();
    measure.add(0.25);
    total.add(1);
    const snap = (): string =>
      JSON.stringify([measure.toJSON(), total.toJSON(), Array.from(measure.bins), Array.from(total.bins)]);
    const before = snap();
    for (const [x, y] of [
      [0.5, 2],
      [0.5, 0.5],
      [NaN, 1],
      [Infinity, 0],
      ["0.5", 1],
      [0.5, 1n],
      [2 ** 33, 0],
    ] as [unknown, unknown][]) {
      expect(addOneBinary(measure, total, x, y, false)).to.equal(false);
      expect(snap()).to.equal(before);
    }
    // squared: (2^-53)^2 = 2^-106 has bits below every bin (the exact slow path)
    expect(addOneBinary(measure, total, 1 - 2 ** -53, 1, true)).to.equal(false);
    expect(snap()).to.equal(before);
    expect(addOneBinary(measure, total, 0.5, -1, false)).to.equal(true);
    expect(measure.ratio(total)).to.equal(0.875); // (0.25 + 1.5) / 2
  });
});
