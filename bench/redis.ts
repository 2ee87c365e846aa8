// Redis transport bench (npm run bench:redis): N workers (10, 100, 1,000) simulated in this process over
// loopback, each holding a HingeLoss state (3 classes, one batch of 256 samples), publish through a pool of
// connections; then an aggregator collects. Prints publishes/s and collectStates latency per N and their
// growth from N=10, and the JSON size of a state per class (one-vs-all with C classes). Bounded: at most
// 5 s of publishing and 40 collects per N. Starts its own redis-server (REDIS_URL to use another; its key
// "bench:redis" is deleted).
import { createClient } from "redis";
import { HingeLoss } from "../lib/index.js";
import { collectStates, publishState, stateScripts } from "../lib/redis/index.js";
import { RedisServer } from "../spec/support/redisServer.js";
import { mulberry32 } from "../lib/cli/demo.js";
import { median } from "./harness.js";

const KEY = "bench:redis";
const WORKER_COUNTS = [10, 100, 1000];
const POOL = 32; // connections shared by the simulated workers
const PUBLISH_BUDGET_MS = 5000;
const COLLECTS = 40;

/** A metric after one batch of `n` samples with `classes` classes (seeded). */
function workerMetric(seed: number, classes: number, mode: "crammer-singer" | "one-vs-all", n = 256) {
  const rnd = mulberry32(seed);
  const preds = new Float64Array(n * classes).map(() => (rnd() - 0.5) * 4);
  const target = Int32Array.from({ length: n }, () => Math.floor(rnd() * classes));
  return new HingeLoss({ multiclassMode: mode }).update({ data: preds, shape: [n, classes] }, target);
}

async function main(): Promise<void> {
  const own = process.env.REDIS_URL === undefined ? await RedisServer.start() : null;
  const url = process.env.REDIS_URL ?? own!.url;
  const pool = await Promise.all(
    Array.from({ length: POOL }, async () => {
      const client = createClient({ url, scripts: stateScripts });
      client.on("error", () => undefined);
      return client.connect();
    }),
  );
  const rows: string[] = [];
  const base: { rate: number; collect: number }[] = [];
  try {
    for (const n of WORKER_COUNTS) {
      await pool[0].del(KEY);
      const metrics = Array.from({ length: n }, (_, w) => workerMetric(w + 1, 3, "crammer-singer"));
      // publishing: rounds of one publish per worker (seq = round), all in flight at once, until the budget
      let publishes = 0;
      let round = 0;
      const start = performance.now();
      while (performance.now() - start < PUBLISH_BUDGET_MS && round < 200) {
        round += 1;
        await Promise.all(
          metrics.map((m, w) => publishState(pool[w % POOL], { key: KEY, worker: `w${w}`, seq: round }, m)),
        );
        publishes += n;
      }
      const rate = publishes / ((performance.now() - start) / 1000);
      // collecting: the exact merge of the n latest states, timed one at a time
      const times: number[] = [];
      let merged: HingeLoss | undefined;
      for (let i = 0; i < COLLECTS; i++) {
        const t = performance.now();
        merged = await collectStates<HingeLoss>(pool[0], KEY);
        times.push(performance.now() - t);
      }
      if (merged!.samples !== n * 256)
        throw new Error(`collected ${merged!.samples} samples, expected ${n * 256}`);
      const collect = median(times);
      base.push({ rate, collect });
      const growth = (x: number, y: number) => `${(x / y).toFixed(2)}×`;
      rows.push(
        `| ${n} | ${Math.round(rate).toLocaleString("en")} | ${growth(rate, base[0].rate)} | ${collect.toFixed(2)} | ${growth(collect, base[0].collect)} | ${((collect / n) * 1000).toFixed(1)} |`,
      );
    }
    await pool[0].del(KEY);
  } finally {
    await Promise.all(pool.map((c) => c.close()));
    await own?.stop();
  }
  console.log(
    `N workers publishing HingeLoss states (3 classes, crammer-singer), ${POOL} connections, loopback`,
  );
  console.log("| N | publishes/s | vs N=10 | collectStates median ms | vs N=10 | µs per worker |");
  console.log("|---|---|---|---|---|---|");
  rows.forEach((r) => console.log(r));

  console.log("\nJSON state size (bytes) after 256 samples, and per class");
  console.log("| mode | C | bytes | bytes per class |");
  console.log("|---|---|---|---|");
  for (const [mode, classes] of [
    ["crammer-singer", 3],
    ["crammer-singer", 100],
    ["one-vs-all", 2],
    ["one-vs-all", 10],
    ["one-vs-all", 100],
    ["one-vs-all", 1000],
  ] as const) {
    const bytes = new TextEncoder().encode(JSON.stringify(workerMetric(7, classes, mode).toJSON())).length;
    console.log(`| ${mode} | ${classes} | ${bytes} | ${(bytes / classes).toFixed(1)} |`);
  }
}

await main();
