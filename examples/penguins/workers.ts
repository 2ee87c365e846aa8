// Validation split across worker threads for examples/penguins.ts: each worker accumulates a disjoint share of
// the validation predictions and sends back its metrics' state as JSON text; the main thread merges the states.
import { Worker } from "node:worker_threads";
import type { MetricCollectionStateJSON } from "streammetrics";

/** What one worker receives: the metrics to fill (as an empty state) and its rows of the validation set. */
export interface ShardTask {
  /** The validation metrics, empty, as `toJSON()` gives them (the worker rebuilds them with `fromJSON`). */
  readonly metrics: MetricCollectionStateJSON;
  /** The shard's scores, row-major, `classes` per row. */
  readonly preds: Float64Array;
  /** The shard's class indices. */
  readonly target: Int32Array;
  /** Number of classes. */
  readonly classes: number;
  /** Rows per metric update. */
  readonly batchSize: number;
}

// Plain JavaScript, so a worker needs no TypeScript loader (tsx is not inherited by workers on Node 20, and
// starting it in each worker would cost more than the whole validation).
const TASK = new URL("./worker.mjs", import.meta.url);

function runShard(task: ShardTask): Promise<MetricCollectionStateJSON> {
  return new Promise((resolve, reject) => {
    // execArgv: [] so the worker does not inherit `--import tsx` (it would load tsx for nothing)
    const worker = new Worker(TASK, { workerData: task, execArgv: [] });
    worker.once("message", (text: string) => resolve(JSON.parse(text) as MetricCollectionStateJSON));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`a validation worker exited with code ${code}`));
    });
  });
}

/**
 * Accumulates the validation predictions on `workers` worker threads, each given a contiguous, disjoint share
 * of the rows and the empty `metrics`, and returns their JSON states (in shard order) for the caller to merge.
 *
 * @param metrics - the metrics to fill, empty, as JSON (`validationMetrics().toJSON()`)
 * @param preds - the validation scores, row-major, `classes` per row
 * @param target - the validation class indices
 * @param classes - number of classes
 * @param workers - number of worker threads
 * @param batchSize - rows per metric update inside a worker
 * @returns one JSON state per worker, and the rows each worker accumulated
 */
export async function validateOnWorkers(
  metrics: MetricCollectionStateJSON,
  preds: Float64Array,
  target: Int32Array,
  classes: number,
  workers: number,
  batchSize: number,
): Promise<{ states: MetricCollectionStateJSON[]; rows: number[] }> {
  const tasks: ShardTask[] = [];
  for (let w = 0; w < workers; w++) {
    const start = Math.floor((w * target.length) / workers);
    const end = Math.floor(((w + 1) * target.length) / workers);
    tasks.push({
      metrics,
      preds: preds.slice(start * classes, end * classes),
      target: target.slice(start, end),
      classes,
      batchSize,
    });
  }
  return { states: await Promise.all(tasks.map(runShard)), rows: tasks.map((t) => t.target.length) };
}
