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
/** Scales of the two-anchor pair pieces (see {@link ExactSums.commitPairs}): 2^-14 and 2^-53 units. */
const PAIR_HI_SHIFT = 1074n - 14n;
const PAIR_LO_SHIFT = 1074n - 53n;
/** Values at or above this magnitude take the exact slow path. */
export const FAST_LIMIT = 4294967296; // 2^32
/** Extraction constants: `(x + S) - S` rounds x to a multiple of the bin's anchor. */
export const S1 = 422212465065984; // 1.5 * 2^48  -> multiples of 2^-4
export const S2 = 6144; // 1.5 * 2^12  -> multiples of 2^-40
export const S3 = 8.940696716308594e-8; // 1.5 * 2^-24 -> multiples of 2^-76

import { doubleFromScaled, doubleFromScaledFast, roundQuotient, scaledFromDouble } from "./scaled.js";
import { fastQuotient } from "./quotient.js";

export {
  doubleFromScaled,
  formatHexFloat,
  parseHexFloat,
  roundQuotient,
  scaledFromDouble,
} from "./scaled.js";
export { fastQuotient } from "./quotient.js";

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
  /**
   * Three bins per sum: `[q1, q2, q3]` at `3k`, `3k + 1`, `3k + 2` (see "Exact accumulation" above). The
   * kernel-facing view: a kernel may add pieces split at the S1/S2/S3 anchors into it, after
   * {@link ExactSums.reserve} and followed by {@link ExactSums.commit}; anything else reads it only.
   */
  readonly bins: Float64Array;
  /** Flushed and slow-path parts, scaled by 2^1074 (private: kernels commit through {@link ExactSums.commitPairs}). */
  private readonly big: bigint[];
  /** Additions into the bins since the last flush (never more than {@link FLUSH_EVERY}). */
  private pending = 0;
  /**
   * Cache of `big[k]` as a double-double with an error bound: `[hi, lo, err]` at `3k`, where
   * |big[k]·2^-1074 - hi - lo| <= err (NaN when there is no usable approximation); valid while
   * `cachedVersion[k] === bigVersion`.
   */
  private readonly bigDD: Float64Array;
  /** The {@link ExactSums.bigVersion} each cached double-double was built at. */
  private readonly cachedVersion: Float64Array;
  /**
   * Bumped by every write to `big` (only this class's methods write it): the cached double-doubles are valid while their version matches, which
   * spares `compute()` a digit-by-digit BigInt comparison per sum.
   */
  private bigVersion = 1;

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

  /**
   * Kernel API: makes room in the bins (flushing them into the exact BigInts when they are full) and returns
   * how many more additions each sum's bins take before the next flush (at least 1). A kernel adds at most
   * that many split values per sum into {@link ExactSums.bins}, then calls {@link ExactSums.commit}.
   *
   * @returns the room, in additions per sum
   * @example
   * ```ts
   * new ExactSums(1).reserve(); // => 65536
   * ```
   */
  reserve(): number {
    if (this.pending >= FLUSH_EVERY) this.flush();
    return FLUSH_EVERY - this.pending;
  }

  /**
   * Kernel API: records that a kernel added `n` values per sum (at most) into the bins since
   * {@link ExactSums.reserve}.
   *
   * @param n - additions per sum
   * @example
   * ```ts
   * const s = new ExactSums(1);
   * s.bins[0] += 3; s.commit(1);
   * s.value(0); // => 3
   * ```
   */
  commit(n: number): void {
    this.pending += n;
  }

  /**
   * Kernel API: adds two-anchor pair accumulators exactly and clears them: sum k += `acc[2k] + acc[2k + 1]`
   * for k < count, where `acc[2k]·2^14` and `acc[2k + 1]·2^53` must be integers below 2^53 (the contract of
   * the two-anchor kernels), so the conversions to BigInt are exact.
   *
   * @param acc - 2·count accumulators
   * @param count - how many sums
   * @example
   * ```ts
   * const s = new ExactSums(1);
   * s.commitPairs(new Float64Array([0.5, 2 ** -53]), 1);
   * s.scaled(0) === (1n << 1073n) + (1n << 1021n); // => true
   * ```
   */
  commitPairs(acc: Float64Array, count: number): void {
    const big = this.big;
    for (let k = 0; k < count; k++) {
      const hi = acc[2 * k];
      const lo = acc[2 * k + 1];
      if (hi !== 0 || lo !== 0) {
        big[k] += (BigInt(hi * 16384) << PAIR_HI_SHIFT) + (BigInt(lo * 9007199254740992) << PAIR_LO_SHIFT);
        acc[2 * k] = 0;
        acc[2 * k + 1] = 0;
      }
    }
    this.bigVersion++;
  }

  /**
   * Saves the whole accumulator into `into` (reused when given) for an exact {@link ExactSums.restore}.
   *
   * @param into - an earlier snapshot of sums of this size, or null
   * @returns the snapshot
   * @example
   * ```ts
   * const s = new ExactSums(1);
   * const saved = s.snapshot(null);
   * s.add(0, 1); s.restore(saved);
   * s.isZero(0); // => true
   * ```
   */
  snapshot(into: ExactSumsSnapshot | null): ExactSumsSnapshot {
    const saved = into ?? new ExactSumsSnapshot();
    const from = this.bins;
    if (saved.bins.length !== from.length) saved.bins = new Float64Array(from.length);
    const bins = saved.bins;
    for (let i = 0; i < from.length; i++) bins[i] = from[i]; // faster than set() for a few elements
    const big = saved.big;
    if (big.length !== this.size) big.length = this.size;
    for (let k = 0; k < this.size; k++) big[k] = this.big[k];
    saved.pending = this.pending;
    return saved;
  }

  /**
   * Puts the accumulator back exactly as {@link ExactSums.snapshot} saw it.
   *
   * @param saved - a snapshot of these sums
   */
  restore(saved: ExactSumsSnapshot): void {
    const bins = this.bins;
    for (let i = 0; i < bins.length; i++) bins[i] = saved.bins[i];
    for (let k = 0; k < this.size; k++) this.big[k] = saved.big[k];
    this.pending = saved.pending;
    this.bigVersion++;
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
 * What {@link ExactSums.snapshot} saves (opaque to callers).
 *
 * @example
 * ```ts
 * new ExactSums(2).snapshot(null) instanceof ExactSumsSnapshot; // => true
 * ```
 */
export class ExactSumsSnapshot {
  /** @internal */
  bins = new Float64Array(0);
  /** @internal */
  big: bigint[] = [];
  /** @internal */
  pending = 0;
}
