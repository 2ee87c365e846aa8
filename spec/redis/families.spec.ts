// Every family through Redis: workers publish the cumulative states of metrics from each family (aggregation,
// regression, classification, a tracker, a collection of them), the collector restores them by kind through
// the registry and merges them, bit-identical to one metric that saw every batch.
import { expect } from "chai";
import {
  HingeLoss,
  MeanMetric,
  MeanSquaredError,
  MetricCollection,
  MetricTracker,
  MulticlassAccuracy,
  MulticlassConfusionMatrix,
  MulticlassF1Score,
  R2Score,
  type AnyMetric,
} from "../../lib/index.js";
import { collectStates, publishState } from "../../lib/redis/index.js";
import { prng } from "../support/prng.js";
import { redisSuite } from "../support/redisServer.js";
import { useClient, type Client } from "./data.js";

interface Batch {
  scores: number[][];
  labels: number[];
  x: number[];
  y: number[];
}

function batches(seed: number, count: number, size = 12): Batch[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => {
    const b: Batch = { scores: [], labels: [], x: [], y: [] };
    for (let i = 0; i < size; i++) {
      b.scores.push([rnd(), rnd(), rnd()]);
      b.labels.push(Math.floor(rnd() * 3));
      const y = (rnd() - 0.5) * 2 ** Math.floor(rnd() * 30 - 15);
      b.y.push(y);
      b.x.push(y + (rnd() - 0.5) * 0.1);
    }
    return b;
  });
}

/** Each case: a factory and how one batch is fed to it. */
const cases: Record<string, [() => AnyMetric, (m: AnyMetric, b: Batch) => void]> = {
  MeanMetric: [() => new MeanMetric() as AnyMetric, (m, b) => m.update(b.y, b.x.map(Math.abs))],
  MeanSquaredError: [() => new MeanSquaredError() as AnyMetric, (m, b) => m.update(b.x, b.y)],
  R2Score: [() => new R2Score() as AnyMetric, (m, b) => m.update(b.x, b.y)],
  MulticlassAccuracy: [
    () => new MulticlassAccuracy({ numClasses: 3 }) as AnyMetric,
    (m, b) => m.update(b.scores, b.labels),
  ],
  MulticlassConfusionMatrix: [
    () => new MulticlassConfusionMatrix({ numClasses: 3, normalize: "true" }) as AnyMetric,
    (m, b) => m.update(b.scores, b.labels),
  ],
  "MetricCollection of loss, accuracy and F1": [
    () =>
      new MetricCollection({
        loss: new HingeLoss(),
        accuracy: new MulticlassAccuracy({ numClasses: 3 }),
        f1: new MulticlassF1Score({ numClasses: 3 }),
      }) as unknown as AnyMetric,
    (m, b) => m.update(b.scores, b.labels),
  ],
  "MetricTracker of MeanSquaredError": [
    () => new MetricTracker(new MeanSquaredError()).increment() as unknown as AnyMetric,
    (m, b) => m.update(b.x, b.y),
  ],
};

describe("redis: every family, restored by kind and merged exactly", function () {
  const server = redisSuite();
  const use = useClient(server);
  let client: Client;
  const data = batches(29, 9);
  beforeEach(function () {
    client = use();
  });

  for (const [name, [factory, feed]] of Object.entries(cases)) {
    it(`${name}: three workers merged = one pass, bit for bit`, async function () {
      const shards = [data.slice(0, 4), data.slice(4, 5), data.slice(5)];
      await Promise.all(
        shards.map(async (shard, w) => {
          const metric = factory();
          for (let i = 0; i < shard.length; i++) {
            feed(metric, shard[i]);
            await publishState(client, { key: "fam", worker: `w${w}`, seq: i + 1 }, metric);
          }
        }),
      );
      const merged = await collectStates(client, "fam");
      const single = factory();
      for (const b of data) feed(single, b);
      expect(merged.kind).to.equal(single.kind);
      expect(merged.toJSON()).to.deep.equal(single.toJSON());
      expect(JSON.stringify(merged.compute())).to.equal(JSON.stringify(single.compute()));
    });
  }
});
