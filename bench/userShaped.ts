/**
 * An independent check of the binary row, shaped as a user's code and sharing nothing with bench/harness.ts:
 * a fresh `HingeLoss` per 1e6-sample batch, the batch passed as arguments, `compute()` included, against a
 * naive branchless loop returning the mean, timed alternately for `--rounds` rounds (median of 5 calls each).
 * `--detach` first detaches an ArrayBuffer (as importing TensorFlow.js does), to show what that does to both.
 *
 * `npx tsc -p tsconfig.build.json && node --import tsx bench/userShaped.ts [--detach] [--rounds 7] [--lib dir]`
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type * as Lib from "../lib/index.js";
import { labels, scores } from "./data.js";
import { median } from "./harness.js";

const { values: args } = parseArgs({
  options: {
    detach: { type: "boolean", default: false },
    rounds: { type: "string", default: "7" },
    lib: { type: "string" },
  },
});
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(args.lib ?? path.join(here, "..", "dist"));
const { HingeLoss } = (await import(pathToFileURL(path.join(dist, "index.js")).href)) as typeof Lib;

/**
 * The mean hinge loss as a user writes it.
 *
 * @param p - scores
 * @param t - {0, 1} targets
 * @returns mean of max(0, 1 - y p)
 */
function naiveMean(p: Float32Array, t: Int32Array): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = 1 - (2 * t[i] - 1) * p[i];
    s += (m + Math.abs(m)) / 2;
  }
  return s / p.length;
}

/**
 * A fresh metric per batch, as a user evaluating one batch writes it.
 *
 * @param p - scores
 * @param t - targets
 * @returns the mean hinge loss
 */
function ours(p: Float32Array, t: Int32Array): number {
  return new HingeLoss().update(p, t).compute();
}

function msPerCall(f: (p: Float32Array, t: Int32Array) => number, p: Float32Array, t: Int32Array): number {
  const xs: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    if (!Number.isFinite(f(p, t))) throw new Error("not finite");
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const N = 1_000_000;
const p = scores(N, 1);
const t = labels(N, 2, 2);
if (args.detach === true) {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
}
const ratios: number[] = [];
for (let round = 0; round < Number(args.rounds); round++) {
  const a = msPerCall(naiveMean, p, t);
  const b = msPerCall(ours, p, t);
  ratios.push(a / b);
  console.log(
    `round ${round}: naive ${(N / a / 1e3).toFixed(0)} Melem/s, fresh HingeLoss + compute ${(N / b / 1e3).toFixed(0)} Melem/s, ratio ${(a / b).toFixed(2)}`,
  );
}
console.log(
  `median ratio ${median(ratios).toFixed(2)}${args.detach === true ? " (after an ArrayBuffer was detached)" : ""}`,
);
