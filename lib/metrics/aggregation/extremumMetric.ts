import { MetricStateError } from "../../errors/index.js";
import { maxOf, minOf, type Extremum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { readValues } from "./kernels.js";
import {
  resolveAggregationOptions,
  type AggregationOptions,
  type ResolvedAggregationOptions,
} from "./options.js";
import { refuseExtra } from "./SumMetric.js";

/** The state of a {@link RunningExtremum}: one running max or min. */
interface ExtremumState {
  /** The running max (MaxMetric) or min (MinMetric). */
  value: Extremum;
}

/**
 * The base of `MaxMetric` and `MinMetric`: a running max or min over every value given. It merges exactly
 * (torchmetrics refuses `merge_state` for them). Of no value at all, `compute()` throws a
 * `MetricStateError` (torchmetrics returns ∓inf with a warning).
 *
 * @example
 * ```ts
 * new MaxMetric().update([1, 5]).merge(new MaxMetric().update(7)).compute(); // => 7
 * ```
 */
export abstract class RunningExtremum extends Metric<number, ExtremumState, ResolvedAggregationOptions> {
  private readonly which: "max" | "min";

  /**
   * @param which - `"max"` or `"min"`
   * @param options - {@link AggregationOptions}
   */
  protected constructor(which: "max" | "min", options: AggregationOptions) {
    super(resolveAggregationOptions(options, which === "max" ? "MaxMetric" : "MinMetric"));
    this.which = which;
    this.addState("value", which === "max" ? maxOf() : minOf());
  }

  /**
   * Takes every element of `value` into the running extremum.
   *
   * @param value - a number, an array or any tensor form
   * @param extra - must be undefined
   */
  protected override updateState(value: unknown, extra: unknown): void {
    refuseExtra(this.kind, extra, "one argument (value)");
    const { data, size } = readValues(value, this.options.nanStrategy);
    const state = this.state.value;
    for (let i = 0; i < size; i++) state.update(data[i]);
  }

  /**
   * @returns the largest (smallest) value seen
   * @throws `MetricStateError` when no value was seen
   */
  protected override computeValue(): number {
    if (this.state.value.isEmpty()) {
      throw new MetricStateError(`${this.kind} has seen no value: there is no ${this.which}imum yet`);
    }
    return this.state.value.value();
  }
}
