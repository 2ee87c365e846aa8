export {
  HingeLoss,
  HingeLossMetric,
  type HingeLossConstructor,
  type HingeValueFor,
  type HingeLossStateJSON,
} from "./HingeLoss.js";
export {
  hingeLoss,
  binaryHingeLoss,
  multiclassHingeLoss,
  hingeLossUpdate,
  hingeLossCompute,
  emptyHingeState,
  hingeSumCount,
  hingeFields,
  type HingeState,
  type HingeTask,
  type HingeValue,
} from "./functional.js";
export { MAX_CLASSES } from "./batch.js";
