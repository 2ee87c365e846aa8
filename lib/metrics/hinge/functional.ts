/**
 * The functional form of the hinge loss: its state (the declared fields of {@link HingeLoss}), the update
 * step that checks a batch and runs the kernel that fits it, the value, and the one-shot functions.
 *
 * @module
 */
import { z } from "zod";
import { MetricInputError, MetricStateError } from "../../errors/index.js";
import { toTensorView, type TensorLike } from "../../input/index.js";
import {
  resolveHingeLossOptions,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
} from "../../options/index.js";
import { count, exactSum, fixed, type Count, type ExactSum, type Fixed } from "../../state/index.js";
import { HingeScratch, MAX_CLASSES, readBatch, shapeText, slowSample, type Batch } from "./batch.js";
import { binaryGeneral, binaryPairRun, binaryTyped } from "./binaryKernels.js";
import { crammerSingerFlat, crammerSingerPairRun, crammerSingerRows } from "./crammerSingerKernels.js";
import { oneVsAll, oneVsAllPairRun } from "./oneVsAllKernels.js";
import { PAIR_MIN_BATCH, type KernelScratch } from "./pairs.js";
import {
  commitWasmPartial,
  wasmBinaryPartial,
  wasmCrammerSingerPartial,
  wasmOneVsAllPartial,
} from "../../wasm/hinge.js";
import { createHingeWasm } from "../../wasm/loader.js";

/**
 * Elements (N·C) from which a batch in typed arrays takes the WebAssembly SIMD kernels (lib/wasm) on a
 * metric's scratch: below it the JS kernels are as fast or faster (the crossover measured by
 * `npm run bench:wasm`, docs/performance.md).
 *
 * @example
 * ```ts
 * WASM_MIN_ELEMENTS; // => 1024
 * ```
 */
export const WASM_MIN_ELEMENTS = 1024;

/**
 * The same threshold for a call without a metric's scratch (the functional API): it instantiates the module
 * for the call (≈ 0.1 ms), which only a large batch repays.
 *
 * @example
 * ```ts
 * WASM_MIN_ELEMENTS_ONE_CALL; // => 262144
 * ```
 */
export const WASM_MIN_ELEMENTS_ONE_CALL = 262144;

/**
 * The task a hinge-loss state is fixed to by its first non-empty batch.
 *
 * @example
 * ```ts
 * const task: HingeTask = "multiclass";
 * ```
 */
export type HingeTask = "binary" | "multiclass";

/**
 * The state fields of a hinge loss, as {@link HingeLoss} declares them (in the order of its JSON state): the
 * task and class count fixed by the first non-empty batch, the exact Σ w·m (one sum, or one per class for
 * one-vs-all; none before the first batch), the exact Σ w, and the number of samples counted.
 *
 * @example
 * ```ts
 * Object.keys(hingeFields); // => ["task", "numClasses", "measure", "total", "samples"]
 * ```
 */
export const hingeFields = {
  task: fixed(z.enum(["binary", "multiclass"]), "task"),
  numClasses: fixed(z.number().int().min(2).max(MAX_CLASSES), "class count"),
  measure: exactSum(0),
  total: exactSum(),
  samples: count(),
} as const;

/**
 * The accumulated state of a hinge loss (a batch's, or a running one): the values of `hingeFields`.
 *
 * @example
 * ```ts
 * emptyHingeState().samples.value(); // => 0
 * ```
 */
export interface HingeState {
  /** Fixed by the first non-empty batch; `value` null before. */
  task: Fixed<HingeTask>;
  /** C for a multiclass state, else null. */
  numClasses: Fixed<number>;
  /** Exact Σ w·m: 1 sum, or C for one-vs-all; size 0 before the first batch. */
  measure: ExactSum;
  /** Exact Σ w. */
  total: ExactSum;
  /** Samples counted (ignored samples excluded). */
  samples: Count;
}

/**
 * The value of a hinge loss: a number, or one number per class for one-vs-all.
 *
 * @example
 * ```ts
 * const v: HingeValue = [2.2333333333333334, 1.5, 1.2333333333333334];
 * ```
 */
export type HingeValue = number | number[];

/**
 * A fresh, empty hinge-loss state.
 *
 * @returns a state with nothing accumulated
 * @example
 * ```ts
 * emptyHingeState().task.value; // => null
 * ```
 */
export function emptyHingeState(): HingeState {
  return {
    task: hingeFields.task.empty(),
    numClasses: hingeFields.numClasses.empty(),
    measure: hingeFields.measure.empty(),
    total: hingeFields.total.empty(),
    samples: hingeFields.samples.empty(),
  };
}

/**
 * How many measure sums a state of this task holds (C for one-vs-all, else 1).
 *
 * @param task - binary or multiclass
 * @param numClasses - C (multiclass)
 * @param options - resolved options (the multiclass mode matters)
 * @returns the number of measure sums
 * @example
 * ```ts
 * hingeSumCount("multiclass", 3, resolveHingeLossOptions({ multiclassMode: "one-vs-all" })); // => 3
 * ```
 */
export function hingeSumCount(
  task: HingeTask,
  numClasses: number | null,
  options: ResolvedHingeLossOptions,
): number {
  return task === "multiclass" && options.multiclassMode === "one-vs-all" ? (numClasses as number) : 1;
}

/** Runs one kernel call over [start, end) and returns where it stopped. */
function runKernel(
  out: KernelScratch,
  batch: Batch,
  measure: ExactSum,
  tb: Float64Array,
  start: number,
  end: number,
  options: ResolvedHingeLossOptions,
): number {
  const { task, C, preds, target } = batch;
  const w = batch.weights === null ? null : (batch.weights.data as ArrayLike<unknown>);
  const ignore = options.ignoreIndex ?? NaN;
  const squared = options.squared;
  const mb = measure.bins;
  // Plain (unsquared, unweighted, no ignore index) bulk batches take the two-anchor kernels; small batches
  // skip them, since each chunk commits into a BigInt.
  const pairs = !squared && w === null && options.ignoreIndex === null && end - start >= PAIR_MIN_BATCH;
  if (task === "binary") {
    if (pairs && preds.layout === "flat" && target.layout === "flat") {
      const { typed } = preds;
      return binaryPairRun(preds.data, target.data, typed, target.typed, start, end, mb, tb, measure, out);
    }
    if (preds.typed && target.typed && w === null && options.ignoreIndex === null) {
      const p = preds.data as ArrayLike<number>;
      return binaryTyped(p, target.data as ArrayLike<number>, start, end, squared, mb, tb, out);
    }
    return binaryGeneral(preds.data, target.data, w, start, end, squared, ignore, mb, tb, out);
  }
  const rows = preds.layout === "rows";
  // Multiclass: the two-anchor kernels first (flat float32/float64 or rows); from the first row they cannot
  // take (bad input, or a contribution for the exact slow path), the three-anchor kernels take the rest.
  let counted = 0;
  if (pairs && (rows || preds.data instanceof Float32Array || preds.data instanceof Float64Array)) {
    const j =
      options.multiclassMode === "crammer-singer"
        ? crammerSingerPairRun(preds.data, target.data, C, rows, start, end, tb, measure, out)
        : oneVsAllPairRun(preds.data, target.data, C, rows, start, end, tb, measure, out);
    if (j === end) return j;
    counted = out.counted;
    start = j;
  }
  let stop: number;
  if (options.multiclassMode === "crammer-singer") {
    const p = preds.data;
    stop = rows
      ? crammerSingerRows(p, target.data, w, C, start, end, squared, ignore, mb, tb, out)
      : crammerSingerFlat(p, target.data, w, C, start, end, squared, ignore, preds.typed, mb, tb, out);
  } else {
    const buf = out.rowBuffer(C);
    const stride = rows ? 0 : C;
    const p = preds.data;
    stop = oneVsAll(p, target.data, w, C, stride, start, end, squared, ignore, preds.typed, buf, mb, tb, out);
  }
  out.counted += counted;
  return stop;
}

/**
 * Adds a batch to a hinge-loss state: the update step of the functional API. Structure, shapes and the task
 * are checked first; elements are checked in the same pass that computes.
 *
 * On error the state may be partly updated: {@link HingeLoss} runs it inside the base's atomic update
 * (every field restored on a throw), so a metric is never left half-updated.
 *
 * @param state - the state to add into (mutated)
 * @param preds - decision values: `(N)` / `(N, 1)` binary, `(N, C)` multiclass
 * @param target - `(N)` labels: 0/1 (or -1) for binary, class indices for multiclass
 * @param weights - optional `(N)` non-negative per-sample weights
 * @param options - resolved options
 * @throws {@link MetricInputError} for any bad input
 * @example
 * ```ts
 * const options = resolveHingeLossOptions({});
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [-2.2, 2.4, 0.1], [0, 1, 1], undefined, options);
 * hingeLossCompute(state, options); // => 0.3
 * ```
 */
export function hingeLossUpdate(
  state: HingeState,
  preds: TensorLike | unknown,
  target: TensorLike | unknown,
  weights: TensorLike | null | undefined | unknown,
  options: ResolvedHingeLossOptions,
): void {
  updateWithScratch(state, preds, target, weights, options, undefined);
}

/**
 * {@link hingeLossUpdate} in a given scratch space (a metric passes its own, reused from call to call; a
 * re-entrant call, from a getter inside a batch, takes a fresh one). The scratch never keeps the batch.
 *
 * @param state - the state to add into (mutated)
 * @param preds - decision values
 * @param target - labels
 * @param weights - optional weights
 * @param options - resolved options
 * @param scratch - the scratch space, or undefined for one of this call's own
 */
export function updateWithScratch(
  state: HingeState,
  preds: unknown,
  target: unknown,
  weights: unknown,
  options: ResolvedHingeLossOptions,
  scratch: HingeScratch | undefined,
): void {
  const own = scratch === undefined || scratch.busy ? new HingeScratch() : scratch;
  own.busy = true;
  try {
    addBatch(own, state, preds, target, weights, options, own !== scratch);
  } finally {
    own.release();
  }
}

function addBatch(
  out: HingeScratch,
  state: HingeState,
  preds: unknown,
  target: unknown,
  weights: unknown,
  options: ResolvedHingeLossOptions,
  oneCall: boolean,
): void {
  const batch = readBatch(out, state, preds, target, weights, options);
  if (batch.n === 0) return;
  if (state.task.value === null) {
    state.task.value = batch.task;
    state.numClasses.value = batch.task === "multiclass" ? batch.C : null;
  }
  const { measure, total } = state;
  if (measure.size === 0) measure.resize(hingeSumCount(batch.task, batch.C, options));
  if (addWasm(out, state, batch, options, oneCall)) return;
  let i = 0;
  let samples = 0;
  while (i < batch.n) {
    const end = Math.min(batch.n, i + Math.min(measure.reserve(), total.reserve()));
    const stop = runKernel(out, batch, measure, total.bins, i, end, options);
    samples += out.counted;
    measure.commit(stop - i);
    total.commit(stop - i);
    if (stop < end) {
      samples += slowSample(batch, stop, measure, total, options);
      i = stop + 1;
    } else {
      i = end;
    }
  }
  state.samples.counts[0] += samples;
}

/**
 * The one place a batch takes the WebAssembly kernels: typed arrays (flat), no weights, no ignore index, at
 * least {@link WASM_MIN_ELEMENTS} elements; the scratch's instance is made on first use (none where
 * WebAssembly is unavailable, and `scratch.wasm = null` forces the JS kernels). The partial is computed
 * before anything is written and committed whole; `false` (nothing written) for any batch the kernels
 * refuse (a bad element, or one for the exact slow path): the JS kernels then run and give the error.
 */
function addWasm(
  out: HingeScratch,
  state: HingeState,
  batch: Batch,
  options: ResolvedHingeLossOptions,
  oneCall: boolean,
): boolean {
  const { preds, target, task, C } = batch;
  if (batch.weights !== null || options.ignoreIndex !== null || preds.layout !== "flat") return false;
  if (!preds.typed || !target.typed || out.wasm === null) return false;
  if (batch.n * C < (oneCall ? WASM_MIN_ELEMENTS_ONE_CALL : WASM_MIN_ELEMENTS)) return false;
  let wasm = out.wasm;
  if (wasm === undefined) {
    const made = createHingeWasm();
    if (made === null) return false; // unavailable (or still compiling in a browser): asked again next time
    wasm = out.wasm = made;
  }
  const { squared } = options;
  const part =
    task === "binary"
      ? wasmBinaryPartial(preds.data, target.data, squared, wasm)
      : options.multiclassMode === "crammer-singer"
        ? wasmCrammerSingerPartial(preds.data, target.data, C, squared, wasm)
        : wasmOneVsAllPartial(preds.data, target.data, C, squared, wasm);
  if (part === null) return false;
  commitWasmPartial(state, part);
  state.samples.counts[0] += part.count;
  return true;
}

/**
 * The value of a hinge-loss state: `Σ w·m / Σ w`, the correctly rounded quotient of the exact sums (one
 * value per class for one-vs-all).
 *
 * @param state - an accumulated state
 * @param options - resolved options (the multiclass mode matters)
 * @returns the mean hinge loss
 * @throws {@link MetricStateError} when nothing was accumulated (Σ w = 0)
 * @example
 * ```ts
 * const options = resolveHingeLossOptions({});
 * const state = emptyHingeState();
 * hingeLossUpdate(state, [[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2], undefined, options);
 * hingeLossCompute(state, options); // => 2.9000000000000004
 * ```
 */
export function hingeLossCompute(state: HingeState, options: ResolvedHingeLossOptions): HingeValue {
  const { measure, total } = state;
  const ova = state.task.value === "multiclass" && options.multiclassMode === "one-vs-all";
  if (measure.size !== 0 && !ova) {
    // The common case first, with nothing but the certified fast quotient (NaN when it cannot tell).
    const fast = measure.fastRatio(total);
    if (fast === fast) return fast;
  }
  // Weights are ≥ 0, so the exact total is 0 only when every part of it is 0.
  if (measure.size === 0 || total.isZero()) {
    throw new MetricStateError(
      measure.size === 0
        ? "HingeLoss.compute() called with nothing accumulated: update() it with at least one sample first"
        : "HingeLoss.compute() called with nothing accumulated: the total weight is 0 (all samples ignored or weighted 0)",
    );
  }
  if (ova) {
    const k = measure.size;
    const out = new Array<number>(k);
    for (let c = 0; c < k; c++) out[c] = measure.ratio(total, c);
    return out;
  }
  // The fast quotient above could not certify it (a near tie, an extreme range): the exact division.
  return measure.ratio(total);
}

function oneShot(
  preds: TensorLike | number,
  target: TensorLike | number,
  options: HingeLossOptions | undefined,
  weights: TensorLike | number | undefined,
  only: HingeTask | null,
  caller: string,
): HingeValue {
  const resolved = resolveHingeLossOptions(options);
  const state = emptyHingeState();
  if (only !== null) {
    // a number is one binary score (as HingeLoss.update takes it)
    const shape = typeof preds === "number" ? null : toTensorView(preds, "preds").shape;
    const task = shape !== null && shape.length === 2 && shape[1] >= 2 ? "multiclass" : "binary";
    if (task !== only) {
      throw new MetricInputError(
        `${caller} takes ${only === "binary" ? "preds of shape (N)" : "preds of shape (N, C) with C ≥ 2"}, got ${shape === null ? `a number (${String(preds)})` : `shape ${shapeText(shape)}`}`,
      );
    }
  }
  hingeLossUpdate(state, preds, target, weights, resolved);
  return hingeLossCompute(state, resolved);
}

/**
 * One-shot hinge loss of a batch (task from the shape of `preds`), on the same kernels as
 * {@link HingeLoss}.
 *
 * @param preds - decision values `(N)`, `(N, 1)` or `(N, C)`, or one binary score as a number
 * @param target - labels `(N)`, or one label as a number
 * @param options - {@link HingeLossOptions}
 * @param weights - optional per-sample weights `(N)`, or one weight as a number
 * @returns the mean hinge loss (one value per class for one-vs-all)
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} (no samples)
 * @example
 * ```ts
 * hingeLoss([-2.2, 2.4, 0.1], [0, 1, 1]); // => 0.3
 * hingeLoss(0.25, 1); // => 0.75
 * hingeLoss([[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2], { multiclassMode: "one-vs-all" });
 * // => [2.2333333333333334, 1.5, 1.2333333333333334]
 * ```
 */
export function hingeLoss(
  preds: TensorLike | number,
  target: TensorLike | number,
  options?: HingeLossOptions,
  weights?: TensorLike | number,
): HingeValue {
  return oneShot(preds, target, options, weights, null, "hingeLoss");
}

/**
 * One-shot binary hinge loss: preds `(N)` or `(N, 1)`, targets 0/1 (or -1 for the negative class).
 *
 * @param preds - decision values, or one score as a number
 * @param target - labels, or one label as a number
 * @param options - `squared`, `ignoreIndex`
 * @param weights - optional per-sample weights, or one weight as a number
 * @returns the mean hinge loss
 * @throws {@link MetricInputError} for multiclass-shaped preds or any bad input
 * @example
 * ```ts
 * binaryHingeLoss([-2.2, 2.4, 0.1], [0, 1, 1], { squared: true }); // => 0.27
 * binaryHingeLoss(-0.5, 1); // => 1.5
 * ```
 */
export function binaryHingeLoss(
  preds: TensorLike | number,
  target: TensorLike | number,
  options?: Omit<HingeLossOptions, "numClasses" | "multiclassMode">,
  weights?: TensorLike | number,
): number {
  return oneShot(preds, target, options, weights, "binary", "binaryHingeLoss") as number;
}

/**
 * One-shot multiclass hinge loss: preds `(N, C)`, targets class indices in [0, C).
 *
 * @param preds - decision values
 * @param target - class indices
 * @param options - `squared`, `multiclassMode`, `numClasses`, `ignoreIndex`
 * @param weights - optional per-sample weights
 * @returns the mean hinge loss (one value per class for one-vs-all)
 * @throws {@link MetricInputError} for binary-shaped preds or any bad input
 * @example
 * ```ts
 * multiclassHingeLoss([[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2]); // => 2.9000000000000004
 * ```
 */
export function multiclassHingeLoss(
  preds: TensorLike,
  target: TensorLike,
  options?: HingeLossOptions,
  weights?: TensorLike,
): HingeValue {
  return oneShot(preds, target, options, weights, "multiclass", "multiclassHingeLoss");
}
