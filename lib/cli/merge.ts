import { readFileSync } from "node:fs";
import { MetricStateError } from "../errors/index.js";
import { CategoricalHinge, Hinge, SquaredHinge } from "../compat/keras/metrics.js";
import { BinaryHingeLoss, MulticlassHingeLoss } from "../compat/torchmetrics/index.js";
import {
  HingeLoss,
  isRegistered,
  metricClass,
  registerMetric,
  restoreMetric,
  type AnyMetric,
} from "../metrics/index.js";
import { arrayElements, BigJsonError, decodeSpan, objectMembers, type Span } from "./bigJson.js";
import { clip, DataError, ioReason } from "./errors.js";

/**
 * A grouped state file too large for one string: its top-level members as byte spans, the groups decoded
 * one at a time as they are merged.
 */
interface LargeState {
  readonly large: true;
  readonly bytes: Uint8Array;
  readonly members: Map<string, Span>;
}

/** From this size on, a state file is read as a {@link LargeState} (256 MiB). */
const LARGE_FROM = 256 * 1024 * 1024;

/**
 * Reads one state file (or stdin for `-`): parsed JSON, or for a file of `largeFrom` bytes or more its
 * top-level members as byte spans (a file may be larger than the longest string, 2^29 - 24 characters:
 * a grouped state of millions of groups), decoded as they are needed.
 *
 * @param file - the path, or `-`
 * @param largeFrom - the size from which the file is scanned rather than parsed whole (default 256 MiB)
 * @returns the parsed JSON, or the scanned members
 * @throws {@link DataError} when the file cannot be read or is not JSON
 * @example
 * ```ts
 * readStateFile("/nonexistent.json");
 * // throws DataError: cannot read /nonexistent.json: no such file or directory (ENOENT)
 * ```
 */
export function readStateFile(file: string, largeFrom = LARGE_FROM): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === "-" ? 0 : file);
  } catch (error) {
    throw new DataError(`cannot read ${file}: ${ioReason(error)}`);
  }
  try {
    if (bytes.length >= largeFrom) {
      const large: LargeState = { large: true, bytes, members: objectMembers(bytes) };
      return large;
    }
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new DataError(`${file}: invalid JSON (${short((error as Error).message)})`);
  }
}

function isLarge(json: unknown): json is LargeState {
  return json !== null && typeof json === "object" && (json as Partial<LargeState>).large === true;
}

/** The top-level fields of a state file (the groups left undecoded in a large one), and its groups. */
function wrapperOf(
  file: string,
  json: unknown,
): { obj: Record<string, unknown> | null; groups: () => Iterable<unknown> } {
  if (!isLarge(json)) {
    const obj = json !== null && typeof json === "object" ? (json as Record<string, unknown>) : null;
    return { obj, groups: () => (Array.isArray(obj?.groups) ? (obj.groups as unknown[]) : []) };
  }
  const { bytes, members } = json;
  const obj: Record<string, unknown> = {};
  try {
    for (const [key, span] of members) obj[key] = key === "groups" ? [] : decodeSpan(bytes, span);
  } catch (error) {
    throw new DataError(`${file}: invalid JSON (${short((error as Error).message)})`);
  }
  const span = members.get("groups");
  if (span !== undefined && bytes[span.start] !== 0x5b) obj.groups = null;
  return {
    obj,
    groups: function* () {
      if (span === undefined) return;
      try {
        yield* arrayElements(bytes, span);
      } catch (error) {
        if (!(error instanceof BigJsonError)) throw error;
        throw new DataError(`${file}: invalid JSON (${short(error.message)})`);
      }
    },
  };
}

/** A parser's message, cut to 200 characters. */
function short(message: string): string {
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

const WRAPPER_KEYS = ["kind", "version", "by", "groups"];
/** The kinds of a grouped state file: `hinge --by` writes HingeLoss states, `eval --by` any metric's. */
const GROUPED_KINDS = ["HingeLossGroups", "MetricGroups"];
const ENTRY_KEYS = ["group", "state"];

function extraKey(obj: object, allowed: string[]): string | undefined {
  return Object.keys(obj).find((key) => !allowed.includes(key));
}

/** The entries of one state file: one ungrouped state, or the groups of a grouped one (checked as they come). */
function entriesOf(
  file: string,
  json: unknown,
): { by: string | null; hingeOnly: boolean; entries: Iterable<{ group: string; state: unknown }> } {
  const { obj, groups: groupsOf } = wrapperOf(file, json);
  if (obj === null || typeof obj.kind !== "string" || !GROUPED_KINDS.includes(obj.kind)) {
    if (isLarge(json)) {
      throw new DataError(
        `${file}: a state file of ${json.bytes.length} bytes must be a grouped state ("kind": "HingeLossGroups" or "MetricGroups")`,
      );
    }
    return { by: null, hingeOnly: false, entries: [{ group: "", state: json }] };
  }
  if (obj.version !== 1)
    throw new DataError(
      `${file}: grouped state version ${clip(JSON.stringify(obj.version) ?? "undefined")} is not supported (expected 1)`,
    );
  const extra = extraKey(obj, WRAPPER_KEYS);
  if (extra !== undefined) {
    throw new DataError(
      `${file}: a grouped state has only the keys ${WRAPPER_KEYS.join(", ")}, got also ${clip(extra)}`,
    );
  }
  if (typeof obj.by !== "string" || !Array.isArray(obj.groups)) {
    throw new DataError(`${file}: a grouped state needs "by" (a string) and "groups" (an array)`);
  }
  return { by: obj.by, hingeOnly: obj.kind === "HingeLossGroups", entries: checkedGroups(file, groupsOf()) };
}

function* checkedGroups(
  file: string,
  groups: Iterable<unknown>,
): Generator<{ group: string; state: unknown }> {
  const seen = new Map<string, number>();
  let i = -1;
  for (const entry of groups) {
    i++;
    const e = entry as Record<string, unknown> | null;
    if (e === null || typeof e !== "object" || typeof e.group !== "string" || e.state === undefined) {
      throw new DataError(`${file}: groups[${i}] must be {"group": string, "state": object}`);
    }
    const extraEntry = extraKey(e, ENTRY_KEYS);
    if (extraEntry !== undefined) {
      throw new DataError(
        `${file}: groups[${i}] has only the keys group and state, got also ${clip(extraEntry)}`,
      );
    }
    const before = seen.get(e.group);
    if (before !== undefined) {
      throw new DataError(
        `${file}: group ${clip(e.group)} appears twice (groups[${before}] and groups[${i}]): a state file names each group once`,
      );
    }
    seen.set(e.group, i);
    yield { group: e.group, state: e.state };
  }
}

// The facades' states (torchmetrics.*, keras.metrics.*) merge here as the core's do: their classes are
// registered by name, so that no bundler drops them as unused imports.
for (const cls of [BinaryHingeLoss, MulticlassHingeLoss, Hinge, SquaredHinge, CategoricalHinge])
  registerMetric(cls);

/**
 * A state by its kind: a HingeLoss (and anything without a string kind, so its message is HingeLoss's as
 * before), a registered kind by its class, an unknown kind refused with the list of known ones.
 */
function restore(state: unknown, hingeOnly: boolean): AnyMetric {
  const kind = state !== null && typeof state === "object" ? (state as { kind?: unknown }).kind : undefined;
  if (hingeOnly || typeof kind !== "string" || kind === "HingeLoss")
    return HingeLoss.fromJSON(state) as AnyMetric;
  if (isRegistered(kind)) return metricClass(kind).fromJSON(state) as AnyMetric;
  return restoreMetric(state, "state") as AnyMetric;
}

/**
 * Reads and merges state files group by group (an ungrouped state is the one group `""`), refusing a grouped
 * file that names a group twice or has unknown keys, and files grouped differently. Groups keep the order of
 * first appearance. Any number of groups that fits in memory works (no call takes one argument per group).
 * Each state is restored by its kind through the registry (`restoreMetric`): the hinge loss of `hinge`, the
 * `MetricCollection` of `eval`, or any registered metric's state; states of different kinds or options do not
 * merge. A `HingeLossGroups` file holds HingeLoss states only.
 *
 * @param files - state files (`-` for stdin)
 * @param read - how a file is read (default {@link readStateFile})
 * @returns the grouping field (`null` for ungrouped states) and the merged metric of each group
 * @throws {@link DataError} naming the file (and the group) for a bad or incompatible state
 * @example
 * ```ts
 * const state = new HingeLoss().update([0.5], [1]).toJSON();
 * (mergeStateFiles(["a", "b"], () => state).groups.get("") as HingeLoss).samples; // => 2
 * ```
 */
export function mergeStateFiles(
  files: string[],
  read: (file: string) => unknown = readStateFile,
): { by: string | null; groups: Map<string, AnyMetric> } {
  let by: string | null | undefined;
  const groups = new Map<string, AnyMetric>();
  for (const file of files) {
    const { by: fileBy, hingeOnly, entries } = entriesOf(file, read(file));
    if (by === undefined) by = fileBy;
    else if (by !== fileBy) {
      throw new DataError(
        `${file}: cannot merge ${fileBy === null ? "an ungrouped state" : `states grouped by ${clip(fileBy)}`} with ${by === null ? "ungrouped states" : `states grouped by ${clip(by)}`}`,
      );
    }
    for (const { group, state } of entries) {
      try {
        const known = groups.get(group);
        if (known === undefined) groups.set(group, restore(state, hingeOnly));
        else known.merge(state as AnyMetric);
      } catch (error) {
        if (!(error instanceof MetricStateError)) throw error;
        const where = fileBy !== null ? `${file}: group ${clip(group)}` : file;
        throw new DataError(`${where}: ${error.message}`);
      }
    }
  }
  return { by: by ?? null, groups };
}
