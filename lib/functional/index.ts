// The functional hinge loss lives with its metric (lib/metrics/hinge/); this entry keeps its old path.
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
} from "../metrics/hinge/index.js";
