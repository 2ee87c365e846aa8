import { expect } from "chai";
import { firstValueFrom, take, toArray } from "rxjs";
import {
  HingeLoss,
  InvalidOptionsError,
  MetricStateError,
  mergeStates,
  type AnyMetric,
} from "../../lib/index.js";
import { collectStates, publishState, readStates, watchStates } from "../../lib/redis/index.js";
import { redisSuite } from "../support/redisServer.js";
import { batches, factories, fed, useClient, type Client } from "./data.js";

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

/** Connections the server holds (CLIENT LIST lines). */
async function connections(client: Client): Promise<number> {
  return (await client.clientList()).length;
}

describe("redis: collectStates", function () {
  const server = redisSuite();
  const use = useClient(server);
  let client: Client;
  const data = batches(11, 12);
  beforeEach(function () {
    client = use();
  });

  for (const [name, factory] of Object.entries(factories)) {
    it(`merges every worker's latest state exactly: ${name} equals one pass, bit for bit`, async function () {
      // three workers, each publishing its cumulative state after every batch of its shard
      const shards = [data.slice(0, 5), data.slice(5, 6), data.slice(6)];
      await Promise.all(
        shards.map(async (shard, w) => {
          const metric = factory();
          for (let i = 0; i < shard.length; i++) {
            fed(metric, [shard[i]]);
            await publishState(client, { key: "run", worker: `w${w}`, seq: i + 1 }, metric);
          }
        }),
      );
      const merged = await collectStates(client, "run");
      const single = fed(factory(), data);
      expect(merged.toJSON()).to.deep.equal(single.toJSON());
      expect(JSON.stringify(merged.compute())).to.equal(JSON.stringify(single.compute()));
    });
  }

  it("reads one entry per worker with its seq, sorted by worker", async function () {
    const m = fed(new HingeLoss(), data.slice(0, 2));
    await publishState(client, { key: "run", worker: "b", seq: 9 }, m);
    await publishState(client, { key: "run", worker: "a", seq: 2 }, m);
    const entries = await readStates(client, "run");
    expect(entries.map((e) => [e.worker, e.seq])).to.deep.equal([
      ["a", 2],
      ["b", 9],
    ]);
    expect(entries[0].state).to.deep.equal(m.toJSON());
  });

  it("refuses a forged or mismatched state with a MetricStateError naming the worker", async function () {
    const good = fed(new HingeLoss(), data.slice(0, 3));
    await publishState(client, { key: "run", worker: "w1", seq: 3 }, good);
    const forged = { ...good.toJSON(), total: "-0x1p+0" };
    const cases: [string, RegExp][] = [
      [`1 ${JSON.stringify(forged)}`, /^worker "w2": .*total/],
      [
        `1 ${JSON.stringify(new HingeLoss({ squared: true }).update([[1, 0, 0]], [0]).toJSON())}`,
        /^worker "w2": .*squared/,
      ],
      [`1 ${JSON.stringify({ kind: "Nope", version: 1 })}`, /^worker "w2": .*HingeLoss/],
      ["1 [1,2", /^worker "w2": the state is not valid JSON/],
      ["x", /^worker "w2": the stored value must start with its seq/],
    ];
    for (const [value, message] of cases) {
      await client.hSet("run", "w2", value);
      const error = await rejection(collectStates(client, "run"));
      expect(error, value).to.be.instanceOf(MetricStateError);
      expect(error.message, value).to.match(message);
    }
  });

  it("with onInvalid: skip, leaves bad states out, reports each with its worker, merges the rest", async function () {
    const parts = [data.slice(0, 4), data.slice(4, 8)];
    await publishState(client, { key: "run", worker: "a", seq: 1 }, fed(new HingeLoss(), parts[0]));
    await publishState(client, { key: "run", worker: "c", seq: 1 }, fed(new HingeLoss(), parts[1]));
    await client.hSet("run", "b", "1 {}");
    await client.hSet("run", "d", "nonsense");
    const skipped: [string, string][] = [];
    const merged = await collectStates(client, "run", {
      onInvalid: "skip",
      onSkip: (error, worker) => skipped.push([worker, error.message]),
    });
    expect(skipped.map(([w]) => w).sort()).to.deep.equal(["b", "d"]);
    skipped.forEach(([w, message]) => expect(message).to.match(new RegExp(`^worker "${w}": `)));
    expect(Object.is(merged.compute(), fed(new HingeLoss(), data.slice(0, 8)).compute())).to.equal(true);
  });

  it("rejects a run with no state, a key of another type, and bad options", async function () {
    expect((await rejection(collectStates(client, "run"))).message).to.equal(
      'no worker has published a valid state under key "run"',
    );
    await client.set("str", "1");
    expect((await rejection(collectStates(client, "str"))).message).to.equal(
      'key "str" does not hold streammetrics states (not a hash)',
    );
    const bad = await rejection(collectStates(client, "run", { onInvalid: "ignore" as never }));
    expect(bad).to.be.instanceOf(InvalidOptionsError);
    expect(bad.message).to.equal('onInvalid must be "error" or "skip", got "ignore"');
  });
});

describe("redis: watchStates", function () {
  const server = redisSuite();
  const use = useClient(server);
  let client: Client;
  const data = batches(13, 4);
  beforeEach(function () {
    client = use();
  });

  it("is cold: no connection before subscribe; emits the merge after each publish; closes on unsubscribe", async function () {
    const before = await connections(client);
    const watched = watchStates<HingeLoss>(client, "run");
    expect(await connections(client)).to.equal(before);

    await publishState(client, { key: "run", worker: "w1", seq: 1 }, fed(new HingeLoss(), data.slice(0, 1)));
    const values: number[] = [];
    let resolveThree: () => void;
    const three = new Promise<void>((r) => (resolveThree = r));
    const subscription = watched.subscribe((merged) => {
      values.push(merged.compute() as number);
      if (values.length === 3) resolveThree();
    });
    // the first value is what was already stored; then one per stored publish
    while (values.length < 1) await new Promise((r) => setTimeout(r, 10));
    expect(await connections(client)).to.equal(before + 1);
    await publishState(client, { key: "run", worker: "w2", seq: 1 }, fed(new HingeLoss(), data.slice(1, 2)));
    while (values.length < 2) await new Promise((r) => setTimeout(r, 10));
    await publishState(client, { key: "run", worker: "w1", seq: 1 }, fed(new HingeLoss(), data)); // stale
    await publishState(
      client,
      { key: "run", worker: "w1", seq: 3 },
      fed(new HingeLoss(), data.slice(0, 1).concat(data.slice(2))),
    );
    await three;
    subscription.unsubscribe();
    const expected = [data.slice(0, 1), data.slice(0, 2), data].map((d) => fed(new HingeLoss(), d).compute());
    values.forEach((v, i) => expect(Object.is(v, expected[i]), `value ${i}`).to.equal(true));
    for (let i = 0; i < 50 && (await connections(client)) !== before; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await connections(client)).to.equal(before);
  });

  it("gives each subscription its own connection and its own merged metrics", async function () {
    await publishState(client, { key: "run", worker: "w1", seq: 1 }, fed(new HingeLoss(), data));
    const watched = watchStates<AnyMetric>(client, "run");
    const [a, b] = await Promise.all([firstValueFrom(watched), firstValueFrom(watched)]);
    expect(a).to.not.equal(b);
    expect(a.toJSON()).to.deep.equal(mergeStates([fed(new HingeLoss(), data)]).toJSON());
  });

  it("errors with the MetricStateError naming the worker, or skips it with onInvalid: skip", async function () {
    await publishState(client, { key: "run", worker: "w1", seq: 1 }, fed(new HingeLoss(), data));
    await client.hSet("run", "w0", "1 {}");
    const error = await rejection(firstValueFrom(watchStates(client, "run")));
    expect(error).to.be.instanceOf(MetricStateError);
    expect(error.message).to.match(/^worker "w0": /);
    const reported: string[] = [];
    const values = await firstValueFrom(
      watchStates<HingeLoss>(client, "run", { onInvalid: "skip", onSkip: (_, w) => reported.push(w) }).pipe(
        take(1),
        toArray(),
      ),
    );
    expect(reported).to.deep.equal(["w0"]);
    expect(Object.is(values[0].compute(), fed(new HingeLoss(), data).compute())).to.equal(true);
  });

  it("refuses a bad key, client or options synchronously", function () {
    expect(() => watchStates(client, "")).to.throw(InvalidOptionsError, /key must be a non-empty string/);
    expect(() => watchStates({} as never, "run")).to.throw(
      InvalidOptionsError,
      /must be a node-redis client/,
    );
    expect(() => watchStates(client, "run", { onSkip: 1 as never })).to.throw(
      InvalidOptionsError,
      "onSkip must be a function, got 1",
    );
  });
});
