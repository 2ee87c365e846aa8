import type { TensorLike } from "../../input/index.js";
import { registerMetric } from "../registry.js";
import { BinaryClassificationMetric, MulticlassClassificationMetric } from "./base.js";
import {
  resolveClassificationOptions,
  type Average,
  type Averaged,
  type BinaryFBetaOptions,
  type MulticlassFBetaOptions,
  type Resolved,
} from "./options.js";
import { averageScore, scores } from "./reduce.js";
import { oneShot, oneShotTask, taskWrapper } from "./task.js";

/**
 * Binary F-beta score, `(1 + β²) tp / ((1 + β²) tp + β² fn + fp)` (torchmetrics' `BinaryFBetaScore`), from
 * exact counts; 0/0 is `zeroDivision` (0 by default). `beta > 1` weighs recall more, `beta < 1` precision.
 *
 * @example
 * ```ts
 * // tp 1, fp 1, fn 1: 5 / (5 + 4 + 1)
 * new BinaryFBetaScore({ beta: 2 }).update([0.9, 0.8, 0.1], [1, 0, 1]).compute(); // => 0.5
 * ```
 */
export class BinaryFBetaScore extends BinaryClassificationMetric<number, Resolved<"binaryFBeta">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryFBetaScore";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryFBetaOptions} (`beta` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `beta`
   */
  constructor(options: BinaryFBetaOptions) {
    super(resolveClassificationOptions("binaryFBeta", options, "BinaryFBetaScore"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.fbeta(this.options.beta, this.options.zeroDivision));
  }
}
registerMetric(BinaryFBetaScore);

/**
 * Multiclass F-beta score (torchmetrics' `MulticlassFBetaScore`): each class's F-beta score, averaged as
 * `average` says (`"macro"` by default, over the classes that occur in targets or predictions, whatever
 * `topK`, as torchmetrics 1.9 does).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassFBetaScore({ numClasses: 3, beta: 1 });
 * m.update([[0.16, 0.26, 0.58], [0.22, 0.61, 0.17], [0.71, 0.09, 0.2], [0.05, 0.82, 0.13]], [2, 1, 0, 0]);
 * m.compute(); // => 0.7777777777777777
 * ```
 */
export class MulticlassFBetaScore<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclassFBeta">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassFBetaScore";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassFBetaOptions} (`numClasses` and `beta` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses` or `beta`
   */
  constructor(options: MulticlassFBetaOptions<A>) {
    super(resolveClassificationOptions("multiclassFBeta", options, "MulticlassFBetaScore"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    const score = scores.fbeta(o.beta, o.zeroDivision);
    return averageScore(score, this.classCounts(true), o.average, "present") as Averaged<A>;
  }
}
registerMetric(MulticlassFBetaScore);

/**
 * The constructor type of {@link FBetaScore}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: FBetaScoreConstructor = FBetaScore;
 * ```
 */
export interface FBetaScoreConstructor {
  /** A {@link BinaryFBetaScore}. */
  new (options: { task: "binary" } & BinaryFBetaOptions): BinaryFBetaScore;
  /** A {@link MulticlassFBetaScore}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassFBetaOptions<A>,
  ): MulticlassFBetaScore<A>;
}

/**
 * torchmetrics' task wrapper: `new FBetaScore({ task: "binary", … })` is a {@link BinaryFBetaScore}, `task:
 * "multiclass"` a {@link MulticlassFBetaScore}.
 *
 * @example
 * ```ts
 * new FBetaScore({ task: "binary", beta: 0.5 }) instanceof BinaryFBetaScore; // => true
 * ```
 */
export const FBetaScore = taskWrapper(
  "FBetaScore",
  BinaryFBetaScore,
  MulticlassFBetaScore,
) as FBetaScoreConstructor;

/**
 * Binary F-beta score of one batch (torchmetrics' `binary_fbeta_score`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryFBetaOptions}
 * @returns the F-beta score
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binaryFBetaScore([0.9, 0.8, 0.1], [1, 0, 1], { beta: 0.5 }); // => 0.5
 * ```
 */
export function binaryFBetaScore(preds: TensorLike, target: TensorLike, options: BinaryFBetaOptions): number {
  return oneShot(BinaryFBetaScore, preds, target, options);
}

/**
 * Multiclass F-beta score of one batch (torchmetrics' `multiclass_fbeta_score`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassFBetaOptions}
 * @returns the F-beta score, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassFBetaScore([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3, beta: 1, average: "none" }); // => [0.6666666666666666, 0.6666666666666666, 1]
 * ```
 */
export function multiclassFBetaScore<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassFBetaOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassFBetaScore<A>, preds, target, options);
}

/**
 * F-beta score of one batch for a `task` (torchmetrics' `fbeta_score`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the F-beta score (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * fBetaScore([1, 1, 0], [1, 0, 0], { task: "multiclass", numClasses: 2, beta: 2, average: "micro" }); // => 0.6666666666666666
 * ```
 */
export function fBetaScore(
  preds: TensorLike,
  target: TensorLike,
  options: ({ task: "binary" } & BinaryFBetaOptions) | ({ task: "multiclass" } & MulticlassFBetaOptions),
): number | number[] {
  return oneShotTask("fBetaScore", BinaryFBetaScore, MulticlassFBetaScore, preds, target, options) as
    number | number[];
}
