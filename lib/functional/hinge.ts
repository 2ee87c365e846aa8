import { MetricInputError, MetricStateError } from "../errors/index.js";
import {
  assertAttachedPair,
  numericView,
  squeezeColumn,
  toTensorView,
  type TensorLike,
  type TensorView,
} from "../input/index.js";
import {
  resolveHingeLossOptions,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
  describe,
} from "../options/index.js";
import { ExactSums, FLUSH_EVERY, roundQuotient } from "../state/index.js";
import {
  binaryGeneral,
  binaryPairRun,
  binaryTyped,
  crammerSingerFlat,
  crammerSingerPairRun,
  crammerSingerRows,
  kernelOut,
  oneVsAll,
  oneVsAllPairRun,
  PAIR_MIN_BATCH,
} from "./hingeKernels.js";

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
 * The accumulated state of a hinge loss (the partial state of a batch, or a running state):
 * `sums` holds the exact Σ w·m (one sum, or one per class for one-vs-all) followed by the exact Σ w.
 *
 * @example
 * ```ts
 * const state = emptyHingeState(); // => { task: null, numClasses: null, sums: null, samples: 0 }
 * ```
 */
export interface HingeState {
  /** Fixed by the first non-empty batch; `null` before. */
  task: HingeTask | null;
  /** C for a multiclass state, else `null`. */
  numClasses: number | null;
  /** Exact sums: measures (1, or C for one-vs-all), then the total weight. `null` before the first batch. */
  sums: ExactSums | null;
  /** Samples counted (ignored samples excluded). */
  samples: number;
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
 * emptyHingeState().samples; // => 0
 * ```
 */
export function emptyHingeState(): HingeState {
  return { task: null, numClasses: null, sums: null, samples: 0 };
}

/**
 * How many exact sums a state of this task needs (measures, then the total).
 *
 * @param task - binary or multiclass
 * @param numClasses - C (multiclass)
 * @param options - resolved options (the multiclass mode matters)
 * @returns the number of sums
 * @example
 * ```ts
 * hingeSumCount("multiclass", 3, resolveHingeLossOptions({ multiclassMode: "one-vs-all" })); // => 4
 * ```
 */
export function hingeSumCount(
  task: HingeTask,
  numClasses: number | null,
  options: ResolvedHingeLossOptions,
): number {
  return task === "multiclass" && options.multiclassMode === "one-vs-all" ? (numClasses as number) + 1 : 2;
}

interface Batch {
  task: HingeTask;
  n: number;
  C: number;
  preds: TensorView;
  target: TensorView;
  weights: TensorView | null;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function isNumericTypedArray(value: unknown): value is ArrayLike<number> {
  return (
    value instanceof Float32Array ||
    value instanceof Float64Array ||
    value instanceof Int32Array ||
    (ArrayBuffer.isView(value) &&
      !(value instanceof DataView) &&
      !(value instanceof BigInt64Array) &&
      !(value instanceof BigUint64Array))
  );
}

// The fast path's views and batch are reused from call to call (an update is synchronous and never
// re-entered, and nothing keeps a batch after its update returns): no allocation per update.
const fastPreds = { data: [] as ArrayLike<unknown>, shape: [0], layout: "flat", typed: true, name: "preds" };
const fastTarget = {
  data: [] as ArrayLike<unknown>,
  shape: [0],
  layout: "flat",
  typed: true,
  name: "target",
};
const fastBatch: Batch = {
  task: "binary",
  n: 0,
  C: 1,
  preds: fastPreds as TensorView,
  target: fastTarget as TensorView,
  weights: null,
};

/** Reads and checks the structure of a batch (shapes, lengths, task); elements are checked by the kernels. */
function readBatch(
  state: HingeState,
  predsIn: unknown,
  targetIn: unknown,
  weightsIn: unknown,
  options: ResolvedHingeLossOptions,
): Batch {
  if (
    (weightsIn === undefined || weightsIn === null) &&
    options.numClasses === null &&
    state.task !== "multiclass" &&
    isNumericTypedArray(predsIn) &&
    isNumericTypedArray(targetIn)
  ) {
    // The common streaming case, binary typed arrays: the same checks as below, without building views.
    const n = predsIn.length;
    if (n === 0 || targetIn.length === 0) assertAttachedPair(predsIn, targetIn);
    if (targetIn.length !== n)
      throw new MetricInputError(`target has ${targetIn.length} elements but preds has ${n} samples`);
    fastPreds.data = predsIn;
    fastPreds.shape[0] = n;
    fastTarget.data = targetIn;
    fastTarget.shape[0] = n;
    fastBatch.n = n;
    return fastBatch;
  }
  const preds = toTensorView(predsIn, "preds");
  if (preds.data instanceof BigInt64Array || preds.data instanceof BigUint64Array) {
    throw new MetricInputError(
      `preds must hold numbers (decision values), got a ${preds.data.constructor.name}`,
    );
  }
  const rank = preds.shape.length;
  if (rank !== 1 && rank !== 2) {
    throw new MetricInputError(`preds must have shape (N) or (N, C), got shape ${shapeText(preds.shape)}`);
  }
  const n = preds.shape[0];
  const C = rank === 2 ? preds.shape[1] : 1;
  if (rank === 2 && C === 0 && n > 0) {
    throw new MetricInputError(`preds must have at least one column, got shape ${shapeText(preds.shape)}`);
  }
  const task: HingeTask = C >= 2 ? "multiclass" : "binary";
  const predsView = task === "binary" ? squeezeColumn(preds) : preds;
  if (options.numClasses !== null && n > 0) {
    if (task === "binary") {
      throw new MetricInputError(
        `preds has shape ${shapeText(preds.shape)} (binary) but numClasses is ${options.numClasses}: expected shape (N, ${options.numClasses})`,
      );
    }
    if (C !== options.numClasses) {
      throw new MetricInputError(
        `preds has ${C} columns (shape ${shapeText(preds.shape)}) but numClasses is ${options.numClasses}`,
      );
    }
  }
  const target = squeezeColumn(numericView(toTensorView(targetIn, "target")));
  if (target.shape.length !== 1 || target.layout !== "flat") {
    throw new MetricInputError(`target must have shape (N) or (N, 1), got shape ${shapeText(target.shape)}`);
  }
  if (target.shape[0] !== n) {
    throw new MetricInputError(`target has ${target.shape[0]} elements but preds has ${n} samples`);
  }
  let weights: TensorView | null = null;
  if (weightsIn !== undefined && weightsIn !== null) {
    weights = squeezeColumn(toTensorView(weightsIn, "weights"));
    if (weights.data instanceof BigInt64Array || weights.data instanceof BigUint64Array) {
      throw new MetricInputError(`weights must hold numbers, got a ${weights.data.constructor.name}`);
    }
    if (weights.shape.length !== 1 || weights.layout !== "flat") {
      throw new MetricInputError(`weights must have shape (N), got shape ${shapeText(weights.shape)}`);
    }
    if (weights.shape[0] !== n) {
      throw new MetricInputError(`weights has ${weights.shape[0]} elements but preds has ${n} samples`);
    }
  }
  if (n > 0 && state.task !== null) {
    if (state.task !== task) {
      throw new MetricInputError(
        `preds has shape ${shapeText(preds.shape)} (${task}) but this metric has accumulated ${state.task} batches; ` +
          `one metric holds one task (reset() it or use another)`,
      );
    }
    if (task === "multiclass" && state.numClasses !== C) {
      throw new MetricInputError(
        `preds has ${C} classes (shape ${shapeText(preds.shape)}) but earlier batches had ${state.numClasses}`,
      );
    }
  }
  return { task, n, C, preds: predsView, target, weights };
}

function at(view: TensorView, i: number, j?: number): string {
  return j === undefined ? `${view.name}[${i}]` : `${view.name}[${i}][${j}]`;
}

function predAt(batch: Batch, i: number, j: number): unknown {
  const { preds, C } = batch;
  if (preds.layout === "rows") {
    const row = (preds.data as ArrayLike<unknown>)[i];
    if (row === null || typeof row !== "object" || (row as ArrayLike<unknown>).length !== C) {
      const got =
        row !== null && typeof row === "object" && typeof (row as ArrayLike<unknown>).length === "number"
          ? `length ${(row as ArrayLike<unknown>).length}`
          : describe(row);
      throw new MetricInputError(
        `${at(preds, i)} must be a row of ${C} numbers like ${preds.name}[0] (ragged nested array), got ${got}`,
      );
    }
    return (row as ArrayLike<unknown>)[j];
  }
  return (preds.data as ArrayLike<unknown>)[batch.task === "binary" ? i : i * C + j];
}

function checkPred(batch: Batch, i: number, j: number): number {
  const v = predAt(batch, i, j);
  if (typeof v !== "number" || !Number.isFinite(v)) {
    const where = batch.task === "binary" ? at(batch.preds, i) : at(batch.preds, i, j);
    throw new MetricInputError(`${where} must be a finite number, got ${describe(v)}`);
  }
  return v;
}

function readWeight(batch: Batch, i: number): number {
  if (batch.weights === null) return 1;
  const v = (batch.weights.data as ArrayLike<unknown>)[i];
  if (typeof v !== "number" || !(v >= 0 && v < Infinity)) {
    throw new MetricInputError(`${at(batch.weights, i)} must be a finite number ≥ 0, got ${describe(v)}`);
  }
  return v;
}

function readTarget(batch: Batch, i: number): number {
  const v = (batch.target.data as ArrayLike<unknown>)[i];
  if (typeof v !== "number") {
    throw new MetricInputError(`${at(batch.target, i)} must be a number, got ${describe(v)}`);
  }
  return v;
}

function checkLabel(batch: Batch, i: number, y: number): void {
  if (batch.task === "binary") {
    if (y !== 0 && y !== 1 && y !== -1) {
      throw new MetricInputError(
        `${at(batch.target, i)} must be 0, 1 or -1 for a binary HingeLoss, got ${describe(y)}`,
      );
    }
  } else if (!(Number.isInteger(y) && y >= 0 && y < batch.C)) {
    throw new MetricInputError(
      `${at(batch.target, i)} must be an integer class index in [0, ${batch.C}) for a multiclass HingeLoss, got ${describe(y)}`,
    );
  }
}

function checkContribution(batch: Batch, i: number, c: number): number {
  if (!Number.isFinite(c)) {
    throw new MetricInputError(
      `sample ${i} has a weighted measure that overflows float64 (${c}): its scores or weight are too large`,
    );
  }
  return c;
}

/**
 * max(m, 0), exactly. The kernels' branch-free `(m + |m|) * 0.5` is the same value wherever it is finite;
 * it overflows for m > 2^1023, and such samples come here, so this form must not.
 */
function clamp(m: number): number {
  return m > 0 ? m : 0;
}

/**
 * The slow path for one sample: checks it fully (throwing the error that names the first bad position) and,
 * when it is valid, adds it to the sums exactly with the same float64 expressions as the kernels.
 */
function slowSample(batch: Batch, i: number, sums: ExactSums, options: ResolvedHingeLossOptions): number {
  const { C, task } = batch;
  // Structure and values first, in the order a reader expects: preds, target, weights.
  if (task === "multiclass") predAt(batch, i, 0);
  const y = readTarget(batch, i);
  const w = readWeight(batch, i);
  if (y === options.ignoreIndex) return 0;
  const squared = options.squared;
  if (task === "binary") {
    const x = checkPred(batch, i, 0);
    checkLabel(batch, i, y);
    const m = 1 - (y + Math.abs(y) - 1) * x;
    const h = clamp(m);
    sums.add(0, checkContribution(batch, i, w * (squared ? h * h : h)));
    sums.add(1, w);
    return 1;
  }
  for (let j = 0; j < C; j++) checkPred(batch, i, j);
  checkLabel(batch, i, y);
  if (options.multiclassMode === "crammer-singer") {
    const pt = predAt(batch, i, y) as number;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = predAt(batch, i, j) as number;
      if (j !== y && v > max) max = v;
    }
    const m = 1 - (pt - max);
    const h = clamp(m);
    sums.add(0, checkContribution(batch, i, w * (squared ? h * h : h)));
    sums.add(1, w);
    return 1;
  }
  for (let c = 0; c < C; c++) {
    const v = predAt(batch, i, c) as number;
    const m = 1 + (c === y ? -v : v);
    const h = clamp(m);
    sums.add(c, checkContribution(batch, i, w * (squared ? h * h : h)));
  }
  sums.add(C, w);
  return 1;
}

let rowBuffer = new Float64Array(64);

/** Runs one kernel call over [start, end) and returns where it stopped. */
function runKernel(
  batch: Batch,
  sums: ExactSums,
  start: number,
  end: number,
  options: ResolvedHingeLossOptions,
): number {
  const { task, C, preds, target } = batch;
  const w = batch.weights === null ? null : (batch.weights.data as ArrayLike<unknown>);
  const ignore = options.ignoreIndex ?? NaN;
  const squared = options.squared;
  const bins = sums.bins;
  // Plain (unsquared, unweighted, no ignore index) bulk batches take the two-anchor kernels; small batches
  // skip them, since each chunk commits into a BigInt.
  const pairs = !squared && w === null && options.ignoreIndex === null && end - start >= PAIR_MIN_BATCH;
  if (task === "binary") {
    if (pairs && preds.layout === "flat" && target.layout === "flat") {
      const j = binaryPairRun(preds.data, target.data, preds.typed, target.typed, start, end, bins, sums.big);
      sums.bigChanged(); // the pair kernels commit into sums.big directly
      return j;
    }
    if (preds.typed && target.typed && w === null && options.ignoreIndex === null) {
      return binaryTyped(
        preds.data as ArrayLike<number>,
        target.data as ArrayLike<number>,
        start,
        end,
        squared,
        bins,
      );
    }
    return binaryGeneral(preds.data, target.data, w, start, end, squared, ignore, bins);
  }
  const rows = preds.layout === "rows";
  // Multiclass: the two-anchor kernels first (flat float32/float64 or rows); from the first row they cannot
  // take (bad input, or a contribution for the exact slow path), the three-anchor kernels take the rest.
  let counted = 0;
  if (pairs && (rows || preds.data instanceof Float32Array || preds.data instanceof Float64Array)) {
    const j =
      options.multiclassMode === "crammer-singer"
        ? crammerSingerPairRun(preds.data, target.data, C, rows, start, end, bins, sums.big)
        : oneVsAllPairRun(preds.data, target.data, C, rows, start, end, bins, sums.big);
    sums.bigChanged(); // the pair kernels commit into sums.big directly
    if (j === end) return j;
    counted = kernelOut[0];
    start = j;
  }
  let stop: number;
  if (options.multiclassMode === "crammer-singer") {
    stop = rows
      ? crammerSingerRows(preds.data, target.data, w, C, start, end, squared, ignore, bins)
      : crammerSingerFlat(preds.data, target.data, w, C, start, end, squared, ignore, preds.typed, bins);
  } else {
    if (rowBuffer.length < C) rowBuffer = new Float64Array(C);
    stop = oneVsAll(
      preds.data,
      target.data,
      w,
      C,
      rows ? 0 : C,
      start,
      end,
      squared,
      ignore,
      preds.typed,
      rowBuffer,
      bins,
    );
  }
  kernelOut[0] += counted;
  return stop;
}

/**
 * Adds a batch to a hinge-loss state: the update step of the functional API. Structure, shapes and the task
 * are checked first; elements are checked in the same pass that computes.
 *
 * On error the state may be partly updated: {@link HingeLoss} runs this on a scratch copy and commits only
 * when it returns, so a metric is never left half-updated.
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
  const batch = readBatch(state, preds, target, weights, options);
  if (batch.n === 0) return;
  if (state.task === null) {
    state.task = batch.task;
    state.numClasses = batch.task === "multiclass" ? batch.C : null;
  }
  if (state.sums === null) state.sums = new ExactSums(hingeSumCount(batch.task, state.numClasses, options));
  const sums = state.sums;
  let i = 0;
  let samples = 0;
  while (i < batch.n) {
    if (sums.pending >= FLUSH_EVERY) sums.flush();
    const end = Math.min(batch.n, i + FLUSH_EVERY - sums.pending);
    const stop = runKernel(batch, sums, i, end, options);
    samples += kernelOut[0];
    sums.pending += stop - i;
    if (stop < end) {
      samples += slowSample(batch, stop, sums, options);
      i = stop + 1;
    } else {
      i = end;
    }
  }
  state.samples += samples;
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
  const sums = state.sums;
  const k = sums === null ? 0 : sums.size - 1;
  if (sums !== null && (state.task !== "multiclass" || options.multiclassMode !== "one-vs-all")) {
    // The common case first, with nothing but the certified fast quotient (NaN when it cannot tell).
    const fast = sums.fastRatio(0, k);
    if (fast === fast) return fast;
  }
  // Weights are ≥ 0, so the exact total is 0 only when every part of it is 0.
  if (sums === null || sums.isZero(k)) {
    throw new MetricStateError(
      sums === null
        ? "HingeLoss.compute() called with nothing accumulated: update() it with at least one sample first"
        : "HingeLoss.compute() called with nothing accumulated: the total weight is 0 (all samples ignored or weighted 0)",
    );
  }
  if (state.task === "multiclass" && options.multiclassMode === "one-vs-all") {
    const out = new Array<number>(k);
    for (let c = 0; c < k; c++) out[c] = sums.ratio(c, k);
    return out;
  }
  // The fast quotient above could not certify it (a near tie, an extreme range): the exact division.
  return roundQuotient(sums.scaled(0), sums.scaled(k));
}

function oneShot(
  preds: TensorLike,
  target: TensorLike,
  options: HingeLossOptions | undefined,
  weights: TensorLike | undefined,
  only: HingeTask | null,
  caller: string,
): HingeValue {
  const resolved = resolveHingeLossOptions(options);
  const state = emptyHingeState();
  if (only !== null) {
    const view = toTensorView(preds, "preds");
    const task = view.shape.length === 2 && view.shape[1] >= 2 ? "multiclass" : "binary";
    if (task !== only) {
      throw new MetricInputError(
        `${caller} takes ${only === "binary" ? "preds of shape (N)" : "preds of shape (N, C) with C ≥ 2"}, got shape ${shapeText(view.shape)}`,
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
 * @param preds - decision values `(N)`, `(N, 1)` or `(N, C)`
 * @param target - labels `(N)`
 * @param options - {@link HingeLossOptions}
 * @param weights - optional per-sample weights `(N)`
 * @returns the mean hinge loss (one value per class for one-vs-all)
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} (no samples)
 * @example
 * ```ts
 * hingeLoss([-2.2, 2.4, 0.1], [0, 1, 1]); // => 0.3
 * hingeLoss([[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2], { multiclassMode: "one-vs-all" });
 * // => [2.2333333333333334, 1.5, 1.2333333333333334]
 * ```
 */
export function hingeLoss(
  preds: TensorLike,
  target: TensorLike,
  options?: HingeLossOptions,
  weights?: TensorLike,
): HingeValue {
  return oneShot(preds, target, options, weights, null, "hingeLoss");
}

/**
 * One-shot binary hinge loss: preds `(N)` or `(N, 1)`, targets 0/1 (or -1 for the negative class).
 *
 * @param preds - decision values
 * @param target - labels
 * @param options - `squared`, `ignoreIndex`
 * @param weights - optional per-sample weights
 * @returns the mean hinge loss
 * @throws {@link MetricInputError} for multiclass-shaped preds or any bad input
 * @example
 * ```ts
 * binaryHingeLoss([-2.2, 2.4, 0.1], [0, 1, 1], { squared: true }); // => 0.27
 * ```
 */
export function binaryHingeLoss(
  preds: TensorLike,
  target: TensorLike,
  options?: Omit<HingeLossOptions, "numClasses" | "multiclassMode">,
  weights?: TensorLike,
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
