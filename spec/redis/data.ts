// Seeded batches for the Redis specs: multiclass scores over a wide range of magnitudes (so a float64 `+=`
// would depend on the split), with weights; and the metrics each spec evaluates.
import { createClient } from "redis";
import { HingeLoss, MetricCollection, type AnyMetric } from "../../lib/index.js";
import { prng } from "../support/prng.js";

export interface Batch {
  preds: number[][];
  target: number[];
  weights: number[];
}

/** `count` batches of `size` samples with `classes` classes, from `seed`. */
export function batches(seed: number, count: number, size = 16, classes = 3): Batch[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => {
    const b: Batch = { preds: [], target: [], weights: [] };
    for (let i = 0; i < size; i++) {
      b.preds.push(Array.from({ length: classes }, () => (rnd() - 0.5) * 2 ** Math.floor(rnd() * 40 - 20)));
      b.target.push(Math.floor(rnd() * classes));
      b.weights.push(rnd() * 2 ** Math.floor(rnd() * 10 - 5));
    }
    return b;
  });
}

/** The metrics the specs evaluate, by name: each a factory. */
export const factories: Record<string, () => AnyMetric> = {
  "HingeLoss crammer-singer": () => new HingeLoss(),
  "HingeLoss one-vs-all squared": () => new HingeLoss({ multiclassMode: "one-vs-all", squared: true }),
  MetricCollection: () =>
    new MetricCollection({
      cs: new HingeLoss(),
      ova: new HingeLoss({ multiclassMode: "one-vs-all" }),
    }) as unknown as AnyMetric,
};

/** A metric fed `list` in order. */
export function fed<M extends AnyMetric>(metric: M, list: readonly Batch[]): M {
  for (const b of list) metric.update(b.preds, b.target, b.weights);
  return metric;
}

/**
 * A connected node-redis client (no scripts registered), with an "error" listener as node-redis asks: socket
 * errors (a server stopped by a spec) are reported there while the client reconnects by itself.
 */
export function connectClient(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: 50 } });
  client.on("error", () => undefined);
  return client.connect();
}

/** The type of {@link connectClient}'s client. */
export type Client = Awaited<ReturnType<typeof connectClient>>;

/**
 * Adds hooks that connect a client to the suite's server, empty the server before each spec, and close the
 * client after the suite; returns a getter for the client.
 */
export function useClient(server: () => { url: string }): () => Client {
  let client: Client | null = null;
  before(async function () {
    client = await connectClient(server().url);
  });
  beforeEach(async function () {
    await client!.flushAll();
  });
  after(async function () {
    await client?.close();
  });
  return () => client!;
}
