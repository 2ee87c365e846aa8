export {
  hingeLoss,
  binaryHingeLoss,
  multiclassHingeLoss,
  hingeLossUpdate,
  hingeLossCompute,
  emptyHingeState,
  hingeSumCount,
  type HingeState,
  type HingeTask,
  type HingeValue,
} from "./hinge.js";
