// Worker thread task of examples/penguins.ts, in plain JavaScript so that the worker starts without a
// TypeScript loader: it rebuilds the validation metrics from the empty state the main thread sent, accumulates
// its share of the validation predictions batch by batch, and posts the metrics' state back as JSON text
// (what would go over a network between machines).
import { parentPort, workerData } from "node:worker_threads";
import { MetricCollection } from "streammetrics";

/** @type {import("./workers.js").ShardTask} */
const task = workerData;
const metrics = MetricCollection.fromJSON(task.metrics);
const { preds, target, classes, batchSize } = task;
for (let start = 0; start < target.length; start += batchSize) {
  const end = Math.min(start + batchSize, target.length);
  metrics.update(
    { data: preds.subarray(start * classes, end * classes), shape: [end - start, classes] },
    target.subarray(start, end),
  );
}
parentPort.postMessage(JSON.stringify(metrics.toJSON()));
