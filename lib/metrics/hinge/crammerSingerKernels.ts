/**
 * Crammer–Singer hinge-loss kernels: `m = max(0, 1 - (p_t - max_{j≠t} p_j))` per row; three-anchor kernels
 * (any options) and two-anchor ones (plain bulk batches). The rules of every hot loop are those of
 * `binaryKernels.ts`.
 *
 * @module
 */
import type { ExactSum } from "../../state/index.js";
import { FAST_LIMIT, S1, S2, S3 } from "../../state/exactSum.js";
import { KernelScratch } from "./pairs.js";

// The pair constants of pairs.ts, as module-local consts: V8 folds these into the hot loops, while an
// imported binding is loaded (with a TDZ check) on every use: the one-vs-all loops measured up to twice as
// slow with imported constants (A/B against commit 68a64fa, same machine, same run).
const PAIR_LIMIT = 16777216; // 2^24 (pairs.ts PAIR_LIMIT)
const PAIR_S = 412316860416; // 1.5 * 2^38 (pairs.ts PAIR_S)
const PAIR_CHUNK = 16384; // 2^14 (pairs.ts PAIR_CHUNK)

/**
 * Crammer–Singer, flat row-major preds (typed or plain), optional weights and ignore index:
 * `m = max(0, 1 - (p[t] - max_{j≠t} p[j]))`. A row's finiteness is checked with one accumulated `v * 0`
 * (NaN for any non-finite v); plain arrays also have each element's type checked.
 *
 * @example
 * ```ts
 * crammerSingerFlat(new Float32Array([2, 0]), new Int32Array([0]), null, 2, 0, 1, false, NaN, true, new Float64Array(3), new Float64Array(3), new KernelScratch()); // => 1
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
  mb: Float64Array,
  tb: Float64Array,
  out: KernelScratch,
): number {
  let b1 = mb[0];
  let b2 = mb[1];
  let b3 = mb[2];
  let t1 = tb[0];
  let t2 = tb[1];
  let t3 = tb[2];
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
  mb[0] = b1;
  mb[1] = b2;
  mb[2] = b3;
  tb[0] = t1;
  tb[1] = t2;
  tb[2] = t3;
  out.counted = counted;
  return i;
}

/**
 * Crammer–Singer over an array of rows (`number[][]` or an array of typed arrays); each row's type and
 * length (`C`) are checked in the pass (a ragged row ends the loop).
 *
 * @example
 * ```ts
 * crammerSingerRows([[2, 0]], [0], null, 2, 0, 1, false, NaN, new Float64Array(3), new Float64Array(3), new KernelScratch()); // => 1
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
  mb: Float64Array,
  tb: Float64Array,
  out: KernelScratch,
): number {
  let b1 = mb[0];
  let b2 = mb[1];
  let b3 = mb[2];
  let t1 = tb[0];
  let t2 = tb[1];
  let t3 = tb[2];
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
  mb[0] = b1;
  mb[1] = b2;
  mb[2] = b3;
  tb[0] = t1;
  tb[1] = t2;
  tb[2] = t3;
  out.counted = counted;
  return i;
}

/**
 * Crammer–Singer, flat float32 scores, unsquared, unweighted, no ignore index: per row, one pass over the C
 * scores keeps the largest non-target score and a plain sum (finite exactly when every score is finite, bar
 * an overflow, which only sends the row to the three-anchor kernel), then adds `max(0, 1 - (p_t - max))` as
 * a pair. Exact by construction: the proof above holds for z = p_t - max, any double. The row loop has a
 * fixed trip count and no `typed` flag; float32 and float64 scores get their own copy of the function so
 * each stays monomorphic.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first row not added (bad target, non-finite score, or `c >= 2^24`)
 * @example
 * ```ts
 * crammerSingerPairF32(new Float32Array([0.5, 0]), new Int32Array([0]), 2, 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function crammerSingerPairF32(
  p: Float32Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    const pt = p[base + y];
    let fin = 0;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = p[base + j];
      fin += v;
      if (j !== y && v > max) max = v;
    }
    const m = 1 - (pt - max);
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT && fin - fin === 0)) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
  return i;
}

/**
 * Crammer–Singer, flat float64 scores: the same loop as {@link crammerSingerPairF32}, in its own function.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first row not added
 * @example
 * ```ts
 * crammerSingerPairF64(new Float64Array([0.5, 0]), new Int32Array([0]), 2, 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function crammerSingerPairF64(
  p: Float64Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    const pt = p[base + y];
    let fin = 0;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = p[base + j];
      fin += v;
      if (j !== y && v > max) max = v;
    }
    const m = 1 - (pt - max);
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT && fin - fin === 0)) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
  return i;
}

/**
 * Crammer–Singer over an array of rows (`number[][]`, or any array of rows), with each row's kind and
 * length and each score's type checked in the pass. Otherwise as {@link crammerSingerPairF32}.
 *
 * @param rows - N rows of C scores
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first row not added
 * @example
 * ```ts
 * crammerSingerPairRows([[0.5, 0]], [0], 2, 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function crammerSingerPairRows(
  rows: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const row = rows[i] as ArrayLike<unknown>;
    const y = t[i];
    if (row === null || typeof row !== "object" || row.length !== C) break;
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const pt = row[y] as number;
    let ok = true;
    let fin = 0;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = row[j];
      if (typeof v !== "number") {
        ok = false;
      } else {
        fin += v;
        if (j !== y && v > max) max = v;
      }
    }
    const m = 1 - (pt - max);
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(ok && c < PAIR_LIMIT && fin - fin === 0)) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
  return i;
}

/**
 * Crammer–Singer driver for unsquared, unweighted batches without an ignore index: runs the two-anchor
 * kernel that fits the preds kind (flat float32, flat float64, rows) in chunks of {@link PAIR_CHUNK},
 * commits each chunk into the measure and adds the row count to the total's bins.
 *
 * @param p - flat N·C scores (`rows` false) or N rows
 * @param t - class indices
 * @param C - classes
 * @param rows - `p` is an array of rows
 * @param start - first row
 * @param end - end of the rows
 * @param tb - the total's three-anchor bins
 * @param measure - the measure sum (pair chunks commit into it)
 * @returns the first row not added (the caller continues there with the three-anchor kernel)
 * @example
 * ```ts
 * const m = exactSum(0).empty(), t = exactSum().empty();
 * m.resize(1);
 * crammerSingerPairRun(new Float32Array([0.5, 0]), new Int32Array([0]), 2, false, 0, 1, t.bins, m, new KernelScratch()); // => 1
 * ```
 */
export function crammerSingerPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  start: number,
  end: number,
  tb: Float64Array,
  measure: ExactSum,
  out: KernelScratch,
): number {
  const acc = out.pairAcc(1);
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    let j: number;
    if (rows) j = crammerSingerPairRows(p, t, C, i, stop, acc);
    else if (p instanceof Float32Array) j = crammerSingerPairF32(p, t, C, i, stop, acc);
    else if (p instanceof Float64Array) j = crammerSingerPairF64(p, t, C, i, stop, acc);
    else j = i;
    measure.commitPairs(acc, 1);
    tb[0] += j - i;
    i = j;
    if (j < stop) break;
  }
  out.counted = i - start;
  return i;
}
