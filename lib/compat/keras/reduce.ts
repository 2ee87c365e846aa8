/**
 * Keras's weighting and reductions: `reduce_weighted_values` of the losses (`keras/src/losses/loss.py`:
 * merge the mask into the sample weights, weight the per-sample losses, reduce them) and
 * `reduce_to_samplewise_values` + `Mean.update_state` of the metrics (`keras/src/metrics/reduction_metrics.py`).
 * In float64 the sums are exact and each quotient is rounded once; in float32, float16 and bfloat16 every
 * step rounds to the dtype where Keras computes in it. Metric states stay exact in every dtype.
 *
 * @module
 */
import {
  assertNonNegative,
  broadcastShape,
  broadcastTo,
  countScaled,
  divideNoNan,
  exactSum as exactScaledSum,
  multiplyBroadcast,
  meanTrailing,
  numel,
  readDense,
  shapeText,
  squeezeOrExpand,
  toNested,
  type Dense,
  type Nested,
} from "./dense.js";
import { MetricInputError } from "../../errors/index.js";
import type { ExactSum } from "../../state/index.js";
import { arithmetic, type Arithmetic, type KerasDtype } from "./dtype.js";
import { perSample } from "./functions.js";
import type { KerasLossKind } from "./kernels.js";

/**
 * Keras loss reductions. `null` is Keras's `None` (same as `"none"`).
 *
 * @example
 * ```ts
 * const r: KerasReduction = "sum_over_batch_size";
 * ```
 */
export type KerasReduction =
  "sum_over_batch_size" | "sum" | "mean" | "mean_with_sample_weight" | "none" | null;

function roundAll(d: Dense, r: (x: number) => number): Dense {
  const data = d.data;
  for (let i = 0; i < data.length; i++) data[i] = r(data[i]);
  return d;
}

/** The exact sum of the elements, rounded once to float64. */
function sumOf(data: Float64Array): number {
  return divideNoNan(exactScaledSum(data), countScaled(1));
}

/**
 * The reduced loss of per-sample values (Keras `reduce_weighted_values`).
 *
 * @param raw - per-sample values, in the dtype
 * @param mask - Keras's mask of the values (circle), or `null`
 * @param sampleWeight - the weights as given, or `undefined` / `null`
 * @param reduction - the reduction
 * @param ar - the dtype's arithmetic
 * @returns a number, or the weighted values for `"none"` / `null`, a scalar or an empty batch
 * @throws {@link MetricInputError} for bad weights or weights that do not broadcast
 * @example
 * ```ts
 * reduceWeighted(readDense([1.1, 1.5], "v"), null, [1, 0], "sum", arithmetic("float64")); // => 1.1
 * ```
 */
export function reduceWeighted(
  raw: Dense,
  mask: Float64Array | null,
  sampleWeight: unknown,
  reduction: KerasReduction,
  ar: Arithmetic,
): Nested {
  const { r } = ar;
  let values: Dense = raw;
  let weight: Dense | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    weight = readDense(sampleWeight, "sampleWeight", true);
    assertNonNegative(weight);
    roundAll(weight, r);
  }
  if (mask !== null) {
    // apply_mask: for mean / sum_over_batch_size valid entries weigh total / valid (in the dtype).
    const m = new Float64Array(mask);
    if (reduction === "mean" || reduction === "sum_over_batch_size") {
      let valid = 0;
      for (const v of m) valid += v;
      const factor = ar.sum(valid) === 0 ? 0 : r(r(m.length) / ar.sum(valid));
      for (let i = 0; i < m.length; i++) m[i] = r(m[i] * factor);
    }
    const maskDense: Dense = { data: m, shape: raw.shape, name: "mask" };
    if (weight === null) weight = maskDense;
    else {
      const [mm, ww] = squeezeOrExpand(maskDense, weight);
      weight = roundAll({ ...multiplyBroadcast(ww, mm, "the mask"), name: "sampleWeight" }, r);
    }
  }
  if (weight !== null) {
    const [vv, ww] = squeezeOrExpand(values, weight);
    values = roundAll(multiplyBroadcast(vv, ww, "the per-sample losses"), r);
    assertFiniteWeighted(values.data, ar.dtype);
  }
  if (
    reduction === null ||
    reduction === "none" ||
    values.shape.length === 0 ||
    (values.shape.length === 1 && values.shape[0] === 0)
  ) {
    return toNested(values.data, values.shape);
  }
  const value = reduceValues(values, reduction === "mean_with_sample_weight" ? weight : null, reduction, ar);
  if (!Number.isFinite(value)) {
    // each weighted loss is finite, but their sum (exact in float64, in the dtype otherwise) may not be
    throw new MetricInputError(
      `the ${reduction} reduction of the weighted losses overflows ${ar.dtype} (${value}): yTrue, yPred or sampleWeight is too large`,
    );
  }
  return value;
}

/** The number of a reduction other than "none" (Keras `reduce_values`), in the dtype. */
function reduceValues(
  values: Dense,
  byWeight: Dense | null,
  reduction: "sum_over_batch_size" | "sum" | "mean" | "mean_with_sample_weight",
  ar: Arithmetic,
): number {
  const { r } = ar;
  if (ar.dtype === "float64") {
    const sum = exactScaledSum(values.data);
    if (reduction === "sum") return divideNoNan(sum, countScaled(1));
    return divideNoNan(
      sum,
      byWeight !== null ? exactScaledSum(byWeight.data) : countScaled(numel(values.shape)),
    );
  }
  // Keras: loss = sum(values) in the dtype; then divide_no_nan(loss, sum(weights)) or loss / num_elements,
  // where the count, a Python int, is converted to the dtype (JAX and TensorFlow) before the division.
  const loss = ar.sum(sumOf(values.data));
  if (reduction === "sum") return loss;
  if (byWeight !== null) {
    const divisor = ar.sum(sumOf(byWeight.data));
    return divisor === 0 ? 0 : r(loss / divisor);
  }
  return r(loss / r(numel(values.shape)));
}

/** Refuses a weighted loss that overflows the dtype (a loss or a metric never carries an infinity on). */
function assertFiniteWeighted(data: ArrayLike<number>, dtype: KerasDtype): void {
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (!Number.isFinite(x)) {
      throw new MetricInputError(`sample ${i} has a weighted loss that overflows ${dtype} (${x})`);
    }
  }
}

/** A mean over all axes from `axis` on, in the dtype's arithmetic (Keras `ops.mean`). */
function meanFrom(x: Dense, axis: number, ar: Arithmetic): Dense {
  return meanTrailing(x, axis, ar.mean);
}

/**
 * Keras `MeanMetricWrapper.update_state` → `reduce_to_samplewise_values` → `Mean.update_state`: the
 * function's per-sample values (computed in float32, as Keras computes on the float32 tensors it makes of
 * lists, or in float64 for a float64 metric), cast to the metric dtype, weighted, reduced to one value per
 * sample; adds Σ w·l to the total and Σ w (or the number of samples) to the count, exactly.
 *
 * @param state - the metric's exact sums `total` (Σ w·l) and `count` (Σ w); the caller makes the update atomic
 * @param kind - which function
 * @param className - the metric's Keras class name, for messages
 * @param dtype - the metric's dtype
 * @param yTrue - labels
 * @param yPred - predictions
 * @param sampleWeight - optional weights, one per sample (or a number)
 * @throws {@link MetricInputError} for bad inputs; `state` is then unchanged
 * @example
 * ```ts
 * const state = { total: exactSum().empty(), count: exactSum().empty() };
 * updateMean(state, "hinge", "Hinge", "float64", [[0, 1]], [[0.6, 0.4]], undefined);
 * state.total.value(); // => 1.1
 * ```
 */
export function updateMean(
  state: { readonly total: ExactSum; readonly count: ExactSum },
  kind: KerasLossKind,
  className: string,
  dtype: KerasDtype,
  yTrue: unknown,
  yPred: unknown,
  sampleWeight: unknown,
): void {
  const ar = arithmetic(dtype);
  const fnAr = dtype === "float64" ? ar : arithmetic("float32");
  const raw = perSample(
    kind,
    yTrue,
    yPred,
    {},
    { who: `metrics.${className}`, align: false, ar: fnAr },
  ).values;
  let values: Dense = { ...raw, data: raw.data.map(ar.r) };
  let weight: Dense | null = null;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    const w0 = readDense(sampleWeight, "sampleWeight", true);
    assertNonNegative(w0);
    const cast: Dense = { ...w0, data: w0.data.map(ar.r) };
    [values, weight] = squeezeOrExpand(values, cast);
    const wRank = weight.shape.length;
    if (values.shape.length > wRank) values = meanFrom(values, wRank, ar);
    const shape = broadcastShape(weight.shape, values.shape);
    if (
      shape === null ||
      shape.length !== values.shape.length ||
      shape.some((d, k) => d !== values.shape[k])
    ) {
      throw new MetricInputError(
        `sampleWeight of shape ${shapeText(w0.shape)} does not broadcast to the per-sample values of shape ` +
          `${shapeText(values.shape)}: give one weight per sample`,
      );
    }
    const wb = broadcastTo(weight, values.shape);
    const v = new Float64Array(values.data);
    for (let i = 0; i < v.length; i++) v[i] = ar.r(v[i] * wb[i]);
    values = { data: v, shape: values.shape, name: values.name };
    weight = { data: wb, shape: values.shape, name: "sampleWeight" };
    if (wRank > 1) weight = meanFrom(weight, 1, ar);
  }
  if (values.shape.length > 1) values = meanFrom(values, 1, ar);
  assertFiniteWeighted(values.data, dtype);
  const { total, count } = state;
  for (let i = 0; i < values.data.length; i++) total.add(values.data[i]);
  if (weight !== null) for (let i = 0; i < weight.data.length; i++) count.add(weight.data[i]);
  else count.add(values.shape.length >= 1 ? values.shape[0] : 1);
}
