import { NdjsonRows } from "./byteRows.js";
import { csvHandler } from "./csvRecords.js";
import { clip } from "./errors.js";
import type { Evaluator } from "./evaluate.js";
import type { ByteLines } from "./lines.js";

export { HeaderError } from "./csvRecords.js";

/**
 * An input format: NDJSON (one JSON object per line) or CSV (a header line, then one sample per line).
 *
 * @example
 * ```ts
 * const format: InputFormat = "csv";
 * ```
 */
export type InputFormat = "ndjson" | "csv";

/**
 * The format a file's name implies: `.ndjson`, `.jsonl`, `.json` → NDJSON; `.csv` → CSV; else `null` (then
 * the first non-empty line decides: `{` means NDJSON).
 *
 * @param file - a file name
 * @returns the format, or `null` when the extension says nothing
 * @example
 * ```ts
 * formatOfName("preds.jsonl"); // => "ndjson"
 * formatOfName("-"); // => null
 * ```
 */
export function formatOfName(file: string): InputFormat | null {
  const lower = file.toLowerCase();
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || lower.endsWith(".json")) return "ndjson";
  if (lower.endsWith(".csv")) return "csv";
  return null;
}

/**
 * The column names chosen on the command line (`--target-col`, `--pred-col`, `--pred-cols`, `--weight-col`);
 * `null` for the defaults: `target`; `pred` or `pred_0 … pred_{C-1}` in CSV, `preds` in NDJSON; `weight` in
 * CSV, `weights` in NDJSON.
 *
 * @example
 * ```ts
 * const columns: Columns = { target: "label", pred: "score", preds: null, weight: null };
 * ```
 */
export interface Columns {
  /** The labels' column or key. */
  readonly target: string | null;
  /** One score column (binary); in NDJSON the key of the preds (a number, C scores, or a batch). */
  readonly pred: string | null;
  /** One score column per class, in class order (multiclass; one sample per line). */
  readonly preds: readonly string[] | null;
  /** The weights' column or key. */
  readonly weight: string | null;
}

/**
 * The default column names.
 *
 * @example
 * ```ts
 * NO_COLUMNS.target; // => null
 * ```
 */
export const NO_COLUMNS: Columns = Object.freeze({ target: null, pred: null, preds: null, weight: null });

/**
 * A group key from a field's value: strings as they are, numbers and booleans as JavaScript prints them. So in
 * NDJSON `1`, `1.0` (the same JSON number) and `"1"` are one group, and a CSV cell `1` (a CSV cell is text)
 * is that group too; CSV cells are used as written (trimmed), never reformatted: `1.0` and `1` are two groups
 * there (a column may hold identifiers such as `007`). Documented in `--help` and docs/cli.md.
 */
function groupKey(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `a string (${clip(value, 30)})`;
  return `${typeof value} ${String(value)}`;
}

function isNumberArray(value: unknown[]): value is number[] {
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== "number") return false;
  return true;
}

/**
 * The reader of one input: `onLine` parses a line of text (NDJSON or CSV, the header included) and feeds the
 * {@link Evaluator}; `fast` takes the usual rows straight from the bytes (once the header or the first line has
 * been read as text), the same samples as `onLine` would give, and declines the others (see byteRows.ts).
 * Pass `onLine` and `fast` to {@link forEachLine}.
 *
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.csv", "csv");
 * const reader = recordReader("csv", ev, null, null);
 * reader.onLine("target,pred", 1);
 * const bytes = Buffer.from("0,-2.2\n1,2.4\n1,0.1\n");
 * reader.fast.take(bytes, 0, bytes.length, 2, 1 << 24); // => 19
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.3
 * ```
 */
export interface RecordReader {
  /** Reads one line of text. */
  readonly onLine: (line: string, lineNo: number) => void;
  /** Reads the usual rows from bytes. */
  readonly fast: ByteLines;
}

class Records implements RecordReader, ByteLines {
  taken = 0;
  readonly fast: ByteLines = this;
  readonly onLine: (line: string, lineNo: number) => void;
  private rows: ByteLines | null = null;

  constructor(
    format: InputFormat | null,
    evaluator: Evaluator,
    by: string | null,
    numClasses: number | null,
    columns: Columns,
  ) {
    let handler: ((line: string, lineNo: number) => void) | null = null;
    this.onLine = (line, lineNo) => {
      if (handler === null) {
        if (line.trim() === "") return;
        const chosen = format ?? (line.trimStart().startsWith("{") ? "ndjson" : "csv");
        if (chosen === "ndjson") {
          handler = ndjsonHandler(evaluator, by, columns);
          this.rows = ndjsonRows(evaluator, by, columns);
        } else {
          handler = csvHandler(
            evaluator,
            by,
            numClasses,
            columns,
            line,
            lineNo,
            (rows) => (this.rows = rows),
          );
          return;
        }
      }
      handler(line, lineNo);
    };
  }

  take(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
    const rows = this.rows;
    if (rows === null) {
      this.taken = 0;
      return start;
    }
    const next = rows.take(bytes, start, end, lineNo, limit);
    this.taken = rows.taken;
    return next;
  }
}

/**
 * Makes the reader of one input ({@link RecordReader}). Empty lines are ignored. A bad line goes to
 * `evaluator.invalid` (which throws, or counts it with `--skip-invalid`).
 *
 * NDJSON lines are objects `{ "preds": …, "target": …, "weights"?: …, <field>?: … }`: a scalar `target` is
 * one sample (`preds` a number or an array of C scores, `weights` a number), an array `target` is a batch.
 * CSV has a `target` column, a `pred` column (binary) or `pred_0 … pred_{C-1}`, and optional `weight`.
 *
 * @param format - the input's format, or `null` to decide from the first non-empty line
 * @param evaluator - where samples go
 * @param by - the grouping field (`--by`), or `null`
 * @param numClasses - `--num-classes` if given (a CSV header must then have that many pred columns)
 * @param columns - the column names chosen on the command line (default: none, the standard names)
 * @returns the text and byte readers of the input
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.ndjson", "ndjson");
 * recordReader(null, ev, null, null).onLine('{"preds":[0.5],"target":1}', 1);
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.5
 * ```
 */
export function recordReader(
  format: InputFormat | null,
  evaluator: Evaluator,
  by: string | null,
  numClasses: number | null,
  columns: Columns = NO_COLUMNS,
): RecordReader {
  return new Records(format, evaluator, by, numClasses, columns);
}

/**
 * The text reader alone ({@link recordReader}'s `onLine`): parses each line and feeds the {@link Evaluator}.
 *
 * @param format - the input's format, or `null` to decide from the first non-empty line
 * @param evaluator - where samples go
 * @param by - the grouping field (`--by`), or `null`
 * @param numClasses - `--num-classes` if given (a CSV header must then have that many pred columns)
 * @param columns - the column names chosen on the command line (default: none, the standard names)
 * @returns `(line, lineNo) => void`
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.csv", "csv");
 * const onLine = lineHandler("csv", ev, null, null);
 * ["target,pred", "0,-2.2", "1,2.4", "1,0.1"].forEach((line, i) => onLine(line, i + 1));
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.3
 * ```
 */
export function lineHandler(
  format: InputFormat | null,
  evaluator: Evaluator,
  by: string | null,
  numClasses: number | null,
  columns: Columns = NO_COLUMNS,
): (line: string, lineNo: number) => void {
  return recordReader(format, evaluator, by, numClasses, columns).onLine;
}

/**
 * The byte reader of NDJSON rows, or `null` where it does not apply (`--pred-cols`, a field named twice, a
 * name not in printable ASCII or with a quote or a backslash).
 */
function ndjsonRows(evaluator: Evaluator, by: string | null, columns: Columns): ByteLines | null {
  const names = [columns.target ?? "target", columns.pred ?? "preds", columns.weight ?? "weights"];
  if (by !== null) names.push(by);
  if (columns.preds !== null || new Set(names).size !== names.length) return null;
  // the byte reader matches names as bytes: plain ASCII ones (others are left to JSON.parse)
  if (!names.every((name) => /^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name))) return null;
  return new NdjsonRows(evaluator, names[0], names[1], names[2], by);
}

function ndjsonHandler(
  evaluator: Evaluator,
  by: string | null,
  columns: Columns,
): (line: string, lineNo: number) => void {
  const targetKey = columns.target ?? "target";
  const predsKey = columns.pred ?? "preds";
  const weightsKey = columns.weight ?? "weights";
  const scoreKeys = columns.preds;
  const scores = new Float64Array(scoreKeys?.length ?? 0);
  const field = (obj: Record<string, unknown>, key: string): unknown =>
    Object.hasOwn(obj, key) ? obj[key] : undefined;
  return (line, lineNo) => {
    if (line.length === 0 || line.trim() === "") return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      evaluator.invalid(lineNo, `invalid JSON (${(error as Error).message})`);
      return;
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) {
      const keys =
        scoreKeys === null
          ? `${clip(predsKey)} and ${clip(targetKey)}`
          : `the score keys and ${clip(targetKey)}`;
      evaluator.invalid(lineNo, `expected a JSON object with ${keys}, got ${kindOf(record)}`);
      return;
    }
    const obj = record as Record<string, unknown>;
    const target = field(obj, targetKey);
    const weights = field(obj, weightsKey);
    if (target === undefined) {
      evaluator.invalid(lineNo, `missing ${clip(targetKey)}`);
      return;
    }
    let preds: unknown;
    if (scoreKeys !== null) {
      // --pred-cols: one sample per line, one score per key
      for (let j = 0; j < scoreKeys.length; j++) {
        const v = field(obj, scoreKeys[j]);
        if (typeof v !== "number") {
          evaluator.invalid(
            lineNo,
            v === undefined
              ? `missing ${clip(scoreKeys[j])}`
              : `${clip(scoreKeys[j])} must be a number, got ${kindOf(v)}`,
          );
          return;
        }
        scores[j] = v;
      }
      preds = scores;
    } else {
      preds = field(obj, predsKey);
      if (preds === undefined) {
        evaluator.invalid(lineNo, `missing ${clip(predsKey)}`);
        return;
      }
    }
    let key = "";
    if (by !== null) {
      const value = Object.hasOwn(obj, by) ? obj[by] : undefined;
      const k = groupKey(value);
      if (k === null) {
        evaluator.invalid(
          lineNo,
          value === undefined
            ? `missing the --by field "${by}"`
            : `the --by field "${by}" must be a string, number or boolean, got ${kindOf(value)}`,
        );
        return;
      }
      key = k;
    }
    if (scoreKeys === null && (Array.isArray(target) || (target !== null && typeof target === "object"))) {
      evaluator.batch(key, preds, target, weights ?? undefined, lineNo);
      return;
    }
    // one sample per line
    if (typeof target === "number" && (weights === undefined || typeof weights === "number")) {
      if (preds === scores) {
        evaluator.row(key, scores, scores.length, target, weights, lineNo);
        return;
      }
      if (typeof preds === "number") {
        evaluator.row(key, [preds], 1, target, weights, lineNo);
        return;
      }
      if (Array.isArray(preds) && preds.length > 0 && isNumberArray(preds)) {
        evaluator.row(key, preds, preds.length, target, weights, lineNo);
        return;
      }
    }
    // an unusual single sample: let the metric say what is wrong with it
    evaluator.batch(
      key,
      preds === scores ? [Array.from(scores)] : [preds],
      [target],
      weights === undefined ? undefined : [weights],
      lineNo,
    );
  };
}
