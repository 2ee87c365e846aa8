import { z } from "zod";
import { InvalidOptionsError, MetricStateError } from "../../errors/index.js";
import { describe, parseOptions } from "../../options/index.js";
import { assertPlainJson, type StateField, type StateValue } from "../../state/index.js";
import { Metric, type MetricStateJSON } from "../Metric.js";
import type { AnyMetric } from "../MetricCollection.js";
import { registerMetric, restoreMetric } from "../registry.js";

/**
 * Options of a {@link MetricTracker} (torchmetrics' `maximize`).
 *
 * @example
 * ```ts
 * const options: MetricTrackerOptions = { maximize: false };
 * new MetricTracker(new MeanSquaredError(), options).options.maximize; // => false
 * ```
 */
export interface MetricTrackerOptions {
  /**
   * Whether a higher value is better, for {@link MetricTracker.best}: a boolean, or one per key of a
   * collection's value (`{ loss: false, r2: true }`). Default `true`, as torchmetrics.
   */
  maximize?: boolean | Record<string, boolean>;
}

/**
 * The best value over the epochs and the epoch (0-based) that gave it.
 *
 * @example
 * ```ts
 * const best: BestValue = { value: 0.5, epoch: 2 };
 * best.epoch; // => 2
 * ```
 */
export interface BestValue {
  /** The best value. */
  readonly value: number;
  /** The epoch that gave it (the first one on ties). */
  readonly epoch: number;
}

/**
 * What {@link MetricTracker.best} returns: one {@link BestValue} for a metric whose value is a number; for a
 * collection, one per key (null for a key whose value is not a number, e.g. a per-class array).
 *
 * @typeParam V - the tracked metric's value type
 * @example
 * ```ts
 * const best: TrackerBest<{ mse: number }> = { mse: { value: 1, epoch: 0 } };
 * best.mse?.value; // => 1
 * ```
 */
export type TrackerBest<V> = V extends number
  ? BestValue
  : V extends Record<string, unknown>
    ? { [K in keyof V]: BestValue | null }
    : BestValue;

/**
 * The resolved options of a {@link MetricTracker}, as written into its states: `maximize`, and the tracked
 * metric's empty state (so that a state can be read back, and merged only with a tracker of the same metric).
 *
 * @example
 * ```ts
 * new MetricTracker(new SumMetric()).options.metric.kind; // => "SumMetric"
 * ```
 */
export interface ResolvedMetricTrackerOptions {
  /** See {@link MetricTrackerOptions.maximize}. */
  maximize: boolean | Record<string, boolean>;
  /** The tracked metric's state when empty (its kind, version and options included). */
  metric: MetricStateJSON;
}

const maximizeSchema = z.union([z.boolean(), z.record(z.string(), z.boolean())], {
  error: (i) =>
    `maximize must be a boolean or an object of booleans (one per key of a collection), got ${describe(i.input)}`,
});
const optionsSchema = z.strictObject({ maximize: maximizeSchema.default(true) });

/**
 * The epochs of a {@link MetricTracker} as one state field: one metric per epoch, oldest first. Merging two
 * of them merges epoch by epoch (the same number of epochs is required).
 *
 * @example
 * ```ts
 * const epochs = new TrackerEpochs([new SumMetric().update(1), new SumMetric().update(2)]);
 * epochs.toJSON().length; // => 2
 * ```
 */
export class TrackerEpochs implements StateValue {
  /** The per-epoch metrics, oldest first. */
  list: AnyMetric[];

  /**
   * @param list - the per-epoch metrics (held, not copied)
   */
  constructor(list: AnyMetric[]) {
    this.list = list;
  }

  /** {@inheritDoc StateValue.copy} */
  copy(): this {
    return new TrackerEpochs(this.list.map((m) => m.clone())) as this;
  }

  /** {@inheritDoc StateValue.checkMerge} */
  checkMerge(other: this, name: string): void {
    // a tracker with no epoch yet is the identity of the merge (either side)
    if (other.list.length === 0 || this.list.length === 0) return;
    if (other.list.length !== this.list.length) {
      throw new MetricStateError(
        `cannot merge ${name}: ${other.list.length} epochs there and ${this.list.length} here`,
      );
    }
    // a trial merge of every epoch, so that mergeFrom cannot fail halfway
    this.list.forEach((m, i) => {
      try {
        m.clone().merge(other.list[i]);
      } catch (error) {
        throw new MetricStateError(`cannot merge epoch ${i}: ${(error as Error).message}`);
      }
    });
  }

  /** {@inheritDoc StateValue.mergeFrom} */
  mergeFrom(other: this): void {
    if (other.list.length === 0) return;
    if (this.list.length === 0) {
      this.list = other.list.map((m) => m.clone());
      return;
    }
    this.list = this.list.map((m, i) => m.clone().merge(other.list[i]));
  }

  /** {@inheritDoc StateValue.snapshot} */
  snapshot(): unknown {
    // update and forward reach the current epoch only, through its own atomic calls
    return this.list.slice();
  }

  /** {@inheritDoc StateValue.restore} */
  restore(saved: unknown): void {
    this.list = saved as AnyMetric[];
  }

  /** {@inheritDoc StateValue.toJSON} */
  toJSON(): MetricStateJSON[] {
    return this.list.map((m) => m.toJSON());
  }
}

function epochsField(template: AnyMetric): StateField<TrackerEpochs> {
  return {
    kind: "epochs",
    empty: () => new TrackerEpochs([]),
    decode(json, path) {
      if (!Array.isArray(json)) throw new MetricStateError(`${path} must be an array of states`);
      if (json.length > 1 << 20) throw new MetricStateError(`${path} has too many epochs`);
      return new TrackerEpochs(
        json.map((state, i) => {
          try {
            return template.clone().merge(state as MetricStateJSON);
          } catch (error) {
            throw new MetricStateError(`${path}[${i}]: ${(error as Error).message}`);
          }
        }),
      );
    },
  };
}

/**
 * The state of a tracker: one metric per epoch.
 *
 * @example
 * ```ts
 * new MetricTracker(new SumMetric()).increment().toJSON().epochs.length; // => 1
 * ```
 */
export interface MetricTrackerState {
  /** The epochs, oldest first. */
  epochs: TrackerEpochs;
}

/**
 * Tracks a metric (or a `MetricCollection`) over epochs (torchmetrics' `MetricTracker`): `increment()`
 * starts an epoch, `update` / `forward` / `compute` act on the current one, `computeAll()` gives every
 * epoch's value and `best()` the best one with its epoch.
 *
 * Every epoch starts empty: the tracker keeps an empty copy of the metric it was given (torchmetrics'
 * `increment()` deep-copies the wrapped metric's *current* state, so a metric updated before it was wrapped
 * leaks into the first epoch). Its JSON state holds every epoch's state; trackers of the same metric and
 * number of epochs merge epoch by epoch.
 *
 * @typeParam M - the tracked metric
 * @example
 * ```ts
 * import { MeanSquaredError, MetricTracker } from "streammetrics";
 * const tracker = new MetricTracker(new MeanSquaredError(), { maximize: false });
 * for (const preds of [[1, 2], [1.5, 2.5], [1.5, 2]]) {
 *   tracker.increment();
 *   tracker.update(preds, [1, 2]);
 * }
 * tracker.computeAll(); // => [0, 0.25, 0.125]
 * tracker.best(); // => { value: 0, epoch: 0 }
 * ```
 */
export class MetricTracker<M extends AnyMetric = AnyMetric> extends Metric<
  ReturnType<M["compute"]>,
  MetricTrackerState,
  ResolvedMetricTrackerOptions
> {
  /** The kind written into states (torchmetrics' class name). */
  static readonly kind = "MetricTracker";
  /** The state format version. */
  static readonly version = 1;
  private readonly template: M;

  /**
   * @param metric - the metric or collection to track (its current state is not used: epochs start empty)
   * @param options - {@link MetricTrackerOptions}
   * @throws `InvalidOptionsError` when `metric` is not a metric, or for bad options
   */
  constructor(metric: M, options: MetricTrackerOptions = {}) {
    if (!(metric instanceof Metric)) {
      throw new InvalidOptionsError(`MetricTracker needs a metric to track, got ${describe(metric)}`);
    }
    const { maximize } = parseOptions(optionsSchema, options, "MetricTracker");
    const template = metric.clone().reset();
    super({ maximize, metric: template.toJSON() });
    this.template = template;
    this.addState("epochs", epochsField(template));
  }

  /**
   * The number of epochs so far (torchmetrics' `n_steps`).
   *
   * @example
   * ```ts
   * const t = new MetricTracker(new SumMetric());
   * t.increment();
   * t.nSteps; // => 1
   * ```
   */
  get nSteps(): number {
    return this.state.epochs.list.length;
  }

  /**
   * Starts a new epoch, empty.
   *
   * @returns this tracker
   * @example
   * ```ts
   * new MetricTracker(new SumMetric()).increment().increment().nSteps; // => 2
   * ```
   */
  increment(): this {
    this.state.epochs.list.push(this.template.clone());
    return this;
  }

  private current(what: string): M {
    const list = this.state.epochs.list;
    if (list.length === 0) {
      throw new MetricStateError(`MetricTracker: call increment() before ${what}() (no epoch has started)`);
    }
    return list[list.length - 1] as M;
  }

  /**
   * Accumulates a batch into the current epoch.
   *
   * @param preds - the first argument of the tracked metric's `update`
   * @param target - the second
   * @param weights - the third
   */
  protected override updateState(preds: unknown, target: unknown, weights: unknown): void {
    this.current("update").update(preds, target, weights);
  }

  /**
   * @returns the current epoch's value
   * @throws `MetricStateError` before the first `increment()`, or when the epoch cannot compute
   */
  protected override computeValue(): ReturnType<M["compute"]> {
    return this.current("compute").compute() as ReturnType<M["compute"]>;
  }

  /**
   * The value of this batch alone, as the tracked metric's `forward`; the batch is accumulated into the
   * current epoch.
   *
   * @param preds - predictions for the batch
   * @param target - targets for the batch
   * @param weights - optional weights
   * @returns the batch value
   * @throws `MetricStateError` before the first `increment()`; the tracked metric's errors (nothing is
   * accumulated then)
   * @example
   * ```ts
   * const t = new MetricTracker(new MeanSquaredError()).increment();
   * t.forward([1, 3], [1, 1]); // => 2
   * ```
   */
  override forward(preds: unknown, target?: unknown, weights?: unknown): ReturnType<M["compute"]> {
    return this.current("forward").forward(preds, target, weights) as ReturnType<M["compute"]>;
  }

  /**
   * Forgets the current epoch's accumulation (torchmetrics' `reset`); the earlier epochs stay.
   *
   * @returns this tracker
   * @example
   * ```ts
   * const t = new MetricTracker(new SumMetric()).increment();
   * t.update([1, 2]).reset().update(5).compute(); // => 5
   * ```
   */
  override reset(): this {
    const list = this.state.epochs.list;
    if (list.length > 0) list[list.length - 1] = this.template.clone();
    return this;
  }

  /**
   * Forgets every epoch (torchmetrics' `reset_all`).
   *
   * @returns this tracker
   * @example
   * ```ts
   * new MetricTracker(new SumMetric()).increment().resetAll().nSteps; // => 0
   * ```
   */
  resetAll(): this {
    return super.reset();
  }

  /**
   * Every epoch's value, oldest first (torchmetrics' `compute_all`).
   *
   * @returns one value per epoch
   * @throws `MetricStateError` naming the first epoch that cannot compute
   * @example
   * ```ts
   * const t = new MetricTracker(new SumMetric());
   * t.increment().update([1, 2]);
   * t.increment().update(5);
   * t.computeAll(); // => [3, 5]
   * ```
   */
  computeAll(): ReturnType<M["compute"]>[] {
    return this.state.epochs.list.map((m, i) => {
      try {
        return m.compute() as ReturnType<M["compute"]>;
      } catch (error) {
        if (error instanceof MetricStateError) throw new MetricStateError(`epoch ${i}: ${error.message}`);
        throw error;
      }
    });
  }

  /**
   * The best value over the epochs and the epoch that gave it (torchmetrics' `best_metric(return_step=True)`).
   * TrackerEpochs that cannot compute (nothing accumulated) are skipped; on ties the earliest epoch wins. For a
   * collection, one result per key, each with its own `maximize` (a key whose value is not a number gets
   * null).
   *
   * @param options - `maximize`: overrides the tracker's option for this call
   * @returns the best value and its epoch (per key for a collection)
   * @throws `MetricStateError` when no epoch has a value, or when the metric's value is not a number;
   * `InvalidOptionsError` for a bad `maximize` (a key missing from a per-key object)
   * @example
   * ```ts
   * const t = new MetricTracker(new MeanMetric());
   * t.increment().update([1, 3]);
   * t.increment().update([5]);
   * t.best(); // => { value: 5, epoch: 1 }
   * t.best({ maximize: false }); // => { value: 2, epoch: 0 }
   * ```
   */
  best(options: MetricTrackerOptions = {}): TrackerBest<ReturnType<M["compute"]>> {
    const maximize =
      parseOptions(z.strictObject({ maximize: maximizeSchema.optional() }), options, "best").maximize ??
      this.options.maximize;
    const values: { value: unknown; epoch: number }[] = [];
    this.state.epochs.list.forEach((m, epoch) => {
      try {
        values.push({ value: m.compute(), epoch });
      } catch (error) {
        if (!(error instanceof MetricStateError)) throw error;
      }
    });
    if (values.length === 0) {
      throw new MetricStateError(`MetricTracker: no epoch has a value yet (${this.nSteps} epochs)`);
    }
    const first = values[0].value;
    if (typeof first === "number") {
      if (typeof maximize !== "boolean") {
        throw new InvalidOptionsError("maximize must be a boolean for a metric whose value is a number");
      }
      return pick(
        values.map((v) => ({ value: v.value as number, epoch: v.epoch })),
        maximize,
      ) as TrackerBest<ReturnType<M["compute"]>>;
    }
    if (first === null || typeof first !== "object" || Array.isArray(first)) {
      throw new MetricStateError(
        "MetricTracker.best() needs a metric whose value is a number (or a collection of them), got an array",
      );
    }
    const out: Record<string, BestValue | null> = {};
    for (const key of Object.keys(first)) {
      const series = values.map((v) => ({
        value: (v.value as Record<string, unknown>)[key],
        epoch: v.epoch,
      }));
      if (!series.every((s) => typeof s.value === "number")) {
        out[key] = null;
        continue;
      }
      let up: boolean;
      if (typeof maximize === "boolean") up = maximize;
      else if (typeof maximize[key] === "boolean") up = maximize[key];
      else throw new InvalidOptionsError(`maximize has no entry for "${key}" (give one boolean per key)`);
      out[key] = pick(series as BestValue[], up);
    }
    return out as TrackerBest<ReturnType<M["compute"]>>;
  }

  /**
   * Rebuilds a tracker from its JSON state (untrusted input is validated: the tracked metric's kind must be
   * registered, and every epoch is decoded by it).
   *
   * @param json - a state from `toJSON()`, possibly via `JSON.parse`
   * @returns the tracker, with its epochs
   * @throws `MetricStateError` for a malformed or forged state
   * @example
   * ```ts
   * const t = new MetricTracker(new SumMetric()).increment().update([1, 2]);
   * MetricTracker.fromJSON(JSON.parse(JSON.stringify(t))).compute(); // => 3
   * ```
   */
  static override fromJSON(json: unknown): MetricTracker {
    assertPlainJson(json, "state");
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new MetricStateError("a MetricTracker state must be an object");
    }
    const raw = json as Record<string, unknown>;
    if (raw.kind !== MetricTracker.kind) {
      throw new MetricStateError(
        `expected a MetricTracker state, got kind ${JSON.stringify(raw.kind) ?? "undefined"}`,
      );
    }
    if (raw.version !== MetricTracker.version) {
      throw new MetricStateError(
        `MetricTracker state version ${JSON.stringify(raw.version) ?? "undefined"} is not supported (expected 1)`,
      );
    }
    const options = raw.options as Record<string, unknown> | null;
    if (options === null || typeof options !== "object" || Array.isArray(options)) {
      throw new MetricStateError("invalid MetricTracker state: options must be an object");
    }
    const keys = Object.keys(options).sort().join();
    if (keys !== "maximize,metric") {
      throw new MetricStateError(
        "invalid MetricTracker state: options must have exactly maximize and metric",
      );
    }
    const template = restoreMetric(options.metric, "state.options.metric") as AnyMetric;
    let tracker: MetricTracker;
    try {
      tracker = new MetricTracker(template, { maximize: options.maximize as boolean });
    } catch (error) {
      throw new MetricStateError(`invalid MetricTracker state: options: ${(error as Error).message}`);
    }
    if (JSON.stringify(tracker.options.metric) !== JSON.stringify(options.metric)) {
      throw new MetricStateError("invalid MetricTracker state: options.metric must be an empty state");
    }
    tracker.installState(raw);
    return tracker;
  }
}

function pick(series: BestValue[], maximize: boolean): BestValue {
  let best = series[0];
  for (const s of series) if (maximize ? s.value > best.value : s.value < best.value) best = s;
  return { value: best.value, epoch: best.epoch };
}

registerMetric(MetricTracker);
