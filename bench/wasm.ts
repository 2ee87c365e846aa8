/**
 * `npm run bench:wasm [-- --quick] [-- --only <substring>]`: the WebAssembly SIMD hinge kernels (lib/wasm,
 * compiled in dist/) against today's JS path (`HingeLoss.update`) and TensorFlow.js' wasm backend, interleaved
 * in one process (bench/harness.ts), in the row format of bench/run.ts. The WASM candidates count everything
 * a batch costs them: the copy into WebAssembly memory, the kernel, and the commit into an exact state. tfjs
 * counts tensor creation from the typed arrays. Also the small-batch crossover (the batch size from which
 * the WASM path wins), kernel against kernel: the functional `hingeLossUpdate` against WASM partial + commit.
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type * as Lib from "../lib/index.js";
import type * as State from "../lib/state/index.js";
import type * as Wasm from "../lib/wasm/hinge.js";
import { labels, scores } from "./data.js";
import {
  markdownTable,
  sinkValue,
  timeCase,
  type Candidate,
  type Row,
  type TimingOptions,
} from "./harness.js";
import { binaryCandidates, loadTfjs } from "./tfjs.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = (file: string): string => pathToFileURL(path.join(here, "..", "dist", file)).href;
const lib = (await import(dist("index.js"))) as typeof Lib;
const { exactSum } = (await import(dist("state/index.js"))) as typeof State;
const wasm = (await import(dist("wasm/hinge.js"))) as typeof Wasm;
const { HingeLoss, hingeLossUpdate, emptyHingeState, resolveHingeLossOptions } = lib;

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const timing: TimingOptions =
  args.quick === true ? { reps: 3, minMs: 40, warmMs: 80 } : { reps: 9, minMs: 120, warmMs: 250 };
const rows: Row[] = [];

function run(caseName: string, make: () => Candidate[]): void {
  if (args.only !== undefined && !caseName.includes(args.only)) return;
  const out = timeCase(caseName, make(), timing);
  rows.push(...out);
  console.log(markdownTable(out).split("\n").slice(2).join("\n"));
}

/** Today's JS path as users call it: one metric, accumulating. */
function jsUpdate(name: string, elems: number, preds: unknown, target: unknown, opts = {}): Candidate {
  const metric = new HingeLoss(opts);
  return { name, elems, run: () => metric.update(preds as never, target as never).samples };
}

/** The WASM path: partial (copy + kernel) and commit into an exact state, as HingeLoss would. */
function wasmUpdate(
  name: string,
  elems: number,
  partial: () => Wasm.WasmPartial | null,
  sums: number,
  goal?: number,
): Candidate {
  const state = { measure: exactSum(sums - 1).empty(), total: exactSum().empty() };
  return {
    name,
    elems,
    goal,
    run: () => {
      const part = partial();
      if (part === null) throw new Error(`${name}: the WASM path did not take the batch`);
      wasm.commitWasmPartial(state, part);
      return part.count;
    },
  };
}

console.log(`streammetrics WASM bench: median of ${timing.reps} reps, interleaved\n`);
console.log(markdownTable([]));

const N = 1_000_000;
const p = scores(N, 1);
const t = labels(N, 2, 2);
run("binary N=1e6 Float32Array+Int32Array", () => [
  jsUpdate("HingeLoss.update (JS kernels)", N, p, t),
  wasmUpdate("WASM SIMD partial + commit (copy counted)", N, () => wasm.wasmBinaryPartial(p, t, false), 2, 2),
]);
const tf = await loadTfjs();
if (tf !== null && tf.backends.includes("wasm")) {
  const [, creation] = binaryCandidates({ ...tf, backends: ["wasm"] }, p, t, 1);
  run("binary N=1e6 Float32Array+Int32Array vs tfjs", () => [
    creation,
    wasmUpdate(
      "WASM SIMD partial + commit (copy counted)",
      N,
      () => wasm.wasmBinaryPartial(p, t, false),
      2,
      3,
    ),
  ]);
} else {
  console.error(`tfjs wasm rows skipped: ${tf === null ? "tfjs missing" : tf.notes.join("; ")}`);
}
run("binary squared N=1e6 Float32Array+Int32Array", () => [
  jsUpdate("HingeLoss.update (JS kernels)", N, p, t, { squared: true }),
  wasmUpdate("WASM SIMD partial + commit", N, () => wasm.wasmBinaryPartial(p, t, true), 2),
]);
const p64 = Float64Array.from(p);
run("binary N=1e6 Float64Array+Int32Array", () => [
  jsUpdate("HingeLoss.update (JS kernels)", N, p64, t),
  wasmUpdate("WASM SIMD partial + commit", N, () => wasm.wasmBinaryPartial(p64, t, false), 2),
]);

for (const [n, C] of [
  [100_000, 10],
  [1_000, 1000],
] as const) {
  const P = scores(n * C, 3);
  const y = labels(n, C, 4);
  const shaped = { data: P, shape: [n, C] };
  const size = `N=${n}×C=${C}`;
  run(`Crammer–Singer ${size} Float32Array`, () => [
    jsUpdate("HingeLoss.update (JS kernels)", n * C, shaped, y),
    wasmUpdate("WASM SIMD partial + commit", n * C, () => wasm.wasmCrammerSingerPartial(P, y, C, false), 2),
  ]);
  run(`one-vs-all ${size} Float32Array`, () => [
    jsUpdate("HingeLoss.update (JS kernels)", n * C, shaped, y, { multiclassMode: "one-vs-all" }),
    wasmUpdate("WASM SIMD partial + commit", n * C, () => wasm.wasmOneVsAllPartial(P, y, C, false), C + 1),
  ]);
}

// The crossover: kernel against kernel (both pay the same batch validation in HingeLoss.update).
const options = resolveHingeLossOptions({});
for (const size of [64, 256, 1024, 4096, 16384]) {
  const batches = Math.max(1, Math.floor(65536 / size));
  const ps = Array.from({ length: batches }, (_, k) => p.slice(k * size, (k + 1) * size));
  const ts = Array.from({ length: batches }, (_, k) => t.slice(k * size, (k + 1) * size));
  let k = 0;
  let w = 0;
  run(`binary batches of ${size} (crossover)`, () => [
    {
      name: "hingeLossUpdate (JS kernels)",
      elems: size,
      calls: 1,
      run: (() => {
        const state = emptyHingeState();
        return () => {
          k = (k + 1) % batches;
          hingeLossUpdate(state, ps[k], ts[k], undefined, options);
          return state.samples.value();
        };
      })(),
    },
    {
      ...wasmUpdate(
        "WASM partial + commit",
        size,
        () => {
          w = (w + 1) % batches;
          return wasm.wasmBinaryPartial(ps[w], ts[w], false);
        },
        2,
      ),
      calls: 1,
    },
  ]);
}
console.log(`\n(sink ${sinkValue()})`);
