export { InvalidOptionsError, MetricInputError, MetricStateError } from "./errors.js";
