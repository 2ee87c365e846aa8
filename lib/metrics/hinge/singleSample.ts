/**
 * The single-sample streaming path of `HingeLoss` (`update` / `updateAndCompute` with one sample as two
 * numbers, two one-element typed arrays or two one-element plain arrays): validates the sample before
 * writing anything, so the metric can skip the generic snapshot, and divides from the sums as they are for the
 * running value.
 *
 * @module
 */
import type { ExactSum } from "../../state/index.js";
import type { HingeState } from "./functional.js";

// The bin constants of state/exactSum.ts as module-local consts (V8 folds these; an imported binding is loaded
// with a TDZ check on every use, see binaryKernels.ts).
const S1_ = 422212465065984; // 1.5 * 2^48 (S1)
const S2_ = 6144; // 1.5 * 2^12 (S2)
const S3_ = 8.940696716308594e-8; // 1.5 * 2^-24 (S3)
const LIMIT = 4294967296; // 2^32 (FAST_LIMIT)

/**
 * One binary sample, unweighted, without an ignore index, checked *before* anything is written: adds
 * `max(0, 1 - y x)` (squared if asked) to sum 0 and 1 to the total, with the same three-anchor split as
 * the kernels (`binaryTyped`), and returns true; or returns false and leaves the sums untouched when the sample is not
 * a plain valid one (x or y not a number, y not in {-1, 0, 1}, a contribution for the exact slow path).
 * Because it validates first, a caller can take this path without saving the state for an undo; on false
 * it runs the general update, which also produces the error message.
 *
 * Unsquared, the third split is skipped: once y is in {-1, 0, 1}, `max(0, 1 - y x)` is a multiple of 2^-53
 * for any double x (the proof in pairs.ts), so the second remainder `r2` (|r2| ≤ 2^-41) is already a
 * multiple of the third anchor 2^-76 and is the third piece as it is (the general kernels' `q3` equals it).
 *
 * @param measure - the measure sum of a binary state (size 1)
 * @param total - the total sum
 * @param x - the score
 * @param y - the target
 * @param squared - squared hinge
 * @returns whether the sample was added
 * @example
 * ```ts
 * const measure = exactSum(1).empty(), total = exactSum().empty();
 * addOneBinary(measure, total, 0.5, 1, false); // => true
 * addOneBinary(measure, total, 0.5, 2, false); // => false
 * measure.ratio(total); // => 0.5
 * ```
 */
export function addOneBinary(
  measure: ExactSum,
  total: ExactSum,
  x: unknown,
  y: unknown,
  squared: boolean,
): boolean {
  // The label check comes last, with the split's: checking it first (before the arithmetic) measured ~25% slower.
  if (typeof x !== "number" || typeof y !== "number") return false;
  const m = 1 - (y + Math.abs(y) - 1) * x;
  const h = (m + Math.abs(m)) * 0.5;
  let q1: number;
  let q2: number;
  let q3: number;
  if (squared) {
    const c = h * h;
    q1 = c + S1_ - S1_;
    const r1 = c - q1;
    q2 = r1 + S2_ - S2_;
    const r2 = r1 - q2;
    q3 = r2 + S3_ - S3_;
    if (!(c < LIMIT) || r2 !== q3 || y * y !== Math.abs(y)) return false;
  } else {
    q1 = h + S1_ - S1_;
    const r1 = h - q1;
    q2 = r1 + S2_ - S2_;
    q3 = r1 - q2;
    if (!(h < LIMIT) || y * y !== Math.abs(y)) return false;
  }
  // Checked: only now make room (a flush changes how the sums are held, never their values) and write.
  measure.reserve();
  total.reserve();
  const bins = measure.bins;
  bins[0] += q1;
  bins[1] += q2;
  bins[2] += q3;
  total.bins[0] += 1;
  measure.commit(1);
  total.commit(1);
  return true;
}

/**
 * Reads one binary sample in any of the single-sample forms of `update` (two plain numbers, two one-element
 * typed arrays, or two one-element plain arrays) into `xy` (`[score, target]`, numbers) and returns true;
 * false for any other form (nothing is checked beyond the form: the arithmetic checks the values). Reading
 * a plain array can throw (a getter, a Proxy trap): that is caught and answered false, so that the general
 * update reads the batch again and reports it as an error naming the argument.
 *
 * Kept short, so that V8 inlines it (with `update`) into the caller's loop: a call costs about as much as
 * the sample. Each form reads its elements at its own load site, so each keeps its own type feedback, and
 * the three meet in `xy` (a double passed as an argument to a function V8 does not inline, or merged with a
 * tagged value, is boxed: an allocation per call).
 *
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param xy - receives the sample (2 doubles, overwritten)
 * @returns whether it was one sample of numbers
 * @example
 * ```ts
 * const xy = new Float64Array(2);
 * readOne(new Float32Array([0.5]), new Int32Array([1]), xy); // => true
 * readOne([0.5], [1, 0], xy); // => false
 * readOne(new Float32Array([0.5]), new BigInt64Array([1n]), xy); // => false
 * ```
 */
export function readOne(preds: unknown, target: unknown, xy: Float64Array): boolean {
  if (ArrayBuffer.isView(preds)) {
    // isView and isArray call no Proxy trap (instanceof would call getPrototypeOf)
    if (
      !ArrayBuffer.isView(target) ||
      (preds as Float32Array).length !== 1 ||
      (target as Int32Array).length !== 1 // (a DataView has no length: declined)
    ) {
      return false;
    }
    const a: unknown = (preds as Float32Array)[0];
    const b: unknown = (target as Int32Array)[0];
    if (typeof a !== "number" || typeof b !== "number") return false; // (BigInt elements)
    xy[0] = a;
    xy[1] = b;
  } else if (typeof preds === "number") {
    if (typeof target !== "number") return false;
    xy[0] = preds;
    xy[1] = target;
  } else if (Array.isArray(preds) && Array.isArray(target)) {
    try {
      if (preds.length !== 1 || target.length !== 1) return false;
      const a: unknown = preds[0];
      const b: unknown = target[0];
      if (typeof a !== "number" || typeof b !== "number") return false;
      xy[0] = a;
      xy[1] = b;
    } catch {
      return false;
    }
  } else {
    return false;
  }
  return true;
}

/**
 * One binary sample on a binary state, in any of the single-sample forms of `update` ({@link readOne}): adds
 * it into the bins and counts it (`samples` + 1), and returns true; or returns false with nothing changed
 * (the state is not binary, another form, or see {@link addOneBinary}).
 *
 * @param state - a hinge state
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param squared - squared hinge
 * @param xy - scratch for the sample (2 doubles, overwritten)
 * @returns whether the sample was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * const xy = new Float64Array(2);
 * addOne(state, new Float32Array([0.5]), new Int32Array([1]), false, xy); // => true
 * addOne(state, 0.5, 1, false, xy); // => true
 * addOne(state, [0.5], [2], false, xy); // => false
 * addOne(state, new Float32Array([0.5]), new BigInt64Array([1n]), false, xy); // => false
 * state.samples.value(); // => 3
 * ```
 */
export function addOne(
  state: HingeState,
  preds: unknown,
  target: unknown,
  squared: boolean,
  xy: Float64Array,
): boolean {
  return readOne(preds, target, xy) && addSampleAt(state, xy, squared);
}

/**
 * One unsquared binary sample, score `x` and target `y`, into the pending pairs of the state's sums
 * (`ExactSum.pendingPair`: the contribution `c = max(0, 1 - y x)` at the pair anchor into the measure's, 1
 * into the total's), counted; the cheapest exact add, a few float additions and no bin split (the sums settle
 * the pairs into their bins when anything reads them). Returns false, with nothing changed, when the state
 * is not binary, the sample not a plain valid one (y not in {-1, 0, 1}, c not below 2^24, NaN) or a pair is
 * full (the bounds `PENDING_HI` / `PENDING_LO` of state/exactSumField.ts): then {@link addSampleAt} (whose `reserve` settles the pairs) or the general
 * update takes it. Every c added is a multiple of 2^-53 (the proof in pairs.ts), as the pairs require.
 *
 * @param state - a hinge state
 * @param x - the score
 * @param y - the target
 * @returns whether the sample was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * pendOne(state, 0.5, 1); // => true
 * pendOne(state, 0.5, 2); // => false
 * state.measure.value(); // => 0.5
 * state.total.value(); // => 2
 * ```
 */
export function pendOne(state: HingeState, x: number, y: number): boolean {
  // Literals, not the module's consts (each use of a module const is a context load and a hole check in the
  // bytecode): kept small so that V8 inlines it at each of update's call sites within its inlining budget.
  const ay = Math.abs(y);
  const m = 1 - (y + ay - 1) * x;
  const c = (m + Math.abs(m)) * 0.5;
  const q = c + 412316860416 - 412316860416; // PAIR_S: a multiple of 2^-14
  const pm = state.measure.pendingPair;
  const pt = state.total.pendingPair;
  const lo = pm[1];
  // c below 2^24 (PAIR_LIMIT; NaN fails), y in {-1, 0, 1}, both pairs below PENDING_HI (2^37) and
  // PENDING_LO (2^-1), and a binary state
  if (
    !(c < 16777216 && y * y === ay && pm[0] < 137438953472 && lo < 0.5 && lo > -0.5) ||
    !(pt[0] < 137438953472) ||
    state.task.value !== "binary"
  ) {
    return false;
  }
  pm[0] += q;
  pm[1] = lo + (c - q);
  pt[0] += 1;
  state.samples.counts[0] += 1;
  return true;
}

/**
 * One binary sample given as `xy[0]` (the score) and `xy[1]` (the target), numbers: the arithmetic half of
 * {@link addOne} (its own function so that each half stays under V8's size limit for inlining). Added and
 * counted when the state is binary and the sample a plain valid one, else false with nothing changed (see
 * {@link addOneBinary}).
 *
 * @param state - a hinge state
 * @param xy - the score and the target
 * @param squared - squared hinge
 * @returns whether the sample was added
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [1], [1], undefined, resolveHingeLossOptions());
 * addSampleAt(state, new Float64Array([0.5, 1]), false); // => true
 * addSampleAt(state, new Float64Array([0.5, 2]), false); // => false
 * state.samples.value(); // => 2
 * ```
 */
export function addSampleAt(state: HingeState, xy: Float64Array, squared: boolean): boolean {
  if (state.task.value !== "binary") return false;
  const x = xy[0];
  const y = xy[1];
  if (squared) {
    if (!addOneBinary(state.measure, state.total, x, y, true)) return false;
    state.samples.counts[0] += 1;
    return true;
  }
  // addOneBinary's unsquared branch, written out
  const m = 1 - (y + Math.abs(y) - 1) * x;
  const h = (m + Math.abs(m)) * 0.5;
  const q1 = h + S1_ - S1_;
  const r1 = h - q1;
  const q2 = r1 + S2_ - S2_;
  if (!(h < LIMIT) || y * y !== Math.abs(y)) return false;
  const { measure, total } = state;
  measure.reserve();
  total.reserve();
  const bins = measure.bins;
  bins[0] += q1;
  bins[1] += q2;
  bins[2] += r1 - q2;
  total.bins[0] += 1;
  measure.commit(1);
  total.commit(1);
  state.samples.counts[0] += 1;
  return true;
}

/**
 * {@link addOne} (or, unsquared, {@link pendOne}: the cheapest exact add) followed by the running value, the
 * correctly rounded Σ m / n: divided from the sums as they are (`ExactSum.countQuotient`, nothing settles),
 * or by `ExactSum.ratio` where that cannot certify it. The single-sample path of
 * `HingeLoss.updateAndCompute`. Returns NaN, with nothing changed, exactly when addOne returns false.
 *
 * @param state - a hinge state
 * @param preds - the batch's scores
 * @param target - the batch's targets
 * @param squared - squared hinge
 * @param xy - scratch for the sample (2 doubles)
 * @returns the running value after the sample, or NaN (nothing added)
 * @example
 * ```ts
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [0.5], [1], undefined, resolveHingeLossOptions());
 * const xy = new Float64Array(2);
 * stepOne(state, new Float32Array([2]), new Int32Array([0]), false, xy); // => 1.75
 * stepOne(state, 0.5, 1, false, xy); // => 1.3333333333333333
 * ```
 */
export function stepOne(
  state: HingeState,
  preds: unknown,
  target: unknown,
  squared: boolean,
  xy: Float64Array,
): number {
  const pended = !squared && readOne(preds, target, xy) && pendOne(state, xy[0], xy[1]);
  if (!pended && !addOne(state, preds, target, squared, xy)) return NaN;
  const { measure, total } = state;
  const q = measure.countQuotient(total);
  return q === q ? q : measure.ratio(total);
}
