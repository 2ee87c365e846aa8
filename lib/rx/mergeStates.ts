import { Observable, type OperatorFunction } from "rxjs";
import { MetricStateError } from "../errors/index.js";
import type { HingeValue } from "../functional/index.js";
import {
  isMetric,
  mergeStates as mergeMetricStates,
  type Metric,
  type MetricStateJSON,
} from "../metrics/index.js";
import { resolveMergeStatesConfig, type MergeableMetric, type MergeStatesConfig } from "./config.js";

function defaultFromJSON(state: unknown): MergeableMetric<unknown> {
  return mergeMetricStates([state as MetricStateJSON]) as MergeableMetric<unknown>;
}

/** The error of a bad state, with its position on the stream. */
function atState(index: number, error: MetricStateError): MetricStateError {
  if (error.message.startsWith(`states[${index}]`)) return error;
  const wrapped = new MetricStateError(`states[${index}]: ${error.message}`);
  wrapped.cause = error;
  return wrapped;
}

/**
 * Merges a stream of metric states (JSON from workers or machines, or metrics) into one metric and emits
 * its value: the running merged value after every state (default) or once at completion. Merging is exact,
 * so the value is bit-identical to one metric that saw every sample in one pass, whatever the split.
 *
 * The first state fixes the metric (a metric is cloned; a JSON state is rebuilt by its `kind` as the free
 * `mergeStates` of `streammetrics` does, `"HingeLoss"` or `"MetricCollection"`, or by `config.fromJSON`);
 * each later one is merged into it with `metric.merge`, which refuses another kind, version, options, task
 * or class count. States are validated (untrusted JSON). A bad state errors the stream with a
 * `MetricStateError` whose message starts with `states[<index>]: ` (0-based; the original is its `cause`),
 * the merged state untouched and earlier values standing; with `onInvalid: "skip"` it is dropped and passed
 * to `onSkip`. No value is emitted while the merged state is empty. Each subscription has its own metric.
 *
 * @typeParam V - the value type (the hinge loss's by default)
 * @param config - {@link MergeStatesConfig}
 * @returns the operator
 * @throws {@link InvalidOptionsError} (synchronously) for a bad config
 * @example
 * ```ts
 * import { from, lastValueFrom, toArray } from "rxjs";
 * import { HingeLoss } from "streammetrics";
 * import { mergeStates } from "streammetrics/rx";
 * const a = new HingeLoss().update([-2.2], [0]).toJSON();
 * const b = new HingeLoss().update([2.4, 0.1], [1, 1]).toJSON();
 * await lastValueFrom(from([a, b]).pipe(mergeStates(), toArray())); // => [0, 0.3]
 * ```
 */
export function mergeStates<V = HingeValue>(
  config?: MergeStatesConfig<V>,
): OperatorFunction<MetricStateJSON | Metric, V> {
  const { emit, skip, onSkip, fromJSON } = resolveMergeStatesConfig(config);
  const build = fromJSON ?? defaultFromJSON;
  const running = emit === "batch";

  return (source) =>
    new Observable<V>((destination) => {
      let merged: MergeableMetric<V> | null = null;
      let index = 0;

      const value = (): V | undefined => {
        if (merged === null || merged.samples === 0) return undefined;
        try {
          return merged.compute();
        } catch (error) {
          if (error instanceof MetricStateError) return undefined;
          throw error;
        }
      };
      const fail = (error: unknown): void => destination.error(error);

      const subscription = source.subscribe({
        next: (state) => {
          if (destination.closed) return;
          const at = index++;
          try {
            if (merged === null) {
              merged = (isMetric(state) ? state.clone() : build(state)) as MergeableMetric<V>;
            } else {
              merged.merge(state as MetricStateJSON);
            }
            if (running) {
              const v = value();
              if (v !== undefined) destination.next(v);
            }
          } catch (error) {
            if (!(error instanceof MetricStateError)) return fail(error);
            const positioned = atState(at, error);
            if (!skip) return fail(positioned);
            if (onSkip !== null) {
              try {
                onSkip(positioned, state);
              } catch (thrown) {
                fail(thrown);
              }
            }
          }
        },
        error: fail,
        complete: () => {
          try {
            if (!running) {
              const v = value();
              if (v !== undefined) destination.next(v);
            }
            destination.complete();
          } catch (error) {
            fail(error);
          }
        },
      });
      return subscription;
    });
}
