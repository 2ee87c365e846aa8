/**
 * `npm run bench [-- --quick] [-- --only <substring>] [-- --lib <dist dir>] [-- --json <file>] [-- --no-areas]`:
 * times our metrics as users call them (a fresh metric per batch and a reused one, data passed as arguments,
 * `compute()` included) against naive hand-written loops and TensorFlow.js, interleaved in one process; runs
 * the area modules (bench/stream.ts, bench/ingest.ts, bench/wasm.ts) through their `benchRows`; prints one
 * table, the goal table of issue 17 (✔/✘) and the comparison with `bench/results/baseline.json`, and writes
 * `bench/results/latest.json` (or `--json`).
 *
 * Order matters: everything JS-only runs first, then TensorFlow.js and the WASM area (loading either detaches
 * an ArrayBuffer, which slows every typed-array loop of the process from then on; see bench/cases.ts).
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type * as Lib from "../lib/index.js";
import { bulkRows, TFJS_CASES, tfjsRows, type RunCase } from "./cases.js";
import { classificationRows } from "./classification.js";
import type { BenchContext, Goal } from "./contract.js";
import { familyRows } from "./families.js";
import { markdownTable, sinkValue, timeCase, type Row, type TimingOptions } from "./harness.js";
import {
  baselineReport,
  compareBaseline,
  goalTable,
  readBaseline,
  rowGoals,
  runArea,
  type Area,
} from "./report.js";
import { rxRows } from "./rx.js";
import { loadTfjs, type TfjsHandle } from "./tfjs.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    lib: { type: "string" },
    json: { type: "string" },
    baseline: { type: "string" },
    "no-areas": { type: "boolean", default: false },
  },
});
// The library under test is a compiled one (`npm run bench` builds dist/ first): code run through a TypeScript
// loader can be far slower than what users run. The types still come from lib/.
const distDir = path.resolve(args.lib ?? path.join(here, "..", "dist"));
// A build outside a `"type": "module"` package is loaded through Node's module-type detection, which was seen
// to leave the process with V8's ArrayBuffer-detach check on (the naive typed loops ~35 % slower).
const pkg = path.join(distDir, "..", "package.json");
const typeModule =
  existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
const lib = (await import(pathToFileURL(path.join(distDir, "index.js")).href)) as typeof Lib;
const quick = args.quick === true;
const timing: TimingOptions = quick
  ? { reps: 3, minMs: 40, warmMs: 80 }
  : { reps: 7, minMs: 120, warmMs: 250 };
const slowReps = quick ? 1 : 3;
const rows: Row[] = [];
const goals: Goal[] = [];
const notes: string[] = typeModule
  ? []
  : [`warning: ${pkg} does not say "type": "module"; typed-array rates may be low (see docs/performance.md)`];

const print = (out: readonly Row[]): void => console.log(markdownTable(out).split("\n").slice(2).join("\n"));
const ctx: BenchContext = {
  distDir,
  timing,
  quick,
  only: args.only,
  wanted: (name) => args.only === undefined || name.includes(args.only),
  print,
};
const run: RunCase = (caseName, data, make) => {
  if (!ctx.wanted(caseName)) return [];
  const t0 = performance.now();
  const out = timeCase(caseName, make(), timing, data);
  print(out);
  console.error(`  (${caseName}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return out;
};

const cpu = os.cpus();
const machine = {
  cpu: cpu[0]?.model ?? "unknown",
  cores: cpu.length,
  node: process.version,
  platform: `${os.platform()} ${os.arch()}`,
  loadAvgStart: os.loadavg().map((x) => Number(x.toFixed(2))),
};
const library = path.relative(process.cwd(), distDir) || ".";
console.log(
  `streammetrics bench${quick ? " (--quick)" : ""}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ` +
    `load ${machine.loadAvgStart.join(" ")}; library: ${library}; median of ${timing.reps} reps (tfjs-cpu ${slowReps})\n`,
);
console.log(markdownTable([]));

// ---- JS only: bulk cases, families, RxJS, small batches and single events, ingest ------------------------
rows.push(...bulkRows(lib, ctx, run));
if (ctx.wanted("MeanSquaredError"))
  rows.push(...(await familyRows(timing, (t) => console.log(t.split("\n").slice(2).join("\n")), distDir)));
if (ctx.wanted("MulticlassAccuracy") && typeof lib.MulticlassAccuracy === "function") {
  const out = classificationRows(lib, timing);
  print(out);
  rows.push(...out);
}
if (ctx.wanted("RxJS")) {
  const rx = await rxRows(lib, distDir, quick, run);
  rows.push(...rx.rows);
  notes.push(`RxJS: ${rx.note}`);
}

const areas = (name: string, areaGoals: string[], fresh = false): Area => ({
  file: path.join(here, `${name}.ts`),
  name: `bench/${name}.ts`,
  goals: areaGoals,
  fresh,
});
async function area(a: Area): Promise<void> {
  if (args["no-areas"] === true) {
    notes.push(`${a.name}: not run (--no-areas)`);
    return;
  }
  const part = await runArea(a, ctx);
  if (a.fresh === true && part.ran) notes.push(`${a.name}: run in a Node process of its own`);
  // (an area module prints its rows as it measures them, through ctx.print)
  // an area states its goals in part.goals: its rows keep no goal of their own here (else counted twice)
  rows.push(...part.rows.map((r) => ({ ...r, goal: null })));
  goals.push(...part.goals);
  notes.push(...(part.notes ?? []).map((n) => `${a.name}: ${n}`));
}
// The small-batch and single-event rows run in a process of their own (a streaming program does that one
// job): in this process, after the rows above, V8 has shaped HingeLoss.update's optimized code on other calls
// and the same loops measured lower (batches of 1 typed 0.39 against 0.60, single events 16–18 M/s against
// 40–50; docs/performance.md).
await area(
  areas(
    "stream",
    [
      "issue 17 goal 1: batches of 1, 8 and 64 ≥ 0.6 × naive class update(), number[] and typed arrays",
      "issue 17 goal 1: update(score, label) and update([score], [label]) ≥ 25 M updates/s",
    ],
    true, // its own process: see the note above
  ),
);
await area(
  areas("ingest", [
    "issue 17 goal 3: streammetrics hinge on CSV ≥ 0.7 × byte-level scan-and-parse loop",
    "issue 17 goal 3: streammetrics hinge on NDJSON ≥ 0.7 × byte-level scan-and-parse loop",
    "issue 17 goal 3: peak RSS independent of file size",
  ]),
);

// ---- TensorFlow.js (its import detaches an ArrayBuffer: the naive loops and ours are timed again beside it) ---
const tfjs: TfjsHandle | null = TFJS_CASES.some(ctx.wanted) ? await loadTfjs() : null;
if (tfjs !== null) {
  const tf = tfjsRows(lib, ctx, run, tfjs, slowReps);
  rows.push(...tf);
  const ourName = "HingeLoss fresh: new + update + compute";
  const bin = tf.find((r) => r.case.includes("binary") && r.candidate === ourName);
  for (const [name, factor] of [
    ["tfjs-cpu hingeLoss, tensors ready", 20],
    ["tfjs-wasm hingeLoss, incl. tensor creation", 1],
  ] as const) {
    const other = tf.find((r) => r.case.includes("binary") && r.candidate === name);
    if (bin && other)
      goals.push({
        goal: `binary 1e6 typed: HingeLoss (fresh, compute included) ≥ ${factor} × ${name}`,
        value: (bin.ratio / other.ratio).toFixed(2),
        pass: bin.ratio / other.ratio >= factor,
      });
  }
  notes.push(`tfjs backends: ${tfjs.backends.join(", ")} ${tfjs.notes.join("; ")}`);
}
await area(
  areas("wasm", [
    "issue 17 goal 4: WASM binary 1e6 ≥ 3 × tfjs-wasm (tensor creation and the copy into WASM counted)",
    "issue 17 goal 4: WASM binary 1e6 ≥ 2 × today's JS kernel",
  ]),
);

// ---- goals --------------------------------------------------------------------------------------------
const allGoals = [
  ...rowGoals(rows, {
    "binary N=1e6 Float32Array+Int32Array": "issue 17 goal 2",
    "stream: batches of 1 through RxJS": "issue 17 goal 5",
  }),
  ...goals,
];
const baselineFile = path.resolve(args.baseline ?? path.join(here, "results", "baseline.json"));
const base = readBaseline(baselineFile);
let baselineTable = "";
if (base !== null) {
  const report = baselineReport(compareBaseline(rows, base.rows, 0.1), base.source);
  baselineTable = report.table;
  allGoals.push(report.goal);
} else notes.push(`no baseline file (${path.relative(process.cwd(), baselineFile)})`);
if (notes.length > 0) console.log("\n" + notes.map((n) => `- ${n}`).join("\n"));
console.log("\n" + goalTable(allGoals));
if (baselineTable !== "") console.log("\n" + baselineTable);

const outFile = path.resolve(args.json ?? path.join(here, "results", "latest.json"));
mkdirSync(path.dirname(outFile), { recursive: true });
const result = {
  date: new Date().toISOString(),
  library,
  machine: { ...machine, loadAvgEnd: os.loadavg().map((x) => Number(x.toFixed(2))) },
  settings: { quick, ...timing, tfjsCpuReps: slowReps, only: args.only ?? null },
  rows,
  goals: allGoals,
  notes,
  sink: sinkValue(),
};
writeFileSync(outFile, JSON.stringify(result, null, 2) + "\n");
console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
