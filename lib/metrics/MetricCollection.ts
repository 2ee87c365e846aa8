import { z } from "zod";
import { InvalidOptionsError, MetricInputError, MetricStateError } from "../errors/index.js";
import { describe } from "../options/index.js";
import { assertPlainJson } from "../state/index.js";
import "./hinge/index.js"; // registers the kind its states name
import { registerMetric, restoreMetric } from "./registry.js";
import { Metric, isMetric, type MetricStateJSON } from "./Metric.js";

/**
 * Any metric, whatever its value, state and options types: what a {@link MetricCollection} holds and what
 * {@link mergeStates} takes.
 *
 * @example
 * ```ts
 * const metric: AnyMetric = new HingeLoss();
 * metric.update([0.5], [1]).compute(); // => 0.5
 * ```
 */
export type AnyMetric = Metric<unknown, unknown, unknown, MetricStateJSON>;

/**
 * The value of a {@link MetricCollection}: one entry per member, with that member's value type.
 *
 * @example
 * ```ts
 * const value: CollectionValue<{ hinge: HingeLoss }> = { hinge: 0.3 };
 * ```
 */
export type CollectionValue<
  M extends Record<string, AnyMetric>,
  P extends string = "",
  S extends string = "",
> = {
  [K in keyof M & string as `${P}${K}${S}`]: ReturnType<M[K]["compute"]>;
};

/**
 * The JSON state of a {@link MetricCollection}: the members' own JSON states by name, and its options
 * (`prefix` / `postfix` when set; `{}` otherwise).
 *
 * @example
 * ```ts
 * new MetricCollection({ hinge: new HingeLoss() }).update([0.5], [1]).toJSON();
 * // => { kind: "MetricCollection", version: 1, options: {},
 * //      metrics: { hinge: { kind: "HingeLoss", version: 1, ..., measure: ["0x1p-1"], total: "0x1p+0", samples: 1 } } }
 * ```
 */
export interface MetricCollectionStateJSON extends MetricStateJSON {
  /** Always `"MetricCollection"`. */
  readonly kind: "MetricCollection";
  /** Format version, 1. */
  readonly version: 1;
  /** `prefix` and `postfix` when set. */
  readonly options: CollectionOptions;
  /** Each member's JSON state, by name. */
  readonly metrics: Record<string, MetricStateJSON>;
}

type Members = Map<string, AnyMetric>;

/**
 * Options of a {@link MetricCollection} (as torchmetrics'): `prefix` and `postfix` are put around each
 * member's name in the keys of `compute()` and `forward()`. They are written into the collection's state
 * (only when set).
 *
 * @example
 * ```ts
 * const options: CollectionOptions = { prefix: "val_" };
 * ```
 */
export interface CollectionOptions {
  /** Put before each name in the value's keys. */
  readonly prefix?: string;
  /** Put after each name in the value's keys. */
  readonly postfix?: string;
}

/** Longest member name, and most members a collection (or a collection state) may have. */
const MAX_NAME = 128;
const MAX_MEMBERS = 256;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Why `name` is not a valid member name, or `undefined` when it is. */
function nameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `must be a string, got ${describe(name)}`;
  if (name.length === 0) return "must not be empty";
  if (name.length > MAX_NAME) return `must have at most ${MAX_NAME} characters, got ${name.length}`;
  if (FORBIDDEN_NAMES.has(name)) return `must not be ${JSON.stringify(name)}`;
  if (!NAME.test(name)) {
    return `must start with a letter or "_" and hold only letters, digits, "_", "." and "-", got ${JSON.stringify(name)}`;
  }
  return undefined;
}

/** The same error class, its message prefixed with the member it came from. */
function inMember(name: string, error: unknown): unknown {
  const prefix = `metric "${name}": `;
  if (error instanceof MetricInputError) return new MetricInputError(prefix + error.message);
  if (error instanceof MetricStateError) return new MetricStateError(prefix + error.message);
  if (error instanceof InvalidOptionsError) return new InvalidOptionsError(prefix + error.message);
  return error;
}

function each<T>(members: Members, run: (member: AnyMetric, name: string) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const [name, member] of members) {
    try {
      out.set(name, run(member, name));
    } catch (error) {
      throw inMember(name, error);
    }
  }
  return out;
}

/**
 * Runs `change` on every member as one step: when it throws, every member is put back exactly as it was
 * (each member's own undo point; no copy of any state).
 */
function atomically<T>(members: Members, change: () => T): T {
  const saved = Array.from(members.values(), (member) => member.snapshotState());
  try {
    return change();
  } catch (error) {
    let i = 0;
    for (const member of members.values()) member.restoreState(saved[i++]);
    throw error;
  }
}

function listNames(names: Iterable<string>): string {
  return Array.from(names, (n) => JSON.stringify(n)).join(", ");
}

/** Checks that two collections hold the same names; `there` is the incoming one. */
function checkSameNames(here: Iterable<string>, there: Iterable<string>): void {
  const mine = new Set(here);
  const theirs = new Set(there);
  for (const name of theirs) {
    if (!mine.has(name)) {
      throw new MetricStateError(
        `cannot merge MetricCollection states with different members: unknown metric "${name}" (this collection has ${listNames(mine)})`,
      );
    }
  }
  for (const name of mine) {
    if (!theirs.has(name)) {
      throw new MetricStateError(
        `cannot merge MetricCollection states with different members: metric "${name}" is missing there (this collection has ${listNames(mine)})`,
      );
    }
  }
}

const affix = z.string().max(MAX_NAME);
const optionsSchema = z.strictObject({ prefix: affix.optional(), postfix: affix.optional() });

const collectionSchema = z.strictObject({
  kind: z.literal("MetricCollection"),
  version: z.literal(1),
  options: optionsSchema,
  metrics: z.record(z.string(), z.unknown()),
});

/**
 * {@link assertPlainJson}, with any other error (e.g. from a Proxy's trap) turned into a `MetricStateError`.
 *
 * @param json - an untrusted value
 * @param what - how to name it
 * @throws {@link MetricStateError} when it is not plain JSON data
 * @example
 * ```ts
 * assertPlainState(JSON.parse('{"a": 1}'), "state"); // passes
 * ```
 */
export function assertPlainState(json: unknown, what: string): void {
  try {
    assertPlainJson(json, what);
  } catch (error) {
    if (error instanceof MetricStateError) throw error;
    throw new MetricStateError(`${what} could not be read as plain JSON data: ${String(error)}`);
  }
}

/**
 * Structural checks of an untrusted collection state; returns its options and members' JSON states. Anything
 * thrown while it is read (a Proxy trap) is a `MetricStateError` too.
 */
function readCollectionJSON(json: unknown): { options: CollectionOptions; states: Map<string, unknown> } {
  try {
    return readCollectionFields(json);
  } catch (error) {
    if (error instanceof MetricStateError) throw error;
    throw new MetricStateError(`invalid MetricCollection state: it could not be read: ${String(error)}`);
  }
}

function readCollectionFields(json: unknown): { options: CollectionOptions; states: Map<string, unknown> } {
  assertPlainState(json, "state");
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new MetricStateError(`invalid MetricCollection state: expected an object, got ${describe(json)}`);
  }
  const raw = json as Record<string, unknown>;
  if (raw.kind !== "MetricCollection") {
    throw new MetricStateError(`expected a MetricCollection state, got kind ${JSON.stringify(raw.kind)}`);
  }
  if (raw.version !== 1) {
    throw new MetricStateError(
      `MetricCollection state version ${JSON.stringify(raw.version)} is not supported (expected 1)`,
    );
  }
  const parsed = collectionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join(".") + ": " : "";
    throw new MetricStateError(`invalid MetricCollection state: ${where}${issue.message}`);
  }
  const names = Object.keys(parsed.data.metrics);
  if (names.length === 0) throw new MetricStateError("invalid MetricCollection state: metrics is empty");
  if (names.length > MAX_MEMBERS) {
    throw new MetricStateError(
      `invalid MetricCollection state: at most ${MAX_MEMBERS} metrics, got ${names.length}`,
    );
  }
  const out = new Map<string, unknown>();
  for (const name of names) {
    const problem = nameProblem(name);
    if (problem !== undefined) {
      throw new MetricStateError(`invalid MetricCollection state: metric name ${problem}`);
    }
    out.set(name, parsed.data.metrics[name]);
  }
  return { options: parsed.data.options, states: out };
}

/** Builds a member from its JSON state, by kind (any registered metric kind). */
function memberFromJSON(json: unknown): AnyMetric {
  return restoreMetric(json) as AnyMetric;
}

/** Reads the constructor argument into checked `[name, metric]` pairs. */
function readMembers(metrics: unknown): [string, AnyMetric][] {
  if (metrics === null || typeof metrics !== "object") {
    throw new InvalidOptionsError(
      `MetricCollection takes an object { name: metric } or [name, metric] pairs, got ${describe(metrics)}`,
    );
  }
  let pairs: unknown[];
  if (Symbol.iterator in metrics) {
    pairs = Array.from(metrics as Iterable<unknown>);
    pairs.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new InvalidOptionsError(`MetricCollection: entry ${i} must be a [name, metric] pair`);
      }
    });
  } else {
    pairs = Object.keys(metrics).map((name) => [name, (metrics as Record<string, unknown>)[name]]);
  }
  if (pairs.length === 0) throw new InvalidOptionsError("MetricCollection needs at least one metric");
  if (pairs.length > MAX_MEMBERS) {
    throw new InvalidOptionsError(
      `MetricCollection takes at most ${MAX_MEMBERS} metrics, got ${pairs.length}`,
    );
  }
  const seen = new Set<string>();
  return (pairs as [unknown, unknown][]).map(([name, metric]) => {
    const problem = nameProblem(name);
    if (problem !== undefined) throw new InvalidOptionsError(`MetricCollection: a metric name ${problem}`);
    const key = name as string;
    if (seen.has(key)) throw new InvalidOptionsError(`MetricCollection: duplicate metric name "${key}"`);
    seen.add(key);
    if (!(metric instanceof Metric)) {
      throw new InvalidOptionsError(`MetricCollection: "${key}" must be a metric, got ${describe(metric)}`);
    }
    return [key, metric as AnyMetric];
  });
}

/**
 * Several metrics fed by one call (as torchmetrics' `MetricCollection`): `update(preds, target)` updates
 * every member, `compute()` returns `{ name: value }` (keys with the optional `prefix` / `postfix`), and the
 * collection resets, forwards, clones, serialises and merges as one.
 *
 * It holds the metrics it is given, not copies: `get(name)` returns the member itself, and the metric you
 * passed in is updated by the collection. Every call is atomic across members: when one member rejects a
 * batch (or a state to merge), every member is put back as it was. It is a {@link Metric}, so it works
 * wherever one does (e.g. in `streammetrics/rx`); its state is its members' states, by name.
 *
 * Names are non-empty identifier-like strings (letters, digits, `_`, `.`, `-`, starting with a letter or
 * `_`; not `__proto__`, `constructor` or `prototype`); duplicate names, non-metrics and one metric under two
 * names are rejected with an {@link InvalidOptionsError}. Merging a collection with other members (a name
 * unknown here or missing there) throws a {@link MetricStateError} naming it.
 *
 * @typeParam M - the members, by name
 * @typeParam P - the prefix
 * @typeParam S - the postfix
 * @example
 * ```ts
 * import { HingeLoss, MetricCollection } from "streammetrics";
 * const hinge = new HingeLoss();
 * const metrics = new MetricCollection({ hinge, squared: new HingeLoss({ squared: true }) });
 * metrics.update([-2.2, 2.4, 0.1], [0, 1, 1]);
 * metrics.compute(); // => { hinge: 0.3, squared: 0.27 }
 * hinge.compute(); // => 0.3
 * new MetricCollection({ hinge }, { prefix: "val_" }).compute(); // => { val_hinge: 0.3 }
 * ```
 */
export class MetricCollection<
  M extends Record<string, AnyMetric> = Record<string, AnyMetric>,
  P extends string = "",
  S extends string = "",
> extends Metric<CollectionValue<M, P, S>, Members, CollectionOptions, MetricCollectionStateJSON> {
  /** The kind written into states. */
  static readonly kind = "MetricCollection";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param metrics - `{ name: metric }` or `[name, metric]` pairs (held, not copied)
   * @param options - `prefix` / `postfix` for the keys of the value
   * @throws {@link InvalidOptionsError} for a bad name, a duplicate, a non-metric, one metric twice, or bad
   * options
   */
  constructor(metrics: M | Iterable<readonly [string, AnyMetric]>, options?: { prefix?: P; postfix?: S }) {
    const o = optionsSchema.safeParse(options ?? {});
    if (!o.success) {
      throw new InvalidOptionsError(
        `MetricCollection options: ${o.error.issues[0].path.join(".") || "options"}: ${o.error.issues[0].message}`,
      );
    }
    const resolved: CollectionOptions = {
      ...(o.data.prefix !== undefined && o.data.prefix !== "" ? { prefix: o.data.prefix } : {}),
      ...(o.data.postfix !== undefined && o.data.postfix !== "" ? { postfix: o.data.postfix } : {}),
    };
    super(resolved);
    const pairs = readMembers(metrics);
    const seen = new Set<AnyMetric>();
    for (const [name, metric] of pairs) {
      if (seen.has(metric)) {
        throw new InvalidOptionsError(`MetricCollection: "${name}" is a metric already in the collection`);
      }
      seen.add(metric);
    }
    this.state = new Map(pairs);
  }

  /**
   * The member names, in order.
   *
   * @example
   * ```ts
   * new MetricCollection({ a: new HingeLoss(), b: new HingeLoss() }).names; // => ["a", "b"]
   * ```
   */
  get names(): string[] {
    return Array.from(this.state.keys());
  }

  /**
   * The member itself (not a copy: it is the metric the collection updates).
   *
   * @param name - a member name
   * @returns the member
   * @throws {@link MetricStateError} for an unknown name
   * @example
   * ```ts
   * const hinge = new HingeLoss();
   * new MetricCollection({ hinge }).get("hinge") === hinge; // => true
   * ```
   */
  get<K extends keyof M & string>(name: K): M[K] {
    const member = this.state.get(name);
    if (member === undefined) {
      throw new MetricStateError(
        `no metric named ${JSON.stringify(name)} in this collection (it has ${listNames(this.state.keys())})`,
      );
    }
    return member as M[K];
  }

  private key(name: string): string {
    return `${this.options.prefix ?? ""}${name}${this.options.postfix ?? ""}`;
  }

  private keyed(values: Map<string, unknown>): CollectionValue<M, P, S> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of values) out[this.key(name)] = value;
    return out as CollectionValue<M, P, S>;
  }

  /**
   * Updates every member with the batch, atomically: when one member refuses it, every member is as before.
   *
   * @param preds - predictions
   * @param target - targets
   * @param weights - optional weights
   * @returns this collection
   * @throws the refusing member's error, its message prefixed with `metric "<name>": `
   * @example
   * ```ts
   * new MetricCollection({ h: new HingeLoss() }).update([0.5], [1]).compute(); // => { h: 0.5 }
   * ```
   */
  override update(preds: unknown, target?: unknown, weights?: unknown): this {
    atomically(this.state, () => each(this.state, (member) => member.update(preds, target, weights)));
    return this;
  }

  /**
   * Every member's value over everything accumulated.
   *
   * @returns `{ [prefix + name + postfix]: value }`
   * @throws the first member's `MetricStateError` (e.g. nothing accumulated), prefixed with its name
   * @example
   * ```ts
   * new MetricCollection({ h: new HingeLoss() }, { postfix: "_v" }).update([0.5], [1]).compute(); // => { h_v: 0.5 }
   * ```
   */
  override compute(): CollectionValue<M, P, S> {
    return this.keyed(each(this.state, (member) => member.compute()));
  }

  /**
   * Every member's value of this batch alone; the batch is accumulated into every member, atomically.
   *
   * @param preds - predictions
   * @param target - targets
   * @param weights - optional weights
   * @returns `{ [prefix + name + postfix]: batch value }`
   * @example
   * ```ts
   * const c = new MetricCollection({ h: new HingeLoss() });
   * c.forward([2], [1]); // => { h: 0 }
   * ```
   */
  override forward(preds: unknown, target?: unknown, weights?: unknown): CollectionValue<M, P, S> {
    const values = atomically(this.state, () =>
      each(this.state, (member) => member.forward(preds, target, weights)),
    );
    return this.keyed(values);
  }

  /**
   * Empties every member.
   *
   * @returns this collection
   * @example
   * ```ts
   * new MetricCollection({ h: new HingeLoss().update([1], [1]) }).reset().get("h").samples; // => 0
   * ```
   */
  override reset(): this {
    each(this.state, (member) => member.reset());
    return this;
  }

  /**
   * Merges other collections (or their JSON states) of the same members and options, member by member,
   * atomically.
   *
   * @param others - collections or JSON states
   * @returns this collection
   * @throws {@link MetricStateError} naming the member or option that differs
   * @example
   * ```ts
   * const a = new MetricCollection({ h: new HingeLoss().update([0.5], [1]) });
   * a.merge(new MetricCollection({ h: new HingeLoss().update([1.5], [1]) }).toJSON()).compute(); // => { h: 0.5 }
   * ```
   */
  override merge(...others: (MetricCollection<M, P, S> | MetricStateJSON)[]): this {
    const parts = others.map((other) => this.partsOf(other));
    atomically(this.state, () => {
      for (const part of parts) {
        each(this.state, (member, name) => member.merge(part.get(name) as AnyMetric | MetricStateJSON));
      }
    });
    return this;
  }

  /** The members' states of another collection (or its JSON), checked for names and options. */
  private partsOf(other: unknown): Map<string, AnyMetric | MetricStateJSON> {
    let options: CollectionOptions;
    let parts: Map<string, AnyMetric | MetricStateJSON>;
    if (isMetric(other)) {
      if (!(other instanceof MetricCollection)) {
        throw new MetricStateError(`cannot merge a ${other.kind} into a MetricCollection: the kinds differ`);
      }
      options = other.options;
      parts = new Map(other.state);
    } else {
      const read = readCollectionJSON(other);
      options = read.options;
      parts = read.states as Map<string, MetricStateJSON>;
    }
    for (const key of ["prefix", "postfix"] as const) {
      if (options[key] !== this.options[key]) {
        throw new MetricStateError(
          `cannot merge MetricCollection states with different options: ${key} is ${JSON.stringify(options[key]) ?? "absent"} there and ${JSON.stringify(this.options[key]) ?? "absent"} here`,
        );
      }
    }
    checkSameNames(this.state.keys(), parts.keys());
    return parts;
  }

  /**
   * The state as JSON: `{ kind, version, options, metrics: { name: memberState } }`.
   *
   * @returns the JSON state
   * @example
   * ```ts
   * new MetricCollection({ h: new HingeLoss() }).toJSON().metrics.h.kind; // => "HingeLoss"
   * ```
   */
  override toJSON(): MetricCollectionStateJSON {
    const metrics: Record<string, MetricStateJSON> = {};
    for (const [name, json] of each(this.state, (member) => member.toJSON())) metrics[name] = json;
    return { kind: "MetricCollection", version: 1, options: { ...this.options }, metrics };
  }

  /**
   * An independent copy: every member cloned, same names and options.
   *
   * @returns the copy
   * @example
   * ```ts
   * const a = new MetricCollection({ h: new HingeLoss().update([1], [1]) });
   * a.clone().update([3], [1]).get("h").samples; // => 2
   * ```
   */
  override clone(): this {
    const members = Array.from(this.state, ([name, member]) => [name, member.clone()] as const);
    // the same class (a subclass, e.g. the CLI's routing collection, stays itself), with cloned members
    const Cls = this.constructor as new (m: typeof members, o: typeof this.options) => this;
    return new Cls(members, this.options);
  }

  /** {@inheritDoc Metric.snapshotState} */
  override snapshotState(): unknown {
    return Array.from(this.state.values(), (member) => member.snapshotState());
  }

  /** {@inheritDoc Metric.restoreState} */
  override restoreState(saved: unknown): void {
    let i = 0;
    for (const member of this.state.values()) member.restoreState((saved as unknown[])[i++]);
  }

  /**
   * Rebuilds a collection from its JSON state: each member by its kind (any registered metric), with the
   * collection's options.
   *
   * @param json - a state from `toJSON()` (untrusted: validated)
   * @returns the collection
   * @throws {@link MetricStateError} for a malformed state or a member of an unknown kind
   * @example
   * ```ts
   * const json = new MetricCollection({ h: new HingeLoss().update([0.5], [1]) }).toJSON();
   * MetricCollection.fromJSON(JSON.parse(JSON.stringify(json))).compute(); // => { h: 0.5 }
   * ```
   */
  static override fromJSON<
    M extends Record<string, AnyMetric> = Record<string, AnyMetric>,
    P extends string = "",
    S extends string = "",
  >(json: unknown): MetricCollection<M, P, S> {
    const { options, states } = readCollectionJSON(json);
    const members: [string, AnyMetric][] = [];
    for (const [name, state] of states) {
      try {
        members.push([name, memberFromJSON(state)]);
      } catch (error) {
        throw inMember(name, error);
      }
    }
    return new MetricCollection(members, options) as unknown as MetricCollection<M, P, S>;
  }
}

registerMetric(MetricCollection);
