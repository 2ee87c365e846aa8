export {
  MetricTracker,
  TrackerEpochs,
  type MetricTrackerOptions,
  type BestValue,
  type TrackerBest,
  type MetricTrackerState,
  type ResolvedMetricTrackerOptions,
} from "./MetricTracker.js";
