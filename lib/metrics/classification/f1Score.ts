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
 * Binary F1 score, `2 tp / (2 tp + fp + fn)` (torchmetrics' `BinaryF1Score`), from exact counts; 0/0 is
 * `zeroDivision` (0 by default).
 *
 * @example
 * ```ts
 * new BinaryF1Score().update([0, 0, 1, 1, 0, 1], [0, 1, 0, 1, 0, 1]).compute(); // => 0.6666666666666666
 * ```
 */
export class BinaryF1Score extends BinaryClassificationMetric<number, Resolved<"binaryZeroDivision">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryF1Score";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryZeroDivisionOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryZeroDivisionOptions = {}) {
    super(resolveClassificationOptions("binaryZeroDivision", options, "BinaryF1Score"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.fbeta(1, this.options.zeroDivision));
  }
}
registerMetric(BinaryF1Score);

/**
 * Multiclass F1 score (torchmetrics' `MulticlassF1Score`): each class's `2 tp / (2 tp + fp + fn)`, averaged
 * as `average` says (`"macro"` by default, over the classes that occur in targets or predictions).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassF1Score({ numClasses: 3 });
 * m.update([[0.16, 0.26, 0.58], [0.22, 0.61, 0.17], [0.71, 0.09, 0.2], [0.05, 0.82, 0.13]], [2, 1, 0, 0]);
 * m.compute(); // => 0.7777777777777777
 * ```
 */
export class MulticlassF1Score<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclassZeroDivision">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassF1Score";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassZeroDivisionOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassZeroDivisionOptions<A>) {
    super(resolveClassificationOptions("multiclassZeroDivision", options, "MulticlassF1Score"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    const score = scores.fbeta(1, o.zeroDivision);
    return averageScore(score, this.classCounts(true), o.average, "present") as Averaged<A>;
  }
}
registerMetric(MulticlassF1Score);

/**
 * The constructor type of {@link F1Score}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: F1ScoreConstructor = F1Score;
 * ```
 */
export interface F1ScoreConstructor {
  /** A {@link BinaryF1Score}. */
  new (options: { task: "binary" } & BinaryZeroDivisionOptions): BinaryF1Score;
  /** A {@link MulticlassF1Score}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassZeroDivisionOptions<A>,
  ): MulticlassF1Score<A>;
}

/**
 * torchmetrics' task wrapper: `new F1Score({ task: "binary", … })` is a {@link BinaryF1Score}, `task:
 * "multiclass"` a {@link MulticlassF1Score}.
 *
 * @example
 * ```ts
 * new F1Score({ task: "binary" }) instanceof BinaryF1Score; // => true
 * ```
 */
export const F1Score = taskWrapper("F1Score", BinaryF1Score, MulticlassF1Score) as F1ScoreConstructor;

/**
 * Binary F1 score of one batch (torchmetrics' `binary_f1_score`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryZeroDivisionOptions}
 * @returns the F1 score
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binaryF1Score([0.9, 0.8, 0.1], [1, 0, 1]); // => 0.5
 * ```
 */
export function binaryF1Score(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryZeroDivisionOptions = {},
): number {
  return oneShot(BinaryF1Score, preds, target, options);
}

/**
 * Multiclass F1 score of one batch (torchmetrics' `multiclass_f1_score`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassZeroDivisionOptions}
 * @returns the F1 score, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassF1Score([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3, average: "none" }); // => [0.6666666666666666, 0.6666666666666666, 1]
 * ```
 */
export function multiclassF1Score<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassZeroDivisionOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassF1Score<A>, preds, target, options);
}

/**
 * F1 score of one batch for a `task` (torchmetrics' `f1_score`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the F1 score (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * f1Score([1, 1, 0], [1, 0, 0], { task: "multiclass", numClasses: 2, average: "micro" }); // => 0.6666666666666666
 * ```
 */
export function f1Score(
  preds: TensorLike,
  target: TensorLike,
  options:
    | ({ task: "binary" } & BinaryZeroDivisionOptions)
    | ({ task: "multiclass" } & MulticlassZeroDivisionOptions),
): number | number[] {
  return oneShotTask("f1Score", BinaryF1Score, MulticlassF1Score, preds, target, options) as
    number | number[];
}
