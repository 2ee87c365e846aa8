/**
 * The stream accumulator of `HingeLoss.update`: where unsquared binary samples of the streaming forms (two
 * numbers, one-element arrays, typed or plain batches of 2 to 255) go, before the state's fields see them.
 *
 * One `Float64Array` per metric, `[hi, lo, n, 0, room, prefix…]`: an exact two-anchor pair (`hi`, `lo`: Σ c
 * over the samples, the proof in pairs.ts), their count `n` (both the total and the samples), a 0 (so that
 * `[n, 0]` reads as the total's pair), `room`, the samples it may hold before a fold (0 while it is disarmed),
 * and from {@link STREAM_PREFIX} on, while it is armed, the fields' count prefix (`ExactSum.countPrefixWith`):
 * what the running value divides with, taken again by the metric whenever the fields change while it is armed
 * (an arming, a fold that leaves it armed).
 * Every sample goes in only once it passed every check (label in {-1, 0, 1}, c below 2^24, NaN excluded),
 * so an update that declines has changed nothing and needs no snapshot. Each contribution adds at most 2^24
 * to `hi` and 2^-15 to `|lo|`; with `room` = {@link STREAM_ROOM} (2^14 less a batch) no more than 2^14
 * samples are ever held, so the pair stays exact (pairs.ts: below 2^38 and 2^-1, multiples of 2^-14 and
 * 2^-53) and {@link foldStream} adds it into the fields as one exact pair (`ExactSum.addPair`).
 *
 * The metric arms it (`room` = STREAM_ROOM) only after an update has seen a binary task on a streamable
 * metric, and the base's `syncState` hook (called by every method that reads, copies, snapshots, restores,
 * resets or merges the state) folds it and disarms it: whatever changes the task or the fields therefore
 * finds it empty, and it holds samples only between two of the metric's own updates.
 *
 * The hot path reads nothing but this one array: no state field, no task, no options. That, and a batch
 * kernel per form too large for V8 to inline ({@link streamTyped}, {@link streamPlain}: each optimised on
 * its own, so one form's type feedback and inlining budget never crowd out another's), is what keeps a
 * one-sample update within ~1.5× a naive class's.
 *
 * @module
 */
import { COUNT_PREFIX_SIZE } from "../../state/quotient.js";
import type { HingeState } from "./functional.js";

/** Length of a stream accumulator's own part, `[hi, lo, n, 0, room]` (what a scratch accumulator needs). */
export const STREAM_SIZE = 5;
/** Where the fields' count prefix starts in a metric's accumulator (`COUNT_PREFIX_SIZE` slots). */
export const STREAM_PREFIX = STREAM_SIZE;
/** The samples an armed accumulator may hold before a fold: 2^14 less the largest streaming batch (255). */
export const STREAM_ROOM = 16129;

/**
 * A new, disarmed stream accumulator, with room for the prefix.
 *
 * @returns `[0, 0, 0, 0, 0]` and the prefix's slots, zero
 * @example
 * ```ts
 * Array.from(newStream().subarray(0, STREAM_SIZE)); // => [0, 0, 0, 0, 0]
 * newStream().length; // => 12
 * ```
 */
export function newStream(): Float64Array {
  return new Float64Array(STREAM_SIZE + COUNT_PREFIX_SIZE);
}

/**
 * One unsquared binary sample, score `x` and target `y`, into an armed accumulator: true when added; false,
 * with nothing changed, when `y` is not in {-1, 0, 1}, `max(0, 1 - y x)` is not below 2^24 (or NaN), or the
 * accumulator is full or disarmed. Kept small: V8 inlines it, with `update`, into the caller's loop.
 *
 * @param s - the accumulator
 * @param x - the score
 * @param y - the target
 * @returns whether the sample was added
 * @example
 * ```ts
 * const s = newStream();
 * streamOne(s, 0.5, 1); // => false
 * s[4] = STREAM_ROOM;
 * streamOne(s, 0.5, 1); // => true
 * streamOne(s, 0.5, 2); // => false
 * [s[0] + s[1], s[2]]; // => [0.5, 1]
 * ```
 */
export function streamOne(s: Float64Array, x: number, y: number): boolean {
  // Literals, not module consts (each use of a module const is a context load and a hole check)
  const ay = Math.abs(y);
  const m = 1 - (y + ay - 1) * x;
  const c = (m + Math.abs(m)) * 0.5;
  const q = c + 412316860416 - 412316860416; // PAIR_S: a multiple of 2^-14
  if (!(c < 16777216 && y * y === ay && s[2] < s[4])) return false; // PAIR_LIMIT; NaN fails
  s[0] += q;
  s[1] += c - q;
  s[2] += 1;
  return true;
}

// The batch kernels add twice each contribution, d = 2c = m + |m|, against twice the anchor, and halve the
// pair once (scaling by 2 is exact), in two interleaved pairs (a sum of exact values is the same in any order).
// The label check in integers: y|0 is y exactly when y is an integer in int32 range (NaN, fractions, -0's
// sign aside: -0 counts as 0, as everywhere), and (y + 1) >>> 0 <= 2 keeps -1, 0 and 1; the sign 2·⌊(y+1)/2⌋ - 1
// maps 1 to 1 and 0, -1 to -1. The accumulator must hold n more (its `room` gives at most 2^14 in all).
// Each kernel is deliberately one function above V8's size limit for inlining (460 bytes of bytecode): it is
// called, never inlined, and keeps its own type feedback.

/**
 * A small batch (2 to 255 samples) in numeric typed arrays (any kinds) into an armed accumulator: true when
 * every sample passed and the batch was added; false, with nothing changed, for anything else (another
 * length, a BigInt array, a bad label, a contribution for the exact path, a full or disarmed accumulator).
 *
 * @param s - the accumulator
 * @param p - scores
 * @param t - targets
 * @returns whether the batch was added
 * @example
 * ```ts
 * const s = newStream();
 * s[4] = STREAM_ROOM;
 * streamTyped(s, new Float32Array([0.5, 2]), new Int32Array([1, 0])); // => true
 * streamTyped(s, new Float32Array([0.5, 2]), new Int32Array([1, 2])); // => false
 * [s[0] + s[1], s[2]]; // => [3.5, 2]
 * ```
 */
export function streamTyped(s: Float64Array, p: ArrayLike<number>, t: ArrayLike<number>): boolean {
  const n = p.length;
  if (
    t.length !== n ||
    !(n > 1 && n < 256) ||
    typeof (p[0] as unknown) !== "number" || // (a BigInt array)
    typeof (t[0] as unknown) !== "number"
  ) {
    return false;
  }
  let hi = 0;
  let lo = 0;
  let hj = 0;
  let lj = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const x0 = p[i];
    const y0 = t[i];
    const x1 = p[i + 1];
    const y1 = t[i + 1];
    const i0 = y0 | 0;
    const i1 = y1 | 0;
    const m0 = 1 - ((((i0 + 1) >> 1) << 1) - 1) * x0;
    const m1 = 1 - ((((i1 + 1) >> 1) << 1) - 1) * x1;
    const d0 = m0 + Math.abs(m0);
    const d1 = m1 + Math.abs(m1);
    const q0 = d0 + 824633720832 - 824633720832; // 2 · PAIR_S
    const q1 = d1 + 824633720832 - 824633720832;
    if (
      !(d0 < 33554432 && d1 < 33554432) || // 2 · PAIR_LIMIT
      (i0 + 1) >>> 0 > 2 ||
      (i1 + 1) >>> 0 > 2 ||
      i0 !== y0 ||
      i1 !== y1
    ) {
      return false;
    }
    hi += q0;
    lo += d0 - q0;
    hj += q1;
    lj += d1 - q1;
  }
  if (i < n) {
    const x = p[i];
    const y = t[i];
    const yi = y | 0;
    const m = 1 - ((((yi + 1) >> 1) << 1) - 1) * x;
    const d = m + Math.abs(m);
    const q = d + 824633720832 - 824633720832;
    if (!(d < 33554432) || (yi + 1) >>> 0 > 2 || yi !== y) return false;
    hi += q;
    lo += d - q;
  }
  if (!(s[2] < s[4])) return false; // (checked last: a getter may have re-entered and added)
  s[0] += (hi + hj) * 0.5;
  s[1] += (lo + lj) * 0.5;
  s[2] += n;
  return true;
}

/**
 * {@link streamTyped} over plain arrays: an element that is not a number (a hole, a string, a row) declines
 * the batch too, and so does a read that throws (a getter, a Proxy trap: nothing has been written; the
 * general update reads the batch again and names the argument). Its own copy, with its own type feedback.
 *
 * @param s - the accumulator
 * @param p - scores
 * @param t - targets
 * @returns whether the batch was added
 * @example
 * ```ts
 * const s = newStream();
 * s[4] = STREAM_ROOM;
 * streamPlain(s, [0.5, 2], [1, 0]); // => true
 * streamPlain(s, [0.5, "2"], [1, 0]); // => false
 * [s[0] + s[1], s[2]]; // => [3.5, 2]
 * ```
 */
export function streamPlain(s: Float64Array, p: readonly unknown[], t: readonly unknown[]): boolean {
  try {
    const n = p.length;
    if (t.length !== n || !(n > 1 && n < 256)) return false;
    let hi = 0;
    let lo = 0;
    let hj = 0;
    let lj = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const x0 = p[i];
      const y0 = t[i];
      const x1 = p[i + 1];
      const y1 = t[i + 1];
      if (
        typeof x0 !== "number" ||
        typeof y0 !== "number" ||
        typeof x1 !== "number" ||
        typeof y1 !== "number"
      ) {
        return false;
      }
      const i0 = y0 | 0;
      const i1 = y1 | 0;
      const m0 = 1 - ((((i0 + 1) >> 1) << 1) - 1) * x0;
      const m1 = 1 - ((((i1 + 1) >> 1) << 1) - 1) * x1;
      const d0 = m0 + Math.abs(m0);
      const d1 = m1 + Math.abs(m1);
      const q0 = d0 + 824633720832 - 824633720832;
      const q1 = d1 + 824633720832 - 824633720832;
      if (
        !(d0 < 33554432 && d1 < 33554432) ||
        (i0 + 1) >>> 0 > 2 ||
        (i1 + 1) >>> 0 > 2 ||
        i0 !== y0 ||
        i1 !== y1
      ) {
        return false;
      }
      hi += q0;
      lo += d0 - q0;
      hj += q1;
      lj += d1 - q1;
    }
    if (i < n) {
      const x = p[i];
      const y = t[i];
      if (typeof x !== "number" || typeof y !== "number") return false;
      const yi = y | 0;
      const m = 1 - ((((yi + 1) >> 1) << 1) - 1) * x;
      const d = m + Math.abs(m);
      const q = d + 824633720832 - 824633720832;
      if (!(d < 33554432) || (yi + 1) >>> 0 > 2 || yi !== y) return false;
      hi += q;
      lo += d - q;
    }
    if (!(s[2] < s[4])) return false; // (checked last: a getter may have re-entered and added)
    s[0] += (hi + hj) * 0.5;
    s[1] += (lo + lj) * 0.5;
    s[2] += n;
    return true;
  } catch {
    return false;
  }
}

/**
 * Moves what an accumulator holds into a binary state's fields (the pair into the measure, `n` into the total
 * and the samples) and empties it; `room` is left as it is.
 *
 * @param s - the accumulator
 * @param state - the metric's state (binary, as it was when the accumulator was armed)
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * const s = newStream();
 * s[4] = STREAM_ROOM;
 * streamOne(s, 0.5, 1);
 * foldStream(s, state);
 * [state.measure.value(), state.total.value(), state.samples.value(), s[2]]; // => [0.5, 2, 2, 0]
 * ```
 */
export function foldStream(s: Float64Array, state: HingeState): void {
  const n = s[2];
  if (n === 0) return;
  state.measure.addPair(s[0], s[1]);
  state.total.addPair(n, 0);
  state.samples.counts[0] += n;
  s[0] = 0;
  s[1] = 0;
  s[2] = 0;
}
