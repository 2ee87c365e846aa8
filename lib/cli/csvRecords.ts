/**
 * The CSV text reader: the header (which columns hold what), then each row's cells, quoted or not, fed to
 * the {@link Evaluator}; and the byte reader of its usual rows ({@link CsvRows}).
 *
 * @module
 */
import { CsvRows } from "./byteRows.js";
import { clip } from "./errors.js";
import type { Evaluator } from "./evaluate.js";
import type { ByteLines } from "./lines.js";
import { parseDecimal } from "./numbers.js";
import type { Columns } from "./records.js";

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

/**
 * The CSV line handler of an input whose header is `header`: checks the header (the target, score, weight and
 * `--by` columns), gives `onRows` the byte reader of the rows (or `null` when a column is used twice) and
 * returns the handler of the rows' lines.
 *
 * @param evaluator - where samples go
 * @param by - the grouping column (`--by`), or `null`
 * @param numClasses - `--num-classes` if given (the header must then have that many pred columns)
 * @param columns - the column names chosen on the command line
 * @param header - the header line
 * @param headerLine - its line number
 * @param onRows - receives the byte reader of the rows
 * @returns `(line, lineNo) => void`
 * @throws {@link HeaderError} for a header that cannot be read
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.csv", "csv");
 * const columns = { target: null, pred: null, preds: null, weight: null };
 * const onLine = csvHandler(ev, null, null, columns, "target,pred", 1, () => undefined);
 * onLine("1,0.25", 2);
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.75
 * ```
 */
export function csvHandler(
  evaluator: Evaluator,
  by: string | null,
  numClasses: number | null,
  columns: Columns,
  header: string,
  headerLine: number,
  onRows: (rows: ByteLines | null) => void,
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
    if (column.has(name)) fail(`CSV header names column ${clip(name)} twice`);
    column.set(name, i);
  });
  const shown = names.slice(0, 8).map((n) => clip(n, 30));
  const got = `got ${names.length} column${names.length === 1 ? "" : "s"}: ${shown.join(", ")}${names.length > 8 ? ", …" : ""}`;
  const need = (name: string, flag: string | null): number => {
    const col = column.get(name);
    if (col !== undefined) return col;
    return fail(`CSV header has no ${clip(name)} column${flag === null ? "" : ` (${flag})`}, ${got}`);
  };
  const targetCol = need(columns.target ?? "target", columns.target === null ? null : "--target-col");
  let predCols: number[];
  const single = columns.pred !== null ? need(columns.pred, "--pred-col") : column.get("pred");
  if (columns.preds !== null) {
    predCols = columns.preds.map((name) => need(name, "--pred-cols"));
  } else if (single !== undefined) {
    if (column.has("pred_0")) fail(`CSV header has both "pred" and "pred_0": use one form`);
    predCols = [single];
  } else {
    predCols = [];
    while (column.has(`pred_${predCols.length}`))
      predCols.push(column.get(`pred_${predCols.length}`) as number);
    if (predCols.length === 0) {
      fail(
        `CSV header must have a "pred" column (binary) or "pred_0" … "pred_{C-1}" (multiclass), or name them with --pred-col / --pred-cols; ${got}`,
      );
    }
    const stray = names.find((name) => /^pred_\d+$/.test(name) && Number(name.slice(5)) >= predCols.length);
    if (stray !== undefined) fail(`CSV header has "${stray}" but not "pred_${predCols.length}"`);
  }
  if (numClasses !== null && predCols.length !== numClasses) {
    fail(`CSV header has ${predCols.length} pred column(s) but --num-classes is ${numClasses}`);
  }
  const weightCol =
    columns.weight !== null ? need(columns.weight, "--weight-col") : (column.get("weight") ?? -1);
  const byCol = by !== null ? need(by, "--by") : -1;
  const C = predCols.length;
  const width = names.length;
  const numberCols = [...predCols, targetCol, weightCol];
  onRows(
    (byCol >= 0 && numberCols.includes(byCol)) || new Set(numberCols).size !== numberCols.length
      ? null
      : new CsvRows(evaluator, width, predCols, targetCol, weightCol, byCol),
  );
  const preds = new Float64Array(C);
  const tcol = targetCol;
  // A cell's number or, after reporting the line, undefined; `text` holds the cell in [start, end).
  const cellNumber = (
    text: string,
    start: number,
    end: number,
    col: number,
    lineNo: number,
  ): number | undefined => {
    const value = parseDecimal(text, start, end);
    if (!Number.isFinite(value)) {
      evaluator.invalid(
        lineNo,
        `column ${clip(names[col], 30)} must be a finite decimal number, got ${clip(text.slice(start, end), 30)}`,
      );
      return undefined;
    }
    return value;
  };
  // Cell j of an unquoted line is line[starts[j], starts[j + 1] - 1): found with indexOf, no substrings.
  const starts = new Int32Array(width + 1);
  const add = (text: string, at: Int32Array, key: string, lineNo: number): void => {
    for (let j = 0; j < C; j++) {
      const col = predCols[j];
      const v = cellNumber(text, at[col], at[col + 1] - 1, col, lineNo);
      if (v === undefined) return;
      preds[j] = v;
    }
    const target = cellNumber(text, at[tcol], at[tcol + 1] - 1, tcol, lineNo);
    if (target === undefined) return;
    let weight: number | undefined;
    if (weightCol >= 0) {
      weight = cellNumber(text, at[weightCol], at[weightCol + 1] - 1, weightCol, lineNo);
      if (weight === undefined) return;
    }
    evaluator.row(key, preds, C, target, weight, lineNo);
  };
  return (line, lineNo) => {
    if (
      line.length === 0 ||
      (!(line.charCodeAt(0) > 0x20 && line.charCodeAt(0) < 0x80) && line.trim() === "")
    )
      return;
    if (line.indexOf('"') < 0) {
      let n = 0;
      let pos = 0;
      for (;;) {
        const comma = line.indexOf(",", pos);
        if (n < width) starts[n] = pos;
        n++;
        if (comma < 0) break;
        pos = comma + 1;
      }
      if (n !== width) {
        evaluator.invalid(lineNo, `expected ${width} CSV fields as in the header, got ${n}`);
        return;
      }
      starts[width] = line.length + 1;
      const key = byCol >= 0 ? line.slice(starts[byCol], starts[byCol + 1] - 1).trim() : "";
      add(line, starts, key, lineNo);
      return;
    }
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
    // quoted cells: join them with one separator so that the same cell bounds apply
    const joined = cells.join("\u0000");
    const at = new Int32Array(width + 1);
    for (let j = 0, p = 0; j < width; j++) {
      at[j] = p;
      p += cells[j].length + 1;
    }
    at[width] = joined.length + 1;
    add(joined, at, byCol >= 0 ? cells[byCol].trim() : "", lineNo);
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
