export { InvalidOptionsError, MetricInputError, MetricStateError } from "./errors/index.js";
export {
  HingeLoss,
  HingeLossMetric,
  isMetric,
  Metric,
  MetricCollection,
  mergeStates,
  type AnyMetric,
  type CollectionValue,
  type HingeLossStateJSON,
  type HingeLossConstructor,
  type HingeValueFor,
  type CollectionOptions,
  type MetricCollectionStateJSON,
  type MetricStateJSON,
  type StateSpec,
  type LooseState,
  registerMetric,
  restoreMetric,
  metricClass,
  isRegistered,
  registeredKinds,
  type MetricClass,
} from "./metrics/index.js";
export {
  exactSum,
  count,
  maxOf,
  minOf,
  fixed,
  ExactSum,
  Count,
  Extremum,
  Fixed,
  type StateField,
  type StateValue,
} from "./state/index.js";
export {
  hingeLoss,
  binaryHingeLoss,
  multiclassHingeLoss,
  hingeLossUpdate,
  hingeLossCompute,
  emptyHingeState,
  type HingeState,
  type HingeTask,
  type HingeValue,
} from "./functional/index.js";
export {
  resolveHingeLossOptions,
  hingeLossOptionsSchema,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
} from "./options/index.js";
export type { TensorLike, NumericTypedArray } from "./input/index.js";
export { readTensor, type Tensor, type ReadTensorOptions } from "./input/index.js";
