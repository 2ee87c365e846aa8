/**
 * Hot loops of the hinge loss. Each one:
 * - runs over `[start, end)` with only locals, typed arrays and numbers (no calls, no allocation, no closure),
 *   so V8 keeps it optimised;
 * - computes each sample's contribution in float64 exactly as the slow path does (same expressions, same
 *   rounding), clamps without a branch (`(m + |m|) * 0.5` is exactly `max(m, 0)` for finite m), and adds it
 *   to three fixed-anchor bins (see `state/exactSum.ts`), which keeps the sum exact;
 * - validates in the same pass: the first element that is invalid *or* needs the exact slow path (a value
 *   ≥ 2^32, a tiny value with bits below 2^-76) ends the loop, and its index is returned. The caller handles
 *   that element outside the hot function (error message or BigInt add) and resumes after it. Rare paths
 *   live outside the loop's function because V8 otherwise de-optimises it again and again.
 *
 * Bins are passed as one Float64Array; the measure sums come first (3 per sum), the total (Σ w) last.
 *
 * @module
 */
import { FAST_LIMIT, S1, S2, S3 } from "../state/exactSum.js";

/**
 * Side results of the last kernel call: `[0]` = samples counted (ignored ones excluded).
 *
 * @example
 * ```ts
 * kernelOut[0]; // => samples counted by the last call
 * ```
 */
export const kernelOut = new Float64Array(1);

/**
 * Binary, unweighted, no ignore index, typed arrays. `m = max(0, 1 - y p)` with `y = +1` for target 1 and
 * `-1` for targets 0 and -1, computed branch-free as `y = t + |t| - 1`; the target check `t (t² - 1) = 0`
 * accepts exactly {-1, 0, 1}. Adds measures to bins 0..2 and the count to bin 3.
 *
 * @example
 * ```ts
 * binaryTyped(new Float32Array([0.5]), new Int32Array([1]), 0, 1, false, new Float64Array(6)); // => 1
 * ```
 */
export function binaryTyped(
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  start: number,
  end: number,
  squared: boolean,
  bins: Float64Array,
): number {
  let b1 = bins[0];
  let b2 = bins[1];
  let b3 = bins[2];
  let i = start;
  if (!squared) {
    for (; i < end; i++) {
      const x = p[i];
      const y = t[i];
      const m = 1 - (y + Math.abs(y) - 1) * x;
      const c = (m + Math.abs(m)) * 0.5;
      const q1 = c + S1 - S1;
      const r1 = c - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      if (!(c < FAST_LIMIT) || r2 !== q3 || y * (y * y - 1) !== 0) break;
      b1 += q1;
      b2 += q2;
      b3 += q3;
    }
  } else {
    for (; i < end; i++) {
      const x = p[i];
      const y = t[i];
      const m = 1 - (y + Math.abs(y) - 1) * x;
      const h = (m + Math.abs(m)) * 0.5;
      const c = h * h;
      const q1 = c + S1 - S1;
      const r1 = c - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      if (!(c < FAST_LIMIT) || r2 !== q3 || y * (y * y - 1) !== 0) break;
      b1 += q1;
      b2 += q2;
      b3 += q3;
    }
  }
  bins[0] = b1;
  bins[1] = b2;
  bins[2] = b3;
  bins[3] += i - start;
  kernelOut[0] = i - start;
  return i;
}

/**
 * Binary, general: plain arrays (every element's type is checked), optional weights, optional ignore index.
 * Weighted contribution `w · m` (rounded once), total `Σ w`; ignored samples are skipped and not counted.
 *
 * @example
 * ```ts
 * binaryGeneral([0.5], [1], null, 0, 1, false, NaN, new Float64Array(6)); // => 1
 * ```
 */
export function binaryGeneral(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  w: ArrayLike<unknown> | null,
  start: number,
  end: number,
  squared: boolean,
  ignore: number,
  bins: Float64Array,
): number {
  let b1 = bins[0];
  let b2 = bins[1];
  let b3 = bins[2];
  let t1 = bins[3];
  let t2 = bins[4];
  let t3 = bins[5];
  let counted = 0;
  let i = start;
  for (; i < end; i++) {
    const xv = p[i];
    const yv = t[i];
    const wv = w === null ? 1 : w[i];
    if (typeof xv !== "number" || typeof yv !== "number" || typeof wv !== "number") break;
    if (yv === ignore) continue;
    const m = 1 - (yv + Math.abs(yv) - 1) * xv;
    const h = (m + Math.abs(m)) * 0.5;
    const c = wv * (squared ? h * h : h);
    const q1 = c + S1 - S1;
    const r1 = c - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    const u1 = wv + S1 - S1;
    const s1 = wv - u1;
    const u2 = s1 + S2 - S2;
    const s2 = s1 - u2;
    const u3 = s2 + S3 - S3;
    if (
      !(c < FAST_LIMIT) ||
      r2 !== q3 ||
      yv * (yv * yv - 1) !== 0 ||
      !(wv >= 0 && wv < FAST_LIMIT) ||
      s2 !== u3 ||
      c !== c
    ) {
      break;
    }
    b1 += q1;
    b2 += q2;
    b3 += q3;
    t1 += u1;
    t2 += u2;
    t3 += u3;
    counted++;
  }
  bins[0] = b1;
  bins[1] = b2;
  bins[2] = b3;
  bins[3] = t1;
  bins[4] = t2;
  bins[5] = t3;
  kernelOut[0] = counted;
  return i;
}

/**
 * Crammer–Singer, flat row-major preds (typed or plain), optional weights and ignore index:
 * `m = max(0, 1 - (p[t] - max_{j≠t} p[j]))`. A row's finiteness is checked with one accumulated `v * 0`
 * (NaN for any non-finite v); plain arrays also have each element's type checked.
 *
 * @example
 * ```ts
 * crammerSingerFlat(new Float32Array([2, 0]), new Int32Array([0]), null, 2, 0, 1, false, NaN, true, new Float64Array(6)); // => 1
 * ```
 */
export function crammerSingerFlat(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  w: ArrayLike<unknown> | null,
  C: number,
  start: number,
  end: number,
  squared: boolean,
  ignore: number,
  typed: boolean,
  bins: Float64Array,
): number {
  let b1 = bins[0];
  let b2 = bins[1];
  let b3 = bins[2];
  let t1 = bins[3];
  let t2 = bins[4];
  let t3 = bins[5];
  let counted = 0;
  let i = start;
  for (; i < end; i++) {
    const yv = t[i];
    const wv = w === null ? 1 : w[i];
    if (typeof yv !== "number" || typeof wv !== "number") break;
    if (yv === ignore) continue;
    if (!(yv >= 0 && yv < C && Math.floor(yv) === yv)) break;
    const base = i * C;
    const pt = p[base + yv] as number;
    let fin = 0;
    let ok = true;
    let max = -Infinity;
    for (let j = 0; j < yv; j++) {
      const v = p[base + j] as number;
      if (!typed && typeof v !== "number") ok = false;
      fin += v * 0;
      max = v > max ? v : max;
    }
    for (let j = yv + 1; j < C; j++) {
      const v = p[base + j] as number;
      if (!typed && typeof v !== "number") ok = false;
      fin += v * 0;
      max = v > max ? v : max;
    }
    if (!typed && typeof pt !== "number") ok = false;
    fin += pt * 0;
    const m = 1 - (pt - max);
    const h = (m + Math.abs(m)) * 0.5;
    const c = wv * (squared ? h * h : h);
    const q1 = c + S1 - S1;
    const r1 = c - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    const u1 = wv + S1 - S1;
    const s1 = wv - u1;
    const u2 = s1 + S2 - S2;
    const s2 = s1 - u2;
    const u3 = s2 + S3 - S3;
    if (!ok || fin !== 0 || !(c < FAST_LIMIT) || r2 !== q3 || !(wv >= 0 && wv < FAST_LIMIT) || s2 !== u3)
      break;
    b1 += q1;
    b2 += q2;
    b3 += q3;
    t1 += u1;
    t2 += u2;
    t3 += u3;
    counted++;
  }
  bins[0] = b1;
  bins[1] = b2;
  bins[2] = b3;
  bins[3] = t1;
  bins[4] = t2;
  bins[5] = t3;
  kernelOut[0] = counted;
  return i;
}

/**
 * Crammer–Singer over an array of rows (`number[][]` or an array of typed arrays); each row's type and
 * length (`C`) are checked in the pass (a ragged row ends the loop).
 *
 * @example
 * ```ts
 * crammerSingerRows([[2, 0]], [0], null, 2, 0, 1, false, NaN, new Float64Array(6)); // => 1
 * ```
 */
export function crammerSingerRows(
  rows: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  w: ArrayLike<unknown> | null,
  C: number,
  start: number,
  end: number,
  squared: boolean,
  ignore: number,
  bins: Float64Array,
): number {
  let b1 = bins[0];
  let b2 = bins[1];
  let b3 = bins[2];
  let t1 = bins[3];
  let t2 = bins[4];
  let t3 = bins[5];
  let counted = 0;
  let i = start;
  for (; i < end; i++) {
    const row = rows[i] as ArrayLike<unknown>;
    const yv = t[i];
    const wv = w === null ? 1 : w[i];
    if (typeof yv !== "number" || typeof wv !== "number") break;
    if (row === null || typeof row !== "object" || row.length !== C) break;
    if (yv === ignore) continue;
    if (!(yv >= 0 && yv < C && Math.floor(yv) === yv)) break;
    const pt = row[yv] as number;
    let fin = 0;
    let ok = typeof pt === "number";
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = row[j] as number;
      if (typeof v !== "number") ok = false;
      fin += v * 0;
      max = j !== yv && v > max ? v : max;
    }
    const m = 1 - (pt - max);
    const h = (m + Math.abs(m)) * 0.5;
    const c = wv * (squared ? h * h : h);
    const q1 = c + S1 - S1;
    const r1 = c - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    const u1 = wv + S1 - S1;
    const s1 = wv - u1;
    const u2 = s1 + S2 - S2;
    const s2 = s1 - u2;
    const u3 = s2 + S3 - S3;
    if (!ok || fin !== 0 || !(c < FAST_LIMIT) || r2 !== q3 || !(wv >= 0 && wv < FAST_LIMIT) || s2 !== u3)
      break;
    b1 += q1;
    b2 += q2;
    b3 += q3;
    t1 += u1;
    t2 += u2;
    t3 += u3;
    counted++;
  }
  bins[0] = b1;
  bins[1] = b2;
  bins[2] = b3;
  bins[3] = t1;
  bins[4] = t2;
  bins[5] = t3;
  kernelOut[0] = counted;
  return i;
}

/**
 * One-vs-all, flat (`rowStride = C`) or rows (`rowStride = 0`, `p` is an array of rows). For each class c,
 * `m_c = max(0, 1 - y_c p[c])` with `y_c = +1` for the target class, else -1. Each row is computed into
 * `buf` and checked first, then added to the C per-class bin triples (bins `3c..3c+2`; the total is the
 * triple at `3C`), so a row that needs the slow path is left whole to the caller.
 *
 * @example
 * ```ts
 * oneVsAll(new Float32Array([2, -2]), new Int32Array([0]), null, 2, 2, 0, 1, false, NaN, true, new Float64Array(2), new Float64Array(9)); // => 1
 * ```
 */
export function oneVsAll(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  w: ArrayLike<unknown> | null,
  C: number,
  rowStride: number,
  start: number,
  end: number,
  squared: boolean,
  ignore: number,
  typed: boolean,
  buf: Float64Array,
  bins: Float64Array,
): number {
  let counted = 0;
  let i = start;
  const tb = 3 * C;
  for (; i < end; i++) {
    const yv = t[i];
    const wv = w === null ? 1 : w[i];
    if (typeof yv !== "number" || typeof wv !== "number") break;
    let row: ArrayLike<unknown> = p;
    let base = i * rowStride;
    if (rowStride === 0) {
      row = p[i] as ArrayLike<unknown>;
      base = 0;
      if (row === null || typeof row !== "object" || row.length !== C) break;
    }
    if (yv === ignore) continue;
    if (!(yv >= 0 && yv < C && Math.floor(yv) === yv)) break;
    let ok = typeof wv === "number" && wv >= 0 && wv < FAST_LIMIT;
    for (let c = 0; c < C; c++) {
      const v = row[base + c] as number;
      if (!typed && typeof v !== "number") ok = false;
      const m = 1 + (c === yv ? -v : v);
      const h = (m + Math.abs(m)) * 0.5;
      const x = wv * (squared ? h * h : h);
      const q1 = x + S1 - S1;
      const r1 = x - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      if (!(x < FAST_LIMIT) || r2 !== q3) ok = false;
      buf[c] = x;
    }
    const u1 = wv + S1 - S1;
    const s1 = wv - u1;
    const u2 = s1 + S2 - S2;
    const s2 = s1 - u2;
    const u3 = s2 + S3 - S3;
    if (!ok || s2 !== u3) break;
    for (let c = 0; c < C; c++) {
      const x = buf[c];
      const q1 = x + S1 - S1;
      const r1 = x - q1;
      const q2 = r1 + S2 - S2;
      bins[3 * c] += q1;
      bins[3 * c + 1] += q2;
      bins[3 * c + 2] += r1 - q2;
    }
    bins[tb] += u1;
    bins[tb + 1] += u2;
    bins[tb + 2] += u3;
    counted++;
  }
  kernelOut[0] = counted;
  return i;
}
