export { SumMetric } from "./SumMetric.js";
export { MeanMetric } from "./MeanMetric.js";
export { MaxMetric } from "./MaxMetric.js";
export { MinMetric } from "./MinMetric.js";
export { RunningExtremum } from "./extremumMetric.js";
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
