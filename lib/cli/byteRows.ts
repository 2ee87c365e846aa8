/**
 * The fast readers of the usual rows: a CSV row of number cells, an NDJSON object of a number `target`, a
 * number or an array of numbers as `preds`, an optional number `weights` and an optional `--by` field. They
 * read the bytes of a chunk as they are (no decoding, no string per line or per cell, no objects), parse each
 * number as `Number()` would (numbers.ts: {@link scanShort}, {@link scanDecimal}, {@link scanJson}) and hand
 * the samples to the {@link Evaluator} in batches ({@link Evaluator.rows}): the same samples, buffers and
 * updates as the text readers of records.ts give, one {@link Evaluator.row} per line.
 *
 * They take a line only when they are sure the text reader would make the same one call of `row` from it;
 * any other line (a quote, an escape, a string where a number belongs, a batch, a bad number, a missing
 * field, a line over the limit, …) is declined, untouched, and the text reader reads it (and reports it when
 * it is bad). So the results, messages and line numbers are the same as with the text readers alone.
 *
 * @module
 */
import type { Evaluator } from "./evaluate.js";
import type { ByteLines } from "./lines.js";
import { scanDecimal, scanJson, scanShort } from "./numbers.js";

const COMMA = 0x2c;
const NL = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** A group key read from the bytes of the line before: reused while the bytes are the same. */
class KeyCache {
  private bytes = new Uint8Array(32);
  private length = -1;
  private kind = 0;
  private key = "";

  /** The key of bytes[start, end) read as `kind`, made by `make` unless the last one had the same bytes. */
  get(bytes: Buffer, start: number, end: number, kind: number, make: () => string): string {
    const n = end - start;
    if (n === this.length && kind === this.kind) {
      const cached = this.bytes;
      let i = 0;
      while (i < n && cached[i] === bytes[start + i]) i++;
      if (i === n) return this.key;
    }
    if (n > this.bytes.length) this.bytes = new Uint8Array(Math.max(n, this.bytes.length * 2));
    this.bytes.set(bytes.subarray(start, end));
    this.length = n;
    this.kind = kind;
    this.key = make();
    return this.key;
  }
}

/** Rows per {@link RowBatch}. */
const BATCH = 512;

/**
 * Rows read from bytes, handed to the evaluator together ({@link Evaluator.rows}): one call per run of rows
 * of one group, one number of scores and one weightedness (or per {@link BATCH} rows), which gives the same
 * buffers as one {@link Evaluator.row} per row.
 */
class RowBatch {
  n = 0;
  key = "";
  C = 0;
  weighted = false;
  scores = new Float64Array(BATCH * 4);
  readonly targets = new Float64Array(BATCH);
  readonly weights = new Float64Array(BATCH);
  readonly lines = new Float64Array(BATCH);

  constructor(private readonly evaluator: Evaluator) {}

  /** Adds a row (scores[0 … C), the target, the weight or `undefined`, its line number). */
  add(
    key: string,
    scores: Float64Array,
    C: number,
    target: number,
    weight: number | undefined,
    line: number,
  ): void {
    const weighted = weight !== undefined;
    if (this.n === BATCH || key !== this.key || C !== this.C || weighted !== this.weighted) {
      this.flush();
      this.key = key;
      this.C = C;
      this.weighted = weighted;
      if (this.scores.length < BATCH * C) this.scores = new Float64Array(BATCH * C);
    }
    const n = this.n;
    const off = n * C;
    const out = this.scores;
    for (let j = 0; j < C; j++) out[off + j] = scores[j];
    this.targets[n] = target;
    if (weighted) this.weights[n] = weight;
    this.lines[n] = line;
    this.n = n + 1;
  }

  /** Hands the rows to the evaluator. */
  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.n = 0;
    const weights = this.weighted ? this.weights : null;
    this.evaluator.rows(this.key, this.C, this.scores, this.targets, weights, this.lines, n);
  }
}

/** What a CSV column holds: a score's index (≥ 0), or one of these. */
const TARGET = -1;
const WEIGHT = -2;
const BY = -3;
const SKIP = -4;

/**
 * The CSV rows of a header already read: every cell unquoted, number cells in the grammar of
 * {@link parseDecimal} and finite, the `--by` cell ASCII, exactly as many cells as the header.
 *
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.csv", "csv");
 * const rows = new CsvRows(ev, 2, [1], 0, -1, -1);
 * const bytes = Buffer.from("0,-2.2\n1,2.4\n1,0.1\n");
 * rows.take(bytes, 0, bytes.length, 2, 1 << 24); // => 19
 * rows.taken; // => 3
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.3
 * ```
 */
export class CsvRows implements ByteLines {
  /** @inheritDoc */
  taken = 0;
  private readonly keys = new KeyCache();
  private readonly role: Int32Array;
  /** The scores, then the target and the weight. */
  private readonly values: Float64Array;
  private readonly C: number;
  private readonly weighted: boolean;
  private readonly byKey: boolean;
  private readonly batch: RowBatch;

  /**
   * @param evaluator - where samples go
   * @param width - the header's number of columns
   * @param predCols - the score columns, in class order
   * @param targetCol - the target column
   * @param weightCol - the weight column, or -1
   * @param byCol - the `--by` column, or -1 (not a number column)
   */
  constructor(
    evaluator: Evaluator,
    width: number,
    predCols: readonly number[],
    targetCol: number,
    weightCol: number,
    byCol: number,
  ) {
    const role = new Int32Array(width).fill(SKIP);
    if (byCol >= 0) role[byCol] = BY;
    role[targetCol] = TARGET;
    if (weightCol >= 0) role[weightCol] = WEIGHT;
    predCols.forEach((col, k) => (role[col] = k));
    this.role = role;
    this.C = predCols.length;
    this.values = new Float64Array(this.C + 2);
    this.weighted = weightCol >= 0;
    this.byKey = byCol >= 0;
    this.batch = new RowBatch(evaluator);
  }

  /** @inheritDoc */
  take(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
    // the loop in a function of its own: optimised while it runs, without the flush it has not run yet
    const next = this.readRows(bytes, start, end, lineNo, limit);
    this.batch.flush();
    return next;
  }

  /** The rows from `start` into the batch, up to the first declined; returns where it stopped. */
  private readRows(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
    const role = this.role;
    const width = role.length;
    const values = this.values;
    const C = this.C;
    const batch = this.batch;
    let p = start;
    let taken = 0;
    rows: for (;;) {
      let keyStart = 0;
      let keyEnd = 0;
      let stop = p;
      let cell = p;
      for (let j = 0; j < width; j++) {
        const r = role[j];
        if (r >= WEIGHT) {
          const k = r >= 0 ? r : C - 1 - r;
          stop = scanShort(bytes, cell, end, values, k);
          if (stop < 0 || (bytes[stop] !== COMMA && bytes[stop] !== NL && bytes[stop] !== CR))
            stop = scanDecimal(bytes, cell, end, values, k);
          if (stop < 0) break rows;
        } else {
          // a text cell: up to the comma or the line's end; no quotes; the --by cell in ASCII
          stop = cell;
          while (stop < end) {
            const c = bytes[stop];
            if (c === COMMA || c === NL || c === CR || c === QUOTE) break;
            if (c >= 0x80 && r === BY) break rows;
            stop++;
          }
          if (r === BY) {
            keyStart = cell;
            keyEnd = stop;
          }
        }
        if (stop >= end) break rows;
        if (j < width - 1) {
          if (bytes[stop] !== COMMA) break rows;
          cell = stop + 1;
        }
      }
      // the line ends here: `\n` or `\r\n`
      if (bytes[stop] === CR) stop++;
      if (stop >= end || bytes[stop] !== NL || stop - p > limit) break;
      const s = keyStart;
      const e = keyEnd;
      const key = this.byKey
        ? this.keys.get(bytes, s, e, 0, () => bytes.toString("latin1", s, e).trim())
        : "";
      batch.add(key, values, C, values[C], this.weighted ? values[C + 1] : undefined, lineNo + taken);
      taken++;
      p = stop + 1;
    }
    this.taken = taken;
    return p;
  }
}

/** JSON whitespace inside a line: space, tab, `\r`. */
function skipSpace(bytes: Buffer, p: number, end: number): number {
  while (p < end) {
    const c = bytes[p];
    if (c !== 0x20 && c !== 0x09 && c !== CR) break;
    p++;
  }
  return p;
}

/** The fields an NDJSON row reader looks for (bits of a mask). */
const F_TARGET = 1;
const F_PREDS = 2;
const F_WEIGHTS = 4;
const F_BY = 8;
/** Where a number field goes in `scalars`, by its bit (0: a field not read). */
const SCALAR = [3, 0, -1, -1, 1, -1, -1, -1, 2];
/** The kinds of a group key's bytes. */
const KEY_STRING = 1;
const KEY_NUMBER = 2;

/**
 * The NDJSON rows of one sample each: an object of ASCII keys without escapes whose `target` is a number,
 * `preds` a number or a non-empty array of numbers, `weights` (if there) a number, the `--by` field (if asked
 * for) an ASCII string without escapes or a number, and any other field a number or such a string.
 *
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("a.ndjson", "ndjson");
 * const rows = new NdjsonRows(ev, "target", "preds", "weights", null);
 * const bytes = Buffer.from('{"preds":-2.2,"target":0}\n{"target":1,"preds":[2.4]}\n{"preds":0.1,"target":1}\n');
 * rows.take(bytes, 0, bytes.length, 1, 1 << 24) === bytes.length; // => true
 * rows.taken; // => 3
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.3
 * ```
 */
export class NdjsonRows implements ByteLines {
  /** @inheritDoc */
  taken = 0;
  private readonly keys = new KeyCache();
  private preds = new Float64Array(16);
  /** The target, the weight, a number `--by` field, and a field not read. */
  private readonly scalars = new Float64Array(4);
  /** The UTF-8 bytes of the field names, and the bit of each. */
  private readonly names: Uint8Array[];
  private readonly bits: number[];
  private readonly wanted: number;
  private readonly batch: RowBatch;
  private nameEnd = 0;
  /**
   * The usual layouts' literal bytes, for {@link NdjsonRows.readUsual}: `{"preds":` and `,"target":` (preds
   * first), `{"target":` and `,"preds":` (target first); null with a `--by` field.
   */
  private readonly usual: Uint8Array[] | null;
  /** The number of scores {@link NdjsonRows.readPreds} read. */
  private usualC = 0;

  /**
   * @param evaluator - where samples go
   * @param target - the target's key
   * @param preds - the preds' key
   * @param weights - the weights' key
   * @param by - the `--by` field, or `null` (the names all different, in printable ASCII, without a quote or a backslash)
   */
  constructor(evaluator: Evaluator, target: string, preds: string, weights: string, by: string | null) {
    const named: [string, number][] = [
      [target, F_TARGET],
      [preds, F_PREDS],
      [weights, F_WEIGHTS],
    ];
    if (by !== null) named.push([by, F_BY]);
    this.names = named.map(([name]) => Buffer.from(name, "utf8"));
    this.bits = named.map(([, bit]) => bit);
    this.wanted = F_TARGET | F_PREDS | (by !== null ? F_BY : 0);
    this.batch = new RowBatch(evaluator);
    const utf8 = (text: string): Uint8Array => Buffer.from(text, "utf8");
    this.usual =
      by === null
        ? [utf8(`{"${preds}":`), utf8(`,"${target}":`), utf8(`{"${target}":`), utf8(`,"${preds}":`)]
        : null;
  }

  /** @inheritDoc */
  take(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
    const next = this.readRows(bytes, start, end, lineNo, limit);
    this.batch.flush();
    return next;
  }

  /** The rows from `start` into the batch, up to the first declined; returns where it stopped. */
  private readRows(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
    let p = start;
    let n = 0;
    // the usual layouts first, until the general reader takes a line they declined (a file in another layout,
    // e.g. with weights, would otherwise be read twice, line after line): then the general reader alone for
    // the rest of this chunk
    let usual = this.usual !== null;
    for (;;) {
      let next = usual ? this.readUsual(bytes, p, end, lineNo + n, limit) : -1;
      if (next < 0) {
        next = this.readRow(bytes, p, end, lineNo + n, limit);
        if (next >= 0) usual = false;
      }
      if (next < 0) break;
      p = next;
      n++;
    }
    this.taken = n;
    return p;
  }

  /**
   * Which field the key that starts at `start` (after its quote) is: its bit, or 0 for another key; leaves the
   * index of the key's closing quote in `nameEnd` (-1 when the key is not a plain ASCII string).
   */
  private field(bytes: Buffer, start: number, end: number): number {
    const names = this.names;
    for (let f = 0; f < names.length; f++) {
      const name = names[f];
      const close = start + name.length;
      if (close >= end || bytes[close] !== QUOTE) continue;
      let i = 0;
      while (i < name.length && name[i] === bytes[start + i]) i++;
      if (i === name.length) {
        this.nameEnd = close;
        return this.bits[f];
      }
    }
    this.nameEnd = NdjsonRows.stringEnd(bytes, start, end);
    return 0;
  }

  /** The end of the ASCII string (no escape, no control character) that starts at `p`, or -1. */
  private static stringEnd(bytes: Buffer, p: number, end: number): number {
    while (p < end) {
      const c = bytes[p];
      if (c === QUOTE) return p;
      if (c === 0x5c || c < 0x20 || c >= 0x80) return -1;
      p++;
    }
    return -1;
  }

  /**
   * One row from `p` in one of the usual layouts, `{"preds":P,"target":T}` or `{"target":T,"preds":P}` then
   * `\n`, with P a number or an array of numbers, T a number, every number in {@link scanShort}'s grammar and
   * no whitespace: the bytes compared with the layouts' literal bytes, the numbers read in place. The same
   * row, the same call of the batch, as {@link NdjsonRows.readRow} makes from such a line (it would find the
   * same two fields, no other, each once); anything else (whitespace, other fields, a longer number, a `\r`,
   * a line over the limit, …) is declined, nothing done, and readRow reads the line.
   *
   * @returns the index after the row's `\n`, or -1
   */
  private readUsual(bytes: Buffer, p: number, end: number, lineNo: number, limit: number): number {
    const start = p;
    const [openP, midT, openT, midP] = this.usual as Uint8Array[];
    const scalars = this.scalars;
    if (NdjsonRows.at(bytes, p, end, openP)) {
      p = this.readPreds(bytes, p + openP.length, end);
      if (p < 0 || !NdjsonRows.at(bytes, p, end, midT)) return -1;
      p = scanShort(bytes, p + midT.length, end, scalars, 0);
    } else if (NdjsonRows.at(bytes, p, end, openT)) {
      p = scanShort(bytes, p + openT.length, end, scalars, 0);
      if (p < 0 || !NdjsonRows.at(bytes, p, end, midP)) return -1;
      p = this.readPreds(bytes, p + midP.length, end);
    } else return -1;
    // `}` then `\n` (a number's stop is below end)
    if (p < 0 || p + 1 >= end || bytes[p] !== 0x7d || bytes[p + 1] !== NL || p + 1 - start > limit) return -1;
    this.batch.add("", this.preds, this.usualC, scalars[0], undefined, lineNo);
    return p + 2;
  }

  /** A number or `[` numbers `]` (no whitespace) into preds, their count into usualC: the index after, or -1. */
  private readPreds(bytes: Buffer, p: number, end: number): number {
    const preds = this.preds;
    if (p >= end || bytes[p] !== 0x5b) {
      this.usualC = 1;
      return scanShort(bytes, p, end, preds, 0);
    }
    p++;
    for (let C = 0; C < preds.length; C++) {
      const stop = scanShort(bytes, p, end, preds, C);
      if (stop < 0) return -1;
      const c = bytes[stop];
      if (c === 0x5d) {
        this.usualC = C + 1;
        return stop + 1;
      }
      if (c !== COMMA) return -1;
      p = stop + 1;
    }
    return -1; // more scores than preds holds: readRow grows it
  }

  /** Whether bytes[p …) begins with `lit`. */
  private static at(bytes: Buffer, p: number, end: number, lit: Uint8Array): boolean {
    if (p + lit.length > end) return false;
    for (let i = 0; i < lit.length; i++) if (bytes[p + i] !== lit[i]) return false;
    return true;
  }

  /** One row from `p`: the index after its `\n`, or -1 (declined, nothing done). */
  private readRow(bytes: Buffer, p: number, end: number, lineNo: number, limit: number): number {
    const start = p;
    const scalars = this.scalars;
    let preds = this.preds;
    let C = 0;
    let seen = 0;
    let keyStart = 0;
    let keyEnd = 0;
    let keyKind = 0;
    p = skipSpace(bytes, p, end);
    if (p >= end || bytes[p] !== 0x7b) return -1;
    p = skipSpace(bytes, p + 1, end);
    for (;;) {
      if (p >= end || bytes[p] !== QUOTE) return -1;
      const f = this.field(bytes, p + 1, end);
      const nameEnd = this.nameEnd;
      if (nameEnd < 0) return -1;
      if ((seen & f) !== 0) return -1; // a field twice: left to JSON.parse
      seen |= f;
      p = skipSpace(bytes, nameEnd + 1, end);
      if (p >= end || bytes[p] !== 0x3a) return -1;
      p = skipSpace(bytes, p + 1, end);
      if (p >= end) return -1;
      const c = bytes[p];
      if (c === 0x5b) {
        // an array of numbers: the preds of one sample
        if (f !== F_PREDS) return -1;
        p = skipSpace(bytes, p + 1, end);
        for (;;) {
          if (C === preds.length) {
            const grown = new Float64Array(C * 2);
            grown.set(preds);
            preds = this.preds = grown;
          }
          let stop = scanShort(bytes, p, end, preds, C);
          if (stop < 0) stop = scanJson(bytes, p, end, preds, C);
          if (stop < 0) return -1;
          C++;
          p = skipSpace(bytes, stop, end);
          if (p >= end) return -1;
          if (bytes[p] === 0x5d) break;
          if (bytes[p] !== COMMA) return -1;
          p = skipSpace(bytes, p + 1, end);
        }
        p++;
      } else if (c === QUOTE) {
        // a string: the --by field, or a field not read
        if (f !== 0 && f !== F_BY) return -1;
        const stringEnd = NdjsonRows.stringEnd(bytes, p + 1, end);
        if (stringEnd < 0) return -1;
        if (f === F_BY) {
          keyStart = p + 1;
          keyEnd = stringEnd;
          keyKind = KEY_STRING;
        }
        p = stringEnd + 1;
      } else {
        const out = f === F_PREDS ? preds : scalars;
        const k = f === F_PREDS ? 0 : SCALAR[f];
        let stop = scanShort(bytes, p, end, out, k);
        if (stop < 0) stop = scanJson(bytes, p, end, out, k);
        if (stop < 0) return -1;
        if (f === F_PREDS) C = 1;
        else if (f === F_BY) {
          keyStart = p;
          keyEnd = stop;
          keyKind = KEY_NUMBER;
        }
        p = stop;
      }
      p = skipSpace(bytes, p, end);
      if (p >= end) return -1;
      if (bytes[p] === 0x7d) break;
      if (bytes[p] !== COMMA) return -1;
      p = skipSpace(bytes, p + 1, end);
    }
    p = skipSpace(bytes, p + 1, end);
    if (p >= end || bytes[p] !== NL || p - start > limit || (seen & this.wanted) !== this.wanted) return -1;
    let key = "";
    if (keyKind !== 0) {
      const s = keyStart;
      const e = keyEnd;
      key = this.keys.get(bytes, s, e, keyKind, () =>
        keyKind === KEY_STRING ? bytes.toString("latin1", s, e) : String(scalars[2]),
      );
    }
    const weight = (seen & F_WEIGHTS) !== 0 ? scalars[1] : undefined;
    this.batch.add(key, preds, C, scalars[0], weight, lineNo);
    return p + 1;
  }
}
