import { readFileSync } from "node:fs";
import { MetricStateError } from "../errors/index.js";
import { HingeLoss } from "../metrics/index.js";
import { DataError, ioReason, UsageError } from "./errors.js";
import { Evaluator, LineError } from "./evaluate.js";
import { DEMO_HELP, EVAL_HELP, HINGE_HELP, MAIN_HELP, MERGE_HELP } from "./help.js";
import {
  checkOutputs,
  checkPlot,
  columnsFlag,
  maxLineBytesFlag,
  METRIC_FLAGS,
  OUTPUT_FLAGS,
  parseFlags,
  resolveFlags,
} from "./flags.js";
import { INPUT_FLAGS, readInputs, resolveInputs } from "./ingest.js";
import { inPieces, writeOutputFile } from "./outputs.js";
import type { PlotSeries } from "./plot.js";
import { formatOfName, lineHandler, NO_COLUMNS } from "./records.js";
import {
  formatTableLines,
  metricTitle,
  optionsOf,
  stateOutChunks,
  summarize,
  toJsonChunks,
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

/** Set by scripts/bundleCli.mjs in the bundled bin (which no longer sits two levels below package.json). */
declare const STREAMMETRICS_VERSION: string | undefined;

function version(): string {
  if (typeof STREAMMETRICS_VERSION === "string") return STREAMMETRICS_VERSION;
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield "\n";
}

/** Writes the results: table or JSON on stdout, then the state and the chart files. */
async function emit(
  io: CliIo,
  results: Results,
  groups: { key: string; metric: HingeLoss }[],
  values: Record<string, unknown>,
  extra: Record<string, unknown>,
): Promise<void> {
  if (results.value === null) {
    throw new DataError(
      results.samples === 0
        ? "nothing to evaluate: no sample was read"
        : "nothing to evaluate: the total weight is 0",
    );
  }
  const text = values.json === true ? withNewline(toJsonChunks(results, extra)) : formatTableLines(results);
  for (const piece of inPieces(text)) io.stdout.write(piece);
  const statePath = values["state-out"] as string | undefined;
  if (statePath !== undefined) {
    writeOutputFile(statePath, withNewline(stateOutChunks(results, groups)), "--state-out");
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
    const { lineChartSvg } = await import("./plot.js");
    writeOutputFile(
      plotPath,
      lineChartSvg(`${metricTitle(results)} by ${results.by}`, results.by ?? "", labels, series),
      "--plot",
    );
    io.stderr.write(`chart written to ${plotPath}\n`);
  }
}

async function runHinge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...METRIC_FLAGS, ...OUTPUT_FLAGS, ...INPUT_FLAGS });
  if (values.help === true) {
    io.stdout.write(HINGE_HELP);
    return 0;
  }
  const options = resolveFlags(values);
  const by = values.by ?? null;
  checkPlot(values, by !== null);
  const maxLineBytes = maxLineBytesFlag(values["max-line-bytes"]);
  const columns = columnsFlag(values);
  if (columns.preds !== null && options.numClasses !== null && columns.preds.length !== options.numClasses) {
    throw new UsageError(
      `--pred-cols names ${columns.preds.length} columns but --num-classes is ${options.numClasses}`,
    );
  }
  const inputs = resolveInputs(positionals, values.format);
  checkOutputs(values);
  const evaluator = new Evaluator<HingeLoss>(optionsOf(options), values["skip-invalid"] === true);
  const debugMemory = values["debug-memory"] === true;
  const read = await readInputs(
    inputs,
    evaluator,
    { by, numClasses: options.numClasses, columns, maxLineBytes, debugMemory },
    io,
  );
  const groups = evaluator.groups();
  let results: Results;
  try {
    results = summarize(groups, by, options);
  } catch (error) {
    if (error instanceof MetricStateError)
      throw new DataError(`the groups cannot be combined: ${error.message}`);
    throw error;
  }
  await emit(io, results, groups, values, { lines: read.lines, skipped: evaluator.skipped });
  if (debugMemory) {
    const maxRss = process.resourceUsage().maxRSS * 1024;
    io.stderr.write(
      `debug-memory ${JSON.stringify({ peakHeapUsed: read.peakHeap, peakRss: read.peakRss, maxRss })}\n`,
    );
  }
  return 0;
}

async function runMerge(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, OUTPUT_FLAGS);
  if (values.help === true) {
    io.stdout.write(MERGE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("merge needs at least one STATE file");
  checkOutputs(values);
  const { mergeStateFiles } = await import("./merge.js");
  const { by, groups } = mergeStateFiles(positionals);
  const all = Array.from(groups, ([key, metric]) => ({ key, metric }));
  if (!all.every((g) => g.metric instanceof HingeLoss && g.metric.kind === HingeLoss.kind)) {
    // states of eval (collections) or of any other registered metric (the facades' included)
    if (values.plot !== undefined) throw new UsageError("--plot draws hinge-loss states only");
    (await import("./evalCommand.js")).emitEval(io, all, by, values, { states: positionals.length });
    return 0;
  }
  checkPlot(values, by !== null);
  const list = all as { key: string; metric: HingeLoss }[];
  let results: Results;
  try {
    results = summarize(list, by);
  } catch (error) {
    if (error instanceof MetricStateError)
      throw new DataError(`the states cannot be combined: ${error.message}`);
    throw error;
  }
  await emit(io, results, list, values, { states: positionals.length });
  return 0;
}

async function runDemo(args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, {
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
  const { DEMO_DEFAULTS, demoCsvLines } = await import("./demo.js");
  const seed = values.seed === undefined ? DEMO_DEFAULTS.seed : Number(values.seed);
  if (!Number.isSafeInteger(seed))
    throw new UsageError(`--seed must be an integer, got ${JSON.stringify(values.seed)}`);
  checkOutputs(values);
  const lines = demoCsvLines({ ...DEMO_DEFAULTS, seed });
  const name = "<demo>";
  const evaluator = new Evaluator<HingeLoss>(optionsOf(options), false);
  evaluator.setFile(name, "csv");
  const onLine = lineHandler("csv", evaluator, "epoch", null, NO_COLUMNS);
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
    writeOutputFile(save, text, "--save");
    io.stderr.write(`sample data written to ${save}\n`);
  }
  const groups = evaluator.groups();
  await emit(io, summarize(groups, "epoch", options), groups, values, {});
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
  // the modules of the other commands are loaded when they run: a shorter start for each
  const helps: Record<string, () => Promise<string>> = {
    hinge: async () => HINGE_HELP,
    eval: async () => EVAL_HELP,
    merge: async () => MERGE_HELP,
    demo: async () => DEMO_HELP,
    collect: async () => (await import("./collect.js")).COLLECT_HELP,
  };
  try {
    switch (command) {
      case "hinge":
        return await runHinge(rest, io);
      case "eval":
        return await (await import("./evalCommand.js")).runEval(rest, io);
      case "merge":
        return await runMerge(rest, io);
      case "demo":
        return await runDemo(rest, io);
      case "collect":
        return await (await import("./collect.js")).runCollect(rest, io);
      case "help":
      case "--help":
      case "-h":
        if (rest[0] !== undefined && !Object.hasOwn(helps, rest[0]))
          throw new UsageError(`unknown command "${rest[0]}"`);
        io.stdout.write(rest[0] !== undefined ? await helps[rest[0]]() : MAIN_HELP);
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
      command !== undefined && Object.hasOwn(helps, command) ? `streammetrics ${command}` : "streammetrics";
    if (error instanceof UsageError) {
      io.stderr.write(`${where}: ${error.message}\nRun "${where} --help" for usage.\n`);
      return 2;
    }
    if (error instanceof LineError || error instanceof DataError) {
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (typeof (error as NodeJS.ErrnoException | null)?.code === "string") {
      // a system error (a closed stdout, a full disk, …): one line, never a stack trace
      io.stderr.write(`${where}: ${ioReason(error)}\n`);
      return 1;
    }
    throw error;
  }
}
