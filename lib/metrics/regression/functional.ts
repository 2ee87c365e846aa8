/**
 * One-shot regression functions (torchmetrics' `mean_squared_error`, `mean_absolute_error`, `r2_score`):
 * the same kernels as the classes, over one batch.
 *
 * @module
 */
import { count, exactSum } from "../../state/index.js";
import {
  absoluteErrorUpdate,
  meanOfSums,
  r2Compute,
  r2Update,
  readPair,
  squaredErrorUpdate,
  type R2Sums,
} from "./kernels.js";
import type { PerOutput } from "./MeanSquaredError.js";
import {
  resolveMeanAbsoluteErrorOptions,
  resolveMeanSquaredErrorOptions,
  resolveR2ScoreOptions,
  type MeanAbsoluteErrorOptions,
  type MeanSquaredErrorOptions,
  type Multioutput,
  type R2ScoreOptions,
} from "./options.js";
import type { R2Value } from "./R2Score.js";

/**
 * The mean squared error of one batch (torchmetrics' `mean_squared_error`); RMSE with `squared: false`.
 *
 * @param preds - predictions
 * @param target - targets, the same shape
 * @param options - {@link MeanSquaredErrorOptions}
 * @returns the MSE (one per output when `numOutputs` > 1)
 * @throws `InvalidOptionsError` for bad options, `MetricInputError` for bad inputs, `MetricStateError` for
 * an empty batch
 * @example
 * ```ts
 * meanSquaredError([3, 5, 2.5, 7], [2.5, 5, 4, 8]); // => 0.875
 * ```
 */
export function meanSquaredError<K extends number = 1>(
  preds: unknown,
  target: unknown,
  options: MeanSquaredErrorOptions<K> = {},
): PerOutput<K> {
  const { squared, numOutputs } = resolveMeanSquaredErrorOptions(options);
  const sum = exactSum(numOutputs).empty();
  const total = count().empty();
  squaredErrorUpdate(sum, total, readPair(preds, target, numOutputs, "meanSquaredError"));
  const values = meanOfSums(sum, total, "meanSquaredError", !squared);
  return (numOutputs === 1 ? values[0] : values) as PerOutput<K>;
}

/**
 * The mean absolute error of one batch (torchmetrics' `mean_absolute_error`).
 *
 * @param preds - predictions
 * @param target - targets, the same shape
 * @param options - {@link MeanAbsoluteErrorOptions}
 * @returns the MAE (one per output when `numOutputs` > 1)
 * @throws `InvalidOptionsError` for bad options, `MetricInputError` for bad inputs, `MetricStateError` for
 * an empty batch
 * @example
 * ```ts
 * meanAbsoluteError([2.5, 0, 2, 8], [3, -0.5, 2, 7]); // => 0.5
 * ```
 */
export function meanAbsoluteError<K extends number = 1>(
  preds: unknown,
  target: unknown,
  options: MeanAbsoluteErrorOptions<K> = {},
): PerOutput<K> {
  const { numOutputs } = resolveMeanAbsoluteErrorOptions(options);
  const sum = exactSum(numOutputs).empty();
  const total = count().empty();
  absoluteErrorUpdate(sum, total, readPair(preds, target, numOutputs, "meanAbsoluteError"));
  const values = meanOfSums(sum, total, "meanAbsoluteError", false);
  return (numOutputs === 1 ? values[0] : values) as PerOutput<K>;
}

/**
 * R² of one batch (torchmetrics' `r2_score`), computed exactly as `R2Score` does.
 *
 * @param preds - predictions, `(N)` or `(N, K)`
 * @param target - targets, the same shape
 * @param options - {@link R2ScoreOptions}
 * @returns R² (one per output for `"raw_values"`)
 * @throws `InvalidOptionsError` for bad options, `MetricInputError` for bad inputs, `MetricStateError` for
 * fewer than two samples
 * @example
 * ```ts
 * r2Score([2.5, 0.0, 2, 8], [3, -0.5, 2, 7]); // => 0.9486081370449678
 * ```
 */
export function r2Score<M extends Multioutput = "uniform_average">(
  preds: unknown,
  target: unknown,
  options: R2ScoreOptions<M> = {},
): R2Value<M> {
  const { multioutput, adjusted } = resolveR2ScoreOptions(options);
  const state: R2Sums = {
    sumObs: exactSum(0).empty(),
    sumSquaredObs: exactSum(0).empty(),
    rss: exactSum(0).empty(),
    total: count().empty(),
  };
  r2Update(state, preds, target);
  return r2Compute(state, multioutput, adjusted) as R2Value<M>;
}
