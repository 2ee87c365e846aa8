export {
  toTensorView,
  numericView,
  squeezeColumn,
  type TensorLike,
  type TensorView,
  type NumericTypedArray,
} from "./tensor.js";
