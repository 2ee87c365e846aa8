import { Observable, type OperatorFunction } from "rxjs";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { TensorLike } from "../input/index.js";
import { describe } from "../options/index.js";
import type { Batch } from "./accumulate.js";

/**
 * A metric that gives the value of one batch: every {@link Metric} (`forward` accumulates the batch too, as
 * torchmetrics' `forward`).
 *
 * @typeParam V - the value type
 * @example
 * ```ts
 * const metric: ForwardMetric<number> = new HingeLoss();
 * metric.forward([0.5], [1]); // => 0.5
 * ```
 */
export interface ForwardMetric<V> {
  /** The value of this batch alone; the batch is also accumulated. */
  forward(preds: TensorLike, target: TensorLike, weights?: TensorLike): V;
}

/**
 * Emits each batch's own value (the metric's `forward`: torchmetrics' `metric(preds, target)`), accumulating
 * every batch into one metric per subscription (`factory` is called per subscription). A batch without a
 * value (every sample ignored or weighted 0) emits nothing. A bad batch errors the stream with a
 * `MetricInputError` whose message starts with `batches[<index>]: ` (the metric's own error is its `cause`);
 * nothing of it is accumulated, and values emitted before stand.
 *
 * @typeParam V - the value type
 * @param factory - builds a fresh metric
 * @returns the operator
 * @throws TypeError (synchronously) when `factory` is not a function
 * @example
 * ```ts
 * import { from, lastValueFrom, toArray } from "rxjs";
 * import { forwardValues } from "streammetrics/rx";
 * const batches = from([{ preds: [2], target: [1] }, { preds: [0], target: [1] }]);
 * await lastValueFrom(batches.pipe(forwardValues(() => new HingeLoss()), toArray())); // => [0, 1]
 * ```
 */
export function forwardValues<V>(factory: () => ForwardMetric<V>): OperatorFunction<Batch, V> {
  if (typeof factory !== "function") {
    throw new TypeError(
      `forwardValues: factory must be a function that builds a metric, got ${describe(factory)}`,
    );
  }
  return (source) =>
    new Observable<V>((destination) => {
      const metric = factory();
      let index = 0;
      return source.subscribe({
        next: (batch) => {
          if (destination.closed) return;
          const at = index++;
          let value: V;
          try {
            if (batch === null || typeof batch !== "object") {
              throw new MetricInputError(
                `batch must be an object { preds, target, weights? }, got ${describe(batch)}`,
              );
            }
            value = metric.forward(batch.preds, batch.target, batch.weights);
          } catch (error) {
            if (error instanceof MetricStateError) return; // a batch with no value
            if (!(error instanceof MetricInputError)) return destination.error(error);
            const positioned = new MetricInputError(`batches[${at}]: ${error.message}`);
            positioned.cause = error;
            return destination.error(positioned);
          }
          destination.next(value);
        },
        error: (error: unknown) => destination.error(error),
        complete: () => destination.complete(),
      });
    });
}
