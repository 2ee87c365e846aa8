export { SumMetric, type SumMetricState } from "./SumMetric.js";
export { MeanMetric, type MeanMetricState } from "./MeanMetric.js";
export { MaxMetric } from "./MaxMetric.js";
export { MinMetric } from "./MinMetric.js";
export { RunningExtremum, type ExtremumMetricState } from "./extremumMetric.js";
export {
  readValues,
  readWeighted,
  broadcastIndex,
  type AggregationValues,
  type WeightedValues,
} from "./kernels.js";
export {
  aggregationOptionsSchema,
  resolveAggregationOptions,
  type AggregationOptions,
  type ResolvedAggregationOptions,
  type NanStrategy,
} from "./options.js";
