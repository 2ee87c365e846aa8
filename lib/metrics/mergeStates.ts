import { MetricStateError } from "../errors/index.js";
import { describe } from "../options/index.js";
import { isMetric, type MetricStateJSON } from "./Metric.js";
import { restoreMetric } from "./registry.js";
import { assertPlainState, type AnyMetric } from "./MetricCollection.js"; // (loading it registers MetricCollection)

function fromAnyJSON(json: unknown): AnyMetric {
  assertPlainState(json, "states[0]");
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new MetricStateError(`states[0] must be a metric or a metric's JSON state, got ${describe(json)}`);
  }
  return restoreMetric(json, "states[0]") as AnyMetric;
}

/**
 * Merges metrics and/or their JSON states into a new metric of their kind, exactly: the result is
 * bit-identical to one metric that saw every sample, whatever the order or grouping of the states. The
 * first state fixes the kind (a metric is cloned; a JSON state is decoded by its `kind`, any registered
 * metric kind: see `registerMetric`); every other state must match its kind, version, options, task and class count.
 * The arguments are unchanged.
 *
 * @typeParam M - the metric type of the result (when the first state is a metric)
 * @param states - metrics and/or JSON states (e.g. collected from workers), at least one
 * @returns a new metric holding the merge of all states
 * @throws {@link MetricStateError} for an empty list, an unknown kind, or a malformed or mismatched state
 * (the message names its index)
 * @example
 * ```ts
 * import { HingeLoss, mergeStates } from "streammetrics";
 * const a = new HingeLoss().update([-2.2], [0]).toJSON();
 * const b = new HingeLoss().update([2.4, 0.1], [1, 1]).toJSON();
 * mergeStates([a, b]).compute(); // => 0.3
 * ```
 */
export function mergeStates<M extends AnyMetric = AnyMetric>(states: Iterable<M | MetricStateJSON>): M {
  if (states === null || typeof states !== "object" || !(Symbol.iterator in states)) {
    throw new MetricStateError(
      `mergeStates takes an array of metrics or JSON states, got ${describe(states)}`,
    );
  }
  const list = Array.from(states as Iterable<unknown>);
  if (list.length === 0) {
    throw new MetricStateError("mergeStates needs at least one metric or JSON state, got an empty list");
  }
  const first = list[0];
  const merged = isMetric(first) ? (first as AnyMetric).clone() : fromAnyJSON(first);
  for (let i = 1; i < list.length; i++) {
    try {
      merged.merge(list[i] as AnyMetric | MetricStateJSON);
    } catch (error) {
      if (error instanceof MetricStateError) throw new MetricStateError(`states[${i}]: ${error.message}`);
      // Anything else thrown while reading an untrusted JSON state (e.g. by a Proxy) is still a bad state.
      if (!isMetric(list[i])) throw new MetricStateError(`states[${i}]: ${String(error)}`);
      throw error;
    }
  }
  return merged as M;
}
