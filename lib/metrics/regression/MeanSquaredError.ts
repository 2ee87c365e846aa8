import { MetricStateError } from "../../errors/index.js";
import { count, exactSum, type Count, type ExactSum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { meanOfSums, readPair, squaredErrorUpdate } from "./kernels.js";
import {
  resolveMeanSquaredErrorOptions,
  type MeanSquaredErrorOptions,
  type ResolvedMeanSquaredErrorOptions,
} from "./options.js";
import { noWeights } from "../metricState.js";

/**
 * The value type of a regression metric with `K` outputs: a number for one output, one number per output
 * otherwise (either, when `K` is only known as `number`).
 *
 * @typeParam K - the `numOutputs` option's type
 * @example
 * ```ts
 * const one: PerOutput<1> = 0.5;
 * const three: PerOutput<3> = [0.5, 1, 2];
 * [one, three.length]; // => [0.5, 3]
 * ```
 */
export type PerOutput<K extends number> = number extends K
  ? number | number[]
  : K extends 1
    ? number
    : number[];

/**
 * The state of a {@link MeanSquaredError}.
 *
 * @example
 * ```ts
 * new MeanSquaredError().update([1, 3], [0, 0]).toJSON().total; // => 2
 * ```
 */
export interface MeanSquaredErrorState {
  /** Σ (p - t)² per output, exact. */
  sumSquaredError: ExactSum;
  /** Samples. */
  total: Count;
}

/**
 * Validates a regression state: the error sums are ≥ 0, and 0 when no sample was counted.
 *
 * @param owner - the class name
 * @param sum - the error sums
 * @param total - the sample count
 */
export function checkErrorSums(owner: string, sum: ExactSum, total: Count): void {
  for (let k = 0; k < sum.size; k++) {
    if (sum.exact(k) < 0n) throw new MetricStateError(`invalid ${owner} state: error sum ${k} is negative`);
    if (total.value() === 0 && !sum.isZero(k)) {
      throw new MetricStateError(`invalid ${owner} state: error sum ${k} is not 0 while total is 0`);
    }
  }
}

/**
 * Mean squared error (torchmetrics' `MeanSquaredError`), or its square root with `squared: false` (RMSE):
 * `Σ (p - t)² / n`. Each squared difference is computed in float64 and summed exactly; the mean is rounded
 * once, so it is the same bits for any batching, order or merge. RMSE is the square root of that correctly
 * rounded MSE (so within an ulp of the exact root, and equal to `Math.sqrt(mse)`).
 *
 * `numOutputs: K > 1` takes `(N, K)` inputs and gives one value per output; with 1 (default) every element
 * of any shape is a sample. Of no sample, `compute()` throws a `MetricStateError`.
 *
 * @typeParam K - the number of outputs
 * @example
 * ```ts
 * import { MeanSquaredError } from "streammetrics";
 * new MeanSquaredError().update([3, 5, 2.5, 7], [2.5, 5, 4, 8]).compute(); // => 0.875
 * new MeanSquaredError({ squared: false }).update([3, 5, 2.5, 7], [2.5, 5, 4, 8]).compute(); // => 0.9354143466934853
 * new MeanSquaredError({ numOutputs: 3 }).update([[1, 2, 3], [1, 2, 3]], [[0, 0, 0], [0, 0, 0]]).compute(); // => [1, 4, 9]
 * ```
 */
export class MeanSquaredError<K extends number = 1> extends Metric<
  PerOutput<K>,
  MeanSquaredErrorState,
  ResolvedMeanSquaredErrorOptions
> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MeanSquaredError";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MeanSquaredErrorOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad value
   */
  constructor(options: MeanSquaredErrorOptions<K> = {}) {
    const resolved = resolveMeanSquaredErrorOptions(options);
    super(resolved);
    this.addState("sumSquaredError", exactSum(resolved.numOutputs === 1 ? undefined : resolved.numOutputs));
    this.addState("total", count());
  }

  /**
   * Adds the batch's squared errors.
   *
   * @param preds - predictions
   * @param target - targets, the same shape
   * @param weights - must be absent: the metric takes no sample weights
   */
  protected override updateState(preds: unknown, target: unknown, weights?: unknown): void {
    noWeights(this.kind, weights);
    const k = this.options.numOutputs;
    // one output: the hot loop checks the elements in its own pass
    const pair = readPair(preds, target, k, "MeanSquaredError", k !== 1);
    squaredErrorUpdate(this.state.sumSquaredError, this.state.total, pair);
  }

  /**
   * @returns the MSE (RMSE with `squared: false`), one per output when `numOutputs` > 1
   * @throws `MetricStateError` when no sample was accumulated
   */
  protected override computeValue(): PerOutput<K> {
    const { squared, numOutputs } = this.options;
    const values = meanOfSums(this.state.sumSquaredError, this.state.total, "MeanSquaredError", !squared);
    return (numOutputs === 1 ? values[0] : values) as PerOutput<K>;
  }

  /** Refuses a forged state: negative sums, or sums without samples. */
  protected override validateState(): void {
    checkErrorSums("MeanSquaredError", this.state.sumSquaredError, this.state.total);
  }
}

registerMetric(MeanSquaredError);
