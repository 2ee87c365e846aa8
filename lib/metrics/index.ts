export { Metric, type MetricStateJSON, type StateSpec } from "./Metric.js";
export { HingeLoss, type HingeLossStateJSON } from "./HingeLoss.js";
export {
  MetricCollection,
  type AnyMetric,
  type CollectionValue,
  type MetricCollectionStateJSON,
} from "./MetricCollection.js";
export { mergeStates } from "./mergeStates.js";
