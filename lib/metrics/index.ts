export { Metric, type MetricStateJSON, type StateSpec } from "./Metric.js";
export { HingeLoss, type HingeLossStateJSON } from "./HingeLoss.js";
