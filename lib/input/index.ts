export {
  toTensorView,
  assertAttached,
  assertAttachedPair,
  asInputError,
  numericView,
  squeezeColumn,
  type TensorLike,
  type TensorView,
  type NumericTypedArray,
} from "./tensor.js";
export { readTensor, position, type Tensor, type TensorDtype, type ReadTensorOptions } from "./readTensor.js";
