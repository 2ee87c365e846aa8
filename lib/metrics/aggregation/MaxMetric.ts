import { registerMetric } from "../registry.js";
import { RunningExtremum } from "./extremumMetric.js";
import type { AggregationOptions } from "./options.js";

/**
 * The running maximum of every value given (torchmetrics' `MaxMetric`): scalars, arrays or any tensor form.
 * Unlike torchmetrics, it merges (the max of the parts is the max of the whole); of no value at all,
 * `compute()` throws a `MetricStateError` instead of returning -Infinity.
 *
 * @example
 * ```ts
 * import { MaxMetric } from "streammetrics";
 * const max = new MaxMetric();
 * max.update(1).update([2, 3]);
 * max.compute(); // => 3
 * ```
 */
export class MaxMetric extends RunningExtremum {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MaxMetric";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link AggregationOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad `nanStrategy`
   */
  constructor(options: AggregationOptions = {}) {
    super("max", options);
  }
}

registerMetric(MaxMetric);
