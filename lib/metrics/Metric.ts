import { InvalidOptionsError, MetricInputError, MetricStateError } from "../errors/index.js";
import { Fixed, assertPlainJson, type StateField, type StateValue } from "../state/index.js";
import type { MetricClass } from "./registry.js";

/** Reads every element of `value` (two levels of nesting), so that a hostile one throws here. */
function touch(value: unknown, depth: number): void {
  if (value === null || typeof value !== "object") {
    if (typeof value === "bigint" && depth > 0) throw new TypeError("an element is a BigInt, not a number");
    return;
  }
  Object.getPrototypeOf(value);
  if (ArrayBuffer.isView(value)) return;
  Reflect.ownKeys(value);
  const length = (value as { length?: unknown }).length;
  if (typeof length !== "number" || depth >= 2) return;
  const list = value as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) touch(list[i], depth + 1);
}

/**
 * The error to throw for a failed update or forward: our own errors as they are; anything else thrown while
 * the arguments were read (a getter, a Proxy trap, a BigInt in the arithmetic) becomes a `MetricInputError`
 * naming the argument that cannot be read. A failure that no argument explains (a defect of ours) is rethrown.
 */
function inputErrorOf(error: unknown, args: readonly [string, unknown][]): unknown {
  if (
    error instanceof MetricInputError ||
    error instanceof MetricStateError ||
    error instanceof InvalidOptionsError
  ) {
    return error;
  }
  for (const [name, value] of args) {
    try {
      touch(value, 0);
    } catch (cause) {
      return new MetricInputError(
        `${name} could not be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
  }
  return error;
}

/**
 * The state of a metric that does not name its state type: any field by name (pass the state type as the
 * second type argument of {@link Metric} for full typing).
 *
 * @example
 * ```ts
 * const state: LooseState = { total: exactSum().empty() };
 * state.total.isZero(); // => true
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseState = Record<string, any>;

const RESERVED = new Set(["kind", "version", "options", "__proto__", "constructor", "prototype"]);

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function isSpec(x: unknown): boolean {
  return x !== null && typeof x === "object" && typeof (x as { empty?: unknown }).empty === "function";
}

function isFiniteValue(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isFiniteValue);
  if (v !== null && typeof v === "object") return Object.values(v).every(isFiniteValue);
  return true;
}

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
  /** A hand-written state declaration (metrics that predate declared fields); undefined for declared ones. */
  protected readonly spec: StateSpec<S, V, O, J> | undefined;
  private readonly fieldNames: string[] = [];
  private readonly fieldDecls: StateField<StateValue>[] = [];
  private snapshots: unknown[] = [];
  private scratch: S | null = null;
  private saved: unknown = null;

  /**
   * @param options - the resolved options, as JSON data (written into states and compared on merge)
   */
  protected constructor(options?: O);
  /**
   * @param spec - a hand-written state declaration
   * @param options - the resolved options
   */
  protected constructor(spec: StateSpec<S, V, O, J>, options: O);
  protected constructor(specOrOptions?: O | StateSpec<S, V, O, J>, options?: O) {
    if (options !== undefined && isSpec(specOrOptions)) {
      const spec = specOrOptions as StateSpec<S, V, O, J>;
      this.spec = spec;
      this.options = Object.freeze(options);
      this.state = spec.empty(options);
      return;
    }
    this.spec = undefined;
    const opts = (specOrOptions ?? {}) as O;
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
    return this.spec?.kind ?? (this.constructor as MetricClass).kind;
  }

  private get stateVersion(): number {
    return this.spec?.version ?? (this.constructor as MetricClass).version;
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
    const spec = this.spec;
    if (spec === undefined) {
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
    const work = spec.copy(this.state, null);
    this.scratch = null;
    spec.update(work, preds, target, weights, this.options as O);
    this.state = work;
    return this;
  }

  /**
   * Runs `change` on the declared fields in place and puts every field back exactly as it was if it throws
   * (a snapshot of what an update can touch, not a copy of the state).
   *
   * @param change - writes into `this.state`
   */
  protected atomically(change: () => void): void {
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
    if (this.spec !== undefined) return this.spec.copy(this.state, null);
    const state = this.state as Record<string, StateValue>;
    return this.fieldNames.map((name) => [state[name], state[name].snapshot(undefined)] as const);
  }

  /**
   * Puts the state back exactly as `snapshotState()` saw it.
   *
   * @param saved - a snapshot of this metric
   */
  restoreState(saved: unknown): void {
    if (this.spec !== undefined) {
      this.state = saved as S;
      return;
    }
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
    return this.spec === undefined ? this.computeValue() : this.spec.compute(this.state, this.options as O);
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
    if (this.spec !== undefined) {
      this.state = this.spec.empty(this.options as O);
      this.scratch = null;
      return this;
    }
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
    if (this.spec !== undefined) {
      const batch = this.spec.emptyLike(this.state, this.options as O);
      this.spec.update(batch, preds, target, weights, this.options as O);
      const value = this.spec.compute(batch, this.options as O);
      const next = this.spec.copy(this.state, null);
      this.spec.merge(next, batch);
      this.state = next;
      return value;
    }
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
    this.mergeStatesInto(main, [batch]);
    return value;
  }

  /** Merges `states` into `into`: every check first, so `into` is untouched when one fails. */
  private mergeStatesInto(into: Record<string, StateValue>, states: Record<string, StateValue>[]): void {
    const names = this.fieldNames;
    if (states.length === 1) {
      const from = states[0];
      for (const name of names) into[name].checkMerge(from[name], name);
      for (const name of names) into[name].mergeFrom(from[name]);
      return;
    }
    const next: Record<string, StateValue> = {};
    for (const name of names) next[name] = into[name].copy();
    for (const from of states) {
      for (const name of names) next[name].checkMerge(from[name], name);
      for (const name of names) next[name].mergeFrom(from[name]);
    }
    for (const name of names) into[name] = next[name];
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
    if (this.spec !== undefined) {
      const next = this.spec.copy(this.state, null);
      for (const other of others) this.spec.merge(next, this.stateOf(other));
      this.state = next;
      this.scratch = null;
      return this;
    }
    const states = others.map((other) => this.stateOf(other) as Record<string, StateValue>);
    this.mergeStatesInto(this.state as Record<string, StateValue>, states);
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
    if (this.spec !== undefined) {
      return {
        kind: this.spec.kind,
        version: this.spec.version,
        options: this.spec.encodeOptions(this.options as O),
        ...this.spec.encode(this.state),
      } as J;
    }
    const out: Record<string, unknown> = {
      kind: this.kind,
      version: this.stateVersion,
      options: JSON.parse(JSON.stringify(this.stateOptions())) as unknown,
    };
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
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this);
    const c = copy as unknown as { state: unknown; scratch: unknown; saved: unknown; snapshots: unknown[] };
    c.scratch = null;
    c.saved = null;
    c.snapshots = [];
    if (this.spec !== undefined) {
      c.state = this.spec.copy(this.state, null);
      return copy;
    }
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
      return Metric.decode(cls, json);
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
    const expected = new Set(["kind", "version", "options", ...this.fieldNames]);
    for (const key of Object.keys(raw)) {
      if (!expected.has(key)) {
        throw new MetricStateError(
          `invalid ${this.kind} state: unexpected key ${JSON.stringify(key)} (expected ${[...expected].join(", ")})`,
        );
      }
    }
    const state = this.state as Record<string, StateValue>;
    this.fieldNames.forEach((name, i) => {
      if (!Object.hasOwn(raw, name)) {
        throw new MetricStateError(
          `invalid ${this.kind} state: the field ${JSON.stringify(name)} is missing`,
        );
      }
      state[name] = this.fieldDecls[i].decode(raw[name], `state.${name}`);
    });
    this.validateState();
    let value: unknown;
    try {
      value = this.computeValue();
    } catch (error) {
      if (error instanceof MetricStateError) return; // nothing to compute from yet: an empty state
      throw error;
    }
    if (!isFiniteValue(value)) {
      throw new MetricStateError(`invalid ${this.kind} state: its value would not be finite`);
    }
  }

  /** The state of another metric or JSON state, checked for kind, version and options. */
  protected stateOf(other: Metric<V, S, O, J> | MetricStateJSON): S {
    if (this.spec !== undefined) {
      if (isMetric(other)) {
        if (other.kind !== this.kind) {
          throw new MetricStateError(`cannot merge a ${other.kind} into a ${this.kind}: the kinds differ`);
        }
        this.checkOptions(this.spec.encodeOptions(other.options as O));
        return (other as Metric<V, S, O, J>).state;
      }
      const decoded = this.spec.decode(other);
      this.checkOptions(this.spec.encodeOptions(decoded.options));
      return decoded.state;
    }
    const theirs = isMetric(other) ? other : (this.constructor as MetricClass).fromJSON(other);
    if (theirs.kind !== this.kind || theirs.stateVersion !== this.stateVersion) {
      throw new MetricStateError(
        `cannot merge a ${theirs.kind} (version ${theirs.stateVersion}) into a ${this.kind} (version ${this.stateVersion}): the kinds differ`,
      );
    }
    this.checkOptions(theirs.stateOptions());
    return (theirs as Metric<V, S, O, J>).state;
  }

  private checkOptions(theirsIn: object): void {
    const theirs = theirsIn as Record<string, unknown>;
    const mine = (
      this.spec === undefined ? this.stateOptions() : this.spec.encodeOptions(this.options as O)
    ) as Record<string, unknown>;
    const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
    for (const key of keys) {
      if (canonical(mine[key]) !== canonical(theirs[key])) {
        throw new MetricStateError(
          `cannot merge ${this.kind} states with different options: ${key} is ${JSON.stringify(theirs[key]) ?? "absent"} there and ${JSON.stringify(mine[key]) ?? "absent"} here`,
        );
      }
    }
  }

  /** Decodes an untrusted state into a new metric of `cls` (see {@link Metric.fromJSON}). */
  private static decode(cls: MetricClass, json: unknown): Metric {
    assertPlainJson(json, "state");
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new MetricStateError(`a ${cls.kind} state must be an object`);
    }
    const raw = json as Record<string, unknown>;
    if (raw.kind !== cls.kind) {
      throw new MetricStateError(
        `expected a ${cls.kind} state, got kind ${JSON.stringify(raw.kind) ?? "undefined"}`,
      );
    }
    if (raw.version !== cls.version) {
      throw new MetricStateError(
        `${cls.kind} state version ${JSON.stringify(raw.version) ?? "undefined"} is not supported (expected ${cls.version})`,
      );
    }
    if (raw.options === null || typeof raw.options !== "object" || Array.isArray(raw.options)) {
      throw new MetricStateError(`invalid ${cls.kind} state: options must be an object`);
    }
    let metric: Metric;
    try {
      metric = new cls(raw.options);
    } catch (error) {
      if (error instanceof InvalidOptionsError) {
        throw new MetricStateError(`invalid ${cls.kind} state: options: ${error.message}`);
      }
      throw error;
    }
    if (canonical(metric.stateOptions()) !== canonical(raw.options)) {
      throw new MetricStateError(
        `invalid ${cls.kind} state: options must be in resolved form, ${canonical(metric.stateOptions())}, got ${canonical(raw.options)}`,
      );
    }
    metric.installState(raw);
    return metric;
  }
}
