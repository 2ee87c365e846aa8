/**
 * CSV number cells, parsed exactly as `Number()` parses them, without a regular expression or a substring.
 *
 * A cell is a decimal number: optional spaces or tabs, an optional sign, digits with an optional point (`1`,
 * `-0.5`, `.5`, `3.`), an optional exponent (`2e-3`), optional spaces or tabs; not `0x10`, `0b1`, `Infinity`,
 * `NaN`, `1_000` or an empty cell (which `Number()` would accept or turn into 0).
 *
 * Fast path (Clinger's): when the digits, read as an integer M, stay at or below 2^53 and the decimal
 * exponent e (the written exponent minus the digits after the point) has |e| <= 22, both M and 10^|e| are
 * exact doubles, so `M * 10^e` (e >= 0) or `M / 10^-e` (e < 0) is ONE correctly rounded IEEE operation: the
 * double nearest to the decimal value, which is what `Number()` returns. Every other cell that passes the
 * grammar (long mantissas, large exponents) goes to `Number()` itself.
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
  const e = exponent - scale;
  if (exact && e >= -22 && e <= 22) {
    const value = e >= 0 ? mantissa * POW10[e] : mantissa / POW10[-e];
    return negative ? -value : value;
  }
  return Number(text.slice(first, stop));
}
