/**
 * The small-batch streaming path of `HingeLoss.update`: a batch of 2 to 255 samples in typed or plain
 * arrays, on a binary state, unweighted, without an ignore index (one sample is `addOne`'s, in
 * singleSample.ts). Every sample is read and checked before anything is written, so the metric needs no
 * snapshot for an undo: on any doubt (another form, a bad or awkward sample, a read that throws) nothing has
 * changed and the general update takes the batch (and names the error).
 *
 * Unsquared batches add into a scratch stream accumulator (stream.ts's kernels: a two-anchor pair, exact by
 * the proof in pairs.ts), which then goes into the sums' pending pairs (`ExactSum.pendingPair`, the same
 * contract: up to 2^14 such values in all, however grouped); the sums settle them into their bins (one split,
 * see `ExactSum.settle`) when anything reads them. The sums hold the same exact values as after the general
 * kernels, so every result is bit-identical. Squared typed batches take the three-anchor kernel into the bins.
 *
 * @module
 */
import type { HingeState } from "./functional.js";
import { binaryTyped } from "./binaryKernels.js";
import type { KernelScratch } from "./pairs.js";
import { STREAM_ROOM, STREAM_SIZE, streamPlain, streamTyped } from "./stream.js";

// Module-local copies of the constants (V8 folds these; see binaryKernels.ts).
const SMALL_END_ = 256; // pairs.ts PAIR_MIN_BATCH: the end of the small batches
const HI_ROOM_ = 133143986176; // 2^37 - 2^32 (state/exactSumField.ts PENDING_HI, less 256 · 2^24)
const LO_ROOM_ = 0.4921875; // 2^-1 - 2^-7 (PENDING_LO, less 256 · 2^-15)
const COUNT_ROOM_ = 137438953216; // 2^37 - 2^8

/** A squared small typed batch: the three-anchor kernel, its four bin writes undone if it stops early. */
function addSquaredTyped(
  state: HingeState,
  preds: ArrayLike<number>,
  target: ArrayLike<number>,
  n: number,
  out: KernelScratch,
): boolean {
  const { measure, total } = state;
  if (n > measure.reserve() || n > total.reserve()) return false;
  const mb = measure.bins;
  const tb = total.bins;
  const m0 = mb[0];
  const m1 = mb[1];
  const m2 = mb[2];
  const t0 = tb[0];
  if (binaryTyped(preds, target, 0, n, true, mb, tb, out) !== n) {
    mb[0] = m0;
    mb[1] = m1;
    mb[2] = m2;
    tb[0] = t0;
    return false;
  }
  measure.commit(n);
  total.commit(n);
  state.samples.counts[0] += n;
  return true;
}

/**
 * An unsquared small batch (2 to 255 samples) in numeric typed arrays (any kinds) into the pending pairs of
 * a binary state, counted: true when added; false, with nothing changed, for anything else (another length,
 * a BigInt array, a task that is not binary, a sample the pair kernel declines).
 *
 * @param state - a hinge state
 * @param p - the batch's scores
 * @param t - the batch's targets
 * @param acc - scratch (5 doubles: a stream accumulator's size)
 * @returns whether the batch was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * const acc = new Float64Array(5);
 * pendSmallTyped(state, new Float32Array([0.5, 2]), new Int32Array([1, 0]), acc); // => true
 * pendSmallTyped(state, new Float32Array([0.5, 2]), new Int32Array([1, 2]), acc); // => false
 * state.total.value(); // => 3
 * ```
 */
export function pendSmallTyped(
  state: HingeState,
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  acc: Float64Array,
): boolean {
  if (state.task.value !== "binary" || !streamTyped(armScratch(acc), p, t)) return false;
  pendPair(state, acc[2], acc);
  return true;
}

/** `acc` as an empty, armed stream accumulator (a scratch of at least `STREAM_SIZE` doubles). */
function armScratch(acc: Float64Array): Float64Array {
  acc.fill(0, 0, STREAM_SIZE);
  acc[4] = STREAM_ROOM;
  return acc;
}

/**
 * The size n of a small typed batch, 0 when it is not one: one length n in [2, 256) (an empty batch takes
 * the general path, which also tells a detached buffer from an empty one; a DataView has no length), and
 * numeric elements (element 0 tells a BigInt array, whose elements the arithmetic cannot take, from a
 * numeric one, without an instanceof chain).
 */
function typedSize(p: ArrayLike<number>, t: ArrayLike<number>): number {
  const n = p.length;
  const ok =
    t.length === n &&
    n > 1 &&
    n < SMALL_END_ &&
    typeof (p[0] as unknown) === "number" &&
    typeof (t[0] as unknown) === "number";
  return ok ? n : 0;
}

/**
 * {@link pendSmallTyped} over plain arrays. A read that throws (a getter, a Proxy trap) declines the batch
 * with nothing written, so that the general update reads it again and names the argument.
 *
 * @param state - a hinge state
 * @param p - the batch's scores
 * @param t - the batch's targets
 * @param acc - scratch (5 doubles: a stream accumulator's size)
 * @returns whether the batch was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * pendSmallPlain(state, [0.5, 2], [1, 0], new Float64Array(5)); // => true
 * pendSmallPlain(state, [0.5, "2"], [1, 0], new Float64Array(5)); // => false
 * state.total.value(); // => 3
 * ```
 */
export function pendSmallPlain(
  state: HingeState,
  p: readonly unknown[],
  t: readonly unknown[],
  acc: Float64Array,
): boolean {
  if (state.task.value !== "binary" || !streamPlain(armScratch(acc), p, t)) return false;
  pendPair(state, acc[2], acc);
  return true;
}

/**
 * A checked batch's pair `acc` (n samples) into the pending pairs of the measure (the pair) and the total (n),
 * and n into the samples: both pending pairs are settled first (their sums' `reserve` settles them) when
 * either might not take 255 more values (the bounds `PENDING_HI` / `PENDING_LO` of state/exactSumField.ts
 * less what a batch below 256 can add: the pair's `hi` grows by acc[0] < 2^32 in all, `lo` by at most
 * n · 2^-15 < 2^-7 in magnitude, the count by n < 2^8).
 */
function pendPair(state: HingeState, n: number, acc: Float64Array): void {
  const { measure, total } = state;
  const pm = measure.pendingPair;
  const pt = total.pendingPair;
  const hi = acc[0];
  // Bounds for any batch below 256 (hi grows by under 2^32, lo by under 2^-7, the count by under 2^8): tighter
  // than the contract needs, constant, one test (a settle a little early changes nothing but when).
  const lo = pm[1];
  if (!(pm[0] < HI_ROOM_ && lo < LO_ROOM_ && lo > -LO_ROOM_ && pt[0] < COUNT_ROOM_)) {
    measure.reserve();
    total.reserve();
  }
  pm[0] += hi;
  pm[1] += acc[1];
  pt[0] += n;
  state.samples.counts[0] += n;
}

/**
 * Adds a small batch (2 to 255 samples) to a binary state without a snapshot, in numeric typed arrays (any
 * kinds, e.g. Float32Array scores and Int32Array targets) or plain arrays (unsquared), through
 * {@link pendSmallTyped} / {@link pendSmallPlain} unsquared. Returns true when the batch was added and counted; false (also before the task is fixed, or for a
 * multiclass state), with the state as it was (at most a due flush of the bins, which changes how the sums
 * are held, never their values), for anything else: the caller then runs the general update, which also
 * builds the error message. Reading a plain array can throw (a getter, a Proxy trap) before anything is
 * written: that is declined too, so that the general update reads the batch again and names the argument.
 * One sample is {@link addOne}'s (in singleSample.ts).
 *
 * @param state - a hinge state (only a binary one takes this path)
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param squared - squared hinge
 * @param out - the metric's kernel scratch
 * @returns whether the batch was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * addSmallBatch(state, [0.5, 2], [1, 0], false, new KernelScratch()); // => true
 * addSmallBatch(state, new Float32Array([0.5, 2]), new Int32Array([1, 2]), false, new KernelScratch()); // => false
 * state.samples.value(); // => 3
 * ```
 */
export function addSmallBatch(
  state: HingeState,
  preds: unknown,
  target: unknown,
  squared: boolean,
  out: KernelScratch,
): boolean {
  if (ArrayBuffer.isView(preds)) {
    if (!ArrayBuffer.isView(target)) return false;
    const p = preds as Float32Array;
    const t = target as Int32Array;
    if (!squared) return pendSmallTyped(state, p, t, out.pairAcc(3));
    const n = typedSize(p, t);
    return n !== 0 && state.task.value === "binary" && addSquaredTyped(state, p, t, n, out);
  }
  if (squared || !Array.isArray(preds) || !Array.isArray(target)) return false;
  return pendSmallPlain(state, preds, target, out.pairAcc(3));
}
