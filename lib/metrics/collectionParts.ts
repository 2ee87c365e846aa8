/**
 * The parts of {@link MetricCollection} that are not the class: member names and their checks, the atomic
 * run across members, and the reading of untrusted collection states.
 *
 * @module
 */
import { z } from "zod";
import { InvalidOptionsError, MetricInputError, MetricStateError } from "../errors/index.js";
import { describe } from "../options/index.js";
import { assertPlainJson } from "../state/index.js";
import { isMetric } from "./Metric.js";
import type { AnyMetric, CollectionOptions } from "./MetricCollection.js";
import { restoreMetric } from "./registry.js";

/** A collection's members, by name, in order. */
export type Members = Map<string, AnyMetric>;

/** Longest member name, and most members a collection (or a collection state) may have. */
const MAX_NAME = 128;
const MAX_MEMBERS = 256;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FORBIDDEN_NAMES = new Set(["__proto__", "constructor", "prototype"]);

/** Why `name` is not a valid member name, or `undefined` when it is. */
export function nameProblem(name: unknown): string | undefined {
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
export function inMember(name: string, error: unknown): unknown {
  const prefix = `metric "${name}": `;
  if (error instanceof MetricInputError) return new MetricInputError(prefix + error.message);
  if (error instanceof MetricStateError) return new MetricStateError(prefix + error.message);
  if (error instanceof InvalidOptionsError) return new InvalidOptionsError(prefix + error.message);
  return error;
}

export function each<T>(members: Members, run: (member: AnyMetric, name: string) => T): Map<string, T> {
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
export function atomically<T>(members: Members, change: () => T): T {
  const saved = Array.from(members.values(), (member) => member.snapshotState());
  try {
    return change();
  } catch (error) {
    let i = 0;
    for (const member of members.values()) member.restoreState(saved[i++]);
    throw error;
  }
}

export function listNames(names: Iterable<string>): string {
  return Array.from(names, (n) => JSON.stringify(n)).join(", ");
}

/** Checks that two collections hold the same names; `there` is the incoming one. */
export function checkSameNames(here: Iterable<string>, there: Iterable<string>): void {
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
export const optionsSchema = z.strictObject({ prefix: affix.optional(), postfix: affix.optional() });

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

/** Structural checks of an untrusted collection state; returns its options and members' JSON states. */
export function readCollectionJSON(json: unknown): {
  options: CollectionOptions;
  states: Map<string, unknown>;
} {
  try {
    return readCollectionFields(json);
  } catch (error) {
    // a getter or a Proxy trap that throws while the state is read is a bad state too
    if (error instanceof MetricStateError) throw error;
    throw new MetricStateError(`invalid MetricCollection state: it could not be read: ${String(error)}`);
  }
}

function readCollectionFields(json: unknown): {
  options: CollectionOptions;
  states: Map<string, unknown>;
} {
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
export function memberFromJSON(json: unknown): AnyMetric {
  return restoreMetric(json) as AnyMetric;
}

/** Reads the constructor argument into checked `[name, metric]` pairs. */
export function readMembers(metrics: unknown): [string, AnyMetric][] {
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
    if (!isMetric(metric)) {
      throw new InvalidOptionsError(`MetricCollection: "${key}" must be a metric, got ${describe(metric)}`);
    }
    return [key, metric as AnyMetric];
  });
}
