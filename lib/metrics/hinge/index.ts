export { HingeLoss, HingeLossMetric } from "./HingeLoss.js";
export type { HingeLossConstructor, HingeValueFor, HingeLossStateJSON } from "./types.js";
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
