/**
 * Classification rows for `npm run bench`: `MulticlassAccuracy.update` (validation + exact counts, as users
 * call it) against a naive argmax loop over the same 1e6 × 10 scores. `classificationRows(lib, timing)` returns
 * rows in bench/run.ts's format; run this file alone (after `npx tsc -p tsconfig.build.json`) to print them:
 * `node --import tsx bench/classification.ts [--quick]`.
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type * as Lib from "../lib/index.js";
import { labels, scores } from "./data.js";
import { markdownTable, sinkValue, timeCase, type Row, type TimingOptions } from "./harness.js";

/**
 * The naive baseline: the first maximum of each row compared with the target, counted.
 *
 * @param p - scores, row-major (n × C)
 * @param t - targets
 * @param C - classes
 * @returns the number of rows whose argmax is the target
 */
export function naiveArgmaxHits(p: Float32Array, t: Int32Array, C: number): number {
  let hits = 0;
  for (let i = 0, row = 0; i < t.length; i++, row += C) {
    let best = p[row];
    let arg = 0;
    for (let c = 1; c < C; c++) {
      const v = p[row + c];
      if (v > best) {
        best = v;
        arg = c;
      }
    }
    if (arg === t[i]) hits++;
  }
  return hits;
}

/**
 * Times the classification cases.
 *
 * @param lib - the library under test (the compiled dist/index.js)
 * @param timing - reps and times
 * @returns one row per candidate
 */
export function classificationRows(lib: typeof Lib, timing: TimingOptions): Row[] {
  const n = 1_000_000;
  const C = 10;
  const P = scores(n * C, 5);
  const y = labels(n, C, 6);
  const data = { P, y, C, shaped: { data: P, shape: [n, C] } };
  const metric = new lib.MulticlassAccuracy({ numClasses: C });
  const micro = new lib.MulticlassAccuracy({ numClasses: C, average: "micro" });
  const confusion = new lib.MulticlassConfusionMatrix({ numClasses: C });
  return timeCase(
    `MulticlassAccuracy N=1e6×C=10 flat typed`,
    [
      { name: "naive argmax loop", elems: n * C, run: (d) => naiveArgmaxHits(d.P, d.y, d.C) },
      {
        name: "MulticlassAccuracy.update {data, shape}",
        elems: n * C,
        goal: 0.6,
        run: (d) => {
          metric.update(d.shaped, d.y);
          return 1;
        },
      },
      {
        name: 'MulticlassAccuracy({ average: "micro" }).update + compute',
        elems: n * C,
        run: (d) => micro.reset().update(d.shaped, d.y).compute(),
      },
      {
        name: "MulticlassConfusionMatrix.update {data, shape}",
        elems: n * C,
        run: (d) => {
          confusion.update(d.shaped, d.y);
          return 1;
        },
      },
    ],
    timing,
    data,
  );
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === self) {
  const distDir = path.join(path.dirname(self), "..", "dist");
  const lib = (await import(pathToFileURL(path.join(distDir, "index.js")).href)) as typeof Lib;
  const quick = process.argv.includes("--quick");
  const timing: TimingOptions = quick
    ? { reps: 3, minMs: 40, warmMs: 80 }
    : { reps: 7, minMs: 120, warmMs: 250 };
  const rows = classificationRows(lib, timing);
  console.log(markdownTable(rows));
  console.error(`(sink ${sinkValue()})`);
}
