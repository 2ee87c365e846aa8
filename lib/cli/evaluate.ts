import { MetricInputError } from "../errors/index.js";
import { HingeLoss, Metric } from "../metrics/index.js";
import { PAIR_MIN_BATCH } from "../metrics/hinge/pairs.js";
import type { HingeLossOptions } from "../options/index.js";

/**
 * A bad input line: `file:line: message`. The command prints it and exits with code 1 (or, with
 * `--skip-invalid`, the line is skipped and counted instead of throwing).
 *
 * @example
 * ```ts
 * String(new LineError("a.csv", 3, "target must be 0, 1 or -1")); // => "LineError: a.csv:3: target must be 0, 1 or -1"
 * ```
 */
export class LineError extends Error {
  /** The file's name as given (`<stdin>` for standard input). */
  readonly file: string;
  /** The 1-based line number (0 when the problem is not tied to a line). */
  readonly line: number;
  /**
   * @param file - the file's name
   * @param line - the 1-based line number
   * @param detail - what is wrong with the line
   */
  constructor(file: string, line: number, detail: string) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = "LineError";
    this.file = file;
    this.line = line;
  }
}

/** How kernel messages about a one-sample batch are renamed for the row's source. */
type RowNames = "ndjson" | "csv";

/** Rows of one group waiting to be added in one `update` call (all with the same number of scores C). */
interface RowBuffer {
  C: number;
  n: number;
  weighted: boolean;
  preds: Float64Array;
  target: Float64Array;
  weights: Float64Array;
  lines: Float64Array;
}

interface Group<M> {
  key: string;
  metric: M;
  buf: RowBuffer | null;
}

/**
 * What an {@link Evaluator} feeds: a metric (or a collection) with `update(preds, target, weights?)` that
 * changes nothing when it throws, and `clone()`.
 *
 * @example
 * ```ts
 * const m: StreamMetric = new HingeLoss();
 * ```
 */
export interface StreamMetric {
  /** Adds a batch (atomic: a `MetricInputError` leaves the state as it was). */
  update(preds: unknown, target?: unknown, weights?: unknown): unknown;
  /** An independent copy. */
  clone(): this;
}

/**
 * The rows of the first update an {@link Evaluator} makes (see `flush`): the fewest that the hinge loss adds
 * with its pair kernels (so that their first call is a short one too).
 */
const FIRST_UPDATE_ROWS = PAIR_MIN_BATCH;

/** Pending rows (over all groups) that trigger adding them into the metrics. */
const FLUSH_ROWS = 4096;

/**
 * Beyond this many groups, a group's row buffer is released once its rows are added (so that a group costs
 * only its metric, not a buffer too); below it, buffers are kept and reused.
 */
const KEEP_BUFFERS_UP_TO = 256;

/**
 * Turns a kernel message about a one-row batch into one about the line: `target[0] must …` becomes
 * `target must …`, and for CSV `preds[0][2]` becomes `pred_2` and `weights[0]` becomes `weight`.
 */
function rowMessage(message: string, names: RowNames): string {
  if (names === "ndjson") return message.replace(/\b(preds|target|weights)\[0\]/g, "$1");
  return message
    .replace(/\bpreds\[0\]\[(\d+)\]/g, "pred_$1")
    .replace(/\bpreds\[0\]/g, "pred")
    .replace(/\btarget\[0\]/g, "target")
    .replace(/\bweights\[0\]/g, "weight");
}

/**
 * Streams samples into one {@link HingeLoss} per group (one group when there is no `--by`), in constant
 * memory. Single samples are buffered and added a few thousand at a time (one `update` call); when such a
 * batch is rejected, its rows are replayed one by one to find the first bad line (an `update` that throws
 * changes nothing, and sums are exact, so the result is the same bits as line-by-line updates). Errors are
 * reported in line order.
 *
 * @example
 * ```ts
 * const ev = new Evaluator({}, false);
 * ev.setFile("x.ndjson", "ndjson");
 * ev.row("", [-2.2], 1, 0, undefined, 1);
 * ev.row("", [2.4], 1, 1, undefined, 2);
 * ev.batch("", [0.1], [1], undefined, 3);
 * ev.finish();
 * ev.groups()[0].metric.compute(); // => 0.3
 * ```
 */
export class Evaluator<M extends StreamMetric = HingeLoss> {
  /** Lines skipped as invalid (with `skipInvalid`). */
  skipped = 0;
  /** Where the first skipped lines were and why (at most `keepSkipped`). */
  readonly skippedSamples: string[] = [];
  private readonly skipInvalid: boolean;
  private readonly keepSkipped: number;
  private readonly byKey = new Map<string, Group<M>>();
  /** Groups with buffered rows, in order of their first buffered row. */
  private dirty: Group<M>[] = [];
  private pending = 0;
  private file = "";
  private names: RowNames = "ndjson";
  /** Whether rows were added already (the first update is a short one). */
  private warm = false;
  /** The group of the last sample (rows come in runs of one group). */
  private lastGroup: Group<M> | null = null;
  /** An empty metric with the options: each group starts as its clone (no options parsing per group). */
  private readonly empty: M;

  /**
   * @param options - hinge-loss options (already validated by the caller), or the empty metric each group
   *   starts from (e.g. a collection for `eval`)
   * @param skipInvalid - skip and count bad lines instead of throwing a {@link LineError}
   * @param keepSkipped - how many skipped-line messages to keep for the report
   */
  constructor(options: HingeLossOptions | M, skipInvalid: boolean, keepSkipped = 10) {
    this.skipInvalid = skipInvalid;
    this.keepSkipped = keepSkipped;
    this.empty = (
      options instanceof Metric ? options.clone() : new HingeLoss(options as HingeLossOptions)
    ) as M;
  }

  /**
   * Starts a new input: flushes what is pending from the previous one, then names lines after this file.
   *
   * @param file - the file's name for messages
   * @param names - how its columns are named in messages
   */
  setFile(file: string, names: RowNames): void {
    this.flushAll();
    this.file = file;
    this.names = names;
  }

  /**
   * Reports a bad line: throws a {@link LineError}, or counts it when skipping.
   *
   * @param line - 1-based line number in the current file
   * @param detail - what is wrong
   * @throws {@link LineError} unless skipping invalid lines
   */
  invalid(line: number, detail: string): void {
    // buffered rows come from earlier lines: check them first, so that reports keep line order
    this.flushAll();
    this.reject(line, detail);
  }

  private reject(line: number, detail: string): void {
    const error = new LineError(this.file, line, detail);
    if (!this.skipInvalid) throw error;
    this.skipped++;
    if (this.skippedSamples.length < this.keepSkipped) this.skippedSamples.push(error.message);
  }

  /**
   * Adds one sample (buffered).
   *
   * @param key - the group
   * @param preds - its C scores
   * @param C - how many scores (1 for binary)
   * @param target - its label
   * @param weight - its weight, or `undefined` for 1
   * @param line - its line number
   */
  row(
    key: string,
    preds: ArrayLike<number>,
    C: number,
    target: number,
    weight: number | undefined,
    line: number,
  ): void {
    const group = this.group(key);
    let buf = group.buf;
    if (buf !== null && buf.C !== C) {
      this.flushAll();
    }
    if (buf === null || buf.C !== C) {
      buf = group.buf = newBuffer(C, buf);
    }
    if (buf.n === 0) this.dirty.push(group);
    if (buf.n === buf.target.length) growBuffer(buf);
    const n = buf.n;
    const off = n * C;
    for (let j = 0; j < C; j++) buf.preds[off + j] = preds[j];
    buf.target[n] = target;
    if (weight !== undefined) {
      if (!buf.weighted) {
        buf.weights.fill(1, 0, n);
        buf.weighted = true;
      }
      buf.weights[n] = weight;
    } else if (buf.weighted) {
      buf.weights[n] = 1;
    }
    buf.lines[n] = line;
    buf.n = n + 1;
    if (++this.pending >= FLUSH_ROWS) this.flushAll();
  }

  /**
   * Adds `n` samples of one group, each as {@link Evaluator.row} would add it (the same buffers, flushed at the
   * same rows): sample i has the scores `scores[i*C … i*C+C)`, the label `targets[i]`, the weight
   * `weights[i]` (no weight when `weights` is `null`) and the line number `lines[i]`.
   *
   * @param key - the group
   * @param C - how many scores per sample
   * @param scores - n × C scores
   * @param targets - n labels
   * @param weights - n weights, or `null`
   * @param lines - n line numbers
   * @param n - how many samples
   */
  rows(
    key: string,
    C: number,
    scores: Float64Array,
    targets: Float64Array,
    weights: Float64Array | null,
    lines: Float64Array,
    n: number,
  ): void {
    let i = 0;
    while (i < n) {
      const group = this.group(key);
      let buf = group.buf;
      if (buf !== null && buf.C !== C) this.flushAll();
      if (buf === null || buf.C !== C) buf = group.buf = newBuffer(C, buf);
      if (buf.n === 0) this.dirty.push(group);
      const m = Math.min(n - i, FLUSH_ROWS - this.pending);
      while (buf.n + m > buf.target.length) growBuffer(buf);
      const at = buf.n;
      buf.preds.set(scores.subarray(i * C, (i + m) * C), at * C);
      buf.target.set(targets.subarray(i, i + m), at);
      if (weights !== null) {
        if (!buf.weighted) {
          buf.weights.fill(1, 0, at);
          buf.weighted = true;
        }
        buf.weights.set(weights.subarray(i, i + m), at);
      } else if (buf.weighted) buf.weights.fill(1, at, at + m);
      buf.lines.set(lines.subarray(i, i + m), at);
      buf.n = at + m;
      i += m;
      this.pending += m;
      if (this.pending >= FLUSH_ROWS) this.flushAll();
    }
  }

  /**
   * Adds one line's batch at once (after the buffered rows, so that errors keep line order).
   *
   * @param key - the group
   * @param preds - the batch's preds as parsed
   * @param target - the batch's targets as parsed
   * @param weights - the batch's weights as parsed, or `undefined`
   * @param line - the line number
   */
  batch(key: string, preds: unknown, target: unknown, weights: unknown, line: number): void {
    if (this.pending > 0) this.flushAll();
    const group = this.group(key);
    try {
      group.metric.update(preds as number[], target as number[], weights as number[] | undefined);
    } catch (error) {
      if (!(error instanceof MetricInputError)) throw error;
      this.invalid(line, error.message);
    }
  }

  /** Adds everything still buffered (call once at the end). */
  finish(): void {
    this.flushAll();
  }

  /**
   * The groups in order of first appearance, with their metrics.
   *
   * @returns `{ key, metric }` per group
   */
  groups(): { key: string; metric: M }[] {
    return Array.from(this.byKey.values(), (g) => ({ key: g.key, metric: g.metric }));
  }

  private group(key: string): Group<M> {
    if (key === this.lastGroup?.key) return this.lastGroup;
    let group = this.byKey.get(key);
    if (group === undefined) {
      group = { key, metric: this.empty.clone(), buf: null };
      this.byKey.set(key, group);
    }
    this.lastGroup = group;
    return group;
  }

  /** Adds every group's buffered rows; on bad rows, reports the first one in line order. */
  private flushAll(): void {
    if (this.pending === 0) return;
    this.pending = 0;
    let first: { line: number; message: string } | null = null;
    const dirty = this.dirty;
    this.dirty = [];
    const release = this.byKey.size > KEEP_BUFFERS_UP_TO;
    for (const group of dirty) {
      const bad = this.flush(group);
      if (release) group.buf = null;
      if (bad !== null && (first === null || bad.line < first.line)) first = bad;
    }
    if (first !== null) throw new LineError(this.file, first.line, first.message);
  }

  /** Adds a group's buffered rows; returns the first bad row when not skipping, else null. */
  private flush(group: Group<M>): { line: number; message: string } | null {
    const buf = group.buf;
    if (buf === null || buf.n === 0) return null;
    const n = buf.n;
    buf.n = 0;
    // The first rows ever added go in a short update of their own: a metric kernel's first call then ends
    // before V8 optimises its loop mid-call (on-stack replacement), so that code is made knowing the whole
    // function; else it may be left at the loop's end on every later call. The same rows in the same order:
    // the same state (exact sums) and the same bad lines.
    const split = this.warm ? n : Math.min(n, FIRST_UPDATE_ROWS);
    this.warm = true;
    const bad = this.addRows(group.metric, buf, 0, split) ?? this.addRows(group.metric, buf, split, n);
    buf.weighted = false;
    return bad;
  }

  /** Adds rows [from, to) of a buffer in one update, or one by one to find the bad ones. */
  private addRows(
    metric: M,
    buf: RowBuffer,
    from: number,
    to: number,
  ): { line: number; message: string } | null {
    if (to <= from) return null;
    const C = buf.C;
    const n = to - from;
    try {
      metric.update(
        { data: buf.preds.subarray(from * C, to * C), shape: C === 1 ? [n] : [n, C] },
        buf.target.subarray(from, to),
        buf.weighted ? buf.weights.subarray(from, to) : undefined,
      );
      return null;
    } catch (error) {
      if (!(error instanceof MetricInputError)) throw error;
    }
    const rowShape = C === 1 ? [1] : [1, C];
    for (let i = from; i < to; i++) {
      try {
        metric.update(
          { data: buf.preds.subarray(i * C, i * C + C), shape: rowShape },
          buf.target.subarray(i, i + 1),
          buf.weighted ? buf.weights.subarray(i, i + 1) : undefined,
        );
      } catch (error) {
        if (!(error instanceof MetricInputError)) throw error;
        const message = rowMessage(error.message, this.names);
        if (!this.skipInvalid) return { line: buf.lines[i], message };
        this.reject(buf.lines[i], message);
      }
    }
    return null;
  }
}

function newBuffer(C: number, old: RowBuffer | null): RowBuffer {
  const cap = old !== null ? old.target.length : 64;
  return {
    C,
    n: 0,
    weighted: false,
    preds: new Float64Array(cap * C),
    target: new Float64Array(cap),
    weights: new Float64Array(cap),
    lines: new Float64Array(cap),
  };
}

function growBuffer(buf: RowBuffer): void {
  const cap = buf.target.length * 2;
  const grow = (a: Float64Array, size: number): Float64Array => {
    const b = new Float64Array(size);
    b.set(a);
    return b;
  };
  buf.preds = grow(buf.preds, cap * buf.C);
  buf.target = grow(buf.target, cap);
  buf.weights = grow(buf.weights, cap);
  buf.lines = grow(buf.lines, cap);
}
