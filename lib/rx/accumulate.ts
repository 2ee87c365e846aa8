import { Observable, type OperatorFunction, type Subscription } from "rxjs";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { HingeValue } from "../functional/index.js";
import type { TensorLike } from "../input/index.js";
import { HingeLoss } from "../metrics/index.js";
import { describe, resolveHingeLossOptions, type HingeLossOptions } from "../options/index.js";
import {
  resolveAccumulateConfig,
  type AccumulateConfig,
  type EpochConfig,
  type StreamMetric,
} from "./config.js";

/**
 * One batch on a prediction stream: the arguments of `metric.update(preds, target, weights)`, in any
 * {@link TensorLike} form, and an optional `epoch` tag (read only with `epochs: "tagged"`).
 *
 * @example
 * ```ts
 * const batch: Batch = { preds: [-2.2, 2.4], target: [0, 1], epoch: 0 };
 * batch.epoch; // => 0
 * ```
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
 * @example
 * ```ts
 * const result: EpochResult<number> = { epoch: 0, value: 0.3, samples: 3, batches: 2, skipped: 0, final: true };
 * result.value; // => 0.3
 * ```
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

/** The metric's value, or NOTHING while it has nothing to compute from. */
function valueOf<V>(metric: StreamMetric<V>, batches: number): V | typeof NOTHING {
  if (batches === 0 || metric.samples === 0) return NOTHING;
  try {
    return metric.compute();
  } catch (error) {
    if (error instanceof MetricStateError) return NOTHING; // e.g. every weight was 0
    throw error;
  }
}

/** The error of a bad batch, with its position on the stream. */
function atBatch(index: number, error: MetricInputError): MetricInputError {
  const wrapped = new MetricInputError(`batches[${index}]: ${error.message}`);
  wrapped.cause = error;
  return wrapped;
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
 * Cost per batch: one `update()`, plus one `compute()` in the default running mode. For long streams of small
 * batches prefer `emit: "complete"` or epochs (no `compute()` per batch), or batch upstream with
 * `bufferCount`.
 *
 * @typeParam V - the metric's value type
 * @param factory - builds a fresh metric; called per subscription
 * @param config - {@link AccumulateConfig} or {@link EpochConfig}
 * @returns the operator
 * @throws {@link InvalidOptionsError} (synchronously) for a bad config
 * @example
 * ```ts
 * import { from } from "rxjs";
 * import { accumulate } from "streammetrics/rx";
 * import { HingeLoss } from "streammetrics";
 * from([
 *   { preds: [-2.2, 2.4], target: [0, 1] },
 *   { preds: [0.1], target: [1] },
 * ]).pipe(accumulate(() => new HingeLoss())).subscribe(console.log);
 * // => 0 (after the first batch), then 0.3
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
  const { emit, epochs, skip, onSkip } = resolveAccumulateConfig(config, "accumulate");
  if (typeof factory !== "function") {
    throw new TypeError(
      `accumulate: factory must be a function that builds a metric, got ${describe(factory)}`,
    );
  }
  const tagged = epochs === "tagged";
  const running = emit === "batch";
  const withEpochs = epochs !== null;

  return (source) =>
    new Observable<V | EpochResult<V>>((destination) => {
      // All state lives here: one set per subscription.
      let metric = factory();
      let spare: StreamMetric<V> | null = null;
      let epoch = 0;
      let started = false; // tagged mode: an epoch tag has been seen
      let batches = 0;
      let skipped = 0;
      let index = 0;

      const result = (value: V, final: boolean): EpochResult<V> => ({
        epoch,
        value,
        samples: typeof metric.samples === "number" ? metric.samples : batches,
        batches,
        skipped,
        final,
      });

      /** Emits the final result of the epoch in progress, if it holds samples. */
      const emitEpoch = (): void => {
        const value = valueOf(metric, batches);
        if (value !== NOTHING) destination.next(result(value, true));
      };

      const emitRunning = (): void => {
        const value = valueOf(metric, batches);
        if (value !== NOTHING) destination.next(withEpochs ? result(value, false) : value);
      };

      const fail = (error: unknown): void => destination.error(error);

      let notifierSubscription: Subscription | null = null;
      if (epochs !== null && epochs !== "tagged") {
        notifierSubscription = epochs.subscribe({
          next: () => {
            try {
              emitEpoch();
              metric.reset();
              batches = 0;
              skipped = 0;
              epoch += 1;
            } catch (error) {
              fail(error);
            }
          },
          error: fail,
        });
      }

      const sourceSubscription = source.subscribe({
        next: (batch: Batch) => {
          if (destination.closed) return; // a synchronous source keeps calling after teardown
          const at = index++;
          try {
            if (batch === null || typeof batch !== "object") {
              throw new MetricInputError(
                `batch must be an object { preds, target, weights?, epoch? }, got ${describe(batch)}`,
              );
            }
            if (tagged) {
              const tag = batch.epoch;
              if (typeof tag !== "number" || !Number.isFinite(tag)) {
                throw new MetricInputError(
                  `batch.epoch must be a finite number when epochs is "tagged", got ${describe(tag)}`,
                );
              }
              if (started && tag !== epoch) {
                // A new epoch: its first batch goes into the spare metric, so a bad batch leaves the epoch
                // in progress as it was.
                spare ??= factory();
                spare.reset();
                spare.update(batch.preds, batch.target, batch.weights);
                emitEpoch();
                const ended = metric;
                metric = spare;
                spare = ended;
                epoch = tag;
                batches = 1;
                skipped = 0;
                if (running) emitRunning();
                return;
              }
              metric.update(batch.preds, batch.target, batch.weights);
              started = true;
              epoch = tag;
            } else {
              metric.update(batch.preds, batch.target, batch.weights);
            }
            batches += 1;
            if (running) emitRunning();
          } catch (error) {
            if (!(error instanceof MetricInputError)) return fail(error);
            const positioned = atBatch(at, error);
            if (!skip) return fail(positioned);
            skipped += 1;
            if (onSkip !== null) {
              try {
                onSkip(positioned, batch);
              } catch (thrown) {
                fail(thrown);
              }
            }
          }
        },
        error: fail,
        complete: () => {
          try {
            if (withEpochs) emitEpoch();
            else if (emit === "complete") {
              const value = valueOf(metric, batches);
              if (value !== NOTHING) destination.next(value);
            }
            destination.complete();
          } catch (error) {
            fail(error);
          }
        },
      });

      return () => {
        sourceSubscription.unsubscribe();
        notifierSubscription?.unsubscribe();
      };
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
 * import { from } from "rxjs";
 * import { hingeLoss } from "streammetrics/rx";
 * from([
 *   { preds: [-2.2, 2.4], target: [0, 1] },
 *   { preds: [0.1], target: [1] },
 * ]).pipe(hingeLoss(undefined, { emit: "complete" })).subscribe(console.log);
 * // => 0.3
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
