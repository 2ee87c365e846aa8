/**
 * The fast correctly rounded quotient of two exact sums (double-double arithmetic with a rigorous error
 * bound, certified by monotonicity of rounding), and the error-free transformations it is built from.
 *
 * @module
 */
import type { ExactSums } from "./exactSum.js";

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
// 2'. Count path (countPrefix / countQuotientFrom below: HingeLoss's running value per sample): D = n is exactly
//    one double in [1, 2^53] (dl = 0, no error). From err <= 2^-96·|s3|, |t| <= (1 + γ3)·tail < 2^-44.9·|s3|. q1 =
//    RN(s3·inv), inv = RN(1/n), is within (2u + 2^-44.9)·|q1| of (s3 + t)/n; R = s3 + t - q1·n = (s3 - p1) - pe + t
//    exactly, with p1 + pe = q1·n a Dekker product and s3 - p1 exact (Sterbenz: p1 is within a few u of s3); |R| <=
//    2^-44.8·|s3|, evaluated with two roundings on partial results below 2^-43.8·|s3|, so |R̂ - R| < 2^-95.2·|s3|.
//    q2 = RN(R̂·inv): |q1 + q2 - (s3 + t)/n| <= |R̂ - R|/n + |R|·u/n + u·|q2| < 2^-94.5·|q1|.
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

/** Bound factor for a floating-point tail sum of five terms (> γ5 = 5u / (1 - 5u)). */
const TAIL_ERR5 = 2 ** -50;

/** Slots of a {@link countPrefix}: its length. */
export const COUNT_PREFIX_SIZE = 7;

/**
 * The part of the count path (2' above, see {@link countQuotientFrom}) that depends only on the sums' flushed
 * parts and bins, which a run of single samples into the pending pairs leaves alone: computed once into `out` and
 * reused by {@link countQuotientFrom} for as long as neither sum changes otherwise (`ExactSum` keys it on a
 * version that every other method bumps). `out` receives `[n1, s3, t3, spread3, err, |l|, zero3]`: the
 * denominator's flushed part plus bins (exact, NaN when it is not a count), the numerator's TwoSum chain over its
 * flushed part and bins (s3, the tail t3 = ((l + e1) + e2) + e3 and |s1| + |s2| + |s3|, in the order of one
 * pass, so that the result is the same bits), its cache error bound, |l|, and 1 when l, the error bound and
 * e1 … e3 are all zero (else 0).
 *
 * @param big - the numerator's flushed part: `[hi, lo, err]`
 * @param b - the numerator's bins
 * @param dbig - the denominator's flushed part
 * @param db - the denominator's bins
 * @param out - receives the prefix ({@link COUNT_PREFIX_SIZE} slots)
 * @example
 * ```ts
 * const none = new Float64Array(3);
 * const c = new Float64Array(COUNT_PREFIX_SIZE);
 * countPrefix(none, new Float64Array([1, 0, 0]), none, new Float64Array([3, 0, 0]), c);
 * [c[0], c[1]]; // => [3, 1]
 * ```
 */
export function countPrefix(
  big: Float64Array,
  b: Float64Array,
  dbig: Float64Array,
  db: Float64Array,
  out: Float64Array,
): void {
  const hn = dbig[0];
  const bn = db[0];
  const n1 = hn + bn;
  const count = dbig[1] === 0 && dbig[2] === 0 && db[1] === 0 && db[2] === 0;
  out[0] = count && n1 - hn === bn && n1 - bn === hn ? n1 : NaN;
  const h = big[0];
  const l = big[1];
  const s1 = h + b[0];
  const s2 = s1 + b[1];
  const s3 = s2 + b[2];
  const e1 = twoSumErr(h, b[0], s1);
  const e2 = twoSumErr(s1, b[1], s2);
  const e3 = twoSumErr(s2, b[2], s3);
  out[1] = s3;
  out[2] = l + e1 + e2 + e3;
  out[3] = Math.abs(s1) + Math.abs(s2) + Math.abs(s3);
  out[4] = big[2];
  out[5] = Math.abs(l);
  out[6] = l === 0 && big[2] === 0 && e1 === 0 && e2 === 0 && e3 === 0 ? 1 : 0;
}

/**
 * The count path for a numerator that also holds a pending two-anchor pair: Σ/n correctly rounded, or NaN when
 * it cannot be certified here, from the sums' {@link countPrefix} and their pending pairs as they are. The
 * numerator's five parts (flushed part, three bins, the pair) are summed left to right, s1 … s5, with exact
 * TwoSum errors e1 … e5; the tail t = RN-sum of l + e1 + … + e5 is within γ5 < 2^-50 of the sum of its terms'
 * magnitudes (|ei| <= u·|si|), so requiring err + 2^-50·(|l| + u·Σ|si|) <= 2^-96·|s5| bounds the whole error
 * of the numerator by 2^-96·|s5| and gives |t| < 2^-44.9·|s5|, the two facts 2' uses (s5 in the role of s3).
 * The denominator, a count, must be exactly one double n in [1, 2^53] (its low parts zero, its parts' sum
 * exact: the TwoSum test of 2'). The rest is 2' word for word: q1 = RN(s5·inv), R by a Dekker product,
 * q2 = RN(R̂·inv), then 3.
 *
 * @param c - the sums' prefix ({@link countPrefix})
 * @param p - the numerator's pending pair
 * @param dp - the denominator's pending pair
 * @returns the correctly rounded quotient, or NaN (then the exact path decides)
 * @example
 * ```ts
 * const none = new Float64Array(3);
 * const c = new Float64Array(COUNT_PREFIX_SIZE);
 * countPrefix(none, new Float64Array([1, 0, 0]), none, new Float64Array([3, 0, 0]), c);
 * countQuotientFrom(c, new Float64Array([1, 0]), new Float64Array([3, 0])); // => 0.3333333333333333
 * ```
 */
export function countQuotientFrom(c: Float64Array, p: Float64Array, dp: Float64Array): number {
  const n1 = c[0];
  const pn = dp[0];
  const n = n1 + pn;
  if (dp[1] !== 0 || n - n1 !== pn || n - pn !== n1 || !(n >= 1 && n <= 2 ** 53)) return NaN; // (NaN n1 too)
  const s3 = c[1];
  const s4 = s3 + p[0];
  const s5 = s4 + p[1];
  const e4 = twoSumErr(s3, p[0], s4);
  const e5 = twoSumErr(s4, p[1], s5);
  const as = Math.abs(s5);
  const spread = c[3] + Math.abs(s4) + as;
  const inv = 1 / n;
  const q1 = s5 * inv;
  const aq = Math.abs(q1);
  if (c[4] + TAIL_ERR5 * (c[5] + U * spread) <= REL_OK * as && as < SAFE_HI && aq > SAFE_LO) {
    const p1 = q1 * n;
    return certified(q1, (s5 - p1 - twoProductErr(q1, n, p1) + (c[2] + e4 + e5)) * inv, aq);
  }
  // Σ is exactly 0 (every prediction so far confidently right); anything else: the exact path decides
  return s5 === 0 && c[6] === 1 && e4 === 0 && e5 === 0 ? 0 : NaN;
}
