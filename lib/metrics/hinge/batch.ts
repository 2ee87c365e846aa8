/**
 * Reading a hinge-loss batch: its structure (shapes, lengths, the task, the class-count limit) checked up
 * front, element access with positions for messages, and the exact slow path for one sample (which also
 * builds the error message for the first bad element a kernel stopped at).
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import {
  assertAttachedPair,
  numericView,
  squeezeColumn,
  toTensorView,
  type TensorView,
} from "../../input/index.js";
import { describe, type ResolvedHingeLossOptions } from "../../options/index.js";
import type { ExactSum } from "../../state/index.js";
import type { HingeWasm } from "../../wasm/loader.js";
import type { HingeState, HingeTask } from "./functional.js";
import { KernelScratch } from "./pairs.js";

/**
 * The most classes a hinge-loss state holds (2^24): `update` refuses wider preds, and `fromJSON` and the
 * options' `numClasses` accept exactly up to it, so every state `update` makes can be saved and merged.
 *
 * @example
 * ```ts
 * MAX_CLASSES; // => 16777216
 * ```
 */
export const MAX_CLASSES = 16777216;

/** A batch whose structure was checked (elements are checked by the kernels). */
export interface Batch {
  task: HingeTask;
  n: number;
  C: number;
  preds: TensorView;
  target: TensorView;
  weights: TensorView | null;
}

/** `[2, 3]`, for messages. */
export function shapeText(shape: readonly number[]): string {
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

const NO_DATA: ArrayLike<unknown> = [];

/**
 * What one update call works in: the kernels' scratch and the fast path's batch views, reused from call to
 * call by the metric that owns it (no allocation per update) and released when the update returns (no
 * batch stays referenced). A re-entrant update (from a getter inside a batch) takes a fresh one.
 */
export class HingeScratch extends KernelScratch {
  readonly fastPreds = { data: NO_DATA, shape: [0], layout: "flat", typed: true, name: "preds" };
  readonly fastTarget = { data: NO_DATA, shape: [0], layout: "flat", typed: true, name: "target" };
  readonly fastBatch: Batch = {
    task: "binary",
    n: 0,
    C: 1,
    preds: this.fastPreds as TensorView,
    target: this.fastTarget as TensorView,
    weights: null,
  };
  /**
   * The owner's own instance of the WebAssembly kernels (lib/wasm; its memory is scratch space too): undefined
   * until the first batch that takes them; null forces the JS kernels (set by the specs and bench/wasm.ts only).
   */
  wasm: HingeWasm | null | undefined = undefined;

  /** Drops the references to the last batch. */
  release(): void {
    this.fastPreds.data = NO_DATA;
    this.fastTarget.data = NO_DATA;
    this.busy = false;
  }
}

/** Reads and checks the structure of a batch (shapes, lengths, task); elements are checked by the kernels. */
export function readBatch(
  scratch: HingeScratch,
  state: HingeState,
  predsIn: unknown,
  targetIn: unknown,
  weightsIn: unknown,
  options: ResolvedHingeLossOptions,
): Batch {
  if (
    (weightsIn === undefined || weightsIn === null) &&
    options.numClasses === null &&
    state.task.value !== "multiclass" &&
    isNumericTypedArray(predsIn) &&
    isNumericTypedArray(targetIn)
  ) {
    // The common streaming case, binary typed arrays: the same checks as below, without building views.
    const n = predsIn.length;
    if (n === 0 || targetIn.length === 0) assertAttachedPair(predsIn, targetIn);
    if (targetIn.length !== n)
      throw new MetricInputError(`target has ${targetIn.length} elements but preds has ${n} samples`);
    scratch.fastPreds.data = predsIn;
    scratch.fastPreds.shape[0] = n;
    scratch.fastTarget.data = targetIn;
    scratch.fastTarget.shape[0] = n;
    scratch.fastBatch.n = n;
    return scratch.fastBatch;
  }
  const preds = readView(predsIn, "preds");
  if (preds.data instanceof BigInt64Array || preds.data instanceof BigUint64Array) {
    throw new MetricInputError(
      `preds must hold numbers (decision values), got a ${preds.data.constructor.name}`,
    );
  }
  const rank = preds.shape.length;
  if (rank > 2) {
    throw new MetricInputError(`preds must have shape (N) or (N, C), got shape ${shapeText(preds.shape)}`);
  }
  // A plain number (shape []) is one binary sample, as torchmetrics takes a 0-d tensor.
  const n = rank === 0 ? 1 : preds.shape[0];
  const C = rank === 2 ? preds.shape[1] : 1;
  if (rank === 2 && C === 0 && n > 0) {
    throw new MetricInputError(`preds must have at least one column, got shape ${shapeText(preds.shape)}`);
  }
  if (C > MAX_CLASSES) {
    throw new MetricInputError(
      `preds has ${C} columns (shape ${shapeText(preds.shape)}): a HingeLoss holds at most ${MAX_CLASSES} classes`,
    );
  }
  const task: HingeTask = C >= 2 ? "multiclass" : "binary";
  const predsView = task === "binary" ? squeezeColumn(preds) : preds;
  if (options.numClasses !== null && n > 0) {
    if (rank === 0) {
      throw new MetricInputError(
        `preds is a single number (one binary sample) but numClasses is ${options.numClasses}: ` +
          `expected the sample's ${options.numClasses} scores as a row, shape (1, ${options.numClasses})`,
      );
    }
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
  const target = squeezeColumn(numericView(readView(targetIn, "target")));
  if (target.shape.length > 1 || target.layout !== "flat") {
    throw new MetricInputError(`target must have shape (N) or (N, 1), got shape ${shapeText(target.shape)}`);
  }
  if (lengthOf(target) !== n) {
    throw new MetricInputError(`target has ${lengthOf(target)} elements but preds has ${n} samples`);
  }
  let weights: TensorView | null = null;
  if (weightsIn !== undefined && weightsIn !== null) {
    weights = squeezeColumn(readView(weightsIn, "weights"));
    if (weights.data instanceof BigInt64Array || weights.data instanceof BigUint64Array) {
      throw new MetricInputError(`weights must hold numbers, got a ${weights.data.constructor.name}`);
    }
    if (weights.shape.length > 1 || weights.layout !== "flat") {
      throw new MetricInputError(`weights must have shape (N), got shape ${shapeText(weights.shape)}`);
    }
    if (lengthOf(weights) !== n) {
      throw new MetricInputError(`weights has ${lengthOf(weights)} elements but preds has ${n} samples`);
    }
  }
  const fixedTask = state.task.value;
  if (n > 0 && fixedTask !== null) {
    if (rank === 0 && fixedTask === "multiclass") {
      throw new MetricInputError(
        `preds is a single number (one binary sample) but this metric has accumulated multiclass batches of ` +
          `${state.numClasses.value} classes: pass the sample's scores as a row, shape (1, ${state.numClasses.value})`,
      );
    }
    if (fixedTask !== task) {
      throw new MetricInputError(
        `preds has shape ${shapeText(preds.shape)} (${task}) but this metric has accumulated ${fixedTask} batches; ` +
          `one metric holds one task (reset() it or use another)`,
      );
    }
    if (task === "multiclass" && state.numClasses.value !== C) {
      throw new MetricInputError(
        `preds has ${C} classes (shape ${shapeText(preds.shape)}) but earlier batches had ${state.numClasses.value}`,
      );
    }
  }
  return { task, n, C, preds: predsView, target, weights };
}

/**
 * A batch argument as a view: a plain number is a 0-d tensor (shape `[]`, one element), as `readTensor`
 * reads it; anything else is read by `toTensorView`.
 */
function readView(value: unknown, name: string): TensorView {
  if (typeof value === "number") return { data: [value], shape: [], layout: "flat", typed: false, name };
  if (typeof value === "bigint") {
    throw new MetricInputError(
      `${name} must be a number or an array of numbers (or a tensor), got the BigInt ${value}n: pass Number(${name})`,
    );
  }
  return toTensorView(value, name);
}

/** Elements of a rank-0 or rank-1 view. */
function lengthOf(view: TensorView): number {
  return view.shape.length === 0 ? 1 : view.shape[0];
}

function at(view: TensorView, i: number, j?: number): string {
  if (view.shape.length === 0) return view.name; // a plain number: no position to name
  return j === undefined ? `${view.name}[${i}]` : `${view.name}[${i}][${j}]`;
}

export function predAt(batch: Batch, i: number, j: number): unknown {
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
export function slowSample(
  batch: Batch,
  i: number,
  measure: ExactSum,
  total: ExactSum,
  options: ResolvedHingeLossOptions,
): number {
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
    measure.add(checkContribution(batch, i, w * (squared ? h * h : h)));
    total.add(w);
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
    measure.add(checkContribution(batch, i, w * (squared ? h * h : h)));
    total.add(w);
    return 1;
  }
  for (let c = 0; c < C; c++) {
    const v = predAt(batch, i, c) as number;
    const m = 1 + (c === y ? -v : v);
    const h = clamp(m);
    measure.add(checkContribution(batch, i, w * (squared ? h * h : h)), c);
  }
  total.add(w);
  return 1;
}
