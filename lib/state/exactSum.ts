/**
 * Exact summation of float64 values.
 *
 * How a sum is kept, and why it is exact
 * --------------------------------------
 * Every finite double is an integer multiple of 2^-1074, so any sum of doubles is one too. The exact value
 * of a sum is therefore an integer `B` (a BigInt) scaled by 2^-1074: that is the reference representation,
 * used when states are flushed, merged, serialised and divided.
 *
 * BigInt arithmetic per element would be far too slow, so the hot loops use *binned* accumulation with
 * three fixed anchors (Demmel–Nguyen style "extract" steps, `q = (x + S) - S`):
 *
 * - a value `0 <= |x| < 2^32` is split error-free into `q1 + q2 + q3 (+ r)`, where `q1` is a multiple of
 *   2^-4, `q2` of 2^-40 with |q2| <= 2^-5, `q3` of 2^-76 with |q3| <= 2^-41;
 * - the remainder `r` is zero for every `|x| >= 2^-24` (such a double is itself a multiple of 2^-76), and
 *   the caller sends any value with `r != 0` or `|x| >= 2^32` down the exact slow path (BigInt);
 * - bin k adds only multiples of its anchor, and at most {@link FLUSH_EVERY} = 2^16 pieces go into a bin
 *   before it is flushed into the BigInt, so its partial sums stay below 2^49, 2^13 and 2^-23
 *   respectively: each stays a representable multiple of its anchor, so no addition ever rounds.
 *
 * The state is thus always the exact sum of everything added. The float64 value reported by `compute()` is
 * rounded once, at the end ({@link roundQuotient}), so it does not depend on the order of additions, on how
 * the stream was cut into batches, or on how partial states were merged.
 *
 * @module
 */

/** Bins are flushed into the exact BigInt after this many additions (see the module comment). */
export const FLUSH_EVERY = 65536;
/** Values at or above this magnitude take the exact slow path. */
export const FAST_LIMIT = 4294967296; // 2^32
/** Extraction constants: `(x + S) - S` rounds x to a multiple of the bin's anchor. */
export const S1 = 422212465065984; // 1.5 * 2^48  -> multiples of 2^-4
export const S2 = 6144; // 1.5 * 2^12  -> multiples of 2^-40
export const S3 = 8.940696716308594e-8; // 1.5 * 2^-24 -> multiples of 2^-76

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
function doubleFromScaledFast(scaled: bigint): number {
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

// ---------------------------------------------------------------------------------------------------------
// Fast correctly rounded quotient of two exact sums, without BigInt in the common case.
//
// Each exact sum is first written as a double-double `hi + lo` *exactly* (Shewchuk partials of its parts; if
// more than two partials remain, there is no exact double-double and the BigInt path runs). Then
// q1 = fl(ah / dh), the residual R = A - q1·D is formed with error-free products (Dekker), q2 ≈ R / D, and
// s = fl(q1 + q2). s is the correctly rounded quotient unless the double-double q1 + q2 lies within a tiny
// margin (2^-40 of half an ulp) of a rounding midpoint; then, and for any operand outside [2^-900, 2^900],
// the exact BigInt division decides. The error of q1 + q2 against the exact quotient is below 2^-48 ulp, so
// the margin is safe by a factor of 2^8.
// ---------------------------------------------------------------------------------------------------------

const SPLIT = 134217729; // 2^27 + 1
const SAFE_HI = 2 ** 900;
const SAFE_LO = 2 ** -900;
const BITS = new Float64Array(1);
const WORDS = new Uint32Array(BITS.buffer);
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian: high word at 1
const partialsScratch = new Float64Array(16);
const ddOut = new Float64Array(2);

/**
 * Adds x into the first m partials of {@link partialsScratch} (Shewchuk's grow step, as in Python's msum:
 * Fast2Sum after ordering by magnitude) and returns the new count; the partials stay an exact,
 * non-overlapping expansion of the sum so far.
 */
function growPartials(x: number, m: number): number {
  if (x === 0) return m;
  const partials = partialsScratch;
  let j = 0;
  for (let k = 0; k < m; k++) {
    let y = partials[k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[j++] = lo;
    x = hi;
  }
  if (x !== 0) partials[j++] = x;
  return j;
}

/** Writes the exact sum of `n` doubles from `xs` (starting at `from`) as hi + lo into ddOut; false if impossible. */
function exactDoubleDouble(
  xs: ArrayLike<number>,
  from: number,
  n: number,
  extraHi: number,
  extraLo: number,
): boolean {
  // The same additions, in the same order (extraHi, extraLo, then xs), as one msum loop.
  let m = growPartials(extraLo, growPartials(extraHi, 0));
  for (let i = 0; i < n; i++) m = growPartials(xs[from + i], m);
  if (m > 2) return false;
  const partials = partialsScratch;
  ddOut[0] = m === 0 ? 0 : partials[m - 1];
  ddOut[1] = m === 2 ? partials[0] : 0;
  return true;
}

function twoProductHi(a: number, b: number): number {
  return a * b;
}

/** The exact error of `a * b` (Dekker), given |a|, |b| and |a·b| well inside the normal range. */
function twoProductErr(a: number, b: number, p: number): number {
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

function safe(x: number): boolean {
  const a = Math.abs(x);
  return a === 0 || (a > SAFE_LO && a < SAFE_HI);
}

/**
 * The correctly rounded quotient (ah + al) / (dh + dl) of two exact double-doubles, or NaN when the fast
 * path cannot certify it (the caller then divides exactly).
 */
function fastQuotient(ah: number, al: number, dh: number, dl: number): number {
  if (!(dh > 0) || !safe(ah) || !safe(al) || !safe(dh) || !safe(dl)) return NaN;
  if (ah === 0) return al === 0 ? 0 : NaN;
  const q1 = ah / dh;
  if (!safe(q1)) return NaN;
  const p1 = twoProductHi(q1, dh);
  const e1 = twoProductErr(q1, dh, p1);
  const p2 = twoProductHi(q1, dl);
  const e2 = dl === 0 ? 0 : twoProductErr(q1, dl, p2);
  // R = ah + al - p1 - e1 - p2 - e2; ah - p1 is exact (Sterbenz), the rest is tiny next to ah.
  const r = ah - p1 - e1 + al - p2 - e2;
  const q2 = r / (dh + dl);
  const s = q1 + q2;
  const gap = q1 - s + q2;
  BITS[0] = s;
  const exponent = (WORDS[HI_WORD] >>> 20) & 0x7ff;
  const powerOfTwo = (WORDS[HI_WORD] & 0xfffff) === 0 && WORDS[1 - HI_WORD] === 0;
  // ulp(s) / 2 = 2^(exponent - 1076), built from its bits (a variable `2 **` is a slow pow() call); s is
  // within a factor 2 of q1 ≥ 2^-900, so exponent - 53 is a normal biased exponent.
  WORDS[HI_WORD] = (exponent - 53) << 20;
  WORDS[1 - HI_WORD] = 0;
  let half = BITS[0];
  if (powerOfTwo) half *= 0.5; // the midpoint below a power of two is closer
  if (Math.abs(gap) < half * (1 - 2 ** -40)) return s;
  return NaN;
}

/**
 * A fixed number of exact sums, kept as three float64 bins each (the fast path) plus an exact BigInt (the
 * flushed part and the slow path). Kernels write the bins directly; see the module comment for the bounds
 * that keep every bin addition exact.
 *
 * @example
 * ```ts
 * const sums = new ExactSums(1);
 * sums.add(0, 0.1); sums.add(0, 0.2);
 * sums.value(0); // => 0.30000000000000004 (the float64 nearest to the exact 0.1 + 0.2)
 * ```
 */
export class ExactSums {
  /** How many sums. */
  readonly size: number;
  /** Three bins per sum: `[q1, q2, q3]` at `3k`, `3k + 1`, `3k + 2`. */
  readonly bins: Float64Array;
  /** Flushed and slow-path parts, scaled by 2^1074. */
  readonly big: bigint[];
  /** Additions into the bins since the last flush (never more than {@link FLUSH_EVERY}). */
  pending = 0;
  /** Cache of `big[k]` as an exact double-double: `[hi, lo]` at `2k`, valid when `bigState[k]` is 1. */
  private readonly bigDD: Float64Array;
  /** The `big[k]` value the cache was built from (kernels may add to `big` directly: compare, never trust). */
  private readonly cachedBig: bigint[];
  /** Per sum: 1 = `cachedBig[k]` has the exact double-double in `bigDD`, 0 = it has none. */
  private readonly bigExact: Uint8Array;

  /** @param size - how many independent sums */
  constructor(size: number) {
    this.size = size;
    this.bins = new Float64Array(3 * size);
    this.big = new Array<bigint>(size).fill(0n);
    this.bigDD = new Float64Array(2 * size);
    this.cachedBig = new Array<bigint>(size).fill(0n);
    this.bigExact = new Uint8Array(size).fill(1);
  }

  /** An independent copy. */
  clone(): ExactSums {
    const copy = new ExactSums(this.size);
    copy.copyFrom(this);
    return copy;
  }

  /** Makes this an exact copy of `other` (same size). */
  copyFrom(other: ExactSums): void {
    this.bins.set(other.bins);
    for (let k = 0; k < this.size; k++) this.big[k] = other.big[k];
    this.pending = other.pending;
    this.bigDD.set(other.bigDD);
    this.bigExact.set(other.bigExact);
    for (let k = 0; k < this.size; k++) this.cachedBig[k] = other.cachedBig[k];
  }

  /** Moves the bins into the exact BigInts. */
  flush(): void {
    const bins = this.bins;
    for (let k = 0; k < this.size; k++) {
      const b1 = bins[3 * k];
      const b2 = bins[3 * k + 1];
      const b3 = bins[3 * k + 2];
      if (b1 !== 0 || b2 !== 0 || b3 !== 0) {
        // b1 * 2^4, b2 * 2^40 and b3 * 2^76 are integers below 2^53: exact conversions.
        this.big[k] +=
          (BigInt(b1 * 16) << 1070n) + (BigInt(b2 * 2 ** 40) << 1034n) + (BigInt(b3 * 2 ** 76) << 998n);
        bins[3 * k] = 0;
        bins[3 * k + 1] = 0;
        bins[3 * k + 2] = 0;
      }
    }
    this.pending = 0;
  }

  /** Adds any finite double to sum `k`, exactly (slow path). */
  addExact(k: number, x: number): void {
    if (x !== 0) {
      this.big[k] += scaledFromDouble(x);
    }
  }

  /** Adds a finite double to sum `k`, exactly, through the bins when it can. */
  add(k: number, x: number): void {
    if (this.pending >= FLUSH_EVERY) this.flush();
    const q1 = x + S1 - S1;
    const r1 = x - q1;
    const q2 = r1 + S2 - S2;
    const r2 = r1 - q2;
    const q3 = r2 + S3 - S3;
    if (!(Math.abs(x) < FAST_LIMIT) || r2 !== q3) {
      this.addExact(k, x);
      return;
    }
    this.bins[3 * k] += q1;
    this.bins[3 * k + 1] += q2;
    this.bins[3 * k + 2] += q3;
    this.pending += 1;
  }

  /** Adds another set of sums (same size) into this one, exactly; `other` is unchanged. */
  addAll(other: ExactSums): void {
    for (let k = 0; k < this.size; k++) {
      this.big[k] += other.scaled(k);
    }
  }

  /** Sum `k` exactly, scaled by 2^1074 (bins included, nothing modified). */
  scaled(k: number): bigint {
    const b1 = this.bins[3 * k];
    const b2 = this.bins[3 * k + 1];
    const b3 = this.bins[3 * k + 2];
    return (
      this.big[k] +
      (BigInt(b1 * 16) << 1070n) +
      (BigInt(b2 * 2 ** 40) << 1034n) +
      (BigInt(b3 * 2 ** 76) << 998n)
    );
  }

  /** Sum `k` rounded once to the nearest double. */
  value(k: number): number {
    return doubleFromScaled(this.scaled(k));
  }

  /** Sets sum `k` to an exact scaled value (bins cleared). */
  setScaled(k: number, scaled: bigint): void {
    this.bins[3 * k] = 0;
    this.bins[3 * k + 1] = 0;
    this.bins[3 * k + 2] = 0;
    this.big[k] = scaled;
  }

  /**
   * Sum `k` divided by sum `d`, correctly rounded to the nearest double (ties to even): fast double-double
   * arithmetic when it can certify the rounding, the exact BigInt division otherwise.
   *
   * @param k - numerator sum
   * @param d - denominator sum (must be positive)
   * @returns the correctly rounded quotient
   * @example
   * ```ts
   * const s = new ExactSums(2);
   * s.add(0, 1); s.add(1, 3);
   * s.ratio(0, 1); // => 0.3333333333333333
   * ```
   */
  ratio(k: number, d: number): number {
    if (this.ddOf(k)) {
      const ah = ddOut[0];
      const al = ddOut[1];
      if (this.ddOf(d)) {
        const q = fastQuotient(ah, al, ddOut[0], ddOut[1]);
        if (q === q) return q;
      }
    }
    return roundQuotient(this.scaled(k), this.scaled(d));
  }

  /**
   * True when sum `k` is exactly zero (no BigInt part, empty bins).
   *
   * @param k - which sum
   * @returns whether it is zero
   * @example
   * ```ts
   * new ExactSums(1).isZero(0); // => true
   * ```
   */
  isZero(k: number): boolean {
    const bins = this.bins;
    return bins[3 * k] === 0 && bins[3 * k + 1] === 0 && bins[3 * k + 2] === 0 && this.big[k] === 0n;
  }

  /** Writes sum `k` (BigInt part and bins) as an exact double-double into ddOut; false if there is none. */
  private ddOf(k: number): boolean {
    const big = this.big[k];
    if (big !== this.cachedBig[k]) {
      const hi = doubleFromScaledFast(big);
      const rest = big - scaledFromDouble(hi);
      const lo = doubleFromScaledFast(rest);
      const exact = Number.isFinite(hi) && rest === scaledFromDouble(lo);
      this.cachedBig[k] = big;
      this.bigExact[k] = exact ? 1 : 0;
      this.bigDD[2 * k] = exact ? hi : 0;
      this.bigDD[2 * k + 1] = exact ? lo : 0;
    }
    if (this.bigExact[k] === 0) return false;
    return exactDoubleDouble(this.bins, 3 * k, 3, this.bigDD[2 * k], this.bigDD[2 * k + 1]);
  }
}
