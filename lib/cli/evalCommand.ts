import { MetricStateError } from "../errors/index.js";
import type { AnyMetric } from "../metrics/index.js";
import { DataError, UsageError } from "./errors.js";
import { Evaluator } from "./evaluate.js";
import { EVAL_FLAGS, evalMetrics, type EvalCollection } from "./evalMetrics.js";
import {
  evalJsonChunks,
  evalStateChunks,
  evalSummarize,
  evalTableLines,
  type EvalResults,
} from "./evalReport.js";
import { checkOutputs, columnsFlag, maxLineBytesFlag, OUTPUT_FLAGS, parseFlags } from "./flags.js";
import { EVAL_HELP } from "./help.js";
import { INPUT_FLAGS, readInputs, resolveInputs } from "./ingest.js";
import { inPieces, writeOutputFile } from "./outputs.js";
import type { CliIo } from "./run.js";

/**
 * Writes the results of `eval` (or of `merge` of its states): the table or `--json` on stdout, the state file
 * with `--state-out`.
 *
 * @param io - the streams
 * @param groups - the metric of each group
 * @param by - the grouping field, or `null`
 * @param values - the parsed flags (`json`, `state-out`)
 * @param extra - more top-level fields of the JSON output
 * @param empty - the empty metric the groups started from
 * @throws {@link DataError} when there is nothing to evaluate, or the groups cannot be combined
 * @example
 * ```ts
 * const out: string[] = [];
 * const io = { stdin: [], stdout: { write: (t: string) => out.push(t) }, stderr: { write: () => true }, env: {} };
 * emitEval(io, [{ key: "", metric: new MeanMetric().update([1, 2]) }], null, {}, {});
 * out.join(""); // => "metric      value\nMeanMetric  1.5\n"
 * ```
 */
export function emitEval(
  io: CliIo,
  groups: { key: string; metric: AnyMetric }[],
  by: string | null,
  values: Record<string, unknown>,
  extra: Record<string, unknown>,
  empty?: AnyMetric,
): void {
  if (groups.length === 0) throw new DataError("nothing to evaluate: no sample was read");
  let results: EvalResults;
  try {
    results = evalSummarize(groups, by, empty);
  } catch (error) {
    if (error instanceof MetricStateError)
      throw new DataError(`the states cannot be combined: ${error.message}`);
    throw error;
  }
  const text = values.json === true ? [...evalJsonChunks(results, extra), "\n"] : evalTableLines(results);
  for (const piece of inPieces(text)) io.stdout.write(piece);
  const statePath = values["state-out"] as string | undefined;
  if (statePath !== undefined) {
    writeOutputFile(statePath, [...evalStateChunks(results, groups), "\n"], "--state-out");
    io.stderr.write(`state written to ${statePath}\n`);
  }
}

/**
 * `streammetrics eval [FILE ...] --metric NAME …`: evaluates the chosen metrics (one collection per group)
 * over prediction files, as `hinge` reads them.
 *
 * @param args - the arguments after `eval`
 * @param io - the streams
 * @returns the exit code (0; errors are thrown)
 * @throws {@link UsageError} for bad flags or options; {@link DataError} or `LineError` for bad data
 * @example
 * ```ts
 * const io = { stdin: [], stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
 * await runEval(["--help"], io); // => 0
 * ```
 */
export async function runEval(args: string[], io: CliIo): Promise<number> {
  const { json, "state-out": stateOut, help } = OUTPUT_FLAGS;
  const { values, positionals } = parseFlags(args, {
    ...EVAL_FLAGS,
    ...INPUT_FLAGS,
    json,
    "state-out": stateOut,
    help,
  });
  if (values.help === true) {
    io.stdout.write(EVAL_HELP);
    return 0;
  }
  const { task, collection } = evalMetrics(values);
  const by = values.by ?? null;
  const maxLineBytes = maxLineBytesFlag(values["max-line-bytes"]);
  const columns = columnsFlag(values);
  if (columns.preds !== null && task === "binary") {
    throw new UsageError(
      "--pred-cols names one score column per class: it needs --task multiclass (or --num-classes)",
    );
  }
  const inputs = resolveInputs(positionals, values.format);
  checkOutputs(values);
  const evaluator = new Evaluator<EvalCollection>(collection, values["skip-invalid"] === true);
  const read = await readInputs(
    inputs,
    evaluator,
    { by, numClasses: null, columns, maxLineBytes, debugMemory: false },
    io,
  );
  const groups = evaluator.groups();
  emitEval(io, groups, by, values, { task, lines: read.lines, skipped: evaluator.skipped }, collection);
  return 0;
}
