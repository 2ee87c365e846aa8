import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import {
  atomically,
  checkSameNames,
  each,
  inMember,
  listNames,
  memberFromJSON,
  optionsSchema,
  readCollectionJSON,
  readMembers,
  type Members,
} from "./collectionParts.js";
import { HingeLossMetric } from "./hinge/HingeLoss.js";
import { Metric, isMetric, type MetricStateJSON } from "./Metric.js";
import { registerMetric } from "./registry.js";

export { assertPlainState } from "./collectionParts.js";

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
   * a.merge(new MetricCollection({ h: new HingeLoss().update([1.5], [1]) }).toJSON()).compute(); // => { h: 0.25 }
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
// The kind its states name most: registered here by a call (HingeLoss.ts does it too; a class registers once),
// not by a bare import, which a bundler honouring the package's "sideEffects": false drops.
registerMetric(HingeLossMetric);
