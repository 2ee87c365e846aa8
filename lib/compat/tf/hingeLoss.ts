/**
 * `tf.compat.v1.losses.hinge_loss` (and TensorFlow.js `tf.losses.hingeLoss`) semantics on the streammetrics
 * kernels: labels 0/1 mapped to -1/+1, elementwise `max(0, 1 - y·logit)`, broadcastable weights and the
 * five tf.compat.v1 reductions, with exact sums.
 *
 * @module
 */
import { z } from "zod";
import { MetricInputError } from "../../errors/index.js";
import { emptyHingeState, hingeLossUpdate } from "../../functional/index.js";
import { describe, parseOptions, resolveHingeLossOptions } from "../../options/index.js";
import {
  assertNonNegative,
  broadcastTo,
  countScaled,
  divideNoNan,
  positionOf,
  readDense,
  shapeText,
  toNested,
  type Nested,
  type DenseLike,
} from "../keras/dense.js";

/**
 * The tf.compat.v1 `tf.losses.Reduction` values.
 *
 * @example
 * ```ts
 * Reduction.SUM_BY_NONZERO_WEIGHTS; // => "weighted_sum_by_nonzero_weights"
 * ```
 */
export const Reduction = Object.freeze({
  /** The weighted losses, same shape as the labels. */
  NONE: "none",
  /** Σ w·l. */
  SUM: "weighted_sum",
  /** Σ w·l / Σ w (the weights broadcast to the labels' shape). */
  MEAN: "weighted_mean",
  /** Σ w·l / number of elements. */
  SUM_OVER_BATCH_SIZE: "weighted_sum_over_batch_size",
  /** Σ w·l / number of non-zero (broadcast) weights; the default. */
  SUM_BY_NONZERO_WEIGHTS: "weighted_sum_by_nonzero_weights",
} as const);

/**
 * One of the {@link Reduction} values.
 *
 * @example
 * ```ts
 * const r: TfReduction = Reduction.MEAN;
 * ```
 */
export type TfReduction = (typeof Reduction)[keyof typeof Reduction];

/**
 * Options of {@link hingeLoss}.
 *
 * @example
 * ```ts
 * const options: TfHingeLossOptions = { weights: [0.1, 0.2, 0.3, 0.4], reduction: Reduction.MEAN };
 * ```
 */
export interface TfHingeLossOptions {
  /** A number (default 1) or a tensor of the labels' rank whose every axis is 1 or the labels' size. */
  weights?: DenseLike;
  /** Default `Reduction.SUM_BY_NONZERO_WEIGHTS`. */
  reduction?: TfReduction;
}

const values = Object.values(Reduction) as [TfReduction, ...TfReduction[]];
const optionsSchema = z.strictObject({
  weights: z.unknown().optional(),
  reduction: z
    .enum(values, {
      error: (issue) =>
        `reduction must be one of ${values.map((v) => JSON.stringify(v)).join(", ")} (use the Reduction object), got ${describe(issue.input)}`,
    })
    .default(Reduction.SUM_BY_NONZERO_WEIGHTS),
});

const binaryOptions = resolveHingeLossOptions({});

/**
 * tf.compat.v1 `hinge_loss(labels, logits, weights, reduction)`: `max(0, 1 - (2·labels - 1)·logits)`
 * elementwise, weighted and reduced. Labels must be 0 or 1: where tf would silently map a -1 label to -3,
 * this raises a `MetricInputError`. Sums are exact and divisions are `div_no_nan` as in tf.compat.v1 (0 when
 * the denominator is 0; TensorFlow.js gives NaN there). Weights must be finite and ≥ 0.
 *
 * @param labels - 0/1 labels, any shape
 * @param logits - decision values, the same shape
 * @param options - {@link TfHingeLossOptions}
 * @returns a number, or for `Reduction.NONE` the weighted losses in the labels' shape (nested arrays)
 * @throws {@link InvalidOptionsError} for an unknown reduction; {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * hingeLoss([0, 1, 0, 1], [0, 0, 1, 1]); // => 1
 * hingeLoss([0, 1, 0, 1], [0, 0, 1, 1], { weights: [0.1, 0.2, 0.3, 0.4] }); // => 0.225
 * hingeLoss([0, 1, 0, 1], [0, 0, 1, 1], { weights: [0.1, 0.2, 0.3, 0.4], reduction: Reduction.NONE });
 * // => [0.1, 0.2, 0.6, 0]
 * ```
 */
export function hingeLoss(labels: DenseLike, logits: DenseLike, options?: TfHingeLossOptions): Nested {
  const opts = parseOptions(optionsSchema, options, "hingeLoss");
  if (labels === undefined || labels === null)
    throw new MetricInputError("labels must not be null or undefined");
  if (logits === undefined || logits === null)
    throw new MetricInputError("logits must not be null or undefined");
  const y = readDense(labels, "labels");
  const x = readDense(logits, "logits");
  if (y.shape.length !== x.shape.length || y.shape.some((d, k) => d !== x.shape[k])) {
    throw new MetricInputError(
      `logits has shape ${shapeText(x.shape)} but labels has shape ${shapeText(y.shape)}: they must be equal`,
    );
  }
  for (let i = 0; i < y.data.length; i++) {
    const v = y.data[i];
    if (v !== 0 && v !== 1) {
      throw new MetricInputError(
        `${positionOf("labels", y.shape, i)} must be 0 or 1 (tf.compat.v1 maps labels with 2·y - 1, so ${v} would become ${2 * v - 1}), got ${v}`,
      );
    }
  }
  const n = y.data.length;
  let w: Float64Array | null = null;
  let nonZero = n;
  if (opts.weights !== undefined && opts.weights !== null) {
    const wd = readDense(opts.weights, "weights", true);
    assertNonNegative(wd);
    const ok =
      wd.shape.length === 0 ||
      (wd.shape.length === y.shape.length && wd.shape.every((d, k) => d === 1 || d === y.shape[k]));
    if (!ok) {
      throw new MetricInputError(
        `weights of shape ${shapeText(wd.shape)} does not broadcast to labels of shape ${shapeText(y.shape)}: ` +
          `expected a number or the same rank with each axis 1 or equal`,
      );
    }
    w = broadcastTo(wd, y.shape);
    nonZero = 0;
    for (let i = 0; i < n; i++) if (w[i] !== 0) nonZero++;
  }
  if (opts.reduction === Reduction.NONE) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const m = 1 - (2 * y.data[i] - 1) * x.data[i];
      out[i] = (m > 0 ? m : 0) * (w === null ? 1 : w[i]);
      // the same error as the other reductions (whose kernel refuses a weighted measure that overflows)
      if (out[i] === Infinity) throw new MetricInputError(overflowText(i));
    }
    return toNested(out, y.shape);
  }
  const state = emptyHingeState();
  hingeLossUpdate(state, x.data, y.data, w ?? undefined, binaryOptions);
  const sum = state.measure.size === 0 ? 0n : state.measure.exact(0);
  let value: number;
  switch (opts.reduction) {
    case Reduction.SUM:
      value = divideNoNan(sum, countScaled(1));
      break;
    case Reduction.MEAN:
      value = divideNoNan(sum, state.total.exact());
      break;
    case Reduction.SUM_OVER_BATCH_SIZE:
      value = divideNoNan(sum, countScaled(n));
      break;
    default:
      value = divideNoNan(sum, countScaled(nonZero));
  }
  if (!Number.isFinite(value)) {
    // each weighted loss is finite, but their exact sum (or mean) may still exceed the float64 range
    throw new MetricInputError(
      `the ${opts.reduction} reduction of the weighted losses overflows float64 (${value}): logits or weights are too large`,
    );
  }
  return value;
}

/** The kernel's own message for a weighted measure that overflows, so that every reduction says the same. */
function overflowText(i: number): string {
  return `sample ${i} has a weighted measure that overflows float64 (Infinity): its scores or weight are too large`;
}
