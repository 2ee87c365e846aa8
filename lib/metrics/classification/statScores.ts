import type { TensorLike } from "../../input/index.js";
import { registerMetric } from "../registry.js";
import { BinaryClassificationMetric, MulticlassClassificationMetric } from "./base.js";
import {
  resolveClassificationOptions,
  type Average,
  type BinaryOptions,
  type MulticlassOptions,
  type Resolved,
} from "./options.js";
import { statScoreRows } from "./reduce.js";
import { oneShot, oneShotTask, taskWrapper } from "./task.js";

/**
 * The value of `MulticlassStatScores`: `[tp, fp, tn, fn, support]`, or one such row per class for `average:
 * "none"`.
 *
 * @typeParam A - the `average`
 * @example
 * ```ts
 * const rows: StatScoresValue<"none"> = [[1, 0, 2, 1, 2], [1, 1, 2, 0, 1]];
 * ```
 */
export type StatScoresValue<A extends Average> = A extends "none" ? number[][] : number[];

/**
 * Binary stat scores `[tp, fp, tn, fn, support]` (torchmetrics' `BinaryStatScores`), exact integers; all
 * zeros before any sample.
 *
 * @example
 * ```ts
 * new BinaryStatScores().update([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]).compute(); // => [1, 1, 1, 1, 2]
 * ```
 */
export class BinaryStatScores extends BinaryClassificationMetric<number[], Resolved<"binary">> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryStatScores";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryOptions = {}) {
    super(resolveClassificationOptions("binary", options, "BinaryStatScores"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number[] {
    const [tp, fp, tn, fn] = this.counts();
    return [tp, fp, tn, fn, tp + fn];
  }
}
registerMetric(BinaryStatScores);

/**
 * Multiclass stat scores (torchmetrics' `MulticlassStatScores`): per class `[tp, fp, tn, fn, support]`,
 * reduced as `average` says: summed (`"micro"`, integers), the mean over all C classes (`"macro"`, the
 * default), weighted by support (`"weighted"`), or one row per class (`"none"`). All zeros before any sample.
 *
 * @typeParam A - the `average`
 * @example
 * ```ts
 * const m = new MulticlassStatScores({ numClasses: 3, average: "micro" });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [3, 1, 7, 1, 4]
 * ```
 */
export class MulticlassStatScores<A extends Average = "macro"> extends MulticlassClassificationMetric<
  StatScoresValue<A>,
  Resolved<"multiclass">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassStatScores";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassOptions<A>) {
    super(resolveClassificationOptions("multiclass", options, "MulticlassStatScores"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): StatScoresValue<A> {
    return statScoreRows(this.classCounts(false), this.options.average) as StatScoresValue<A>;
  }
}
registerMetric(MulticlassStatScores);

/**
 * The constructor type of {@link StatScores}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: StatScoresConstructor = StatScores;
 * ```
 */
export interface StatScoresConstructor {
  /** A {@link BinaryStatScores}. */
  new (options: { task: "binary" } & BinaryOptions): BinaryStatScores;
  /** A {@link MulticlassStatScores}. */
  new <A extends Average = "macro">(
    options: { task: "multiclass" } & MulticlassOptions<A>,
  ): MulticlassStatScores<A>;
}

/**
 * torchmetrics' task wrapper: `new StatScores({ task: "binary", … })` is a {@link BinaryStatScores}, `task:
 * "multiclass"` a {@link MulticlassStatScores}.
 *
 * @example
 * ```ts
 * new StatScores({ task: "multiclass", numClasses: 3 }) instanceof MulticlassStatScores; // => true
 * ```
 */
export const StatScores = taskWrapper(
  "StatScores",
  BinaryStatScores,
  MulticlassStatScores,
) as StatScoresConstructor;

/**
 * Binary stat scores of one batch (torchmetrics' `binary_stat_scores`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryOptions}
 * @returns `[tp, fp, tn, fn, support]`
 * @throws {@link MetricInputError} for bad input
 * @example
 * ```ts
 * binaryStatScores(new Int32Array([0, 1, 1]), [0, 1, 0]); // => [1, 1, 1, 0, 1]
 * ```
 */
export function binaryStatScores(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryOptions = {},
): number[] {
  return oneShot(BinaryStatScores, preds, target, options);
}

/**
 * Multiclass stat scores of one batch (torchmetrics' `multiclass_stat_scores`).
 *
 * @typeParam A - the `average`
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassOptions}
 * @returns `[tp, fp, tn, fn, support]`, or one row per class for `average: "none"`
 * @throws {@link InvalidOptionsError}, {@link MetricInputError} as the class
 * @example
 * ```ts
 * multiclassStatScores([2, 1, 0, 1], [2, 1, 0, 0], { numClasses: 3, average: "none" });
 * // => [[1, 0, 2, 1, 2], [1, 1, 2, 0, 1], [1, 0, 3, 0, 1]]
 * ```
 */
export function multiclassStatScores<A extends Average = "macro">(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassOptions<A>,
): StatScoresValue<A> {
  return oneShot(MulticlassStatScores<A>, preds, target, options);
}

/**
 * Stat scores of one batch for a `task` (torchmetrics' `stat_scores`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns `[tp, fp, tn, fn, support]` (rows per class for multiclass `average: "none"`)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * statScores([0.9, 0.2], [1, 1], { task: "binary" }); // => [1, 0, 0, 1, 2]
 * ```
 */
export function statScores(
  preds: TensorLike,
  target: TensorLike,
  options: ({ task: "binary" } & BinaryOptions) | ({ task: "multiclass" } & MulticlassOptions),
): number[] | number[][] {
  return oneShotTask("statScores", BinaryStatScores, MulticlassStatScores, preds, target, options) as
    number[] | number[][];
}
