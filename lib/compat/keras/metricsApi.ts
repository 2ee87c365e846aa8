/**
 * The `metrics` namespace of `streammetrics/keras`, as Keras's `keras.metrics`: the stateful metric classes,
 * and the hinge functions Keras also exports there (`keras.metrics.hinge`, ...).
 *
 * @module
 */
export {
  KerasMeanMetric,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  type KerasMetricOptions,
  type KerasMetricConfig,
  type KerasMetricStateJSON,
} from "./metrics.js";
export { hinge, squaredHinge, categoricalHinge } from "./functions.js";
