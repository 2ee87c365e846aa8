/**
 * Exact scaled integers (a double x is the integer x·2^1074) and their codecs: conversion from and to
 * doubles (correctly rounded), the correctly rounded quotient of two of them, and the exact hex-float text
 * form of states.
 *
 * @module
 */

const SCALE_SHIFT = 1074n;
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/**
 * The exact value of a finite double times 2^1074, as a BigInt.
 *
 * @param x - a finite double
 * @returns `x * 2^1074`, exactly
 * @example
 * ```ts
 * scaledFromDouble(0.5); // => 1n << 1073n
 * ```
 */
export function scaledFromDouble(x: number): bigint {
  F64[0] = x;
  const bits = U64[0];
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & 0xfffffffffffffn;
  if (exponent !== 0) mantissa |= 0x10000000000000n;
  const shift = exponent === 0 ? 0n : BigInt(exponent - 1);
  const magnitude = mantissa << shift;
  return bits >> 63n ? -magnitude : magnitude;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(16).length * 4 - Math.clz32(parseInt(x.toString(16)[0], 16)) + 28;
}

/** m * 2^e for an integer m < 2^54 whose result is known to be representable (or to overflow). */
function ldexp(m: number, e: number): number {
  while (e > 1000) {
    m *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    m *= 2 ** -1000;
    e += 1000;
  }
  return m * 2 ** e;
}

/**
 * The correctly rounded (to nearest, ties to even) float64 value of `a / b` for BigInts `a` and `b > 0`.
 *
 * @param a - numerator
 * @param b - denominator, positive
 * @returns the double nearest to the exact quotient (±Infinity past the float64 range)
 * @example
 * ```ts
 * roundQuotient(1n, 3n); // => 0.3333333333333333
 * ```
 */
export function roundQuotient(a: bigint, b: bigint): number {
  if (b <= 0n) throw new RangeError("roundQuotient: the denominator must be positive");
  if (a === 0n) return 0;
  const negative = a < 0n;
  if (negative) a = -a;
  // Scale so that the integer quotient q has at least 55 bits, then round q with a sticky bit.
  const s = bitLength(b) - bitLength(a) + 55;
  const num = s >= 0 ? a << BigInt(s) : a;
  const den = s >= 0 ? b : b << BigInt(-s);
  const q = num / den;
  const sticky = num % den !== 0n;
  const e = bitLength(q) - 1 - s; // the result lies in [2^e, 2^(e+1))
  const unitExp = Math.max(e - 52, -1074); // weight of the last kept bit (subnormals keep fewer)
  const drop = BigInt(unitExp + s);
  let kept = q >> drop;
  const rest = q - (kept << drop);
  const half = 1n << (drop - 1n);
  if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) kept += 1n;
  const value = ldexp(Number(kept), unitExp);
  return negative ? -value : value;
}

/**
 * The float64 nearest to an exact scaled sum (`scaled * 2^-1074`).
 *
 * @param scaled - an exact sum, scaled by 2^1074
 * @returns the correctly rounded double
 * @example
 * ```ts
 * doubleFromScaled(scaledFromDouble(0.1)); // => 0.1
 * ```
 */
export function doubleFromScaled(scaled: bigint): number {
  return roundQuotient(scaled, 1n << SCALE_SHIFT);
}

/** A double near `scaled * 2^-1074` (not necessarily correctly rounded; callers verify exactness). */
/** A fast approximation of doubleFromScaled (within u·|x| + 2^-1075), for error-bounded caches. */
export function doubleFromScaledFast(scaled: bigint): number {
  if (scaled === 0n) return 0;
  const approx = Number(scaled);
  if (Number.isFinite(approx))
    return approx * 2 ** -1074 === 0 ? doubleFromScaled(scaled) : ldexp(approx, -1074);
  return doubleFromScaled(scaled);
}

/**
 * Writes an exact scaled sum as a hexadecimal floating-point string (C99 `%a` style, any precision), e.g.
 * `"0x1.8p-1"` for 0.75. This is the exact, JSON-safe form used in serialised states.
 *
 * @param scaled - an exact sum, scaled by 2^1074
 * @returns the canonical hex-float string
 * @example
 * ```ts
 * formatHexFloat(scaledFromDouble(0.75)); // => "0x1.8p-1"
 * ```
 */
export function formatHexFloat(scaled: bigint): string {
  if (scaled === 0n) return "0x0p+0";
  const sign = scaled < 0n ? "-" : "";
  let m = scaled < 0n ? -scaled : scaled;
  let exp = -1074;
  while ((m & 0xffffn) === 0n) {
    m >>= 16n;
    exp += 16;
  }
  while ((m & 1n) === 0n) {
    m >>= 1n;
    exp += 1;
  }
  const fracBits = bitLength(m) - 1;
  const pad = (4 - (fracBits % 4)) % 4;
  const frac = (m - (1n << BigInt(fracBits))) << BigInt(pad);
  const digits = (fracBits + pad) / 4;
  const e = exp + fracBits;
  const fracText = digits === 0 ? "" : "." + frac.toString(16).padStart(digits, "0").replace(/0+$/, "");
  return `${sign}0x1${fracText}p${e >= 0 ? "+" : ""}${e}`;
}

const HEX_FLOAT = /^(-?)0x([01])(?:\.([0-9a-f]{1,600}))?p([+-]\d{1,4})$/;

/**
 * Parses a hex-float string written by {@link formatHexFloat} back into an exact scaled sum, or returns
 * `undefined` when the text is not such a number, is out of range (|x| ≥ 2^1100) or is not a multiple
 * of 2^-1074.
 *
 * @param text - e.g. `"0x1.8p-1"`
 * @returns the value scaled by 2^1074, or undefined
 * @example
 * ```ts
 * parseHexFloat("0x1.8p-1") === scaledFromDouble(0.75); // => true
 * ```
 */
export function parseHexFloat(text: string): bigint | undefined {
  const match = HEX_FLOAT.exec(text);
  if (!match) return undefined;
  const [, sign, lead, frac = "", expText] = match;
  let mantissa = BigInt("0x" + lead + frac);
  if (lead === "0" && mantissa !== 0n) return undefined;
  const exp = Number(expText) - 4 * frac.length;
  if (Number(expText) >= 1100) return undefined;
  const shift = exp + 1074;
  if (shift >= 0) mantissa <<= BigInt(shift);
  else {
    const dropped = mantissa & ((1n << BigInt(-shift)) - 1n);
    if (dropped !== 0n) return undefined;
    mantissa >>= BigInt(-shift);
  }
  return sign === "-" ? -mantissa : mantissa;
}
