export { BinaryHingeLoss } from "./BinaryHingeLoss.js";
export { MulticlassHingeLoss } from "./MulticlassHingeLoss.js";
export { HingeLoss, type HingeLossWrapper } from "./HingeLoss.js";
export { binaryHingeLoss, multiclassHingeLoss, hingeLoss } from "./functional.js";
export { sigmoid } from "./prepare.js";
export {
  resolveBinaryOptions,
  resolveMulticlassOptions,
  type InputTransform,
  type BinaryHingeLossOptions,
  type MulticlassHingeLossOptions,
  type HingeLossTaskOptions,
  type BinaryTaskOptions,
  type MulticlassTaskOptions,
  type ResolvedBinaryOptions,
  type ResolvedMulticlassOptions,
} from "./options.js";
export { InvalidOptionsError, MetricInputError, MetricStateError } from "../../errors/index.js";
