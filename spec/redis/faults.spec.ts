// Faults against a real redis-server. Each spec ends with the merged result bit-identical (toJSON deep
// equal, compute() Object.is) to one pass over all the data: nothing lost, nothing counted twice.
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { HingeLoss, type AnyMetric } from "../../lib/index.js";
import {
  StatePublisher,
  collectStates,
  publishState,
  readStates,
  watchStates,
} from "../../lib/redis/index.js";
import { prng } from "../support/prng.js";
import { redisSuite } from "../support/redisServer.js";
import { batches, connectClient, fed, useClient, type Batch, type Client } from "./data.js";
import { FaultyProxy } from "./proxy.js";

const CHILD = fileURLToPath(new URL("./worker.child.ts", import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Expects `merged` to be the single pass over `data`, bit for bit. */
function expectSinglePass(merged: AnyMetric, data: readonly Batch[]): void {
  const single = fed(new HingeLoss(), data);
  expect(merged.toJSON()).to.deep.equal(single.toJSON());
  expect(Object.is(merged.compute(), single.compute())).to.equal(true);
}

/** Waits (up to `ms`) until `check` holds. */
async function until(check: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await sleep(10);
  }
}

/** The data every worker has published so far, by the stored seqs: what the merge must equal. */
async function publishedData(client: Client, key: string, shards: Record<string, Batch[]>) {
  const entries = await readStates(client, key);
  return entries.flatMap((e) => shards[e.worker].slice(0, e.seq));
}

/** Every worker process started, so a failed spec leaves none running. */
const started = new Set<ChildProcess>();

class WorkerProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;

  constructor(args: string[]) {
    // The library is covered in this process; a child's coverage (tsx loads it another way) would blur it.
    // Node copies NODE_V8_COVERAGE into a child's env unless the env names it: an empty value turns it off.
    const env = { ...process.env, NODE_V8_COVERAGE: "" };
    this.child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
      env,
    });
    started.add(this.child);
    this.child.once("exit", () => started.delete(this.child));
    let rest = "";
    this.child.stdout!.on("data", (chunk) => {
      const parts = (rest + String(chunk)).split("\n");
      rest = parts.pop()!;
      this.lines.push(...parts);
    });
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
  }
}

describe("redis: faults", function () {
  this.timeout(120_000); // child processes start slowly on a loaded machine
  const server = redisSuite();
  const use = useClient(server);
  let client: Client;
  beforeEach(function () {
    client = use();
  });
  afterEach(function () {
    for (const child of started) child.kill("SIGKILL");
  });

  it("a worker killed with SIGKILL mid-run and restarted with resumeState loses nothing", async function () {
    const key = "run";
    const workers = ["w0", "w1", "w2"];
    const count = 8;
    const shards = Object.fromEntries(workers.map((w, i) => [w, batches(100 + i, count)]));
    const start = (w: string) =>
      new WorkerProcess([server().url, key, w, String(100 + workers.indexOf(w)), String(count), "25"]);
    const running = workers.map(start);
    await until(() => running[1].lines.includes("published 3"), 60_000); // tsx starts in 1-15 s here
    running[1].child.kill("SIGKILL");
    expect(await running[1].exited).to.equal(null); // killed, not finished
    const stored = (await readStates(client, key)).find((e) => e.worker === "w1")!.seq;
    expect(stored).to.be.within(3, count - 1);

    const restarted = start("w1");
    expect(await restarted.exited).to.equal(0);
    expect(restarted.lines[0]).to.equal(`resumed ${stored}`);
    expect(restarted.lines.at(-1)).to.equal(`published ${count}`);
    expect(await Promise.all([running[0].exited, running[2].exited])).to.deep.equal([0, 0]);
    expectSinglePass(await collectStates(client, key), Object.values(shards).flat());
  });

  it("the same publishes delivered twice and out of order count each batch once, at every moment", async function () {
    const key = "run";
    const shards: Record<string, Batch[]> = { a: batches(21, 6), b: batches(22, 6), c: batches(23, 6) };
    // every cumulative state of every worker, each delivered twice, in a seeded random order
    const deliveries: { worker: string; seq: number; metric: HingeLoss }[] = [];
    for (const [worker, data] of Object.entries(shards)) {
      for (let seq = 1; seq <= data.length; seq++) {
        const metric = fed(new HingeLoss(), data.slice(0, seq));
        deliveries.push({ worker, seq, metric }, { worker, seq, metric });
      }
    }
    const rnd = prng(5);
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    let stored = 0;
    for (let i = 0; i < deliveries.length; i += 4) {
      // four at a time, concurrently, then the merge must equal one pass over what is stored
      const round = deliveries.slice(i, i + 4);
      const replies = await Promise.all(
        round.map((d) => publishState(client, { key, worker: d.worker, seq: d.seq }, d.metric)),
      );
      stored += replies.filter(Boolean).length;
      expectSinglePass(await collectStates(client, key), await publishedData(client, key, shards));
    }
    expect((await readStates(client, key)).map((e) => e.seq)).to.deep.equal([6, 6, 6]);
    expect(stored).to.be.within(3, 18); // each stored publish raised a seq; duplicates never stored
    expectSinglePass(await collectStates(client, key), Object.values(shards).flat());
  });

  it("an aggregator restarted mid-run (its connection gone) gets the same merge from the stored states", async function () {
    const key = "run";
    const shards: Record<string, Batch[]> = { a: batches(31, 6), b: batches(32, 6) };
    const publishUpTo = async (n: number, from: number) => {
      for (let seq = from + 1; seq <= n; seq++) {
        for (const [worker, data] of Object.entries(shards)) {
          await publishState(client, { key, worker, seq }, fed(new HingeLoss(), data.slice(0, seq)));
        }
      }
    };
    const first = await connectClient(server().url);
    const seen: HingeLoss[] = [];
    const subscription = watchStates<HingeLoss>(first, key).subscribe((m) => seen.push(m));
    await publishUpTo(3, 0);
    await until(() => seen.length > 0 && seen.at(-1)!.samples === 6 * 16);
    subscription.unsubscribe();
    first.destroy(); // the aggregator dies: its connections drop, nothing it held matters
    await publishUpTo(6, 3);

    const second = await connectClient(server().url);
    const values: HingeLoss[] = [];
    const again = watchStates<HingeLoss>(second, key).subscribe((m) => values.push(m));
    await until(() => values.length > 0);
    again.unsubscribe();
    expectSinglePass(values[0], Object.values(shards).flat());
    expectSinglePass(await collectStates(second, key), Object.values(shards).flat());
    await second.close();
  });

  it("a Redis server restarted empty gets every worker's cumulative state back on reconnection", async function () {
    const key = "run";
    const shards: Record<string, Batch[]> = { a: batches(41, 6), b: batches(42, 6), c: batches(43, 6) };
    const clients = await Promise.all(Object.keys(shards).map(() => connectClient(server().url)));
    const metrics = Object.keys(shards).map(() => new HingeLoss());
    const publishers = Object.keys(shards).map(
      (worker, i) => new StatePublisher(clients[i], { key, worker }),
    );
    const watcher = await connectClient(server().url);
    const watched: HingeLoss[] = [];
    const subscription = watchStates<HingeLoss>(watcher, key).subscribe((m) => watched.push(m));
    const run = async (from: number, to: number) => {
      for (let seq = from + 1; seq <= to; seq++) {
        await Promise.all(
          Object.values(shards).map((data, i) =>
            publishers[i].publish(seq, fed(metrics[i], [data[seq - 1]])),
          ),
        );
      }
    };
    await run(0, 3);
    await server().restart(); // SIGKILL, then an empty server on the same port
    // no worker publishes: the publishers republish their latest state when their client is ready again
    await until(async () => (await readStates(client, key).catch(() => [])).length === 3);
    expect((await readStates(client, key)).map((e) => e.seq)).to.deep.equal([3, 3, 3]);
    expectSinglePass(
      await collectStates(client, key),
      Object.values(shards).flatMap((d) => d.slice(0, 3)),
    );
    await run(3, 6);
    const all = Object.values(shards).flat();
    expectSinglePass(await collectStates(client, key), all);
    // the watcher reconnected too and went on emitting: its last value is the whole
    await until(() => watched.length > 0 && watched.at(-1)!.samples === all.length * 16);
    expectSinglePass(watched.at(-1)!, all);
    subscription.unsubscribe();
    publishers.forEach((p) => p.close());
    await Promise.all([...clients, watcher].map((c) => c.close()));
  });

  describe("a connection dropped during a publish", function () {
    let proxy: FaultyProxy;
    let viaProxy: ReturnType<typeof createClient>;
    beforeEach(async function () {
      proxy = await FaultyProxy.start(server().port);
      viaProxy = createClient({ url: proxy.url, socket: { reconnectStrategy: 20 } });
      viaProxy.on("error", () => undefined);
      await viaProxy.connect();
    });
    afterEach(async function () {
      viaProxy.destroy();
      await proxy.close();
    });

    /** Publishes batches 1..n of `data` as w1, arming a drop before publishes listed in `drops`. */
    async function scenario(drops: Record<number, "request" | "reply">) {
      const data = batches(51, 4);
      const subscriber = await client.duplicate().connect();
      const heard: string[] = [];
      await subscriber.subscribe("run", (message) => heard.push(message));
      const replies: boolean[] = [];
      for (let seq = 1; seq <= data.length; seq++) {
        if (drops[seq] !== undefined) proxy.arm(drops[seq]);
        const metric = fed(new HingeLoss(), data.slice(0, seq));
        replies.push(await publishState(viaProxy, { key: "run", worker: "w1", seq }, metric));
      }
      await client.ping();
      await sleep(50);
      await subscriber.close();
      return { data, replies, heard };
    }

    it("after the server ran it (reply lost): the retry finds it stored, and it counts once", async function () {
      const { data, replies, heard } = await scenario({ 2: "reply", 4: "reply" });
      expect(proxy.drops).to.equal(2);
      expect(replies).to.deep.equal([true, true, true, true]);
      expect(heard).to.deep.equal(["w1 1", "w1 2", "w1 3", "w1 4"]); // each stored exactly once
      expectSinglePass(await collectStates(client, "run"), data);
    });

    it("before the server saw it (request lost): the retry stores it, once", async function () {
      const { data, replies, heard } = await scenario({ 1: "request", 3: "request" });
      expect(proxy.drops).to.equal(2);
      expect(replies).to.deep.equal([true, true, true, true]);
      expect(heard).to.deep.equal(["w1 1", "w1 2", "w1 3", "w1 4"]);
      expectSinglePass(await collectStates(client, "run"), data);
    });

    it("with no retries the error reaches the caller; publishing again is safe either way", async function () {
      const data = batches(52, 2);
      const metric = fed(new HingeLoss(), data);
      proxy.arm("reply");
      let thrown: unknown;
      try {
        await publishState(viaProxy, { key: "run", worker: "w1", seq: 2 }, metric, { retries: 0 });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(Error);
      expect((thrown as Error).name).to.not.equal("ErrorReply");
      // it was stored before the reply was lost: the caller's own retry is a duplicate, ignored
      expect(await publishState(viaProxy, { key: "run", worker: "w1", seq: 2 }, metric)).to.equal(false);
      expectSinglePass(await collectStates(client, "run"), data);
    });
  });
});
