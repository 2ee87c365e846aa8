/**
 * The update kernels of the classification family: one pass over a batch, every value checked, exact integer
 * counts written into the caller's count arrays (the metric's state fields, restored by the base when a
 * kernel throws). No allocation per element; no module-level state.
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import { position, readTensor, type Tensor } from "../../input/index.js";

const MAX = Number.MAX_SAFE_INTEGER;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** The flat index of the first non-finite score of a row (called once the row is known to hold one). */
function firstNonFinite(pd: ArrayLike<number>, row: number, C: number, stride: number): number {
  let j = row;
  for (let c = 0; c < C && pd[j] - pd[j] === 0; c++) j += stride;
  return j;
}

function notFinite(p: Tensor, i: number): MetricInputError {
  return new MetricInputError(`${position("preds", p.shape, i)} must be a finite number, got ${p.data[i]}`);
}

/**
 * The binary counts a kernel adds into: one `Float64Array` of length 1 per count (the metric's `Count`
 * fields' `counts`).
 *
 * @example
 * ```ts
 * const c: BinaryCounts = { tp: new Float64Array(1), fp: new Float64Array(1), tn: new Float64Array(1), fn: new Float64Array(1) };
 * ```
 */
export interface BinaryCounts {
  /** True positives. */
  readonly tp: Float64Array;
  /** False positives. */
  readonly fp: Float64Array;
  /** True negatives. */
  readonly tn: Float64Array;
  /** False negatives. */
  readonly fn: Float64Array;
}

/**
 * What the binary kernel needs of the options.
 *
 * @example
 * ```ts
 * const o: BinaryKernelOptions = { threshold: 0.5, ignoreIndex: null, inputTransform: "none" };
 * ```
 */
export interface BinaryKernelOptions {
  /** Positive when the probability is strictly above it. */
  readonly threshold: number;
  /** Target value of skipped samples, or null. */
  readonly ignoreIndex: number | null;
  /** `"sigmoid"` maps float preds from logits to probabilities. */
  readonly inputTransform: "none" | "sigmoid";
}

/**
 * Adds one binary batch to `counts`: preds are labels (integer typed arrays, each 0 or 1) or probabilities
 * compared with the threshold (`p > threshold`), or logits with `inputTransform: "sigmoid"`; targets are 0 or
 * 1 (or `ignoreIndex`); every pred must be finite. One pass; every check comes before the first write.
 *
 * @param counts - the counts to add into
 * @param preds - predictions, any tensor form
 * @param target - targets, the same shape
 * @param o - the resolved options
 * @returns the number of samples counted
 * @throws {@link MetricInputError} naming the argument and position of the first bad value
 * @example
 * ```ts
 * const c = { tp: new Float64Array(1), fp: new Float64Array(1), tn: new Float64Array(1), fn: new Float64Array(1) };
 * binaryUpdateKernel(c, [0.9, 0.2, 0.7], [1, 0, 0], { threshold: 0.5, ignoreIndex: null, inputTransform: "none" });
 * [c.tp[0], c.fp[0], c.tn[0], c.fn[0]]; // => [1, 1, 1, 0]
 * ```
 */
export function binaryUpdateKernel(
  counts: BinaryCounts,
  preds: unknown,
  target: unknown,
  o: BinaryKernelOptions,
): number {
  const p = readTensor(preds, "preds", { finite: false });
  const t = readTensor(target, "target");
  if (!sameShape(p.shape, t.shape)) {
    throw new MetricInputError(
      `preds and target must have the same shape, got preds ${shapeText(p.shape)} and target ${shapeText(t.shape)}`,
    );
  }
  // integer preds (an integer or BigInt typed array, directly, as `{ data, shape }` or from a tfjs tensor's
  // `dataSync()`) are labels, as integer tensors are in torchmetrics; any other numbers are probabilities
  const labels = p.dtype === "int" || p.dtype === "bigint";
  const sigmoid = o.inputTransform === "sigmoid";
  const thr = o.threshold;
  const ignore = o.ignoreIndex;
  const pd = p.data;
  const td = t.data;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < t.size; i++) {
    const y = td[i];
    const x = pd[i];
    // finiteness is checked here, in the one pass (ignored samples included)
    if (x - x !== 0) throw notFinite(p, i);
    if (y === ignore) continue;
    if (y !== 0 && y !== 1) {
      throw new MetricInputError(
        `${position("target", t.shape, i)} must be 0 or 1${ignore === null ? "" : ` (or ignoreIndex ${ignore})`}, got ${y}`,
      );
    }
    let positive: boolean;
    if (labels) {
      if (x !== 0 && x !== 1) {
        throw new MetricInputError(
          `${position("preds", p.shape, i)} must be 0 or 1 (integer preds are labels), got ${x}`,
        );
      }
      positive = x === 1;
    } else if (sigmoid) {
      positive = 1 / (1 + Math.exp(-x)) > thr;
    } else {
      if (!(x >= 0 && x <= 1)) {
        throw new MetricInputError(
          `${position("preds", p.shape, i)} must be a probability in [0, 1], got ${x}: pass inputTransform: "sigmoid" if preds are logits`,
        );
      }
      positive = x > thr;
    }
    if (positive) {
      if (y === 1) tp++;
      else fp++;
    } else if (y === 1) fn++;
    else tn++;
  }
  const n = tp + fp + tn + fn;
  if (counts.tp[0] + counts.fp[0] + counts.tn[0] + counts.fn[0] + n > MAX) {
    throw new MetricInputError("the batch would take the sample count past 2^53 - 1 and stop being exact");
  }
  counts.tp[0] += tp;
  counts.fp[0] += fp;
  counts.tn[0] += tn;
  counts.fn[0] += fn;
  return n;
}

/**
 * Where the multiclass kernel adds: a `C × C` confusion matrix (row = target, column = prediction), or
 * per-class true positives, false positives and false negatives (length C each). Exactly one of the two.
 *
 * @example
 * ```ts
 * const sink: MulticlassSink = { confmat: new Float64Array(9), tp: null, fp: null, fn: null };
 * ```
 */
export interface MulticlassSink {
  /** The confusion matrix, row-major `[target * C + pred]`, or null. */
  readonly confmat: Float64Array | null;
  /** Per-class true positives, or null. */
  readonly tp: Float64Array | null;
  /** Per-class false positives, or null. */
  readonly fp: Float64Array | null;
  /** Per-class false negatives, or null. */
  readonly fn: Float64Array | null;
}

/**
 * What the multiclass kernel needs of the options.
 *
 * @example
 * ```ts
 * const o: MulticlassKernelOptions = { numClasses: 3, topK: 1, ignoreIndex: null };
 * ```
 */
export interface MulticlassKernelOptions {
  /** C. */
  readonly numClasses: number;
  /** 1 for argmax; k: a target among the k best scores is a hit. */
  readonly topK: number;
  /** Target value of skipped samples, or null. */
  readonly ignoreIndex: number | null;
}

function badTarget(t: Tensor, s: number, y: number, C: number, ignore: number | null): MetricInputError {
  const also = ignore === null ? "" : ` (or ignoreIndex ${ignore})`;
  return new MetricInputError(
    `${position("target", t.shape, s)} must be a class in [0, ${C})${also}, got ${y}`,
  );
}

/** Reads and checks the shapes: returns the class stride (0 for label preds) and the samples per row. */
function layout(p: Tensor, t: Tensor, o: MulticlassKernelOptions): { scores: boolean; inner: number } {
  const C = o.numClasses;
  if (sameShape(p.shape, t.shape)) {
    if (o.topK > 1 && t.size > 0) {
      throw new MetricInputError(
        `preds are labels (the shape of target, ${shapeText(t.shape)}): topK ${o.topK} needs (N, C) scores`,
      );
    }
    return { scores: false, inner: 1 };
  }
  const ps = p.shape;
  const ts = t.shape;
  if (ps.length === ts.length + 1 && ts.length >= 1) {
    if (ps[1] !== C) {
      throw new MetricInputError(
        `preds ${shapeText(ps)} must have numClasses (${C}) scores per sample in dimension 1, got ${ps[1]}`,
      );
    }
    if (ps[0] === ts[0] && sameShape(ps.slice(2), ts.slice(1))) {
      return { scores: true, inner: ps.slice(2).reduce((a, b) => a * b, 1) };
    }
  }
  throw new MetricInputError(
    `preds ${shapeText(ps)} and target ${shapeText(ts)} do not fit: preds must be labels of the target's shape (N, …) or scores (N, C, …) with C = ${C}`,
  );
}

/** Counts one sample of class `y` predicted `pred`: in the confusion matrix, or as tp, or as fp and fn. */
function tally(
  confmat: Float64Array | null,
  tp: Float64Array | null,
  fp: Float64Array | null,
  fn: Float64Array | null,
  C: number,
  y: number,
  pred: number,
): void {
  if (confmat !== null) confmat[y * C + pred]++;
  else if (pred === y) (tp as Float64Array)[y]++;
  else {
    (fp as Float64Array)[pred]++;
    (fn as Float64Array)[y]++;
  }
}

/** The rows {@link argmaxRows} counted before the row it stopped at. */
let argmaxCounted = 0;

/**
 * {@link multiclassUpdateKernel}'s loop for `(N, C)` scores with `topK` 1 (the predicted class is the first of
 * the highest scores): adds the rows to the sink and returns how many it counted, or, at the first row with a
 * bad target or a non-finite score, returns -1 - that row (the rows before it counted in
 * {@link argmaxCounted}). A function of its own: the usual batch keeps its own type feedback, and the loop
 * carries no layout, label or top-k case.
 */
function argmaxRows(
  sink: MulticlassSink,
  pd: ArrayLike<number>,
  td: ArrayLike<number>,
  S: number,
  C: number,
  ignore: number | null,
): number {
  const { confmat, tp, fp, fn } = sink;
  let counted = 0;
  for (let s = 0, row = 0; s < S; s++, row += C) {
    const y = td[s];
    let best = pd[row];
    let arg = 0;
    // NaN fails v > best; (v - v) is NaN for NaN and ±Infinity: one sum checks the row
    let check = best - best;
    for (let c = 1; c < C; c++) {
      const v = pd[row + c];
      check += v - v;
      if (v > best) {
        best = v;
        arg = c;
      }
    }
    const skip = y === ignore;
    if (check !== 0 || (!skip && !(y >= 0 && y < C && (y | 0) === y))) {
      argmaxCounted = counted;
      return -1 - s;
    }
    if (skip) continue;
    counted++;
    tally(confmat, tp, fp, fn, C, y, arg);
  }
  return counted;
}

/**
 * Adds one multiclass batch to `sink`. Preds are labels of the target's shape (integers in [0, C)) or scores
 * `(N, C)` / `(N, C, …)` with target `(N)` / `(N, …)`: the predicted class is the first of the highest scores
 * (torchmetrics' argmax), or with `topK = k` the target when it ranks among the k best (ties ranked by class
 * index) and the first best otherwise. Targets are classes in [0, C) or `ignoreIndex`; the preds of an
 * ignored sample must still be finite numbers. One pass over the scores; the caller restores the sink when
 * it throws (it may have written part of the batch).
 *
 * @param sink - where to add
 * @param preds - label preds or scores
 * @param target - class targets
 * @param o - the resolved options
 * @returns the number of samples counted (not ignored)
 * @throws {@link MetricInputError} naming the argument and position of the first bad value
 * @example
 * ```ts
 * const confmat = new Float64Array(4);
 * multiclassUpdateKernel({ confmat, tp: null, fp: null, fn: null }, [[0.2, 0.8], [0.6, 0.4]], [1, 1], { numClasses: 2, topK: 1, ignoreIndex: null });
 * Array.from(confmat); // => [0, 0, 1, 1]
 * ```
 */
export function multiclassUpdateKernel(
  sink: MulticlassSink,
  preds: unknown,
  target: unknown,
  o: MulticlassKernelOptions,
): number {
  const p = readTensor(preds, "preds", { finite: false });
  const t = readTensor(target, "target");
  const { scores, inner } = layout(p, t, o);
  const C = o.numClasses;
  const k = o.topK;
  const ignore = o.ignoreIndex;
  const pd = p.data;
  const td = t.data;
  const { confmat, tp, fp, fn } = sink;
  const S = t.size;
  let counted = 0;
  let s = 0;
  if (scores && inner === 1 && k === 1) {
    // (N, C) scores, top-1: the usual batch, in a loop of its own; it stops at the first row with anything
    // to report, which the loop below reads again (the same row fails there first, with its message)
    const n = argmaxRows(sink, pd, td, S, C, ignore);
    if (n >= 0) return n;
    s = -1 - n;
    counted = argmaxCounted;
  }
  for (; s < S; s++) {
    const y = td[s];
    const skip = y === ignore;
    if (!skip && !(y >= 0 && y < C && (y | 0) === y)) throw badTarget(t, s, y, C, ignore);
    let pred: number;
    if (!scores) {
      pred = pd[s];
      if (skip) {
        if (pred - pred !== 0) throw notFinite(p, s);
        continue;
      }
      if (!(pred >= 0 && pred < C && (pred | 0) === pred)) {
        throw new MetricInputError(
          `${position("preds", p.shape, s)} must be a class label in [0, ${C}), got ${pred}`,
        );
      }
    } else {
      const row = inner === 1 ? s * C : (s - (s % inner)) * C + (s % inner);
      let best = pd[row];
      let arg = 0;
      // NaN fails v > best; (v - v) is NaN for NaN and ±Infinity: one sum checks the row
      let check = best - best;
      for (let c = 1, j = row + inner; c < C; c++, j += inner) {
        const v = pd[j];
        check += v - v;
        if (v > best) {
          best = v;
          arg = c;
        }
      }
      if (check !== 0) throw notFinite(p, firstNonFinite(pd, row, C, inner));
      if (skip) continue;
      pred = arg;
      if (k > 1 && arg !== y) {
        // the target's rank: classes scoring higher, and equal ones with a lower index
        const sy = pd[row + y * inner];
        let rank = 0;
        for (let c = 0; c < C && rank < k; c++) {
          const v = pd[row + c * inner];
          if (v > sy || (v === sy && c < y)) rank++;
        }
        if (rank < k) pred = y;
      }
    }
    counted++;
    tally(confmat, tp, fp, fn, C, y, pred);
  }
  return counted;
}
