import { registerMetric } from "../registry.js";
import { RunningExtremum } from "./extremumMetric.js";
import type { AggregationOptions } from "./options.js";

/**
 * The running minimum of every value given (torchmetrics' `MinMetric`): scalars, arrays or any tensor form.
 * Unlike torchmetrics, it merges (the min of the parts is the min of the whole); of no value at all,
 * `compute()` throws a `MetricStateError` instead of returning +Infinity.
 *
 * @example
 * ```ts
 * import { MinMetric } from "streammetrics";
 * const min = new MinMetric();
 * min.update(1).update([2, 3]);
 * min.compute(); // => 1
 * ```
 */
export class MinMetric extends RunningExtremum {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MinMetric";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link AggregationOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad `nanStrategy`
   */
  constructor(options: AggregationOptions = {}) {
    super("min", options);
  }
}

registerMetric(MinMetric);
