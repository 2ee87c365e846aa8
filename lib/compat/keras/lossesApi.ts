/**
 * The `losses` namespace of `streammetrics/keras`, as Keras's `keras.losses`: the loss classes, the loss
 * functions, and `get` / `serialize` / `deserialize`.
 *
 * @module
 */
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
export {
  hinge,
  squaredHinge,
  categoricalHinge,
  categoricalGeneralizedCrossEntropy,
  circle,
} from "./functions.js";
export { get, serialize, deserialize, type KerasLossFunction, type SerializedLoss } from "./lookup.js";
