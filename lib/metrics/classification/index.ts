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
  BinaryF1Score,
  MulticlassF1Score,
  F1Score,
  binaryF1Score,
  multiclassF1Score,
  f1Score,
  type F1ScoreConstructor,
} from "./f1Score.js";
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
} from "./options.js";
