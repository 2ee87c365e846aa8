// A deterministic, index-addressable data set for the worker and process examples: any worker (or machine)
// can build its own shard [start, end) without seeing the rest. Scores span 2^-30 … 2^30 with weights from
// 2^-10 to 2^10, so a float64 `+=` total depends on how the data set is split; the exact state does not.
import { HingeLoss, MetricCollection } from "../lib/index.js";

/** A shard of the data set: binary decision values, 0/1 labels, per-sample weights. */
export interface Shard {
  preds: Float64Array;
  target: Int8Array;
  weights: Float64Array;
}

/** A uniform number in [0, 1) from (index, stream): a small integer hash, the same on every machine. */
function uniform(i: number, stream: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * Samples `[start, end)` of the example data set.
 *
 * @param start - first sample index
 * @param end - one past the last sample index
 * @returns the shard, as typed arrays (read in place by the metrics)
 * @example
 * ```ts
 * makeShard(0, 3).preds.length; // => 3
 * ```
 */
export function makeShard(start: number, end: number): Shard {
  const n = end - start;
  const shard: Shard = { preds: new Float64Array(n), target: new Int8Array(n), weights: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    const i = start + k;
    shard.preds[k] = (uniform(i, 0) - 0.5) * 2 ** Math.floor(uniform(i, 1) * 60 - 30);
    shard.target[k] = uniform(i, 2) < 0.5 ? 0 : 1;
    shard.weights[k] = uniform(i, 3) * 2 ** Math.floor(uniform(i, 4) * 20 - 10);
  }
  return shard;
}

/**
 * The metrics every worker computes: a collection of the plain and the squared weighted hinge loss.
 *
 * @returns a fresh collection
 * @example
 * ```ts
 * makeMetrics().names; // => ["hinge", "squared"]
 * ```
 */
export function makeMetrics(): MetricCollection<{ hinge: HingeLoss; squared: HingeLoss }> {
  return new MetricCollection({ hinge: new HingeLoss(), squared: new HingeLoss({ squared: true }) });
}

/**
 * The metrics of one shard, as the JSON state a worker sends back.
 *
 * @param start - first sample index
 * @param end - one past the last sample index
 * @returns the collection's JSON state
 * @example
 * ```ts
 * shardState(0, 10).kind; // => "MetricCollection"
 * ```
 */
export function shardState(start: number, end: number): ReturnType<MetricCollection["toJSON"]> {
  const { preds, target, weights } = makeShard(start, end);
  return makeMetrics().update(preds, target, weights).toJSON();
}

/**
 * Cuts `[0, n)` into `parts` contiguous, near-equal ranges.
 *
 * @param n - samples
 * @param parts - shards
 * @returns `[start, end)` pairs
 * @example
 * ```ts
 * splitRange(10, 3); // => [[0, 3], [3, 6], [6, 10]]
 * ```
 */
export function splitRange(n: number, parts: number): [number, number][] {
  return Array.from({ length: parts }, (_, k) => [
    Math.floor((k * n) / parts),
    Math.floor(((k + 1) * n) / parts),
  ]);
}

/**
 * What a naive float64 `+=` accumulator (the torchmetrics / Keras way, in float64) gives when each shard sums
 * on its own and the shard sums are added: the value depends on the split.
 *
 * @param ranges - the shards
 * @returns the naive weighted mean hinge loss
 * @example
 * ```ts
 * naiveMean(splitRange(1000, 2)) === naiveMean(splitRange(1000, 3)); // => false (usually)
 * ```
 */
export function naiveMean(ranges: [number, number][]): number {
  let measure = 0;
  let total = 0;
  for (const [start, end] of ranges) {
    const { preds, target, weights } = makeShard(start, end);
    let m = 0;
    let t = 0;
    for (let k = 0; k < preds.length; k++) {
      const y = target[k] === 1 ? 1 : -1;
      m += weights[k] * Math.max(0, 1 - y * preds[k]);
      t += weights[k];
    }
    measure += m;
    total += t;
  }
  return measure / total;
}
