export { accumulate, hingeLoss, type Batch, type EpochResult } from "./accumulate.js";
export { mergeStates } from "./mergeStates.js";
export { forwardValues, type ForwardMetric } from "./forward.js";
export {
  resolveAccumulateConfig,
  resolveMergeStatesConfig,
  type AccumulateConfig,
  type EpochConfig,
  type MergeStatesConfig,
  type MergeableMetric,
  type OnInvalid,
  type ResolvedAccumulateConfig,
  type ResolvedMergeStatesConfig,
  type StreamMetric,
} from "./config.js";
