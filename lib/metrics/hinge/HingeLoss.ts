import type { TensorLike } from "../../input/index.js";
import {
  resolveHingeLossOptions,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
} from "../../options/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { HingeScratch } from "./batch.js";
import {
  hingeFields,
  hingeLossCompute,
  updateWithScratch,
  type HingeState,
  type HingeTask,
} from "./functional.js";
import { addSampleAt, readOne, stepOne } from "./singleSample.js";
import { addSmallBatch } from "./smallBatch.js";
import {
  STREAM_PREFIX,
  STREAM_ROOM,
  foldStream,
  newStream,
  streamOne,
  streamPlain,
  streamTyped,
} from "./stream.js";
import type { HingeLossConstructor, HingeLossStateJSON, HingeValueFor } from "./types.js";
import { validateHingeState } from "./validate.js";

/**
 * The hinge loss as a stateful, streaming metric: binary, multiclass Crammer–Singer and one-vs-all, plain or
 * squared, with optional per-sample weights and an ignore index. Scores are raw decision values (no sigmoid
 * or softmax). Sums are kept exactly, so the value is bit-identical however the stream was batched or
 * split across workers and merged.
 *
 * Task: preds `(N)` or `(N, 1)` are binary (targets 1 positive, 0 or -1 negative); `(N, C)` with C ≥ 2 is
 * multiclass (targets are class indices). The first non-empty batch fixes the task and C.
 *
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics";
 * const metric = new HingeLoss();
 * metric.update([-2.2, 2.4, 0.1], [0, 1, 1]);
 * metric.compute(); // => 0.3
 *
 * const ova = new HingeLoss({ multiclassMode: "one-vs-all" });
 * ova.update([[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2]).compute();
 * // => [2.2333333333333334, 1.5, 1.2333333333333334]
 * ```
 */
export class HingeLossMetric<O extends HingeLossOptions = HingeLossOptions> extends Metric<
  HingeValueFor<O>,
  HingeState,
  ResolvedHingeLossOptions,
  HingeLossStateJSON
> {
  /** The kind written into states. */
  static readonly kind: string = "HingeLoss";
  /** The state format version. */
  static readonly version: number = 1;
  /** This metric's scratch space for the kernels (reused by its updates; never shared). */
  private readonly kernelScratch = new HingeScratch();
  /** Unweighted samples of this metric may take the stream accumulator (no ignore index, unsquared). */
  private readonly streamable: boolean;
  /**
   * The stream accumulator (stream.ts): single samples and small batches of `update()` between two of the
   * metric's own updates; {@link HingeLossMetric.syncState} folds it into the fields. Never shared (a clone
   * gets its own).
   */
  private stream = newStream();

  /**
   * @param options - {@link HingeLossOptions}; validated (an unknown key is an error)
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: O) {
    super(resolveHingeLossOptions(options));
    this.streamable = this.options.ignoreIndex === null && this.options.squared === false;
    this.addState("task", hingeFields.task);
    this.addState("numClasses", hingeFields.numClasses);
    this.addState("measure", hingeFields.measure);
    this.addState("total", hingeFields.total);
    this.addState("samples", hingeFields.samples);
  }

  /**
   * Accumulates a batch of decision values and labels. One sample may be given as two plain numbers,
   * `update(score, label)` (a binary sample, as torchmetrics takes 0-d tensors): the same as
   * `update([score], [label])`, bit for bit.
   *
   * @param preds - `(N)` / `(N, 1)` binary scores or `(N, C)` multiclass scores, in any {@link TensorLike}
   * form, or one binary score as a number
   * @param target - `(N)` labels: 0/1 (or -1) for binary, class indices in [0, C) for multiclass; or one label
   * as a number
   * @param weights - optional `(N)` finite, non-negative per-sample weights (a number for one sample)
   * @returns this metric
   * @throws {@link MetricInputError} naming the argument, the first bad position and what was expected; the
   * state is then unchanged
   * @example
   * ```ts
   * new HingeLoss().update(new Float32Array([0.5, -1]), new Int32Array([1, 0])).compute(); // => 0.25
   * const events = new HingeLoss();
   * events.update(0.5, 1).update(-1, 0).update(2.5, 0).compute(); // => 1.3333333333333333
   * events.update(Number.NaN, 1); // throws MetricInputError: preds must be a finite number, got NaN
   * const multi = new HingeLoss().update([[0.1, 0.9]], [1]);
   * multi.update(0.3, 1); // throws MetricInputError: preds is a single number (one binary sample)
   * ```
   */
  override update(
    preds: TensorLike | number,
    target: TensorLike | number,
    weights?: TensorLike | number,
  ): this {
    // The streaming forms (one unsquared binary sample as two numbers or two one-element arrays, a batch of
    // 2 to 255 in typed or plain arrays) go into the stream accumulator (stream.ts), checked before anything
    // is written, so they need no snapshot. Kept small so that V8 inlines it, with the form's one-sample
    // read and streamOne, into the caller's loop; the batch kernels are calls (each optimised on its own).
    // Anything else, a declined sample, a full or disarmed accumulator, and every error: updateOther.
    if (weights === undefined) {
      if (typeof preds === "number") {
        if (typeof target === "number" && streamOne(this.stream, preds, target)) return this;
      } else if (ArrayBuffer.isView(preds)) {
        if (this.streamTyped(preds, target)) return this;
      } else if (Array.isArray(preds)) {
        if (this.streamPlain(preds, target)) return this;
      }
    }
    return this.updateOther(preds, target, weights);
  }

  /** The stream path of typed arrays: one sample (streamOne) or a small batch (streamTyped). */
  private streamTyped(preds: ArrayBufferView, target: unknown): boolean {
    // isView and isArray call no Proxy trap (instanceof would call getPrototypeOf); a DataView has no
    // length, a BigInt element fails typeof: declined
    if (!ArrayBuffer.isView(target)) return false;
    const p = preds as Float32Array;
    const t = target as Int32Array;
    if (p.length === 1 && t.length === 1) {
      const a: unknown = p[0];
      const b: unknown = t[0];
      return typeof a === "number" && typeof b === "number" && streamOne(this.stream, a, b);
    }
    return streamTyped(this.stream, p, t);
  }

  /** The stream path of plain arrays: one sample (streamOne) or a small batch (streamPlain). */
  private streamPlain(preds: readonly unknown[], target: unknown): boolean {
    if (!Array.isArray(target)) return false;
    try {
      if (preds.length === 1 && target.length === 1) {
        const a: unknown = preds[0];
        const b: unknown = target[0];
        return typeof a === "number" && typeof b === "number" && streamOne(this.stream, a, b);
      }
    } catch {
      // a getter or a Proxy trap threw before anything was written: the general update reads the batch
      // again and names the argument
      return false;
    }
    return streamPlain(this.stream, preds, target);
  }

  /**
   * The rest of {@link HingeLossMetric.update}: one binary sample into the bins (squared, or a pending pair
   * full), a small binary batch (smallBatch.ts), both checked before anything is written, else the base's
   * atomic update.
   */
  private updateOther(
    preds: TensorLike | number,
    target: TensorLike | number,
    weights?: TensorLike | number,
  ): this {
    const o = this.options;
    this.syncState(); // folded and disarmed while the fields change: every way out arms it again (or throws)
    if (weights === undefined && o.ignoreIndex === null) {
      const xy = this.kernelScratch.pairs;
      if (readOne(preds, target, xy)) {
        if (addSampleAt(this.state, xy, o.squared)) return this.armStream();
      } else if (addSmallBatch(this.state, preds, target, o.squared, this.kernelScratch)) {
        return this.armStream();
      }
    }
    super.update(preds, target, weights);
    return this.armStream();
  }

  /** Arms the stream accumulator once an update has left a binary task on a streamable metric. */
  private armStream(): this {
    const armed = this.streamable === true && this.state.task.value === "binary";
    this.stream[STREAM_PREFIX] = NaN; // the prefix is taken again when next needed (streamValue)
    this.stream[4] = armed ? STREAM_ROOM : 0;
    return this;
  }

  /**
   * Copies the fields' count prefix into the accumulator (from STREAM_PREFIX on), what
   * {@link HingeLossMetric.streamValue} divides with. A NaN in its first slot marks it stale: every arming
   * and every fold that leaves the accumulator armed, the only ways the fields change while it is armed
   * (every other goes through {@link HingeLossMetric.syncState}, which disarms it), set it, so an update
   * that does not read the running value never makes a prefix.
   */
  private keepPrefix(): void {
    const { measure, total } = this.state;
    this.stream.set(measure.countPrefixWith(total), STREAM_PREFIX);
  }

  /** A read of the fields that leaves the accumulator armed: folds it (the prefix then stale). */
  private foldArmed(): void {
    if (this.stream[2] === 0) return;
    foldStream(this.stream, this.state);
    this.stream[STREAM_PREFIX] = NaN;
  }

  /** Folds the stream accumulator into the fields and disarms it (see {@link Metric.syncState}). */
  protected override syncState(): void {
    foldStream(this.stream, this.state);
    this.stream[4] = 0;
  }

  /**
   * An independent copy (see {@link Metric.clone}), with a stream accumulator of its own.
   *
   * @returns the copy
   * @example
   * ```ts
   * const a = new HingeLoss().update(0.5, 1).update(0.25, 1);
   * const b = a.clone().update(2, 1);
   * [a.compute(), b.compute()]; // => [0.625, 0.4166666666666667]
   * ```
   */
  override clone(): this {
    const copy = super.clone() as unknown as { stream: Float64Array };
    copy.stream = newStream();
    return copy as unknown as this;
  }

  /**
   * The value over everything accumulated (see {@link Metric.compute}). While the stream accumulator is
   * armed (a binary, unsquared metric between its own updates) it is divided with the state's sums as they
   * are, as `updateAndCompute` does, without folding it: a `compute()` after each event keeps the events on
   * the stream path. The same bits as the general compute, which takes over wherever that quotient cannot be
   * certified (and for every error).
   *
   * @returns the hinge loss (one per class for one-vs-all)
   * @throws {@link MetricStateError} when nothing can be computed yet
   * @example
   * ```ts
   * const m = new HingeLoss().update(0.5, 1);
   * m.update(2, 0).compute(); // => 1.75
   * m.update([0.5, 3], [1, 1]).compute(); // => 1
   * ```
   */
  override compute(): HingeValueFor<O> {
    if (this.stream[4] !== 0) {
      const q = this.streamValue();
      if (q === q) return q as HingeValueFor<O>;
    }
    return super.compute();
  }

  /**
   * The count quotient of the state's sums and the armed accumulator as they are, or NaN where it cannot be
   * certified: the value of a binary stream without folding anything. It is `countQuotientFrom` of
   * state/quotient.ts (the count path, 2' of its comment) over `ExactSum.countPrefixWith`'s prefix and the
   * accumulator's `[hi, lo]` and `[n, 0]`, the same operations in the same order (so the same bits; the
   * updateAndCompute and pendingStream specs compare it with the general compute), written out here: as a
   * call, its boxed result and arguments cost a running value ~20 % of its time (alternated runs of the RxJS
   * case, 2026-12-02). The constants are literals (a module constant is a context load and a hole check).
   */
  private streamValue(): number {
    const st = this.stream; // the pair, the count, and from STREAM_PREFIX (5) on the fields' prefix c
    const hi = st[0];
    const lo = st[1];
    const pn = st[2];
    let n1 = st[5];
    if (n1 !== n1) {
      // stale (or the total is not a count, which the prefix marks the same way: then NaN again below)
      this.keepPrefix();
      n1 = st[5];
    }
    const n = n1 + pn;
    // the count: one double in [1, 2^53], its parts' sum exact (NaN n1 fails too)
    if (st[3] !== 0 || n - n1 !== pn || n - pn !== n1 || !(n >= 1 && n <= 9007199254740992)) return NaN;
    const s3 = st[6];
    const s4 = s3 + hi;
    const s5 = s4 + lo;
    const v4 = s4 - s3; // TwoSum errors e4, e5
    const e4 = s3 - (s4 - v4) + (hi - v4);
    const v5 = s5 - s4;
    const e5 = s4 - (s5 - v5) + (lo - v5);
    const as = Math.abs(s5);
    const spread = st[8] + Math.abs(s4) + as;
    const inv = 1 / n;
    const q1 = s5 * inv;
    const aq = Math.abs(q1);
    // TAIL_ERR5 = 2^-50, U = 2^-53, REL_OK = 2^-96, SAFE_HI = 2^900, SAFE_LO = 2^-900
    if (
      st[9] + 8.881784197001252e-16 * (st[10] + 1.1102230246251565e-16 * spread) <=
        1.262177448353619e-29 * as &&
      as < 8.452712498170644e270 &&
      aq > 1.1830521861667747e-271
    ) {
      const p1 = q1 * n;
      // Dekker's product error of q1 · n (SPLIT = 2^27 + 1)
      const ca = 134217729 * q1;
      const ah = ca - (ca - q1);
      const al = q1 - ah;
      const cb = 134217729 * n;
      const bh = cb - (cb - n);
      const bl = n - bh;
      const pe = al * bl - (p1 - ah * bh - al * bh - ah * bl);
      const q2 = (s5 - p1 - pe + (st[7] + e4 + e5)) * inv;
      // certified: every real within ETA = 2^-90 · |q1| of q1 + q2 rounds to the same double
      const sum = q1 + q2;
      const eta = aq * 8.077935669463161e-28;
      return q1 + (q2 + eta) === sum && q1 + (q2 - eta) === sum ? sum : NaN;
    }
    // Σ is exactly 0 (every prediction so far confidently right); anything else: the exact path decides
    return s5 === 0 && st[11] === 1 && e4 === 0 && e5 === 0 ? 0 : NaN;
  }

  /** Reads one batch into the state (called by the base inside its atomic update / forward). */
  protected override updateState(preds: unknown, target: unknown, weights: unknown): void {
    updateWithScratch(this.state, preds, target, weights, this.options, this.kernelScratch);
  }

  /** The value of the state. */
  protected override computeValue(): HingeValueFor<O> {
    return hingeLossCompute(this.state, this.options) as HingeValueFor<O>;
  }

  /** Consistency checks of a decoded state (see validate.ts). */
  protected override validateState(): void {
    validateHingeState(this.state, this.options);
  }

  /**
   * Accumulates a batch and returns the running value, as `update(...)` then `compute()` (bit-identical; same
   * errors, see {@link Metric.updateAndCompute}). The streaming forms of `update()` (one
   * binary sample as two numbers or one-element arrays, a small batch: the running value of a prediction
   * stream) are added into the pending sums and divided from them as they are, faster than the two calls.
   *
   * @param preds - `(N)` / `(N, 1)` binary scores or `(N, C)` multiclass scores, in any {@link TensorLike}
   * form, or one binary score as a number
   * @param target - `(N)` labels, or one label as a number
   * @param weights - optional `(N)` per-sample weights
   * @returns the value over everything accumulated, this batch included
   * @throws {@link MetricInputError} for a bad batch (state unchanged), {@link MetricStateError} when nothing
   * can be computed yet (every sample so far ignored or weighted 0)
   * @example
   * ```ts
   * const m = new HingeLoss().update([0.5], [1]);
   * m.updateAndCompute(new Float32Array([2]), new Int32Array([0])); // => 1.75
   * m.updateAndCompute(0.5, 1); // => 1.3333333333333333
   * ```
   */
  override updateAndCompute(
    preds: TensorLike | number,
    target: TensorLike | number,
    weights?: TensorLike | number,
  ): HingeValueFor<O> {
    // The streaming forms as update() takes them (into the stream accumulator, checked before writing), then
    // the value over the sums and the armed accumulator as they are (streamValue, as compute(): nothing
    // folds); the squared single sample through stepOne; the rest (and every error, and a quotient that cannot
    // be certified) as update() then compute(), the accumulator armed again after the read.
    if (weights === undefined) {
      let added = false;
      if (typeof preds === "number") {
        added = typeof target === "number" && streamOne(this.stream, preds, target);
      } else if (ArrayBuffer.isView(preds)) added = this.stepTyped(preds, target);
      else if (Array.isArray(preds)) added = this.stepPlain(preds, target);
      if (added) {
        const q = this.streamValue();
        if (q === q) return q as HingeValueFor<O>;
        // not certified here: the general compute (compute() would try streamValue again), then armed again
        const value = super.compute();
        this.armStream();
        return value;
      }
      if (this.streamable === false && this.options.ignoreIndex === null) {
        const value = stepOne(this.state, preds, target, this.options.squared, this.kernelScratch.pairs);
        if (value === value) return value as HingeValueFor<O>;
      }
    }
    this.update(preds, target, weights);
    return this.computeArmed();
  }

  /**
   * updateAndCompute's reader of typed arrays: {@link HingeLossMetric.streamTyped}'s copy, so that the
   * running value keeps type feedback of its own (update() also sees every other form and size).
   */
  private stepTyped(preds: ArrayBufferView, target: unknown): boolean {
    if (!ArrayBuffer.isView(target)) return false;
    const p = preds as Float32Array;
    const t = target as Int32Array;
    if (p.length === 1 && t.length === 1) {
      const a: unknown = p[0];
      const b: unknown = t[0];
      return typeof a === "number" && typeof b === "number" && streamOne(this.stream, a, b);
    }
    return streamTyped(this.stream, p, t);
  }

  /** updateAndCompute's reader of plain arrays: {@link HingeLossMetric.streamPlain}'s copy (see stepTyped). */
  private stepPlain(preds: readonly unknown[], target: unknown): boolean {
    if (!Array.isArray(target)) return false;
    try {
      if (preds.length === 1 && target.length === 1) {
        const a: unknown = preds[0];
        const b: unknown = target[0];
        return typeof a === "number" && typeof b === "number" && streamOne(this.stream, a, b);
      }
    } catch {
      return false; // (as streamPlain)
    }
    return streamPlain(this.stream, preds, target);
  }

  /** compute(), the stream accumulator then armed again (the read disarmed it; nothing else changed). */
  private computeArmed(): HingeValueFor<O> {
    const value = this.compute();
    this.armStream();
    return value;
  }

  /**
   * The value of this batch alone, the batch also accumulated (see {@link Metric.forward}); one binary sample
   * may be given as two numbers, as in {@link HingeLossMetric.update}.
   *
   * @param preds - `(N)` / `(N, 1)` binary or `(N, C)` multiclass scores, or one binary score as a number
   * @param target - `(N)` labels, or one label as a number
   * @param weights - optional `(N)` per-sample weights
   * @returns the batch's value
   * @throws {@link MetricInputError} for a bad batch (nothing accumulated), {@link MetricStateError} for a
   * batch with no samples
   * @example
   * ```ts
   * const m = new HingeLoss();
   * m.forward(2, 1); // => 0
   * m.forward(0, 1); // => 1
   * m.compute(); // => 0.5
   * ```
   */
  override forward(
    preds: TensorLike | number,
    target: TensorLike | number,
    weights?: TensorLike | number,
  ): HingeValueFor<O> {
    return super.forward(preds, target, weights);
  }

  /**
   * Rebuilds a metric from a JSON state (untrusted input is validated).
   *
   * @param json - a state from `toJSON()`, possibly via `JSON.parse`
   * @returns a metric with that state and its options
   * @throws {@link MetricStateError} for a malformed or forged state
   * @example
   * ```ts
   * const json = JSON.parse(JSON.stringify(new HingeLoss().update([0.5], [1])));
   * HingeLoss.fromJSON(json).compute(); // => 0.5
   * ```
   */
  static override fromJSON(json: unknown): HingeLoss {
    return super.fromJSON(json) as unknown as HingeLoss;
  }

  /**
   * Σ w·m so far, rounded once to float64 (one per class for one-vs-all); 0 before any sample.
   *
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).measure; // => 0.9
   * ```
   */
  get measure(): number | number[] {
    this.foldArmed();
    const { measure, task } = this.state;
    if (measure.size === 0) return 0;
    const ova = task.value === "multiclass" && this.options.multiclassMode === "one-vs-all";
    return ova ? measure.values() : measure.value(0);
  }

  /**
   * Σ w so far (the number of samples when unweighted), rounded once to float64.
   *
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).total; // => 3
   * ```
   */
  get total(): number {
    this.foldArmed();
    return this.state.total.value();
  }

  /**
   * Samples counted so far (ignored samples excluded).
   *
   * @example
   * ```ts
   * new HingeLoss({ ignoreIndex: -1 }).update([1, 2], [1, -1]).samples; // => 1
   * ```
   */
  get samples(): number {
    // (counts are exact integers: the accumulator's are added without folding it, so that a reader of the
    // count between updates, such as the RxJS operator, keeps the stream path)
    return this.state.samples.value() + this.stream[2];
  }

  /**
   * The task fixed by the first non-empty batch, or `null`.
   *
   * @example
   * ```ts
   * new HingeLoss().update([[1, 2]], [0]).task; // => "multiclass"
   * ```
   */
  get task(): HingeTask | null {
    return this.state.task.value;
  }

  /**
   * C for a multiclass metric once known, else `null`.
   *
   * @example
   * ```ts
   * new HingeLoss().update([[1, 2, 3]], [0]).numClasses; // => 3
   * ```
   */
  get numClasses(): number | null {
    return this.state.numClasses.value;
  }
}

/**
 * The hinge loss metric (see {@link HingeLossMetric}); `HingeLoss<O>` is the metric built with options `O`.
 *
 * @typeParam O - the options as given (they decide the value type)
 * @example
 * ```ts
 * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).compute(); // => 0.3
 * ```
 */
export type HingeLoss<O extends HingeLossOptions = HingeLossOptions> = HingeLossMetric<O>;
/**
 * The hinge loss metric: {@link HingeLossMetric}, with a constructor typed so that `compute()` follows the
 * options ({@link HingeLossConstructor}). Subclass {@link HingeLossMetric}.
 *
 * @example
 * ```ts
 * new HingeLoss({ squared: true }).update([-2.2, 2.4, 0.1], [0, 1, 1]).compute(); // => 0.27
 * ```
 */
export const HingeLoss = HingeLossMetric as HingeLossConstructor & typeof HingeLossMetric;

registerMetric(HingeLossMetric);
