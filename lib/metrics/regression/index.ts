export { MeanSquaredError, checkErrorSums, type PerOutput } from "./MeanSquaredError.js";
export { MeanAbsoluteError } from "./MeanAbsoluteError.js";
export { R2Score, type R2Value } from "./R2Score.js";
export { meanSquaredError, meanAbsoluteError, r2Score } from "./functional.js";
export {
  readPair,
  squaredErrorUpdate,
  absoluteErrorUpdate,
  meanOfSums,
  r2Update,
  r2Compute,
  type RegressionPair,
  type R2Sums,
} from "./kernels.js";
export {
  meanSquaredErrorOptionsSchema,
  meanAbsoluteErrorOptionsSchema,
  r2ScoreOptionsSchema,
  resolveMeanSquaredErrorOptions,
  resolveMeanAbsoluteErrorOptions,
  resolveR2ScoreOptions,
  type MeanSquaredErrorOptions,
  type MeanAbsoluteErrorOptions,
  type R2ScoreOptions,
  type Multioutput,
  type ResolvedMeanSquaredErrorOptions,
  type ResolvedMeanAbsoluteErrorOptions,
  type ResolvedR2ScoreOptions,
} from "./options.js";
