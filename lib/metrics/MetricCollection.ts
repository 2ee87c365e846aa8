import { z } from "zod";
import { InvalidOptionsError, MetricInputError, MetricStateError } from "../errors/index.js";
import { describe } from "../options/index.js";
import { assertPlainJson } from "../state/index.js";
import "./HingeLoss.js"; // registers the kind its states name
import { registerMetric, restoreMetric } from "./registry.js";
import { Metric, type MetricStateJSON, type StateSpec } from "./Metric.js";

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
export type CollectionValue<M extends Record<string, AnyMetric>> = {
  [K in keyof M]: ReturnType<M[K]["compute"]>;
};

/**
 * The JSON state of a {@link MetricCollection}: the members' own JSON states by name. A collection has no
 * options of its own, so `options` is always `{}` (kept so every state starts with `kind`, `version`,
 * `options`).
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
  /** Always `{}`. */
  readonly options: Record<string, never>;
  /** Each member's JSON state, by name. */
  readonly metrics: Record<string, MetricStateJSON>;
}

type Members = Map<string, AnyMetric>;
type NoOptions = Record<string, never>;

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

function cloneMembers(members: Members): Members {
  return new Map(Array.from(members, ([name, member]) => [name, member.clone()]));
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

const collectionSchema = z.strictObject({
  kind: z.literal("MetricCollection"),
  version: z.literal(1),
  options: z.strictObject({}),
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

/** Structural checks of an untrusted collection state; returns its members' JSON states by name. */
function readCollectionJSON(json: unknown): Map<string, unknown> {
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
  return out;
}

/** The state declaration of one collection: its members are copies of `templates` (empty metrics). */
function collectionSpec(
  templates: Members,
): StateSpec<Members, Record<string, unknown>, NoOptions, MetricCollectionStateJSON> {
  const empty = (): Members => cloneMembers(templates);
  return {
    kind: "MetricCollection",
    version: 1,
    empty,
    emptyLike: empty,
    copy: (from) => cloneMembers(from),
    update(state, preds, target, weights) {
      each(state, (member) => member.update(preds, target, weights));
    },
    merge(into, from) {
      checkSameNames(into.keys(), from.keys());
      each(into, (member, name) => member.merge(from.get(name) as AnyMetric));
    },
    compute(state) {
      const out: Record<string, unknown> = {};
      for (const [name, value] of each(state, (member) => member.compute())) out[name] = value;
      return out;
    },
    encode(state) {
      const metrics: Record<string, MetricStateJSON> = {};
      for (const [name, json] of each(state, (member) => member.toJSON())) metrics[name] = json;
      return { metrics };
    },
    decode(json) {
      const states = readCollectionJSON(json);
      checkSameNames(templates.keys(), states.keys());
      const members = each(templates, (template, name) =>
        template.clone().merge(states.get(name) as MetricStateJSON),
      );
      return { state: members, options: {} };
    },
    encodeOptions: () => ({}),
  };
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
 * Several metrics fed by one call: `update(preds, target)` updates every member, `compute()` returns
 * `{ name: value }`, and the collection resets, forwards, clones, serialises and merges as one.
 *
 * It is a {@link Metric} (so it works wherever a metric does, e.g. in `streammetrics/rx`), whose state is
 * its members. Every call is atomic across members: when one member rejects a batch (or a state to merge),
 * no member changes. The collection holds *copies* of the metrics it was built from (their current state
 * included); read values with `compute()` or a copy with `get(name)`.
 *
 * Names are non-empty identifier-like strings (letters, digits, `_`, `.`, `-`, starting with a letter or
 * `_`; not `__proto__`, `constructor` or `prototype`); duplicate names and non-metrics are rejected with an
 * {@link InvalidOptionsError}. Merging a collection with other members (a name unknown here or missing
 * there) throws a {@link MetricStateError} naming it.
 *
 * @typeParam M - the members, by name
 * @example
 * ```ts
 * import { HingeLoss, MetricCollection } from "streammetrics";
 * const metrics = new MetricCollection({
 *   hinge: new HingeLoss(),
 *   squared: new HingeLoss({ squared: true }),
 * });
 * metrics.update([-2.2, 2.4, 0.1], [0, 1, 1]);
 * metrics.compute(); // => { hinge: 0.3, squared: 0.27 }
 * ```
 */
export class MetricCollection<M extends Record<string, AnyMetric> = Record<string, AnyMetric>> extends Metric<
  CollectionValue<M>,
  Members,
  NoOptions,
  MetricCollectionStateJSON
> {
  /** The kind written into states. */
  static readonly kind = "MetricCollection";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param metrics - `{ name: metric }`, or an iterable of `[name, metric]` pairs (a `Map`, an array)
   * @throws {@link InvalidOptionsError} for no metrics, a bad or duplicate name, or a value that is not a
   * metric
   */
  constructor(metrics: M | Iterable<readonly [string, AnyMetric]>) {
    const pairs = readMembers(metrics);
    const templates: Members = new Map(pairs.map(([name, metric]) => [name, metric.clone().reset()]));
    super(
      collectionSpec(templates) as unknown as StateSpec<
        Members,
        CollectionValue<M>,
        NoOptions,
        MetricCollectionStateJSON
      >,
      {},
    );
    this.state = new Map(pairs.map(([name, metric]) => [name, metric.clone()]));
  }

  /**
   * The member names, in order.
   *
   * @example
   * ```ts
   * new MetricCollection({ a: new HingeLoss(), b: new HingeLoss({ squared: true }) }).names; // => ["a", "b"]
   * ```
   */
  get names(): string[] {
    return Array.from(this.state.keys());
  }

  /**
   * An independent copy of one member, with its current state.
   *
   * @param name - a member name
   * @returns a copy of that member
   * @throws {@link MetricStateError} for an unknown name
   * @example
   * ```ts
   * const metrics = new MetricCollection({ hinge: new HingeLoss() }).update([0.5], [1]);
   * metrics.get("hinge").samples; // => 1
   * ```
   */
  get<K extends keyof M & string>(name: K): M[K] {
    const member = this.state.get(name);
    if (member === undefined) {
      throw new MetricStateError(
        `no metric named ${JSON.stringify(name)} in this collection (it has ${listNames(this.state.keys())})`,
      );
    }
    return member.clone() as M[K];
  }

  /**
   * The value of this batch alone for every member; the batch is also accumulated. Atomic: if any member
   * rejects the batch, nothing is accumulated anywhere.
   *
   * @param preds - predictions for the batch
   * @param target - targets for the batch
   * @param weights - optional per-sample weights
   * @returns `{ name: batch value }`
   * @throws {@link MetricInputError} for a bad batch (message prefixed with the member name)
   * @example
   * ```ts
   * const metrics = new MetricCollection({ hinge: new HingeLoss() });
   * metrics.forward([2.0], [1]); // => { hinge: 0 }
   * metrics.forward([0.0], [1]); // => { hinge: 1 }
   * metrics.compute(); // => { hinge: 0.5 }
   * ```
   */
  override forward(preds: unknown, target: unknown, weights?: unknown): CollectionValue<M> {
    const next = cloneMembers(this.state);
    const values = each(next, (member) => member.forward(preds, target, weights));
    this.state = next;
    const out: Record<string, unknown> = {};
    for (const [name, value] of values) out[name] = value;
    return out as CollectionValue<M>;
  }

  /**
   * Rebuilds a collection from its JSON state (untrusted input is validated: each member by its own kind's
   * decoder; known kinds are `HingeLoss` and `MetricCollection`).
   *
   * @param json - a state from {@link MetricCollection.toJSON}, possibly via `JSON.parse`
   * @returns a collection with those members and states
   * @throws {@link MetricStateError} for a malformed or forged state, naming the member at fault
   * @example
   * ```ts
   * const metrics = new MetricCollection({ hinge: new HingeLoss() }).update([0.5], [1]);
   * MetricCollection.fromJSON(JSON.parse(JSON.stringify(metrics))).compute(); // => { hinge: 0.5 }
   * ```
   */
  static override fromJSON(json: unknown): MetricCollection {
    const states = readCollectionJSON(json);
    const members: [string, AnyMetric][] = [];
    for (const [name, state] of states) {
      try {
        members.push([name, memberFromJSON(state)]);
      } catch (error) {
        throw inMember(name, error);
      }
    }
    return new MetricCollection(members);
  }
}

registerMetric(MetricCollection);
