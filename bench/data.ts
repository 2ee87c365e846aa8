/**
 * Deterministic benchmark data: float32 scores U(-2, 2) and {0, 1} / class-index targets, as in
 * `research/perf-anchors.md`.
 *
 * @module
 */

// The seeded PRNG of the CLI demo (mulberry32; lib/cli/demo.ts imports nothing), so every run times the same data.
import { mulberry32 } from "../lib/cli/demo.js";

/**
 * Float32 scores uniform in (-2, 2).
 *
 * @param n - how many
 * @param seed - PRNG seed
 * @returns the scores
 * @example
 * ```ts
 * scores(3, 1).length; // => 3
 * ```
 */
export function scores(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 4 - 2;
  return out;
}

/**
 * Integer targets uniform in [0, classes).
 *
 * @param n - how many
 * @param classes - 2 for binary {0, 1}
 * @param seed - PRNG seed
 * @returns the targets
 * @example
 * ```ts
 * labels(3, 2, 1).every((t) => t === 0 || t === 1); // => true
 * ```
 */
export function labels(n: number, classes: number, seed: number): Int32Array {
  const rand = mulberry32(seed);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * classes);
  return out;
}

/**
 * Splits a flat row-major matrix into `number[][]` rows.
 *
 * @param flat - N·C values
 * @param C - columns
 * @returns N rows of C plain numbers
 * @example
 * ```ts
 * toRows(new Float32Array([1, 2, 3, 4]), 2); // => [[1, 2], [3, 4]]
 * ```
 */
export function toRows(flat: ArrayLike<number>, C: number): number[][] {
  const n = flat.length / C;
  const rows = new Array<number[]>(n);
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(C);
    for (let j = 0; j < C; j++) row[j] = flat[i * C + j];
    rows[i] = row;
  }
  return rows;
}
