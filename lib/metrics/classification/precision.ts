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
 * Binary precision, `tp / (tp + fp)` (torchmetrics' `BinaryPrecision`), from exact counts; with nothing
 * predicted positive it is `zeroDivision` (0 by default).
 *
 * @example
 * ```ts
 * new BinaryPrecision().update([0.9, 0.8, 0.3, 0.6], [1, 0, 1, 1]).compute(); // => 0.6666666666666666
 * ```
 */
export class BinaryPrecision extends BinaryClassificationMetric<number, Resolved<"binaryZeroDivision">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryPrecision";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryZeroDivisionOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryZeroDivisionOptions = {}) {
    super(resolveClassificationOptions("binaryZeroDivision", options, "BinaryPrecision"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.precision(this.options.zeroDivision));
  }
}
registerMetric(BinaryPrecision);

/**
 * Multiclass precision (torchmetrics' `MulticlassPrecision`): each class's `tp / (tp + fp)` (`zeroDivision`
 * for a class never predicted), averaged as `average` says (`"macro"` by default, over the classes that
 * occur; with `topK > 1` over the classes that occur as targets, as torchmetrics 1.9 does).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassPrecision({ numClasses: 3, average: "none" });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [1, 0.5, 1]
 * ```
 */
export class MulticlassPrecision<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclassZeroDivision">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassPrecision";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassZeroDivisionOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassZeroDivisionOptions<A>) {
    super(resolveClassificationOptions("multiclassZeroDivision", options, "MulticlassPrecision"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    const keep = o.topK > 1 ? "targeted" : "present";
    const score = scores.precision(o.zeroDivision);
    return averageScore(score, this.classCounts(true), o.average, keep) as Averaged<A>;
  }
}
registerMetric(MulticlassPrecision);

/**
 * The constructor type of {@link Precision}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: PrecisionConstructor = Precision;
 * ```
 */
export interface PrecisionConstructor {
  /** A {@link BinaryPrecision}. */
  new (options: { task: "binary" } & BinaryZeroDivisionOptions): BinaryPrecision;
  /** A {@link MulticlassPrecision}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassZeroDivisionOptions<A>,
  ): MulticlassPrecision<A>;
}

/**
 * torchmetrics' task wrapper: `new Precision({ task: "binary", … })` is a {@link BinaryPrecision}, `task:
 * "multiclass"` a {@link MulticlassPrecision}.
 *
 * @example
 * ```ts
 * new Precision({ task: "binary" }) instanceof BinaryPrecision; // => true
 * ```
 */
export const Precision = taskWrapper(
  "Precision",
  BinaryPrecision,
  MulticlassPrecision,
) as PrecisionConstructor;

/**
 * Binary precision of one batch (torchmetrics' `binary_precision`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryZeroDivisionOptions}
 * @returns the precision
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binaryPrecision([0.9, 0.8, 0.1], [1, 0, 1]); // => 0.5
 * ```
 */
export function binaryPrecision(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryZeroDivisionOptions = {},
): number {
  return oneShot(BinaryPrecision, preds, target, options);
}

/**
 * Multiclass precision of one batch (torchmetrics' `multiclass_precision`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassZeroDivisionOptions}
 * @returns the precision, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassPrecision([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3 }); // => 0.8333333333333334
 * ```
 */
export function multiclassPrecision<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassZeroDivisionOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassPrecision<A>, preds, target, options);
}

/**
 * Precision of one batch for a `task` (torchmetrics' `precision`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the precision (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * precision([0.7, 0.2], [0, 0], { task: "binary", zeroDivision: 1 }); // => 0
 * precision([0.1, 0.2], [0, 0], { task: "binary", zeroDivision: 1 }); // => 1
 * ```
 */
export function precision(
  preds: TensorLike,
  target: TensorLike,
  options:
    | ({ task: "binary" } & BinaryZeroDivisionOptions)
    | ({ task: "multiclass" } & MulticlassZeroDivisionOptions),
): number | number[] {
  return oneShotTask("precision", BinaryPrecision, MulticlassPrecision, preds, target, options) as
    number | number[];
}
