// A worker process for the fault specs: resumes its state from Redis, then for each remaining batch of its
// shard updates its metric and publishes the cumulative state with seq = batches consumed, printing
// "published <seq>" after each. Run: tsx worker.child.ts URL KEY WORKER SEED BATCHES DELAY_MS
import { createClient } from "redis";
import { HingeLoss } from "../../lib/index.js";
import { publishState, resumeState } from "../../lib/redis/index.js";
import { batches, fed } from "./data.js";

const [url, key, worker, seed, count, delay] = process.argv.slice(2);
const data = batches(Number(seed), Number(count));
const client = await createClient({ url }).connect();
const { seq, metric } = await resumeState(client, { key, worker }, () => new HingeLoss());
process.stdout.write(`resumed ${seq}\n`);
for (let i = seq; i < data.length; i++) {
  fed(metric, [data[i]]);
  await publishState(client, { key, worker, seq: i + 1 }, metric);
  process.stdout.write(`published ${i + 1}\n`);
  await new Promise((r) => setTimeout(r, Number(delay)));
}
await client.close();
