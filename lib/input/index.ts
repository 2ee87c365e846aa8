export {
  toTensorView,
  assertAttached,
  assertAttachedPair,
  numericView,
  squeezeColumn,
  type TensorLike,
  type TensorView,
  type NumericTypedArray,
} from "./tensor.js";
