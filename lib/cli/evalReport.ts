import { MetricStateError } from "../errors/index.js";
import { MetricCollection, type AnyMetric } from "../metrics/index.js";
import { jsonWithArray } from "./report.js";

/**
 * The results of `eval` (or of `merge` of its states): a value per member metric, over all data and per group.
 *
 * @example
 * ```ts
 * const r: EvalResults = evalSummarize([{ key: "", metric: new MeanMetric().update([1, 2]) }], null);
 * r.value; // => { MeanMetric: 1.5 }
 * ```
 */
export interface EvalResults {
  /** The grouping field, or `null`. */
  by: string | null;
  /** The member names, in order (a single metric's kind when the state is not a collection). */
  names: string[];
  /** Each member's kind and resolved options. */
  metrics: Record<string, { kind: string; options: unknown }>;
  /** The value of each member over all data; `null` when it has nothing to compute from. */
  value: Record<string, unknown>;
  /** One entry per group, in order of first appearance (empty without `by`). */
  groups: { group: string; value: Record<string, unknown> }[];
  /** The exact merge of every group. */
  overall: AnyMetric;
}

/** How many metrics one `merge` call takes (a bounded argument list). */
const MERGE_SLICE = 1024;

function members(metric: AnyMetric): [string, AnyMetric][] {
  if (metric instanceof MetricCollection) return metric.names.map((name) => [name, metric.get(name)]);
  return [[metric.kind, metric]];
}

function valuesOf(metric: AnyMetric): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of members(metric)) {
    try {
      out[name] = member.compute();
    } catch (error) {
      if (!(error instanceof MetricStateError)) throw error;
      out[name] = null;
    }
  }
  return out;
}

/**
 * Computes the value of every member per group, and over all data as the exact merge of the groups.
 *
 * @param groups - the metric (a collection, or any metric) of each group, in order
 * @param by - the grouping field, or `null` (then `groups` has one entry)
 * @param empty - the empty metric to merge into (default: the first group's, reset)
 * @returns the results
 * @throws {@link MetricStateError} when the groups cannot be merged
 * @example
 * ```ts
 * const a = new MeanMetric().update([1, 2]);
 * const b = new MeanMetric().update(6);
 * evalSummarize([{ key: "x", metric: a }, { key: "y", metric: b }], "part").value; // => { MeanMetric: 3 }
 * ```
 */
export function evalSummarize(
  groups: { key: string; metric: AnyMetric }[],
  by: string | null,
  empty?: AnyMetric,
): EvalResults {
  const base = empty ?? groups[0]?.metric;
  if (base === undefined) throw new MetricStateError("nothing to summarize: no group");
  const overall = base.clone().reset();
  for (let i = 0; i < groups.length; i += MERGE_SLICE) {
    overall.merge(...groups.slice(i, i + MERGE_SLICE).map((g) => g.metric));
  }
  const metrics: EvalResults["metrics"] = {};
  for (const [name, member] of members(overall)) {
    metrics[name] = { kind: member.kind, options: member.toJSON().options };
  }
  return {
    by,
    names: Object.keys(metrics),
    metrics,
    value: valuesOf(overall),
    groups: by === null ? [] : groups.map((g) => ({ group: g.key, value: valuesOf(g.metric) })),
    overall,
  };
}

/** A value in a table cell: numbers in full (shortest round trip), arrays as JSON, `-` for none. */
function cell(value: unknown): string {
  return value === null || value === undefined ? "-" : JSON.stringify(value);
}

/**
 * The readable table of {@link EvalResults}: `metric  value` rows, or with groups one row per group (and an
 * `all` row) and one column per metric. Arrays (per-class values, a confusion matrix) are written as JSON.
 *
 * @param results - the results
 * @returns the lines, each ending with a newline (one per group)
 * @example
 * ```ts
 * evalTableLines(evalSummarize([{ key: "", metric: new MeanMetric().update([1, 2]) }], null));
 * // => ["metric      value\n", "MeanMetric  1.5\n"]
 * ```
 */
export function evalTableLines(results: EvalResults): string[] {
  const rows: string[][] =
    results.by === null
      ? [["metric", "value"], ...results.names.map((name) => [name, cell(results.value[name])])]
      : [
          [results.by, ...results.names],
          ...results.groups.map((g) => [g.group, ...results.names.map((n) => cell(g.value[n]))]),
          ["all", ...results.names.map((n) => cell(results.value[n]))],
        ];
  const widths = rows[0].map((_, i) => rows.reduce((w, r) => Math.max(w, r[i].length), 0));
  return rows.map(
    (row) =>
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join("  ")
        .trimEnd() + "\n",
  );
}

/**
 * The `--json` output of {@link EvalResults} in pieces (one per group): `{ metrics, value, …extra, by?,
 * groups? }`, numbers written so that they read back to the same float64.
 *
 * @param results - the results
 * @param extra - more top-level fields (e.g. `lines`, `skipped`)
 * @returns the pieces of one JSON object
 * @example
 * ```ts
 * const r = evalSummarize([{ key: "", metric: new MeanMetric().update([1, 2]) }], null);
 * JSON.parse([...evalJsonChunks(r, {})].join("")).value; // => { MeanMetric: 1.5 }
 * ```
 */
export function evalJsonChunks(results: EvalResults, extra: Record<string, unknown>): Iterable<string> {
  const head: Record<string, unknown> = { metrics: results.metrics, value: results.value, ...extra };
  if (results.by === null) return [JSON.stringify(head)];
  head.by = results.by;
  return jsonWithArray(head, "groups", results.groups);
}

/**
 * The `--state-out` file of `eval` in pieces: the state over all data (a `MetricCollection` state), or with
 * groups `{"kind": "MetricGroups", "version": 1, "by": …, "groups": [{"group": …, "state": …}, …]}`, each
 * group's state made as it is written. `streammetrics merge` reads both.
 *
 * @param results - the results
 * @param groups - the metric of each group
 * @returns the pieces of the JSON text
 * @example
 * ```ts
 * const groups = [{ key: "1", metric: new MeanMetric().update(2) }];
 * JSON.parse([...evalStateChunks(evalSummarize(groups, "epoch"), groups)].join("")).kind; // => "MetricGroups"
 * ```
 */
export function evalStateChunks(
  results: EvalResults,
  groups: { key: string; metric: AnyMetric }[],
): Iterable<string> {
  if (results.by === null) return [JSON.stringify(results.overall.toJSON())];
  const states = (function* () {
    for (const g of groups) yield { group: g.key, state: g.metric.toJSON() };
  })();
  return jsonWithArray({ kind: "MetricGroups", version: 1, by: results.by }, "groups", states);
}
