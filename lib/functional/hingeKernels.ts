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
import type { HingeState } from "./hinge.js";
import {
  FAST_LIMIT,
  FLUSH_EVERY,
  S1,
  S2,
  S3,
  REL_OK,
  SAFE_HI,
  SAFE_LO,
  TAIL_ERR,
  U,
  certified,
  twoProductErr,
  twoSumErr,
  type ExactSums,
} from "../state/exactSum.js";

/** Side results of the last kernel call: `[0]` = samples counted (ignored ones excluded). */
export const kernelOut = new Float64Array(1);

/**
 * Binary, unweighted, no ignore index, typed arrays. `m = max(0, 1 - y p)` with `y = +1` for target 1 and
 * `-1` for targets 0 and -1, computed branch-free as `y = t + |t| - 1`; the target check `t² = |t|`
 * accepts exactly {-1, 0, 1} (not `t (t² - 1) = 0`: for int32 targets 0 · -1 gives -0, which V8's int32
 * multiplication treats as an overflow and de-optimises the loop on). Adds measures to bins 0..2 and the count to bin 3.
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
      if (!(c < FAST_LIMIT) || r2 !== q3 || y * y !== Math.abs(y)) break;
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
      if (!(c < FAST_LIMIT) || r2 !== q3 || y * y !== Math.abs(y)) break;
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
      yv * yv !== Math.abs(yv) ||
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

/**
 * One binary sample, unweighted, without an ignore index, checked *before* anything is written: adds
 * `max(0, 1 - y x)` (squared if asked) to sum 0 and 1 to the total, with the same three-anchor split as
 * {@link binaryTyped}, and returns true; or returns false and leaves `sums` untouched when the sample is not
 * a plain valid one (x or y not a number, y not in {-1, 0, 1}, a contribution for the exact slow path) or
 * the bins are due for a flush. Because it validates first, a caller can take this path without saving the
 * state for an undo; on false it runs the general update, which also produces the error message. This is
 * the single-sample streaming path (`update()` with one-element typed arrays).
 *
 * @param sums - the state's exact sums of a binary state (measure, total)
 * @param x - the score
 * @param y - the target
 * @param squared - squared hinge
 * @returns whether the sample was added
 * @example
 * ```ts
 * const sums = new ExactSums(2);
 * addOneBinary(sums, 0.5, 1, false); // => true
 * addOneBinary(sums, 0.5, 2, false); // => false
 * sums.ratio(0, 1); // => 0.5
 * ```
 */
export function addOneBinary(sums: ExactSums, x: unknown, y: unknown, squared: boolean): boolean {
  // The label check comes last, with the split's: checking it first (before the arithmetic) measured ~25% slower.
  if (typeof x !== "number" || typeof y !== "number" || sums.pending >= FLUSH_EVERY) return false;
  const m = 1 - (y + Math.abs(y) - 1) * x;
  const h = (m + Math.abs(m)) * 0.5;
  const c = squared ? h * h : h;
  const q1 = c + S1 - S1;
  const r1 = c - q1;
  const q2 = r1 + S2 - S2;
  const r2 = r1 - q2;
  const q3 = r2 + S3 - S3;
  if (!(c < FAST_LIMIT) || r2 !== q3 || y * y !== Math.abs(y)) return false;
  const bins = sums.bins;
  bins[0] += q1;
  bins[1] += q2;
  bins[2] += q3;
  bins[3] += 1;
  sums.pending += 1;
  return true;
}

/**
 * {@link addOneBinary} for a batch given as one-element typed arrays on a binary state (the single-sample
 * streaming path of `HingeLoss`): checks the batch's form, adds the sample and counts it (`samples + 1`), and
 * returns true; or returns false with nothing changed (not that form, not binary yet, or see addOneBinary).
 *
 * @param state - a hinge state
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param squared - squared hinge
 * @returns whether the sample was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * addOneTyped(state, new Float32Array([0.5]), new Int32Array([1]), false); // => true
 * state.samples; // => 2
 * ```
 */
export function addOneTyped(state: HingeState, preds: unknown, target: unknown, squared: boolean): boolean {
  const sums = state.sums;
  if (
    sums === null ||
    state.task !== "binary" ||
    !ArrayBuffer.isView(preds) ||
    !ArrayBuffer.isView(target) ||
    (preds as Float32Array).length !== 1 ||
    (target as Int32Array).length !== 1 ||
    !addOneBinary(sums, (preds as Float32Array)[0], (target as Int32Array)[0], squared)
  ) {
    return false;
  }
  state.samples += 1;
  return true;
}

/**
 * {@link addOneTyped} followed by the running value (the correctly rounded Σ m / n), in one function that
 * divides inline (a call V8 does not inline costs about as much as the whole step): the single-sample path of
 * `HingeLoss.updateAndCompute`. Returns NaN, with nothing changed, exactly when addOneTyped returns false.
 *
 * @param state - a hinge state
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param squared - squared hinge
 * @returns the running value after the sample, or NaN (nothing added)
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [0.5], [1], undefined, resolveHingeLossOptions());
 * stepOneTyped(state, new Float32Array([2]), new Int32Array([0]), false); // => 1.75
 * ```
 */
export function stepOneTyped(state: HingeState, preds: unknown, target: unknown, squared: boolean): number {
  if (!addOneTyped(state, preds, target, squared)) return NaN;
  const sums = state.sums as ExactSums;
  const bins = sums.bins;
  const cache = sums.bigApproximations(0, 1);
  // The total n = H + b0 (bins 3..5 and the big part's cache at 3..5) is a count: exactly one double when
  // H + b0 is exact and nothing else is set (for the larger operand x of x + y, s - x is exact, so the error
  // y - (s - x) is zero exactly when s - x === y). Then Σ m / n is divided here with the "Fast correctly
  // rounded quotient" argument of lib/state/exactSum.ts for an exact denominator (dl = 0, q1 = RN(s3 · inv),
  // the tail bound |ei| <= u·|si|); anything else, and any quotient it cannot certify, goes to sums.ratio.
  const hn = cache[3];
  const bn = bins[3];
  const n = hn + bn;
  if (
    cache[4] === 0 &&
    cache[5] === 0 &&
    bins[4] === 0 &&
    bins[5] === 0 &&
    n - hn === bn &&
    n - bn === hn &&
    n <= 9007199254740992
  ) {
    const h = cache[0];
    const b0 = bins[0];
    const b1 = bins[1];
    const b2 = bins[2];
    const s1 = h + b0;
    const s2 = s1 + b1;
    const s3 = s2 + b2;
    const inv = 1 / n;
    const q1 = s3 * inv;
    const e1 = twoSumErr(h, b0, s1);
    const e2 = twoSumErr(s1, b1, s2);
    const e3 = twoSumErr(s2, b2, s3);
    const l = cache[1];
    const as = Math.abs(s3);
    const aq = Math.abs(q1);
    // n >= 1 (a sample was just counted) and n <= 2^53: |q1| > 2^-900 and |s3| < 2^900 keep both in range.
    if (
      cache[2] + TAIL_ERR * (Math.abs(l) + U * (Math.abs(s1) + Math.abs(s2) + as)) <= REL_OK * as &&
      as < SAFE_HI &&
      aq > SAFE_LO
    ) {
      // R = Σ m - q1·n = (s3 - p1) - pe + t with a Dekker product p1 + pe = q1·n; s3 - p1 is exact (Sterbenz).
      const p1 = q1 * n;
      const q = certified(q1, (s3 - p1 - twoProductErr(q1, n, p1) + (l + e1 + e2 + e3)) * inv, aq);
      if (q === q) return q;
    } else if (s3 === 0 && l === 0 && cache[2] === 0 && e1 === 0 && e2 === 0 && e3 === 0) {
      return 0; // Σ m is exactly 0 (every prediction so far confidently right)
    }
  }
  return sums.ratio(0, 1);
}

// ---------------------------------------------------------------------------------------------------------
// Two-anchor kernels (the bulk fast path)
//
// These add each contribution c (0 <= c < 2^24) as two pieces: q = (c + S) - S, a multiple of 2^-14, and
// r = c - q (exact), |r| <= 2^-15, into two float64 accumulators. The pair is exact when every c is a
// multiple of 2^-53:
// - q is a multiple of 2^-14 and 0 <= q <= 2^24; after K <= 2^14 additions the accumulator is a multiple of
//   2^-14 below 2^38, i.e. an integer count of 2^-14 below 2^52: representable, so no addition rounds;
// - r is a multiple of 2^-53 (c and q are) with |r| <= 2^-15; after K <= 2^14 additions |Σ r| <= 2^-1 and a
//   multiple of 2^-53: again fewer than 2^53 units, so no addition rounds.
// The driver therefore commits the pair into the exact BigInt every PAIR_CHUNK elements (a BigInt per 2^14
// elements costs nothing measurable) and never lets a kernel run longer.
//
// Why every c is a multiple of 2^-53 (unsquared, unweighted), by construction, for ANY double score x:
// c = max(0, m) with m = fl(1 - z), z = ±x (binary: z = y x with y = ±1 exactly once the target passed its
// check; one-vs-all: z = ±p_c).
// - z <= 0: m = fl(1 + |z|) >= 1, and every double >= 1 is a multiple of 2^-52;
// - 0 < z < 1/2: m = fl(1 - z) lies in [1/2, 1], and every double >= 1/2 is a multiple of 2^-53;
// - 1/2 <= z <= 2: 1 - z is exact (Sterbenz) and z, a double in [1/2, 2], is a multiple of 2^-53;
// - z > 2: m < 0, so c = 0 exactly.
// NaN, ±Infinity and |x| >= 2^24 - 1 give c = NaN or c >= 2^24 and fail the one guard `c < 2^24`; those
// elements (and any c in [2^24, 2^32)) are left to the three-anchor kernels and the exact slow path.
// Squared or weighted contributions have no such property: they always take the three-anchor kernels.
// ---------------------------------------------------------------------------------------------------------

/** Largest contribution the two-anchor kernels take. */
const PAIR_LIMIT = 16777216; // 2^24
/** `(c + PAIR_S) - PAIR_S` rounds c (< 2^24) to a multiple of 2^-14. */
const PAIR_S = 412316860416; // 1.5 * 2^38
/** At most this many additions into a pair before it is committed (see above). */
const PAIR_CHUNK = 16384; // 2^14
const PAIR_HI_SHIFT = 1074n - 14n;
const PAIR_LO_SHIFT = 1074n - 53n;

/**
 * Binary, float32 scores and int32 targets, unsquared, unweighted, no ignore index (the common bulk case).
 * Exact by construction (see the proof above); the loop's only guards are `c < 2^24` and the target check
 * `(t + 1) >>> 0 <= 2` (exactly {-1, 0, 1} for an int32). Adds into `acc[0]`, `acc[1]`.
 *
 * @param p - scores
 * @param t - targets
 * @param start - first index
 * @param end - end of the range (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first element not added (`end` when all were)
 * @example
 * ```ts
 * binaryPairF32I32(new Float32Array([0.5]), new Int32Array([1]), 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function binaryPairF32I32(
  p: Float32Array,
  t: Int32Array,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    const m = 1 - (y + Math.abs(y) - 1) * p[i];
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT && (y + 1) >>> 0 <= 2)) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
  return i;
}

/**
 * Binary, float32 scores and any typed targets (target check `t² = |t|`). Otherwise as
 * {@link binaryPairF32I32}.
 *
 * @param p - scores
 * @param t - targets (a typed array of numbers)
 * @param start - first index
 * @param end - end of the range (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first element not added
 * @example
 * ```ts
 * binaryPairF32(new Float32Array([0.5]), new Float64Array([1]), 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function binaryPairF32(
  p: Float32Array,
  t: ArrayLike<number>,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    const m = 1 - (y + Math.abs(y) - 1) * p[i];
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT && y * y === Math.abs(y))) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
  return i;
}

/**
 * Binary, any scores (plain arrays: each element's type is checked), unsquared, unweighted, no ignore index.
 * Exact by the same proof (it holds for any double score); the first element that is not a number, has a
 * bad target or gives `c >= 2^24` ends the loop, and the driver continues with the three-anchor kernel.
 *
 * @param p - scores
 * @param t - targets
 * @param start - first index
 * @param end - end of the range (at most {@link PAIR_CHUNK} after start)
 * @param acc - the pair accumulator
 * @returns the index of the first element not added
 * @example
 * ```ts
 * binaryPairChecked([0.5], [1], 0, 1, new Float64Array(2)); // => 1
 * ```
 */
export function binaryPairChecked(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let i = start;
  for (; i < end; i++) {
    const x = p[i];
    const y = t[i];
    if (typeof x !== "number" || typeof y !== "number") break;
    const m = 1 - (y + Math.abs(y) - 1) * x;
    const c = (m + Math.abs(m)) * 0.5;
    const q = c + PAIR_S - PAIR_S;
    if (!(c < PAIR_LIMIT && y * y === Math.abs(y))) break;
    hi += q;
    lo += c - q;
  }
  acc[0] = hi;
  acc[1] = lo;
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
 * One-vs-all, flat float32 scores, unsquared, unweighted, no ignore index: one pass per row adds each
 * class's `max(0, 1 ± p_c)` as a pair into `acc[2c]`, `acc[2c + 1]`. An element the pair cannot take
 * (`c >= 2^24` or NaN) adds 0 and marks the row bad; the loop then stops at that row and the driver takes the
 * row's other additions back out ({@link oneVsAllPairUndo}: exact, since every partial sum is
 * representable), so a bad row is left whole to the caller. Exact by construction (see the proof above, with
 * z = ±p_c). A single pass, because a second pass through a scratch row costs a third of the speed.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairF32(new Float32Array([2, -2]), new Int32Array([0]), 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairF32(
  p: Float32Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = p[base + c];
      const m = 1 + (c === y ? -v : v);
      let h = (m + Math.abs(m)) * 0.5;
      if (!(h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * One-vs-all, flat float64 scores: the same loop as {@link oneVsAllPairF32}, in its own function.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairF64(new Float64Array([2, -2]), new Int32Array([0]), 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairF64(
  p: Float64Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = p[base + c];
      const m = 1 + (c === y ? -v : v);
      let h = (m + Math.abs(m)) * 0.5;
      if (!(h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * One-vs-all over an array of rows (`number[][]`), each row's kind and length and each score's type checked
 * in the pass; a score that is not a number adds 0 and marks the row bad. Otherwise as
 * {@link oneVsAllPairF32}.
 *
 * @param rows - N rows of C scores
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairRows([[2, -2]], [0], 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairRows(
  rows: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const row = rows[i] as ArrayLike<unknown>;
    const y = t[i];
    if (row === null || typeof row !== "object" || row.length !== C) break;
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = row[c];
      let h = 0;
      if (typeof v === "number") {
        const m = 1 + (c === y ? -v : v);
        h = (m + Math.abs(m)) * 0.5;
      }
      if (!(typeof v === "number" && h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * Takes back out of `acc` what a one-vs-all pair kernel added for the row it stopped at (a row whose target
 * and structure passed but with an element the pair cannot take). It recomputes each element with the
 * kernels' expressions and subtracts the same two pieces; each difference is a partial sum that was
 * representable before, so nothing rounds and `acc` is exactly as before the row.
 *
 * @param row - the row's scores (`p` with `base = i·C`, or the row itself with `base = 0`)
 * @param base - index of the row's first score in `row`
 * @param y - the row's class index
 * @param C - classes
 * @param acc - 2C pair accumulators
 * @example
 * ```ts
 * const acc = new Float64Array(4);
 * oneVsAllPairF32(new Float32Array([2, NaN]), new Int32Array([0]), 2, 0, 1, acc); // => 0
 * oneVsAllPairUndo(new Float32Array([2, NaN]), 0, 0, 2, acc);
 * acc; // => Float64Array [0, 0, 0, 0]
 * ```
 */
export function oneVsAllPairUndo(
  row: ArrayLike<unknown>,
  base: number,
  y: number,
  C: number,
  acc: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const v = row[base + c];
    if (typeof v !== "number") continue;
    const m = 1 + (c === y ? -v : v);
    const h = (m + Math.abs(m)) * 0.5;
    if (!(h < PAIR_LIMIT)) continue;
    const q = h + PAIR_S - PAIR_S;
    acc[2 * c] -= q;
    acc[2 * c + 1] -= h - q;
  }
}

/**
 * Moves pair accumulators into exact BigInt sums and clears them: `big[k] += acc[2k] + acc[2k + 1]`
 * for k < count. `acc[2k] · 2^14` and `acc[2k + 1] · 2^53` are integers below 2^53 (see the bounds above),
 * so the conversions are exact.
 *
 * @param acc - 2·count pair accumulators
 * @param big - the exact sums, scaled by 2^1074
 * @param count - how many pairs
 * @example
 * ```ts
 * const big = [0n];
 * commitPairs(new Float64Array([0.5, 0]), big, 1);
 * big[0] === 1n << 1073n; // => true
 * ```
 */
export function commitPairs(acc: Float64Array, big: bigint[], count: number): void {
  for (let k = 0; k < count; k++) {
    const hi = acc[2 * k];
    const lo = acc[2 * k + 1];
    if (hi !== 0 || lo !== 0) {
      big[k] += (BigInt(hi * 16384) << PAIR_HI_SHIFT) + (BigInt(lo * 9007199254740992) << PAIR_LO_SHIFT);
      acc[2 * k] = 0;
      acc[2 * k + 1] = 0;
    }
  }
}

/** Batches shorter than this use the three-anchor kernels directly (a pair commit costs a BigInt add). */
export const PAIR_MIN_BATCH = 256;

let pairAcc = new Float64Array(2);

function pairChunksF32I32(
  p: Float32Array,
  t: Int32Array,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  const acc = pairAcc;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairF32I32(p, t, i, stop, acc);
    commitPairs(acc, big, 1);
    bins[3] += j - i;
    i = j;
    if (j < stop) break;
  }
  return i;
}

function pairChunksF32(
  p: Float32Array,
  t: ArrayLike<number>,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  const acc = pairAcc;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairF32(p, t, i, stop, acc);
    commitPairs(acc, big, 1);
    bins[3] += j - i;
    i = j;
    if (j < stop) break;
  }
  return i;
}

function pairChunksChecked(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  const acc = pairAcc;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairChecked(p, t, i, stop, acc);
    commitPairs(acc, big, 1);
    bins[3] += j - i;
    i = j;
    if (j < stop) break;
  }
  return i;
}

/**
 * Binary driver for unsquared, unweighted batches without an ignore index: runs the two-anchor kernel that
 * fits the input kind in chunks of {@link PAIR_CHUNK}, commits each chunk into `big[0]`, adds the count to
 * the total's bins, and falls back to the three-anchor kernels from the first element the pair cannot take.
 *
 * @param p - scores
 * @param t - targets
 * @param pTyped - scores are a typed array
 * @param tTyped - targets are a typed array
 * @param start - first index
 * @param end - end of the range
 * @param bins - the state's three-anchor bins (measure at 0..2, total at 3..5)
 * @param big - the state's exact sums
 * @returns the index of the first element not added (invalid or for the exact slow path)
 * @example
 * ```ts
 * binaryPairRun(new Float32Array([0.5]), new Int32Array([1]), true, true, 0, 1, new Float64Array(6), [0n, 0n]); // => 1
 * ```
 */
export function binaryPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  pTyped: boolean,
  tTyped: boolean,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  // One chunk loop per kernel (not one loop dispatching to all three): once a loop that has seen plain
  // arrays is optimised with every kernel inlined into it, the Float32Array kernel ran ~15 % slower.
  let i: number;
  if (p instanceof Float32Array && t instanceof Int32Array) i = pairChunksF32I32(p, t, start, end, bins, big);
  else if (p instanceof Float32Array && tTyped)
    i = pairChunksF32(p, t as ArrayLike<number>, start, end, bins, big);
  else i = pairChunksChecked(p, t, start, end, bins, big);
  if (i < end) {
    // The rest of the range: the three-anchor kernels take any double below 2^32 (and stop at bad input).
    const j =
      pTyped && tTyped
        ? binaryTyped(p as ArrayLike<number>, t as ArrayLike<number>, i, end, false, bins)
        : binaryGeneral(p, t, null, i, end, false, NaN, bins);
    i = j;
  }
  kernelOut[0] = i - start;
  return i;
}

/**
 * Crammer–Singer driver for unsquared, unweighted batches without an ignore index: runs the two-anchor
 * kernel that fits the preds kind (flat float32, flat float64, rows) in chunks of {@link PAIR_CHUNK},
 * commits each chunk into `big[0]` and adds the row count to the total's bins (`bins[3]`).
 *
 * @param p - flat N·C scores (`rows` false) or N rows
 * @param t - class indices
 * @param C - classes
 * @param rows - `p` is an array of rows
 * @param start - first row
 * @param end - end of the rows
 * @param bins - the state's three-anchor bins
 * @param big - the state's exact sums
 * @returns the first row not added (the caller continues there with the three-anchor kernel)
 * @example
 * ```ts
 * crammerSingerPairRun(new Float32Array([0.5, 0]), new Int32Array([0]), 2, false, 0, 1, new Float64Array(6), [0n, 0n]); // => 1
 * ```
 */
export function crammerSingerPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  const acc = pairAcc;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    let j: number;
    if (rows) j = crammerSingerPairRows(p, t, C, i, stop, acc);
    else if (p instanceof Float32Array) j = crammerSingerPairF32(p, t, C, i, stop, acc);
    else if (p instanceof Float64Array) j = crammerSingerPairF64(p, t, C, i, stop, acc);
    else j = i;
    commitPairs(acc, big, 1);
    bins[3] += j - i;
    i = j;
    if (j < stop) break;
  }
  kernelOut[0] = i - start;
  return i;
}

/**
 * One-vs-all driver for unsquared, unweighted batches without an ignore index: runs the two-anchor row
 * kernel that fits the preds kind (flat float32, flat float64, rows) in chunks, takes a stopped row's
 * additions back out, commits C pairs into `big[0..C)` and the row count into the total's bins (`bins[3C]`).
 *
 * @param p - flat N·C scores (`rows` false) or N rows
 * @param t - class indices
 * @param C - classes
 * @param rows - `p` is an array of rows
 * @param start - first row
 * @param end - end of the rows
 * @param bins - the state's three-anchor bins
 * @param big - the state's exact sums
 * @returns the first row not added (the caller continues there with the three-anchor kernel)
 * @example
 * ```ts
 * oneVsAllPairRun(new Float32Array([2, -2]), new Int32Array([0]), 2, false, 0, 1, new Float64Array(9), [0n, 0n, 0n]); // => 1
 * ```
 */
export function oneVsAllPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  start: number,
  end: number,
  bins: Float64Array,
  big: bigint[],
): number {
  if (pairAcc.length < 2 * C) pairAcc = new Float64Array(2 * C);
  const acc = pairAcc;
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    let j: number;
    if (rows) j = oneVsAllPairRows(p, t, C, i, stop, acc);
    else if (p instanceof Float32Array) j = oneVsAllPairF32(p, t, C, i, stop, acc);
    else if (p instanceof Float64Array) j = oneVsAllPairF64(p, t, C, i, stop, acc);
    else j = i;
    if (j < stop) undoStoppedRow(p, t, C, rows, j, acc);
    commitPairs(acc, big, C);
    bins[3 * C] += j - i;
    i = j;
    if (j < stop) break;
  }
  kernelOut[0] = i - start;
  return i;
}

/** If the one-vs-all kernel stopped inside row i (its target and structure passed), undoes that row. */
function undoStoppedRow(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  i: number,
  acc: Float64Array,
): void {
  const y = t[i];
  if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) return;
  if (!rows) {
    oneVsAllPairUndo(p, i * C, y, C, acc);
    return;
  }
  const row = p[i] as ArrayLike<unknown>;
  if (row === null || typeof row !== "object" || row.length !== C) return;
  oneVsAllPairUndo(row, 0, y, C, acc);
}
