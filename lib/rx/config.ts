import { isObservable, type Observable } from "rxjs";
import { z } from "zod";
import type { MetricInputError, MetricStateError } from "../errors/index.js";
import type { TensorLike } from "../input/index.js";
import type { MetricStateJSON } from "../metrics/index.js";
import { invalidOption, parseOptions } from "../options/index.js";

/**
 * What to do with a bad batch (or, for `mergeStates`, a bad state): `"error"` (the default) errors the stream
 * with the error, `"skip"` drops it, counts it and reports it through `onSkip`.
 */
export type OnInvalid = "error" | "skip";

/**
 * Configuration of {@link accumulate} and {@link hingeLoss} without epochs.
 */
export interface AccumulateConfig {
  /**
   * `"batch"` (default): the running value after every batch that leaves something accumulated.
   * `"complete"`: one value when the source completes (nothing when no sample came).
   */
  readonly emit?: "batch" | "complete";
  /** `"error"` (default) or `"skip"`; see {@link OnInvalid}. */
  readonly onInvalid?: OnInvalid;
  /**
   * Called for each skipped batch (with `onInvalid: "skip"`) with the error (its message starts with
   * `batches[<index>]: `, the 0-based position of the batch on the stream) and the batch. If it throws, the
   * stream errors with what it threw.
   */
  readonly onSkip?: (error: MetricInputError, batch: unknown) => void;
}

/**
 * Configuration of {@link accumulate} and {@link hingeLoss} with epochs: the operator then emits
 * {@link EpochResult}s.
 */
export interface EpochConfig {
  /**
   * Where epochs end. An observable: each notification ends the epoch in progress (numbered 0, 1, 2, ... by
   * notification count, so an empty epoch still uses its number); the source's completion ends the last.
   * `"tagged"`: every batch carries a finite number `epoch`; a batch with another tag than the one before ends
   * the epoch (numbered by its tag); completion ends the last.
   */
  readonly epochs: Observable<unknown> | "tagged";
  /**
   * `"epoch"` (default): one {@link EpochResult} (`final: true`) per epoch that holds samples, at its end.
   * `"batch"`: also, after every batch, the running result of the epoch in progress (`final: false`).
   */
  readonly emit?: "epoch" | "batch";
  /** `"error"` (default) or `"skip"`; see {@link OnInvalid}. */
  readonly onInvalid?: OnInvalid;
  /** As {@link AccumulateConfig.onSkip}; skipped batches are also counted in `EpochResult.skipped`. */
  readonly onSkip?: (error: MetricInputError, batch: unknown) => void;
}

/**
 * Configuration of {@link mergeStates}.
 *
 * @typeParam V - the value type of the merged metric
 */
export interface MergeStatesConfig<V = unknown> {
  /** `"batch"` (default): the running merged value after every state; `"complete"`: once, at completion. */
  readonly emit?: "batch" | "complete";
  /** `"error"` (default) or `"skip"` for a state that fails validation or does not match the others. */
  readonly onInvalid?: OnInvalid;
  /** Called for each skipped state with the error (message starts with `states[<index>]: `) and the state. */
  readonly onSkip?: (error: MetricStateError, state: unknown) => void;
  /**
   * Builds a metric from the first JSON state. Default: dispatch on `kind` (`"HingeLoss"`,
   * `"MetricCollection"`), as the free `mergeStates` does.
   */
  readonly fromJSON?: (json: unknown) => MergeableMetric<V>;
}

/**
 * The part of a metric that {@link accumulate} uses (every {@link Metric} has it). `samples`, when present,
 * lets the operator know that nothing was accumulated without calling `compute()`.
 *
 * @typeParam V - the value type
 * @example
 * ```ts
 * const metric: StreamMetric<HingeValue> = new HingeLoss();
 * metric.update([0.5], [1]);
 * metric.compute(); // => 0.5
 * ```
 */
export interface StreamMetric<V> {
  /** Accumulates a batch; throws `MetricInputError` for a bad one, leaving the state unchanged. */
  update(preds: TensorLike, target: TensorLike, weights?: TensorLike): unknown;
  /** The value; throws `MetricStateError` while nothing is accumulated. */
  compute(): V;
  /** Forgets everything accumulated. */
  reset(): unknown;
  /** Samples accumulated, when the metric counts them. */
  readonly samples?: number;
  /**
   * Optional: `update(...)` then `compute()` in one call, with their errors (a `MetricInputError` leaves the
   * state unchanged; a `MetricStateError` means the batch was accumulated but nothing can be computed yet).
   * The running-value mode calls it when present (every {@link Metric} has it).
   */
  updateAndCompute?(preds: TensorLike, target: TensorLike, weights?: TensorLike): V;
}

/**
 * The part of a metric that {@link mergeStates} uses (every {@link Metric} has it).
 *
 * @typeParam V - the value type
 * @example
 * ```ts
 * const metric: MergeableMetric<HingeValue> = new HingeLoss().update([0.5], [1]);
 * metric.merge(new HingeLoss().update([2], [1]).toJSON());
 * metric.compute(); // => 0.25
 * ```
 */
export interface MergeableMetric<V> {
  /** Merges other states exactly; throws `MetricStateError` (state unchanged) for a bad or mismatched one. */
  merge(...others: MetricStateJSON[]): unknown;
  /** The value; throws `MetricStateError` while nothing is accumulated. */
  compute(): V;
  /** Samples accumulated, when the metric counts them. */
  readonly samples?: number;
  /**
   * Optional: `update(...)` then `compute()` in one call, with their errors (a `MetricInputError` leaves the
   * state unchanged; a `MetricStateError` means the batch was accumulated but nothing can be computed yet).
   * The running-value mode calls it when present (every {@link Metric} has it).
   */
  updateAndCompute?(preds: TensorLike, target: TensorLike, weights?: TensorLike): V;
}

const isFunction = (value: unknown): boolean => typeof value === "function";

const accumulateSchema = z.strictObject({
  emit: z.enum(["batch", "complete", "epoch"]).optional(),
  epochs: z
    .union([
      z.literal("tagged"),
      z.custom<Observable<unknown>>(isObservable, 'epochs must be an Observable or "tagged"'),
    ])
    .optional(),
  onInvalid: z.enum(["error", "skip"]).optional(),
  onSkip: z
    .custom<(error: MetricInputError, batch: unknown) => void>(isFunction, "onSkip must be a function")
    .optional(),
});

const mergeSchema = z.strictObject({
  emit: z.enum(["batch", "complete"]).optional(),
  onInvalid: z.enum(["error", "skip"]).optional(),
  onSkip: z
    .custom<(error: MetricStateError, state: unknown) => void>(isFunction, "onSkip must be a function")
    .optional(),
  fromJSON: z.custom<(json: unknown) => unknown>(isFunction, "fromJSON must be a function").optional(),
});

/**
 * The resolved configuration of {@link accumulate} (defaults filled in), as {@link resolveAccumulateConfig}
 * returns it.
 *
 * @example
 * ```ts
 * const resolved: ResolvedAccumulateConfig = resolveAccumulateConfig({ onInvalid: "skip" }, "accumulate");
 * resolved.skip; // => true
 * ```
 */
export interface ResolvedAccumulateConfig {
  /** What is emitted: a running value per batch, one value at completion, or one result per epoch. */
  readonly emit: "batch" | "complete" | "epoch";
  /** The epoch notifier, `"tagged"` for epoch tags on the batches, or `null` without epochs. */
  readonly epochs: Observable<unknown> | "tagged" | null;
  /** True when bad batches are skipped (`onInvalid: "skip"`) instead of erroring the stream. */
  readonly skip: boolean;
  /** Called with each skipped batch and its error, or `null`. */
  readonly onSkip: ((error: MetricInputError, batch: unknown) => void) | null;
}

/**
 * Validates an {@link AccumulateConfig} or {@link EpochConfig} and fills in the defaults.
 *
 * @param config - the configuration as given
 * @param owner - the operator name, for messages
 * @returns the resolved configuration
 * @throws {@link InvalidOptionsError} for an unknown key, a bad value, or `emit` that does not fit `epochs`
 * @example
 * ```ts
 * resolveAccumulateConfig({ epochs: "tagged" }, "accumulate").emit; // => "epoch"
 * ```
 */
export function resolveAccumulateConfig(config: unknown, owner: string): ResolvedAccumulateConfig {
  const parsed = parseOptions(accumulateSchema, config, owner);
  const epochs = parsed.epochs ?? null;
  const emit = parsed.emit ?? (epochs === null ? "batch" : "epoch");
  if (epochs === null && emit === "epoch") {
    throw invalidOption("emit", 'option emit "epoch" needs the epochs option (an Observable or "tagged")');
  }
  if (epochs !== null && emit === "complete") {
    throw invalidOption(
      "emit",
      'option emit "complete" does not go with the epochs option: use "epoch" (the default) or "batch"',
    );
  }
  return { emit, epochs, skip: parsed.onInvalid === "skip", onSkip: parsed.onSkip ?? null };
}

/**
 * The resolved configuration of {@link mergeStates} (defaults filled in), as
 * {@link resolveMergeStatesConfig} returns it.
 *
 * @example
 * ```ts
 * const resolved: ResolvedMergeStatesConfig = resolveMergeStatesConfig({ emit: "complete" });
 * resolved.emit; // => "complete"
 * ```
 */
export interface ResolvedMergeStatesConfig {
  /** A running merged value after each state, or one value at completion. */
  readonly emit: "batch" | "complete";
  /** True when bad states are skipped (`onInvalid: "skip"`) instead of erroring the stream. */
  readonly skip: boolean;
  /** Called with each skipped state and its error, or `null`. */
  readonly onSkip: ((error: MetricStateError, state: unknown) => void) | null;
  /** Rebuilds a metric from the first state, or `null` to dispatch on its `kind`. */
  readonly fromJSON: ((json: unknown) => MergeableMetric<unknown>) | null;
}

/**
 * Validates a {@link MergeStatesConfig} and fills in the defaults.
 *
 * @param config - the configuration as given
 * @returns the resolved configuration
 * @throws {@link InvalidOptionsError} for an unknown key or a bad value
 * @example
 * ```ts
 * resolveMergeStatesConfig(undefined).emit; // => "batch"
 * ```
 */
export function resolveMergeStatesConfig(config: unknown): ResolvedMergeStatesConfig {
  const parsed = parseOptions(mergeSchema, config, "mergeStates");
  return {
    emit: parsed.emit ?? "batch",
    skip: parsed.onInvalid === "skip",
    onSkip: parsed.onSkip ?? null,
    fromJSON: (parsed.fromJSON as ((json: unknown) => MergeableMetric<unknown>) | undefined) ?? null,
  };
}
