import type { TensorLike } from "../../input/index.js";
import { registerMetric } from "../registry.js";
import { BinaryClassificationMetric, MulticlassClassificationMetric } from "./base.js";
import {
  resolveClassificationOptions,
  type Average,
  type Averaged,
  type BinaryZeroDivisionOptions,
  type MulticlassZeroDivisionOptions,
  type Resolved,
} from "./options.js";
import { averageScore, scores } from "./reduce.js";
import { oneShot, oneShotTask, taskWrapper } from "./task.js";

/**
 * Binary recall, `tp / (tp + fn)` (torchmetrics' `BinaryRecall`), from exact counts; with no positive target
 * it is `zeroDivision` (0 by default).
 *
 * @example
 * ```ts
 * new BinaryRecall().update([0.9, 0.8, 0.3, 0.6], [1, 0, 1, 1]).compute(); // => 0.6666666666666666
 * ```
 */
export class BinaryRecall extends BinaryClassificationMetric<number, Resolved<"binaryZeroDivision">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryRecall";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryZeroDivisionOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryZeroDivisionOptions = {}) {
    super(resolveClassificationOptions("binaryZeroDivision", options, "BinaryRecall"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.recall(this.options.zeroDivision));
  }
}
registerMetric(BinaryRecall);

/**
 * Multiclass recall (torchmetrics' `MulticlassRecall`): each class's `tp / (tp + fn)` (`zeroDivision`
 * for a class never a target), averaged as `average` says (`"macro"` by default, over the classes that
 * occur; with `topK > 1` over the classes that occur as targets, as torchmetrics 1.9 does).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassRecall({ numClasses: 3, average: "none" });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [0.5, 1, 1]
 * ```
 */
export class MulticlassRecall<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclassZeroDivision">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassRecall";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassZeroDivisionOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassZeroDivisionOptions<A>) {
    super(resolveClassificationOptions("multiclassZeroDivision", options, "MulticlassRecall"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    const keep = o.topK > 1 ? "targeted" : "present";
    const score = scores.recall(o.zeroDivision);
    return averageScore(score, this.classCounts(true), o.average, keep) as Averaged<A>;
  }
}
registerMetric(MulticlassRecall);

/**
 * The constructor type of {@link Recall}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: RecallConstructor = Recall;
 * ```
 */
export interface RecallConstructor {
  /** A {@link BinaryRecall}. */
  new (options: { task: "binary" } & BinaryZeroDivisionOptions): BinaryRecall;
  /** A {@link MulticlassRecall}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassZeroDivisionOptions<A>,
  ): MulticlassRecall<A>;
}

/**
 * torchmetrics' task wrapper: `new Recall({ task: "binary", … })` is a {@link BinaryRecall}, `task:
 * "multiclass"` a {@link MulticlassRecall}.
 *
 * @example
 * ```ts
 * new Recall({ task: "binary" }) instanceof BinaryRecall; // => true
 * ```
 */
export const Recall = taskWrapper("Recall", BinaryRecall, MulticlassRecall) as RecallConstructor;

/**
 * Binary recall of one batch (torchmetrics' `binary_recall`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryZeroDivisionOptions}
 * @returns the recall
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binaryRecall([0.9, 0.8, 0.1], [1, 0, 1]); // => 0.5
 * ```
 */
export function binaryRecall(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryZeroDivisionOptions = {},
): number {
  return oneShot(BinaryRecall, preds, target, options);
}

/**
 * Multiclass recall of one batch (torchmetrics' `multiclass_recall`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassZeroDivisionOptions}
 * @returns the recall, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassRecall([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3 }); // => 0.8333333333333334
 * ```
 */
export function multiclassRecall<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassZeroDivisionOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassRecall<A>, preds, target, options);
}

/**
 * Recall of one batch for a `task` (torchmetrics' `recall`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the recall (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * recall([0.7, 0.2], [1, 1], { task: "binary" }); // => 0.5
 * recall([0.7, 0.2], [0, 0], { task: "binary", zeroDivision: 1 }); // => 1
 * ```
 */
export function recall(
  preds: TensorLike,
  target: TensorLike,
  options:
    | ({ task: "binary" } & BinaryZeroDivisionOptions)
    | ({ task: "multiclass" } & MulticlassZeroDivisionOptions),
): number | number[] {
  return oneShotTask("recall", BinaryRecall, MulticlassRecall, preds, target, options) as number | number[];
}
