/**
 * The hot loops of the single-output squared error (the bench's `MeanSquaredError` row). Each runs over
 * `[start, end)` with only locals and typed arrays (no call, no allocation), adds each `(p - t)²` to three
 * local fixed-anchor bins (the exact accumulator's split, `state/exactSum.ts`: multiples of 2^-4, 2^-40 and
 * 2^-76 below 2^32), and validates in the same pass: the first element that is not finite *or* needs the
 * exact slow path (a square ≥ 2^32, or with bits below 2^-76) ends the loop and its index is returned; the
 * driver handles it outside the loop and resumes after it. Float32 and float64 inputs get their own copy of
 * the loop so each stays monomorphic.
 *
 * At most {@link CHUNK} additions go into the bins before the driver commits them into the metric's exact
 * sum (each bin is then an exact double: fewer than 2^16 terms of at most 53 bits on a fixed grid).
 *
 * @module
 */
import { FAST_LIMIT, FLUSH_EVERY, S1, S2, S3 } from "../../state/exactSum.js";
import type { ExactSum } from "../../state/index.js";

/**
 * Additions into the local bins before they are committed.
 *
 * @example
 * ```ts
 * CHUNK; // => 65536
 * ```
 */
export const CHUNK = FLUSH_EVERY;

// Float32 inputs take a cheaper two-anchor loop: a square x < 2^15 is split into q = x rounded to a multiple
// of 2^-21 (`(x + PAIR_S) - PAIR_S`) and lo = x - q (exact, |lo| ≤ 2^-22); the loop takes x only when lo is a
// multiple of 2^-59 (`(lo + LO_S) - LO_S === lo`). Over at most 2^16 additions, Σq stays a multiple of 2^-21
// below 2^31 (at most 2^52 units) and Σlo a multiple of 2^-59 below 2^-6 (at most 2^53 units): both exact.
// Squares of float32 differences have their lowest bit at (ulp of the difference)², so this takes every
// element whose inputs are not tiny (|p|, |t| ≳ 2^-6 for inputs of order 1); the rest, and squares ≥ 2^15,
// take the exact three-anchor path one by one.
const PAIR_LIMIT = 32768; // 2^15
const PAIR_S = 3221225472; // 1.5 * 2^31 -> multiples of 2^-21
const LO_S = 0.01171875; // 1.5 * 2^-7 -> multiples of 2^-59

/**
 * Σ (p - t)² over float32 arrays into `acc[0..1]`, the two-anchor loop (see above), two elements per step;
 * a pair with an element it cannot take exactly ends it (and the last element of an odd range is left).
 *
 * @param p - predictions
 * @param t - targets
 * @param start - first index
 * @param end - end of the range (at most {@link CHUNK} additions per commit)
 * @param acc - the two bins
 * @returns the index of the first element not added (`end` when all were)
 * @example
 * ```ts
 * const acc = new Float64Array(2);
 * squaresPairF32(new Float32Array([3, 2]), new Float32Array([1, 1]), 0, 2, acc);
 * acc[0]; // => 5
 * ```
 */
export function squaresPairF32(
  p: Float32Array,
  t: Float32Array,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let hi = acc[0];
  let lo = acc[1];
  let hi2 = 0;
  let lo2 = 0;
  let i = start;
  // two elements per step, in two pairs of bins (more independent additions in flight)
  for (; i + 1 < end; i += 2) {
    const d = p[i] - t[i];
    const x = d * d;
    const q = x + PAIR_S - PAIR_S;
    const r = x - q;
    const d2 = p[i + 1] - t[i + 1];
    const x2 = d2 * d2;
    const q2 = x2 + PAIR_S - PAIR_S;
    const r2 = x2 - q2;
    if (!(x < PAIR_LIMIT && x2 < PAIR_LIMIT) || r + LO_S - LO_S !== r || r2 + LO_S - LO_S !== r2) break;
    hi += q;
    lo += r;
    hi2 += q2;
    lo2 += r2;
  }
  // the two pairs together still hold at most CHUNK terms: their sums are exact
  acc[0] = hi + hi2;
  acc[1] = lo + lo2;
  return i;
}

/**
 * Σ (p - t)² over float32 arrays into `acc[0..2]`.
 *
 * @param p - predictions
 * @param t - targets
 * @param start - first index
 * @param end - end of the range
 * @param acc - the three bins
 * @returns the index of the first element not added (`end` when all were)
 * @example
 * ```ts
 * const acc = new Float64Array(3);
 * squaresF32(new Float32Array([3]), new Float32Array([1]), 0, 1, acc);
 * acc[0]; // => 4
 * ```
 */
export function squaresF32(
  p: Float32Array,
  t: Float32Array,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let b1 = acc[0];
  let b2 = acc[1];
  let b3 = acc[2];
  let i = start;
  for (; i < end; i++) {
    const d = p[i] - t[i];
    const x = d * d;
    const q1 = x + S1 - S1;
    const r1 = x - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    if (!(x < FAST_LIMIT) || r2 !== q3) break;
    b1 += q1;
    b2 += q2;
    b3 += q3;
  }
  acc[0] = b1;
  acc[1] = b2;
  acc[2] = b3;
  return i;
}

/**
 * Σ (p - t)² over float64 arrays into `acc[0..2]` (as {@link squaresF32}).
 *
 * @param p - predictions
 * @param t - targets
 * @param start - first index
 * @param end - end of the range
 * @param acc - the three bins
 * @returns the index of the first element not added
 * @example
 * ```ts
 * const acc = new Float64Array(3);
 * squaresF64(new Float64Array([3]), new Float64Array([1]), 0, 1, acc);
 * acc[0]; // => 4
 * ```
 */
export function squaresF64(
  p: Float64Array,
  t: Float64Array,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let b1 = acc[0];
  let b2 = acc[1];
  let b3 = acc[2];
  let i = start;
  for (; i < end; i++) {
    const d = p[i] - t[i];
    const x = d * d;
    const q1 = x + S1 - S1;
    const r1 = x - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    if (!(x < FAST_LIMIT) || r2 !== q3) break;
    b1 += q1;
    b2 += q2;
    b3 += q3;
  }
  acc[0] = b1;
  acc[1] = b2;
  acc[2] = b3;
  return i;
}

/**
 * Σ (p - t)² over any arrays of numbers into `acc[0..2]` (as {@link squaresF32}).
 *
 * @param p - predictions
 * @param t - targets
 * @param start - first index
 * @param end - end of the range
 * @param acc - the three bins
 * @returns the index of the first element not added
 * @example
 * ```ts
 * const acc = new Float64Array(3);
 * squaresAny([3], [1], 0, 1, acc);
 * acc[0]; // => 4
 * ```
 */
export function squaresAny(
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let b1 = acc[0];
  let b2 = acc[1];
  let b3 = acc[2];
  let i = start;
  for (; i < end; i++) {
    const d = p[i] - t[i];
    const x = d * d;
    const q1 = x + S1 - S1;
    const r1 = x - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    if (!(x < FAST_LIMIT) || r2 !== q3) break;
    b1 += q1;
    b2 += q2;
    b3 += q3;
  }
  acc[0] = b1;
  acc[1] = b2;
  acc[2] = b3;
  return i;
}

/**
 * Adds Σ (p - t)² over all elements into `sum`, exactly, through the hot loops. An element the loops leave
 * (a non-finite input, an overflowing square, or a square off the bins' grid) goes to `slow`, which throws
 * for a bad one or adds it exactly.
 *
 * @param sum - the exact sum
 * @param p - predictions
 * @param t - targets
 * @param size - elements
 * @param slow - handles element i (throws, or adds its square exactly)
 * @example
 * ```ts
 * const s = exactSum().empty();
 * addSquares(s, [1, 3], [0, 0], 2, () => {});
 * s.value(); // => 10
 * ```
 */
export function addSquares(
  sum: ExactSum,
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  size: number,
  slow: (i: number) => void,
): void {
  const acc = new Float64Array(3);
  const pair = new Float64Array(2);
  const f32 = p instanceof Float32Array && t instanceof Float32Array;
  const f64 = p instanceof Float64Array && t instanceof Float64Array;
  for (let chunk = 0; chunk < size; chunk += CHUNK) {
    const end = Math.min(size, chunk + CHUNK);
    let i = chunk;
    while (i < end) {
      if (f32) {
        i = squaresPairF32(p as Float32Array, t as Float32Array, i, end, pair);
        if (i >= end) break;
        // off the pair's grid: the three-anchor loop for this one element, else the exact slow path
        if (squaresF32(p as Float32Array, t as Float32Array, i, i + 1, acc) === i) slow(i);
        i++;
        continue;
      }
      i = f64 ? squaresF64(p as Float64Array, t as Float64Array, i, end, acc) : squaresAny(p, t, i, end, acc);
      if (i < end) slow(i++);
    }
    // commit the bins: each is an exact double, added exactly
    for (const bins of [acc, pair]) {
      for (let b = 0; b < bins.length; b++) {
        if (bins[b] !== 0) sum.add(bins[b]);
        bins[b] = 0;
      }
    }
  }
}
