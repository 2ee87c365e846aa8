export {
  BinaryAccuracy,
  MulticlassAccuracy,
  Accuracy,
  binaryAccuracy,
  multiclassAccuracy,
  accuracy,
  type AccuracyConstructor,
} from "./accuracy.js";
export {
  BinaryPrecision,
  MulticlassPrecision,
  Precision,
  binaryPrecision,
  multiclassPrecision,
  precision,
  type PrecisionConstructor,
} from "./precision.js";
export {
  BinaryRecall,
  MulticlassRecall,
  Recall,
  binaryRecall,
  multiclassRecall,
  recall,
  type RecallConstructor,
} from "./recall.js";
export {
  BinaryF1Score,
  MulticlassF1Score,
  F1Score,
  binaryF1Score,
  multiclassF1Score,
  f1Score,
  type F1ScoreConstructor,
} from "./f1Score.js";
export {
  BinaryFBetaScore,
  MulticlassFBetaScore,
  FBetaScore,
  binaryFBetaScore,
  multiclassFBetaScore,
  fBetaScore,
  type FBetaScoreConstructor,
} from "./fBetaScore.js";
export {
  BinarySpecificity,
  MulticlassSpecificity,
  Specificity,
  binarySpecificity,
  multiclassSpecificity,
  specificity,
  type SpecificityConstructor,
} from "./specificity.js";
export {
  BinaryStatScores,
  MulticlassStatScores,
  StatScores,
  binaryStatScores,
  multiclassStatScores,
  statScores,
  type StatScoresConstructor,
  type StatScoresValue,
} from "./statScores.js";
export {
  BinaryConfusionMatrix,
  MulticlassConfusionMatrix,
  ConfusionMatrix,
  binaryConfusionMatrix,
  multiclassConfusionMatrix,
  confusionMatrix,
  type ConfusionMatrixConstructor,
  type ConfusionState,
} from "./confusionMatrix.js";
export {
  BinaryClassificationMetric,
  MulticlassClassificationMetric,
  type BinaryState,
  type MulticlassState,
} from "./base.js";
export {
  classificationSchemas,
  resolveClassificationOptions,
  type Average,
  type Averaged,
  type Normalize,
  type Task,
  type Resolved,
  type BinaryOptions,
  type BinaryZeroDivisionOptions,
  type BinaryFBetaOptions,
  type BinaryConfusionMatrixOptions,
  type MulticlassOptions,
  type MulticlassZeroDivisionOptions,
  type MulticlassFBetaOptions,
  type MulticlassConfusionMatrixOptions,
  type ClassificationSchemas,
} from "./options.js";
export type { BinaryKernelOptions, MulticlassKernelOptions } from "./kernels.js";
export type { ClassCounts, Score } from "./reduce.js";
