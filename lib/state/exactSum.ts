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
// Notation: u = 2^-53, RN = round to nearest, ties to even (every JS operation on doubles).
//
// 1. Each sum X = big·2^-1074 + b0 + b1 + b2 is *approximated* with a rigorous error bound:
//    - big is cached as H + L with a bound eb on |big·2^-1074 - H - L| (0 when H + L is exact, so H = L = eb
//      = 0 for big = 0), rebuilt with BigInt only after a write to big (a version counter tells);
//    - a TwoSum chain s1 = H + b0, s2 = s1 + b1, s3 = s2 + b2 (each with its exact error ei) gives
//      X = s3 + (L + e1 + e2 + e3) + (≤ eb) exactly; the tail t = ((L + e1) + e2) + e3 is summed in floating
//      point, with error at most γ3·tail, tail = |L| + |e1| + |e2| + |e3| (or the larger |L| + u·(|s1| +
//      |s2| + |s3|), as |ei| <= u·|si|), γ3 = 3u/(1 - 3u) < 2^-51 (recursive summation, Higham Thm 4.4). So
//      |X - (s3 + t)| <= err = eb + 2^-51·tail (the few roundings in computing err itself change it by a
//      factor below 1 + 2^-50, absorbed by the slack below); (xh, xl) = TwoSum(s3, t) is exact.
//    The fast path requires err <= 2^-96·|xh| (general path) or err <= 2^-96·|s3| (count path, below) for
//    the numerator A, and the same for the denominator D: always true unless the parts cancel heavily (with
//    nonnegative parts, err is about 2^-102 of the sum plus eb). Then A/D = (ah + al)/(dh + dl)·(1 + ρ),
//    |ρ| <= 2^-95·(1 + 2^-44).
// 2. General path (ExactSums.fastRatio): q1 = RN(ah·inv), inv = RN(1/(dh + dl)); R = (ah + al) - q1·(dh + dl)
//    is evaluated with error-free products (Dekker; ah - p1 is exact by Sterbenz) and four roundings on
//    terms below 5u·|ah|, q2 = RN(R̂·inv): |q1 + q2 - (ah + al)/(dh + dl)| < 23u²·|q1| < 2^-101·|q1|.
// 2'. Count path (the single-sample step of HingeLoss, hingeKernels.ts): D = n is exactly one double in
//    [1, 2^53] (dl = 0, no error). From err <= 2^-96·|s3|, |t| <= (1 + γ3)·tail < 2^-44.9·|s3|. q1 =
//    RN(s3·inv), inv = RN(1/n), is within (2u + 2^-44.9)·|q1| of (s3 + t)/n; R = s3 + t - q1·n = (s3 - p1) -
//    pe + t exactly, with p1 + pe = q1·n a Dekker product and s3 - p1 exact (Sterbenz: p1 is within a few u
//    of s3); |R| <= 2^-44.8·|s3|, evaluated with two roundings on partial results below 2^-43.8·|s3|, so
//    |R̂ - R| < 2^-95.2·|s3|. q2 = RN(R̂·inv): |q1 + q2 - (s3 + t)/n| <= |R̂ - R|/n + |R|·u/n + u·|q2| <
//    2^-94.5·|q1|.
//    Both paths keep their operands (A's leading part, D, q1) in [2^-900, 2^900], so no product overflows or
//    loses bits to underflow (the BigInt path takes the rest).
// 3. Total: |A/D - (q1 + q2)| < 2^-93·|q1| = τ. With η = 2^-90·|q1|, RN(q2 ± η) still lies beyond q2 ± τ
//    (its rounding error is below u·(|q2| + η) < 2^-97·|q1|). RN is monotone, so if
//    RN(q1 + RN(q2 + η)) = RN(q1 + RN(q2 - η)) = s, every real in between — A/D included — rounds to s:
//    s = RN(A/D), the correctly rounded quotient. Otherwise (a midpoint lies within about 2^-37 ulp of
//    q1 + q2: exact ties, near ties) the exact BigInt division decides.
// ---------------------------------------------------------------------------------------------------------

const SPLIT = 134217729; // 2^27 + 1
/** Upper end of the range the fast quotient keeps its operands in (no product can overflow). */
export const SAFE_HI = 2 ** 900;
/** Lower end of that range (no product loses bits to underflow). */
export const SAFE_LO = 2 ** -900;
/** Bound factor for the floating-point tail sum (> γ3 = 3u / (1 - 3u)). */
export const TAIL_ERR = 2 ** -51;
/** A sum's approximation is used only when its error bound is at most this fraction of it. */
export const REL_OK = 2 ** -96;
/** Certification half-width, relative to q1 (8 times the worst error). */
const ETA = 2 ** -90;
/** The unit roundoff 2^-53. */
export const U = 2 ** -53;

/**
 * The exact error of `p = RN(a * b)` (Dekker's product): a·b = p + twoProductErr(a, b, p) exactly, given |a|,
 * |b| and |a·b| well inside the normal range.
 *
 * @param a - a factor
 * @param b - the other factor
 * @param p - RN(a * b)
 * @returns the rounding error of p
 * @example
 * ```ts
 * twoProductErr(1 + 2 ** -30, 1 + 2 ** -30, (1 + 2 ** -30) * (1 + 2 ** -30)); // => 8.673617379884035e-19 (2^-60)
 * ```
 */
export function twoProductErr(a: number, b: number, p: number): number {
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/**
 * The exact error of the sum `s = RN(a + b)` (Knuth's TwoSum): a + b = s + twoSumErr(a, b, s) exactly, for any
 * finite a and b without overflow.
 *
 * @param a - an addend
 * @param b - the other addend
 * @param s - RN(a + b)
 * @returns the rounding error of s
 * @example
 * ```ts
 * twoSumErr(1, 2 ** -60, 1 + 2 ** -60); // => 8.673617379884035e-19 (2^-60: 1 + 2^-60 rounds to 1)
 * ```
 */
export function twoSumErr(a: number, b: number, s: number): number {
  const v = s - a;
  return a - (s - v) + (b - v);
}

/**
 * RN(q1 + q2) when every real within 2^-90·|q1| of q1 + q2 rounds to it (step 3 of the "Fast correctly rounded
 * quotient" comment), else NaN.
 *
 * @param q1 - the leading quotient
 * @param q2 - the correction (much smaller than q1)
 * @param aq - |q1|
 * @returns the certified RN(q1 + q2), or NaN near a rounding midpoint
 * @example
 * ```ts
 * certified(1, 2 ** -60, 1); // => 1
 * certified(1, 2 ** -53, 1); // => NaN (an exact tie between 1 and 1 + 2^-52)
 * ```
 */
export function certified(q1: number, q2: number, aq: number): number {
  const sum = q1 + q2;
  const eta = aq * ETA;
  return q1 + (q2 + eta) === sum && q1 + (q2 - eta) === sum ? sum : NaN;
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
  /**
   * Cache of `big[k]` as a double-double with an error bound: `[hi, lo, err]` at `3k`, where
   * |big[k]·2^-1074 - hi - lo| <= err (NaN when there is no usable approximation); valid while
   * `cachedVersion[k] === bigVersion`.
   */
  private readonly bigDD: Float64Array;
  /** The {@link ExactSums.bigVersion} each cached double-double was built at. */
  private readonly cachedVersion: Float64Array;
  /**
   * Bumped by every write to `big` (this class's methods, and any caller that writes `big[k]` directly must
   * call {@link ExactSums.bigChanged}): the cached double-doubles are valid while their version matches, which
   * spares `compute()` a digit-by-digit BigInt comparison per sum.
   */
  bigVersion = 1;

  /** @param size - how many independent sums */
  constructor(size: number) {
    this.size = size;
    this.bins = new Float64Array(3 * size);
    this.big = new Array<bigint>(size).fill(0n);
    this.bigDD = new Float64Array(3 * size);
    this.cachedVersion = new Float64Array(size);
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
    // the caches describe other.big, copied above: keep them valid under one version
    this.bigVersion = other.bigVersion;
    this.cachedVersion.set(other.cachedVersion);
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
    this.bigVersion++;
    this.pending = 0;
  }

  /** Adds any finite double to sum `k`, exactly (slow path). */
  addExact(k: number, x: number): void {
    if (x !== 0) {
      this.big[k] += scaledFromDouble(x);
      this.bigVersion++;
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
      this.bigVersion++;
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
    this.bigVersion++;
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
    const q = this.fastRatio(k, d);
    return q === q ? q : this.exactRatio(k, d);
  }

  /**
   * The fast path of {@link ratio}: the correctly rounded quotient when double-double arithmetic can certify it,
   * NaN otherwise (a zero or out-of-range operand, a quotient too close to a rounding boundary). Nothing is
   * written. (The single-sample step of `HingeLoss` has its own inline division, specialised to a count.)
   *
   * @param k - numerator sum
   * @param d - denominator sum
   * @returns the correctly rounded quotient, or NaN when it cannot be certified here
   * @example
   * ```ts
   * const s = new ExactSums(2);
   * s.add(0, 1); s.add(1, 4);
   * s.fastRatio(0, 1); // => 0.25
   * ```
   */
  fastRatio(k: number, d: number): number {
    return fastQuotient(this, k, this, d);
  }

  /**
   * Brings the cached double-double approximations of `big[k]` and `big[d]` up to date (BigInt work only after
   * a write to `big`) and returns the cache: `[hi, lo, err]` at `3k`, with |big[k]·2^-1074 - hi - lo| <= err
   * (err NaN when there is no usable approximation; all 0 for big = 0). For kernels that divide inline.
   *
   * @param k - a sum
   * @param d - another sum
   * @returns the cache array (read it, never write it)
   * @example
   * ```ts
   * const s = new ExactSums(2);
   * s.setScaled(0, 3n << 1074n);
   * Array.from(s.bigApproximations(0, 1).subarray(0, 3)); // => [3, 0, 0]
   * ```
   */
  bigApproximations(k: number, d: number): Float64Array {
    const version = this.bigVersion;
    const seen = this.cachedVersion;
    if (seen[k] !== version) this.cacheBig(k);
    if (seen[d] !== version) this.cacheBig(d);
    return this.bigDD;
  }

  /** The exact BigInt quotient (the fallback of {@link ratio}). */
  private exactRatio(k: number, d: number): number {
    return roundQuotient(this.scaled(k), this.scaled(d));
  }

  /**
   * Tells the sums that `big` was written directly (kernels commit into it): invalidates the cached
   * double-doubles that `ratio` uses.
   */
  bigChanged(): void {
    this.bigVersion++;
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

  /** Rebuilds the cached double-double of `big[k]` (BigInt work, only after a write to `big`). */
  private cacheBig(k: number): void {
    const cache = this.bigDD;
    const big = this.big[k];
    this.cachedVersion[k] = this.bigVersion;
    const hi = doubleFromScaledFast(big);
    if (!Number.isFinite(hi)) {
      cache[3 * k] = 0;
      cache[3 * k + 1] = 0;
      cache[3 * k + 2] = NaN;
      return;
    }
    const rest = big - scaledFromDouble(hi);
    const lo = doubleFromScaledFast(rest);
    const rest2 = rest - scaledFromDouble(lo);
    // doubleFromScaledFast(x) is within u·|x| + 2^-1075 of x, so this bounds |rest2·2^-1074| from above.
    const err = rest2 === 0n ? 0 : Math.abs(doubleFromScaledFast(rest2)) * 1.001 + 2 ** -1070;
    cache[3 * k] = hi;
    cache[3 * k + 1] = lo;
    cache[3 * k + 2] = err;
  }
}

/**
 * The correctly rounded quotient of sum `k` of `num` by sum `d` of `den` when double-double arithmetic can
 * certify it (see "Fast correctly rounded quotient" above), NaN otherwise. `num` and `den` may be the same.
 *
 * @param num - the numerator's sums
 * @param k - which numerator sum
 * @param den - the denominator's sums
 * @param d - which denominator sum
 * @returns the certified quotient, or NaN
 * @example
 * ```ts
 * const a = new ExactSums(1), b = new ExactSums(1);
 * a.add(0, 1); b.add(0, 4);
 * fastQuotient(a, 0, b, 0); // => 0.25
 * ```
 */
export function fastQuotient(num: ExactSums, k: number, den: ExactSums, d: number): number {
  const cacheD = den.bigApproximations(d, d);
  const cacheK = num.bigApproximations(k, k);
  const binsD = den.bins;
  const binsK = num.bins;
  // Both sums at once: lane 0 the denominator, lane 1 the numerator (the TwoSum chain of the "Fast correctly
  // rounded quotient" comment over H + L and the three bins; one loop, no calls, no scratch writes).
  let sd = cacheD[3 * d];
  let td = cacheD[3 * d + 1];
  let taild = Math.abs(td);
  let sk = cacheK[3 * k];
  let tk = cacheK[3 * k + 1];
  let tailk = Math.abs(tk);
  for (let i = 0; i < 3; i++) {
    const bd = binsD[3 * d + i];
    const bk = binsK[3 * k + i];
    const nd = sd + bd;
    const nk = sk + bk;
    const ed = twoSumErr(sd, bd, nd);
    const ek = twoSumErr(sk, bk, nk);
    td += ed;
    tk += ek;
    taild += Math.abs(ed);
    tailk += Math.abs(ek);
    sd = nd;
    sk = nk;
  }
  const dh = sd + td;
  const dl = twoSumErr(sd, td, dh);
  const ah = sk + tk;
  const al = twoSumErr(sk, tk, ah);
  const aa = Math.abs(ah);
  if (!(
    cacheD[3 * d + 2] + TAIL_ERR * taild <= REL_OK * dh && cacheK[3 * k + 2] + TAIL_ERR * tailk <= REL_OK * aa
  )) {
    return NaN;
  }
  if (!(dh > SAFE_LO && dh < SAFE_HI)) return NaN;
  if (aa === 0) return al === 0 ? 0 : NaN;
  const inv = 1 / (dh + dl);
  const q1 = ah * inv;
  const aq = Math.abs(q1);
  if (!(aa > SAFE_LO && aa < SAFE_HI && aq > SAFE_LO && aq < SAFE_HI)) return NaN;
  // R = A - q1·D with Dekker products; ah - p1 is exact (Sterbenz).
  const p1 = q1 * dh;
  let r = ah - p1 - twoProductErr(q1, dh, p1) + al;
  if (dl !== 0) {
    // only for a denominator that is not one double (weights); a count has dl = 0
    const p2 = q1 * dl;
    r = r - p2 - twoProductErr(q1, dl, p2);
  }
  return certified(q1, r * inv, aq);
}
