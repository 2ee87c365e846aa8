/**
 * `streammetrics/tf`: tf.compat.v1 / TensorFlow.js `hingeLoss` semantics on exact sums.
 *
 * @example
 * ```ts
 * import { hingeLoss, Reduction } from "streammetrics/tf";
 * hingeLoss([[0], [0], [1], [1]], [[-0.7], [-1.4], [1.4], [0.6]]); // => 0.17500000000000002
 * hingeLoss([0, 1], [0.5, 0.5], { reduction: Reduction.SUM }); // => 2
 * ```
 *
 * @module
 */
export type { Nested, DenseLike } from "../keras/dense.js";
export { hingeLoss, Reduction, type TfReduction, type TfHingeLossOptions } from "./hingeLoss.js";
