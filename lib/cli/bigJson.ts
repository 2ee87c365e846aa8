/**
 * Reading a JSON object too large for one string (V8 caps a string at 2^29 - 24 characters): the bytes are
 * scanned for the object's members, and each member's value (or each element of an array value) is decoded
 * on its own. Used for grouped state files of millions of groups.
 *
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A byte range `[start, end)` of a JSON value in a buffer. */
export interface Span {
  /** First byte. */
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
}

/** Thrown for bytes that are not the JSON this reader expects; its message says where. */
export class BigJsonError extends Error {
  /**
   * @param message - what is wrong
   */
  constructor(message: string) {
    super(message);
    this.name = "BigJsonError";
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(buf: Uint8Array, i: number): number {
  while (i < buf.length && isSpace(buf[i])) i++;
  return i;
}

function stringEnd(buf: Uint8Array, i: number): number {
  // i is at the opening quote
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  throw new BigJsonError(`unterminated string at byte ${i}`);
}

/**
 * The end of the JSON value that starts at byte `i` (after any white space).
 *
 * @param buf - the bytes
 * @param i - where the value starts
 * @returns one past its last byte
 * @throws {@link BigJsonError} for a value that does not end
 * @example
 * ```ts
 * valueEnd(Buffer.from('{"a":[1,"]"]} '), 0); // => 13
 * ```
 */
export function valueEnd(buf: Uint8Array, i: number): number {
  i = skipSpace(buf, i);
  if (i >= buf.length) throw new BigJsonError(`a value was expected at byte ${i}`);
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let j = i; j < buf.length; j++) {
      const b = buf[j];
      if (b === QUOTE) j = stringEnd(buf, j) - 1;
      else if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
    }
    throw new BigJsonError(`unterminated ${first === 0x7b ? "object" : "array"} at byte ${i}`);
  }
  let j = i;
  while (j < buf.length && !isSpace(buf[j]) && buf[j] !== 0x2c && buf[j] !== 0x7d && buf[j] !== 0x5d) j++;
  if (j === i) throw new BigJsonError(`a value was expected at byte ${i}`);
  return j;
}

function decode(buf: Uint8Array, span: Span): unknown {
  const text = Buffer.from(buf.buffer, buf.byteOffset + span.start, span.end - span.start).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new BigJsonError(`invalid JSON at byte ${span.start}: ${(error as Error).message.slice(0, 200)}`);
  }
}

/**
 * The members of the JSON object that makes up the whole buffer, as byte spans of their values (nothing is
 * decoded but the keys). A key given twice is an error.
 *
 * @param buf - the bytes of one JSON object (white space around it allowed)
 * @returns each key's value span, in order
 * @throws {@link BigJsonError} when the bytes are not one JSON object
 * @example
 * ```ts
 * const buf = Buffer.from('{"a": 1, "b": [2, 3]}');
 * [...objectMembers(buf).keys()]; // => ["a", "b"]
 * ```
 */
export function objectMembers(buf: Uint8Array): Map<string, Span> {
  const members = new Map<string, Span>();
  let i = skipSpace(buf, 0);
  if (buf[i] !== 0x7b) throw new BigJsonError("a JSON object was expected at byte 0");
  i = skipSpace(buf, i + 1);
  if (buf[i] === 0x7d) i++;
  else {
    for (;;) {
      if (buf[i] !== QUOTE) throw new BigJsonError(`a key was expected at byte ${i}`);
      const keyEnd = stringEnd(buf, i);
      const key = decode(buf, { start: i, end: keyEnd }) as string;
      i = skipSpace(buf, keyEnd);
      if (buf[i] !== 0x3a) throw new BigJsonError(`":" was expected at byte ${i}`);
      const start = skipSpace(buf, i + 1);
      const end = valueEnd(buf, start);
      if (members.has(key))
        throw new BigJsonError(`the key ${JSON.stringify(key).slice(0, 60)} appears twice`);
      members.set(key, { start, end });
      i = skipSpace(buf, end);
      if (buf[i] === 0x2c) {
        i = skipSpace(buf, i + 1);
        continue;
      }
      if (buf[i] === 0x7d) {
        i++;
        break;
      }
      throw new BigJsonError(`"," or "}" was expected at byte ${i}`);
    }
  }
  if (skipSpace(buf, i) !== buf.length)
    throw new BigJsonError(`unexpected bytes after the object at byte ${i}`);
  return members;
}

/**
 * The value of a span, decoded.
 *
 * @param buf - the bytes
 * @param span - the value's span
 * @returns the value
 * @throws {@link BigJsonError} for invalid JSON
 * @example
 * ```ts
 * const buf = Buffer.from('{"a": [1]}');
 * decodeSpan(buf, objectMembers(buf).get("a")!); // => [1]
 * ```
 */
export function decodeSpan(buf: Uint8Array, span: Span): unknown {
  return decode(buf, span);
}

/**
 * The elements of the JSON array at `span`, each decoded on its own as it is reached.
 *
 * @param buf - the bytes
 * @param span - the span of an array value
 * @returns the elements, in order
 * @throws {@link BigJsonError} when the span is not an array
 * @example
 * ```ts
 * const buf = Buffer.from('{"a": [1, {"b": "]"}]}');
 * [...arrayElements(buf, objectMembers(buf).get("a")!)]; // => [1, { b: "]" }]
 * ```
 */
export function* arrayElements(buf: Uint8Array, span: Span): Generator<unknown> {
  if (buf[span.start] !== 0x5b) throw new BigJsonError(`an array was expected at byte ${span.start}`);
  let i = skipSpace(buf, span.start + 1);
  if (buf[i] === 0x5d) return;
  for (;;) {
    const end = valueEnd(buf, i);
    yield decode(buf, { start: i, end });
    i = skipSpace(buf, end);
    if (buf[i] === 0x2c) {
      i = skipSpace(buf, i + 1);
      continue;
    }
    if (buf[i] === 0x5d) return;
    throw new BigJsonError(`"," or "]" was expected at byte ${i}`);
  }
}
