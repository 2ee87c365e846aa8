import type { TensorLike } from "../../input/index.js";
import { registerMetric } from "../registry.js";
import { BinaryClassificationMetric, MulticlassClassificationMetric } from "./base.js";
import {
  resolveClassificationOptions,
  type Average,
  type Averaged,
  type BinaryOptions,
  type MulticlassOptions,
  type Resolved,
} from "./options.js";
import { averageScore, scores } from "./reduce.js";
import { oneShot, oneShotTask, taskWrapper } from "./task.js";

/**
 * Binary accuracy, `(tp + tn) / (tp + fp + tn + fn)` (torchmetrics' `BinaryAccuracy`), from exact counts.
 * Preds are probabilities compared with `threshold` (strictly above is positive), labels (integer typed
 * arrays), or logits with `inputTransform: "sigmoid"`; targets are 0 or 1.
 *
 * @example
 * ```ts
 * const m = new BinaryAccuracy();
 * m.update([0.11, 0.22, 0.84, 0.73, 0.33, 0.92], [0, 1, 0, 1, 0, 1]);
 * m.compute(); // => 0.6666666666666666
 * ```
 */
export class BinaryAccuracy extends BinaryClassificationMetric<number, Resolved<"binary">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryAccuracy";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryOptions = {}) {
    super(resolveClassificationOptions("binary", options, "BinaryAccuracy"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.binaryAccuracy);
  }
}
registerMetric(BinaryAccuracy);

/**
 * Multiclass accuracy (torchmetrics' `MulticlassAccuracy`): each class's `tp / (tp + fn)`, averaged as
 * `average` says (`"macro"` by default; `"micro"` is the fraction of samples predicted right, and so is
 * `"weighted"`). Preds are labels `(N)` or scores `(N, C)` (argmax, first of ties; `topK`).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassAccuracy({ numClasses: 3, average: "none" });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [0.5, 1, 1]
 * new MulticlassAccuracy({ numClasses: 3 }).update([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]], [1, 2]).compute(); // => 0.3333333333333333
 * ```
 */
export class MulticlassAccuracy<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclass">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassAccuracy";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassOptions<A>) {
    super(resolveClassificationOptions("multiclass", options, "MulticlassAccuracy"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    const keep = o.topK > 1 ? "targeted" : "present";
    return averageScore(scores.classAccuracy, this.classCounts(true), o.average, keep) as Averaged<A>;
  }
}
registerMetric(MulticlassAccuracy);

/**
 * The constructor type of {@link Accuracy}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: AccuracyConstructor = Accuracy;
 * ```
 */
export interface AccuracyConstructor {
  /** A {@link BinaryAccuracy}. */
  new (options: { task: "binary" } & BinaryOptions): BinaryAccuracy;
  /** A {@link MulticlassAccuracy}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassOptions<A>,
  ): MulticlassAccuracy<A>;
}

/**
 * torchmetrics' task wrapper: `new Accuracy({ task: "binary", … })` is a {@link BinaryAccuracy}, `task:
 * "multiclass"` a {@link MulticlassAccuracy} (the wrapper returns the concrete class).
 *
 * @example
 * ```ts
 * const m = new Accuracy({ task: "multiclass", numClasses: 4 });
 * m instanceof MulticlassAccuracy; // => true
 * ```
 */
export const Accuracy = taskWrapper("Accuracy", BinaryAccuracy, MulticlassAccuracy) as AccuracyConstructor;

/**
 * Binary accuracy of one batch (torchmetrics' `binary_accuracy`), on the class's kernel.
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryOptions}
 * @returns the accuracy
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binaryAccuracy([0.9, 0.4, 0.6], [1, 0, 0]); // => 0.6666666666666666
 * ```
 */
export function binaryAccuracy(preds: TensorLike, target: TensorLike, options: BinaryOptions = {}): number {
  return oneShot(BinaryAccuracy, preds, target, options);
}

/**
 * Multiclass accuracy of one batch (torchmetrics' `multiclass_accuracy`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassOptions}
 * @returns the accuracy, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassAccuracy([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3, average: "micro" }); // => 0.75
 * ```
 */
export function multiclassAccuracy<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassAccuracy<A>, preds, target, options);
}

/**
 * Accuracy of one batch for a `task` (torchmetrics' `accuracy`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the accuracy (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * accuracy([0.9, 0.2], [1, 1], { task: "binary" }); // => 0.5
 * ```
 */
export function accuracy(
  preds: TensorLike,
  target: TensorLike,
  options: ({ task: "binary" } & BinaryOptions) | ({ task: "multiclass" } & MulticlassOptions),
): number | number[] {
  return oneShotTask("accuracy", BinaryAccuracy, MulticlassAccuracy, preds, target, options) as
    number | number[];
}
