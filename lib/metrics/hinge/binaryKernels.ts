/**
 * Binary hinge-loss kernels (three-anchor and two-anchor). Each hot loop:
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
 * Bins are the measure's (`mb`, 3 per sum) and the total's (`tb`, Σ w), from `ExactSum.bins`.
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
const PAIR_LIMIT2 = 33554432; // 2^25: d = 2c < 2^25 exactly when c < 2^24
const PAIR_S2 = 824633720832; // 2 * PAIR_S = 1.5 * 2^39

/**
 * Binary, unweighted, no ignore index, typed arrays. `m = max(0, 1 - y p)` with `y = +1` for target 1 and
 * `-1` for targets 0 and -1, computed branch-free as `y = t + |t| - 1`; the target check `t² = |t|`
 * accepts exactly {-1, 0, 1} (not `t (t² - 1) = 0`: for int32 targets 0 · -1 gives -0, which V8's int32
 * multiplication treats as an overflow and de-optimises the loop on). Adds measures to the measure bins `mb` and the count to the total bins `tb`.
 *
 * @example
 * ```ts
 * binaryTyped(new Float32Array([0.5]), new Int32Array([1]), 0, 1, false, new Float64Array(3), new Float64Array(3), new KernelScratch()); // => 1
 * ```
 */
export function binaryTyped(
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  start: number,
  end: number,
  squared: boolean,
  mb: Float64Array,
  tb: Float64Array,
  out: KernelScratch,
): number {
  let b1 = mb[0];
  let b2 = mb[1];
  let b3 = mb[2];
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
  mb[0] = b1;
  mb[1] = b2;
  mb[2] = b3;
  tb[0] += i - start;
  out.counted = i - start;
  return i;
}

/**
 * Binary, general: plain arrays (every element's type is checked), optional weights, optional ignore index.
 * Weighted contribution `w · m` (rounded once), total `Σ w`; ignored samples are skipped and not counted.
 *
 * @example
 * ```ts
 * binaryGeneral([0.5], [1], null, 0, 1, false, NaN, new Float64Array(3), new Float64Array(3), new KernelScratch()); // => 1
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
  // Twice the pair (exact: acc[0]·2^14 and acc[1]·2^53 are integers below 2^52 here), so the loop adds
  // d = m + |m| = 2c against the anchor 2·PAIR_S (multiples of 2^-13 and 2^-52, sums below 2^39 and 1) and
  // halves once at the end; the sign (u & 2) - 1 with u = t + 1 is +1 for t = 1 and -1 for t ∈ {0, -1}.
  let hi = acc[0] * 2;
  let lo = acc[1] * 2;
  let i = start;
  for (; i < end; i++) {
    const u = t[i] + 1;
    const m = 1 - ((u & 2) - 1) * p[i];
    const d = m + Math.abs(m);
    const q = d + PAIR_S2 - PAIR_S2;
    if (!(d < PAIR_LIMIT2 && u >>> 0 <= 2)) break;
    hi += q;
    lo += d - q;
  }
  acc[0] = hi * 0.5;
  acc[1] = lo * 0.5;
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

function pairChunksF32I32(
  p: Float32Array,
  t: Int32Array,
  start: number,
  end: number,
  tb: Float64Array,
  measure: ExactSum,
  acc: Float64Array,
): number {
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairF32I32(p, t, i, stop, acc);
    measure.commitPairs(acc, 1);
    tb[0] += j - i;
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
  tb: Float64Array,
  measure: ExactSum,
  acc: Float64Array,
): number {
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairF32(p, t, i, stop, acc);
    measure.commitPairs(acc, 1);
    tb[0] += j - i;
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
  tb: Float64Array,
  measure: ExactSum,
  acc: Float64Array,
): number {
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    const j = binaryPairChecked(p, t, i, stop, acc);
    measure.commitPairs(acc, 1);
    tb[0] += j - i;
    i = j;
    if (j < stop) break;
  }
  return i;
}

/**
 * Binary driver for unsquared, unweighted batches without an ignore index: runs the two-anchor kernel that
 * fits the input kind in chunks of {@link PAIR_CHUNK}, commits each chunk into the measure, adds the count to
 * the total's bins, and falls back to the three-anchor kernels from the first element the pair cannot take.
 *
 * @param p - scores
 * @param t - targets
 * @param pTyped - scores are a typed array
 * @param tTyped - targets are a typed array
 * @param start - first index
 * @param end - end of the range
 * @param mb - the measure's three-anchor bins
 * @param tb - the total's three-anchor bins
 * @param measure - the measure sum (pair chunks commit into it)
 * @returns the index of the first element not added (invalid or for the exact slow path)
 * @example
 * ```ts
 * const m = exactSum(0).empty(), t = exactSum().empty();
 * m.resize(1);
 * binaryPairRun(new Float32Array([0.5]), new Int32Array([1]), true, true, 0, 1, m.bins, t.bins, m, new KernelScratch()); // => 1
 * ```
 */
export function binaryPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  pTyped: boolean,
  tTyped: boolean,
  start: number,
  end: number,
  mb: Float64Array,
  tb: Float64Array,
  measure: ExactSum,
  out: KernelScratch,
): number {
  // One chunk loop per kernel (not one loop dispatching to all three): once a loop that has seen plain
  // arrays is optimised with every kernel inlined into it, the Float32Array kernel ran ~15 % slower.
  let i: number;
  if (p instanceof Float32Array && t instanceof Int32Array)
    i = pairChunksF32I32(p, t, start, end, tb, measure, out.pairAcc(1));
  else if (p instanceof Float32Array && tTyped)
    i = pairChunksF32(p, t as ArrayLike<number>, start, end, tb, measure, out.pairAcc(1));
  else i = pairChunksChecked(p, t, start, end, tb, measure, out.pairAcc(1));
  if (i < end) {
    // The rest of the range: the three-anchor kernels take any double below 2^32 (and stop at bad input).
    const j =
      pTyped && tTyped
        ? binaryTyped(p as ArrayLike<number>, t as ArrayLike<number>, i, end, false, mb, tb, out)
        : binaryGeneral(p, t, null, i, end, false, NaN, mb, tb, out);
    i = j;
  }
  out.counted = i - start;
  return i;
}
