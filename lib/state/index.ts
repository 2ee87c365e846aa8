export {
  ExactSums,
  FLUSH_EVERY,
  FAST_LIMIT,
  roundQuotient,
  scaledFromDouble,
  doubleFromScaled,
  formatHexFloat,
  parseHexFloat,
  fastQuotient,
} from "./exactSum.js";
export { assertPlainJson } from "./plainJson.js";
export type { StateField, StateValue } from "./field.js";
export { ExactSum, exactSum } from "./exactSumField.js";
export { Count, count } from "./count.js";
export { Extremum, maxOf, minOf } from "./extremum.js";
export { Fixed, fixed } from "./fixed.js";
