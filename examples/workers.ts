// Split a data set across worker threads, merge their states in the main thread, and check the result is
// bit-identical to one pass over all the data.
// Run: npx tsx examples/workers.ts [samples] [workers]
import { Worker } from "node:worker_threads";
import { pathToFileURL } from "node:url";
import { mergeStates, type MetricStateJSON } from "../lib/index.js";
import { makeMetrics, makeShard, naiveMean, splitRange } from "./shards.js";

const TASK = new URL("./workers.task.ts", import.meta.url);

/**
 * Starts a worker on a TypeScript task file. On Node 20 a worker does not inherit tsx's loader (neither
 * `new Worker("task.ts")` nor `execArgv: ["--import", "tsx"]` works), so a tiny bootstrap registers tsx
 * inside the worker and then imports the task. With compiled JavaScript, `new Worker(url, { workerData })`
 * is all it takes.
 */
function startWorker(task: URL, workerData: unknown): Worker {
  if (!task.pathname.endsWith(".ts")) return new Worker(task, { workerData });
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(task.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** The JSON state one worker sends back for its shard. */
function runShard(start: number, end: number): Promise<MetricStateJSON> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(TASK, { start, end });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`worker for [${start}, ${end}) exited with code ${code}`));
    });
  });
}

/**
 * Evaluates `n` samples on `workers` threads, merging the workers' JSON states in the main thread.
 *
 * @param n - samples in the data set
 * @param workers - worker threads (one shard each)
 * @returns the merged metrics and, for comparison, the same metrics over one pass in this thread
 * @example
 * ```ts
 * const { merged, single } = await evaluateWithWorkers(10_000, 2);
 * Object.is(merged.compute().hinge, single.compute().hinge); // => true
 * ```
 */
export async function evaluateWithWorkers(n: number, workers: number) {
  const ranges = splitRange(n, workers);
  const states = await Promise.all(ranges.map(([start, end]) => runShard(start, end)));
  const merged = mergeStates<ReturnType<typeof makeMetrics>>(states);
  const all = makeShard(0, n);
  const single = makeMetrics().update(all.preds, all.target, all.weights);
  return { merged, single, ranges };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.argv[2] ?? 200_000);
  const workers = Number(process.argv[3] ?? 2);
  const { merged, single, ranges } = await evaluateWithWorkers(n, workers);
  const a = merged.compute();
  const b = single.compute();
  console.log(`${n} samples on ${workers} worker threads`);
  console.log("merged:     ", a);
  console.log("single pass:", b);
  console.log("bit-identical:", Object.is(a.hinge, b.hinge) && Object.is(a.squared, b.squared));
  console.log("naive float64 += for the same split / one pass:", naiveMean(ranges), naiveMean([[0, n]]));
}
