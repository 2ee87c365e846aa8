export { parseOptions, prettyOptionsError, invalidOption, describe } from "./parseOptions.js";
export {
  hingeLossOptionsSchema,
  resolveHingeLossOptions,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
} from "./hingeLossOptions.js";
