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
 * Binary specificity, `tn / (tn + fp)` (torchmetrics' `BinarySpecificity`), from exact counts; 0 with no
 * negative target (torchmetrics' convention; it takes no `zeroDivision`).
 *
 * @example
 * ```ts
 * const m = new BinarySpecificity();
 * m.update([0.11, 0.22, 0.84, 0.73, 0.33, 0.92], [0, 1, 0, 1, 0, 1]);
 * m.compute(); // => 0.6666666666666666
 * ```
 */
export class BinarySpecificity extends BinaryClassificationMetric<number, Resolved<"binary">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinarySpecificity";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryOptions = {}) {
    super(resolveClassificationOptions("binary", options, "BinarySpecificity"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number {
    return this.score(scores.specificity);
  }
}
registerMetric(BinarySpecificity);

/**
 * Multiclass specificity (torchmetrics' `MulticlassSpecificity`): each class's `tn / (tn + fp)`, averaged as
 * `average` says (`"macro"` by default, over the classes that occur in targets or predictions, whatever
 * `topK`; a class that never occurs would score 1 and is left out, as torchmetrics does).
 *
 * @typeParam A - the `average`: `"none"` gives one value per class
 * @example
 * ```ts
 * const m = new MulticlassSpecificity({ numClasses: 3, average: "none" });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [1, 0.6666666666666666, 1]
 * ```
 */
export class MulticlassSpecificity<A extends Average = "macro"> extends MulticlassClassificationMetric<
  Averaged<A>,
  Resolved<"multiclass">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassSpecificity";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassOptions<A>) {
    super(resolveClassificationOptions("multiclass", options, "MulticlassSpecificity"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): Averaged<A> {
    const o = this.options;
    return averageScore(scores.specificity, this.classCounts(true), o.average, "present") as Averaged<A>;
  }
}
registerMetric(MulticlassSpecificity);

/**
 * The constructor type of {@link Specificity}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: SpecificityConstructor = Specificity;
 * ```
 */
export interface SpecificityConstructor {
  /** A {@link BinarySpecificity}. */
  new (options: { task: "binary" } & BinaryOptions): BinarySpecificity;
  /** A {@link MulticlassSpecificity}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassOptions<A>,
  ): MulticlassSpecificity<A>;
}

/**
 * torchmetrics' task wrapper: `new Specificity({ task: "binary", … })` is a {@link BinarySpecificity}, `task:
 * "multiclass"` a {@link MulticlassSpecificity} (the wrapper returns the concrete class).
 *
 * @example
 * ```ts
 * const m = new Specificity({ task: "multiclass", numClasses: 4 });
 * m instanceof MulticlassSpecificity; // => true
 * ```
 */
export const Specificity = taskWrapper(
  "Specificity",
  BinarySpecificity,
  MulticlassSpecificity,
) as SpecificityConstructor;

/**
 * Binary specificity of one batch (torchmetrics' `binary_specificity`), on the class's kernel.
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryOptions}
 * @returns the specificity
 * @throws {@link MetricInputError} for bad input, {@link MetricStateError} when every sample is ignored
 * @example
 * ```ts
 * binarySpecificity([0.9, 0.4, 0.6], [1, 0, 0]); // => 0.5
 * ```
 */
export function binarySpecificity(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryOptions = {},
): number {
  return oneShot(BinarySpecificity, preds, target, options);
}

/**
 * Multiclass specificity of one batch (torchmetrics' `multiclass_specificity`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassOptions}
 * @returns the specificity, or one per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} as the class
 * @example
 * ```ts
 * multiclassSpecificity([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3, average: "micro" }); // => 0.875
 * ```
 */
export function multiclassSpecificity<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassOptions<A>,
): Averaged<A> {
  return oneShot(MulticlassSpecificity<A>, preds, target, options);
}

/**
 * Specificity of one batch for a `task` (torchmetrics' `specificity`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the specificity (per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * specificity([0.9, 0.2], [0, 0], { task: "binary" }); // => 0.5
 * ```
 */
export function specificity(
  preds: TensorLike,
  target: TensorLike,
  options: ({ task: "binary" } & BinaryOptions) | ({ task: "multiclass" } & MulticlassOptions),
): number | number[] {
  return oneShotTask("specificity", BinarySpecificity, MulticlassSpecificity, preds, target, options) as
    number | number[];
}
