/**
 * Family rows for the bench: `MeanSquaredError.update` (exact accumulation and input validation, as users
 * call it) against a naive loop over the same 1e6 float32 pairs. `bench/run.ts` can append these rows;
 * standalone: `npx tsc -p tsconfig.build.json && node --import tsx bench/families.ts [--quick]`.
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type * as Lib from "../lib/index.js";
import { scores } from "./data.js";
import { markdownTable, sinkValue, timeCase, type Row, type TimingOptions } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The naive loop a user would write: Σ (p - t)² / n over float32 arrays, in float64.
 *
 * @param p - predictions
 * @param t - targets
 * @returns the mean squared error
 * @example
 * ```ts
 * naiveMse(new Float32Array([1, 3]), new Float32Array([1, 1])); // => 2
 * ```
 */
export function naiveMse(p: Float32Array, t: Float32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const d = p[i] - t[i];
    s += d * d;
  }
  return s / p.length;
}

/**
 * Times the family cases on the compiled library in `dist/` and returns rows in `bench/run.ts`'s format.
 *
 * @param timing - reps and times (as `bench/run.ts` passes them)
 * @param log - called with each case's rows as a markdown table (default: none)
 * @param distDir - the compiled library to time (default: `dist/`)
 * @returns one row per candidate (none when that library has no `MeanSquaredError`)
 * @example
 * ```ts
 * const rows = await familyRows({ reps: 1, minMs: 1, warmMs: 1 });
 * rows[0].case; // => "MeanSquaredError N=1e6 Float32Array"
 * ```
 */
export async function familyRows(
  timing: TimingOptions,
  log?: (table: string) => void,
  distDir = path.join(here, "..", "dist"),
): Promise<Row[]> {
  const lib = (await import(pathToFileURL(path.join(distDir, "index.js")).href)) as typeof Lib;
  if (typeof lib.MeanSquaredError !== "function") return [];
  const N = 1_000_000;
  const data = { p: scores(N, 11), t: scores(N, 12) };
  const mse = new lib.MeanSquaredError();
  const rows = timeCase(
    "MeanSquaredError N=1e6 Float32Array",
    [
      { name: "naive loop Σ(p-t)²/n", elems: N, run: (d) => naiveMse(d.p, d.t) },
      {
        name: "MeanSquaredError.update",
        elems: N,
        goal: 0.6,
        run: (d) => {
          mse.update(d.p, d.t);
          return (mse.toJSON() as unknown as { total: number }).total;
        },
      },
    ],
    timing,
    data,
  );
  log?.(markdownTable(rows));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  const timing: TimingOptions = quick
    ? { reps: 3, minMs: 40, warmMs: 80 }
    : { reps: 7, minMs: 120, warmMs: 250 };
  await familyRows(timing, (table) => console.log(table));
  console.log(`(sink ${sinkValue()})`);
}
