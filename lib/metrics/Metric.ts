import { MetricStateError } from "../errors/index.js";

/**
 * The serialised state of a metric: plain, JSON-safe, versioned. `JSON.parse(JSON.stringify(state))` gives
 * back an equal object, and `fromJSON` / `merge` accept it.
 *
 * @example
 * ```ts
 * const state: MetricStateJSON = new HingeLoss().update([0.5], [1]).toJSON();
 * state.kind; // => "HingeLoss"
 * ```
 */
export interface MetricStateJSON {
  /** The metric class, e.g. `"HingeLoss"`. */
  readonly kind: string;
  /** The state format version. */
  readonly version: number;
  /** The resolved options the state was accumulated with. */
  readonly options: object;
}

/**
 * How a metric's state is made, copied, merged, serialised and read back: declared once per metric class, so
 * that reset, forward, clone, merge, toJSON and fromJSON are generic (as torchmetrics' `add_state`).
 */
export interface StateSpec<S, V, O, J extends MetricStateJSON> {
  /** Class name written into states. */
  readonly kind: string;
  /** State format version. */
  readonly version: number;
  /** A fresh state. */
  empty(options: O): S;
  /** A fresh state that keeps what fixes the shape (e.g. the task) of `like`, for a batch value. */
  emptyLike(like: S, options: O): S;
  /** Copies `from` into `into` (reusing it when given) and returns the copy. */
  copy(from: S, into: S | null): S;
  /** Adds a batch into a state (may leave it half-updated on error: callers pass a copy). */
  update(state: S, preds: unknown, target: unknown, weights: unknown, options: O): void;
  /** Merges `from` into `into` exactly; throws `MetricStateError` before mutating if incompatible. */
  merge(into: S, from: S): void;
  /** The metric value. */
  compute(state: S, options: O): V;
  /** The state part of the JSON form (without kind, version, options). */
  encode(state: S): Omit<J, "kind" | "version" | "options">;
  /** Reads a JSON state (untrusted) into a state and its options; throws `MetricStateError`. */
  decode(json: unknown): { state: S; options: O };
  /** JSON form of the options. */
  encodeOptions(options: O): J["options"];
  /**
   * Optional, for speed: saves what an update may change into `into` (reused when given), so that a failed
   * update can be undone with {@link StateSpec.restore} instead of working on a full copy.
   */
  snapshot?(state: S, into: unknown): unknown;
  /** Undoes a failed update: puts `state` back exactly as `snapshot` saw it. */
  restore?(state: S, snapshot: unknown): void;
}

/**
 * Base class of every metric: stateful accumulation over batches (`update` / `compute` / `reset`), the value
 * of one batch (`forward`), exact merging of states across workers (`merge`), and a versioned JSON state
 * (`toJSON` / `fromJSON`). A call that throws leaves the metric exactly as it was.
 *
 * @typeParam V - the value type returned by `compute`
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics";
 * const metric = new HingeLoss();
 * metric.update([-2.2, 2.4], [0, 1]).update([0.1], [1]);
 * metric.compute(); // => 0.3
 * ```
 */
export abstract class Metric<
  V = unknown,
  S = unknown,
  O = unknown,
  J extends MetricStateJSON = MetricStateJSON,
> {
  /** The resolved options. */
  readonly options: Readonly<O>;
  /** The state declaration. */
  protected readonly spec: StateSpec<S, V, O, J>;
  /** The running state. */
  protected state: S;
  private scratch: S | null = null;
  private saved: unknown = null;

  /**
   * @param spec - the state declaration of the subclass
   * @param options - resolved options
   */
  protected constructor(spec: StateSpec<S, V, O, J>, options: O) {
    this.spec = spec;
    this.options = Object.freeze(options);
    this.state = spec.empty(options);
  }

  /**
   * Accumulates a batch. Returns `this` so calls chain.
   *
   * @param preds - predictions for the batch
   * @param target - targets for the batch
   * @param weights - optional per-sample weights
   * @returns this metric
   * @throws {@link MetricInputError} for a bad batch; the state is then unchanged
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).compute(); // => 0.3
   * ```
   */
  update(preds: unknown, target: unknown, weights?: unknown): this {
    const spec = this.spec;
    if (spec.snapshot !== undefined && spec.restore !== undefined) {
      // Save the few fields an update can touch, update in place, and put them back if the batch is bad.
      const saved = spec.snapshot(this.state, this.saved);
      this.saved = saved;
      try {
        spec.update(this.state, preds, target, weights, this.options as O);
      } catch (error) {
        spec.restore(this.state, saved);
        throw error;
      }
      return this;
    }
    const work = spec.copy(this.state, this.scratch);
    this.scratch = null;
    spec.update(work, preds, target, weights, this.options as O);
    this.scratch = this.state;
    this.state = work;
    return this;
  }

  /**
   * The metric value over everything accumulated since construction or the last `reset()`.
   *
   * @returns the value
   * @throws {@link MetricStateError} when nothing was accumulated (never a silent NaN)
   * @example
   * ```ts
   * new HingeLoss().update([0.5], [1]).compute(); // => 0.5
   * ```
   */
  compute(): V {
    return this.spec.compute(this.state, this.options as O);
  }

  /**
   * Accumulates a batch and returns the running value: `update(preds, target, weights)` then `compute()`, in
   * one call (for the running value of a stream, which some metrics compute faster this way: `HingeLoss` does
   * for single-sample batches). A bad batch throws the `MetricInputError` of `update` with the state unchanged;
   * when the batch was accumulated but there is still nothing to compute from (e.g. every sample ignored), it
   * throws the `MetricStateError` of `compute` and the batch stays accumulated.
   *
   * @param preds - predictions for the batch
   * @param target - targets for the batch
   * @param weights - optional per-sample weights
   * @returns the value over everything accumulated, this batch included
   * @throws {@link MetricInputError} for a bad batch (state unchanged), {@link MetricStateError} when nothing
   * can be computed yet
   * @example
   * ```ts
   * const m = new HingeLoss();
   * m.updateAndCompute([2.0], [1]); // => 0
   * m.updateAndCompute([0.0], [1]); // => 0.5
   * ```
   */
  updateAndCompute(preds: unknown, target: unknown, weights?: unknown): V {
    this.update(preds, target, weights);
    return this.compute();
  }

  /**
   * Forgets everything accumulated.
   *
   * @returns this metric
   * @example
   * ```ts
   * const m = new HingeLoss().update([0.5], [1]);
   * m.reset().update([2], [1]).compute(); // => 0
   * ```
   */
  reset(): this {
    this.state = this.spec.empty(this.options as O);
    this.scratch = null;
    return this;
  }

  /**
   * The value of this batch alone; the batch is also accumulated into the running state (as torchmetrics'
   * `forward`). Nothing is accumulated when the call throws.
   *
   * @param preds - predictions for the batch
   * @param target - targets for the batch
   * @param weights - optional per-sample weights
   * @returns the batch value
   * @throws {@link MetricInputError} for a bad batch, {@link MetricStateError} for a batch with no samples
   * @example
   * ```ts
   * const m = new HingeLoss();
   * m.forward([2.0], [1]); // => 0
   * m.forward([0.0], [1]); // => 1
   * m.compute(); // => 0.5
   * ```
   */
  forward(preds: unknown, target: unknown, weights?: unknown): V {
    const batch = this.spec.emptyLike(this.state, this.options as O);
    this.spec.update(batch, preds, target, weights, this.options as O);
    const value = this.spec.compute(batch, this.options as O);
    const next = this.spec.copy(this.state, null);
    this.spec.merge(next, batch);
    this.state = next;
    return value;
  }

  /**
   * Merges other metrics of the same kind and options, or their JSON states, into this one, exactly: the
   * result is bit-identical to one metric that saw all the samples. Associative and commutative; the
   * arguments are unchanged.
   *
   * @param others - metrics or JSON states (untrusted JSON is validated)
   * @returns this metric
   * @throws {@link MetricStateError} naming what differs (kind, version, options, task, class count) or what
   * is malformed; this metric is then unchanged
   * @example
   * ```ts
   * const a = new HingeLoss().update([-2.2], [0]);
   * const b = new HingeLoss().update([2.4, 0.1], [1, 1]);
   * a.merge(b.toJSON()).compute(); // => 0.3
   * ```
   */
  merge(...others: (Metric<V, S, O, J> | MetricStateJSON)[]): this {
    const next = this.spec.copy(this.state, null);
    for (const other of others) this.spec.merge(next, this.stateOf(other));
    this.state = next;
    this.scratch = null;
    return this;
  }

  /**
   * The state as a plain, JSON-safe, versioned object (exact: sums are written as hex floats).
   *
   * @returns the JSON state
   * @example
   * ```ts
   * new HingeLoss().update([0.5], [1]).toJSON();
   * // => { kind: "HingeLoss", version: 1, options: {...}, task: "binary", numClasses: null,
   * //      measure: ["0x1p-1"], total: "0x1p+0", samples: 1 }
   * ```
   */
  toJSON(): J {
    return {
      kind: this.spec.kind,
      version: this.spec.version,
      options: this.spec.encodeOptions(this.options as O),
      ...this.spec.encode(this.state),
    } as J;
  }

  /**
   * An independent copy with the same options and state.
   *
   * @returns the copy
   * @example
   * ```ts
   * const a = new HingeLoss().update([0.5], [1]);
   * const b = a.clone().update([3], [1]);
   * [a.compute(), b.compute()]; // => [0.5, 0.25]
   * ```
   */
  clone(): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this);
    (copy as unknown as { state: S }).state = this.spec.copy(this.state, null);
    (copy as unknown as { scratch: S | null }).scratch = null;
    (copy as unknown as { saved: unknown }).saved = null;
    return copy;
  }

  /** The state of another metric or JSON state, checked for kind and options. */
  protected stateOf(other: Metric<V, S, O, J> | MetricStateJSON): S {
    if (other instanceof Metric) {
      if (other.spec.kind !== this.spec.kind) {
        throw new MetricStateError(
          `cannot merge a ${other.spec.kind} into a ${this.spec.kind}: the kinds differ`,
        );
      }
      this.checkOptions(other.spec.encodeOptions(other.options as O));
      return other.state as S;
    }
    const decoded = this.spec.decode(other);
    this.checkOptions(this.spec.encodeOptions(decoded.options));
    return decoded.state;
  }

  private checkOptions(theirsIn: object): void {
    const theirs = theirsIn as Record<string, unknown>;
    const mine = this.spec.encodeOptions(this.options as O) as Record<string, unknown>;
    for (const key of Object.keys(mine)) {
      if (!Object.is(mine[key], theirs[key])) {
        throw new MetricStateError(
          `cannot merge ${this.spec.kind} states with different options: ${key} is ${JSON.stringify(theirs[key])} there and ${JSON.stringify(mine[key])} here`,
        );
      }
    }
  }
}
