/**
 * The generic parts of {@link Metric} that need no metric instance: reading a failed update's arguments
 * into a `MetricInputError`, the JSON state's header checks, decoding and merging declared fields, and
 * comparing options. Kept apart so that `Metric.ts` holds the class.
 *
 * @module
 */
import { InvalidOptionsError, MetricInputError, MetricStateError } from "../errors/index.js";
import { assertPlainJson, type StateField, type StateValue } from "../state/index.js";
import type { Metric } from "./Metric.js";
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
export function inputErrorOf(error: unknown, args: readonly [string, unknown][]): unknown {
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

export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function isFiniteValue(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isFiniteValue);
  if (v !== null && typeof v === "object") return Object.values(v).every(isFiniteValue);
  return true;
}

/**
 * Throws a `MetricStateError` when a decoded state's value is not finite (an empty state, whose `compute`
 * throws a `MetricStateError`, passes).
 *
 * @param kind - the metric kind, for the message
 * @param compute - computes the value
 */
export function checkFiniteValue(kind: string, compute: () => unknown): void {
  let value: unknown;
  try {
    value = compute();
  } catch (error) {
    if (error instanceof MetricStateError) return; // nothing to compute from yet: an empty state
    throw error;
  }
  if (!isFiniteValue(value))
    throw new MetricStateError(`invalid ${kind} state: its value would not be finite`);
}

/**
 * Throws a `MetricStateError` naming the first option that differs between two states' options.
 *
 * @param kind - the metric kind, for the message
 * @param mineIn - this metric's state options
 * @param theirsIn - the other's
 */
export function checkSameOptions(kind: string, mineIn: object, theirsIn: object): void {
  const mine = mineIn as Record<string, unknown>;
  const theirs = theirsIn as Record<string, unknown>;
  const keys = new Set([...Object.keys(mine), ...Object.keys(theirs)]);
  for (const key of keys) {
    if (canonical(mine[key]) !== canonical(theirs[key])) {
      throw new MetricStateError(
        `cannot merge ${kind} states with different options: ${key} is ${JSON.stringify(theirs[key]) ?? "absent"} there and ${JSON.stringify(mine[key]) ?? "absent"} here`,
      );
    }
  }
}

/**
 * Decodes the declared fields of an untrusted state object: no missing or extra keys, each field by its
 * own decoder.
 *
 * @param kind - the metric kind, for messages
 * @param names - the declared field names
 * @param decls - their declarations
 * @param raw - the state object (its kind, version and options already checked)
 * @returns the decoded values by name
 * @throws {@link MetricStateError} naming what is wrong
 */
export function decodeFields(
  kind: string,
  names: readonly string[],
  decls: readonly StateField<StateValue>[],
  raw: Record<string, unknown>,
): Record<string, StateValue> {
  const expected = new Set(["kind", "version", "options", ...names]);
  for (const key of Object.keys(raw)) {
    if (!expected.has(key)) {
      throw new MetricStateError(
        `invalid ${kind} state: unexpected key ${JSON.stringify(key)} (expected ${[...expected].join(", ")})`,
      );
    }
  }
  const out: Record<string, StateValue> = {};
  names.forEach((name, i) => {
    if (!Object.hasOwn(raw, name)) {
      throw new MetricStateError(`invalid ${kind} state: the field ${JSON.stringify(name)} is missing`);
    }
    out[name] = decls[i].decode(raw[name], `state.${name}`);
  });
  return out;
}

/**
 * Merges `states` into `into`, field by field: every check first, so `into` is untouched when one fails.
 *
 * @param names - the declared field names
 * @param into - the receiving state (its field values are replaced or mutated)
 * @param states - the states to merge, of the same declarations
 * @throws {@link MetricStateError} from a field's `checkMerge`
 */
export function mergeFields(
  names: readonly string[],
  into: Record<string, StateValue>,
  states: readonly Record<string, StateValue>[],
): void {
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
 * Checks an untrusted state's header (plain JSON, an object, the class's kind and version, options that its
 * constructor accepts in resolved form) and constructs the empty metric of those options.
 *
 * @param cls - the metric class
 * @param json - the untrusted state
 * @returns the new metric and the state object, whose fields the metric then installs
 * @throws {@link MetricStateError} naming what is wrong
 */
export function constructFromState(
  cls: MetricClass,
  json: unknown,
): { metric: Metric; raw: Record<string, unknown> } {
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
  return { metric, raw };
}
