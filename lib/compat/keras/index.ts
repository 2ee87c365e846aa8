/**
 * `streammetrics/keras`: Keras 3 semantics for the hinge-loss family, on exact sums.
 *
 * - functions `hinge`, `squaredHinge`, `categoricalHinge`, `categoricalGeneralizedCrossEntropy`, `circle`;
 * - loss classes `Hinge`, `SquaredHinge`, `CategoricalHinge`, `CategoricalGeneralizedCrossEntropy`,
 *   `Circle` (also under `losses`);
 * - stateful metrics under `metrics`: `metrics.Hinge`, `metrics.SquaredHinge`, `metrics.CategoricalHinge`
 *   (exact, mergeable states; `getConfig` / `fromConfig`);
 * - look-up by name: `get("hinge")`, `get("SquaredHinge")`, ..., and `serialize` / `deserialize` (also
 *   under `losses`);
 * - dtypes `"float32"` (Keras's default), `"float16"`, `"bfloat16"`, `"float64"`: losses compute in their
 *   dtype as Keras does; `toFloat16` / `toBfloat16` round correctly.
 *
 * Guide and differences from Keras: docs/keras.md.
 *
 * @example
 * ```ts
 * import { Hinge, metrics } from "streammetrics/keras";
 * new Hinge({ dtype: "float64" }).compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => 1.3
 * new metrics.Hinge().updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0]).result(); // => 1.100000023841858
 * ```
 *
 * @module
 */
export {
  hinge,
  squaredHinge,
  categoricalHinge,
  categoricalGeneralizedCrossEntropy,
  circle,
  type CircleOptions,
  type KerasLossKind,
} from "./functions.js";
export {
  Loss,
  Hinge,
  SquaredHinge,
  CategoricalHinge,
  CategoricalGeneralizedCrossEntropy,
  Circle,
  type KerasReduction,
  type KerasDtype,
  type KerasLossOptions,
  type KerasLossConfig,
  type CategoricalGeneralizedCrossEntropyOptions,
  type CircleLossOptions,
} from "./losses.js";
export type { Nested, DenseLike } from "./dense.js";
export type {
  KerasMetricOptions,
  KerasMetricConfig,
  KerasMetricStateJSON,
  KerasMeanMetric,
} from "./metrics.js";
export { toFloat16, toBfloat16 } from "./dtype.js";
export { get, serialize, deserialize, type KerasLossFunction, type SerializedLoss } from "./lookup.js";
export * as losses from "./lossesApi.js";
export * as metrics from "./metricsApi.js";
