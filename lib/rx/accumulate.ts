import { Observable, Subscription, type Observer, type OperatorFunction, type Subscriber } from "rxjs";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { HingeValue } from "../functional/index.js";
import type { TensorLike } from "../input/index.js";
import { HingeLoss } from "../metrics/index.js";
import { describe, resolveHingeLossOptions, type HingeLossOptions } from "../options/index.js";
import {
  resolveAccumulateConfig,
  type AccumulateConfig,
  type EpochConfig,
  type ResolvedAccumulateConfig,
  type StreamMetric,
} from "./config.js";

/**
 * One batch on a prediction stream: the arguments of `metric.update(preds, target, weights)`, in any
 * {@link TensorLike} form, and an optional `epoch` tag (read only with `epochs: "tagged"`).
 */
export interface Batch {
  /** Predictions (decision values) for the batch. */
  readonly preds: TensorLike;
  /** Targets for the batch. */
  readonly target: TensorLike;
  /** Optional per-sample weights. */
  readonly weights?: TensorLike;
  /** The epoch the batch belongs to (with `epochs: "tagged"`). */
  readonly epoch?: number;
}

/**
 * The value of one epoch, emitted by {@link accumulate} / {@link hingeLoss} when `epochs` is set.
 *
 * @typeParam V - the metric's value type
 */
export interface EpochResult<V> {
  /** The epoch number: the 0-based notification count, or the batches' tag with `epochs: "tagged"`. */
  readonly epoch: number;
  /** The metric value over the epoch (so far, when `final` is false). */
  readonly value: V;
  /** Samples accumulated in the epoch (the metric's `samples`; batches when the metric does not count them). */
  readonly samples: number;
  /** Batches accumulated in the epoch (skipped ones excluded). */
  readonly batches: number;
  /** Bad batches skipped during the epoch (with `onInvalid: "skip"`). */
  readonly skipped: number;
  /** True for the result at the epoch's end; false for a running result (`emit: "batch"`). */
  readonly final: boolean;
}

const NOTHING: unique symbol = Symbol("nothing accumulated");

/** The error of a bad batch, with its position on the stream. */
function atBatch(index: number, error: MetricInputError): MetricInputError {
  const wrapped = new MetricInputError(`batches[${index}]: ${error.message}`);
  wrapped.cause = error;
  return wrapped;
}

/**
 * The subscriber that {@link accumulate} puts on its source: one per subscription, holding that subscription's
 * metric and counters.
 *
 * On public RxJS API only (RxJS 7 marks the `Subscriber` constructor as an implementation detail and RxJS 8
 * makes it internal): it extends the public `Subscription` and implements `Observer`, so `source.subscribe`
 * takes it as it is (no `SafeSubscriber` → `ConsumerObserver` → closure layers per batch) and, added to the
 * output, it closes with it: a synchronous source stops at the next item.
 */
class Accumulator<V> extends Subscription implements Observer<Batch> {
  private readonly out: Subscriber<V | EpochResult<V>>;
  private readonly factory: () => StreamMetric<V>;
  private readonly running: boolean;
  /** Running mode with a metric that has `updateAndCompute` (one call per batch instead of two). */
  private readonly fused: boolean;
  private readonly withEpochs: boolean;
  private readonly tagged: boolean;
  private readonly emitAtEnd: boolean;
  private readonly skip: boolean;
  private readonly onSkip: ((error: MetricInputError, batch: unknown) => void) | null;
  private metric: StreamMetric<V>;
  /** Tagged epochs: the metric that takes the first batch of a new epoch (built lazily). */
  private spare: StreamMetric<V> | null = null;
  private epoch = 0;
  /** Tagged epochs: an epoch tag has been seen. */
  private started = false;
  private batches = 0;
  private skipped = 0;
  private index = 0;

  constructor(
    out: Subscriber<V | EpochResult<V>>,
    factory: () => StreamMetric<V>,
    config: ResolvedAccumulateConfig,
  ) {
    super();
    this.out = out;
    this.factory = factory;
    this.running = config.emit === "batch";
    this.withEpochs = config.epochs !== null;
    this.tagged = config.epochs === "tagged";
    this.emitAtEnd = config.emit === "complete";
    this.skip = config.skip;
    this.onSkip = config.onSkip;
    this.metric = factory();
    this.fused = this.running && typeof this.metric.updateAndCompute === "function";
  }

  /** The metric's value, or NOTHING while it has nothing to compute from. */
  private value(): V | typeof NOTHING {
    const metric = this.metric;
    if (this.batches === 0 || metric.samples === 0) return NOTHING;
    try {
      return metric.compute();
    } catch (error) {
      if (error instanceof MetricStateError) return NOTHING; // e.g. every weight was 0
      throw error;
    }
  }

  /**
   * `updateAndCompute` on the batch: its value, or NOTHING when the batch was accumulated but there is
   * nothing to compute from (a `MetricStateError`, or no samples). A bad batch throws, state unchanged.
   */
  private step(batch: Batch): V | typeof NOTHING {
    const metric = this.metric;
    let value: V;
    try {
      value = (metric as Required<StreamMetric<V>>).updateAndCompute(
        batch.preds,
        batch.target,
        batch.weights,
      );
    } catch (error) {
      if (error instanceof MetricStateError) return NOTHING;
      throw error;
    }
    return metric.samples === 0 ? NOTHING : value;
  }

  private result(value: V, final: boolean): EpochResult<V> {
    const samples = this.metric.samples;
    return {
      epoch: this.epoch,
      value,
      samples: typeof samples === "number" ? samples : this.batches,
      batches: this.batches,
      skipped: this.skipped,
      final,
    };
  }

  /** Emits the final result of the epoch in progress, if it holds samples. */
  private emitEpoch(): void {
    const value = this.value();
    if (value !== NOTHING) this.out.next(this.result(value, true));
  }

  private emitRunning(): void {
    const value = this.value();
    if (value !== NOTHING) this.out.next(this.withEpochs ? this.result(value, false) : value);
  }

  /** Errors the stream (and so unsubscribes from the source and the notifier). */
  fail(error: unknown): void {
    this.out.error(error);
  }

  /** The source errored: pass it on. */
  error(error: unknown): void {
    this.out.error(error);
  }

  /** A notification of the epoch notifier: the epoch in progress ends. */
  endEpoch(): void {
    if (this.closed) return;
    try {
      this.emitEpoch();
      this.metric.reset();
      this.batches = 0;
      this.skipped = 0;
      this.epoch += 1;
    } catch (error) {
      this.fail(error);
    }
  }

  /** One batch from the source. */
  next(batch: Batch): void {
    if (this.closed) return; // closed with the output (it holds this accumulator)
    const at = this.index++;
    try {
      if (batch === null || typeof batch !== "object") {
        throw new MetricInputError(
          `batch must be an object { preds, target, weights?, epoch? }, got ${describe(batch)}`,
        );
      }
      if (this.tagged) {
        this.nextTagged(batch);
        return;
      }
      if (this.fused) {
        const value = this.step(batch);
        this.batches += 1;
        if (value !== NOTHING) this.out.next(this.withEpochs ? this.result(value, false) : value);
        return;
      }
      this.metric.update(batch.preds, batch.target, batch.weights);
      this.batches += 1;
      if (this.running) this.emitRunning();
    } catch (error) {
      this.rejected(error, at, batch);
    }
  }

  /** `_next` with `epochs: "tagged"`. */
  private nextTagged(batch: Batch): void {
    const tag = batch.epoch;
    if (typeof tag !== "number" || !Number.isFinite(tag)) {
      throw new MetricInputError(
        `batch.epoch must be a finite number when epochs is "tagged", got ${describe(tag)}`,
      );
    }
    if (this.started && tag !== this.epoch) {
      // A new epoch: its first batch goes into the spare metric, so a bad batch leaves the epoch in progress
      // as it was.
      const spare = (this.spare ??= this.factory());
      spare.reset();
      spare.update(batch.preds, batch.target, batch.weights);
      this.emitEpoch();
      this.spare = this.metric;
      this.metric = spare;
      this.epoch = tag;
      this.batches = 1;
      this.skipped = 0;
    } else {
      this.metric.update(batch.preds, batch.target, batch.weights);
      this.started = true;
      this.epoch = tag;
      this.batches += 1;
    }
    if (this.running) this.emitRunning();
  }

  /** A batch's update threw: error the stream, or skip and count the batch. */
  private rejected(error: unknown, at: number, batch: unknown): void {
    if (!(error instanceof MetricInputError)) return this.fail(error);
    const positioned = atBatch(at, error);
    if (!this.skip) return this.fail(positioned);
    this.skipped += 1;
    if (this.onSkip !== null) {
      try {
        this.onSkip(positioned, batch);
      } catch (thrown) {
        this.fail(thrown);
      }
    }
  }

  /** The source completed: the last value (per the config), then complete. */
  complete(): void {
    if (this.closed) return;
    try {
      if (this.withEpochs) this.emitEpoch();
      else if (this.emitAtEnd) {
        const value = this.value();
        if (value !== NOTHING) this.out.next(value);
      }
      this.out.complete();
    } catch (error) {
      this.out.error(error);
    }
  }
}

/**
 * Accumulates a stream of batches into a metric and emits its value: the running value after every batch
 * (default), once at completion (`emit: "complete"`), or one {@link EpochResult} per epoch (with `epochs`).
 *
 * Each subscription calls `factory` for its own metric (never a shared instance), so two subscribers of the
 * same piped observable get independent results. With `epochs: "tagged"` the factory is called once more,
 * lazily, for a spare metric that takes the first batch of a new epoch (so a bad such batch leaves the epoch in
 * progress untouched).
 *
 * Emissions are skipped while nothing is accumulated (no batch yet, all samples ignored, all weights 0); an
 * epoch without samples emits nothing. A bad batch errors the stream with a `MetricInputError` whose message
 * starts with `batches[<index>]: ` (0-based position on the stream; the metric's own message follows, and the
 * original error is its `cause`); values emitted before stand. With `onInvalid: "skip"` the batch is dropped
 * as if it never came, counted (`EpochResult.skipped`) and passed to `onSkip`. Other errors (not
 * `MetricInputError`) always error the stream. Unsubscribing unsubscribes the source and the epoch notifier;
 * nothing is emitted after.
 *
 * Cost per batch: one `update()`; in the default running mode one `updateAndCompute()` instead (or `update()`
 * then `compute()` for a metric without it; `HingeLoss` adds and divides a single typed sample in one pass).
 * For long streams of small batches `emit: "complete"` or epochs cost less (no value per batch), as does
 * batching upstream with `bufferCount`.
 *
 * @typeParam V - the metric's value type
 * @param factory - builds a fresh metric; called per subscription
 * @param config - {@link AccumulateConfig} or {@link EpochConfig}
 * @returns the operator
 * @throws {@link InvalidOptionsError} (synchronously) for a bad config
 * @example
 * ```ts
 * import { from, lastValueFrom, toArray } from "rxjs";
 * import { accumulate } from "streammetrics/rx";
 * import { HingeLoss } from "streammetrics";
 * const batches = [
 *   { preds: [-2.2, 2.4], target: [0, 1] },
 *   { preds: [0.1], target: [1] },
 * ];
 * await lastValueFrom(from(batches).pipe(accumulate(() => new HingeLoss()), toArray())); // => [0, 0.3]
 * ```
 */
export function accumulate<V>(
  factory: () => StreamMetric<V>,
  config: EpochConfig,
): OperatorFunction<Batch, EpochResult<V>>;
export function accumulate<V>(
  factory: () => StreamMetric<V>,
  config?: AccumulateConfig,
): OperatorFunction<Batch, V>;
export function accumulate<V>(
  factory: () => StreamMetric<V>,
  config?: AccumulateConfig | EpochConfig,
): OperatorFunction<Batch, V | EpochResult<V>> {
  const resolved = resolveAccumulateConfig(config, "accumulate");
  if (typeof factory !== "function") {
    throw new TypeError(
      `accumulate: factory must be a function that builds a metric, got ${describe(factory)}`,
    );
  }
  const notifier = resolved.epochs !== null && resolved.epochs !== "tagged" ? resolved.epochs : null;

  return (source) =>
    new Observable<V | EpochResult<V>>((destination) => {
      // All state lives in the accumulator: one per subscription. It is a Subscription (public RxJS API) and
      // an Observer, added to the output: RxJS hands it batches directly, and unsubscribing downstream closes
      // it at once, so even a synchronous source stops at the next item. No Subscriber subclass.
      const inner = new Accumulator<V>(destination, factory, resolved);
      destination.add(inner);
      if (notifier !== null) {
        inner.add(
          notifier.subscribe({
            next: () => inner.endEpoch(),
            error: (error: unknown) => inner.fail(error),
          }),
        );
      }
      if (!inner.closed) source.subscribe(inner);
      return inner;
    });
}

/**
 * The hinge loss of a stream of batches: `accumulate(() => new HingeLoss(options), config)`. Options are
 * validated when the operator is made; each subscription gets its own {@link HingeLoss}.
 *
 * For a long stream of single-sample batches, `emit: "complete"` (or epochs) avoids a `compute()` per
 * batch: `from(batches).pipe(hingeLoss(undefined, { emit: "complete" }))`.
 *
 * @param options - {@link HingeLossOptions}
 * @param config - {@link AccumulateConfig} or {@link EpochConfig}
 * @returns the operator: running values (a number, or one per class for one-vs-all), or {@link EpochResult}s
 * @throws {@link InvalidOptionsError} (synchronously) for bad options or config
 * @example
 * ```ts
 * import { from, lastValueFrom } from "rxjs";
 * import { hingeLoss } from "streammetrics/rx";
 * const batches = [
 *   { preds: [-2.2, 2.4], target: [0, 1] },
 *   { preds: [0.1], target: [1] },
 * ];
 * await lastValueFrom(from(batches).pipe(hingeLoss(undefined, { emit: "complete" }))); // => 0.3
 * ```
 */
export function hingeLoss(
  options: HingeLossOptions | undefined,
  config: EpochConfig,
): OperatorFunction<Batch, EpochResult<HingeValue>>;
export function hingeLoss(
  options?: HingeLossOptions,
  config?: AccumulateConfig,
): OperatorFunction<Batch, HingeValue>;
export function hingeLoss(
  options?: HingeLossOptions,
  config?: AccumulateConfig | EpochConfig,
): OperatorFunction<Batch, HingeValue | EpochResult<HingeValue>> {
  resolveHingeLossOptions(options); // throws now rather than at subscription
  return accumulate(() => new HingeLoss(options), config as AccumulateConfig);
}
