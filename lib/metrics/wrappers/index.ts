export {
  MetricTracker,
  type MetricTrackerOptions,
  type BestValue,
  type TrackerBest,
} from "./MetricTracker.js";
