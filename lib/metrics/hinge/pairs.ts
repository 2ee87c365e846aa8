/**
 * What the hinge kernels share: the per-call scratch space and the two-anchor ("pair") arithmetic, with its
 * exactness proof. The three-anchor kernels add into an exact sum's bins through its kernel API
 * (`ExactSum.bins` / `reserve` / `commit`); the pair kernels into `acc` pairs committed with
 * `ExactSum.commitPairs`. Neither keeps anything at module level.
 *
 * @module
 */

/**
 * The scratch space of one update call (never module state): the kernels' side result and the two-anchor
 * accumulators. `hingeLossUpdate` makes one per call (or takes the metric's own), so a getter that throws,
 * or re-enters `update` on another metric, cannot leave partial sums where another call would read them.
 *
 * @example
 * ```ts
 * const out = new KernelScratch(); // one per call, or the metric's own
 * out.counted; // => 0
 * ```
 */
export class KernelScratch {
  /** Samples counted by the last kernel call (ignored ones excluded). */
  counted = 0;
  /** Two-anchor pair accumulators (2 per sum), zeroed at the start of every run. */
  pairs = new Float64Array(2);
  /** One row of one-vs-all contributions. */
  row = new Float64Array(0);
  /** True while an update uses it (a re-entrant update then takes a fresh one). */
  busy = false;

  /**
   * The pair accumulators for `sums` sums, zeroed.
   *
   * @param sums - how many sums
   * @returns 2·sums zeros
   */
  pairAcc(sums: number): Float64Array {
    if (this.pairs.length < 2 * sums) this.pairs = new Float64Array(2 * sums);
    else this.pairs.fill(0);
    return this.pairs;
  }

  /**
   * A row buffer of at least `C` doubles.
   *
   * @param C - classes
   * @returns the buffer
   */
  rowBuffer(C: number): Float64Array {
    if (this.row.length < C) this.row = new Float64Array(C);
    return this.row;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Two-anchor kernels (the bulk fast path)
//
// These add each contribution c (0 <= c < 2^24) as two pieces: q = (c + S) - S, a multiple of 2^-14, and
// r = c - q (exact), |r| <= 2^-15, into two float64 accumulators. The pair is exact when every c is a
// multiple of 2^-53:
// - q is a multiple of 2^-14 and 0 <= q <= 2^24; after K <= 2^14 additions the accumulator is a multiple of
//   2^-14 below 2^38, i.e. an integer count of 2^-14 below 2^52: representable, so no addition rounds;
// - r is a multiple of 2^-53 (c and q are) with |r| <= 2^-15; after K <= 2^14 additions |Σ r| <= 2^-1 and a
//   multiple of 2^-53: again fewer than 2^53 units, so no addition rounds.
// The driver therefore commits the pair into the exact BigInt every PAIR_CHUNK elements (a BigInt per 2^14
// elements costs nothing measurable) and never lets a kernel run longer.
//
// Why every c is a multiple of 2^-53 (unsquared, unweighted), by construction, for ANY double score x:
// c = max(0, m) with m = fl(1 - z), z = ±x (binary: z = y x with y = ±1 exactly once the target passed its
// check; one-vs-all: z = ±p_c).
// - z <= 0: m = fl(1 + |z|) >= 1, and every double >= 1 is a multiple of 2^-52;
// - 0 < z < 1/2: m = fl(1 - z) lies in [1/2, 1], and every double >= 1/2 is a multiple of 2^-53;
// - 1/2 <= z <= 2: 1 - z is exact (Sterbenz) and z, a double in [1/2, 2], is a multiple of 2^-53;
// - z > 2: m < 0, so c = 0 exactly.
// NaN, ±Infinity and |x| >= 2^24 - 1 give c = NaN or c >= 2^24 and fail the one guard `c < 2^24`; those
// elements (and any c in [2^24, 2^32)) are left to the three-anchor kernels and the exact slow path.
// Squared or weighted contributions have no such property: they always take the three-anchor kernels.
// ---------------------------------------------------------------------------------------------------------

/** Largest contribution the two-anchor kernels take. */
export const PAIR_LIMIT = 16777216; // 2^24
/** `(c + PAIR_S) - PAIR_S` rounds c (< 2^24) to a multiple of 2^-14. */
export const PAIR_S = 412316860416; // 1.5 * 2^38
/** At most this many additions into a pair before it is committed (see above). */
export const PAIR_CHUNK = 16384; // 2^14

/** Batches shorter than this use the three-anchor kernels directly (a pair commit costs a BigInt add). */
export const PAIR_MIN_BATCH = 256;
