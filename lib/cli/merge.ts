import { readFileSync } from "node:fs";
import { MetricStateError } from "../errors/index.js";
import { HingeLoss } from "../metrics/index.js";
import { clip, DataError, ioReason } from "./errors.js";

/**
 * Reads one state file (or stdin for `-`) as JSON.
 *
 * @param file - the path, or `-`
 * @returns the parsed JSON
 * @throws {@link DataError} when the file cannot be read or is not JSON
 * @example
 * ```ts
 * readStateFile("/nonexistent.json");
 * // throws DataError: cannot read /nonexistent.json: no such file or directory (ENOENT)
 * ```
 */
export function readStateFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new DataError(`cannot read ${file}: ${ioReason(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(`${file}: invalid JSON (${clip((error as Error).message, 200)})`);
  }
}

const WRAPPER_KEYS = ["kind", "version", "by", "groups"];
const ENTRY_KEYS = ["group", "state"];

function extraKey(obj: object, allowed: string[]): string | undefined {
  return Object.keys(obj).find((key) => !allowed.includes(key));
}

/** The entries of one state file: one ungrouped state, or the groups of a grouped one. */
function entriesOf(
  file: string,
  json: unknown,
): { by: string | null; entries: { group: string; state: unknown }[] } {
  const obj = json as Record<string, unknown> | null;
  if (obj === null || typeof obj !== "object" || obj.kind !== "HingeLossGroups") {
    return { by: null, entries: [{ group: "", state: json }] };
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
  const seen = new Map<string, number>();
  const groups = obj.groups as unknown[];
  const entries = new Array<{ group: string; state: unknown }>(groups.length);
  for (let i = 0; i < groups.length; i++) {
    const e = groups[i] as Record<string, unknown> | null;
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
    entries[i] = { group: e.group, state: e.state };
  }
  return { by: obj.by, entries };
}

/**
 * Reads and merges state files group by group (an ungrouped state is the one group `""`), refusing a grouped
 * file that names a group twice or has unknown keys, and files grouped differently. Groups keep the order of
 * first appearance. Any number of groups that fits in memory works (no call takes one argument per group).
 *
 * @param files - state files (`-` for stdin)
 * @param read - how a file is read (default {@link readStateFile})
 * @returns the grouping field (`null` for ungrouped states) and the merged metric of each group
 * @throws {@link DataError} naming the file (and the group) for a bad or incompatible state
 * @example
 * ```ts
 * const state = new HingeLoss().update([0.5], [1]).toJSON();
 * mergeStateFiles(["a", "b"], () => state).groups.get("")?.samples; // => 2
 * ```
 */
export function mergeStateFiles(
  files: string[],
  read: (file: string) => unknown = readStateFile,
): { by: string | null; groups: Map<string, HingeLoss> } {
  let by: string | null | undefined;
  const groups = new Map<string, HingeLoss>();
  for (const file of files) {
    const { by: fileBy, entries } = entriesOf(file, read(file));
    if (by === undefined) by = fileBy;
    else if (by !== fileBy) {
      throw new DataError(
        `${file}: cannot merge ${fileBy === null ? "an ungrouped state" : `states grouped by ${clip(fileBy)}`} with ${by === null ? "ungrouped states" : `states grouped by ${clip(by)}`}`,
      );
    }
    for (const { group, state } of entries) {
      try {
        const known = groups.get(group);
        if (known === undefined) groups.set(group, HingeLoss.fromJSON(state));
        else known.merge(state as HingeLoss);
      } catch (error) {
        if (!(error instanceof MetricStateError)) throw error;
        const where = fileBy !== null ? `${file}: group ${clip(group)}` : file;
        throw new DataError(`${where}: ${error.message}`);
      }
    }
  }
  return { by: by ?? null, groups };
}
