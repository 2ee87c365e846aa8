/**
 * The goal table of `npm run bench`: goals on rows' ratios, goals of the area modules (bench/contract.ts),
 * the comparison with a committed baseline (issue 17 goal 5: no row loses more than 10 %), and loading the
 * area modules (`bench/stream.ts`, `bench/ingest.ts`, `bench/wasm.ts`) when they export `benchRows`.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type { BenchContext, BenchPart, Goal } from "./contract.js";
import type { Row } from "./harness.js";

/**
 * The goals carried by rows (`row.goal`: the paired ratio to the case's baseline).
 *
 * @param rows - timed rows
 * @param tags - a label put before the goal of each row whose case starts with the key (e.g. the goal)
 * @returns one goal per row that has one
 * @example
 * ```ts
 * rowGoals([]); // => []
 * ```
 */
export function rowGoals(rows: readonly Row[], tags: Readonly<Record<string, string>> = {}): Goal[] {
  const tag = (r: Row): string => {
    const key = Object.keys(tags).find((k) => r.case.startsWith(k));
    return key === undefined ? "" : `${tags[key]}: `;
  };
  return rows
    .filter((r) => r.goal !== null)
    .map((r) => ({
      goal:
        `${tag(r)}${r.case}: ${r.candidate} ≥ ${r.goal} × ${r.baseline}` +
        (r.candidate.startsWith("HingeLoss fresh") ? " (a fresh metric per batch, data as arguments)" : ""),
      value: r.ratio.toFixed(2),
      pass: r.ratio >= (r.goal as number),
    }));
}

/**
 * The goal table as markdown.
 *
 * @param goals - goals
 * @returns the table text
 * @example
 * ```ts
 * goalTable([{ goal: "g", value: "1", pass: true }]).split("\n")[2]; // => "| g | 1 | ✔ |"
 * ```
 */
export function goalTable(goals: readonly Goal[]): string {
  return [
    "| goal | value | met |",
    "|---|---|---|",
    ...goals.map((g) => `| ${g.goal} | ${g.value} | ${g.pass ? "✔" : "✘"} |`),
  ].join("\n");
}

/** One row's ratio in the baseline file. */
export interface BaselineRow {
  /** The case. */
  readonly case: string;
  /** The candidate. */
  readonly candidate: string;
  /** Its paired ratio to the case's baseline. */
  readonly ratio: number;
}

/** A row compared with the baseline. */
export interface BaselineChange {
  /** "case: candidate". */
  readonly row: string;
  /** The baseline's ratio. */
  readonly before: number;
  /** This run's ratio. */
  readonly after: number;
  /** after / before − 1. */
  readonly change: number;
  /** Whether the row lost at most `tolerance`. */
  readonly pass: boolean;
}

/**
 * Whether a row times the library (not a naive loop or TensorFlow.js, whose ratios say nothing about it).
 *
 * @param candidate - the row's candidate
 * @returns true for our rows
 * @example
 * ```ts
 * isOurs("naive if-loop"); // => false
 * ```
 */
export function isOurs(candidate: string): boolean {
  return !candidate.startsWith("naive") && !candidate.startsWith("tfjs-");
}

/**
 * Compares this run's ratios with a baseline's, for every row of ours ({@link isOurs}) present in both.
 *
 * @param rows - this run's rows
 * @param baseline - the baseline's rows
 * @param tolerance - the largest loss allowed (0.1: a ratio may fall by at most 10 %)
 * @returns one entry per row with a baseline
 * @example
 * ```ts
 * const row = { case: "c", candidate: "x", ratio: 0.8, baseline: "naive" } as never;
 * compareBaseline([row], [{ case: "c", candidate: "x", ratio: 1 }], 0.1)[0].pass; // => false
 * ```
 */
export function compareBaseline(
  rows: readonly Row[],
  baseline: readonly BaselineRow[],
  tolerance: number,
): BaselineChange[] {
  const before = new Map(baseline.map((b) => [`${b.case}: ${b.candidate}`, b.ratio]));
  const out: BaselineChange[] = [];
  for (const r of rows) {
    if (r.candidate === r.baseline || !isOurs(r.candidate)) continue;
    const key = `${r.case}: ${r.candidate}`;
    const b = before.get(key);
    if (b === undefined || !(b > 0)) continue;
    const change = r.ratio / b - 1;
    out.push({ row: key, before: b, after: r.ratio, change, pass: change >= -tolerance });
  }
  return out;
}

/**
 * The baseline comparison as markdown plus its summary goal.
 *
 * @param changes - from {@link compareBaseline}
 * @param source - where the baseline came from (printed)
 * @returns the table text and the goal "no row loses more than 10 %"
 * @example
 * ```ts
 * baselineReport([], "x").goal.pass; // => false
 * ```
 */
export function baselineReport(
  changes: readonly BaselineChange[],
  source: string,
): { table: string; goal: Goal } {
  const pct = (x: number): string => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(0)} %`;
  const lines = changes.map(
    (c) =>
      `| ${c.row} | ${c.before.toFixed(2)} | ${c.after.toFixed(2)} | ${pct(c.change)} | ${c.pass ? "✔" : "✘"} |`,
  );
  const table = [
    `Against the baseline (${source}): each row's ratio to its case's baseline, before and now.`,
    "",
    "| row | ratio before | ratio now | change | within 10 % |",
    "|---|---|---|---|---|",
    ...lines,
  ].join("\n");
  const failed = changes.filter((c) => !c.pass);
  const worst = [...changes].sort((a, b) => a.change - b.change)[0];
  const goal: Goal = {
    goal: "no row of today's bench loses more than 10 % of its ratio (baseline file)",
    value:
      changes.length === 0
        ? "no row with a baseline"
        : `${changes.length - failed.length}/${changes.length} within; worst ${pct(worst.change)} (${worst.row})`,
    pass: changes.length > 0 && failed.length === 0,
  };
  return { table, goal };
}

/**
 * Reads a baseline file (`bench/results/baseline.json`: a `npm run bench` result).
 *
 * @param file - the file
 * @returns its rows and a description, or null when there is none
 */
export function readBaseline(file: string): { rows: BaselineRow[]; source: string } | null {
  if (!existsSync(file)) return null;
  const json = JSON.parse(readFileSync(file, "utf8")) as {
    rows: BaselineRow[];
    date?: string;
    library?: string;
    machine?: { cpu?: string };
  };
  return { rows: json.rows, source: `${json.library ?? "?"}, ${json.date ?? "?"}` };
}

/** An area module and the goals of issue 17 it owns (printed as not measured when it cannot run). */
export interface Area {
  /** The module's file, e.g. `/…/bench/stream.ts`. */
  readonly file: string;
  /** Its short name, e.g. "bench/stream.ts". */
  readonly name: string;
  /** The goals it is to report. */
  readonly goals: readonly string[];
  /**
   * Run it in a Node process of its own (bench/areaProcess.ts), so that its loops get V8's type feedback and
   * inlining from their own calls only, as in a program that does that one job.
   */
  readonly fresh?: boolean;
}

/** What running an area gave. */
export interface AreaResult extends BenchPart {
  /** Whether its `benchRows` ran. */
  readonly ran: boolean;
}

/**
 * Runs an area module's `benchRows(ctx)`. A module that does not exist, does not export `benchRows` (checked
 * in its source before importing it, so a module that still runs its own bench on import is not run), or
 * throws is reported in a note, and its goals are listed as not measured (✘).
 *
 * @param area - the module and its goals
 * @param ctx - the run's context
 * @returns its rows, goals and notes
 */
export async function runArea(area: Area, ctx: BenchContext): Promise<AreaResult> {
  const missing = (why: string): AreaResult => ({
    ran: false,
    rows: [],
    goals: area.goals.map((goal) => ({ goal, value: `not measured (${why})`, pass: false })),
    notes: [`skipped: ${why}`],
  });
  if (!existsSync(area.file)) return missing(`${area.name} does not exist`);
  const source = readFileSync(area.file, "utf8");
  if (
    !/export\s+(async\s+)?function\s+benchRows\b|export\s+const\s+benchRows\b|export\s*\{[^}]*\bbenchRows\b/.test(
      source,
    )
  )
    return missing(`${area.name} has no benchRows`);
  if (area.fresh === true) return runAreaProcess(area, ctx, missing);
  try {
    const mod = (await import(pathToFileURL(area.file).href)) as {
      benchRows?: (ctx: BenchContext) => Promise<BenchPart>;
    };
    if (typeof mod.benchRows !== "function") return missing(`${area.name} has no benchRows`);
    const part = await mod.benchRows(ctx);
    return { ran: true, rows: part.rows, goals: part.goals, notes: part.notes ?? [] };
  } catch (error) {
    return missing(`${area.name} failed: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** {@link runArea} in a child process (bench/areaProcess.ts): the part comes back through a JSON file. */
function runAreaProcess(area: Area, ctx: BenchContext, missing: (why: string) => AreaResult): AreaResult {
  const dir = mkdtempSync(path.join(tmpdir(), "streammetrics-area-"));
  try {
    const out = path.join(dir, "part.json");
    const job = {
      file: area.file,
      out,
      distDir: ctx.distDir,
      timing: ctx.timing,
      quick: ctx.quick,
      only: ctx.only ?? null,
    };
    const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), "areaProcess.ts");
    const child = spawnSync(process.execPath, ["--import", "tsx", runner, JSON.stringify(job)], {
      stdio: "inherit",
    });
    if (child.status !== 0 || !existsSync(out)) {
      return missing(`${area.name} failed in its process (exit ${String(child.status ?? child.signal)})`);
    }
    const part = JSON.parse(readFileSync(out, "utf8")) as BenchPart;
    return { ran: true, rows: part.rows, goals: part.goals, notes: part.notes ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
