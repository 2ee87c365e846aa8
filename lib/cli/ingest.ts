import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { DataError, ioReason, UsageError } from "./errors.js";
import { LineError, type Evaluator, type StreamMetric } from "./evaluate.js";
import { forEachLine, LineTooLongError } from "./lines.js";
import { ProgressBar, progressWanted } from "./progress.js";
import { formatOfName, HeaderError, recordReader, type Columns, type InputFormat } from "./records.js";
import type { CliIo } from "./run.js";

/**
 * The input flags of the commands that read prediction files (`hinge`, `eval`), for `parseArgs`.
 *
 * @example
 * ```ts
 * INPUT_FLAGS["target-col"].type; // => "string"
 * ```
 */
export const INPUT_FLAGS = {
  by: { type: "string" },
  format: { type: "string" },
  "skip-invalid": { type: "boolean" },
  "max-line-bytes": { type: "string" },
  "target-col": { type: "string" },
  "pred-col": { type: "string" },
  "pred-cols": { type: "string" },
  "weight-col": { type: "string" },
  "debug-memory": { type: "boolean" },
} as const;

/**
 * One input: a file, or stdin.
 *
 * @example
 * ```ts
 * const input: Input = { name: "<stdin>", path: null, size: null, format: null };
 * ```
 */
export interface Input {
  /** The name in messages (`<stdin>` for standard input). */
  name: string;
  /** The path, or `null` for stdin. */
  path: string | null;
  /** The size in bytes (`null` for stdin). */
  size: number | null;
  /** The format, or `null` to decide from the first line. */
  format: InputFormat | null;
}

/**
 * The inputs named on the command line (stdin when none, or `-`), each checked to be a readable file.
 *
 * @param positionals - the file arguments
 * @param format - the `--format` flag, if given
 * @returns the inputs
 * @throws {@link UsageError} for a bad `--format`; {@link DataError} for a missing file or a directory
 * @example
 * ```ts
 * resolveInputs([], undefined); // => [{ name: "<stdin>", path: null, size: null, format: null }]
 * ```
 */
export function resolveInputs(positionals: string[], format: string | undefined): Input[] {
  let forced: InputFormat | null = null;
  if (format !== undefined) {
    const f = format.toLowerCase();
    if (f === "ndjson" || f === "jsonl") forced = "ndjson";
    else if (f === "csv") forced = "csv";
    else throw new UsageError(`--format must be ndjson or csv, got ${JSON.stringify(format)}`);
  }
  return (positionals.length === 0 ? ["-"] : positionals).map((file) => {
    if (file === "-") return { name: "<stdin>", path: null, size: null, format: forced };
    let size: number;
    try {
      const stat = statSync(file);
      if (stat.isDirectory()) throw new DataError(`cannot read ${file}: it is a directory`);
      size = stat.size;
    } catch (error) {
      if (error instanceof DataError) throw error;
      throw new DataError(`cannot read ${file}: ${ioReason(error)}`);
    }
    return { name: file, path: file, size, format: forced ?? formatOfName(file.replace(/\.gz$/i, "")) };
  });
}

/** The bytes read from a file at a time. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A plain file's bytes, read in chunks into one buffer used again and again (memory stays flat and warm in the
 * cache; {@link forEachLine} copies the bytes it keeps past a chunk). Synchronous reads: the command has
 * nothing else to do meanwhile.
 */
async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const got = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (got === 0) return;
      yield buffer.subarray(0, got);
    }
  } finally {
    closeSync(fd);
  }
}

function isPlainFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // the stream reports it
  }
}

/**
 * How {@link readInputs} reads.
 *
 * @example
 * ```ts
 * const how: ReadOptions = {
 *   by: null,
 *   numClasses: null,
 *   columns: { target: "label", pred: null, preds: null, weight: null },
 *   maxLineBytes: 1 << 24,
 *   debugMemory: false,
 * };
 * how.columns.target; // => "label"
 * ```
 */
export interface ReadOptions {
  /** The grouping field, or `null`. */
  by: string | null;
  /** `--num-classes` when a CSV header must have that many pred columns, else `null`. */
  numClasses: number | null;
  /** The chosen column names. */
  columns: Columns;
  /** The longest line. */
  maxLineBytes: number;
  /** Whether to measure the peak memory. */
  debugMemory: boolean;
}

/**
 * Reads every input line by line into the evaluator (a `.gz` file decompressed as it streams, a progress bar
 * on a terminal), then reports the skipped lines on stderr.
 *
 * @param inputs - from {@link resolveInputs}
 * @param evaluator - where the samples go
 * @param how - grouping, columns, limits
 * @param io - the streams
 * @returns the lines read and the peak memory measured (0 unless `debugMemory`)
 * @throws {@link LineError} for a bad line or header; {@link DataError} for a file that cannot be read
 * @example
 * ```ts no-run
 * // needs an Evaluator and streams: see runEval in evalCommand.ts
 * const { lines } = await readInputs(resolveInputs(["preds.csv"], undefined), evaluator, how, io);
 * ```
 */
export async function readInputs<M extends StreamMetric>(
  inputs: Input[],
  evaluator: Evaluator<M>,
  how: ReadOptions,
  io: CliIo,
): Promise<{ lines: number; peakHeap: number; peakRss: number }> {
  const sized = inputs.every((input) => input.size !== null);
  const bar = progressWanted(io.stderr, io.env)
    ? new ProgressBar(io.stderr, sized ? inputs.reduce((s, input) => s + (input.size ?? 0), 0) : null)
    : null;
  let peakHeap = 0;
  let peakRss = 0;
  const onChunk = (bytes: number): void => {
    bar?.add(bytes);
    if (how.debugMemory) {
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      if (m.rss > peakRss) peakRss = m.rss;
    }
  };
  const { maxLineBytes } = how;
  let linesRead = 0;
  try {
    for (const input of inputs) {
      evaluator.setFile(input.name, input.format === "csv" ? "csv" : "ndjson");
      const reader = recordReader(
        input.format,
        evaluator as unknown as Evaluator,
        how.by,
        how.numClasses,
        how.columns,
      );
      let stream: AsyncIterable<Buffer | string> = io.stdin;
      let count: ((bytes: number) => void) | undefined = onChunk;
      if (input.path !== null) {
        if (/\.gz$/i.test(input.path)) {
          const { createGunzip } = await import("node:zlib"); // loaded only for .gz files
          const file = createReadStream(input.path, { highWaterMark: 256 * 1024 });
          // progress counts the compressed bytes read, as the file's size does
          file.on("data", (chunk) => onChunk(chunk.length));
          file.on("error", (error) => gunzip.destroy(error));
          const gunzip = file.pipe(createGunzip());
          stream = gunzip;
          count = undefined;
        } else if (isPlainFile(input.path)) stream = fileChunks(input.path);
        else stream = createReadStream(input.path, { highWaterMark: CHUNK_BYTES }); // a pipe, a device
      }
      const tooLong = `line longer than ${maxLineBytes} bytes (--max-line-bytes raises the limit)`;
      try {
        linesRead += await forEachLine(stream, reader.onLine, {
          fast: reader.fast,
          onChunk: count,
          maxLineBytes,
          onLongLine: (lineNo) => evaluator.invalid(lineNo, tooLong),
        });
      } catch (error) {
        if (error instanceof HeaderError) throw new LineError(input.name, error.line, error.message);
        if (error instanceof LineTooLongError) throw new LineError(input.name, error.line, tooLong);
        if (error instanceof LineError || error instanceof DataError) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "Z_BUF_ERROR" && input.size === 0)
          throw new DataError(`cannot read ${input.name}: the file is empty (0 bytes), not gzip data`);
        if (code !== undefined) throw new DataError(`cannot read ${input.name}: ${ioReason(error)}`);
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
  return { lines: linesRead, peakHeap, peakRss };
}
