export { Metric, isMetric, type MetricStateJSON, type LooseState } from "./Metric.js";
export {
  registerMetric,
  restoreMetric,
  metricClass,
  isRegistered,
  registeredKinds,
  type MetricClass,
} from "./registry.js";
export {
  HingeLoss,
  HingeLossMetric,
  type HingeLossConstructor,
  type HingeValueFor,
  type HingeLossStateJSON,
} from "./hinge/index.js";
export {
  MetricCollection,
  type AnyMetric,
  type CollectionOptions,
  type CollectionValue,
  type MetricCollectionStateJSON,
} from "./MetricCollection.js";
export { mergeStates } from "./mergeStates.js";
