export { Metric, type MetricStateJSON, type StateSpec, type LooseState } from "./Metric.js";
export {
  registerMetric,
  restoreMetric,
  metricClass,
  isRegistered,
  registeredKinds,
  type MetricClass,
} from "./registry.js";
export { HingeLoss, type HingeLossStateJSON } from "./HingeLoss.js";
export {
  MetricCollection,
  type AnyMetric,
  type CollectionValue,
  type MetricCollectionStateJSON,
} from "./MetricCollection.js";
export { mergeStates } from "./mergeStates.js";
