import { MetricStateError } from "../errors/index.js";
import type { HingeValue } from "../functional/index.js";
import { HingeLoss, type HingeLossStateJSON } from "../metrics/index.js";
import type { HingeLossOptions, ResolvedHingeLossOptions } from "../options/index.js";

/**
 * Resolved options (with `null` for unset) back to constructor options (with the key left out).
 *
 * @param resolved - options as stored in a state
 * @returns options for `new HingeLoss(...)`
 * @example
 * ```ts
 * optionsOf({ squared: true, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: -1 });
 * // => { squared: true, multiclassMode: "crammer-singer", ignoreIndex: -1 }
 * ```
 */
export function optionsOf(resolved: Readonly<ResolvedHingeLossOptions>): HingeLossOptions {
  const out: HingeLossOptions = { squared: resolved.squared, multiclassMode: resolved.multiclassMode };
  if (resolved.numClasses !== null) out.numClasses = resolved.numClasses;
  if (resolved.ignoreIndex !== null) out.ignoreIndex = resolved.ignoreIndex;
  return out;
}

/**
 * The value of one group (or of everything).
 *
 * @example
 * ```ts
 * const r: GroupResult = { group: "1", value: 0.3, samples: 3, total: 3 };
 * ```
 */
export interface GroupResult {
  /** The group's key (the `--by` field's value as text). */
  group: string;
  /** The hinge loss (one per class for one-vs-all), or `null` when the group counted no sample. */
  value: HingeValue | null;
  /** Samples counted. */
  samples: number;
  /** Σ w (the number of samples when unweighted). */
  total: number;
}

/**
 * Everything a command prints: the value over all data, and per group with `--by`.
 *
 * @example
 * ```ts
 * const results = summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null);
 * results.value; // => 0.5
 * ```
 */
export interface Results {
  /** The resolved options. */
  options: ResolvedHingeLossOptions;
  /** The task (null when nothing was counted). */
  task: "binary" | "multiclass" | null;
  /** C for multiclass. */
  numClasses: number | null;
  /** The value over all data (all groups merged exactly), `null` with no sample. */
  value: HingeValue | null;
  /** Samples counted over all data. */
  samples: number;
  /** Σ w over all data. */
  total: number;
  /** The grouping field, or `null`. */
  by: string | null;
  /** One result per group, in order of first appearance (empty without `by`). */
  groups: GroupResult[];
  /** The merged metric over all data. */
  overall: HingeLoss;
}

/** How many metrics one `merge` call takes (a bounded argument list). */
const MERGE_SLICE = 1024;

function valueOf(metric: HingeLoss): HingeValue | null {
  try {
    return metric.compute();
  } catch (error) {
    if (error instanceof MetricStateError) return null;
    throw error;
  }
}

/**
 * Computes the results of per-group metrics; the overall value is their exact merge.
 *
 * @param groups - metrics per group, in order
 * @param by - the grouping field, or `null` (then `groups` has one entry)
 * @param options - the options, used when there is no group at all
 * @returns the results
 * @throws {@link MetricStateError} when the groups cannot be merged (e.g. binary in one, multiclass in another)
 * @example
 * ```ts
 * const a = new HingeLoss().update([-2.2], [0]);
 * const b = new HingeLoss().update([2.4, 0.1], [1, 1]);
 * summarize([{ key: "1", metric: a }, { key: "2", metric: b }], "epoch").value; // => 0.3
 * ```
 */
export function summarize(
  groups: { key: string; metric: HingeLoss }[],
  by: string | null,
  options?: ResolvedHingeLossOptions,
): Results {
  const base = options ?? groups[0]?.metric.options;
  const overall = new HingeLoss(base === undefined ? {} : optionsOf(base));
  // in slices: one argument per group in a single call overflows the stack beyond ~100,000 groups
  for (let i = 0; i < groups.length; i += MERGE_SLICE) {
    overall.merge(...groups.slice(i, i + MERGE_SLICE).map((g) => g.metric));
  }
  return {
    options: { ...(overall.options as ResolvedHingeLossOptions) },
    task: overall.task,
    numClasses: overall.numClasses,
    value: valueOf(overall),
    samples: overall.samples,
    total: overall.total,
    by,
    groups:
      by === null
        ? []
        : groups.map((g) => ({
            group: g.key,
            value: valueOf(g.metric),
            samples: g.metric.samples,
            total: g.metric.total,
          })),
    overall,
  };
}

/**
 * The `--json` output: one object on one line, numbers written so that they read back to the same float64.
 *
 * @param results - what to print
 * @param extra - more top-level fields (e.g. `lines`, `skipped`)
 * @returns the JSON text (no trailing newline)
 * @example
 * ```ts
 * const line = toJsonOutput(summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null), {});
 * JSON.parse(line); // => { metric: "HingeLoss", options: {...}, task: "binary", numClasses: null, value: 0.5, samples: 1, total: 1 }
 * ```
 */
export function toJsonOutput(results: Results, extra: Record<string, unknown>): string {
  const out: Record<string, unknown> = {
    metric: "HingeLoss",
    options: results.options,
    task: results.task,
    numClasses: results.numClasses,
    value: results.value,
    samples: results.samples,
    total: results.total,
    ...extra,
  };
  if (results.by !== null) {
    out.by = results.by;
    out.groups = results.groups;
  }
  return JSON.stringify(out);
}

/**
 * {@link toJsonOutput} as pieces of text, one per group: the same JSON, never one string of every group (a
 * string cannot exceed 2^29 - 24 characters, about 2 million groups).
 *
 * @param results - what to print
 * @param extra - more top-level fields
 * @returns the pieces, whose concatenation is `toJsonOutput(results, extra)`
 * @example
 * ```ts
 * const r = summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null);
 * [...toJsonChunks(r, {})].join("") === toJsonOutput(r, {}); // => true
 * ```
 */
export function toJsonChunks(results: Results, extra: Record<string, unknown>): Iterable<string> {
  const head = JSON.parse(toJsonOutput({ ...results, by: null, groups: [] }, extra)) as Record<
    string,
    unknown
  >;
  if (results.by === null) return [JSON.stringify(head)];
  head.by = results.by;
  return jsonWithArray(head, "groups", results.groups);
}

/**
 * The JSON text of `{ ...head, [key]: items }` as pieces: the head's fields, then one piece per item.
 *
 * @param head - the other fields (written first, in their order)
 * @param key - the array's key (written last)
 * @param items - the array's items
 * @returns the pieces
 * @example
 * ```ts
 * [...jsonWithArray({ a: 1 }, "b", [2, 3])].join(""); // => '{"a":1,"b":[2,3]}'
 * ```
 */
export function* jsonWithArray(
  head: Record<string, unknown>,
  key: string,
  items: Iterable<unknown>,
): Generator<string> {
  const fields = JSON.stringify(head).slice(1, -1);
  yield `{${fields}${fields === "" ? "" : ","}${JSON.stringify(key)}:[`;
  let first = true;
  for (const item of items) {
    yield (first ? "" : ",") + JSON.stringify(item);
    first = false;
  }
  yield "]}";
}

/**
 * A short description of the metric: `hinge loss · multiclass, 4 classes, crammer-singer`.
 *
 * @param results - the results
 * @returns the title
 * @example
 * ```ts
 * metricTitle(summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null));
 * // => "hinge loss · binary"
 * ```
 */
export function metricTitle(results: Results): string {
  const name = results.options.squared ? "squared hinge loss" : "hinge loss";
  if (results.task !== "multiclass") return `${name} · ${results.task ?? "no samples"}`;
  return `${name} · multiclass, ${results.numClasses} classes, ${results.options.multiclassMode}`;
}

/**
 * The readable table: a title line, then one row per group (and an `all` row) or one row for everything.
 * Values are printed in full (the shortest text that reads back to the same float64).
 *
 * @param results - the results
 * @returns the table's lines, each ending with a newline (one per group: no string of every group)
 * @example
 * ```ts
 * formatTableLines(summarize([{ key: "", metric: new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]) }], null));
 * // => ["hinge loss · binary\n", "samples  hinge loss\n", "      3  0.3\n"]
 * ```
 */
export function formatTableLines(results: Results): string[] {
  const perClass = results.task === "multiclass" && results.options.multiclassMode === "one-vs-all";
  const C = results.numClasses ?? 0;
  const valueHeads = perClass
    ? Array.from({ length: C }, (_, c) => `class ${c}`)
    : [results.options.squared ? "squared hinge loss" : "hinge loss"];
  const weighted = results.total !== results.samples || results.groups.some((g) => g.total !== g.samples);
  const head = [
    ...(results.by !== null ? [results.by] : []),
    "samples",
    ...(weighted ? ["weight"] : []),
    ...valueHeads,
  ];
  const cells = (r: GroupResult, label: string | null): string[] => {
    const values =
      r.value === null
        ? valueHeads.map(() => "-")
        : Array.isArray(r.value)
          ? r.value.map(String)
          : [String(r.value)];
    return [
      ...(label !== null ? [label] : []),
      String(r.samples),
      ...(weighted ? [String(r.total)] : []),
      ...values,
    ];
  };
  const all: GroupResult = {
    group: "all",
    value: results.value,
    samples: results.samples,
    total: results.total,
  };
  const rows =
    results.by !== null
      ? [...results.groups.map((g) => cells(g, g.group)), cells(all, "all")]
      : [cells(all, null)];
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const labelCols = results.by !== null ? 1 : 0;
  const countCols = labelCols + (weighted ? 2 : 1);
  const line = (row: string[]): string =>
    row
      .map((cell, i) => (i >= labelCols && i < countCols ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [metricTitle(results), line(head), ...rows.map(line)].map((l) => l + "\n");
}

/**
 * The readable table as one string: {@link formatTableLines} joined.
 *
 * @param results - the results
 * @returns the table text, ending with a newline
 * @example
 * ```ts
 * formatTable(summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null));
 * // => "hinge loss · binary\nsamples  hinge loss\n      1  0.5\n"
 * ```
 */
export function formatTable(results: Results): string {
  return formatTableLines(results).join("");
}

/**
 * The states of a grouped run (`--by` with `--state-out`): one HingeLoss state per group, in order of first
 * appearance. `streammetrics merge` merges such files group by group.
 *
 * @example
 * ```ts
 * const s: GroupedStateJSON = { kind: "HingeLossGroups", version: 1, by: "epoch", groups: [] };
 * ```
 */
export interface GroupedStateJSON {
  /** Always `"HingeLossGroups"`. */
  kind: "HingeLossGroups";
  /** Format version, 1. */
  version: 1;
  /** The grouping field. */
  by: string;
  /** Per group: its key and its state. */
  groups: { group: string; state: HingeLossStateJSON }[];
}

/**
 * The JSON written by `--state-out`: the HingeLoss state over all data, or with `--by` a
 * {@link GroupedStateJSON}.
 *
 * @param results - the results (for the overall state)
 * @param groups - the per-group metrics
 * @returns the object to write
 * @example
 * ```ts
 * stateOut(summarize([{ key: "", metric: new HingeLoss().update([0.5], [1]) }], null), []).kind;
 * // => "HingeLoss"
 * ```
 */
export function stateOut(
  results: Results,
  groups: { key: string; metric: HingeLoss }[],
): HingeLossStateJSON | GroupedStateJSON {
  if (results.by === null) return results.overall.toJSON();
  return {
    kind: "HingeLossGroups",
    version: 1,
    by: results.by,
    groups: groups.map((g) => ({ group: g.key, state: g.metric.toJSON() })),
  };
}

/**
 * The JSON text of {@link stateOut} as pieces, one per group (each group's state is made as it is written):
 * any number of groups, never one string of them all.
 *
 * @param results - the results
 * @param groups - the per-group metrics
 * @returns the pieces, whose concatenation is `JSON.stringify(stateOut(results, groups))`
 * @example
 * ```ts
 * const groups = [{ key: "1", metric: new HingeLoss().update([0.5], [1]) }];
 * const r = summarize(groups, "epoch");
 * [...stateOutChunks(r, groups)].join("") === JSON.stringify(stateOut(r, groups)); // => true
 * ```
 */
export function stateOutChunks(
  results: Results,
  groups: { key: string; metric: HingeLoss }[],
): Iterable<string> {
  if (results.by === null) return [JSON.stringify(results.overall.toJSON())];
  const states = (function* () {
    for (const g of groups) yield { group: g.key, state: g.metric.toJSON() };
  })();
  return jsonWithArray({ kind: "HingeLossGroups", version: 1, by: results.by }, "groups", states);
}
