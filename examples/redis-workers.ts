// Four worker processes evaluate shards of a seeded data set with HingeLoss and publish their cumulative
// states to Redis; one is killed with SIGKILL mid-run and restarted, resuming from its last published state.
// The aggregator merges every worker's latest state: bit-identical to one pass over all the data.
// Run: npx tsx examples/redis-workers.ts  (REDIS_URL=redis://… to use your server; else it starts a
// redis-server on a free loopback port, without persistence, and stops it at the end)
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { HingeLoss } from "../lib/index.js";
import { StatePublisher, collectStates, resumeState } from "../lib/redis/index.js";
import { makeShard, splitRange } from "./shards.js";

const SAMPLES = 40_000;
const WORKERS = 4;
const BATCH = 1_000;
const KEY = "example:redis-workers";
const SELF = fileURLToPath(import.meta.url);

/** The batches of worker `index`: its shard of the data set, cut into batches of BATCH samples. */
function workerBatches(index: number) {
  const [start, end] = splitRange(SAMPLES, WORKERS)[index];
  const out = [];
  for (let s = start; s < end; s += BATCH) out.push(makeShard(s, Math.min(s + BATCH, end)));
  return out;
}

/** A worker: resume, then update and publish the cumulative state after each batch (seq = batches done). */
async function worker(url: string, index: number): Promise<void> {
  const name = `w${index}`;
  const client = createClient({ url });
  client.on("error", () => undefined); // socket errors: node-redis reconnects by itself
  await client.connect();
  const { seq, metric } = await resumeState(client, { key: KEY, worker: name }, () => new HingeLoss());
  console.log(`resumed ${seq}`);
  // the publisher also republishes the latest state whenever the client reconnects (a server restarted empty)
  const publisher = new StatePublisher(client, { key: KEY, worker: name });
  const batches = workerBatches(index);
  for (let i = seq; i < batches.length; i++) {
    const { preds, target, weights } = batches[i];
    metric.update(preds, target, weights);
    await publisher.publish(i + 1, metric);
    console.log(`published ${i + 1}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  publisher.close();
  await client.close();
}

/** Starts worker `index` as a child process; `onLine` sees each line it prints. */
function startWorker(url: string, index: number, onLine: (line: string) => void) {
  const child = spawn(process.execPath, ["--import", "tsx", SELF, "worker", url, String(index)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let rest = "";
  child.stdout.on("data", (chunk) => {
    const lines = (rest + String(chunk)).split("\n");
    rest = lines.pop()!;
    lines.forEach(onLine);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited };
}

/** A redis-server on a free loopback port, without persistence; resolves once it accepts connections. */
async function startRedisServer(): Promise<{ url: string; server: ChildProcess }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
  const server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      await probe.close();
      return { url, server };
    } catch (error) {
      if (attempt === 200 || server.exitCode !== null) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function aggregator(): Promise<void> {
  const own = process.env.REDIS_URL === undefined ? await startRedisServer() : null;
  const url = process.env.REDIS_URL ?? own!.url;
  console.log(`redis: ${url}${own ? " (a redis-server started for this example)" : ""}`);
  const client = createClient({ url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.del(KEY); // a fresh run
    const victim = 2;
    let killed = false;
    const workers = Array.from({ length: WORKERS }, (_, index) =>
      startWorker(url, index, (line) => {
        if (index === victim && !killed && line === "published 3") {
          killed = true;
          workers[victim].child.kill("SIGKILL");
        }
      }),
    );
    await workers[victim].exited;
    const stored = await resumeState(client, { key: KEY, worker: `w${victim}` }, () => new HingeLoss());
    console.log(`worker w${victim} killed with SIGKILL (its last stored seq: ${stored.seq} batches)`);
    const restarted = startWorker(url, victim, (line) => {
      if (line.startsWith("resumed"))
        console.log(`worker w${victim} restarted: ${line.replace("resumed", "resumed after")} batches`);
    });
    const codes = await Promise.all(
      [...workers.filter((_, i) => i !== victim), restarted].map((w) => w.exited),
    );
    if (codes.some((code) => code !== 0)) throw new Error(`a worker failed: exit codes ${codes.join(", ")}`);

    const merged = await collectStates<HingeLoss>(client, KEY);
    const all = makeShard(0, SAMPLES);
    const single = new HingeLoss().update(all.preds, all.target, all.weights);
    console.log(`${SAMPLES} samples, ${WORKERS} workers, batches of ${BATCH}`);
    console.log("merged:     ", merged.compute());
    console.log("single pass:", single.compute());
    console.log("bit-identical:", Object.is(merged.compute(), single.compute()));
    await client.del(KEY);
  } finally {
    await client.close();
    own?.server.kill();
  }
}

if (process.argv[2] === "worker") await worker(process.argv[3], Number(process.argv[4]));
else await aggregator();
