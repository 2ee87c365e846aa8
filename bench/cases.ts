/**
 * The bulk cases of `npm run bench`, timed as users call the metric: binary 1e6 (`number[]` and
 * Float32Array + Int32Array), Crammer–Singer and one-vs-all 1e6 × 10 and 1e4 × 1000 (flat typed; also
 * Float64Array and `number[][]`). Each case's data is an argument of every timed call (`run(data)`); our
 * candidates are a **fresh metric per batch** (`new HingeLoss()`, `update`, `compute()`) and a **reused
 * metric** (`update` then `compute()` on one metric that accumulates across calls). The naive loops are what a
 * user writes in five lines (bench/naive.ts).
 *
 * These cases run before TensorFlow.js or any WebAssembly is loaded: detaching an ArrayBuffer (a
 * `WebAssembly.Memory.grow`, a transfer) anywhere in a process makes V8 check every typed-array access for
 * detachment from then on, and the naive typed loops lose about a third of their speed (ours less), which
 * flatters every ratio measured afterwards.
 *
 * @module
 */
import type * as Lib from "../lib/index.js";
import { labels, scores, toRows } from "./data.js";
import type { Candidate, Row } from "./harness.js";
import type { BenchContext } from "./contract.js";
import * as naive from "./naive.js";
import { binaryCandidates, crammerSingerCandidates, type TfjsHandle } from "./tfjs.js";

/** Runs one case and returns its rows (the caller prints and collects them). */
export type RunCase = <D>(caseName: string, data: D, make: () => Candidate<D>[]) => Row[];

type Options = Record<string, unknown>;
type Value = number | number[];

/**
 * A number standing for a metric's value (one-vs-all gives one value per class).
 *
 * @param v - the value of `compute()`
 * @returns v, or its first entry
 * @example
 * ```ts
 * first([0.5, 2]); // => 0.5
 * ```
 */
export function first(v: Value): number {
  return typeof v === "number" ? v : v[0];
}

/**
 * Our two candidates on a case whose data has `preds` and `target`: a fresh metric per batch and a reused one.
 *
 * @param lib - the library under test
 * @param opts - HingeLoss options
 * @param label - input form, appended to the names (e.g. "number[]")
 * @param goals - goals on the fresh and reused rows
 * @returns the fresh and the reused candidate
 */
export function ours<D extends { preds: unknown; target: unknown }>(
  lib: typeof Lib,
  opts: Options,
  label: string,
  goals: { fresh?: number; reused?: number } = {},
): Candidate<D>[] {
  const { HingeLoss } = lib;
  const reused = new HingeLoss(opts);
  const suffix = label === "" ? "" : ` ${label}`;
  const elems = 0; // set by the caller (see withElems)
  return [
    {
      name: `HingeLoss fresh: new + update + compute${suffix}`,
      elems,
      goal: goals.fresh,
      run: (d: D) => {
        const m = new HingeLoss(opts);
        m.update(d.preds as Lib.TensorLike, d.target as Lib.TensorLike);
        return first(m.compute() as Value);
      },
    },
    {
      name: `HingeLoss reused: update + compute${suffix}`,
      elems,
      goal: goals.reused,
      run: (d: D) =>
        first(reused.update(d.preds as Lib.TensorLike, d.target as Lib.TensorLike).compute() as Value),
    },
  ];
}

/**
 * Sets the element count of candidates made without one.
 *
 * @param elems - elements per call
 * @param cs - candidates
 * @returns the candidates with `elems` set
 */
export function withElems<D>(elems: number, cs: Candidate<D>[]): Candidate<D>[] {
  return cs.map((c) => ({ ...c, elems }));
}

/**
 * Times the bulk cases.
 *
 * @param lib - the library under test (a compiled dist)
 * @param ctx - the run's context (`wanted` filters cases)
 * @param run - times one case
 * @returns every row
 */
export function bulkRows(lib: typeof Lib, ctx: BenchContext, run: RunCase): Row[] {
  const rows: Row[] = [];
  const N = 1_000_000;
  const p = scores(N, 1);
  const t = labels(N, 2, 2);
  if (ctx.wanted("binary N=1e6 number[]")) {
    const data = { preds: Array.from(p), target: Array.from(t) };
    rows.push(
      ...run("binary N=1e6 number[]", data, () =>
        withElems(N, [
          {
            name: "naive branchless number[]",
            elems: N,
            run: (d) => naive.binaryBranchlessArray(d.preds, d.target),
          },
          ...ours<typeof data>(lib, {}, "number[]", { fresh: 0.4, reused: 0.4 }),
        ]),
      ),
    );
  }
  const typed = { preds: p, target: t };
  rows.push(
    ...run("binary N=1e6 Float32Array+Int32Array", typed, () =>
      withElems(N, [
        { name: "naive branchless", elems: N, run: (d) => naive.binaryBranchless(d.preds, d.target) },
        { name: "naive if-loop", elems: N, run: (d) => naive.binaryIf(d.preds, d.target) },
        ...ours<typeof typed>(lib, {}, "", { fresh: 0.8, reused: 0.6 }),
      ]),
    ),
  );
  for (const [n, C] of [
    [1_000_000, 10],
    [10_000, 1000],
  ] as const) {
    rows.push(...multiclassRows(lib, ctx, run, n, C));
  }
  return rows;
}

function multiclassRows(lib: typeof Lib, ctx: BenchContext, run: RunCase, n: number, C: number): Row[] {
  const rows: Row[] = [];
  const size = `N=${n === 1e6 ? "1e6" : "1e4"}×C=${C}`;
  if (!ctx.wanted(`Crammer–Singer ${size}`) && !ctx.wanted(`one-vs-all ${size}`)) return rows;
  const P = scores(n * C, 3);
  const y = labels(n, C, 4);
  const E = n * C;
  const ova = { multiclassMode: "one-vs-all" };
  const flat = { P, y, C, buf: new Float64Array(C), preds: { data: P, shape: [n, C] }, target: y };
  rows.push(
    ...run(`Crammer–Singer ${size} flat typed`, flat, () =>
      withElems(E, [
        { name: "naive row loop", elems: E, run: (d) => naive.crammerSinger(d.P, d.y, d.C) },
        ...ours<typeof flat>(lib, {}, "{data, shape}", { reused: 0.85 }),
      ]),
    ),
    ...run(`one-vs-all ${size} flat typed`, flat, () =>
      withElems(E, [
        { name: "naive branchless", elems: E, run: (d) => naive.oneVsAllBranchless(d.P, d.y, d.C, d.buf) },
        { name: "naive if-loop", elems: E, run: (d) => naive.oneVsAllIf(d.P, d.y, d.C, d.buf) },
        ...ours<typeof flat>(lib, ova, "{data, shape}", { reused: 0.6 }),
      ]),
    ),
  );
  if (n === 1_000_000 && ctx.wanted("Float64Array")) {
    // The same scores as float64 (the two-anchor proof holds for any double score). Reused metric only.
    const P64 = Float64Array.from(P);
    const f64 = { P64, y, C, buf: flat.buf, preds: { data: P64, shape: [n, C] }, target: y };
    rows.push(
      ...run(`Crammer–Singer ${size} flat Float64Array`, f64, () =>
        withElems(E, [
          {
            name: "naive row loop Float64Array",
            elems: E,
            run: (d) => naive.crammerSingerF64(d.P64, d.y, d.C),
          },
          ours<typeof f64>(lib, {}, "{data, shape}")[1],
        ]),
      ),
      ...run(`one-vs-all ${size} flat Float64Array`, f64, () =>
        withElems(E, [
          {
            name: "naive branchless Float64Array",
            elems: E,
            run: (d) => naive.oneVsAllBranchlessF64(d.P64, d.y, d.C, d.buf),
          },
          ours<typeof f64>(lib, ova, "{data, shape}")[1],
        ]),
      ),
    );
  }
  if (ctx.wanted("number[][]")) {
    const R = toRows(P, C);
    const rowsData = { preds: R, target: Array.from(y), buf: flat.buf };
    rows.push(
      ...run(`Crammer–Singer ${size} number[][]`, rowsData, () =>
        withElems(E, [
          {
            name: "naive row loop number[][]",
            elems: E,
            run: (d) => naive.crammerSingerRows(d.preds, d.target),
          },
          ours<typeof rowsData>(lib, {}, "number[][]")[1],
        ]),
      ),
      ...run(`one-vs-all ${size} number[][]`, rowsData, () =>
        withElems(E, [
          {
            name: "naive branchless number[][]",
            elems: E,
            run: (d) => naive.oneVsAllRows(d.preds, d.target, d.buf),
          },
          ours<typeof rowsData>(lib, ova, "number[][]")[1],
        ]),
      ),
    );
  }
  return rows;
}

/** The case names of {@link tfjsRows} (tfjs is loaded only when one is wanted). */
export const TFJS_CASES = [
  "vs TensorFlow.js: binary N=1e6 Float32Array+Int32Array",
  "vs TensorFlow.js: Crammer–Singer N=1e6×C=10 flat typed",
  "vs TensorFlow.js: Crammer–Singer N=1e4×C=1000 flat typed",
];

/**
 * The TensorFlow.js comparison, run after tfjs is loaded (its import detaches an ArrayBuffer, see above), so
 * the naive loop and our fresh metric are timed again beside tfjs in that process state: binary 1e6 and
 * Crammer–Singer 1e6 × 10 and 1e4 × 1000, each against tfjs-cpu and tfjs-wasm with tensors ready and with
 * tensor creation counted.
 *
 * @param lib - the library under test
 * @param ctx - the run's context
 * @param run - times one case
 * @param tfjs - the loaded tfjs
 * @param slowReps - reps of the tfjs-cpu candidates
 * @returns every row
 */
export function tfjsRows(
  lib: typeof Lib,
  ctx: BenchContext,
  run: RunCase,
  tfjs: TfjsHandle,
  slowReps: number,
): Row[] {
  const rows: Row[] = [];
  const N = 1_000_000;
  const p = scores(N, 1);
  const t = labels(N, 2, 2);
  const typed = { preds: p, target: t };
  rows.push(
    ...run("vs TensorFlow.js: binary N=1e6 Float32Array+Int32Array", typed, () => [
      { name: "naive branchless", elems: N, run: (d) => naive.binaryBranchless(d.preds, d.target) },
      { ...ours<typeof typed>(lib, {}, "")[0], elems: N },
      ...binaryCandidates<typeof typed>(tfjs, p, t, slowReps),
    ]),
  );
  for (const [n, C] of [
    [1_000_000, 10],
    [10_000, 1000],
  ] as const) {
    const size = `N=${n === 1e6 ? "1e6" : "1e4"}×C=${C}`;
    if (!ctx.wanted(`vs TensorFlow.js: Crammer–Singer ${size} flat typed`)) continue;
    const P = scores(n * C, 3);
    const y = labels(n, C, 4);
    const flat = { P, y, C, preds: { data: P, shape: [n, C] }, target: y };
    rows.push(
      ...run(`vs TensorFlow.js: Crammer–Singer ${size} flat typed`, flat, () => [
        { name: "naive row loop", elems: n * C, run: (d) => naive.crammerSinger(d.P, d.y, d.C) },
        { ...ours<typeof flat>(lib, {}, "{data, shape}")[0], elems: n * C },
        ...crammerSingerCandidates<typeof flat>(tfjs, P, y, C, slowReps),
      ]),
    );
  }
  return rows;
}
