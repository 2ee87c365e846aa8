/**
 * CSV number cells and JSON numbers, parsed exactly as `Number()` (and `JSON.parse`) parse them, without a
 * regular expression or a substring: from text ({@link parseDecimal}) or straight from the bytes of a file
 * ({@link scanShort}, {@link scanDecimal}, {@link scanJson}: no decoding, no string).
 *
 * A cell is a decimal number: optional spaces or tabs, an optional sign, digits with an optional point (`1`,
 * `-0.5`, `.5`, `3.`), an optional exponent (`2e-3`), optional spaces or tabs; not `0x10`, `0b1`, `Infinity`,
 * `NaN`, `1_000` or an empty cell (which `Number()` would accept or turn into 0).
 *
 * Fast path (Clinger's): when the digits, read as an integer M, stay at or below 2^53 and the decimal
 * exponent e (the written exponent minus the digits after the point) has |e| <= 22, both M and 10^|e| are
 * exact doubles, so `M * 10^e` (e >= 0) or `M / 10^-e` (e < 0) is ONE correctly rounded IEEE operation: the
 * double nearest to the decimal value, which is what `Number()` returns. Every other cell that passes the
 * grammar (long mantissas, large exponents) goes to `Number()` itself. The commonest numbers (at most 15
 * digits, no exponent: `-1.234567`) have a shorter path still, {@link scanShort}: M < 10^15 and 10^s for
 * s ≤ 15 digits after the point are exact, so `M / 10^s` is that same one correctly rounded operation.
 *
 * @module
 */

/** 10^0 … 10^22: every one an exact double. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Above this the next digit could take the integer mantissa past 2^53. */
const MANTISSA_GUARD = (2 ** 53 - 9) / 10;

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/**
 * The value of the decimal number in `text[start, end)`, as `Number()` gives it for such text, or NaN when
 * that range is not a decimal number (see the module comment for the grammar).
 *
 * @param text - the line (or cell)
 * @param start - first character of the cell
 * @param end - end of the cell (exclusive)
 * @returns the number (±Infinity for a decimal beyond the float64 range), or NaN
 * @example
 * ```ts
 * parseDecimal("0.1", 0, 3); // => 0.1
 * parseDecimal("a, -2.5e-3 ,b", 2, 11); // => -0.0025
 * parseDecimal("0x10", 0, 4); // => NaN
 * parseDecimal("12345678901234567890", 0, 20); // => 12345678901234567000
 * ```
 */
export function parseDecimal(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  let stop = end;
  while (stop > i && isBlank(text.charCodeAt(stop - 1))) stop--;
  if (i === stop) return NaN;
  const first = i;
  let negative = false;
  let c = text.charCodeAt(i);
  if (c === 0x2d || c === 0x2b) {
    negative = c === 0x2d;
    i++;
  }
  let mantissa = 0;
  let exact = true; // the mantissa is still an exact integer <= 2^53
  let digits = 0;
  let scale = 0; // digits after the point
  for (; i < stop; i++) {
    c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) break;
    if (mantissa > MANTISSA_GUARD) exact = false;
    else mantissa = mantissa * 10 + c;
    digits++;
  }
  if (i < stop && text.charCodeAt(i) === 0x2e) {
    i++;
    for (; i < stop; i++) {
      c = text.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      if (mantissa > MANTISSA_GUARD) exact = false;
      else mantissa = mantissa * 10 + c;
      scale++;
      digits++;
    }
  }
  if (digits === 0) return NaN; // ".", "+", "e5"
  let exponent = 0;
  if (i < stop && (text.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    c = text.charCodeAt(i);
    if (i < stop && (c === 0x2d || c === 0x2b)) {
      expNegative = c === 0x2d;
      i++;
    }
    const expStart = i;
    for (; i < stop; i++) {
      c = text.charCodeAt(i) - 0x30;
      if (c < 0 || c > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + c;
    }
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== stop) return NaN;
  const value = fastValue(mantissa, exact, exponent - scale, negative);
  return value === value ? value : Number(text.slice(first, stop));
}

/**
 * The value of a decimal whose digits, read as an integer, are `mantissa` (exact when `exact`), times
 * 10^`e`, when Clinger's fast path applies (see the module comment); else NaN (the caller then asks
 * `Number()`).
 */
function fastValue(mantissa: number, exact: boolean, e: number, negative: boolean): number {
  if (!exact || e < -22 || e > 22) return NaN;
  const value = e >= 0 ? mantissa * POW10[e] : mantissa / POW10[-e];
  return negative ? -value : value;
}

/**
 * The common short number read straight from bytes, where the CSV and the JSON grammar agree: `-`? then `0`
 * or a digit 1–9 and digits, then optionally a point and digits, at most 15 digits in all, and no exponent.
 * Its digits M < 10^15 and 10^s (s ≤ 15 digits after the point) are exact doubles, so M / 10^s is one
 * correctly rounded division: the value `Number()` and `JSON.parse` give. Small enough to be inlined where it
 * is called; anything else is left to {@link scanDecimal} or {@link scanJson}.
 *
 * @param bytes - the chunk
 * @param i - where the number starts
 * @param end - the end of the readable bytes
 * @param out - where the value goes
 * @param k - its index in `out`
 * @returns the index of the byte after the number (neither a digit, a point nor an exponent), or -1
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * scanShort(new TextEncoder().encode("-1.25,"), 0, 6, out, 0); // => 5
 * out[0]; // => -1.25
 * scanShort(new TextEncoder().encode("1e3,"), 0, 4, out, 0); // => -1
 * ```
 */
export function scanShort(bytes: Uint8Array, i: number, end: number, out: Float64Array, k: number): number {
  const negative = i < end && bytes[i] === 0x2d;
  if (negative) i++;
  const first = i;
  let mantissa = 0;
  for (; i < end; i++) {
    const c = bytes[i] - 0x30;
    if (c < 0 || c > 9) break;
    mantissa = mantissa * 10 + c;
  }
  const whole = i - first;
  if (whole === 0 || (whole > 1 && bytes[first] === 0x30)) return -1;
  let scale = 0;
  if (i < end && bytes[i] === 0x2e) {
    const point = ++i;
    for (; i < end; i++) {
      const c = bytes[i] - 0x30;
      if (c < 0 || c > 9) break;
      mantissa = mantissa * 10 + c;
    }
    scale = i - point;
    if (scale === 0) return -1;
  }
  if (whole + scale > 15 || i >= end || bytes[i] === 0x2e || (bytes[i] | 0x20) === 0x65) return -1;
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]; // an integer needs no division
  out[k] = negative ? -value : value;
  return i;
}

/**
 * A CSV cell's number read straight from bytes (a chunk of a file, not decoded): the grammar of
 * {@link parseDecimal} from `i` on, with its blanks, and the same value as `Number()` on the decoded text
 * (Clinger's fast path where it is exact, `Number()` on the ASCII text otherwise).
 *
 * @param bytes - the chunk
 * @param i - where the cell starts
 * @param end - the end of the readable bytes
 * @param out - where the value goes
 * @param k - its index in `out`
 * @returns the index of the byte after the number and its trailing blanks (the comma, `\r` or `\n` that ends
 *   a good cell), or -1 when the bytes are not such a number or its value is not finite (then the caller
 *   hands the line to the text reader, which reports it)
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * scanDecimal(new TextEncoder().encode("3, -0.25 ,x"), 2, 11, out, 0); // => 9
 * out[0]; // => -0.25
 * scanDecimal(new TextEncoder().encode("1e,"), 0, 3, out, 0); // => -1
 * ```
 */
export function scanDecimal(bytes: Uint8Array, i: number, end: number, out: Float64Array, k: number): number {
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  const first = i;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let mantissa = 0;
  let exact = true;
  let digits = 0;
  let scale = 0;
  let c: number;
  for (; i < end; i++) {
    c = bytes[i] - 0x30;
    if (c < 0 || c > 9) break;
    if (mantissa > MANTISSA_GUARD) exact = false;
    else mantissa = mantissa * 10 + c;
    digits++;
  }
  if (i < end && bytes[i] === 0x2e) {
    i++;
    for (; i < end; i++) {
      c = bytes[i] - 0x30;
      if (c < 0 || c > 9) break;
      if (mantissa > MANTISSA_GUARD) exact = false;
      else mantissa = mantissa * 10 + c;
      scale++;
      digits++;
    }
  }
  if (digits === 0) return -1;
  let exponent = 0;
  if (i < end && (bytes[i] | 0x20) === 0x65) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) {
      expNegative = bytes[i] === 0x2d;
      i++;
    }
    const expStart = i;
    for (; i < end; i++) {
      c = bytes[i] - 0x30;
      if (c < 0 || c > 9) break;
      if (exponent < 100000) exponent = exponent * 10 + c;
    }
    if (i === expStart) return -1;
    if (expNegative) exponent = -exponent;
  }
  const last = i;
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  const value = fastValue(mantissa, exact, exponent - scale, negative);
  out[k] = value === value ? value : slowValue(bytes, first, last);
  return out[k] === out[k] ? i : -1;
}

/**
 * A JSON number read straight from bytes: `-`? then `0` or a digit 1–9 and digits, an optional fraction, an
 * optional exponent, from `i` on; the same value as `JSON.parse` (and `Number()`) gives for its text.
 *
 * @param bytes - the chunk
 * @param i - where the number starts
 * @param end - the end of the readable bytes
 * @param out - where the value goes
 * @param k - its index in `out`
 * @returns the index of the byte after the number, or -1 when the bytes there do not start a JSON number or
 *   its value is not finite
 * @example
 * ```ts
 * const out = new Float64Array(1);
 * scanJson(new TextEncoder().encode("[1e-3]"), 1, 6, out, 0); // => 5
 * out[0]; // => 0.001
 * scanJson(new TextEncoder().encode("[.5]"), 1, 4, out, 0); // => -1
 * ```
 */
export function scanJson(bytes: Uint8Array, i: number, end: number, out: Float64Array, k: number): number {
  const first = i;
  if (i < end && bytes[i] === 0x2d) i++;
  if (i < end && bytes[i] === 0x30) i++;
  else if (i < end && bytes[i] > 0x30 && bytes[i] <= 0x39) i = skipDigits(bytes, i + 1, end);
  else return -1;
  if (i < end && bytes[i] === 0x2e) {
    const fraction = i + 1;
    i = skipDigits(bytes, fraction, end);
    if (i === fraction) return -1;
  }
  if (i < end && (bytes[i] | 0x20) === 0x65) {
    i++;
    if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) i++;
    const exponent = i;
    i = skipDigits(bytes, exponent, end);
    if (i === exponent) return -1;
  }
  // JSON's numbers are decimals of the CSV grammar, and mean the same there
  return scanDecimal(bytes, first, i, out, k) === i ? i : -1;
}

function skipDigits(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39) i++;
  return i;
}

/** `Number()` on the ASCII text of bytes[first, last) (already checked against the grammar); NaN if not finite. */
function slowValue(bytes: Uint8Array, first: number, last: number): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1", first, last);
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}
