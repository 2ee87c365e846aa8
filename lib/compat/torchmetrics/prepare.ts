import { MetricInputError } from "../../errors/index.js";
import { describe } from "../../options/index.js";
import { positionText, readNdArray, shapeText, type NdArray } from "./ndarray.js";
import type { ResolvedBinaryOptions, ResolvedMulticlassOptions } from "./options.js";

/**
 * A batch after torchmetrics 1.x's formatting: flattened, ignored samples removed, transformed; ready for
 * the core hinge-loss update (`preds` `(M)` or `(M, C)`, `target` `(M)` with 0/1 or class indices).
 */
export interface PreparedBatch {
  /** Scores, row-major. */
  readonly preds: { readonly data: Float64Array; readonly shape: readonly number[] };
  /** Labels: 0/1 (binary) or class indices (multiclass). */
  readonly target: Float64Array;
  /** Samples kept (after ignoreIndex). */
  readonly samples: number;
  /** The transform that was applied to this batch. */
  readonly transform: "none" | "sigmoid" | "softmax";
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function readLabel(view: NdArray, i: number): number {
  const v = view.data[i];
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "number") {
    throw new MetricInputError(
      `${positionText(view.name, i, view.shape)} must be a number (a label), got ${describe(v)}`,
    );
  }
  return v;
}

function readScore(view: NdArray, i: number): number {
  const v = view.data[i];
  if (typeof v !== "number" || Number.isNaN(v)) {
    throw new MetricInputError(
      `${positionText(view.name, i, view.shape)} must be a number (a probability or a logit), got ${describe(v)}`,
    );
  }
  return v;
}

function checkPredsType(preds: NdArray, validateArgs: boolean): void {
  if (preds.dtype === "bigint") {
    throw new MetricInputError(
      `Expected argument \`preds\` to be floating tensor with probabilities/logits but got tensor with dtype ${preds.data.constructor.name}`,
    );
  }
  if (preds.dtype === "int" && validateArgs) {
    throw new MetricInputError(
      `Expected argument \`preds\` to be floating tensor with probabilities/logits but got tensor with dtype ${preds.data.constructor.name} (pass validateArgs: false to use integer scores as they are)`,
    );
  }
}

/**
 * The logistic function in float64, `1 / (1 + e^-x)` (as torch's `sigmoid`); ±Infinity gives 1 / 0.
 *
 * @param x - a logit
 * @returns the probability
 * @example
 * ```ts
 * sigmoid(0); // => 0.5
 * ```
 */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Formats a binary batch as torchmetrics 1.x does (`_binary_confusion_matrix_format` with
 * `convert_to_labels=False`): preds and target of the same shape `(N, ...)` are flattened, ignored positions
 * dropped, then the transform is applied (for `"auto"`: a sigmoid on the whole batch when any kept value lies
 * outside [0, 1]). Every element is checked, and errors name the position in the caller's array.
 *
 * @param predsIn - probabilities or logits, shape `(N, ...)`
 * @param targetIn - 0/1 labels (or the ignore index), the same shape
 * @param options - resolved binary options
 * @returns the flattened, filtered, transformed batch
 * @throws {@link MetricInputError} for a shape mismatch, a target other than 0, 1 or the ignore index, a
 * NaN score, or an infinite score that no sigmoid will map
 * @example
 * ```ts
 * prepareBinary([-2.2, 2.4], [0, 1], resolveBinaryOptions({})).transform; // => "sigmoid"
 * ```
 */
export function prepareBinary(
  predsIn: unknown,
  targetIn: unknown,
  options: ResolvedBinaryOptions,
): PreparedBatch {
  const preds = readNdArray(predsIn, "preds");
  checkPredsType(preds, options.validateArgs);
  const target = readNdArray(targetIn, "target");
  if (!sameShape(preds.shape, target.shape)) {
    throw new MetricInputError(
      `Predictions and targets are expected to have the same shape, but got preds ${shapeText(preds.shape)} and target ${shapeText(target.shape)}`,
    );
  }
  const n = preds.data.length;
  const ignore = options.ignoreIndex;
  let kept = 0;
  let outside = false;
  let firstInfinite = -1;
  const pd = preds.data;
  const td = target.data;
  for (let i = 0; i < n; i++) {
    const label = td[i];
    const y = typeof label === "number" ? label : readLabel(target, i);
    if (y === ignore) continue;
    const score = pd[i];
    const x = typeof score === "number" && score === score ? score : readScore(preds, i);
    if (y !== 0 && y !== 1) {
      const also = ignore === null ? "" : ` (or the ignoreIndex ${ignore})`;
      throw new MetricInputError(
        `${positionText("target", i, target.shape)} must be 0 or 1${also} for a BinaryHingeLoss, got ${describe(y)}`,
      );
    }
    kept++;
    if (!(x >= 0 && x <= 1)) outside = true;
    if (firstInfinite < 0 && !Number.isFinite(x)) firstInfinite = i;
  }
  const transform =
    options.inputTransform === "sigmoid" ||
    (options.inputTransform === "auto" && outside && preds.dtype !== "int")
      ? "sigmoid"
      : "none";
  if (firstInfinite >= 0 && transform === "none") {
    throw new MetricInputError(
      `${positionText("preds", firstInfinite, preds.shape)} must be finite when no sigmoid is applied, got ${describe(preds.data[firstInfinite])}`,
    );
  }
  const outPreds = new Float64Array(kept);
  const outTarget = new Float64Array(kept);
  let k = 0;
  const sig = transform === "sigmoid";
  for (let i = 0; i < n; i++) {
    const label = td[i];
    const y = typeof label === "number" ? label : readLabel(target, i);
    if (y === ignore) continue;
    const x = pd[i] as number;
    outPreds[k] = sig ? 1 / (1 + Math.exp(-x)) : x;
    outTarget[k] = y;
    k++;
  }
  return { preds: { data: outPreds, shape: [kept] }, target: outTarget, samples: kept, transform };
}

/**
 * Formats a multiclass batch as torchmetrics 1.x does (`_multiclass_confusion_matrix_format` with
 * `convert_to_labels=False`): preds `(N, C, ...)` become `movedim(1, -1).reshape(-1, C)`, the target
 * `(N, ...)` is flattened, ignored rows are dropped, then the transform is applied (for `"auto"`: a softmax
 * over the classes of every row when any kept value lies outside [0, 1]).
 *
 * @param predsIn - scores `(N, C, ...)`
 * @param targetIn - class indices `(N, ...)`
 * @param options - resolved multiclass options
 * @returns the rows `(M, C)`, their targets and the transform applied
 * @throws {@link MetricInputError} for bad shapes (torchmetrics' messages where it has them), a target
 * outside [0, C) that is not the ignore index, or a non-finite score
 * @example
 * ```ts
 * prepareMulticlass([[0.25, 0.75]], [1], resolveMulticlassOptions({ numClasses: 2 })).transform; // => "none"
 * ```
 */
export function prepareMulticlass(
  predsIn: unknown,
  targetIn: unknown,
  options: ResolvedMulticlassOptions,
): PreparedBatch {
  const C = options.numClasses;
  const preds = readNdArray(predsIn, "preds");
  checkPredsType(preds, options.validateArgs);
  const target = readNdArray(targetIn, "target");
  const ps = preds.shape;
  const ts = target.shape;
  if (ps.length !== ts.length + 1 || ps.length < 2) {
    throw new MetricInputError(
      `preds must have shape (N, C, ...) and target shape (N, ...) for a MulticlassHingeLoss with numClasses ${C}, got preds ${shapeText(ps)} and target ${shapeText(ts)}`,
    );
  }
  if (ps[1] !== C) {
    throw new MetricInputError(
      `If \`preds\` have one dimension more than \`target\`, \`preds.shape[1]\` should be equal to number of classes: numClasses is ${C}, got preds ${shapeText(ps)}`,
    );
  }
  if (ps[0] !== ts[0] || !sameShape(ps.slice(2), ts.slice(1))) {
    throw new MetricInputError(
      `If \`preds\` have one dimension more than \`target\`, the shape of \`preds\` should be (N, C, ...), and the shape of \`target\` should be (N, ...): got preds ${shapeText(ps)} and target ${shapeText(ts)}`,
    );
  }
  const N = ps[0];
  const S = ps.slice(2).reduce((a, b) => a * b, 1);
  const M = N * S;
  const ignore = options.ignoreIndex;
  let kept = 0;
  let outside = false;
  for (let m = 0; m < M; m++) {
    const y = readLabel(target, m);
    if (y === ignore) continue;
    const base = Math.floor(m / S) * C * S + (m % S);
    for (let c = 0; c < C; c++) {
      const at = base + c * S;
      const x = readScore(preds, at);
      if (!Number.isFinite(x)) {
        throw new MetricInputError(
          `${positionText("preds", at, ps)} must be a finite number, got ${describe(x)}`,
        );
      }
      if (!(x >= 0 && x <= 1)) outside = true;
    }
    if (!(Number.isInteger(y) && y >= 0 && y < C)) {
      const also = ignore === null ? "" : ` (or the ignoreIndex ${ignore})`;
      throw new MetricInputError(
        `${positionText("target", m, ts)} must be an integer class index in [0, ${C})${also} for a MulticlassHingeLoss, got ${describe(y)}`,
      );
    }
    kept++;
  }
  const transform =
    options.inputTransform === "softmax" ||
    (options.inputTransform === "auto" && outside && preds.dtype !== "int")
      ? "softmax"
      : "none";
  const outPreds = new Float64Array(kept * C);
  const outTarget = new Float64Array(kept);
  let k = 0;
  for (let m = 0; m < M; m++) {
    const y = readLabel(target, m);
    if (y === ignore) continue;
    const base = Math.floor(m / S) * C * S + (m % S);
    const row = k * C;
    for (let c = 0; c < C; c++) outPreds[row + c] = preds.data[base + c * S] as number;
    if (transform === "softmax") {
      let max = -Infinity;
      for (let c = 0; c < C; c++) if (outPreds[row + c] > max) max = outPreds[row + c];
      let sum = 0;
      for (let c = 0; c < C; c++) {
        const e = Math.exp(outPreds[row + c] - max);
        outPreds[row + c] = e;
        sum += e;
      }
      for (let c = 0; c < C; c++) outPreds[row + c] /= sum;
    }
    outTarget[k] = y;
    k++;
  }
  return { preds: { data: outPreds, shape: [kept, C] }, target: outTarget, samples: kept, transform };
}
