import type { Evaluator } from "./evaluate.js";

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
 * A group key from a field's value: strings as they are, numbers and booleans as text (so `1` in NDJSON and
 * `1` in a CSV cell are the same group).
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
  if (typeof value === "string")
    return `a string (${JSON.stringify(value.length > 30 ? value.slice(0, 30) + "…" : value)})`;
  return `${typeof value} ${String(value)}`;
}

function isNumberArray(value: unknown[]): value is number[] {
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== "number") return false;
  return true;
}

/**
 * Makes the line handler of one input: it parses each line (NDJSON or CSV, the header included) and feeds
 * the {@link Evaluator}. Empty lines are ignored. A bad line goes to `evaluator.invalid` (which throws, or
 * counts it with `--skip-invalid`).
 *
 * NDJSON lines are objects `{ "preds": …, "target": …, "weights"?: …, <field>?: … }`: a scalar `target` is
 * one sample (`preds` a number or an array of C scores, `weights` a number), an array `target` is a batch.
 * CSV has a `target` column, a `pred` column (binary) or `pred_0 … pred_{C-1}`, and optional `weight`.
 *
 * @param format - the input's format, or `null` to decide from the first non-empty line
 * @param evaluator - where samples go
 * @param by - the grouping field (`--by`), or `null`
 * @param numClasses - `--num-classes` if given (a CSV header must then have that many pred columns)
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
): (line: string, lineNo: number) => void {
  let handler: ((line: string, lineNo: number) => void) | null = null;
  return (line, lineNo) => {
    if (handler === null) {
      if (line.trim() === "") return;
      const chosen = format ?? (line.trimStart().startsWith("{") ? "ndjson" : "csv");
      if (chosen === "ndjson") handler = ndjsonHandler(evaluator, by);
      else {
        handler = csvHandler(evaluator, by, numClasses, line, lineNo);
        return;
      }
    }
    handler(line, lineNo);
  };
}

function ndjsonHandler(evaluator: Evaluator, by: string | null): (line: string, lineNo: number) => void {
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
      evaluator.invalid(lineNo, `expected a JSON object with "preds" and "target", got ${kindOf(record)}`);
      return;
    }
    const obj = record as Record<string, unknown>;
    const { preds, target, weights } = obj;
    if (preds === undefined || target === undefined) {
      evaluator.invalid(lineNo, `missing "${preds === undefined ? "preds" : "target"}"`);
      return;
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
    if (Array.isArray(target) || (target !== null && typeof target === "object")) {
      evaluator.batch(key, preds, target, weights ?? undefined, lineNo);
      return;
    }
    // one sample per line
    if (typeof target === "number" && (weights === undefined || typeof weights === "number")) {
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
      typeof preds === "number" ? [preds] : [preds],
      [target],
      weights === undefined ? undefined : [weights],
      lineNo,
    );
  };
}

/** Splits a CSV line (RFC 4180 quoting within the line; a quoted field cannot span lines). */
function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) return line.split(",");
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(value);
      if (i < line.length && line[i] !== ",") throw new Error(`unexpected character after a quoted field`);
      i++;
    } else {
      const comma = line.indexOf(",", i);
      const end = comma < 0 ? line.length : comma;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

function csvHandler(
  evaluator: Evaluator,
  by: string | null,
  numClasses: number | null,
  header: string,
  headerLine: number,
): (line: string, lineNo: number) => void {
  const fail = (detail: string): never => {
    throw new HeaderError(headerLine, detail);
  };
  let names: string[];
  try {
    names = splitCsv(header).map((name) => name.trim());
  } catch (error) {
    return fail(`bad CSV header: ${(error as Error).message}`);
  }
  const column = new Map<string, number>();
  names.forEach((name, i) => {
    if (column.has(name)) fail(`CSV header names column "${name}" twice`);
    column.set(name, i);
  });
  const targetCol = column.get("target");
  if (targetCol === undefined) fail(`CSV header must have a "target" column, got ${names.join(",")}`);
  let predCols: number[];
  const single = column.get("pred");
  if (single !== undefined) {
    if (column.has("pred_0")) fail(`CSV header has both "pred" and "pred_0": use one form`);
    predCols = [single];
  } else {
    predCols = [];
    while (column.has(`pred_${predCols.length}`))
      predCols.push(column.get(`pred_${predCols.length}`) as number);
    if (predCols.length === 0) {
      fail(`CSV header must have a "pred" column (binary) or "pred_0" … "pred_{C-1}" (multiclass)`);
    }
    const stray = names.find((name) => /^pred_\d+$/.test(name) && Number(name.slice(5)) >= predCols.length);
    if (stray !== undefined) fail(`CSV header has "${stray}" but not "pred_${predCols.length}"`);
  }
  if (numClasses !== null && predCols.length !== numClasses) {
    fail(`CSV header has ${predCols.length} pred column(s) but --num-classes is ${numClasses}`);
  }
  const weightCol = column.get("weight") ?? -1;
  let byCol = -1;
  if (by !== null) {
    const col = column.get(by);
    if (col === undefined) fail(`CSV header has no column "${by}" for --by`);
    byCol = col as number;
  }
  const C = predCols.length;
  const width = names.length;
  const preds = new Float64Array(C);
  const tcol = targetCol as number;
  const cellNumber = (cells: string[], col: number, lineNo: number): number | undefined => {
    const text = cells[col];
    const value = Number(text);
    if (!Number.isFinite(value) || text.trim() === "") {
      evaluator.invalid(lineNo, `column ${names[col]} must be a finite number, got ${JSON.stringify(text)}`);
      return undefined;
    }
    return value;
  };
  return (line, lineNo) => {
    if (line.length === 0 || line.trim() === "") return;
    let cells: string[];
    try {
      cells = splitCsv(line);
    } catch (error) {
      evaluator.invalid(lineNo, `bad CSV: ${(error as Error).message}`);
      return;
    }
    if (cells.length !== width) {
      evaluator.invalid(lineNo, `expected ${width} CSV fields as in the header, got ${cells.length}`);
      return;
    }
    for (let j = 0; j < C; j++) {
      const v = cellNumber(cells, predCols[j], lineNo);
      if (v === undefined) return;
      preds[j] = v;
    }
    const target = cellNumber(cells, tcol, lineNo);
    if (target === undefined) return;
    let weight: number | undefined;
    if (weightCol >= 0) {
      weight = cellNumber(cells, weightCol, lineNo);
      if (weight === undefined) return;
    }
    const key = byCol >= 0 ? cells[byCol].trim() : "";
    evaluator.row(key, preds, C, target, weight, lineNo);
  };
}

/**
 * A CSV header that cannot be read: the input cannot be evaluated at all, so it is reported even with
 * `--skip-invalid`.
 *
 * @example
 * ```ts
 * new HeaderError(1, 'CSV header must have a "target" column').line; // => 1
 * ```
 */
export class HeaderError extends Error {
  /** The header's line number. */
  readonly line: number;
  /**
   * @param line - the header's line number
   * @param detail - what is wrong
   */
  constructor(line: number, detail: string) {
    super(detail);
    this.name = "HeaderError";
    this.line = line;
  }
}
