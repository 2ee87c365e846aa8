/**
 * The default longest line, in bytes (16 MiB): far above any CSV row or NDJSON sample, and enough for an
 * NDJSON batch of about a million binary scores. `--max-line-bytes` raises it.
 *
 * @example
 * ```ts
 * DEFAULT_MAX_LINE_BYTES; // => 16777216
 * ```
 */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The highest `--max-line-bytes` accepted: a line is held as one JavaScript string, and V8 cannot make a
 * string longer than 2^29 - 24 characters (a line has at least one byte per character).
 *
 * @example
 * ```ts
 * MAX_LINE_BYTES_LIMIT; // => 536870888
 * ```
 */
export const MAX_LINE_BYTES_LIMIT = 2 ** 29 - 24;

/**
 * A line longer than the limit: its bytes are not kept (memory stays bounded by the limit).
 *
 * @example
 * ```ts
 * new LineTooLongError(3, 10).message; // => "line longer than 10 bytes"
 * ```
 */
export class LineTooLongError extends Error {
  /** The 1-based line number. */
  readonly line: number;
  /**
   * @param line - the 1-based line number
   * @param limit - the limit in bytes
   */
  constructor(line: number, limit: number) {
    super(`line longer than ${limit} bytes`);
    this.name = "LineTooLongError";
    this.line = line;
  }
}

/**
 * A reader that takes whole lines straight from the bytes of a chunk, without decoding them (the usual rows
 * of a CSV or NDJSON file); {@link forEachLine} decodes and hands to `onLine` only the lines it declines.
 *
 * @example
 * ```ts
 * const none: ByteLines = { taken: 0, take: (_bytes, start) => start };
 * ```
 */
export interface ByteLines {
  /**
   * Takes the lines that start at `start`, one after another, up to the first it declines (it must then
   * have done nothing with that line) or the first that does not end (with `\n`) before `end`.
   *
   * @param bytes - the chunk
   * @param start - where the first line starts
   * @param end - the end of the chunk's bytes
   * @param lineNo - the first line's number
   * @param limit - the longest line, in bytes without its `\n` (longer ones must be declined)
   * @returns the index after the last `\n` taken (`start` when none); {@link ByteLines.taken} says how many
   */
  take(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number;
  /** How many lines the last {@link ByteLines.take} took. */
  readonly taken: number;
}

/** Options of {@link forEachLine}. */
export interface LineOptions {
  /** Called with each chunk's byte length (for a progress bar). */
  onChunk?: (bytes: number) => void;
  /** The longest line in bytes (without its `\n`); default {@link DEFAULT_MAX_LINE_BYTES}. */
  maxLineBytes?: number;
  /**
   * Called for a line over the limit (its bytes are dropped, reading goes on with the next line). Default:
   * throw a {@link LineTooLongError}.
   */
  onLongLine?: (lineNo: number) => void;
  /** Takes the lines it can from the bytes (never the first line); `onLine` gets the others. */
  fast?: ByteLines;
}

const NL = 0x0a;

/** The index after the `\n` that ends the line at `at` in `text` (text.length + 1 for the last line). */
function nextLine(text: string, at: number): number {
  const nl = text.indexOf("\n", at);
  return (nl < 0 ? text.length : nl) + 1;
}

/**
 * Calls `onLine` for every line of a byte stream, in order, holding one chunk and at most one partial line
 * (never more than `maxLineBytes`) in memory. Lines end at `\n`; a trailing `\r` and a leading UTF-8
 * byte-order mark are dropped. Lines are split on bytes (a `\n` byte is never part of a multi-byte UTF-8
 * character) and each is decoded once; with `options.fast` ({@link ByteLines}), the lines it takes are read
 * from the bytes and never decoded. Backpressure follows from awaiting the stream's async iterator.
 *
 * @param stream - a readable byte stream (a file stream, `process.stdin`) or any async iterable of chunks
 * @param onLine - called with each line and its 1-based number; an exception stops the reading
 * @param options - progress callback, line-length limit, what to do with a longer line ({@link LineOptions})
 * @returns the number of lines read
 * @throws {@link LineTooLongError} for a line over the limit (unless `onLongLine` is given)
 * @example
 * ```ts
 * import { Readable } from "node:stream";
 * const seen: string[] = [];
 * await forEachLine(Readable.from(["a\r\nb", "c\n"]), (line) => seen.push(line)); // => 2
 * seen; // => ["a", "bc"]
 * ```
 */
export async function forEachLine(
  stream: AsyncIterable<Buffer | string>,
  onLine: (line: string, lineNo: number) => void,
  options: LineOptions = {},
): Promise<number> {
  const limit = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const onLongLine =
    options.onLongLine ??
    ((lineNo: number) => {
      throw new LineTooLongError(lineNo, limit);
    });
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false; // inside a line over the limit: drop bytes up to its end
  let lineNo = 0;
  let first = true;
  const fast = options.fast;
  const emit = (bytes: Buffer, start: number, end: number): void => {
    lineNo++;
    if (first) {
      first = false;
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
        start += 3;
    }
    if (end > start && bytes[end - 1] === 0x0d) end--;
    onLine(bytes.toString("utf8", start, end), lineNo);
  };
  const tooLong = (): void => {
    parts = [];
    partBytes = 0;
    skipping = true;
    first = false;
    onLongLine(lineNo + 1);
  };
  for await (const chunk of stream) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    options.onChunk?.(bytes.length);
    let start = 0;
    let nl = bytes.indexOf(NL);
    // The lines that lie whole in this chunk are decoded together, once, on the first of them (a `\n` byte is
    // never inside a UTF-8 sequence, so this gives each line the characters its own decoding would), and
    // handed out as slices of that text: `textAt` walks it in step with `start` in the bytes.
    let text = "";
    let textAt = -1;
    while (nl >= 0) {
      if (skipping) {
        skipping = false;
        lineNo++;
      } else if (partBytes + (nl - start) > limit) {
        if (textAt >= 0) textAt = nextLine(text, textAt);
        tooLong();
        skipping = false;
        lineNo++;
      } else if (partBytes > 0) {
        parts.push(bytes.subarray(start, nl));
        const line = Buffer.concat(parts, partBytes + (nl - start));
        parts = [];
        partBytes = 0;
        emit(line, 0, line.length);
      } else if (fast !== undefined) {
        const next = first ? start : fast.take(bytes, start, bytes.length, lineNo + 1, limit);
        if (next > start) {
          lineNo += fast.taken;
          start = next;
          nl = bytes.indexOf(NL, start);
          continue;
        }
        emit(bytes, start, nl);
      } else {
        if (textAt < 0) {
          text = bytes.toString("utf8", start, bytes.lastIndexOf(NL));
          textAt = 0;
        }
        const next = nextLine(text, textAt);
        let end = next - 1;
        lineNo++;
        if (first) {
          first = false;
          if (text.charCodeAt(textAt) === 0xfeff) textAt++;
        }
        if (end > textAt && text.charCodeAt(end - 1) === 0x0d) end--;
        onLine(text.slice(textAt, end), lineNo);
        textAt = next;
      }
      start = nl + 1;
      nl = bytes.indexOf(NL, start);
    }
    if (start < bytes.length && !skipping) {
      if (partBytes + (bytes.length - start) > limit) tooLong();
      else {
        // a copy: the stream may reuse its chunk's memory
        parts.push(Buffer.from(bytes.subarray(start)));
        partBytes += bytes.length - start;
      }
    }
  }
  if (skipping) lineNo++;
  else if (partBytes > 0) {
    const line = Buffer.concat(parts, partBytes);
    emit(line, 0, line.length);
  }
  return lineNo;
}
