/**
 * The naive reference loops the issue names: what a user writes in five lines. Each is its own function,
 * so each keeps its own type feedback (monomorphic), as in `research/perf-anchors.md`.
 *
 * @module
 */

/**
 * Binary, branchless clamp: `m = 1 - y p; s += (m + |m|) / 2` with `y = 2t - 1`.
 *
 * @param p - scores
 * @param t - {0, 1} targets
 * @returns Σ max(0, 1 - y p)
 * @example
 * ```ts
 * binaryBranchless(new Float32Array([0.5]), new Int32Array([1])); // => 0.5
 * ```
 */
export function binaryBranchless(p: Float32Array, t: Int32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = 1 - (2 * t[i] - 1) * p[i];
    s += (m + Math.abs(m)) / 2;
  }
  return s;
}

/**
 * Binary, `if (m > 0) s += m` (mispredicts on random data).
 *
 * @param p - scores
 * @param t - {0, 1} targets
 * @returns Σ max(0, 1 - y p)
 * @example
 * ```ts
 * binaryIf(new Float32Array([0.5]), new Int32Array([1])); // => 0.5
 * ```
 */
export function binaryIf(p: Float32Array, t: Int32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = 1 - (2 * t[i] - 1) * p[i];
    if (m > 0) s += m;
  }
  return s;
}

/**
 * Binary, branchless, over plain `number[]`.
 *
 * @param p - scores
 * @param t - {0, 1} targets
 * @returns Σ max(0, 1 - y p)
 * @example
 * ```ts
 * binaryBranchlessArray([0.5], [1]); // => 0.5
 * ```
 */
export function binaryBranchlessArray(p: number[], t: number[]): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = 1 - (2 * t[i] - 1) * p[i];
    s += (m + Math.abs(m)) / 2;
  }
  return s;
}

/**
 * Crammer–Singer, the obvious row loop over a flat row-major Float32Array.
 *
 * @param p - N·C scores
 * @param t - class indices
 * @param C - classes
 * @returns Σ max(0, 1 - p_t + max_{j≠t} p_j)
 * @example
 * ```ts
 * crammerSinger(new Float32Array([2, 0]), new Int32Array([0]), 2); // => 0
 * ```
 */
export function crammerSinger(p: Float32Array, t: Int32Array, C: number): number {
  let s = 0;
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const base = i * C;
    const y = t[i];
    let max = -Infinity;
    for (let j = 0; j < C; j++) if (j !== y && p[base + j] > max) max = p[base + j];
    const m = 1 - p[base + y] + max;
    if (m > 0) s += m;
  }
  return s;
}

/**
 * Crammer–Singer over `number[][]` rows.
 *
 * @param rows - N rows of C scores
 * @param t - class indices
 * @returns Σ max(0, 1 - p_t + max_{j≠t} p_j)
 * @example
 * ```ts
 * crammerSingerRows([[2, 0]], [0]); // => 0
 * ```
 */
export function crammerSingerRows(rows: number[][], t: number[]): number {
  let s = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const y = t[i];
    let max = -Infinity;
    for (let j = 0; j < row.length; j++) if (j !== y && row[j] > max) max = row[j];
    const m = 1 - row[y] + max;
    if (m > 0) s += m;
  }
  return s;
}

/**
 * One-vs-all, branchless clamp, per-class sums over a flat row-major Float32Array.
 *
 * @param p - N·C scores
 * @param t - class indices
 * @param C - classes
 * @param out - C per-class sums (zeroed here)
 * @returns Σ over classes (to keep the result live)
 * @example
 * ```ts
 * oneVsAllBranchless(new Float32Array([2, -2]), new Int32Array([0]), 2, new Float64Array(2)); // => 0
 * ```
 */
export function oneVsAllBranchless(p: Float32Array, t: Int32Array, C: number, out: Float64Array): number {
  out.fill(0);
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const base = i * C;
    const y = t[i];
    for (let c = 0; c < C; c++) {
      const m = 1 - (c === y ? 1 : -1) * p[base + c];
      out[c] += (m + Math.abs(m)) / 2;
    }
  }
  let s = 0;
  for (let c = 0; c < C; c++) s += out[c];
  return s;
}

/**
 * One-vs-all with `if (m > 0)`, per-class sums.
 *
 * @param p - N·C scores
 * @param t - class indices
 * @param C - classes
 * @param out - C per-class sums (zeroed here)
 * @returns Σ over classes
 * @example
 * ```ts
 * oneVsAllIf(new Float32Array([2, -2]), new Int32Array([0]), 2, new Float64Array(2)); // => 0
 * ```
 */
export function oneVsAllIf(p: Float32Array, t: Int32Array, C: number, out: Float64Array): number {
  out.fill(0);
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const base = i * C;
    const y = t[i];
    for (let c = 0; c < C; c++) {
      const m = 1 - (c === y ? 1 : -1) * p[base + c];
      if (m > 0) out[c] += m;
    }
  }
  let s = 0;
  for (let c = 0; c < C; c++) s += out[c];
  return s;
}

/**
 * One-vs-all, branchless, over `number[][]` rows.
 *
 * @param rows - N rows of C scores
 * @param t - class indices
 * @param out - C per-class sums (zeroed here)
 * @returns Σ over classes
 * @example
 * ```ts
 * oneVsAllRows([[2, -2]], [0], new Float64Array(2)); // => 0
 * ```
 */
export function oneVsAllRows(rows: number[][], t: number[], out: Float64Array): number {
  out.fill(0);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const y = t[i];
    for (let c = 0; c < row.length; c++) {
      const m = 1 - (c === y ? 1 : -1) * row[c];
      out[c] += (m + Math.abs(m)) / 2;
    }
  }
  let s = 0;
  for (let c = 0; c < out.length; c++) s += out[c];
  return s;
}

/**
 * The naive streaming metric: a class whose `update` checks lengths and runs the branchless loop (no
 * validation of elements, no exact sum). The per-call baseline for small batches.
 *
 * @example
 * ```ts
 * new NaiveBinary().update(new Float32Array([0.5]), new Int32Array([1])).sum; // => 0.5
 * ```
 */
export class NaiveBinary {
  /** Σ max(0, 1 - y p). */
  sum = 0;
  /** Samples seen. */
  count = 0;

  /**
   * Adds a batch.
   *
   * @param p - scores
   * @param t - {0, 1} targets
   * @returns this
   * @throws Error when the lengths differ
   */
  update(p: Float32Array, t: Int32Array): this {
    if (p.length !== t.length) throw new Error("length mismatch");
    let s = this.sum;
    for (let i = 0; i < p.length; i++) {
      const m = 1 - (2 * t[i] - 1) * p[i];
      s += (m + Math.abs(m)) / 2;
    }
    this.sum = s;
    this.count += p.length;
    return this;
  }
}

/**
 * Crammer–Singer row loop over a flat row-major Float64Array (its own copy, so each stays monomorphic).
 *
 * @param p - N·C scores
 * @param t - class indices
 * @param C - classes
 * @returns Σ max(0, 1 - p_t + max_{j≠t} p_j)
 * @example
 * ```ts
 * crammerSingerF64(new Float64Array([2, 0]), new Int32Array([0]), 2); // => 0
 * ```
 */
export function crammerSingerF64(p: Float64Array, t: Int32Array, C: number): number {
  let s = 0;
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const base = i * C;
    const y = t[i];
    let max = -Infinity;
    for (let j = 0; j < C; j++) if (j !== y && p[base + j] > max) max = p[base + j];
    const m = 1 - p[base + y] + max;
    if (m > 0) s += m;
  }
  return s;
}

/**
 * One-vs-all, branchless clamp, per-class sums over a flat row-major Float64Array (its own copy).
 *
 * @param p - N·C scores
 * @param t - class indices
 * @param C - classes
 * @param out - C per-class sums (zeroed here)
 * @returns Σ over classes
 * @example
 * ```ts
 * oneVsAllBranchlessF64(new Float64Array([2, -2]), new Int32Array([0]), 2, new Float64Array(2)); // => 0
 * ```
 */
export function oneVsAllBranchlessF64(p: Float64Array, t: Int32Array, C: number, out: Float64Array): number {
  out.fill(0);
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const base = i * C;
    const y = t[i];
    for (let c = 0; c < C; c++) {
      const m = 1 - (c === y ? 1 : -1) * p[base + c];
      out[c] += (m + Math.abs(m)) / 2;
    }
  }
  let s = 0;
  for (let c = 0; c < C; c++) s += out[c];
  return s;
}
