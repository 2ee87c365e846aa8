/**
 * The WebAssembly SIMD hinge kernels (issue 17 goal 4) as `HingeLoss.update` runs them: automatically, on
 * typed-array batches of at least `WASM_MIN_ELEMENTS` elements, against the same metric with the JS kernels
 * forced (its kernel scratch's `wasm` set to null: the internal switch the specs use too) and against
 * TensorFlow.js' wasm backend with tensor creation counted. The WASM rows count everything a batch costs:
 * the copy into WebAssembly memory, the kernels, the commit into the exact state. Also the crossover (the batch
 * size from which the WASM path wins), kernel against kernel, that `WASM_MIN_ELEMENTS` comes from.
 *
 * `benchRows(ctx)` is this area's part of `npm run bench` (bench/contract.ts); `npm run bench:wasm
 * [-- --quick] [-- --only <substring>]` runs it alone.
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import type * as Lib from "../lib/index.js";
import type * as Functional from "../lib/metrics/hinge/functional.js";
import type * as Batch from "../lib/metrics/hinge/batch.js";
import type * as Wasm from "../lib/wasm/hinge.js";
import type * as Loader from "../lib/wasm/loader.js";
import type { BenchContext, BenchPart, Goal } from "./contract.js";
import { labels, scores } from "./data.js";
import { markdownTable, sinkValue, timeCase, type Candidate, type Row } from "./harness.js";
import { binaryCandidates, loadTfjs } from "./tfjs.js";

/**
 * Times the WASM path against the JS kernels and tfjs-wasm.
 *
 * @param ctx - the run's context (bench/contract.ts)
 * @returns the rows, the goals ("≥ 2× JS kernel", "≥ 3× tfjs-wasm incl. tensor creation") and notes
 */
export async function benchRows(ctx: BenchContext): Promise<BenchPart> {
  const at = (file: string): string => pathToFileURL(path.join(ctx.distDir, file)).href;
  const { HingeLoss, resolveHingeLossOptions } = (await import(at("index.js"))) as typeof Lib;
  const fn = (await import(at("metrics/hinge/functional.js"))) as typeof Functional;
  const { HingeScratch } = (await import(at("metrics/hinge/batch.js"))) as typeof Batch;
  const wasm = (await import(at("wasm/hinge.js"))) as typeof Wasm;
  const loader = (await import(at("wasm/loader.js"))) as typeof Loader;
  const rows: Row[] = [];
  const notes: string[] = [];

  const run = (caseName: string, make: () => Candidate[]): Row[] => {
    if (!ctx.wanted(caseName)) return [];
    const out = timeCase(caseName, make(), ctx.timing);
    rows.push(...out);
    ctx.print(out);
    return out;
  };
  type Metric = InstanceType<typeof HingeLoss>;
  /** A metric whose updates run on the JS kernels (its scratch's `wasm` null) or automatically. */
  const metric = (opts: object, js: boolean): Metric => {
    const m = new HingeLoss(opts);
    if (js) (m as unknown as { kernelScratch: { wasm: null } }).kernelScratch.wasm = null;
    return m;
  };
  const update = (
    name: string,
    elems: number,
    preds: unknown,
    target: unknown,
    opts: object,
    js: boolean,
    goal?: number,
  ): Candidate => {
    const m = metric(opts, js);
    return { name, elems, goal, run: () => m.update(preds as never, target as never).samples };
  };
  const JS = "HingeLoss.update, JS kernels";
  const WASM = "HingeLoss.update, WASM (automatic; copy counted)";

  const N = 1_000_000;
  const p = scores(N, 1);
  const t = labels(N, 2, 2);
  const vsJs = run("binary N=1e6 Float32Array+Int32Array", () => [
    update(JS, N, p, t, {}, true),
    update(WASM, N, p, t, {}, false, 2),
  ]);
  let vsTf: Row[] = [];
  const tf = await loadTfjs();
  if (tf !== null && tf.backends.includes("wasm")) {
    const [, creation] = binaryCandidates({ ...tf, backends: ["wasm"] }, p, t, 1);
    vsTf = run("binary N=1e6 Float32Array+Int32Array vs tfjs", () => [
      creation,
      update(WASM, N, p, t, {}, false, 3),
    ]);
  } else {
    notes.push(`tfjs-wasm row skipped: ${tf === null ? "tfjs missing" : tf.notes.join("; ")}`);
  }
  run("binary squared N=1e6 Float32Array+Int32Array", () => [
    update(JS, N, p, t, { squared: true }, true),
    update(WASM, N, p, t, { squared: true }, false),
  ]);
  const p64 = Float64Array.from(p);
  run("binary N=1e6 Float64Array+Int32Array", () => [
    update(JS, N, p64, t, {}, true),
    update(WASM, N, p64, t, {}, false),
  ]);

  const n = ctx.quick ? 100_000 : 1_000_000;
  const C = 10;
  const P = scores(n * C, 3);
  const y = labels(n, C, 4);
  const shaped = { data: P, shape: [n, C] };
  const size = `N=${n === 1_000_000 ? "1e6" : "1e5"}×C=${C}`;
  for (const mode of ["crammer-singer", "one-vs-all"] as const) {
    run(`${mode} ${size} Float32Array+Int32Array`, () => [
      update(JS, n * C, shaped, y, { multiclassMode: mode }, true),
      update(WASM, n * C, shaped, y, { multiclassMode: mode }, false),
    ]);
  }

  // The crossover, kernel against kernel: the functional update on a scratch with the JS kernels forced,
  // against the WASM partial (copy included) + commit on one instance, below and above WASM_MIN_ELEMENTS.
  const options = resolveHingeLossOptions({});
  const instance = loader.createHingeWasm();
  for (const k of [128, 256, 512, 1024, 4096]) {
    if (instance === null) break;
    const batches = Math.max(1, Math.floor(65536 / k));
    const ps = Array.from({ length: batches }, (_, b) => p.slice(b * k, (b + 1) * k));
    const ts = Array.from({ length: batches }, (_, b) => t.slice(b * k, (b + 1) * k));
    run(`binary batches of ${k} (crossover)`, () => {
      const jsState = fn.emptyHingeState();
      const scratch = new HingeScratch();
      scratch.wasm = null;
      const into = fn.emptyHingeState();
      into.measure.resize(1);
      let a = 0;
      let b = 0;
      return [
        {
          name: "hingeLossUpdate, JS kernels",
          elems: k,
          calls: 1,
          run: () => {
            a = (a + 1) % batches;
            fn.updateWithScratch(jsState, ps[a], ts[a], undefined, options, scratch);
            return jsState.samples.value();
          },
        },
        {
          name: "WASM partial + commit",
          elems: k,
          calls: 1,
          run: () => {
            b = (b + 1) % batches;
            const part = wasm.wasmBinaryPartial(ps[b], ts[b], false, instance);
            if (part === null) throw new Error("the WASM path refused a crossover batch");
            wasm.commitWasmPartial(into, part);
            return part.count;
          },
        },
      ];
    });
  }
  if (instance === null) notes.push("WebAssembly unavailable: no WASM rows");
  notes.push(
    `WASM path from ${fn.WASM_MIN_ELEMENTS} elements on a metric (${fn.WASM_MIN_ELEMENTS_ONE_CALL} for a one-shot call); module ${loader.hingeWasmBytes().length} bytes`,
  );

  const goals: Goal[] = [];
  const ratioOf = (out: Row[]): Row | undefined => out.find((r) => r.goal !== null);
  const js = ratioOf(vsJs);
  if (js !== undefined) {
    goals.push({
      goal: "issue 17 goal 4: binary 1e6 f32+i32: HingeLoss.update WASM (copy counted) ≥ 2 × the JS kernels",
      value: js.ratio.toFixed(2),
      pass: js.ratio >= 2,
    });
  }
  const tfRow = ratioOf(vsTf);
  if (tfRow !== undefined) {
    goals.push({
      goal: "issue 17 goal 4: binary 1e6 f32+i32: HingeLoss.update WASM (copy counted) ≥ 3 × tfjs-wasm incl. tensor creation",
      value: tfRow.ratio.toFixed(2),
      pass: tfRow.ratio >= 3,
    });
  }
  return { rows, goals, notes };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values: args } = parseArgs({
    options: { quick: { type: "boolean", default: false }, only: { type: "string" } },
  });
  const quick = args.quick === true;
  console.log(`streammetrics WASM bench: median of ${quick ? 3 : 9} reps, interleaved\n`);
  console.log(markdownTable([]));
  const part = await benchRows({
    distDir: path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist"),
    timing: quick ? { reps: 3, minMs: 40, warmMs: 80 } : { reps: 9, minMs: 120, warmMs: 250 },
    quick,
    wanted: (name) => args.only === undefined || name.includes(args.only),
    print: (out) => console.log(markdownTable(out).split("\n").slice(2).join("\n")),
  });
  console.log("");
  for (const g of part.goals) console.log(`${g.pass ? "✔" : "✘"} ${g.goal}: ${g.value}`);
  for (const note of part.notes ?? []) console.log(`note: ${note}`);
  console.log(`(sink ${sinkValue()})`);
}
