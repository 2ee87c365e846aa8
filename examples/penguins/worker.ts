// Worker thread task of examples/penguins.ts: scores its share of the validation set with the trained model,
// accumulates the validation metrics batch by batch and posts their state back as JSON text (what would go
// over a network between machines).
import { parentPort, workerData } from "node:worker_threads";
import { validationMetrics } from "./metrics.js";
import { LinearSvm } from "./svm.js";
import type { ShardTask } from "./workers.js";

const task = workerData as ShardTask;
const svm = new LinearSvm(task.classes, task.features, task.params);
const scores = svm.scores(task.x, task.rows);
const metrics = validationMetrics();
for (let start = 0; start < task.rows; start += task.batchSize) {
  const end = Math.min(start + task.batchSize, task.rows);
  metrics.update(
    { data: scores.subarray(start * task.classes, end * task.classes), shape: [end - start, task.classes] },
    task.y.subarray(start, end),
  );
}
parentPort?.postMessage(JSON.stringify(metrics.toJSON()));
