/**
 * One-vs-all hinge-loss kernels: per class c, `m_c = max(0, 1 ∓ p_c)` (minus for the target class), into C
 * measure sums; three-anchor kernels (any options) and two-anchor ones (plain bulk batches). The rules of
 * every hot loop are those of `binaryKernels.ts`; a row is added whole or not at all.
 *
 * @module
 */
import type { ExactSum } from "../../state/index.js";
import { FAST_LIMIT, S1, S2, S3 } from "../../state/exactSum.js";
import { KernelScratch } from "./pairs.js";

// The pair constants of pairs.ts, as module-local consts: V8 folds these into the hot loops, while an
// imported binding is loaded (with a TDZ check) on every use: the one-vs-all loops measured up to twice as
// slow with imported constants (A/B against commit 68a64fa, same machine, same run).
const PAIR_LIMIT = 16777216; // 2^24 (pairs.ts PAIR_LIMIT)
const PAIR_S = 412316860416; // 1.5 * 2^38 (pairs.ts PAIR_S)
const PAIR_CHUNK = 16384; // 2^14 (pairs.ts PAIR_CHUNK)

/**
 * One-vs-all, flat (`rowStride = C`) or rows (`rowStride = 0`, `p` is an array of rows). For each class c,
 * `m_c = max(0, 1 - y_c p[c])` with `y_c = +1` for the target class, else -1. Each row is computed into
 * `buf` and checked first, then added to the C per-class bin triples (`mb[3c..3c+2]`; the total to `tb`), so a row that needs the slow path is left whole to the caller.
 *
 * @example
 * ```ts
 * oneVsAll(new Float32Array([2, -2]), new Int32Array([0]), null, 2, 2, 0, 1, false, NaN, true, new Float64Array(2), new Float64Array(6), new Float64Array(3), new KernelScratch()); // => 1
 * ```
 */
export function oneVsAll(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  w: ArrayLike<unknown> | null,
  C: number,
  rowStride: number,
  start: number,
  end: number,
  squared: boolean,
  ignore: number,
  typed: boolean,
  buf: Float64Array,
  mb: Float64Array,
  tb: Float64Array,
  out: KernelScratch,
): number {
  let counted = 0;
  let i = start;
  for (; i < end; i++) {
    const yv = t[i];
    const wv = w === null ? 1 : w[i];
    if (typeof yv !== "number" || typeof wv !== "number") break;
    let row: ArrayLike<unknown> = p;
    let base = i * rowStride;
    if (rowStride === 0) {
      row = p[i] as ArrayLike<unknown>;
      base = 0;
      if (row === null || typeof row !== "object" || row.length !== C) break;
    }
    if (yv === ignore) continue;
    if (!(yv >= 0 && yv < C && Math.floor(yv) === yv)) break;
    let ok = typeof wv === "number" && wv >= 0 && wv < FAST_LIMIT;
    for (let c = 0; c < C; c++) {
      const v = row[base + c] as number;
      if (!typed && typeof v !== "number") ok = false;
      const m = 1 + (c === yv ? -v : v);
      const h = (m + Math.abs(m)) * 0.5;
      const x = wv * (squared ? h * h : h);
      const q1 = x + S1 - S1;
      const r1 = x - q1;
      const q2 = r1 + S2 - S2;
      const r2 = r1 - q2;
      const q3 = r2 + S3 - S3;
      if (!(x < FAST_LIMIT) || r2 !== q3) ok = false;
      buf[c] = x;
    }
    const u1 = wv + S1 - S1;
    const s1 = wv - u1;
    const u2 = s1 + S2 - S2;
    const s2 = s1 - u2;
    const u3 = s2 + S3 - S3;
    if (!ok || s2 !== u3) break;
    for (let c = 0; c < C; c++) {
      const x = buf[c];
      const q1 = x + S1 - S1;
      const r1 = x - q1;
      const q2 = r1 + S2 - S2;
      mb[3 * c] += q1;
      mb[3 * c + 1] += q2;
      mb[3 * c + 2] += r1 - q2;
    }
    tb[0] += u1;
    tb[1] += u2;
    tb[2] += u3;
    counted++;
  }
  out.counted = counted;
  return i;
}

/**
 * One-vs-all, flat float32 scores, unsquared, unweighted, no ignore index: one pass per row adds each
 * class's `max(0, 1 ± p_c)` as a pair into `acc[2c]`, `acc[2c + 1]`. An element the pair cannot take
 * (`c >= 2^24` or NaN) adds 0 and marks the row bad; the loop then stops at that row and the driver takes the
 * row's other additions back out ({@link oneVsAllPairUndo}: exact, since every partial sum is
 * representable), so a bad row is left whole to the caller. Exact by construction (see the proof above, with
 * z = ±p_c). A single pass, because a second pass through a scratch row costs a third of the speed.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairF32(new Float32Array([2, -2]), new Int32Array([0]), 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairF32(
  p: Float32Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = p[base + c];
      const m = 1 + (c === y ? -v : v);
      let h = (m + Math.abs(m)) * 0.5;
      if (!(h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * One-vs-all, flat float64 scores: the same loop as {@link oneVsAllPairF32}, in its own function.
 *
 * @param p - N·C scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairF64(new Float64Array([2, -2]), new Int32Array([0]), 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairF64(
  p: Float64Array,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const y = t[i];
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    const base = i * C;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = p[base + c];
      const m = 1 + (c === y ? -v : v);
      let h = (m + Math.abs(m)) * 0.5;
      if (!(h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * One-vs-all over an array of rows (`number[][]`), each row's kind and length and each score's type checked
 * in the pass; a score that is not a number adds 0 and marks the row bad. Otherwise as
 * {@link oneVsAllPairF32}.
 *
 * @param rows - N rows of C scores
 * @param t - class indices
 * @param C - classes
 * @param start - first row
 * @param end - end of the rows (at most {@link PAIR_CHUNK} after start)
 * @param acc - 2C pair accumulators
 * @returns the index of the first row not added (a bad row's good elements are still in `acc`: undo them)
 * @example
 * ```ts
 * oneVsAllPairRows([[2, -2]], [0], 2, 0, 1, new Float64Array(4)); // => 1
 * ```
 */
export function oneVsAllPairRows(
  rows: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  start: number,
  end: number,
  acc: Float64Array,
): number {
  let i = start;
  for (; i < end; i++) {
    const row = rows[i] as ArrayLike<unknown>;
    const y = t[i];
    if (row === null || typeof row !== "object" || row.length !== C) break;
    if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) break;
    let ok = true;
    for (let c = 0; c < C; c++) {
      const v = row[c];
      let h = 0;
      if (typeof v === "number") {
        const m = 1 + (c === y ? -v : v);
        h = (m + Math.abs(m)) * 0.5;
      }
      if (!(typeof v === "number" && h < PAIR_LIMIT)) {
        ok = false;
        h = 0;
      }
      const q = h + PAIR_S - PAIR_S;
      acc[2 * c] += q;
      acc[2 * c + 1] += h - q;
    }
    if (!ok) break;
  }
  return i;
}

/**
 * Takes back out of `acc` what a one-vs-all pair kernel added for the row it stopped at (a row whose target
 * and structure passed but with an element the pair cannot take). It recomputes each element with the
 * kernels' expressions and subtracts the same two pieces; each difference is a partial sum that was
 * representable before, so nothing rounds and `acc` is exactly as before the row.
 *
 * @param row - the row's scores (`p` with `base = i·C`, or the row itself with `base = 0`)
 * @param base - index of the row's first score in `row`
 * @param y - the row's class index
 * @param C - classes
 * @param acc - 2C pair accumulators
 * @example
 * ```ts
 * const acc = new Float64Array(4);
 * oneVsAllPairF32(new Float32Array([2, NaN]), new Int32Array([0]), 2, 0, 1, acc); // => 0
 * oneVsAllPairUndo(new Float32Array([2, NaN]), 0, 0, 2, acc);
 * acc; // => Float64Array [0, 0, 0, 0]
 * ```
 */
export function oneVsAllPairUndo(
  row: ArrayLike<unknown>,
  base: number,
  y: number,
  C: number,
  acc: Float64Array,
): void {
  for (let c = 0; c < C; c++) {
    const v = row[base + c];
    if (typeof v !== "number") continue;
    const m = 1 + (c === y ? -v : v);
    const h = (m + Math.abs(m)) * 0.5;
    if (!(h < PAIR_LIMIT)) continue;
    const q = h + PAIR_S - PAIR_S;
    acc[2 * c] -= q;
    acc[2 * c + 1] -= h - q;
  }
}

/**
 * One-vs-all driver for unsquared, unweighted batches without an ignore index: runs the two-anchor row
 * kernel that fits the preds kind (flat float32, flat float64, rows) in chunks, takes a stopped row's
 * additions back out, commits C pairs into the measure and the row count into the total's bins.
 *
 * @param p - flat N·C scores (`rows` false) or N rows
 * @param t - class indices
 * @param C - classes
 * @param rows - `p` is an array of rows
 * @param start - first row
 * @param end - end of the rows
 * @param tb - the total's three-anchor bins
 * @param measure - the C measure sums (pair chunks commit into them)
 * @returns the first row not added (the caller continues there with the three-anchor kernel)
 * @example
 * ```ts
 * const m = exactSum(0).empty(), t = exactSum().empty();
 * m.resize(2);
 * oneVsAllPairRun(new Float32Array([2, -2]), new Int32Array([0]), 2, false, 0, 1, t.bins, m, new KernelScratch()); // => 1
 * ```
 */
export function oneVsAllPairRun(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  start: number,
  end: number,
  tb: Float64Array,
  measure: ExactSum,
  out: KernelScratch,
): number {
  const acc = out.pairAcc(C);
  let i = start;
  while (i < end) {
    const stop = Math.min(end, i + PAIR_CHUNK);
    let j: number;
    if (rows) j = oneVsAllPairRows(p, t, C, i, stop, acc);
    else if (p instanceof Float32Array) j = oneVsAllPairF32(p, t, C, i, stop, acc);
    else if (p instanceof Float64Array) j = oneVsAllPairF64(p, t, C, i, stop, acc);
    else j = i;
    if (j < stop) undoStoppedRow(p, t, C, rows, j, acc);
    measure.commitPairs(acc, C);
    tb[0] += j - i;
    i = j;
    if (j < stop) break;
  }
  out.counted = i - start;
  return i;
}

/** If the one-vs-all kernel stopped inside row i (its target and structure passed), undoes that row. */
function undoStoppedRow(
  p: ArrayLike<unknown>,
  t: ArrayLike<unknown>,
  C: number,
  rows: boolean,
  i: number,
  acc: Float64Array,
): void {
  const y = t[i];
  if (typeof y !== "number" || !(y >= 0 && y < C && Math.floor(y) === y)) return;
  if (!rows) {
    oneVsAllPairUndo(p, i * C, y, C, acc);
    return;
  }
  const row = p[i] as ArrayLike<unknown>;
  if (row === null || typeof row !== "object" || row.length !== C) return;
  oneVsAllPairUndo(row, 0, y, C, acc);
}
