/**
 * Keras `reduce_weighted_values` (`keras/src/losses/loss.py`): merge the mask into the sample weights,
 * weight the per-sample losses, and reduce them. In float64 the sums are exact and each quotient is rounded
 * once; in float32, float16 and bfloat16 every step rounds to the dtype where Keras computes in it.
 *
 * @module
 */
import {
  assertNonNegative,
  countScaled,
  divideNoNan,
  exactSum,
  multiplyBroadcast,
  numel,
  readDense,
  squeezeOrExpand,
  toNested,
  type Dense,
  type Nested,
} from "./dense.js";
import type { Arithmetic } from "./dtype.js";

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
  return divideNoNan(exactSum(data), countScaled(1));
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
  }
  if (
    reduction === null ||
    reduction === "none" ||
    values.shape.length === 0 ||
    (values.shape.length === 1 && values.shape[0] === 0)
  ) {
    return toNested(values.data, values.shape);
  }
  const byWeight = reduction === "mean_with_sample_weight" ? weight : null;
  if (ar.dtype === "float64") {
    const sum = exactSum(values.data);
    if (reduction === "sum") return divideNoNan(sum, countScaled(1));
    return divideNoNan(sum, byWeight !== null ? exactSum(byWeight.data) : countScaled(numel(values.shape)));
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
