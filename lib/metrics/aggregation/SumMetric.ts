import { MetricInputError } from "../../errors/index.js";
import { exactSum, type ExactSum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { readValues } from "./kernels.js";
import {
  resolveAggregationOptions,
  type AggregationOptions,
  type ResolvedAggregationOptions,
} from "./options.js";

/** The state of a {@link SumMetric}. */
interface SumState {
  /** Σ value, exact. */
  sumValue: ExactSum;
}

/**
 * Throws when an aggregation metric's `update` gets more arguments than it takes.
 *
 * @param owner - the class name
 * @param extra - the unexpected argument
 * @param takes - what the class takes, for the message
 */
export function refuseExtra(owner: string, extra: unknown, takes: string): void {
  if (extra !== undefined) {
    throw new MetricInputError(`${owner}.update takes ${takes}, got an extra argument`);
  }
}

/**
 * The running sum of every value given (torchmetrics' `SumMetric`): scalars, arrays or any tensor form, all
 * elements added. The sum is exact and rounded once when read, so it is the same bits for any batching,
 * order or merge. A sum of nothing is 0.
 *
 * NaN follows `nanStrategy` (default `"error"`: a `MetricInputError` naming the position; torchmetrics'
 * default drops NaN with a warning); ±Infinity is refused.
 *
 * @example
 * ```ts
 * import { SumMetric } from "streammetrics";
 * const sum = new SumMetric();
 * sum.update(1).update([2, 3]);
 * sum.compute(); // => 6
 * ```
 */
export class SumMetric extends Metric<number, SumState, ResolvedAggregationOptions> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "SumMetric";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link AggregationOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad `nanStrategy`
   */
  constructor(options: AggregationOptions = {}) {
    super(resolveAggregationOptions(options, "SumMetric"));
    this.addState("sumValue", exactSum());
  }

  /**
   * Adds every element of `value`.
   *
   * @param value - a number, an array or any tensor form
   * @param extra - must be undefined (a sum takes no weights)
   */
  protected override updateState(value: unknown, extra: unknown): void {
    refuseExtra("SumMetric", extra, "one argument (value)");
    const { data, size } = readValues(value, this.options.nanStrategy);
    const sum = this.state.sumValue;
    for (let i = 0; i < size; i++) sum.add(data[i]);
  }

  /**
   * @returns the sum, correctly rounded (0 when nothing was added)
   */
  protected override computeValue(): number {
    return this.state.sumValue.value();
  }
}

registerMetric(SumMetric);
