/**
 * `npm run bench [-- --quick] [-- --only <substring>]`: times our `HingeLoss.update` (validation + exact
 * accumulation, as users call it) against naive hand-written loops and TensorFlow.js, interleaved in one
 * process, prints a markdown table and writes `bench/results/latest.json`.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type * as Lib from "../lib/index.js";
import { labels, scores, toRows } from "./data.js";
import {
  markdownTable,
  sinkValue,
  timeCase,
  type Candidate,
  type Row,
  type TimingOptions,
} from "./harness.js";
import { classificationRows } from "./classification.js";
import { familyRows } from "./families.js";
import * as naive from "./naive.js";
import { binaryCandidates, crammerSingerCandidates, loadTfjs, type TfjsHandle } from "./tfjs.js";

// The library under test is the compiled one in dist/ (`npm run bench` builds it first): code run through a
// TypeScript loader can be far slower than what users run. The types still come from lib/.
const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.join(here, "..", "dist");
const { HingeLoss } = (await import(pathToFileURL(path.join(distDir, "index.js")).href)) as typeof Lib;
type HingeLoss = Lib.HingeLoss;

const { values: args } = parseArgs({
  options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
});
const quick = args.quick === true;
const timing: TimingOptions = quick
  ? { reps: 3, minMs: 40, warmMs: 80 }
  : { reps: 7, minMs: 120, warmMs: 250 };
const slowReps = quick ? 1 : 3;
const rows: Row[] = [];

function wanted(name: string): boolean {
  return args.only === undefined || name.includes(args.only);
}

function run(caseName: string, make: () => Candidate[]): void {
  if (!wanted(caseName)) return;
  const t0 = performance.now();
  const out = timeCase(caseName, make(), timing);
  rows.push(...out);
  console.log(markdownTable(out).split("\n").slice(2).join("\n"));
  console.error(`  (${caseName}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

/** Our metric as users call it: one metric per candidate, accumulating across calls. */
function ours(
  name: string,
  elems: number,
  update: (m: HingeLoss) => void,
  opts = {},
  goal?: number,
): Candidate {
  const metric = new HingeLoss(opts);
  return {
    name,
    elems,
    goal,
    run: () => {
      update(metric);
      return metric.samples;
    },
  };
}

const cpu = os.cpus();
const machine = {
  cpu: cpu[0]?.model ?? "unknown",
  cores: cpu.length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  loadAvgStart: os.loadavg().map((x) => Number(x.toFixed(2))),
};
console.log(
  `streammetrics bench${quick ? " (--quick)" : ""}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ` +
    `load ${machine.loadAvgStart.join(" ")}; library: ${path.relative(process.cwd(), distDir) || "."}; median of ${timing.reps} reps (tfjs-cpu ${slowReps})\n`,
);
console.log(markdownTable([]));

// ---- binary -------------------------------------------------------------------------------------------
const N = 1_000_000;
const p = scores(N, 1);
const t = labels(N, 2, 2);
{
  const pa = Array.from(p);
  const ta = Array.from(t);
  run("binary N=1e6 number[]", () => [
    { name: "naive branchless number[]", elems: N, run: () => naive.binaryBranchlessArray(pa, ta) },
    ours("HingeLoss.update number[]", N, (m) => m.update(pa, ta), {}, 0.4),
  ]);
}

// tfjs is loaded only after the number[] case. An earlier run saw the import slow that kernel 3–4×; re-checked
// on the compiled library (same process, before/after the import, alternated): no effect. The order is kept.
const tfjs: TfjsHandle | null = await loadTfjs();
run("binary N=1e6 Float32Array+Int32Array", () => [
  { name: "naive branchless", elems: N, run: () => naive.binaryBranchless(p, t) },
  { name: "naive if-loop", elems: N, run: () => naive.binaryIf(p, t) },
  ours("HingeLoss.update", N, (m) => m.update(p, t), {}, 0.6),
  ...(tfjs === null ? [] : binaryCandidates(tfjs, p, t, slowReps)),
]);
// ---- multiclass ---------------------------------------------------------------------------------------
for (const [n, C] of [
  [1_000_000, 10],
  [10_000, 1000],
] as const) {
  const size = `N=${n === 1e6 ? "1e6" : "1e4"}×C=${C}`;
  const P = scores(n * C, 3);
  const y = labels(n, C, 4);
  const shaped = { data: P, shape: [n, C] };
  const buf = new Float64Array(C);
  run(`Crammer–Singer ${size} flat typed`, () => [
    { name: "naive row loop", elems: n * C, run: () => naive.crammerSinger(P, y, C) },
    ours("HingeLoss.update {data, shape}", n * C, (m) => m.update(shaped, y), {}, 0.85),
    ...(tfjs === null ? [] : crammerSingerCandidates(tfjs, P, y, C, slowReps)),
  ]);
  run(`one-vs-all ${size} flat typed`, () => [
    { name: "naive branchless", elems: n * C, run: () => naive.oneVsAllBranchless(P, y, C, buf) },
    { name: "naive if-loop", elems: n * C, run: () => naive.oneVsAllIf(P, y, C, buf) },
    ours(
      "HingeLoss.update {data, shape}",
      n * C,
      (m) => m.update(shaped, y),
      { multiclassMode: "one-vs-all" },
      0.6,
    ),
  ]);
  if (n === 1_000_000 && wanted("Float64Array")) {
    // The same scores as float64 (the two-anchor proof holds for any double score).
    const P64 = Float64Array.from(P);
    const shaped64 = { data: P64, shape: [n, C] };
    run(`Crammer–Singer ${size} flat Float64Array`, () => [
      { name: "naive row loop Float64Array", elems: n * C, run: () => naive.crammerSingerF64(P64, y, C) },
      ours("HingeLoss.update {data, shape}", n * C, (m) => m.update(shaped64, y)),
    ]);
    run(`one-vs-all ${size} flat Float64Array`, () => [
      {
        name: "naive branchless Float64Array",
        elems: n * C,
        run: () => naive.oneVsAllBranchlessF64(P64, y, C, buf),
      },
      ours("HingeLoss.update {data, shape}", n * C, (m) => m.update(shaped64, y), {
        multiclassMode: "one-vs-all",
      }),
    ]);
  }
  if (wanted("number[][]")) {
    const R = toRows(P, C);
    const ya = Array.from(y);
    run(`Crammer–Singer ${size} number[][]`, () => [
      { name: "naive row loop number[][]", elems: n * C, run: () => naive.crammerSingerRows(R, ya) },
      ours("HingeLoss.update number[][]", n * C, (m) => m.update(R, ya)),
    ]);
    run(`one-vs-all ${size} number[][]`, () => [
      { name: "naive branchless number[][]", elems: n * C, run: () => naive.oneVsAllRows(R, ya, buf) },
      ours("HingeLoss.update number[][]", n * C, (m) => m.update(R, ya), { multiclassMode: "one-vs-all" }),
    ]);
  }
}

// ---- streaming: small batches from a pool of distinct pre-made batches ---------------------------------
const POOL = 4096;
const STREAM = quick ? 200_000 : 1_000_000;
function pool(batch: number): { ps: Float32Array[]; ts: Int32Array[] } {
  const ps: Float32Array[] = [];
  const ts: Int32Array[] = [];
  for (let k = 0; k < POOL; k++) {
    ps.push(p.slice(k * batch, (k + 1) * batch));
    ts.push(t.slice(k * batch, (k + 1) * batch));
  }
  return { ps, ts };
}
for (const batch of [1, 8, 64]) {
  const { ps, ts } = pool(batch);
  const calls = STREAM / batch;
  const naiveMetric = new naive.NaiveBinary();
  run(`stream: batches of ${batch} (${STREAM / 1e6}e6 samples)`, () => [
    {
      name: "naive class update()",
      elems: STREAM,
      calls,
      run: () => {
        for (let k = 0; k < calls; k++) naiveMetric.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
        return naiveMetric.count;
      },
    },
    {
      ...ours("HingeLoss.update", STREAM, (m) => {
        for (let k = 0; k < calls; k++) m.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
      }),
      calls,
    },
  ]);
}

// ---- RxJS operator (lib/rx), if present ----------------------------------------------------------------
const rxNote = await (async (): Promise<string> => {
  if (!wanted("RxJS")) return "not run (--only)";
  let rx: Record<string, unknown>;
  let rxjs: typeof import("rxjs");
  try {
    rx = (await import(pathToFileURL(path.join(distDir, "rx", "index.js")).href)) as Record<string, unknown>;
    rxjs = await import("rxjs");
  } catch (error) {
    return `skipped: lib/rx not available (${(error as Error).message.split("\n")[0]})`;
  }
  const operator = rx.hingeLoss as
    ((options?: object, config?: object) => import("rxjs").OperatorFunction<unknown, unknown>) | undefined;
  if (typeof operator !== "function") return "skipped: lib/rx has no hingeLoss() operator";
  const { ps, ts } = pool(1);
  // The issue's row: one million single-sample batches through hingeLoss() (default: a running value per
  // batch) against a plain for loop calling update(); also `emit: "complete"` (one value at the end).
  const RX = STREAM;
  const items = Array.from({ length: RX }, (_, k) => ({
    preds: ps[k & (POOL - 1)],
    target: ts[k & (POOL - 1)],
  }));
  let last = 0;
  const through = (config?: object) => (): number => {
    rxjs
      .from(items)
      .pipe(config === undefined ? operator() : operator({}, config))
      .subscribe({ next: (v) => (last = typeof v === "number" ? v : last) });
    return last;
  };
  run(`stream: batches of 1 through RxJS (${RX / 1e6}e6 samples)`, () => [
    {
      ...ours("HingeLoss.update, plain loop", RX, (m) => {
        for (let k = 0; k < RX; k++) m.update(items[k].preds, items[k].target);
      }),
      calls: RX,
    },
    {
      ...ours("HingeLoss.updateAndCompute, plain loop (running value)", RX, (m) => {
        for (let k = 0; k < RX; k++) last = m.updateAndCompute(items[k].preds, items[k].target) as number;
      }),
      calls: RX,
    },
    { name: "rx hingeLoss() operator (running value)", elems: RX, calls: RX, goal: 0.3, run: through() },
    {
      name: 'rx hingeLoss({}, { emit: "complete" })',
      elems: RX,
      calls: RX,
      run: through({ emit: "complete" }),
    },
  ]);
  return "run";
})();

// ---- metric families (issue 15): MeanSquaredError 1e6 and MulticlassAccuracy 1e6 × 10, goal ≥ 0.6 ----------
if (wanted("MeanSquaredError"))
  rows.push(...(await familyRows(timing, (table) => console.log(table.split("\n").slice(2).join("\n")))));
if (wanted("MulticlassAccuracy")) {
  const familyLib = (await import(pathToFileURL(path.join(distDir, "index.js")).href)) as typeof Lib;
  const out = classificationRows(familyLib, timing);
  console.log(markdownTable(out).split("\n").slice(2).join("\n"));
  rows.push(...out);
}

// ---- goals --------------------------------------------------------------------------------------------
const find = (c: string, name: string): Row | undefined =>
  rows.find((r) => r.case.startsWith(c) && r.candidate === name);
const goals: { goal: string; value: string; pass: boolean }[] = [];
for (const r of rows) {
  if (r.goal !== null) {
    goals.push({
      goal: `${r.case}: ${r.candidate} ≥ ${r.goal} × ${r.baseline}`,
      value: r.ratio.toFixed(2),
      pass: r.ratio >= r.goal,
    });
  }
}
const bin = find("binary N=1e6 Float32Array", "HingeLoss.update");
for (const [name, factor] of [
  ["tfjs-cpu hingeLoss, tensors ready", 20],
  ["tfjs-wasm hingeLoss, incl. tensor creation", 1],
] as const) {
  const other = find("binary N=1e6 Float32Array", name);
  if (bin && other) {
    const ratio = bin.ratio / other.ratio;
    goals.push({
      goal: `binary: ours ≥ ${factor} × ${name}`,
      value: ratio.toFixed(1),
      pass: ratio >= factor,
    });
  }
}
const single = find("stream: batches of 1 (", "HingeLoss.update");
if (single?.mcallsPerSec != null) {
  goals.push({
    goal: "single-sample update() ≥ 10 M calls/s",
    value: single.mcallsPerSec.toFixed(2),
    pass: single.mcallsPerSec >= 10,
  });
}
console.log(
  `\nRxJS row: ${rxNote}${tfjs ? `; tfjs backends: ${tfjs.backends.join(", ")} ${tfjs.notes.join("; ")}` : "; tfjs not loaded"}`,
);
console.log("\n| goal | value | met |\n|---|---|---|");
for (const g of goals) console.log(`| ${g.goal} | ${g.value} | ${g.pass ? "yes" : "NO"} |`);

const outDir = path.join(here, "results");
mkdirSync(outDir, { recursive: true });
const result = {
  date: new Date().toISOString(),
  machine: { ...machine, loadAvgEnd: os.loadavg().map((x) => Number(x.toFixed(2))) },
  settings: { quick, ...timing, tfjsCpuReps: slowReps, streamSamples: STREAM },
  rows,
  goals,
  notes: { rx: rxNote, tfjs: tfjs === null ? "not loaded" : { backends: tfjs.backends, notes: tfjs.notes } },
  sink: sinkValue(),
};
writeFileSync(path.join(outDir, "latest.json"), JSON.stringify(result, null, 2) + "\n");
console.log(`\nwrote ${path.relative(process.cwd(), path.join(outDir, "latest.json"))}`);
