// Validation split across worker threads for examples/penguins.ts: each worker evaluates a disjoint share of
// the validation set and sends back its metrics' state as JSON text; the main thread merges the states.
import { Worker } from "node:worker_threads";
import type { MetricCollectionStateJSON } from "../../lib/index.js";
import type { Split } from "./data.js";
import type { LinearSvm } from "./svm.js";

/** What one worker receives: the trained model and its rows of the validation set. */
export interface ShardTask {
  /** The model's parameters (see {@link LinearSvm.params}). */
  readonly params: Float64Array;
  /** Number of classes. */
  readonly classes: number;
  /** Number of features. */
  readonly features: number;
  /** The shard's features, row-major. */
  readonly x: Float64Array;
  /** The shard's class indices. */
  readonly y: Int32Array;
  /** Rows in the shard. */
  readonly rows: number;
  /** Rows per metric update. */
  readonly batchSize: number;
}

const TASK = new URL("./worker.ts", import.meta.url);

/**
 * Starts a worker on the TypeScript task file. On Node 20 a worker does not inherit tsx's loader, so a tiny
 * bootstrap registers tsx inside the worker and then imports the task (as examples/workers.ts does).
 */
function startWorker(workerData: ShardTask): Worker {
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(TASK.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function runShard(task: ShardTask): Promise<MetricCollectionStateJSON> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(task);
    worker.once("message", (text: string) => resolve(JSON.parse(text) as MetricCollectionStateJSON));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`a validation worker exited with code ${code}`));
    });
  });
}

/**
 * Evaluates `svm` on `validation` with `workers` worker threads, each on a contiguous, disjoint share of the
 * rows, and returns their JSON states (in shard order) for the caller to merge.
 *
 * @param svm - the trained model
 * @param validation - the validation split
 * @param workers - number of worker threads
 * @param batchSize - rows per metric update inside a worker
 * @returns one JSON state per worker, and the rows each worker evaluated
 */
export async function validateOnWorkers(
  svm: LinearSvm,
  validation: Split,
  workers: number,
  batchSize: number,
): Promise<{ states: MetricCollectionStateJSON[]; rows: number[] }> {
  const d = svm.features;
  const tasks: ShardTask[] = [];
  for (let w = 0; w < workers; w++) {
    const start = Math.floor((w * validation.rows) / workers);
    const end = Math.floor(((w + 1) * validation.rows) / workers);
    tasks.push({
      params: svm.params,
      classes: svm.classes,
      features: d,
      x: validation.x.slice(start * d, end * d),
      y: validation.y.slice(start, end),
      rows: end - start,
      batchSize,
    });
  }
  return { states: await Promise.all(tasks.map(runShard)), rows: tasks.map((t) => t.rows) };
}
