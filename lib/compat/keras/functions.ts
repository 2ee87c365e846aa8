/**
 * Keras 3 loss functions (`keras.losses.hinge`, `squared_hinge`, `categorical_hinge`,
 * `categorical_generalized_cross_entropy`, `circle`): per-sample values, computed in float64.
 *
 * The per-element formulas of Keras that the core kernels do not have live here, small and documented:
 * the label auto-conversion of `hinge` / `squared_hinge`, the `neg = max((1 - y)·p)` formula of
 * `categorical_hinge`, and the mean over the last axis.
 *
 * @module
 */
import { InvalidOptionsError, MetricInputError } from "../../errors/index.js";
import {
  numel,
  positionOf,
  readDense,
  shapeText,
  squeezeOrExpand,
  toNested,
  type Dense,
  type Nested,
  type DenseLike,
} from "./dense.js";

/** Per-sample values and, for `circle`, the Keras mask (`loss > 0`) that the loss classes apply. */
export interface PerSample {
  /** Per-sample values, shape = input shape without its last axis. */
  readonly values: Dense;
  /** 1 where the sample counts, 0 where Keras masks it out; `null` when there is no mask. */
  readonly mask: Float64Array | null;
}

/**
 * The kinds of per-sample functions.
 *
 * @example
 * ```ts
 * const kind: KerasLossKind = "squaredHinge";
 * ```
 */
export type KerasLossKind =
  "hinge" | "squared_hinge" | "categorical_hinge" | "categorical_generalized_cross_entropy" | "circle";

/** Reads `y_true` / `y_pred` and aligns their ranks as Keras's `LossFunctionWrapper.call` does. */
function readPair(yTrue: unknown, yPred: unknown): [Dense, Dense] {
  const t = readDense(yTrue, "yTrue");
  const p = readDense(yPred, "yPred");
  const [tt, pp] = squeezeOrExpand(t, p);
  if (pp.shape.length === 0) {
    throw new MetricInputError(`yPred must have rank ≥ 1 (the last axis is averaged), got a scalar`);
  }
  if (tt.shape.length !== pp.shape.length || tt.shape.some((d, k) => d !== pp.shape[k])) {
    throw new MetricInputError(
      `yTrue has shape ${shapeText(t.shape)} but yPred has shape ${shapeText(p.shape)}: expected the same shape ` +
        `(or one extra trailing axis of size 1)`,
    );
  }
  const last = pp.shape[pp.shape.length - 1];
  if (last === 0 && numel(pp.shape) === 0 && pp.shape.length === 1) {
    throw new MetricInputError(
      `yPred has an empty last axis (shape ${shapeText(p.shape)}): nothing to average`,
    );
  }
  return [tt, pp];
}

/**
 * Keras `convert_binary_labels_to_hinge`: when every label of the call is 0 or 1, labels become `2y - 1`;
 * otherwise they are used as given. Returns a new array (or the same one when unchanged).
 */
function hingeLabels(y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return y;
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = 2 * y[i] - 1;
  return out;
}

/**
 * Per-sample values of one of the Keras loss functions (the unreduced output of `Loss.call`).
 *
 * @param kind - which function
 * @param yTrue - labels
 * @param yPred - predictions
 * @param args - `q` for categorical GCE; `gamma`, `margin`, `removeDiagonal` for circle
 * @returns per-sample values (shape without the last axis) and the Keras mask (circle only)
 * @throws {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * perSample("hinge", [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).values.data; // => Float64Array [1.1, 1.5]
 * ```
 */
export function perSample(
  kind: KerasLossKind,
  yTrue: unknown,
  yPred: unknown,
  args: { q?: number; gamma?: number; margin?: number; removeDiagonal?: boolean } = {},
): PerSample {
  if (kind === "categorical_generalized_cross_entropy") return gce(yTrue, yPred, args.q ?? 0.5);
  if (kind === "circle")
    return circleValues(yTrue, yPred, args.gamma ?? 80, args.margin ?? 0.4, args.removeDiagonal ?? true);
  const [t, p] = readPair(yTrue, yPred);
  const shape = p.shape.slice(0, -1);
  const C = p.shape[p.shape.length - 1];
  const rows = numel(shape);
  const out = new Float64Array(rows);
  const x = p.data;
  if (kind === "categorical_hinge") {
    const y = t.data;
    for (let r = 0; r < rows; r++) {
      let pos = 0;
      let neg = -Infinity;
      for (let j = r * C; j < (r + 1) * C; j++) {
        pos += y[j] * x[j];
        const v = (1 - y[j]) * x[j];
        if (v > neg) neg = v;
      }
      const m = neg - pos + 1;
      out[r] = m > 0 ? m : 0;
    }
  } else {
    const y = hingeLabels(t.data);
    const squared = kind === "squared_hinge";
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * C; j < (r + 1) * C; j++) {
        const m = 1 - y[j] * x[j];
        const h = m > 0 ? m : 0;
        s += squared ? h * h : h;
      }
      out[r] = s / C;
    }
  }
  checkFinite(out, shape, kind);
  return { values: { data: out, shape, name: "values" }, mask: null };
}

function checkFinite(values: Float64Array, shape: readonly number[], kind: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new MetricInputError(
        `${kind} of sample ${positionOf("", shape, i) || "0"} overflows float64 (${values[i]}): yTrue or yPred is too large`,
      );
    }
  }
}

function classIndices(t: Dense, n: number, C: number, what: string): Int32Array {
  const ok = t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1);
  if (!ok || t.shape[0] !== n) {
    throw new MetricInputError(
      `yTrue must hold ${n} integer class indices (shape [${n}] or [${n}, 1]) for ${what}, got shape ${shapeText(t.shape)}`,
    );
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = t.data[i];
    if (!(Number.isInteger(v) && v >= 0 && v < C)) {
      throw new MetricInputError(
        `yTrue[${i}] must be an integer class index in [0, ${C}) for ${what}, got ${v}`,
      );
    }
    out[i] = v;
  }
  return out;
}

function gce(yTrue: unknown, yPred: unknown, q: number): PerSample {
  const t = readDense(yTrue, "yTrue");
  const p = readDense(yPred, "yPred");
  if (p.shape.length !== 2) {
    throw new MetricInputError(
      `yPred must have shape (N, C) (class probabilities), got shape ${shapeText(p.shape)}`,
    );
  }
  const [n, C] = p.shape;
  const labels = classIndices(t, n, C, "categoricalGeneralizedCrossEntropy");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = p.data[i * C + labels[i]];
    if (!(v >= 0 && v <= 1)) {
      throw new MetricInputError(`yPred[${i}][${labels[i]}] must be a probability in [0, 1], got ${v}`);
    }
    out[i] = (1 - Math.pow(v, q)) / q;
  }
  return { values: { data: out, shape: [n], name: "values" }, mask: null };
}

function logSumExp(values: number[]): number {
  if (values.length === 0) return -Infinity;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let s = 0;
  for (const v of values) s += Math.exp(v - max);
  return max + Math.log(s);
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function circleValues(
  yTrue: unknown,
  yPred: unknown,
  gamma: number,
  margin: number,
  removeDiagonal: boolean,
): PerSample {
  const t = readDense(yTrue, "yTrue");
  const p = readDense(yPred, "yPred");
  if (p.shape.length !== 2) {
    throw new MetricInputError(
      `yPred must have shape (N, D) (L2-normalised embeddings), got shape ${shapeText(p.shape)}`,
    );
  }
  const [n, D] = p.shape;
  const labels = classIndices(t, n, Number.MAX_SAFE_INTEGER, "circle");
  const out = new Float64Array(n);
  const mask = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let k = 0; k < n; k++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += p.data[i * D + d] * p.data[k * D + d];
      const dist = Math.max(1 - dot, 0);
      if (labels[i] === labels[k]) {
        if (removeDiagonal && i === k) continue;
        const w = Math.max(margin + dist, 0);
        pos.push(-gamma * w * (margin - dist));
      } else {
        const w = Math.max(1 + margin - dist, 0);
        neg.push(gamma * w * (1 - margin - dist));
      }
    }
    const v = softplus(logSumExp(pos) + logSumExp(neg));
    out[i] = v;
    mask[i] = v > 0 ? 1 : 0;
  }
  checkFinite(out, [n], "circle");
  return { values: { data: out, shape: [n], name: "values" }, mask };
}

/**
 * Validates the `q` of the generalized cross-entropy: Keras requires `0 < q < 1`.
 *
 * @param q - the exponent
 * @returns q
 * @throws {@link InvalidOptionsError} outside (0, 1)
 * @example
 * ```ts
 * checkQ(0.5); // => 0.5
 * ```
 */
export function checkQ(q: number): number {
  if (!(typeof q === "number" && q > 0 && q < 1)) {
    throw new InvalidOptionsError(`✖ q must be in the interval (0, 1), got ${String(q)}\n  → at q`);
  }
  return q;
}

/**
 * Keras `hinge(y_true, y_pred)`: `mean(max(1 - y·p, 0), axis=-1)`, after the binary-label rule (if every
 * label of this call is 0 or 1, it becomes `2y - 1`; otherwise labels are used as given).
 *
 * A 1-D input is one sample (a number comes back); an `(N, 1)` column is N samples. A `yTrue` of shape
 * `(N)` with `yPred` `(N, 1)` is aligned as Keras's loss wrapper does (Keras's bare function would broadcast
 * to `(N, N)`; other shape mismatches are errors here, not broadcasts).
 *
 * @param yTrue - labels, -1/1 or 0/1
 * @param yPred - decision values, same shape
 * @returns per-sample losses: a number for 1-D input, else nested arrays of the shape without the last axis
 * @throws {@link MetricInputError} for non-finite values or mismatched shapes
 * @example
 * ```ts
 * hinge([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => [1.1, 1.5]
 * hinge([-1, 1, 1], [0.6, -0.7, -0.5]); // => 1.5999999999999999
 * ```
 */
export function hinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("hinge", yTrue, yPred);
  return toNested(values.data, values.shape);
}

/**
 * Keras `squared_hinge(y_true, y_pred)`: `mean(max(1 - y·p, 0)², axis=-1)`, with the same binary-label rule
 * as {@link hinge}.
 *
 * @param yTrue - labels, -1/1 or 0/1
 * @param yPred - decision values, same shape
 * @returns per-sample losses (a number for 1-D input)
 * @throws {@link MetricInputError} for non-finite values or mismatched shapes
 * @example
 * ```ts
 * squaredHinge([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => [1.4600000000000002, 2.2600000000000002]
 * ```
 */
export function squaredHinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("squared_hinge", yTrue, yPred);
  return toNested(values.data, values.shape);
}

/**
 * Keras `categorical_hinge(y_true, y_pred)`: `max(neg - pos + 1, 0)` with `pos = Σ y·p` and
 * `neg = max((1 - y)·p)` over the last axis. `yTrue` is one-hot (no label conversion).
 *
 * Keras quirk, kept on purpose: the true class enters the max as `(1 - 1)·p = 0`, so `neg ≥ 0`. When every
 * wrong-class score is negative this is larger than Crammer–Singer's `max(0, 1 - (p_t - max_{j≠t} p_j))`
 * (keras#8083); use `HingeLoss` from `streammetrics` for Crammer–Singer.
 *
 * @param yTrue - one-hot targets `(N, C)`
 * @param yPred - scores `(N, C)`
 * @returns per-sample losses
 * @throws {@link MetricInputError} for non-finite values or mismatched shapes
 * @example
 * ```ts
 * categoricalHinge([[0, 0, 1]], [[-1, -2, -0.5]]); // => [1.5] (Crammer–Singer: 0.5)
 * ```
 */
export function categoricalHinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("categorical_hinge", yTrue, yPred);
  return toNested(values.data, values.shape);
}

/**
 * Keras `categorical_generalized_cross_entropy(y_true, y_pred, q)`: `(1 - p^q) / q` with `p` the predicted
 * probability of the true class.
 *
 * @param yTrue - integer class indices `(N)` or `(N, 1)`
 * @param yPred - class probabilities `(N, C)` in [0, 1]
 * @param q - in (0, 1); towards 0 it behaves like cross-entropy, towards 1 like the mean absolute error
 * @returns per-sample losses
 * @throws {@link InvalidOptionsError} for q outside (0, 1); {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * categoricalGeneralizedCrossEntropy([0, 1], [[0.25, 0.75], [0.36, 0.64]], 0.5); // => [1, 0.3999999999999999]
 * ```
 */
export function categoricalGeneralizedCrossEntropy(yTrue: DenseLike, yPred: DenseLike, q: number): number[] {
  const { values } = perSample("categorical_generalized_cross_entropy", yTrue, yPred, { q: checkQ(q) });
  return Array.from(values.data);
}

/**
 * Options of the Circle loss.
 *
 * @example
 * ```ts
 * const options: CircleOptions = { gamma: 80, margin: 0.4, removeDiagonal: true };
 * ```
 */
export interface CircleOptions {
  /** Scaling factor (default 80). */
  gamma?: number;
  /** Relaxation margin (default 0.4). */
  margin?: number;
  /** Drop self-pairs from the positives (default true). */
  removeDiagonal?: boolean;
}

/**
 * Keras `circle(y_true, y_pred, remove_diagonal=True, gamma=80, margin=0.4)` (Sun et al. 2020) with the
 * batch as its own reference set: for each sample, with cosine distances `d = max(1 - p_i·p_k, 0)`,
 * positives (same label) weighted `max(margin + d, 0)` at `-γ·w·(margin - d)`, negatives
 * `max(1 + margin - d, 0)` at `γ·w·(1 - margin - d)`, and `softplus(logsumexp(pos) + logsumexp(neg))`.
 *
 * @param yTrue - integer labels `(N)`
 * @param yPred - L2-normalised embeddings `(N, D)`
 * @param options - {@link CircleOptions}
 * @returns per-sample losses
 * @throws {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * circle([0, 1], [[1, 0], [0, 1]]); // => [0, 0] (no positive pairs)
 * ```
 */
export function circle(yTrue: DenseLike, yPred: DenseLike, options: CircleOptions = {}): number[] {
  const { values } = perSample("circle", yTrue, yPred, options);
  return Array.from(values.data);
}
