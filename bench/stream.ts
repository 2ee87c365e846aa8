/**
 * Small batches and single events (issue 17, goal 1): `HingeLoss.update` on batches of 1, 8 and 64 against a
 * naive class `update()` over the same data, for typed arrays and plain `number[]`, and the two single-event
 * shapes, `update(score, label)` with plain numbers and `update([score], [label])` with fresh plain arrays;
 * then, without a goal, single events read as they come (`update(score, label).compute()` per event).
 *
 * Timed as users call it: each candidate's loop is a function that gets its metric and its data as
 * arguments (never module constants captured by the loop), the metric is reused across calls (one per
 * candidate, accumulating), and every timed run ends with `compute()`. Batches come round-robin from a pool
 * of 4,096 distinct pre-made batches (typed arrays or plain arrays, made before timing); the fresh-array
 * single events allocate their two one-element arrays inside the timed loop, as an event handler would.
 *
 * Part of `npm run bench` (through {@link benchRows}); standalone: `npm run bench:stream [-- --quick]`.
 *
 * @module
 */
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import type * as Lib from "../lib/index.js";
import type { BenchContext, BenchPart, Goal } from "./contract.js";
import { labels, scores } from "./data.js";
import {
  markdownTable,
  sinkValue,
  timeCase,
  type Candidate,
  type Row,
  type TimingOptions,
} from "./harness.js";
import { NaiveBinary } from "./naive.js";

type Metric = Lib.HingeLoss;

/** Batches in a pool (a power of two: the loops index it with `k & (POOL - 1)`). */
const POOL = 4096;
/** The ratio goal of the small-batch rows and the M calls/s goal of the single-event rows. */
const RATIO_GOAL = 0.6;
const CALLS_GOAL = 25;

/**
 * The naive class over plain arrays: a length check and the branchless loop, as {@link NaiveBinary} does
 * for typed arrays (its own class, so each keeps its own type feedback).
 */
export class NaiveBinaryArray {
  /** Σ max(0, 1 - y p). */
  sum = 0;
  /** Samples seen. */
  count = 0;

  /**
   * Adds a batch.
   *
   * @param p - scores
   * @param t - {0, 1} targets
   * @returns this
   * @throws Error when the lengths differ
   */
  update(p: readonly number[], t: readonly number[]): this {
    if (p.length !== t.length) throw new Error("length mismatch");
    let s = this.sum;
    for (let i = 0; i < p.length; i++) {
      const m = 1 - (2 * t[i] - 1) * p[i];
      s += (m + Math.abs(m)) / 2;
    }
    this.sum = s;
    this.count += p.length;
    return this;
  }

  /** The mean so far. */
  compute(): number {
    return this.sum / this.count;
  }
}

/** The naive class for one sample given as two numbers. */
export class NaiveBinaryNumber {
  /** Σ max(0, 1 - y p). */
  sum = 0;
  /** Samples seen. */
  count = 0;

  /**
   * Adds one sample.
   *
   * @param p - the score
   * @param t - the {0, 1} target
   * @returns this
   */
  update(p: number, t: number): this {
    const m = 1 - (2 * t - 1) * p;
    this.sum += (m + Math.abs(m)) / 2;
    this.count++;
    return this;
  }

  /** The mean so far. */
  compute(): number {
    return this.sum / this.count;
  }
}

// ---- the timed loops: one function per candidate (its own type feedback), data as arguments -------------

function naiveTyped(m: NaiveBinary, ps: Float32Array[], ts: Int32Array[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
  return m.sum / m.count;
}

function oursTyped(m: Metric, ps: Float32Array[], ts: Int32Array[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
  return m.compute() as number;
}

function naivePlain(m: NaiveBinaryArray, ps: number[][], ts: number[][], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
  return m.compute();
}

function oursPlain(m: Metric, ps: number[][], ts: number[][], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(ps[k & (POOL - 1)], ts[k & (POOL - 1)]);
  return m.compute() as number;
}

function naiveNumbers(m: NaiveBinaryNumber, xs: number[], ys: number[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(xs[k & (POOL - 1)], ys[k & (POOL - 1)]);
  return m.compute();
}

function oursNumbers(m: Metric, xs: number[], ys: number[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update(xs[k & (POOL - 1)], ys[k & (POOL - 1)]);
  return m.compute() as number;
}

function naiveFresh(m: NaiveBinaryArray, xs: number[], ys: number[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update([xs[k & (POOL - 1)]], [ys[k & (POOL - 1)]]);
  return m.compute();
}

function oursFresh(m: Metric, xs: number[], ys: number[], calls: number): number {
  for (let k = 0; k < calls; k++) m.update([xs[k & (POOL - 1)]], [ys[k & (POOL - 1)]]);
  return m.compute() as number;
}

function naiveRead(m: NaiveBinaryNumber, xs: number[], ys: number[], calls: number): number {
  let v = 0;
  for (let k = 0; k < calls; k++) v += m.update(xs[k & (POOL - 1)], ys[k & (POOL - 1)]).compute();
  return v;
}

function oursRead(m: Metric, xs: number[], ys: number[], calls: number): number {
  let v = 0;
  for (let k = 0; k < calls; k++) v += m.update(xs[k & (POOL - 1)], ys[k & (POOL - 1)]).compute() as number;
  return v;
}

/** A candidate making `calls` update calls over `samples` samples per run. */
function candidate(name: string, samples: number, calls: number, run: () => number): Candidate {
  return { name, elems: samples, calls, run };
}

/**
 * Times the small-batch and single-event rows on the library in `ctx.distDir`.
 *
 * @param ctx - the bench run's context (see `bench/contract.ts`)
 * @returns the rows and the goals (≥ 0.6 of the naive class per batch size and input form; ≥ 25 M calls/s
 * per single-event shape)
 */
export async function benchRows(ctx: BenchContext): Promise<BenchPart> {
  const lib = (await import(pathToFileURL(path.join(ctx.distDir, "index.js")).href)) as typeof Lib;
  const samples = ctx.quick ? 200_000 : 1_000_000;
  const p = scores(POOL * 64, 21);
  const t = labels(POOL * 64, 2, 22);
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const run = (caseName: string, candidates: Candidate[]): Row[] => {
    if (!ctx.wanted(caseName)) return [];
    const out = timeCase(caseName, candidates, ctx.timing);
    ctx.print(out);
    rows.push(...out);
    return out;
  };
  const ratioGoal = (out: Row[], what: string): void => {
    const r = out[1];
    if (r === undefined) return;
    goals.push({
      goal: `issue 17 goal 1: ${what}: HingeLoss.update ≥ ${RATIO_GOAL} × naive class update()`,
      value: (Math.floor(r.ratio * 100) / 100).toFixed(2), // rounded down, so that "0.60" is never a miss
      pass: r.ratio >= RATIO_GOAL,
    });
  };
  const callsGoal = (out: Row[], what: string): void => {
    const r = out[1];
    if (r?.mcallsPerSec == null) return;
    goals.push({
      goal: `issue 17 goal 1: ${what}: HingeLoss ≥ ${CALLS_GOAL} M calls/s`,
      value: `${r.mcallsPerSec.toFixed(1)} M/s`,
      pass: r.mcallsPerSec >= CALLS_GOAL,
    });
  };

  for (const batch of [1, 8, 64]) {
    const calls = samples / batch;
    const ps: Float32Array[] = [];
    const ts: Int32Array[] = [];
    for (let k = 0; k < POOL; k++) {
      ps.push(p.slice(k * batch, (k + 1) * batch));
      ts.push(t.slice(k * batch, (k + 1) * batch));
    }
    const pa = ps.map((x) => Array.from(x));
    const ta = ts.map((x) => Array.from(x));
    const size = `${samples / 1e6}e6 samples`;
    const naiveT = new NaiveBinary();
    const oursT = new lib.HingeLoss();
    const typedOut = run(`stream: batches of ${batch}, Float32Array+Int32Array (${size})`, [
      candidate("naive class update()", samples, calls, () => naiveTyped(naiveT, ps, ts, calls)),
      candidate("HingeLoss.update", samples, calls, () => oursTyped(oursT, ps, ts, calls)),
    ]);
    ratioGoal(typedOut, `batches of ${batch}, Float32Array+Int32Array`);
    const naiveA = new NaiveBinaryArray();
    const oursA = new lib.HingeLoss();
    const plainOut = run(`stream: batches of ${batch}, number[] (${size})`, [
      candidate("naive class update()", samples, calls, () => naivePlain(naiveA, pa, ta, calls)),
      candidate("HingeLoss.update", samples, calls, () => oursPlain(oursA, pa, ta, calls)),
    ]);
    ratioGoal(plainOut, `batches of ${batch}, number[]`);
  }

  // Single events: scores and labels as plain numbers (a pool of 4,096 of each, read by index).
  const xs = Array.from(p.subarray(0, POOL));
  const ys = Array.from(t.subarray(0, POOL));
  const naiveN = new NaiveBinaryNumber();
  const oursN = new lib.HingeLoss();
  callsGoal(
    run(`stream: single events, update(score, label) numbers (${samples / 1e6}e6 samples)`, [
      candidate("naive class update(x, y)", samples, samples, () => naiveNumbers(naiveN, xs, ys, samples)),
      candidate("HingeLoss.update(x, y)", samples, samples, () => oursNumbers(oursN, xs, ys, samples)),
    ]),
    "single events, update(score, label) with numbers",
  );
  const naiveF = new NaiveBinaryArray();
  const oursF = new lib.HingeLoss();
  callsGoal(
    run(`stream: single events, update([score], [label]) fresh arrays (${samples / 1e6}e6 samples)`, [
      candidate("naive class update([x], [y])", samples, samples, () => naiveFresh(naiveF, xs, ys, samples)),
      candidate("HingeLoss.update([x], [y])", samples, samples, () => oursFresh(oursF, xs, ys, samples)),
    ]),
    "single events, update([score], [label]) with fresh arrays",
  );
  // Single events read as they come: update(score, label) then compute() per event (no goal; the value of a
  // stream after every event without updateAndCompute).
  const naiveR = new NaiveBinaryNumber();
  const oursR = new lib.HingeLoss();
  run(`stream: single events, update(score, label) + compute() each (${samples / 1e6}e6 samples)`, [
    candidate("naive class update(x, y).compute()", samples, samples, () =>
      naiveRead(naiveR, xs, ys, samples),
    ),
    candidate("HingeLoss.update(x, y).compute()", samples, samples, () => oursRead(oursR, xs, ys, samples)),
  ]);
  return {
    rows,
    goals,
    notes: [
      "stream rows: one metric per candidate, reused across calls; each timed run makes its update() calls " +
        "with the data passed to the loop as arguments and ends with compute(); batches round-robin from a " +
        `pool of ${POOL} distinct pre-made batches; the fresh-array single events allocate [score] and ` +
        "[label] inside the timed loop.",
    ],
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  const onlyAt = process.argv.indexOf("--only");
  const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
  const timing: TimingOptions = quick
    ? { reps: 3, minMs: 40, warmMs: 80 }
    : { reps: 7, minMs: 120, warmMs: 250 };
  const distDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
  console.log(markdownTable([]));
  const part = await benchRows({
    distDir,
    timing,
    quick,
    wanted: (name) => only === undefined || name.includes(only),
    print: (rows) => console.log(markdownTable(rows).split("\n").slice(2).join("\n")),
  });
  console.log("\n| goal | value | met |\n|---|---|---|");
  for (const g of part.goals) console.log(`| ${g.goal} | ${g.value} | ${g.pass ? "yes" : "NO"} |`);
  for (const note of part.notes ?? []) console.log(`\n${note}`);
  console.log(`(sink ${sinkValue()})`);
}
