import { MetricStateError } from "../../errors/index.js";
import { count, exactSum, type Count, type ExactSum } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { r2Compute, r2Update } from "./kernels.js";
import {
  resolveR2ScoreOptions,
  type Multioutput,
  type R2ScoreOptions,
  type ResolvedR2ScoreOptions,
} from "./options.js";
import { noWeights } from "../metricState.js";

/**
 * The value type of an `R2Score` with multioutput mode `M`: one number per output for `"raw_values"`, one
 * number otherwise (either, when `M` is only known as `Multioutput`).
 *
 * @typeParam M - the `multioutput` option's type
 * @example
 * ```ts
 * const v: R2Value<"raw_values"> = [0.5, 0.25];
 * v.length; // => 2
 * ```
 */
export type R2Value<M extends Multioutput> = [M] extends ["raw_values"]
  ? number[]
  : "raw_values" extends M
    ? number | number[]
    : number;

/**
 * The state of an {@link R2Score}: one sum per output (sized by the first batch).
 *
 * @example
 * ```ts
 * new R2Score().update([1, 3], [0, 2]).toJSON().sumObs; // => ["0x1p+1"]
 * ```
 */
export interface R2ScoreState {
  /** Σ t. */
  sumObs: ExactSum;
  /** Σ t², exact. */
  sumSquaredObs: ExactSum;
  /** Σ (p - t)². */
  rss: ExactSum;
  /** n. */
  total: Count;
}

/**
 * The coefficient of determination (torchmetrics' `R2Score`): `1 - Σ(p - t)² / Σ(t - mean t)²`. Its sums
 * are exact, and the total sum of squares `n·Σt² - (Σt)²` is computed exactly in BigInt, so the score is
 * correctly rounded where torchmetrics' float32 cancels (targets far from 0), and the same bits for any
 * batching, order or merge. 1-D inputs are one output, `(N, K)` inputs K outputs (fixed by the first batch).
 *
 * A constant target scores 1 when predicted exactly, else 0 (scikit-learn's convention; torchmetrics uses an
 * absolute tolerance of 1e-4 for "constant"). Fewer than two samples: `compute()` (and `forward()` on a
 * 1-sample batch) throws a `MetricStateError`, and the state is left as it was.
 *
 * @typeParam M - the multioutput mode
 * @example
 * ```ts
 * import { R2Score } from "streammetrics";
 * new R2Score().update([2.5, 0.0, 2, 8], [3, -0.5, 2, 7]).compute(); // => 0.9486081370449678
 * ```
 */
export class R2Score<M extends Multioutput = "uniform_average"> extends Metric<
  R2Value<M>,
  R2ScoreState,
  ResolvedR2ScoreOptions
> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "R2Score";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link R2ScoreOptions}
   * @throws `InvalidOptionsError` for an unknown option or a bad value
   */
  constructor(options: R2ScoreOptions<M> = {}) {
    super(resolveR2ScoreOptions(options));
    this.addState("sumObs", exactSum(0));
    this.addState("sumSquaredObs", exactSum(0));
    this.addState("rss", exactSum(0));
    this.addState("total", count());
  }

  /**
   * Adds the batch's sums.
   *
   * @param preds - predictions, `(N)` or `(N, K)`
   * @param target - targets, the same shape
   * @param weights - must be absent: the metric takes no sample weights
   */
  protected override updateState(preds: unknown, target: unknown, weights?: unknown): void {
    noWeights(this.kind, weights);
    r2Update(this.state, preds, target);
  }

  /**
   * @returns R², or one per output for `"raw_values"`
   * @throws `MetricStateError` with fewer than two samples
   */
  protected override computeValue(): R2Value<M> {
    return r2Compute(this.state, this.options.multioutput, this.options.adjusted) as R2Value<M>;
  }

  /** Refuses a forged state: sums of different sizes, sums without samples, negative squares. */
  protected override validateState(): void {
    const { sumObs, sumSquaredObs, rss, total } = this.state;
    const size = sumObs.size;
    if (sumSquaredObs.size !== size || rss.size !== size) {
      throw new MetricStateError("invalid R2Score state: sumObs, sumSquaredObs and rss differ in size");
    }
    if ((size === 0) !== (total.value() === 0)) {
      throw new MetricStateError("invalid R2Score state: the sums must be empty exactly when total is 0");
    }
    for (let k = 0; k < size; k++) {
      if (sumSquaredObs.exact(k) < 0n || rss.exact(k) < 0n) {
        throw new MetricStateError(`invalid R2Score state: a sum of squares (output ${k}) is negative`);
      }
    }
  }
}

registerMetric(R2Score);
