import { MetricInputError, MetricStateError } from "../../errors/index.js";
import { count, type Count } from "../../state/index.js";
import { Metric } from "../Metric.js";
import {
  binaryUpdateKernel,
  multiclassUpdateKernel,
  type BinaryKernelOptions,
  type MulticlassKernelOptions,
} from "./kernels.js";
import type { ClassCounts, Score } from "./reduce.js";

const MAX = Number.MAX_SAFE_INTEGER;

/**
 * The state of every binary classification metric: four exact counts. JSON: `{ tp, fp, tn, fn }` beside
 * `kind`, `version` and `options`.
 *
 * @example
 * ```ts
 * const s = new BinaryAccuracy().update([0.9, 0.1], [1, 1]).toJSON();
 * [s.tp, s.fp, s.tn, s.fn]; // => [1, 0, 0, 1]
 * ```
 */
export interface BinaryState {
  /** True positives. */
  tp: Count;
  /** False positives. */
  fp: Count;
  /** True negatives. */
  tn: Count;
  /** False negatives. */
  fn: Count;
}

/**
 * Base of the binary classification metrics: declares the four counts and reads batches with the binary
 * kernel; a subclass only says how its value follows from the counts (`computeValue`).
 *
 * @typeParam V - the value type
 * @typeParam O - the resolved options
 * @example
 * ```ts
 * new BinaryRecall() instanceof BinaryClassificationMetric; // => true
 * ```
 */
export abstract class BinaryClassificationMetric<V, O extends BinaryKernelOptions> extends Metric<
  V,
  BinaryState,
  O
> {
  /** @param options - the resolved options */
  protected constructor(options: O) {
    super(options);
    this.addState("tp", count());
    this.addState("fp", count());
    this.addState("tn", count());
    this.addState("fn", count());
  }

  /** {@inheritDoc Metric.updateState} */
  protected override updateState(preds: unknown, target: unknown, weights: unknown): void {
    noWeights(this.kind, weights);
    const s = this.state;
    binaryUpdateKernel(
      { tp: s.tp.counts, fp: s.fp.counts, tn: s.tn.counts, fn: s.fn.counts },
      preds,
      target,
      this.options,
    );
  }

  /**
   * The counts `[tp, fp, tn, fn]`.
   *
   * @returns the four counts
   */
  protected counts(): [number, number, number, number] {
    const s = this.state;
    return [s.tp.value(), s.fp.value(), s.tn.value(), s.fn.value()];
  }

  /**
   * A score of the counts, or a `MetricStateError` when no sample was counted (a ratio of nothing).
   *
   * @param score - the score
   * @returns its value
   */
  protected score(score: Score): number {
    const [tp, fp, tn, fn] = this.counts();
    if (tp + fp + tn + fn === 0) throw nothingCounted(this.kind);
    return score(tp, fp, tn, fn);
  }

  /** {@inheritDoc Metric.validateState} */
  protected override validateState(): void {
    const [tp, fp, tn, fn] = this.counts();
    if (tp + fp + tn + fn > MAX) {
      throw new MetricStateError(`invalid ${this.kind} state: tp + fp + tn + fn passes 2^53 - 1`);
    }
  }
}

/**
 * The state of the multiclass score metrics: per-class true positives, false positives and false negatives
 * (C each) and the number of samples counted (true negatives follow). JSON: `{ tp, fp, fn, samples }`.
 *
 * @example
 * ```ts
 * const s = new MulticlassAccuracy({ numClasses: 2 }).update([1, 1], [1, 0]).toJSON();
 * [s.tp, s.fp, s.fn, s.samples]; // => [[0, 1], [0, 1], [1, 0], 2]
 * ```
 */
export interface MulticlassState {
  /** True positives per class. */
  tp: Count;
  /** False positives per class. */
  fp: Count;
  /** False negatives per class. */
  fn: Count;
  /** Samples counted. */
  samples: Count;
}

/**
 * Base of the multiclass score metrics (accuracy, precision, recall, F-scores, specificity, stat scores):
 * declares per-class counts and reads batches with the multiclass kernel; a subclass only says how its value
 * follows from the counts.
 *
 * @typeParam V - the value type
 * @typeParam O - the resolved options
 * @example
 * ```ts
 * new MulticlassRecall({ numClasses: 3 }) instanceof MulticlassClassificationMetric; // => true
 * ```
 */
export abstract class MulticlassClassificationMetric<V, O extends MulticlassKernelOptions> extends Metric<
  V,
  MulticlassState,
  O
> {
  /** @param options - the resolved options */
  protected constructor(options: O) {
    super(options);
    this.addState("tp", count(options.numClasses));
    this.addState("fp", count(options.numClasses));
    this.addState("fn", count(options.numClasses));
    this.addState("samples", count());
  }

  /** {@inheritDoc Metric.updateState} */
  protected override updateState(preds: unknown, target: unknown, weights: unknown): void {
    noWeights(this.kind, weights);
    const s = this.state;
    const sink = { confmat: null, tp: s.tp.counts, fp: s.fp.counts, fn: s.fn.counts };
    const n = multiclassUpdateKernel(sink, preds, target, this.options);
    if (s.samples.value() + n > MAX) throw tooMany();
    s.samples.counts[0] += n;
  }

  /**
   * The per-class counts; a `MetricStateError` when `required` and no sample was counted.
   *
   * @param required - whether a value needs at least one sample
   * @returns the counts
   */
  protected classCounts(required: boolean): ClassCounts {
    const s = this.state;
    const samples = s.samples.value();
    if (required && samples === 0) throw nothingCounted(this.kind);
    return { tp: s.tp.counts, fp: s.fp.counts, fn: s.fn.counts, samples };
  }

  /** {@inheritDoc Metric.validateState} */
  protected override validateState(): void {
    const { tp, fp, fn, samples } = this.classCounts(false);
    let sumTp = 0;
    let sumFp = 0;
    let sumFn = 0;
    for (let c = 0; c < tp.length; c++) {
      sumTp += tp[c];
      sumFp += fp[c];
      sumFn += fn[c];
    }
    // Each sample has one target and one predicted class: a miss is one fp and one fn.
    if (sumFp !== sumFn || sumTp + sumFp !== samples) {
      throw new MetricStateError(
        `invalid ${this.kind} state: samples (${samples}) must equal Σtp + Σfp (${sumTp} + ${sumFp}), and Σfp must equal Σfn (${sumFn})`,
      );
    }
    for (let c = 0; c < tp.length; c++) {
      if (fp[c] + fn[c] > sumFp) {
        throw new MetricStateError(
          `invalid ${this.kind} state: class ${c} has fp + fn = ${fp[c] + fn[c]}, more than the ${sumFp} misses`,
        );
      }
    }
  }
}

import { noWeights } from "../metricState.js";

export { noWeights };

/**
 * The error for a ratio computed from no sample at all.
 *
 * @param kind - the metric
 * @returns the error
 */
export function nothingCounted(kind: string): MetricStateError {
  return new MetricStateError(
    `${kind}.compute() called with nothing accumulated (no sample counted: no update yet, or every target ignored)`,
  );
}

/**
 * The error for a batch that would pass 2^53 - 1 samples.
 *
 * @returns the error
 */
export function tooMany(): MetricInputError {
  return new MetricInputError("the batch would take the sample count past 2^53 - 1 and stop being exact");
}
