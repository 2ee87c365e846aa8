/**
 * Per-sample values of the Keras loss functions, computed as Keras computes them in a dtype (see
 * {@link Arithmetic}): `hinge`, `squared_hinge`, `categorical_hinge` and
 * `categorical_generalized_cross_entropy` here, `circle` in `circle.ts`.
 *
 * Keras reaches these functions two ways: bare (the functions, and the metrics' `MeanMetricWrapper`), where
 * `y_true` and `y_pred` broadcast as NumPy does, and through a loss class (`LossFunctionWrapper.call`), which
 * first squeezes or expands a trailing axis of size 1 when the ranks differ by one. Where the shapes then
 * still differ, Keras broadcasts every prediction against every label; the facade raises instead, naming
 * what Keras would compute and how to reshape.
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import {
  broadcastShape,
  broadcastTo,
  numel,
  positionOf,
  readDense,
  shapeText,
  squeezeOrExpand,
  type Dense,
} from "./dense.js";
import type { Arithmetic } from "./dtype.js";

/**
 * The kinds of per-sample functions, by their Keras names.
 *
 * @example
 * ```ts
 * const kind: KerasLossKind = "squared_hinge";
 * ```
 */
export type KerasLossKind =
  "hinge" | "squared_hinge" | "categorical_hinge" | "categorical_generalized_cross_entropy" | "circle";

/**
 * Per-sample values and, for `circle`, the Keras mask (`loss > 0`) that the loss classes apply.
 *
 * @example
 * ```ts
 * const out: PerSample = { values: { data: new Float64Array([1.1]), shape: [1], name: "values" }, mask: null };
 * ```
 */
export interface PerSample {
  /** Per-sample values, already rounded to the computation's dtype. */
  readonly values: Dense;
  /** 1 where the sample counts, 0 where Keras masks it out; `null` when there is no mask. */
  readonly mask: Float64Array | null;
}

/**
 * How the function is reached and in which arithmetic it runs.
 *
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * const call: Call = { who: "Hinge", align: true, ar: arithmetic("float32") };
 * ```
 */
export interface Call {
  /** Who calls, for messages (`"hinge"`, `"Hinge"`, `"metrics.Hinge"`). */
  readonly who: string;
  /** Through a loss class: align a trailing size-1 axis first (Keras `LossFunctionWrapper.call`). */
  readonly align: boolean;
  /** The dtype's rounding model; inputs are cast to it first. */
  readonly ar: Arithmetic;
}

/**
 * Reads an input and casts it to the computation's dtype (Keras `convert_to_tensor(x, dtype)`); a value
 * that overflows the dtype is an error (Keras would carry an infinity into the loss).
 *
 * @param value - the input as given
 * @param name - its name, for messages
 * @param ar - the dtype's arithmetic
 * @param allowScalar - accept a plain number (rank 0)
 * @returns a dense copy, rounded to the dtype
 * @throws {@link MetricInputError} for bad input or a value that overflows the dtype
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * readCast([0.1], "yPred", arithmetic("bfloat16")).data; // => Float64Array [0.10009765625]
 * ```
 */
export function readCast(value: unknown, name: string, ar: Arithmetic, allowScalar = false): Dense {
  const d = readDense(value, name, allowScalar);
  if (ar.dtype === "float64") return d;
  const out = d.data;
  for (let i = 0; i < out.length; i++) {
    const v = ar.r(out[i]);
    if (!Number.isFinite(v)) {
      throw new MetricInputError(
        `${positionOf(name, d.shape, i)} = ${out[i]} overflows ${ar.dtype}: use a wider dtype`,
      );
    }
    out[i] = v;
  }
  return d;
}

/**
 * Reads integer labels that Keras casts to the dtype before casting them to int: a label the dtype cannot
 * hold exactly (above 256 in bfloat16, 2048 in float16) would be merged with a neighbouring class by Keras
 * without a word, so it is an error here.
 *
 * @param value - the labels as given
 * @param name - their name, for messages
 * @param ar - the dtype's arithmetic
 * @param allowScalar - accept a plain number (rank 0)
 * @returns the labels, unchanged
 * @throws {@link MetricInputError} for bad input or a label the dtype rounds
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * readLabels([3, 1], "yTrue", arithmetic("bfloat16")).data; // => Float64Array [3, 1]
 * ```
 */
export function readLabels(value: unknown, name: string, ar: Arithmetic, allowScalar = false): Dense {
  const d = readDense(value, name, allowScalar);
  for (let i = 0; i < d.data.length; i++) {
    const v = d.data[i];
    const c = ar.r(v);
    if (c !== v && Number.isInteger(v)) {
      throw new MetricInputError(
        `${positionOf(name, d.shape, i)} = ${v} is not exact in ${ar.dtype} (Keras casts labels to the dtype ` +
          `first and would read ${c}, merging two classes): use float32 or float64`,
      );
    }
  }
  return d;
}

/**
 * Throws when a per-sample value is not finite (the inputs were too large for the dtype).
 *
 * @param values - per-sample values
 * @param shape - their shape, for the position in the message
 * @param what - the function's name
 * @param ar - the dtype's arithmetic
 * @throws {@link MetricInputError} naming the first non-finite value
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * checkFinite(new Float64Array([1, 2]), [2], "hinge", arithmetic("float64")); // passes
 * ```
 */
export function checkFinite(
  values: Float64Array,
  shape: readonly number[],
  what: string,
  ar: Arithmetic,
): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new MetricInputError(
        `${what} of sample ${positionOf("", shape, i) || "0"} overflows ${ar.dtype} (${values[i]}): yTrue or yPred is too large`,
      );
    }
  }
}

/**
 * What Keras computes when `a` broadcasts to a shape larger than the predictions `p`: a sentence for a
 * `MetricInputError`.
 */
function kerasBroadcast(fn: string, a: readonly number[], p: readonly number[]): string {
  const b = broadcastShape(a, p);
  if (b === null) return `Keras's ${fn}() would fail (${shapeText(a)} and ${shapeText(p)} do not broadcast)`;
  return (
    `Keras's ${fn}() would broadcast ${shapeText(a)} against ${shapeText(p)} to ${shapeText(b)} and return ` +
    `losses of shape ${shapeText(b.slice(0, -1))}, pairing predictions with the labels of other samples ` +
    `instead of giving one loss per sample`
  );
}

/** Whether `a` broadcasts (NumPy rules) to exactly `target`. */
function broadcastsTo(a: readonly number[], target: readonly number[]): boolean {
  const b = broadcastShape(a, target);
  return b !== null && b.length === target.length && b.every((d, k) => d === target[k]);
}

/**
 * `y_true` and `y_pred` of an elementwise kind, aligned as Keras aligns them; labels that broadcast to the
 * shape of `y_pred` are broadcast (as Keras does), any other shape is an error.
 */
function readPair(kind: KerasLossKind, yTrue: unknown, yPred: unknown, call: Call): [Float64Array, Dense] {
  const t0 = readCast(yTrue, "yTrue", call.ar);
  const p0 = readCast(yPred, "yPred", call.ar);
  const [t, p] = call.align ? squeezeOrExpand(t0, p0) : [t0, p0];
  if (p.shape.length === 0) {
    throw new MetricInputError(`yPred must have rank ≥ 1 (the last axis is averaged), got a scalar`);
  }
  if (p.shape.length === 1 && p.shape[0] === 0) {
    throw new MetricInputError(
      `yPred has an empty last axis (shape ${shapeText(p0.shape)}): nothing to average`,
    );
  }
  if (!broadcastsTo(t.shape, p.shape)) {
    const column =
      !call.align && t0.shape.length + 1 === p0.shape.length && p0.shape[p0.shape.length - 1] === 1;
    const hint = !column
      ? `give yTrue the shape of yPred, ${shapeText(p0.shape)}`
      : call.who.startsWith("metrics.")
        ? `reshape yTrue to ${shapeText(p0.shape)} (Keras's metric passes the shapes to ${kind}() unaligned; its loss class aligns them)`
        : `reshape yTrue to ${shapeText(p0.shape)}, or use the loss class, which aligns a trailing axis of size 1`;
    throw new MetricInputError(
      `${call.who}: yTrue has shape ${shapeText(t0.shape)} but yPred has shape ${shapeText(p0.shape)}: ` +
        `${kerasBroadcast(kind, t.shape, p.shape)}; ${hint}`,
    );
  }
  // Keras decides the label conversion on y_true as given, before broadcasting.
  const labels = kind === "categorical_hinge" ? t.data : hingeLabels(t.data);
  const same = t.shape.length === p.shape.length && t.shape.every((d, k) => d === p.shape[k]);
  return [same ? labels : broadcastTo({ ...t, data: labels }, p.shape), p];
}

/**
 * Keras `convert_binary_labels_to_hinge`: when every label of the call is 0 or 1, labels become `2y - 1`;
 * otherwise they are used as given.
 */
function hingeLabels(y: Float64Array): Float64Array {
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return y;
  const out = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = 2 * y[i] - 1;
  return out;
}

/** hinge / squared_hinge / categorical_hinge, per sample. */
function elementwise(kind: KerasLossKind, yTrue: unknown, yPred: unknown, call: Call): PerSample {
  const [y, p] = readPair(kind, yTrue, yPred, call);
  const { r, sum, mean } = call.ar;
  const shape = p.shape.slice(0, -1);
  const C = p.shape[p.shape.length - 1];
  const rows = numel(shape);
  const out = new Float64Array(rows);
  const x = p.data;
  if (kind === "categorical_hinge") {
    for (let i = 0; i < rows; i++) {
      let pos = 0;
      let neg = -Infinity;
      for (let j = i * C; j < (i + 1) * C; j++) {
        pos += r(y[j] * x[j]);
        const v = r(r(1 - y[j]) * x[j]);
        if (v > neg) neg = v;
      }
      const m = r(r(neg - sum(pos)) + 1);
      out[i] = m > 0 ? m : 0;
    }
  } else {
    const squared = kind === "squared_hinge";
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = i * C; j < (i + 1) * C; j++) {
        const m = r(1 - r(y[j] * x[j]));
        const h = m > 0 ? m : 0;
        s += squared ? r(h * h) : h;
      }
      out[i] = mean(s, C);
    }
  }
  checkFinite(out, shape, kind, call.ar);
  return { values: { data: out, shape, name: "values" }, mask: null };
}

/**
 * Keras `categorical_generalized_cross_entropy`: `y_pred` of any shape `(..., C)` (a batch, an image of
 * pixels, ...) and integer labels of its leading shape `(...)`; `p` is the probability of the true class
 * and the loss `(1 - p^q) / q`, one per prediction.
 *
 * @param yTrue - integer class indices
 * @param yPred - class probabilities
 * @param q - the exponent, in (0, 1)
 * @param call - who calls, alignment, arithmetic
 * @returns the losses, of the shape of `yPred` without its last axis
 * @throws {@link MetricInputError} for bad labels or probabilities, and shapes Keras would broadcast across
 * samples
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * gce([1], [[0.36, 0.64]], 0.5, { who: "gce", align: false, ar: arithmetic("float64") }).values.data;
 * // => Float64Array [0.3999999999999999]
 * ```
 */
export function gce(yTrue: unknown, yPred: unknown, q: number, call: Call): PerSample {
  const t0 = readLabels(yTrue, "yTrue", call.ar, true);
  const p0 = readCast(yPred, "yPred", call.ar);
  const [t, p] = call.align ? squeezeOrExpand(t0, p0) : [t0, p0];
  if (p.shape.length === 0) {
    throw new MetricInputError(
      `${call.who}: yPred must have a last axis of class probabilities, got a scalar`,
    );
  }
  const C = p.shape[p.shape.length - 1];
  const lead = p.shape.slice(0, -1);
  const oneHot = [...t.shape, C];
  if (!broadcastsTo(oneHot, p.shape)) {
    const fn = "categorical_generalized_cross_entropy";
    throw new MetricInputError(
      `${call.who}: yTrue of shape ${shapeText(t0.shape)} does not index yPred of shape ${shapeText(p0.shape)}: ` +
        `Keras one-hot encodes yTrue to ${shapeText(oneHot)}; ${kerasBroadcast(fn, oneHot, p.shape)}; ` +
        `pass yTrue of shape ${shapeText(lead)} (one integer class index per prediction)`,
    );
  }
  const labels = broadcastTo(t, lead);
  const { r } = call.ar;
  const qd = r(q);
  const n = numel(lead);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!(Number.isInteger(label) && label >= 0 && label < C)) {
      throw new MetricInputError(
        `${positionOf("yTrue", lead, i)} must be an integer class index in [0, ${C}) for ${call.who}, got ${label}`,
      );
    }
    const v = p.data[i * C + label];
    if (!(v >= 0 && v <= 1)) {
      throw new MetricInputError(
        `${positionOf("yPred", p.shape, i * C + label)} must be a probability in [0, 1], got ${v}`,
      );
    }
    out[i] = r(r(1 - r(Math.pow(v, qd))) / qd);
  }
  return { values: { data: out, shape: lead, name: "values" }, mask: null };
}

/**
 * Per-sample values of `hinge`, `squared_hinge` or `categorical_hinge` (the unreduced output of Keras's
 * function).
 *
 * @param kind - which function
 * @param yTrue - labels
 * @param yPred - predictions
 * @param call - who calls, whether Keras's loss wrapper aligns ranks, and the arithmetic
 * @returns per-sample values (no mask)
 * @throws {@link MetricInputError} for bad inputs and shapes Keras would broadcast across samples
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * hingeFamily("hinge", [[0, 1]], [[0.6, 0.4]], { who: "hinge", align: false, ar: arithmetic("float64") }).values.data;
 * // => Float64Array [1.1]
 * ```
 */
export function hingeFamily(
  kind: "hinge" | "squared_hinge" | "categorical_hinge",
  yTrue: unknown,
  yPred: unknown,
  call: Call,
): PerSample {
  return elementwise(kind, yTrue, yPred, call);
}
