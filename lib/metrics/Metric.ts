import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import { Fixed, type StateField, type StateValue } from "../state/index.js";
import type { MetricClass } from "./registry.js";
import {
  checkFiniteValue,
  checkSameOptions,
  constructFromState,
  decodeFields,
  inputErrorOf,
  mergeFields,
  type LooseState,
  type MetricStateJSON,
} from "./metricState.js";

export type { LooseState, MetricStateJSON } from "./metricState.js";

const RESERVED = new Set(["kind", "version", "options", "__proto__", "constructor", "prototype"]);

/**
 * `x instanceof Metric`, for untrusted values: a Proxy whose `getPrototypeOf` trap throws is not a metric
 * (it is then read as a JSON state, and refused as one with a `MetricStateError`), never a raw error.
 *
 * @param x - any value
 * @returns whether `x` is a metric
 * @example
 * ```ts
 * isMetric(new HingeLoss()); // => true
 * isMetric(new Proxy({}, { getPrototypeOf() { throw new Error("no"); } })); // => false
 * ```
 */
export function isMetric(x: unknown): x is Metric {
  try {
    return x instanceof Metric;
  } catch {
    return false;
  }
}

/**
 * Base class of every metric: stateful accumulation over batches (`update` / `compute` / `reset`), the value
 * of one batch (`forward`), exact merging of states across workers (`merge`), and a versioned JSON state
 * (`toJSON` / `fromJSON`). A call that throws leaves the metric exactly as it was.
 *
 * A metric declares its state fields in its constructor with {@link Metric.addState} (`exactSum`, `count`,
 * `maxOf`, `minOf`, `fixed` from the state module), reads a batch in {@link Metric.updateState} and derives
 * its value in {@link Metric.computeValue}; the base derives everything else from the declarations. Give the
 * class a static `kind` and `version` and register it with `registerMetric` so its states can be restored
 * by kind.
 *
 * @typeParam V - the value type returned by `compute`
 * @typeParam S - the state: `{ fieldName: fieldValue }` (any field by name when omitted)
 * @typeParam O - the resolved options (JSON data)
 * @typeParam J - the JSON state type
 * @example
 * ```ts
 * import { Metric, exactSum, readTensor } from "streammetrics";
 * class MeanValue extends Metric<number> {
 *   static readonly kind = "doc.MeanValue";
 *   static readonly version = 1;
 *   constructor() {
 *     super({});
 *     this.addState("sum", exactSum());
 *     this.addState("n", exactSum());
 *   }
 *   protected updateState(values: unknown): void {
 *     const v = readTensor(values, "values");
 *     for (let i = 0; i < v.size; i++) this.state.sum.add(v.data[i]);
 *     this.state.n.add(v.size);
 *   }
 *   protected computeValue(): number {
 *     return this.state.sum.ratio(this.state.n);
 *   }
 * }
 * // registerMetric(MeanValue) once, so that its states can be restored by kind
 * new MeanValue().update([1, 2]).update([6]).compute(); // => 3
 * ```
 */
export abstract class Metric<
  V = unknown,
  S = LooseState,
  O = object,
  J extends MetricStateJSON = MetricStateJSON,
> {
  /** The resolved options (frozen; `toJSON().options` is a copy of them). */
  readonly options: Readonly<O>;
  /** The running state: one value per declared field (`this.state.<name>`). */
  protected state: S;
  private readonly fieldNames: string[] = [];
  private readonly fieldDecls: StateField<StateValue>[] = [];
  private snapshots: unknown[] = [];

  /**
   * @param options - the resolved options, as JSON data (written into states and compared on merge)
   * @throws {@link InvalidOptionsError} when `options` is not an object
   */
  protected constructor(options?: O) {
    const opts = (options ?? {}) as O;
    if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
      throw new InvalidOptionsError(`options must be an object, got ${String(opts)}`);
    }
    this.options = Object.freeze(opts);
    this.state = {} as S;
  }

  /**
   * Declares a state field (as torchmetrics' `add_state`): call it in the constructor, once per field. The
   * field's empty value is installed as `this.state[name]`; reset, update atomicity, forward, clone, merge,
   * toJSON and fromJSON follow from the declarations.
   *
   * @param name - the field name (a JSON key of the state; not `kind`, `version` or `options`)
   * @param field - the declaration: `exactSum()`, `count()`, `maxOf()`, `minOf()`, `fixed(schema)`, …
   * @returns the field's (empty) value
   * @throws TypeError for a reserved or repeated name
   */
  protected addState<T extends StateValue>(name: string, field: StateField<T>): T {
    if (RESERVED.has(name) || this.fieldNames.includes(name) || !/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new TypeError(
        `addState(${JSON.stringify(name)}): the name is reserved, repeated or not an identifier`,
      );
    }
    const value = field.empty();
    this.fieldNames.push(name);
    this.fieldDecls.push(field as StateField<StateValue>);
    (this.state as Record<string, StateValue>)[name] = value;
    return value;
  }

  /**
   * Reads one batch into `this.state` (declared-field metrics implement it). It may throw at any point: the
   * base restores every field exactly as it was.
   *
   * @param preds - the first argument of `update`
   * @param target - the second argument
   * @param weights - the third argument
   */
  protected updateState(preds: unknown, target: unknown, weights: unknown): void {
    void preds;
    void target;
    void weights;
    throw new TypeError(`${this.kind} declares no updateState`);
  }

  /**
   * The value from `this.state` (declared-field metrics implement it). A value that would be 0/0 throws a
   * `MetricStateError` (as `ExactSum.ratio` by a zero sum does), never NaN.
   *
   * @returns the value
   */
  protected computeValue(): V {
    throw new TypeError(`${this.kind} declares no computeValue`);
  }

  /**
   * Extra consistency checks of a decoded state (e.g. "a positive sum needs a positive count"); throw a
   * `MetricStateError` to refuse it. Called by `fromJSON` after every field was decoded.
   */
  protected validateState(): void {}

  /**
   * Folds into the declared fields whatever the metric holds outside them (HingeLoss' stream accumulator,
   * which takes single samples and small batches between two of its own updates). The base calls it before
   * it reads, copies, snapshots, restores, resets, replaces or merges the state (and on the other metric of
   * a merge); the default does nothing.
   */
  protected syncState(): void {}

  /**
   * The options written into states and compared on merge: every option that changes results, in resolved
   * form, such that `new Cls(stateOptions())` is the same metric. The default is `options`; a
   * facade whose constructor takes other options (e.g. torchmetrics' `inputTransform`) returns those.
   *
   * @returns JSON data
   * @example
   * ```ts
   * new HingeLoss({ squared: true }).stateOptions(); // => { squared: true, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: null }
   * ```
   */
  stateOptions(): object {
    return this.options as object;
  }

  /**
   * The kind written into states (the class's static `kind`).
   *
   * @example
   * ```ts
   * new HingeLoss().kind; // => "HingeLoss"
   * ```
   */
  get kind(): string {
    return (this.constructor as MetricClass).kind;
  }

  private get stateVersion(): number {
    return (this.constructor as MetricClass).version;
  }

  /**
   * Accumulates a batch. Returns `this` so calls chain.
   *
   * @param preds - predictions for the batch (or the values, for an aggregation metric)
   * @param target - targets for the batch (or weights, for an aggregation metric)
   * @param weights - optional per-sample weights
   * @returns this metric
   * @throws {@link MetricInputError} for a bad batch; the state is then unchanged
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).compute(); // => 0.3
   * ```
   */
  update(preds: unknown, target?: unknown, weights?: unknown): this {
    try {
      this.atomically(() => this.updateState(preds, target, weights));
    } catch (error) {
      throw inputErrorOf(error, [
        ["preds", preds],
        ["target", target],
        ["weights", weights],
      ]);
    }
    return this;
  }

  /**
   * Runs `change` on the declared fields in place and puts every field back exactly as it was if it throws
   * (a snapshot of what an update can touch, not a copy of the state).
   *
   * @param change - writes into `this.state`
   */
  protected atomically(change: () => void): void {
    this.syncState();
    const names = this.fieldNames;
    const state = this.state as Record<string, StateValue>;
    const snaps = this.snapshots;
    for (let i = 0; i < names.length; i++) snaps[i] = state[names[i]].snapshot(snaps[i]);
    try {
      change();
    } catch (error) {
      for (let i = 0; i < names.length; i++) state[names[i]].restore(snaps[i]);
      throw error;
    }
  }

  /**
   * An undo point for containers (e.g. `MetricCollection`, which updates several metrics as one): saves
   * everything an update, forward or merge can change, for `restoreState()`. Cheap for declared
   * fields (what an update can touch, not a copy of the state).
   *
   * @returns an opaque snapshot
   * @example
   * ```ts
   * const m = new HingeLoss().update([0.5], [1]);
   * const saved = m.snapshotState();
   * m.update([3], [0]);
   * m.restoreState(saved);
   * m.compute(); // => 0.5
   * ```
   */
  snapshotState(): unknown {
    this.syncState();
    const state = this.state as Record<string, StateValue>;
    return this.fieldNames.map((name) => [state[name], state[name].snapshot(undefined)] as const);
  }

  /**
   * Puts the state back exactly as `snapshotState()` saw it.
   *
   * @param saved - a snapshot of this metric
   */
  restoreState(saved: unknown): void {
    this.syncState();
    const state = this.state as Record<string, StateValue>;
    (saved as [StateValue, unknown][]).forEach(([value, snap], i) => {
      value.restore(snap);
      state[this.fieldNames[i]] = value;
    });
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
    this.syncState();
    return this.computeValue();
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
  updateAndCompute(preds: unknown, target?: unknown, weights?: unknown): V {
    this.update(preds, target, weights);
    return this.compute();
  }

  /**
   * Forgets everything accumulated (every field back to its declared empty value).
   *
   * @returns this metric
   * @example
   * ```ts
   * const m = new HingeLoss().update([0.5], [1]);
   * m.reset().update([2], [1]).compute(); // => 0
   * ```
   */
  reset(): this {
    this.syncState();
    const state = this.state as Record<string, StateValue>;
    this.fieldNames.forEach((name, i) => (state[name] = this.fieldDecls[i].empty()));
    this.snapshots = [];
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
  forward(preds: unknown, target?: unknown, weights?: unknown): V {
    this.syncState();
    const main = this.state as Record<string, StateValue>;
    const batch: Record<string, StateValue> = {};
    // fixed fields (a task, a class count) carry over, so the batch is checked against them
    this.fieldNames.forEach((name, i) => {
      const value = main[name];
      batch[name] = value instanceof Fixed ? value.copy() : this.fieldDecls[i].empty();
    });
    const saved = this.snapshots;
    this.snapshots = [];
    let value: V;
    this.state = batch as S;
    try {
      this.updateState(preds, target, weights);
      value = this.computeValue();
    } catch (error) {
      throw inputErrorOf(error, [
        ["preds", preds],
        ["target", target],
        ["weights", weights],
      ]);
    } finally {
      this.state = main as S;
      this.snapshots = saved;
    }
    mergeFields(this.fieldNames, main, [batch]);
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
    this.syncState();
    const states = others.map((other) => this.stateOf(other) as Record<string, StateValue>);
    mergeFields(this.fieldNames, this.state as Record<string, StateValue>, states);
    return this;
  }

  /**
   * The state as a plain, JSON-safe, versioned object: `{ kind, version, options, ...fields }` (exact: sums
   * are written as hex floats).
   *
   * @returns the JSON state
   * @example
   * ```ts
   * const json = new HingeLoss().update([0.5], [1]).toJSON();
   * [json.kind, json.version]; // => ["HingeLoss", 1]
   * ```
   */
  toJSON(): J {
    const out: Record<string, unknown> = {
      kind: this.kind,
      version: this.stateVersion,
      options: JSON.parse(JSON.stringify(this.stateOptions())) as unknown,
    };
    this.syncState();
    const state = this.state as Record<string, StateValue>;
    for (const name of this.fieldNames) out[name] = state[name].toJSON();
    return out as unknown as J;
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
    this.syncState();
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    const c = copy as unknown as { state: unknown; snapshots: unknown[] };
    c.snapshots = [];
    const state = this.state as Record<string, StateValue>;
    const out: Record<string, StateValue> = {};
    for (const name of this.fieldNames) out[name] = state[name].copy();
    c.state = out;
    return copy;
  }

  /**
   * Rebuilds a metric from a JSON state, as untrusted input: plain JSON data only, the class's kind and
   * version, options that its constructor accepts, every declared field decoded by its own decoder (no
   * missing or extra keys), the class's own consistency checks, and a finite value. Nothing is shared with
   * the argument.
   *
   * @param json - a state from `toJSON()`, possibly via `JSON.parse`
   * @returns a new metric with that state and its options
   * @throws {@link MetricStateError} for a malformed, forged or mismatched state
   * @example
   * ```ts
   * const json = JSON.parse(JSON.stringify(new HingeLoss().update([0.5], [1])));
   * HingeLoss.fromJSON(json).compute(); // => 0.5
   * ```
   */
  static fromJSON(json: unknown): Metric {
    const cls = this as unknown as MetricClass;
    try {
      const { metric, raw } = constructFromState(cls, json);
      metric.installState(raw);
      return metric;
    } catch (error) {
      if (error instanceof MetricStateError) throw error;
      throw new MetricStateError(
        `invalid ${cls.kind} state: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  /**
   * Installs the fields of an untrusted JSON state into this (new) metric: every declared field decoded by
   * its own decoder, no missing or extra keys, `validateState()`, and a finite value. For a
   * subclass's own static `fromJSON` that builds the metric itself (e.g. from a wrapped metric).
   *
   * @param raw - the state object (checked to be plain JSON, with the right kind and version)
   * @throws {@link MetricStateError} naming what is wrong
   */
  protected installState(raw: Record<string, unknown>): void {
    this.syncState();
    const state = this.state as Record<string, StateValue>;
    Object.assign(state, decodeFields(this.kind, this.fieldNames, this.fieldDecls, raw));
    this.validateState();
    checkFiniteValue(this.kind, () => this.computeValue());
  }

  /** The state of another metric or JSON state, checked for kind, version and options. */
  protected stateOf(other: Metric<V, S, O, J> | MetricStateJSON): S {
    const theirs = isMetric(other) ? other : (this.constructor as MetricClass).fromJSON(other);
    if (theirs.kind !== this.kind || theirs.stateVersion !== this.stateVersion) {
      throw new MetricStateError(
        `cannot merge a ${theirs.kind} (version ${theirs.stateVersion}) into a ${this.kind} (version ${this.stateVersion}): the kinds differ`,
      );
    }
    checkSameOptions(this.kind, this.stateOptions(), theirs.stateOptions());
    (theirs as Metric<V, S, O, J>).syncState();
    return (theirs as Metric<V, S, O, J>).state;
  }
}
