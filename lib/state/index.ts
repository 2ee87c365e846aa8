export {
  ExactSums,
  FLUSH_EVERY,
  FAST_LIMIT,
  roundQuotient,
  scaledFromDouble,
  doubleFromScaled,
  formatHexFloat,
  parseHexFloat,
} from "./exactSum.js";
export { assertPlainJson } from "./plainJson.js";
