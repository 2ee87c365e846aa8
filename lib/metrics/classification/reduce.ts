/**
 * From exact counts to values, once, in `compute()`: the scores of the classification family, their
 * averages over classes, stat-score rows and normalised confusion matrices, following torchmetrics 1.9's
 * conventions (a 0/0 score is the `zeroDivision` value; macro averages leave out classes that never occur).
 *
 * @module
 */
import type { Average, Normalize } from "./options.js";

/**
 * A score from one set of counts (one class, a binary problem, or counts summed over classes for `"micro"`).
 *
 * @example
 * ```ts
 * const recall: Score = (tp, _fp, _tn, fn) => tp / (tp + fn);
 * recall(3, 0, 0, 1); // => 0.75
 * ```
 */
export type Score = (tp: number, fp: number, tn: number, fn: number) => number;

function div(num: number, den: number, zeroDivision = 0): number {
  return den === 0 ? zeroDivision : num / den;
}

/**
 * The scores of the family, as torchmetrics defines them (`_safe_divide`: a zero denominator gives
 * `zeroDivision`, 0 by default).
 *
 * @example
 * ```ts
 * scores.precision(0)(0, 0, 5, 2); // => 0
 * scores.fbeta(1, 0)(2, 1, 0, 1); // => 0.6666666666666666
 * ```
 */
export const scores = {
  /** (tp + tn) / all: binary accuracy. */
  binaryAccuracy: ((tp, fp, tn, fn) => div(tp + tn, tp + tn + fp + fn)) as Score,
  /** tp / (tp + fn): a class's accuracy (multiclass accuracy is averaged recall). */
  classAccuracy: ((tp, _fp, _tn, fn) => div(tp, tp + fn)) as Score,
  /** tp / (tp + fp). */
  precision:
    (zd: number): Score =>
    (tp, fp) =>
      div(tp, tp + fp, zd),
  /** tp / (tp + fn). */
  recall:
    (zd: number): Score =>
    (tp, _fp, _tn, fn) =>
      div(tp, tp + fn, zd),
  /** (1 + β²) tp / ((1 + β²) tp + β² fn + fp). */
  fbeta:
    (beta: number, zd: number): Score =>
    (tp, fp, _tn, fn) => {
      const b2 = beta * beta;
      return div((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, zd);
    },
  /** tn / (tn + fp). */
  specificity: ((_tp, fp, tn) => div(tn, tn + fp)) as Score,
};

/**
 * Per-class counts: `tn[c]` is derived as `samples - tp[c] - fp[c] - fn[c]`.
 *
 * @example
 * ```ts
 * const s: ClassCounts = { tp: [1, 0], fp: [0, 1], fn: [1, 0], samples: 2 };
 * ```
 */
export interface ClassCounts {
  /** True positives per class. */
  readonly tp: ArrayLike<number>;
  /** False positives per class. */
  readonly fp: ArrayLike<number>;
  /** False negatives per class. */
  readonly fn: ArrayLike<number>;
  /** Samples counted. */
  readonly samples: number;
}

/**
 * Per-class counts from a confusion matrix (row = target, column = prediction).
 *
 * @param confmat - `C × C` counts, row-major
 * @param C - the number of classes
 * @returns the per-class counts
 * @example
 * ```ts
 * const s = countsFromConfusion([2, 1, 0, 3], 2);
 * [Array.from(s.tp), Array.from(s.fp), Array.from(s.fn), s.samples]; // => [[2, 3], [0, 1], [1, 0], 6]
 * ```
 */
export function countsFromConfusion(confmat: ArrayLike<number>, C: number): ClassCounts {
  const tp = new Float64Array(C);
  const fp = new Float64Array(C);
  const fn = new Float64Array(C);
  let samples = 0;
  for (let t = 0; t < C; t++) {
    for (let p = 0; p < C; p++) {
      const v = confmat[t * C + p];
      samples += v;
      if (t === p) tp[t] += v;
      else {
        fn[t] += v;
        fp[p] += v;
      }
    }
  }
  return { tp, fp, fn, samples };
}

/**
 * Which classes a macro average keeps: those that occur in targets or predictions (`"present"`,
 * torchmetrics' rule with `top_k = 1`, and for F-beta and specificity always), or those with a target
 * (`"targeted"`, its rule for accuracy, precision and recall with `top_k > 1`).
 *
 * @example
 * ```ts
 * const keep: MacroKeep = "present";
 * ```
 */
export type MacroKeep = "present" | "targeted";

/**
 * A score reduced over classes as `average` says.
 *
 * @param score - the score of one set of counts
 * @param s - per-class counts
 * @param average - the reduction
 * @param keep - which classes a macro average keeps
 * @returns one number, or one per class for `"none"`
 * @example
 * ```ts
 * const s = { tp: [2, 0, 0], fp: [1, 0, 0], fn: [0, 1, 0], samples: 3 };
 * averageScore(scores.recall(0), s, "macro", "present"); // => 0.5
 * averageScore(scores.recall(0), s, "none", "present"); // => [1, 0, 0]
 * ```
 */
export function averageScore(
  score: Score,
  s: ClassCounts,
  average: Average,
  keep: MacroKeep,
): number | number[] {
  const C = s.tp.length;
  if (average === "micro") {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let c = 0; c < C; c++) {
      tp += s.tp[c];
      fp += s.fp[c];
      fn += s.fn[c];
    }
    return score(tp, fp, C * s.samples - tp - fp - fn, fn);
  }
  const per = new Array<number>(C);
  for (let c = 0; c < C; c++) {
    per[c] = score(s.tp[c], s.fp[c], s.samples - s.tp[c] - s.fp[c] - s.fn[c], s.fn[c]);
  }
  if (average === "none") return per;
  let num = 0;
  let den = 0;
  for (let c = 0; c < C; c++) {
    const support = s.tp[c] + s.fn[c];
    const w =
      average === "weighted" ? support : (keep === "targeted" ? support : support + s.fp[c]) > 0 ? 1 : 0;
    num += w * per[c];
    den += w;
  }
  return div(num, den);
}

/**
 * Stat scores `[tp, fp, tn, fn, support]` reduced over classes (torchmetrics' `MulticlassStatScores`):
 * summed (`"micro"`), the mean over all C classes (`"macro"`), weighted by support (`"weighted"`, zeros
 * when nothing was counted), or one row per class (`"none"`).
 *
 * @param s - per-class counts
 * @param average - the reduction
 * @returns a row of five, or C rows of five
 * @example
 * ```ts
 * const s = { tp: [1, 1, 1], fp: [0, 1, 0], fn: [1, 0, 0], samples: 4 };
 * statScoreRows(s, "micro"); // => [3, 1, 7, 1, 4]
 * statScoreRows(s, "none"); // => [[1, 0, 2, 1, 2], [1, 1, 2, 0, 1], [1, 0, 3, 0, 1]]
 * ```
 */
export function statScoreRows(s: ClassCounts, average: Average): number[] | number[][] {
  const C = s.tp.length;
  const rows: number[][] = [];
  let support = 0;
  for (let c = 0; c < C; c++) {
    const tp = s.tp[c];
    const fp = s.fp[c];
    const fn = s.fn[c];
    rows.push([tp, fp, s.samples - tp - fp - fn, fn, tp + fn]);
    support += tp + fn;
  }
  if (average === "none") return rows;
  const out = [0, 0, 0, 0, 0];
  for (const row of rows) {
    const w = average === "micro" ? 1 : average === "macro" ? 1 / C : div(row[4], support);
    for (let j = 0; j < 5; j++) out[j] += average === "micro" ? row[j] : w * row[j];
  }
  return out;
}

/**
 * A confusion matrix as rows, normalised as `normalize` says (a row, column or matrix without samples gives
 * zeros, as torchmetrics turns its NaN into 0).
 *
 * @param confmat - `C × C` counts, row-major (row = target)
 * @param C - the number of classes
 * @param normalize - the normalisation
 * @returns C rows of C numbers
 * @example
 * ```ts
 * normalizedConfusion([1, 1, 0, 2], 2, "true"); // => [[0.5, 0.5], [0, 1]]
 * normalizedConfusion([1, 1, 0, 2], 2, "none"); // => [[1, 1], [0, 2]]
 * ```
 */
export function normalizedConfusion(confmat: ArrayLike<number>, C: number, normalize: Normalize): number[][] {
  const rowSum = new Float64Array(C);
  const colSum = new Float64Array(C);
  let all = 0;
  for (let t = 0; t < C; t++) {
    for (let p = 0; p < C; p++) {
      const v = confmat[t * C + p];
      rowSum[t] += v;
      colSum[p] += v;
      all += v;
    }
  }
  const out: number[][] = [];
  for (let t = 0; t < C; t++) {
    const row: number[] = [];
    for (let p = 0; p < C; p++) {
      const v = confmat[t * C + p];
      const den = normalize === "true" ? rowSum[t] : normalize === "pred" ? colSum[p] : all;
      row.push(normalize === "none" ? v : div(v, den));
    }
    out.push(row);
  }
  return out;
}
