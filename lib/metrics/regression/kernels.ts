/**
 * The regression kernels shared by the classes and the functional forms: reading a `(preds, target)` pair,
 * accumulating squared / absolute errors and R²'s sums into exact state fields, and the values from them.
 *
 * Per sample, the residual is `p - t` in float64 (exact for float32 inputs of similar magnitude) and its
 * square is rounded to float64 once; the sums of those are exact. R²'s Σt² is exact (each square split
 * into two doubles by an error-free product), so its total sum of squares `n·Σt² - (Σt)²` is computed
 * exactly in BigInt: no cancellation however far the targets are from 0.
 *
 * @module
 */
import { MetricInputError, MetricStateError } from "../../errors/index.js";
import { position, readTensor, type Tensor } from "../../input/index.js";
import { exactSum, roundQuotient, scaledFromDouble, type Count, type ExactSum } from "../../state/index.js";
import type { Multioutput } from "./options.js";

/**
 * A checked `(preds, target)` batch: flat data, rows and outputs.
 *
 * @example
 * ```ts
 * const pair: RegressionPair = readPair([[1, 2]], [[0, 0]], 2, "MeanSquaredError");
 * [pair.rows, pair.outputs]; // => [1, 2]
 * ```
 */
export interface RegressionPair {
  /** Predictions, row-major. */
  readonly preds: ArrayLike<number>;
  /** Targets, row-major. */
  readonly target: ArrayLike<number>;
  /** The shape both share. */
  readonly shape: readonly number[];
  /** Samples (rows). */
  readonly rows: number;
  /** Outputs per sample. */
  readonly outputs: number;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function readBoth(preds: unknown, target: unknown): [Tensor, Tensor] {
  const p = readTensor(preds, "preds");
  const t = readTensor(target, "target");
  if (p.shape.length !== t.shape.length || p.shape.some((d, i) => d !== t.shape[i])) {
    throw new MetricInputError(
      `preds and target must have the same shape, got preds ${shapeText(p.shape)} and target ${shapeText(t.shape)}`,
    );
  }
  return [p, t];
}

/**
 * Reads and checks a `MeanSquaredError` / `MeanAbsoluteError` batch. With `numOutputs` 1 every element is a
 * sample, whatever the shape (as torchmetrics flattens); with more, preds and target must be
 * `(N, numOutputs)` (torchmetrics silently adds a 1-D batch's total into every output: refused here).
 *
 * @param preds - predictions
 * @param target - targets, the same shape
 * @param numOutputs - the metric's `numOutputs`
 * @param owner - the class name, for messages
 * @returns the checked batch
 * @throws {@link MetricInputError} for a non-finite element (with its position), a shape mismatch, or a
 * shape that does not fit `numOutputs`
 * @example
 * ```ts
 * readPair([1, 2, 3], [1, 2, 2], 1, "MeanAbsoluteError").rows; // => 3
 * ```
 */
export function readPair(preds: unknown, target: unknown, numOutputs: number, owner: string): RegressionPair {
  const [p, t] = readBoth(preds, target);
  const shape = p.shape;
  if (numOutputs === 1) return { preds: p.data, target: t.data, shape, rows: p.size, outputs: 1 };
  if (shape.length !== 2 || shape[1] !== numOutputs) {
    const got =
      shape.length === 2 ? `${shape[1]} column${shape[1] === 1 ? "" : "s"}` : `shape ${shapeText(shape)}`;
    throw new MetricInputError(
      `preds and target must be (N, ${numOutputs}) arrays for ${owner} with numOutputs ${numOutputs}, got ${got}`,
    );
  }
  return { preds: p.data, target: t.data, shape, rows: shape[0], outputs: numOutputs };
}

function overflow(pair: RegressionPair, i: number, what: string): MetricInputError {
  return new MetricInputError(
    `${what} of ${position("preds", pair.shape, i)} and ${position("target", pair.shape, i)} overflows a double (${pair.preds[i]} and ${pair.target[i]})`,
  );
}

/**
 * Adds Σ (p - t)² of a batch into `sum` (one sum per output) and its rows into `total`: torchmetrics'
 * `_mean_squared_error_update`, exact.
 *
 * @param sum - the squared-error sums (size = outputs)
 * @param total - the sample count
 * @param pair - a batch from {@link readPair}
 * @throws {@link MetricInputError} when a square overflows
 * @example
 * ```ts
 * const s = exactSum().empty(), n = count().empty();
 * squaredErrorUpdate(s, n, readPair([1, 3], [0, 0], 1, "MeanSquaredError"));
 * [s.value(), n.value()]; // => [10, 2]
 * ```
 */
export function squaredErrorUpdate(sum: ExactSum, total: Count, pair: RegressionPair): void {
  const { preds, target, outputs } = pair;
  const size = pair.rows * outputs;
  if (outputs === 1) {
    for (let i = 0; i < size; i++) {
      const d = preds[i] - target[i];
      const sq = d * d;
      if (sq === Infinity) throw overflow(pair, i, "the squared difference");
      sum.add(sq);
    }
  } else {
    for (let i = 0; i < size; i++) {
      const d = preds[i] - target[i];
      const sq = d * d;
      if (sq === Infinity) throw overflow(pair, i, "the squared difference");
      sum.add(sq, i % outputs);
    }
  }
  total.add(pair.rows);
}

/**
 * Adds Σ |p - t| of a batch into `sum` (one sum per output) and its rows into `total`: torchmetrics'
 * `_mean_absolute_error_update`, exact.
 *
 * @param sum - the absolute-error sums (size = outputs)
 * @param total - the sample count
 * @param pair - a batch from {@link readPair}
 * @throws {@link MetricInputError} when a difference overflows
 * @example
 * ```ts
 * const s = exactSum().empty(), n = count().empty();
 * absoluteErrorUpdate(s, n, readPair([1, -3], [0, 0], 1, "MeanAbsoluteError"));
 * [s.value(), n.value()]; // => [4, 2]
 * ```
 */
export function absoluteErrorUpdate(sum: ExactSum, total: Count, pair: RegressionPair): void {
  const { preds, target, outputs } = pair;
  const size = pair.rows * outputs;
  for (let i = 0; i < size; i++) {
    const d = Math.abs(preds[i] - target[i]);
    if (d === Infinity) throw overflow(pair, i, "the difference");
    sum.add(d, outputs === 1 ? 0 : i % outputs);
  }
  total.add(pair.rows);
}

/**
 * The mean of each output's error sum: `sum[k] / total`, each correctly rounded; with `root`, the square
 * root of that (RMSE is the square root of the correctly rounded MSE).
 *
 * @param sum - the error sums
 * @param total - the sample count
 * @param owner - the class name, for messages
 * @param root - take the square root
 * @returns one value per output
 * @throws {@link MetricStateError} when no sample was accumulated
 * @example
 * ```ts
 * const s = exactSum().empty(), n = count().empty();
 * s.add(10); n.add(4);
 * meanOfSums(s, n, "MeanSquaredError", true); // => [1.5811388300841898]
 * ```
 */
export function meanOfSums(sum: ExactSum, total: Count, owner: string, root: boolean): number[] {
  const n = total.value();
  if (n === 0) throw new MetricStateError(`${owner} has no samples: nothing to average`);
  const den = exactSum().empty();
  den.add(n);
  const out = new Array<number>(sum.size);
  for (let k = 0; k < sum.size; k++) {
    const mean = sum.ratio(den, k);
    out[k] = root ? Math.sqrt(mean) : mean;
  }
  return out;
}

/**
 * The fields of R²'s state (torchmetrics' `_r2_score_update` outputs), one sum per output.
 *
 * @example
 * ```ts
 * const state: R2Sums = { sumObs: exactSum(0).empty(), sumSquaredObs: exactSum(0).empty(), rss: exactSum(0).empty(), total: count().empty() };
 * state.total.value(); // => 0
 * ```
 */
export interface R2Sums {
  /** Σ t, exact. */
  sumObs: ExactSum;
  /** Σ t², exact (each square split into two doubles). */
  sumSquaredObs: ExactSum;
  /** Σ (p - t)², exact sum of float64 squares. */
  rss: ExactSum;
  /** n. */
  total: Count;
}

const SPLIT = 134217729; // 2^27 + 1

/** The rounding error of `a * a` (Dekker): a² = p + err exactly when nothing over- or underflows. */
function squareErr(a: number, p: number): number {
  const c = SPLIT * a;
  const hi = c - (c - a);
  const lo = a - hi;
  return lo * lo - (p - hi * hi - 2 * hi * lo);
}

/**
 * Adds an R² batch: 1-D `(N)` inputs are one output, `(N, K)` inputs K outputs; the number of outputs is
 * fixed by the first non-empty batch.
 *
 * @param state - the sums (sized by the first batch)
 * @param preds - predictions
 * @param target - targets, the same shape
 * @throws {@link MetricInputError} for a non-finite element, a shape mismatch, inputs that are not 1-D or
 * 2-D, another number of outputs than earlier batches, or a square that overflows
 * @example
 * ```ts
 * const s: R2Sums = { sumObs: exactSum(0).empty(), sumSquaredObs: exactSum(0).empty(), rss: exactSum(0).empty(), total: count().empty() };
 * r2Update(s, [1, 2], [1, 3]);
 * [s.sumObs.value(), s.sumSquaredObs.value(), s.rss.value(), s.total.value()]; // => [4, 10, 1, 2]
 * ```
 */
export function r2Update(state: R2Sums, preds: unknown, target: unknown): void {
  const [p, t] = readBoth(preds, target);
  if (p.shape.length !== 1 && p.shape.length !== 2) {
    throw new MetricInputError(
      `preds and target must be 1-D (N) or 2-D (N, outputs) arrays for R2Score, got shape ${shapeText(p.shape)}`,
    );
  }
  if (p.size === 0) return;
  const outputs = p.shape.length === 1 ? 1 : p.shape[1];
  const known = state.sumObs.size;
  if (known !== 0 && known !== outputs) {
    throw new MetricInputError(
      `preds and target have ${outputs} output${outputs === 1 ? "" : "s"} but earlier batches had ${known}`,
    );
  }
  state.sumObs.resize(outputs);
  state.sumSquaredObs.resize(outputs);
  state.rss.resize(outputs);
  const pair: RegressionPair = {
    preds: p.data,
    target: t.data,
    shape: p.shape,
    rows: p.size / outputs,
    outputs,
  };
  for (let i = 0; i < p.size; i++) {
    const k = i % outputs;
    const y = t.data[i];
    const sq = y * y;
    const d = p.data[i] - y;
    const res = d * d;
    if (sq === Infinity) throw overflow(pair, i, "the square of the target");
    if (res === Infinity) throw overflow(pair, i, "the squared difference");
    state.sumObs.add(y, k);
    state.sumSquaredObs.add(sq, k);
    const err = squareErr(y, sq);
    if (err !== 0) state.sumSquaredObs.add(err, k);
    state.rss.add(res, k);
  }
  state.total.add(pair.rows);
}

/** A rational num / den, den > 0. */
interface Ratio {
  num: bigint;
  den: bigint;
}

const SCALE = 1n << 1074n;

function r2Ratios(state: R2Sums): { raw: Ratio[]; tss: bigint[]; rssScaled: bigint[] } {
  const n = BigInt(state.total.value());
  const raw: Ratio[] = [];
  const tss: bigint[] = [];
  const rssScaled: bigint[] = [];
  for (let k = 0; k < state.sumObs.size; k++) {
    const a = state.sumObs.exact(k);
    // n·Σt² - (Σt)², in units of 2^-2148: the total sum of squares times n, exactly (≥ 0)
    // (only squares that underflow, |t| < 1e-146, can make it negative: then it counts as 0)
    let N = n * state.sumSquaredObs.exact(k) * SCALE - a * a;
    if (N < 0n) N = 0n;
    // n·rss in the same units
    const M = n * state.rss.exact(k) * SCALE;
    tss.push(N);
    rssScaled.push(M);
    if (N > 0n) raw.push({ num: N - M, den: N });
    else raw.push({ num: M === 0n ? 1n : 0n, den: 1n });
  }
  return { raw, tss, rssScaled };
}

function adjust(r: Ratio, n: number, adjusted: number): Ratio {
  const m = BigInt(n - adjusted - 1);
  const n1 = BigInt(n - 1);
  return { num: r.den * m - (r.den - r.num) * n1, den: r.den * m };
}

/**
 * R² from the exact sums: per output `1 - rss / tss` with tss = Σt² - (Σt)²/n computed exactly and the
 * quotient rounded once. A constant output (tss exactly 0) scores 1 when predicted exactly (rss 0), else 0
 * (scikit-learn's `force_finite`; torchmetrics does the same with an absolute tolerance of 1e-4, which calls
 * small-scale data constant). `"uniform_average"` is the mean of the per-output scores (each correctly
 * rounded, summed exactly, divided once); `"variance_weighted"` is Σ (tss - rss) / Σ tss over non-constant
 * outputs, rounded once (all outputs constant: the uniform average). `adjusted` = a > 0 gives
 * `1 - (1 - r2)·(n - 1)/(n - a - 1)`, exactly, when n - a - 1 > 0, else the plain r2 (as torchmetrics).
 *
 * @param state - the sums
 * @param multioutput - how outputs are combined
 * @param adjusted - independent regressors (0: plain R²)
 * @returns one value per output (`"raw_values"`) or one value
 * @throws {@link MetricStateError} with fewer than two samples
 * @example
 * ```ts
 * const s: R2Sums = { sumObs: exactSum(0).empty(), sumSquaredObs: exactSum(0).empty(), rss: exactSum(0).empty(), total: count().empty() };
 * r2Update(s, [2.5, 0.0, 2, 8], [3, -0.5, 2, 7]);
 * r2Compute(s, "uniform_average", 0); // => 0.9486081370449678
 * ```
 */
export function r2Compute(state: R2Sums, multioutput: Multioutput, adjusted: number): number | number[] {
  const n = state.total.value();
  if (n < 2) {
    throw new MetricStateError(`R2Score needs at least two samples, got ${n}`);
  }
  const { raw, tss, rssScaled } = r2Ratios(state);
  const adjustable = adjusted > 0 && n - adjusted - 1 > 0;
  const finish = (r: Ratio): number => {
    const q = adjustable ? adjust(r, n, adjusted) : r;
    return roundQuotient(q.num, q.den);
  };
  if (multioutput === "raw_values") return raw.map(finish);
  if (raw.length === 1) return finish(raw[0]);
  let totalTss = 0n;
  for (const N of tss) totalTss += N;
  if (multioutput === "variance_weighted" && totalTss > 0n) {
    let num = 0n;
    tss.forEach((N, k) => {
      if (N > 0n) num += N - rssScaled[k];
    });
    return finish({ num, den: totalTss });
  }
  const sum = exactSum().empty();
  for (const r of raw) sum.add(roundQuotient(r.num, r.den));
  const count = exactSum().empty();
  count.add(raw.length);
  const mean = sum.ratio(count);
  return adjustable ? finish({ num: scaledFromDouble(mean), den: SCALE }) : mean;
}
