// Worker thread task for examples/workers.ts: computes the metrics of its shard and posts the JSON state.
import { parentPort, workerData } from "node:worker_threads";
import { shardState } from "./shards.js";

const { start, end } = workerData as { start: number; end: number };
parentPort?.postMessage(shardState(start, end));
