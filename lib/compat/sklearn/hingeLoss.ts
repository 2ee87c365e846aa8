import { z } from "zod";
import { MetricInputError } from "../../errors/index.js";
import { emptyHingeState, hingeLossUpdate, type HingeState } from "../../functional/index.js";
import { readTensor, type TensorLike } from "../../input/index.js";
import { describe, parseOptions, resolveHingeLossOptions } from "../../options/index.js";
import { roundQuotient } from "../../state/index.js";
import { positionText, readNdArray, type NdArray } from "../torchmetrics/ndarray.js";

/**
 * A class label as scikit-learn takes it: a number or a string.
 *
 * @example
 * ```ts
 * const labels: Label[] = ["cat", "dog", "emu"];
 * ```
 */
export type Label = number | string;

/**
 * Options of {@link hingeLoss} (scikit-learn's keyword arguments `labels` and `sample_weight`).
 *
 * @example
 * ```ts
 * const options: SklearnHingeLossOptions = { labels: [0, 1, 2, 3], sampleWeight: [1, 2, 1] };
 * ```
 */
export interface SklearnHingeLossOptions {
  /**
   * All the classes of a multiclass problem, for when `yTrue` does not hold every class. Decides the task
   * (more than two distinct labels: multiclass); the binary branch takes its two classes from `yTrue`, as
   * scikit-learn does.
   */
  labels?: readonly Label[] | ArrayLike<number> | null;
  /**
   * Per-sample weights `(n_samples)`: finite numbers. As in scikit-learn (`np.average`), negative weights are
   * accepted; the weights must not sum to zero.
   */
  sampleWeight?: TensorLike | null;
}

const optionsSchema = z.strictObject({
  labels: z.unknown().optional(),
  sampleWeight: z.unknown().optional(),
});

/** numpy's repr of a shape: `(3,)`, `(3, 2)`. */
function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** numpy's repr of labels in a message: `[5]`, `['x', 'y']`. */
function pyList(values: readonly Label[]): string {
  return `[${values.map((v) => (typeof v === "string" ? `'${v}'` : String(v))).join(", ")}]`;
}

function compareLabels(a: Label, b: Label): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readLabels(view: NdArray): Label[] {
  const out = new Array<Label>(view.data.length);
  let kind: "number" | "string" | null = null;
  for (let i = 0; i < view.data.length; i++) {
    let v = view.data[i];
    if (typeof v === "bigint") v = Number(v);
    // a label is a finite number or a string: NaN or ±Infinity would be taken as one more class
    const ok = (typeof v === "number" && Number.isFinite(v)) || typeof v === "string";
    if (!ok) {
      throw new MetricInputError(
        `${positionText(view.name, i, view.shape)} must be a label (a finite number or a string), got ${describe(v)}`,
      );
    }
    const k = typeof v as "number" | "string";
    if (kind !== null && k !== kind) {
      throw new MetricInputError(
        `${positionText(view.name, i, view.shape)} is a ${k} but ${view.name}[0] is a ${kind}: labels must all be numbers or all strings`,
      );
    }
    kind = k;
    out[i] = v as Label;
  }
  return out;
}

function unique(values: readonly Label[]): Label[] {
  return [...new Set(values)].sort(compareLabels);
}

/** Reads predDecision: every element a finite number, as `check_array` demands. */
function readDecisions(view: NdArray): ArrayLike<number> {
  const n = view.data.length;
  const typed = view.dtype === "float" || view.dtype === "int";
  const out = typed ? null : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = view.data[i];
    if (typeof v !== "number") {
      throw new MetricInputError(
        `pred_decision should be an array of floats: ${positionText(view.name, i, view.shape)} is ${describe(v)}`,
      );
    }
    if (Number.isNaN(v)) {
      throw new MetricInputError(`Input contains NaN: ${positionText(view.name, i, view.shape)} is NaN`);
    }
    if (!Number.isFinite(v)) {
      throw new MetricInputError(
        `Input contains infinity or a value too large for dtype('float64'): ${positionText(view.name, i, view.shape)} is ${v}`,
      );
    }
    if (out !== null) out[i] = v;
  }
  return out ?? (view.data as ArrayLike<number>);
}

const coreOptions = resolveHingeLossOptions({});

/** The exact Σ w·m of a state (0 before any sample), scaled by 2^1074. */
function measureOf(state: HingeState): bigint {
  return state.measure.size === 0 ? 0n : state.measure.exact(0);
}
function accumulate(
  preds: { data: ArrayLike<number>; shape: number[] },
  target: Float64Array,
  weights: Float64Array | null,
): HingeState {
  const state = emptyHingeState();
  hingeLossUpdate(state, preds, target, weights ?? undefined, coreOptions);
  return state;
}

/**
 * scikit-learn's `sklearn.metrics.hinge_loss(y_true, pred_decision, *, labels=None, sample_weight=None)`,
 * computed by the streammetrics kernels with exact sums (the result is the correctly rounded weighted mean).
 *
 * Label handling is scikit-learn's:
 * - binary (at most two distinct labels in `labels`, or in `yTrue` when `labels` is not given): of the two
 *   labels in `yTrue`, the greater is +1 and the smaller -1, whatever they are (`{0, 1}`, `{-1, 1}`,
 *   `{0, 2}`, `{"no", "yes"}`); **a `yTrue` holding a single class is all -1**, as `LabelBinarizer` makes it;
 *   `predDecision` is `(n)` or `(n, 1)`;
 * - multiclass (more than two distinct labels): `predDecision` is `(n, k)` with its columns in sorted label
 *   order, and the loss is Crammer–Singer's, `max(0, 1 - (p[y] - max_{j≠y} p[j]))`; pass `labels` when
 *   `yTrue` misses a class.
 *
 * @param yTrue - the true labels `(n)` (numbers or strings)
 * @param predDecision - decision values: `(n)` binary, `(n, k)` multiclass
 * @param options - `labels`, `sampleWeight`
 * @returns the (weighted) mean hinge loss
 * @throws {@link MetricInputError} with scikit-learn's message for its documented errors (inconsistent
 * lengths, NaN or infinite decisions, shapes that do not fit the labels, unseen labels, weights summing to
 * zero, empty input), naming the first bad position
 * @throws {@link InvalidOptionsError} for an unknown option
 * @example
 * ```ts
 * import { hingeLoss } from "streammetrics/sklearn";
 * hingeLoss([-1, 1, 1], [-2.2, 2.4, 0.1]); // => 0.3
 * hingeLoss([1, 1, 1], [2, 0.5, -1]); // => 1.5  (a single class is all -1)
 * hingeLoss(["b", "c", "a"], [[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]]); // => 0.3333333333333333
 * hingeLoss([0, 2, 5], [[0.5, 2, -1, 0.1], [1.5, 0.2, 0.3, -0.4], [0, 0, 3, 1]], { labels: [0, 2, 3, 5] });
 * // => 2.6
 * ```
 */
export function hingeLoss(
  yTrue: readonly Label[] | TensorLike,
  predDecision: TensorLike,
  options?: SklearnHingeLossOptions,
): number {
  const opts = parseOptions(optionsSchema, options, "hingeLoss");
  const y = readNdArray(yTrue, "yTrue");
  const p = readNdArray(predDecision, "predDecision");
  const w =
    opts.sampleWeight === undefined || opts.sampleWeight === null
      ? null
      : readTensor(opts.sampleWeight, "sampleWeight", { scalar: false });

  // check_consistent_length(y_true, pred_decision, sample_weight)
  const lengths = [y, p, ...(w === null ? [] : [w])].map((a) => a.shape[0]);
  if (lengths.some((n) => n !== lengths[0])) {
    throw new MetricInputError(
      `Found input variables with inconsistent numbers of samples: [${lengths.join(", ")}] (yTrue, predDecision${w === null ? "" : ", sampleWeight"})`,
    );
  }
  // check_array(pred_decision, ensure_2d=False)
  if (p.shape.length > 2) {
    throw new MetricInputError(
      `Found array with dim ${p.shape.length}. None expected <= 2: predDecision has shape ${pyShape(p.shape)}`,
    );
  }
  if (p.shape[0] === 0) {
    throw new MetricInputError(
      `Found array with 0 sample(s) (shape=${pyShape(p.shape)}) while a minimum of 1 is required.`,
    );
  }
  if (p.shape.length === 2 && p.shape[1] === 0) {
    throw new MetricInputError(
      `Found array with 0 feature(s) (shape=${pyShape(p.shape)}) while a minimum of 1 is required.`,
    );
  }
  const decisions = readDecisions(p);
  // column_or_1d(y_true)
  if (!(y.shape.length === 1 || (y.shape.length === 2 && y.shape[1] === 1))) {
    throw new MetricInputError(
      `y should be a 1d array, got an array of shape ${pyShape(y.shape)} instead (yTrue)`,
    );
  }
  const labelsOfY = readLabels(y);
  const n = labelsOfY.length;
  let given: Label[] | null = null;
  if (opts.labels !== undefined && opts.labels !== null) {
    const raw: unknown = opts.labels;
    if (!Array.isArray(raw) && !(ArrayBuffer.isView(raw) && !(raw instanceof DataView))) {
      throw new MetricInputError(`labels must be an array of numbers or strings, got ${describe(raw)}`);
    }
    // read as yTrue is: a throwing read is a MetricInputError, a BigInt in a plain array is refused
    const list = readNdArray(raw, "labels");
    if (list.shape.length !== 1) {
      throw new MetricInputError(
        `labels must be a flat array of numbers or strings, got shape ${pyShape(list.shape)}`,
      );
    }
    given = readLabels(list);
    if (given.length > 0 && n > 0 && typeof given[0] !== typeof labelsOfY[0]) {
      throw new MetricInputError(
        `labels hold ${typeof given[0]}s but yTrue holds ${typeof labelsOfY[0]}s: they must be of one kind`,
      );
    }
  }
  const classes = unique(given ?? labelsOfY);
  let weights: Float64Array | null = null;
  if (w !== null) {
    if (w.shape.length !== 1) {
      throw new MetricInputError(
        `sampleWeight must have shape (n_samples,) = (${n},), got ${pyShape(w.shape)}`,
      );
    }
    weights = Float64Array.from(w.data);
  }

  let preds: { data: ArrayLike<number>; shape: number[] };
  const target = new Float64Array(n);
  if (classes.length > 2) {
    const k = classes.length;
    if (p.shape.length !== 2) {
      throw new MetricInputError(
        `The shape of pred_decision cannot be 1d array with a multiclass target. pred_decision shape must be (n_samples, n_classes), that is (${n}, ${k}). Got: ${pyShape(p.shape)}`,
      );
    }
    if (p.shape[1] !== k) {
      throw new MetricInputError(
        given === null
          ? `Please include all labels in y_true or pass labels as third argument: yTrue holds ${k} classes ${pyList(classes)} but predDecision has ${p.shape[1]} columns`
          : `The shape of pred_decision is not consistent with the number of classes. With a multiclass target, pred_decision shape must be (n_samples, n_classes), that is (${n}, ${k}). Got: ${pyShape(p.shape)}`,
      );
    }
    const index = new Map<Label, number>(classes.map((c, i) => [c, i]));
    const unseen: Label[] = [];
    let first = -1;
    for (let i = 0; i < n; i++) {
      const c = index.get(labelsOfY[i]);
      if (c === undefined) {
        unseen.push(labelsOfY[i]);
        if (first < 0) first = i;
      } else target[i] = c;
    }
    if (first >= 0) {
      throw new MetricInputError(
        `y contains previously unseen labels: ${pyList(unique(unseen))} (${positionText("yTrue", first, y.shape)} is ${describe(labelsOfY[first])}, not one of labels ${pyList(classes)})`,
      );
    }
    preds = { data: decisions, shape: [n, k] };
  } else {
    // column_or_1d(pred_decision), then LabelBinarizer(neg_label=-1) fitted on y_true
    if (!(p.shape.length === 1 || p.shape[1] === 1)) {
      throw new MetricInputError(
        `y should be a 1d array, got an array of shape ${pyShape(p.shape)} instead: predDecision must be (n_samples,) for a binary target (${classes.length} distinct labels${given === null ? "" : " in labels"}; pass labels listing every class for a multiclass problem)`,
      );
    }
    const seen = unique(labelsOfY);
    if (seen.length > 2) {
      throw new MetricInputError(
        `yTrue holds ${seen.length} distinct labels ${pyList(seen)} but labels lists only ${classes.length} ${pyList(classes)}: list every class in labels`,
      );
    }
    const positive = seen.length === 2 ? seen[1] : undefined;
    for (let i = 0; i < n; i++) target[i] = labelsOfY[i] === positive ? 1 : 0;
    preds = { data: decisions, shape: [n] };
  }

  // np.average(losses, weights=sample_weight) with exact sums; negative weights are accumulated apart.
  let hasNegative = false;
  if (weights !== null) for (let i = 0; i < n; i++) if (weights[i] < 0) hasNegative = true;
  let measure: bigint;
  let total: bigint;
  if (!hasNegative) {
    const state = accumulate(preds, target, weights);
    measure = measureOf(state);
    total = state.total.exact();
  } else {
    const pos = (weights as Float64Array).map((v) => (v > 0 ? v : 0));
    const neg = (weights as Float64Array).map((v) => (v < 0 ? -v : 0));
    const a = accumulate(preds, target, pos);
    const b = accumulate(preds, target, neg);
    measure = measureOf(a) - measureOf(b);
    total = a.total.exact() - b.total.exact();
  }
  if (total === 0n) {
    throw new MetricInputError("Weights sum to zero, can't be normalized: sampleWeight sums to exactly 0");
  }
  return total < 0n ? roundQuotient(-measure, -total) : roundQuotient(measure, total);
}
