import { count, exactSum, type Count, type ExactSum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { absoluteErrorUpdate, meanOfSums, readPair } from "./kernels.js";
import { checkErrorSums, type PerOutput } from "./MeanSquaredError.js";
import {
  resolveMeanAbsoluteErrorOptions,
  type MeanAbsoluteErrorOptions,
  type ResolvedMeanAbsoluteErrorOptions,
} from "./options.js";
import { noWeights } from "../metricState.js";

/**
 * The state of a {@link MeanAbsoluteError}.
 *
 * @example
 * ```ts
 * new MeanAbsoluteError().update([1, 3], [0, 0]).toJSON().sumAbsError; // => "0x1p+2"
 * ```
 */
export interface MeanAbsoluteErrorState {
  /** Σ |p - t| per output, exact. */
  sumAbsError: ExactSum;
  /** Samples. */
  total: Count;
}

/**
 * Mean absolute error (torchmetrics' `MeanAbsoluteError`): `Σ |p - t| / n`, each difference computed in
 * float64, summed exactly and divided once (the same bits for any batching, order or merge).
 * `numOutputs: K > 1` takes `(N, K)` inputs and gives one value per output. Of no sample, `compute()`
 * throws a `MetricStateError`.
 *
 * @typeParam K - the number of outputs
 * @example
 * ```ts
 * import { MeanAbsoluteError } from "streammetrics";
 * new MeanAbsoluteError().update([2.5, 0, 2, 8], [3, -0.5, 2, 7]).compute(); // => 0.5
 * ```
 */
export class MeanAbsoluteError<K extends number = 1> extends Metric<
  PerOutput<K>,
  MeanAbsoluteErrorState,
  ResolvedMeanAbsoluteErrorOptions
> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MeanAbsoluteError";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MeanAbsoluteErrorOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad value
   */
  constructor(options: MeanAbsoluteErrorOptions<K> = {}) {
    const resolved = resolveMeanAbsoluteErrorOptions(options);
    super(resolved);
    this.addState("sumAbsError", exactSum(resolved.numOutputs === 1 ? undefined : resolved.numOutputs));
    this.addState("total", count());
  }

  /**
   * Adds the batch's absolute errors.
   *
   * @param preds - predictions
   * @param target - targets, the same shape
   * @param weights - must be absent: the metric takes no sample weights
   */
  protected override updateState(preds: unknown, target: unknown, weights?: unknown): void {
    noWeights(this.kind, weights);
    const pair = readPair(preds, target, this.options.numOutputs, "MeanAbsoluteError");
    absoluteErrorUpdate(this.state.sumAbsError, this.state.total, pair);
  }

  /**
   * @returns the MAE, one per output when `numOutputs` > 1
   * @throws `MetricStateError` when no sample was accumulated
   */
  protected override computeValue(): PerOutput<K> {
    const values = meanOfSums(this.state.sumAbsError, this.state.total, "MeanAbsoluteError", false);
    return (this.options.numOutputs === 1 ? values[0] : values) as PerOutput<K>;
  }

  /** Refuses a forged state: negative sums, or sums without samples. */
  protected override validateState(): void {
    checkErrorSums("MeanAbsoluteError", this.state.sumAbsError, this.state.total);
  }
}

registerMetric(MeanAbsoluteError);
