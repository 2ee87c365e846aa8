export { hingeLoss, type Label, type SklearnHingeLossOptions } from "./hingeLoss.js";
export { InvalidOptionsError, MetricInputError, MetricStateError } from "../../errors/index.js";
