import { MetricStateError } from "../../errors/index.js";
import { exactSum, type ExactSum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { readValues, readWeighted } from "./kernels.js";
import {
  resolveAggregationOptions,
  type AggregationOptions,
  type ResolvedAggregationOptions,
} from "./options.js";
import { refuseExtra } from "./SumMetric.js";

/** The state of a {@link MeanMetric}. */
interface MeanState {
  /** Σ weight·value, exact (each product rounded to float64 once). */
  meanValue: ExactSum;
  /** Σ weight, exact. */
  weight: ExactSum;
}

/**
 * The running weighted mean of every value given (torchmetrics' `MeanMetric`): `update(value, weight?)`,
 * `Σ w·v / Σ w`, with the weight (default 1) broadcast to the value with numpy's rules (a number, a row
 * `(C)` for `(N, C)` values, a column `(N, 1)`, or the value's own shape). Weights are finite and ≥ 0.
 * Both sums are exact and the quotient is rounded once, so the mean is the same bits for any batching,
 * order or merge.
 *
 * With no weight at all (nothing accumulated, or every weight 0) `compute()` throws a `MetricStateError`
 * (torchmetrics returns NaN). NaN follows `nanStrategy`: a NaN value is an error, dropped with its weight,
 * or replaced by the number while keeping its weight; a NaN weight is an error, or dropped with its value
 * under `"ignore"`.
 *
 * @example
 * ```ts
 * import { MeanMetric } from "streammetrics";
 * const mean = new MeanMetric();
 * mean.update(1).update([2, 3]);
 * mean.compute(); // => 2
 * new MeanMetric().update([1, 2, 3], [3, 0, 1]).compute(); // => 1.5
 * ```
 */
export class MeanMetric extends Metric<number, MeanState, ResolvedAggregationOptions> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MeanMetric";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link AggregationOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad `nanStrategy`
   */
  constructor(options: AggregationOptions = {}) {
    super(resolveAggregationOptions(options, "MeanMetric"));
    this.addState("meanValue", exactSum());
    this.addState("weight", exactSum());
  }

  /**
   * Adds `Σ w·v` and `Σ w` of the batch.
   *
   * @param value - a number, an array or any tensor form
   * @param weight - optional weights that broadcast to `value` (default 1 each)
   * @param extra - must be undefined
   */
  protected override updateState(value: unknown, weight: unknown, extra: unknown): void {
    refuseExtra("MeanMetric", extra, "two arguments (value, weight)");
    const sum = this.state.meanValue;
    const total = this.state.weight;
    if (weight === undefined) {
      const { data, size } = readValues(value, this.options.nanStrategy);
      for (let i = 0; i < size; i++) sum.add(data[i]);
      if (size > 0) total.add(size);
      return;
    }
    const { data, weights, size } = readWeighted(value, weight, this.options.nanStrategy);
    for (let i = 0; i < size; i++) {
      const w = weights[i];
      if (w === 0) continue;
      sum.add(w * data[i]);
      total.add(w);
    }
  }

  /**
   * @returns Σ w·v / Σ w, correctly rounded
   * @throws `MetricStateError` when Σ w is 0
   */
  protected override computeValue(): number {
    if (this.state.weight.isZero()) {
      throw new MetricStateError(
        "MeanMetric has no weight to divide by: no value was accumulated, or every weight was 0",
      );
    }
    return this.state.meanValue.ratio(this.state.weight);
  }

  /** Refuses a forged state: a negative total weight, or a weighted sum with no weight. */
  protected override validateState(): void {
    const weight = this.state.weight.exact();
    if (weight < 0n) throw new MetricStateError("invalid MeanMetric state: weight is negative");
    if (weight === 0n && !this.state.meanValue.isZero()) {
      throw new MetricStateError("invalid MeanMetric state: meanValue is not 0 while weight is 0");
    }
  }
}

registerMetric(MeanMetric);
