import { MetricInputError, MetricStateError } from "../errors/index.js";
import {
  ExactSums,
  ExactSumsSnapshot,
  S1,
  S2,
  fastQuotient,
  formatHexFloat,
  roundQuotient,
} from "./exactSum.js";
import { decodeExactSums } from "./exactSumJson.js";
import type { StateField, StateValue } from "./field.js";
import { COUNT_PREFIX_SIZE, countPrefix, countQuotientFrom } from "./quotient.js";

/** Bounds of {@link ExactSum.pendingPair}: a value goes in only while `hi` < 2^37 and `|lo|` < 2^-1. */
export const PENDING_HI = 137438953472;
/** See {@link PENDING_HI}. */
export const PENDING_LO = 0.5;

/** What {@link ExactSum.snapshot} saves: the sums object in use (resize replaces it) and its contents. */
class SumSnapshot {
  sums: ExactSums | null = null;
  saved: ExactSumsSnapshot | null = null;
}

/**
 * A state field value holding `size` exact float64 sums (one for a scalar field): every `add` is kept
 * exactly (no rounding until a value is read), so a metric's result is the same bits however its input was
 * batched, ordered or split across workers. Read it rounded once with {@link ExactSum.value}, or divide
 * with {@link ExactSum.ratio} (correctly rounded Σ/Σ). Declare it with {@link exactSum}.
 *
 * @example
 * ```ts
 * const s = exactSum().empty();
 * s.add(0.1); s.add(0.2); s.add(-0.3);
 * s.value(); // => 2.7755575615628914e-17
 * ```
 */
export class ExactSum implements StateValue {
  /** True for a vector field (JSON: an array), false for a scalar one (JSON: a string). */
  readonly vector: boolean;
  /**
   * Kernel API: a pending two-anchor pair for sum 0, `[hi, lo]`, part of the sum. A kernel may add into it
   * a value c with 0 <= c < 2^24, a multiple of 2^-53, split as `q = (c + PAIR_S) - PAIR_S` (PAIR_S = 1.5 ·
   * 2^38: q a multiple of 2^-14) into `hi` and `c - q` (|·| <= 2^-15, a multiple of 2^-53) into `lo`, when
   * before the addition `hi` < `PENDING_HI` (2^37) and |`lo`| < `PENDING_LO` (2^-1): then
   * `hi` stays a multiple of 2^-14 below 2^38 and `lo` a multiple of 2^-53 below 1 in magnitude, both
   * exact (the pair proof of `metrics/hinge/pairs.ts`). Only sum 0 of a field of size at least 1. Every
   * other method settles it into the sums first (a settle changes how the sum is held, never its value),
   * so nothing else sees it; a restore drops it (a snapshot settles it first).
   */
  readonly pendingPair = new Float64Array(2);
  private sums: ExactSums;
  /**
   * Bumped by every method but the pending pair's own use (settle, the kernel view, commit, restore): what
   * {@link ExactSum.countQuotient}'s kept prefix is keyed on.
   */
  private version = 0;
  /** {@link ExactSum.countQuotient}'s prefix over this sum and `prefixDen` (made on first use). */
  private prefix: Float64Array | null = null;
  private prefixAt = -1;
  private prefixDen: ExactSum | null = null;
  private prefixDenAt = -1;

  /**
   * @param size - how many sums (a vector field of size 0 takes its size from the first {@link ExactSum.resize})
   * @param vector - whether the field was declared with a size
   */
  constructor(size: number, vector: boolean) {
    this.vector = vector;
    this.sums = new ExactSums(size);
  }

  /**
   * How many sums.
   *
   * @example
   * ```ts
   * exactSum(3).empty().size; // => 3
   * ```
   */
  get size(): number {
    return this.sums.size;
  }

  /**
   * Adds a finite double to sum `k`, exactly.
   *
   * @param x - the value (finite)
   * @param k - which sum (default 0)
   * @throws {@link MetricInputError} for a non-finite `x` (nothing is added)
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.add(2 ** 60); s.add(1); s.add(-(2 ** 60));
   * s.value(); // => 1
   * ```
   */
  add(x: number, k = 0): void {
    this.settle();
    if (x - x !== 0) throw new MetricInputError(`cannot add ${String(x)} to an exact sum: it must be finite`);
    this.sums.add(k, x);
  }

  /**
   * Sum `k`, rounded once to the nearest double.
   *
   * @param k - which sum (default 0)
   * @returns the correctly rounded sum
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.add(1); s.add(2 ** -60);
   * s.value(); // => 1
   * ```
   */
  value(k = 0): number {
    this.settle();
    return this.sums.value(k);
  }

  /**
   * Every sum, each rounded once.
   *
   * @returns one double per sum
   * @example
   * ```ts
   * const s = exactSum(2).empty();
   * s.add(1, 0); s.add(3, 1);
   * s.values(); // => [1, 3]
   * ```
   */
  values(): number[] {
    this.settle();
    return Array.from({ length: this.sums.size }, (_, k) => this.sums.value(k));
  }

  /**
   * Sum `k` exactly, as a BigInt scaled by 2^1074 (every double is an integer multiple of 2^-1074).
   *
   * @param k - which sum (default 0)
   * @returns the exact scaled sum
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.add(0.5);
   * s.exact() === 1n << 1073n; // => true
   * ```
   */
  exact(k = 0): bigint {
    this.settle();
    return this.sums.scaled(k);
  }

  /**
   * True when sum `k` is exactly zero.
   *
   * @param k - which sum (default 0)
   * @returns whether it is zero
   * @example
   * ```ts
   * exactSum().empty().isZero(); // => true
   * ```
   */
  isZero(k = 0): boolean {
    this.settle();
    return this.sums.isZero(k);
  }

  /**
   * Sum `k` divided by sum `d` of `den`, correctly rounded (ties to even): the exact Σ/Σ rounded once, so a
   * mean is the same bits however it was accumulated.
   *
   * @param den - the denominator (may be this sum)
   * @param k - which numerator sum (default 0)
   * @param d - which denominator sum (default 0)
   * @returns the correctly rounded quotient
   * @throws {@link MetricStateError} when the denominator is exactly 0 (nothing accumulated): never NaN
   * @example
   * ```ts
   * const num = exactSum().empty(), den = exactSum().empty();
   * num.add(1); den.add(3);
   * num.ratio(den); // => 0.3333333333333333
   * ```
   */
  ratio(den: ExactSum, k = 0, d = 0): number {
    this.settle();
    den.settle();
    const q = fastQuotient(this.sums, k, den.sums, d);
    if (q === q) return q;
    const b = den.sums.scaled(d);
    if (b === 0n) {
      throw new MetricStateError("cannot divide by a sum that is exactly 0 (nothing accumulated)");
    }
    const a = this.sums.scaled(k);
    return b > 0n ? roundQuotient(a, b) : roundQuotient(-a, -b);
  }

  /**
   * The fast path of {@link ExactSum.ratio}: the correctly rounded quotient when double-double arithmetic
   * can certify it, NaN otherwise (then call `ratio`). Never throws.
   *
   * @param den - the denominator
   * @param k - which numerator sum (default 0)
   * @param d - which denominator sum (default 0)
   * @returns the quotient, or NaN
   * @example
   * ```ts
   * const num = exactSum().empty(), den = exactSum().empty();
   * num.add(1); den.add(4);
   * num.fastRatio(den); // => 0.25
   * ```
   */
  fastRatio(den: ExactSum, k = 0, d = 0): number {
    this.settle();
    den.settle();
    return fastQuotient(this.sums, k, den.sums, d);
  }

  /**
   * Gives a vector field of size 0 its size (e.g. a class count known from the first batch).
   *
   * @param size - the new size
   * @throws {@link MetricStateError} when the field already has another size
   * @example
   * ```ts
   * const s = exactSum(0).empty();
   * s.resize(3);
   * s.size; // => 3
   * ```
   */
  resize(size: number): void {
    this.settle();
    if (size === this.sums.size) return;
    if (this.sums.size !== 0) {
      throw new MetricStateError(`cannot resize an exact sum of size ${this.sums.size} to ${size}`);
    }
    this.sums = new ExactSums(size);
  }

  /** {@inheritDoc StateValue.copy} */
  copy(): this {
    this.settle();
    const out = new ExactSum(0, this.vector) as this;
    out.sums = this.sums.clone();
    return out;
  }

  /** {@inheritDoc StateValue.checkMerge} */
  checkMerge(other: this, name: string): void {
    if (this.vector !== other.vector || (this.size !== other.size && this.size !== 0 && other.size !== 0)) {
      throw new MetricStateError(
        `cannot merge ${name}: ${describeSize(other)} there and ${describeSize(this)} here`,
      );
    }
  }

  /** {@inheritDoc StateValue.mergeFrom} */
  mergeFrom(other: this): void {
    this.settle();
    other.settle();
    if (other.size === 0) return;
    if (this.size === 0) this.sums = new ExactSums(other.size);
    this.sums.addAll(other.sums);
  }

  /** {@inheritDoc StateValue.snapshot} */
  snapshot(reuse: unknown): unknown {
    this.settle();
    const saved = reuse instanceof SumSnapshot ? reuse : new SumSnapshot();
    saved.sums = this.sums;
    saved.saved = this.sums.snapshot(saved.saved);
    return saved;
  }

  /** {@inheritDoc StateValue.restore} */
  restore(saved: unknown): void {
    this.version++;
    this.pendingPair.fill(0); // (added after the snapshot, which settled it)
    const s = saved as SumSnapshot;
    const sums = s.sums as ExactSums;
    this.sums = sums;
    sums.restore(s.saved as ExactSumsSnapshot);
  }

  // ---- Kernel API: a hot loop adds into the bins directly, through these few calls only ----------------

  /**
   * Kernel API: the three-anchor bins, `[q1, q2, q3]` per sum at `3k` (see `lib/state/exactSum.ts`, "Exact
   * accumulation"). A kernel adds values split at the anchors S1, S2, S3 into it, at most
   * {@link ExactSum.reserve} per sum, then calls {@link ExactSum.commit}. Read it again after a `resize`.
   *
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.reserve(); s.bins[0] += 2; s.commit(1);
   * s.value(); // => 2
   * ```
   */
  get bins(): Float64Array {
    this.settle();
    return this.sums.bins;
  }

  /**
   * Kernel API: flushes the bins when they are full and returns how many more additions per sum they take.
   *
   * @returns at least 1
   * @example
   * ```ts
   * exactSum().empty().reserve(); // => 65536
   * ```
   */
  reserve(): number {
    this.settle();
    return this.sums.reserve();
  }

  /**
   * Kernel API: records `n` additions per sum made into {@link ExactSum.bins}.
   *
   * @param n - additions per sum (an upper bound is fine)
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.reserve(); s.bins[0] += 1; s.commit(1);
   * s.value(); // => 1
   * ```
   */
  commit(n: number): void {
    this.version++;
    this.sums.commit(n);
  }

  /**
   * Kernel API: adds two-anchor pair accumulators exactly and clears them (sum k += `acc[2k] + acc[2k+1]`,
   * where `acc[2k]·2^14` and `acc[2k+1]·2^53` are integers below 2^53).
   *
   * @param acc - 2·count accumulators
   * @param count - how many sums (default: all)
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.commitPairs(new Float64Array([1.5, 0]));
   * s.value(); // => 1.5
   * ```
   */
  commitPairs(acc: Float64Array, count = this.sums.size): void {
    this.settle();
    this.sums.commitPairs(acc, count);
  }

  /**
   * Kernel API, for a kernel that divides inline: the cached double-double of sum 0's flushed part,
   * `[hi, lo, err]` at indices 0..2 (|exact - hi - lo| <= err; err NaN when there is none). Read only.
   *
   * @returns the cache
   * @example
   * ```ts
   * Array.from(exactSum().empty().bigApproximation().subarray(0, 3)); // => [0, 0, 0]
   * ```
   */
  bigApproximation(): Float64Array {
    this.settle();
    return this.sums.bigApproximations(0, 0);
  }

  /**
   * Kernel API, for a running value per sample: sum 0 over sum 0 of `den` (a count) from the bins, caches and
   * pending pairs as they are (nothing settles), correctly rounded (`countPrefix` / `countQuotientFrom` of
   * state/quotient.ts), or NaN where that cannot be certified: then {@link ExactSum.ratio} decides. The part
   * over the flushed parts and bins is kept between calls while neither sum changes but for its pending pair
   * (a run of single samples), so that each call sums only the two pending parts.
   *
   * @param den - a count: integer-valued
   * @returns the quotient, or NaN
   * @example
   * ```ts
   * const m = exactSum().empty(), n = exactSum().empty();
   * m.add(1); n.add(3);
   * m.countQuotient(n); // => 0.3333333333333333
   * ```
   */
  countQuotient(den: ExactSum): number {
    return countQuotientFrom(this.countPrefixFor(den), this.pendingPair, den.pendingPair);
  }

  /**
   * Kernel API, for a running value whose pending parts are held elsewhere: the kept prefix of
   * {@link ExactSum.countQuotient} over this sum and `den` (`countPrefix` of state/quotient.ts: the
   * denominator's count, the numerator's TwoSum chain over its flushed part and bins with its error terms;
   * `COUNT_PREFIX_SIZE` slots), made again only when either sum changed. Their own pending pairs are
   * settled first when they hold anything, so the prefix is the whole of both sums. `countQuotientFrom(prefix,
   * p, dp)` then divides the sums plus the pairs `p` (`[hi, lo]`) and `dp` (`[n, 0]`); `HingeLoss`'s running
   * value does that division inline over its stream accumulator. The array is the sum's own: read it, do not
   * keep it across a change of either sum.
   *
   * @param den - a count: integer-valued
   * @returns the prefix
   * @example
   * ```ts
   * const m = exactSum().empty(), n = exactSum().empty();
   * m.add(1); n.add(3);
   * countQuotientFrom(m.countPrefixWith(n), new Float64Array([2, 0]), new Float64Array([1, 0])); // => 0.75
   * ```
   */
  countPrefixWith(den: ExactSum): Float64Array {
    const a = this.pendingPair;
    const b = den.pendingPair;
    if (a[0] !== 0 || a[1] !== 0 || b[0] !== 0 || b[1] !== 0) {
      this.settle();
      den.settle();
    }
    return this.countPrefixFor(den);
  }

  /** countQuotient's kept prefix over this sum and `den`: made again when either sum changed. */
  private countPrefixFor(den: ExactSum): Float64Array {
    let c = this.prefix;
    if (
      c === null ||
      this.prefixAt !== this.version ||
      this.prefixDen !== den ||
      this.prefixDenAt !== den.version
    ) {
      // the flushed parts and bins changed since the last call (or this is the first): their part again
      c = this.prefix ??= new Float64Array(COUNT_PREFIX_SIZE);
      const a = this.sums;
      const d = den.sums;
      const dbig = d.bigApproximations(0, 0);
      countPrefix(a.bigApproximations(0, 0), a.bins, dbig, d.bins, c);
      this.prefixAt = this.version;
      this.prefixDen = den;
      this.prefixDenAt = den.version;
    }
    return c;
  }

  /**
   * The exact JSON form: a hex-float string (`"0x1.8p+1"` is 3) for a scalar field, an array of them for a
   * vector field.
   *
   * @returns the JSON form
   * @example
   * ```ts
   * const s = exactSum(2).empty();
   * s.add(3, 1);
   * s.toJSON(); // => ["0x0p+0", "0x1.8p+1"]
   * ```
   */
  toJSON(): string | string[] {
    this.settle();
    const out = Array.from({ length: this.sums.size }, (_, k) => formatHexFloat(this.sums.scaled(k)));
    return this.vector ? out : out[0];
  }

  /**
   * Adds an exact value given in the scaled form of {@link ExactSum.exact} (a BigInt times 2^-1074) to sum `k`:
   * for kernels that compute a batch's exact partial sum elsewhere (the WebAssembly paths).
   *
   * @param scaled - the value times 2^1074, exactly
   * @param k - which sum (default 0)
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.add(0.25);
   * s.addScaled(1n << 1073n);
   * s.value(); // => 0.75
   * ```
   */
  addScaled(scaled: bigint, k = 0): void {
    this.settle();
    if (scaled !== 0n) this.sums.setScaled(k, this.sums.scaled(k) + scaled);
  }

  /**
   * Kernel API: adds an exact two-anchor pair to sum 0 (a size of at least 1): `hi` a multiple of 2^-14 in
   * [0, 2^38), `lo` a multiple of 2^-53 with |lo| < 1, what up to 2^14 additions of the pair proof
   * (`metrics/hinge/pairs.ts`) hold. It is folded into the bins as a settled pending pair is.
   *
   * @param hi - the pair's high part
   * @param lo - the pair's low part
   * @example
   * ```ts
   * const s = exactSum().empty();
   * s.addPair(3, 2 ** -40);
   * s.exact() === (3n << 1074n) + (1n << 1034n); // => true
   * ```
   */
  addPair(hi: number, lo: number): void {
    this.settle();
    this.fold(hi, lo);
  }

  /** Settles {@link ExactSum.pendingPair} into the sums when it holds anything. */
  private settle(): void {
    this.version++;
    if (this.pendingPair[0] !== 0 || this.pendingPair[1] !== 0)
      this.fold(this.pendingPair[0], this.pendingPair[1]);
  }

  /**
   * Moves a pending pair into sum 0 and clears it: into the bins as one commit of `n` additions (flushed
   * first when they have less room). The split keeps every bin within the bounds of
   * `state/exactSum.ts` (per addition: bin 1 below 2^32, bin 2 at most 2^-5, bin 3 at most 2^-41, as multiples
   * of 2^-4, 2^-40, 2^-76): `hi` (a multiple of 2^-14, 0 <= hi < 2^38) at S1 into `q1` (a multiple of 2^-4,
   * at most n · 2^32) and `hi - q1` (|·| <= 2^-5); `lo` (a multiple of 2^-53, |lo| < 1) at S2 into `q2` (a
   * multiple of 2^-40, |q2| <= |lo| + 2^-41) and `lo - q2` (|·| <= 2^-41, a multiple of 2^-53, so of 2^-76);
   * bin 2 takes `(hi - q1) + q2` (exact), at most 2^-5 + |lo| + 2^-41 <= n · 2^-5 + 2^-41 (far below 2^13).
   */
  private fold(hi: number, lo: number): void {
    const sums = this.sums;
    const n = 2 + Math.floor(hi * 2 ** -32) + Math.floor(Math.abs(lo) * 32); // at most 98
    // Bins without room for n: flushed first (once per 2^16 additions). Sending the pair to the BigInt
    // instead left the bins as full as they were, so every later fold (a compute() after each event) took
    // the BigInt path and the exact division: ~10 µs per event.
    if (n > sums.reserve()) sums.flush();
    const q1 = hi + S1 - S1;
    const q2 = lo + S2 - S2;
    const bins = sums.bins;
    bins[0] += q1;
    bins[1] += hi - q1 + q2;
    bins[2] += lo - q2;
    sums.commit(n);
    this.pendingPair.fill(0);
  }

  /** Sets sum `k` from its exact scaled form (decoding). */
  private setExact(k: number, scaled: bigint): void {
    this.sums.setScaled(k, scaled);
  }

  /**
   * Decodes an untrusted JSON form.
   *
   * @param json - a hex-float string or an array of them
   * @param path - where it is, for messages
   * @param size - the declared size (undefined for a scalar field; 0 for a field sized by its first batch)
   * @returns the value
   * @throws {@link MetricStateError} naming `path`
   */
  static decode(json: unknown, path: string, size: number | undefined): ExactSum {
    const values = decodeExactSums(json, path, size);
    const out = new ExactSum(values.length, size !== undefined);
    values.forEach((value, k) => out.setExact(k, value));
    return out;
  }
}

function describeSize(s: ExactSum): string {
  return s.vector ? `${s.size} sums` : "a scalar sum";
}

/**
 * Declares an exact-sum state field (as torchmetrics' `add_state(name, tensor(0.), "sum")`, but exact):
 * `addState("total", exactSum())` for one sum, `exactSum(C)` for one per class, `exactSum(0)` for a vector
 * whose size the first batch sets (`resize`). Merge adds; JSON is exact hex floats.
 *
 * @param size - omit for a scalar sum; a count for a vector of sums
 * @returns the field declaration
 * @example
 * ```ts
 * const total = exactSum().empty();
 * total.add(1.5);
 * total.value(); // => 1.5
 * ```
 */
export function exactSum(size?: number): StateField<ExactSum> {
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0 && size <= 1 << 24)) {
    throw new RangeError(`exactSum(size): size must be an integer in [0, 2^24], got ${String(size)}`);
  }
  return {
    kind: "exactSum",
    empty: () => new ExactSum(size ?? 1, size !== undefined),
    decode: (json, path) => ExactSum.decode(json, path, size),
  };
}
