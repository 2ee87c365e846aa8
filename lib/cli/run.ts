import { createReadStream, readFileSync, statSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createGunzip } from "node:zlib";
import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import { HingeLoss } from "../metrics/index.js";
import { resolveHingeLossOptions, type ResolvedHingeLossOptions } from "../options/index.js";
import { COLLECT_HELP, runCollect } from "./collect.js";
import { DEMO_DEFAULTS, demoCsvLines } from "./demo.js";
import { Evaluator, LineError } from "./evaluate.js";
import { forEachLine } from "./lines.js";
import { lineChartSvg, type PlotSeries } from "./plot.js";
import { ProgressBar, progressWanted } from "./progress.js";
import { formatOfName, HeaderError, lineHandler, type InputFormat } from "./records.js";
import {
  formatTable,
  metricTitle,
  optionsOf,
  stateOut,
  summarize,
  toJsonOutput,
  type Results,
} from "./report.js";

/**
 * Where the command reads and writes: the process's streams by default, replaceable for tests.
 *
 * @example
 * ```ts
 * const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
 * ```
 */
export interface CliIo {
  /** Input when no file (or `-`) is given. */
  stdin: AsyncIterable<Buffer | string>;
  /** Results. */
  stdout: { write(text: string): unknown };
  /** Everything else (messages, progress bar). */
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  /** The environment (`CI` disables the progress bar). */
  env: Record<string, string | undefined>;
}

/** A usage error: printed with a hint to `--help`, exit code 2. */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A failure of the data or of a state file: printed as it is, exit code 1. */
class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

const MAIN_HELP = `streammetrics — streaming, exactly mergeable metrics (hinge loss)

Usage:
  streammetrics hinge [FILE ...] [options]   evaluate predictions (NDJSON or CSV; stdin when no FILE or -)
  streammetrics merge STATE ... [options]    merge states written by --state-out and print the value
  streammetrics demo [options]               evaluate the bundled sample data set, per epoch
  streammetrics collect --redis URL --key KEY merge the states workers published to Redis
  streammetrics help [COMMAND]               show help (also: COMMAND --help)
  streammetrics --version

Exit codes: 0 success, 1 bad data or state (file:line: message), 2 usage error (bad flag or option).

Example:
  streammetrics hinge preds.ndjson --by epoch
`;

const HINGE_HELP = `Usage: streammetrics hinge [FILE ...] [options]

Evaluates the hinge loss of predictions streamed from files (or stdin when no FILE or -), in constant memory.

Input formats (by extension .ndjson/.jsonl/.json or .csv, else from the first line; --format to force;
a .gz file is decompressed as it streams):
  NDJSON  one object per line: {"preds": …, "target": …, "weights"?: …, "epoch"?: …}
          a scalar target is one sample (preds: a number, or C scores); an array target is a batch
  CSV     a header, then one sample per line: target, pred (binary) or pred_0 … pred_{C-1},
          optional weight, any other columns (e.g. epoch)

Options:
  --squared                      square each sample's hinge measure
  --multiclass-mode MODE         crammer-singer (default) or one-vs-all (one value per class)
  --num-classes C                pin the task to multiclass with C classes
  --ignore-index K               skip samples whose target is K
  --by FIELD                     one result per value of FIELD (e.g. epoch), in order of appearance
  --json                         print one JSON object instead of a table
  --format ndjson|csv            input format (default: from the file extension)
  --skip-invalid                 skip bad lines and count them instead of stopping at the first
  --state-out FILE               write the final state (JSON; with --by, one state per group)
  --plot FILE.svg                write an SVG line chart of the value per group (needs --by)
  -h, --help                     show this help

Results go to stdout; messages and the progress bar (only on a terminal, and only when CI is unset) go to
stderr. A bad line stops with "file:line: message" and exit code 1.

Example:
  streammetrics hinge preds.csv --by epoch --multiclass-mode one-vs-all --state-out worker1.json
`;

const MERGE_HELP = `Usage: streammetrics merge STATE ... [options]   (- reads one state from stdin)

Merges states written by "streammetrics hinge --state-out" (e.g. on several machines) and prints the value:
bit-identical to one run over all the data. Grouped states (--by) merge group by group.

Options:
  --json                         print one JSON object instead of a table
  --state-out FILE               write the merged state
  --plot FILE.svg                write an SVG line chart of the value per group (grouped states)
  -h, --help                     show this help

Example:
  streammetrics merge worker1.json worker2.json --json
`;

const DEMO_HELP = `Usage: streammetrics demo [options]

Evaluates a bundled sample: ${DEMO_DEFAULTS.epochs} epochs × ${DEMO_DEFAULTS.perEpoch} samples of a ${DEMO_DEFAULTS.classes}-class classifier that improves every epoch,
generated reproducibly from a seeded PRNG, and prints the hinge loss per epoch.

Options:
  --squared, --multiclass-mode MODE, --json, --state-out FILE, --plot FILE.svg   as for "hinge"
  --seed N                       PRNG seed (default ${DEMO_DEFAULTS.seed})
  --save FILE                    also write the sample data (.csv, or .ndjson) to try "hinge" on it
  -h, --help                     show this help

Example:
  streammetrics demo --multiclass-mode one-vs-all --plot demo.svg
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** A numeric flag as a number when it reads as one, else the text (so zod's message shows what was given). */
function numberFlag(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : text;
}

function resolveFlags(values: Record<string, unknown>): ResolvedHingeLossOptions {
  const options: Record<string, unknown> = {};
  if (values.squared === true) options.squared = true;
  if (values["multiclass-mode"] !== undefined) options.multiclassMode = values["multiclass-mode"];
  const numClasses = numberFlag(values["num-classes"] as string | undefined);
  if (numClasses !== undefined) options.numClasses = numClasses;
  const ignoreIndex = numberFlag(values["ignore-index"] as string | undefined);
  if (ignoreIndex !== undefined) options.ignoreIndex = ignoreIndex;
  try {
    return resolveHingeLossOptions(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw new UsageError(`invalid options\n${error.message}`);
    throw error;
  }
}

const METRIC_FLAGS = {
  squared: { type: "boolean" },
  "multiclass-mode": { type: "string" },
  "num-classes": { type: "string" },
  "ignore-index": { type: "string" },
} as const;

const OUTPUT_FLAGS = {
  json: { type: "boolean" },
  "state-out": { type: "string" },
  plot: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parse<T extends NonNullable<Parameters<typeof parseArgs>[0]>["options"]>(
  args: string[],
  options: T,
) {
  // `--ignore-index -100`: a negative number is the flag's value, not another flag
  const opts = (options ?? {}) as Record<string, { type: string }>;
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : null;
    if (name !== null && opts[name]?.type === "string" && /^-\.?\d/.test(args[i + 1] ?? "")) {
      joined.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else joined.push(args[i]);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--[^']+)'/.exec(message);
    if (unknown !== null) {
      const kebab = unknown[1].replace(/_/g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const known = Object.keys(options ?? {})
        .filter((name) => name !== "debug-memory")
        .map((name) => `--${name}`);
      const hint = known.includes(kebab) ? `did you mean ${kebab}?` : `known options: ${known.join(", ")}`;
      throw new UsageError(`unknown option ${unknown[1]}: ${hint}`);
    }
    throw new UsageError(message);
  }
}

/** Writes the results: table or JSON on stdout, then the state and the chart files. */
function emit(
  io: CliIo,
  results: Results,
  groups: { key: string; metric: HingeLoss }[],
  values: Record<string, unknown>,
  extra: Record<string, unknown>,
): void {
  if (results.value === null) {
    throw new DataError(
      results.samples === 0
        ? "nothing to evaluate: no sample was read"
        : "nothing to evaluate: the total weight is 0",
    );
  }
  io.stdout.write(values.json === true ? toJsonOutput(results, extra) + "\n" : formatTable(results));
  const statePath = values["state-out"] as string | undefined;
  if (statePath !== undefined) {
    writeFileSync(statePath, JSON.stringify(stateOut(results, groups)) + "\n");
    io.stderr.write(`state written to ${statePath}\n`);
  }
  const plotPath = values.plot as string | undefined;
  if (plotPath !== undefined) {
    const perClass = results.task === "multiclass" && results.options.multiclassMode === "one-vs-all";
    const C = results.numClasses ?? 1;
    const series: PlotSeries[] = perClass
      ? Array.from({ length: C }, (_, c) => ({
          name: `class ${c}`,
          values: results.groups.map((g) => (Array.isArray(g.value) ? g.value[c] : null)),
        }))
      : [
          {
            name: results.options.squared ? "squared hinge loss" : "hinge loss",
            values: results.groups.map((g) => (typeof g.value === "number" ? g.value : null)),
          },
        ];
    const labels = results.groups.map((g) => g.group);
    writeFileSync(
      plotPath,
      lineChartSvg(`${metricTitle(results)} by ${results.by}`, results.by ?? "", labels, series),
    );
    io.stderr.write(`chart written to ${plotPath}\n`);
  }
}

function checkPlot(values: Record<string, unknown>, grouped: boolean): void {
  if (values.plot !== undefined && !grouped) {
    throw new UsageError("--plot draws the value per group: it needs --by FIELD (or grouped states)");
  }
}

/** One input of `hinge`: a file, or stdin. */
interface Input {
  name: string;
  path: string | null;
  size: number | null;
  format: InputFormat | null;
}

async function runHinge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    ...METRIC_FLAGS,
    ...OUTPUT_FLAGS,
    by: { type: "string" },
    format: { type: "string" },
    "skip-invalid": { type: "boolean" },
    "debug-memory": { type: "boolean" },
  });
  if (values.help === true) {
    io.stdout.write(HINGE_HELP);
    return 0;
  }
  const options = resolveFlags(values);
  const by = values.by ?? null;
  checkPlot(values, by !== null);
  let forced: InputFormat | null = null;
  if (values.format !== undefined) {
    const f = values.format.toLowerCase();
    if (f === "ndjson" || f === "jsonl") forced = "ndjson";
    else if (f === "csv") forced = "csv";
    else throw new UsageError(`--format must be ndjson or csv, got ${JSON.stringify(values.format)}`);
  }
  const inputs: Input[] = (positionals.length === 0 ? ["-"] : positionals).map((file) => {
    if (file === "-") return { name: "<stdin>", path: null, size: null, format: forced };
    let size: number;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new DataError(`cannot read ${file}: it is a directory`);
      size = stat.size;
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw new DataError(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    return { name: file, path: file, size, format: forced ?? formatOfName(file.replace(/\.gz$/i, "")) };
  });
  const evaluator = new Evaluator(optionsOf(options), values["skip-invalid"] === true);
  const sized = inputs.every((input) => input.size !== null);
  const bar = progressWanted(io.stderr, io.env)
    ? new ProgressBar(io.stderr, sized ? inputs.reduce((s, input) => s + (input.size ?? 0), 0) : null)
    : null;
  const debugMemory = values["debug-memory"] === true;
  let peakHeap = 0;
  let peakRss = 0;
  const onChunk = (bytes: number): void => {
    bar?.add(bytes);
    if (debugMemory) {
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      if (m.rss > peakRss) peakRss = m.rss;
    }
  };
  let linesRead = 0;
  try {
    for (const input of inputs) {
      evaluator.setFile(input.name, input.format === "csv" ? "csv" : "ndjson");
      const onLine = lineHandler(input.format, evaluator, by, options.numClasses);
      let stream: AsyncIterable<Buffer | string> = io.stdin;
      let count: ((bytes: number) => void) | undefined = onChunk;
      if (input.path !== null) {
        const file = createReadStream(input.path, { highWaterMark: 256 * 1024 });
        if (/\.gz$/i.test(input.path)) {
          // progress counts the compressed bytes read, as the file's size does
          file.on("data", (chunk) => onChunk(chunk.length));
          file.on("error", (error) => gunzip.destroy(error));
          const gunzip = file.pipe(createGunzip());
          stream = gunzip;
          count = undefined;
        } else stream = file;
      }
      try {
        linesRead += await forEachLine(stream, onLine, count);
      } catch (error) {
        if (error instanceof HeaderError) throw new LineError(input.name, error.line, error.message);
        if (error instanceof LineError || error instanceof DataError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== undefined) throw new DataError(`cannot read ${input.name}: ${code}`);
        throw error;
      }
    }
    evaluator.finish();
  } finally {
    bar?.done();
  }
  if (evaluator.skipped > 0) {
    io.stderr.write(
      `skipped ${evaluator.skipped} invalid line${evaluator.skipped === 1 ? "" : "s"}:\n` +
        evaluator.skippedSamples.map((m) => `  ${m}\n`).join("") +
        (evaluator.skipped > evaluator.skippedSamples.length ? "  …\n" : ""),
    );
  }
  const groups = evaluator.groups();
  let results: Results;
  try {
    results = summarize(groups, by, options);
  } catch (error) {
    if (error instanceof MetricStateError)
      throw new DataError(`the groups cannot be combined: ${error.message}`);
    throw error;
  }
  emit(io, results, groups, values, { lines: linesRead, skipped: evaluator.skipped });
  if (debugMemory) {
    const maxRss = process.resourceUsage().maxRSS * 1024;
    io.stderr.write(`debug-memory ${JSON.stringify({ peakHeapUsed: peakHeap, peakRss, maxRss })}\n`);
  }
  return 0;
}

function readState(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new DataError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DataError(`${file}: invalid JSON (${(error as Error).message})`);
  }
}

async function runMerge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OUTPUT_FLAGS);
  if (values.help === true) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("merge needs at least one STATE file");
  let by: string | null | undefined;
  const groups = new Map<string, HingeLoss>();
  for (const file of positionals) {
    const json = readState(file) as Record<string, unknown> | null;
    const grouped = json !== null && typeof json === "object" && json.kind === "HingeLossGroups";
    const entries: { group: string; state: unknown }[] = [];
    if (grouped) {
      if (json.version !== 1)
        throw new DataError(
          `${file}: grouped state version ${JSON.stringify(json.version)} is not supported (expected 1)`,
        );
      if (typeof json.by !== "string" || !Array.isArray(json.groups)) {
        throw new DataError(`${file}: a grouped state needs "by" (a string) and "groups" (an array)`);
      }
      for (const [i, entry] of (json.groups as unknown[]).entries()) {
        const e = entry as Record<string, unknown> | null;
        if (e === null || typeof e !== "object" || typeof e.group !== "string" || e.state === undefined) {
          throw new DataError(`${file}: groups[${i}] must be {"group": string, "state": object}`);
        }
        entries.push({ group: e.group, state: e.state });
      }
    } else {
      entries.push({ group: "", state: json });
    }
    const fileBy = grouped ? (json.by as string) : null;
    if (by === undefined) by = fileBy;
    else if (by !== fileBy) {
      throw new DataError(
        `${file}: cannot merge ${fileBy === null ? "an ungrouped state" : `states grouped by "${fileBy}"`} with ${by === null ? "ungrouped states" : `states grouped by "${by}"`}`,
      );
    }
    for (const { group, state } of entries) {
      const where = grouped ? `${file}: group ${JSON.stringify(group)}` : file;
      try {
        const known = groups.get(group);
        if (known === undefined) groups.set(group, HingeLoss.fromJSON(state));
        else known.merge(state as HingeLoss);
      } catch (error) {
        if (error instanceof MetricStateError) throw new DataError(`${where}: ${error.message}`);
        throw error;
      }
    }
  }
  checkPlot(values, by !== null);
  const list = Array.from(groups, ([key, metric]) => ({ key, metric }));
  let results: Results;
  try {
    results = summarize(list, by ?? null);
  } catch (error) {
    if (error instanceof MetricStateError)
      throw new DataError(`the states cannot be combined: ${error.message}`);
    throw error;
  }
  emit(io, results, list, values, { states: positionals.length });
  return 0;
}

async function runDemo(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    squared: METRIC_FLAGS.squared,
    "multiclass-mode": METRIC_FLAGS["multiclass-mode"],
    ...OUTPUT_FLAGS,
    seed: { type: "string" },
    save: { type: "string" },
  });
  if (values.help === true) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const options = resolveFlags(values);
  const seed = values.seed === undefined ? DEMO_DEFAULTS.seed : Number(values.seed);
  if (!Number.isSafeInteger(seed))
    throw new UsageError(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  const lines = demoCsvLines({ ...DEMO_DEFAULTS, seed });
  const name = "<demo>";
  const evaluator = new Evaluator(optionsOf(options), false);
  evaluator.setFile(name, "csv");
  const onLine = lineHandler("csv", evaluator, "epoch", null);
  lines.forEach((line, i) => onLine(line, i + 1));
  evaluator.finish();
  const { epochs, perEpoch, classes } = DEMO_DEFAULTS;
  io.stderr.write(
    `demo: ${epochs * perEpoch} samples, ${classes} classes, ${epochs} epochs (seed ${seed}); the same as "streammetrics hinge demo.csv --by epoch" on the file written by --save demo.csv\n`,
  );
  const save = values.save;
  if (save !== undefined) {
    const [header, ...rows] = lines;
    const cols = header.split(",");
    const text =
      formatOfName(save) === "ndjson"
        ? rows
            .map((row) => {
              const cells = row.split(",").map(Number);
              return JSON.stringify({ epoch: cells[0], target: cells[1], preds: cells.slice(2) });
            })
            .join("\n") + "\n"
        : [cols.join(","), ...rows].join("\n") + "\n";
    writeFileSync(save, text);
    io.stderr.write(`sample data written to ${save}\n`);
  }
  const groups = evaluator.groups();
  emit(io, summarize(groups, "epoch", options), groups, values, {});
  return 0;
}

/**
 * Runs the `streammetrics` command and returns its exit code: 0 on success, 1 for bad data or a bad state
 * (`file:line: message` on stderr), 2 for a usage error (unknown flag, bad option value).
 *
 * @param argv - the arguments after the program name
 * @param io - streams and environment (the process's by default)
 * @returns the exit code
 * @example
 * ```ts
 * await runCli(["--version"]); // prints 0.1.0
 * // => 0
 * ```
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const [command, ...rest] = argv;
  const helps: Record<string, string> = { hinge: HINGE_HELP, merge: MERGE_HELP, demo: DEMO_HELP };
  helps.collect = COLLECT_HELP;
  try {
    switch (command) {
      case "hinge":
        return await runHinge(rest, io);
      case "merge":
        return await runMerge(rest, io);
      case "demo":
        return await runDemo(rest, io);
      case "collect":
        return await runCollect(rest, io);
      case "help":
      case "--help":
      case "-h":
        if (rest[0] !== undefined && helps[rest[0]] === undefined)
          throw new UsageError(`unknown command "${rest[0]}"`);
        io.stdout.write(rest[0] !== undefined ? helps[rest[0]] : MAIN_HELP);
        return 0;
      case "--version":
      case "-v":
        io.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
        io.stderr.write(MAIN_HELP);
        return 2;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    const where =
      command !== undefined && helps[command] !== undefined ? `streammetrics ${command}` : "streammetrics";
    if (error instanceof UsageError) {
      io.stderr.write(`${where}: ${error.message}\nRun "${where} --help" for usage.\n`);
      return 2;
    }
    if (error instanceof LineError || error instanceof DataError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
