import { expect } from "chai";
import { HingeLoss, InvalidOptionsError, MetricStateError } from "../../lib/index.js";
import { ClientClosedError } from "redis";
import { createStateClient, publishState, resumeState, watchStates } from "../../lib/redis/index.js";
import { redisSuite } from "../support/redisServer.js";
import { batches, connectClient, factories, fed, useClient, type Client } from "./data.js";

describe("redis: publishState and resumeState", function () {
  const server = redisSuite();
  const use = useClient(server);
  let plain: Client;
  let scripted: ReturnType<typeof createStateClient>;
  const data = batches(7, 4);

  before(async function () {
    scripted = createStateClient({ url: server().url });
    scripted.on("error", () => undefined);
    await scripted.connect();
  });
  after(async function () {
    await scripted?.close();
  });
  beforeEach(function () {
    plain = use();
  });

  for (const [name, client] of [
    ["a createClient() client (EVALSHA, EVAL on NOSCRIPT)", () => plain],
    ["a createStateClient() client (node-redis scripts)", () => scripted],
  ] as const) {
    it(`stores a higher seq and ignores one at or below the stored seq, with ${name}`, async function () {
      await plain.scriptFlush(); // the first publish meets NOSCRIPT and falls back to EVAL
      const at = (seq: number) => ({ key: "run", worker: "w1", seq });
      const two = fed(new HingeLoss(), data.slice(0, 2));
      const three = fed(new HingeLoss(), data.slice(0, 3));
      expect(await publishState(client(), at(2), two)).to.equal(true);
      expect(await publishState(client(), at(2), two)).to.equal(false);
      expect(await publishState(client(), at(1), fed(new HingeLoss(), data.slice(0, 1)))).to.equal(false);
      expect(await publishState(client(), at(3), three)).to.equal(true);
      expect(await publishState(client(), at(2), two)).to.equal(false);
      const stored = await plain.hGet("run", "w1");
      expect(stored).to.equal(`3 ${JSON.stringify(three.toJSON())}`);
    });
  }

  it("announces each stored publish on the channel named like the key, and only stored ones", async function () {
    const subscriber = await plain.duplicate().connect();
    const heard: string[] = [];
    await subscriber.subscribe("run", (message) => heard.push(message));
    const m = fed(new HingeLoss(), data);
    await publishState(plain, { key: "run", worker: "w1", seq: 1 }, m);
    await publishState(plain, { key: "run", worker: "w1", seq: 1 }, m);
    await publishState(plain, { key: "run", worker: "w2", seq: 5 }, m);
    await plain.ping(); // the announcements were sent before this reply
    await new Promise((r) => setTimeout(r, 50));
    await subscriber.close();
    expect(heard).to.deep.equal(["w1 1", "w2 5"]);
  });

  it("publishes the state as it was when called, not as it is when the reply comes", async function () {
    const m = fed(new HingeLoss(), data.slice(0, 1));
    const before = JSON.stringify(m.toJSON());
    const pending = publishState(plain, { key: "run", worker: "w1", seq: 1 }, m);
    fed(m, data.slice(1));
    await pending;
    expect(await plain.hGet("run", "w1")).to.equal(`1 ${before}`);
  });

  it("refuses a bad target or metric with InvalidOptionsError, sending nothing", async function () {
    const m = new HingeLoss();
    const bad: [unknown, unknown, RegExp][] = [
      [{ key: "", worker: "w", seq: 1 }, m, /publishState: key must be a non-empty string.*got ""/],
      [{ key: "k", worker: 3, seq: 1 }, m, /publishState: worker must be a non-empty string.*got 3/],
      [{ key: "k", worker: "w", seq: -1 }, m, /seq must be a safe integer ≥ 0, got -1/],
      [{ key: "k", worker: "w", seq: 1.5 }, m, /seq must be a safe integer ≥ 0, got 1.5/],
      [{ key: "k", worker: "w", seq: 2 ** 53 }, m, /seq must be a safe integer/],
      [null, m, /publishState needs \{ key, worker \}, got null/],
      [{ key: "k", worker: "w", seq: 1 }, m.toJSON(), /metric must be a Metric/],
    ];
    for (const [target, metric, message] of bad) {
      let thrown: unknown;
      try {
        await publishState(plain, target as never, metric as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(InvalidOptionsError);
      expect((thrown as Error).message).to.match(message);
    }
    expect(await plain.dbSize()).to.equal(0);
  });

  it("gives a worker never seen seq 0 and a fresh metric", async function () {
    const { seq, metric } = await resumeState(plain, { key: "run", worker: "w9" }, () => new HingeLoss());
    expect(seq).to.equal(0);
    expect(metric.samples).to.equal(0);
  });

  for (const [name, factory] of Object.entries(factories)) {
    it(`gives a restarted worker its last stored seq and state, exactly: ${name}`, async function () {
      const m = fed(factory(), data.slice(0, 3));
      await publishState(plain, { key: "run", worker: "w1", seq: 3 }, m);
      const resumed = await resumeState(plain, { key: "run", worker: "w1" }, factory);
      expect(resumed.seq).to.equal(3);
      expect(resumed.metric.toJSON()).to.deep.equal(m.toJSON());
      // it continues from there: the rest of its input gives the single pass, bit for bit
      fed(resumed.metric, data.slice(3));
      const single = fed(factory(), data);
      expect(resumed.metric.toJSON()).to.deep.equal(single.toJSON());
      expect(JSON.stringify(resumed.metric.compute())).to.equal(JSON.stringify(single.compute()));
    });
  }

  it("refuses a stored state that does not fit the factory's metric, naming the worker", async function () {
    await publishState(plain, { key: "run", worker: "w1", seq: 3 }, fed(new HingeLoss(), data));
    const squared = () => new HingeLoss({ squared: true });
    let thrown: unknown;
    try {
      await resumeState(plain, { key: "run", worker: "w1" }, squared);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(MetricStateError);
    expect((thrown as Error).message).to.match(/^worker "w1": .*squared/);
  });

  it("refuses a forged stored value, naming the worker", async function () {
    const cases: [string, RegExp][] = [
      ["garbage", /^worker "w1": the stored value must start with its seq/],
      ['4 {"kind":"HingeLoss"', /^worker "w1": the state is not valid JSON/],
      ['4 {"kind":"HingeLoss","version":1,"__proto__":{}}', /^worker "w1": /],
    ];
    for (const [value, message] of cases) {
      await plain.hSet("run", "w1", value);
      let thrown: unknown;
      try {
        await resumeState(plain, { key: "run", worker: "w1" }, () => new HingeLoss());
      } catch (error) {
        thrown = error;
      }
      expect(thrown, value).to.be.instanceOf(MetricStateError);
      expect((thrown as Error).message, value).to.match(message);
    }
  });
});

describe("redis: a client closed for good", function () {
  const server = redisSuite();

  it("publishState and watchStates fail with node-redis's error instead of retrying", async function () {
    const closed = await connectClient(server().url);
    await closed.close();
    const started = Date.now();
    let thrown: unknown;
    try {
      await publishState(closed, { key: "run", worker: "w1", seq: 1 }, new HingeLoss(), { retries: 1000 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(ClientClosedError);
    const watched = await new Promise<unknown>((resolve) =>
      watchStates(closed, "run").subscribe({ error: resolve, next: () => resolve("a value") }),
    );
    expect(watched).to.be.instanceOf(Error);
    expect(Date.now() - started).to.be.lessThan(2000);
  });
});
