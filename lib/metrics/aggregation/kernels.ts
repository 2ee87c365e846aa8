/**
 * Input reading shared by the aggregation metrics: values of any shape (NaN handled by the metric's
 * `nanStrategy`, ±Infinity refused), and weights broadcast to the values with numpy's rules.
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import { position, readTensor } from "../../input/index.js";
import type { NanStrategy } from "./options.js";

/**
 * Values read by {@link readValues}: the elements kept, in order (NaN dropped or replaced).
 *
 * @example
 * ```ts
 * const v: AggregationValues = readValues([1, NaN], "ignore");
 * v.size; // => 1
 * ```
 */
export interface AggregationValues {
  /** The kept values (finite). */
  readonly data: ArrayLike<number>;
  /** How many. */
  readonly size: number;
}

/**
 * Weighted values read by {@link readWeighted}: one finite weight ≥ 0 per kept value.
 *
 * @example
 * ```ts
 * const v: WeightedValues = readWeighted([[1, 2], [3, 4]], [1, 0], "error");
 * Array.from(v.weights); // => [1, 0, 1, 0]
 * ```
 */
export interface WeightedValues extends AggregationValues {
  /** The weights, one per kept value. */
  readonly weights: ArrayLike<number>;
}

function nanError(where: string): MetricInputError {
  return new MetricInputError(
    `${where} is NaN: pass nanStrategy "ignore" to drop NaN values, or a number to put in their place`,
  );
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Reads the values of an aggregation batch: any tensor form, NaN handled by `nanStrategy` (`"error"`: a
 * `MetricInputError` naming the position; `"ignore"`: dropped; a number: put in its place), ±Infinity
 * refused (an exact sum has no infinity; a running max of +Infinity would be a state of no use).
 *
 * @param value - the values as given
 * @param nanStrategy - the metric's `nanStrategy`
 * @returns the kept values (the input's own array when nothing was dropped or replaced)
 * @throws {@link MetricInputError} naming `value` and the position
 * @example
 * ```ts
 * Array.from(readValues([1, NaN, 3], 0).data); // => [1, 0, 3]
 * ```
 */
export function readValues(value: unknown, nanStrategy: NanStrategy): AggregationValues {
  const t = readTensor(value, "value", { finite: false });
  const src = t.data;
  let out: Float64Array | null = null;
  let n = 0;
  for (let i = 0; i < t.size; i++) {
    const v = src[i];
    if (v - v === 0) {
      if (out !== null) out[n++] = v;
      continue;
    }
    if (v === v) {
      throw new MetricInputError(`${position("value", t.shape, i)} must be finite, got ${String(v)}`);
    }
    if (nanStrategy === "error") throw nanError(position("value", t.shape, i));
    if (out === null) {
      out = new Float64Array(t.size);
      for (let j = 0; j < i; j++) out[j] = src[j];
      n = i;
    }
    if (nanStrategy !== "ignore") out[n++] = nanStrategy;
  }
  return out === null ? { data: src, size: t.size } : { data: out, size: n };
}

/**
 * For each element of a tensor of shape `to`, the flat index of the element of a tensor of shape `from`
 * that numpy broadcasting gives it (`from`'s trailing dimensions must equal `to`'s or be 1).
 *
 * @param from - the shape broadcast (the weights')
 * @param to - the target shape (the values')
 * @returns the index map, or null when the shapes are equal (the identity)
 * @throws {@link MetricInputError} when `from` does not broadcast to `to`
 * @example
 * ```ts
 * Array.from(broadcastIndex([2], [2, 2]) ?? []); // => [0, 1, 0, 1]
 * ```
 */
export function broadcastIndex(from: readonly number[], to: readonly number[]): Int32Array | null {
  const off = to.length - from.length;
  const fits = off >= 0 && from.every((d, i) => d === 1 || d === to[i + off]);
  if (!fits) {
    throw new MetricInputError(
      `weight of shape ${shapeText(from)} cannot be broadcast to value of shape ${shapeText(to)} (numpy rules: each trailing dimension of weight must equal value's or be 1)`,
    );
  }
  if (off === 0 && from.every((d, i) => d === to[i])) return null;
  // stride of each of `to`'s dimensions in `from` (0 where `from` broadcasts)
  const strides = new Array<number>(to.length).fill(0);
  let s = 1;
  for (let d = to.length - 1; d >= off; d--) {
    const size = from[d - off];
    strides[d] = size === 1 ? 0 : s;
    s *= size;
  }
  const total = to.reduce((a, b) => a * b, 1);
  const out = new Int32Array(total);
  const coord = new Array<number>(to.length).fill(0);
  let j = 0;
  for (let i = 0; i < total; i++) {
    out[i] = j;
    for (let d = to.length - 1; d >= 0; d--) {
      coord[d]++;
      j += strides[d];
      if (coord[d] < to[d]) break;
      j -= strides[d] * to[d];
      coord[d] = 0;
    }
  }
  return out;
}

/**
 * Reads the values and weights of a `MeanMetric` batch: weights broadcast to the values (numpy rules), each
 * a finite number ≥ 0. A NaN value follows `nanStrategy`; a NaN weight is an error under `"error"`, drops its
 * value under `"ignore"`, and is an error under a number (a number stands for a missing value, not for a
 * missing weight).
 *
 * @param value - the values as given
 * @param weight - the weights as given (a number, or any shape that broadcasts to the values)
 * @param nanStrategy - the metric's `nanStrategy`
 * @returns the kept values and their weights
 * @throws {@link MetricInputError} naming `value` or `weight` and the position
 * @example
 * ```ts
 * const v = readWeighted([1, NaN, 3], [2, 5, 1], 4);
 * [Array.from(v.data), Array.from(v.weights)]; // => [[1, 4, 3], [2, 5, 1]]
 * ```
 */
export function readWeighted(value: unknown, weight: unknown, nanStrategy: NanStrategy): WeightedValues {
  const v = readTensor(value, "value", { finite: false });
  const w = readTensor(weight, "weight", { finite: false });
  const index = broadcastIndex(w.shape, v.shape);
  const data = new Float64Array(v.size);
  const weights = new Float64Array(v.size);
  let n = 0;
  for (let i = 0; i < v.size; i++) {
    let x = v.data[i];
    const j = index === null ? i : index[i];
    const y = w.data[j];
    if (y !== y) {
      if (nanStrategy === "ignore") continue;
      if (nanStrategy === "error") throw nanError(position("weight", w.shape, j));
      throw new MetricInputError(
        `${position("weight", w.shape, j)} is NaN: nanStrategy ${nanStrategy} replaces NaN values, not weights (use "ignore" to drop such pairs)`,
      );
    }
    if (!(y - y === 0 && y >= 0)) {
      throw new MetricInputError(
        `${position("weight", w.shape, j)} must be a finite number ≥ 0, got ${String(y)}`,
      );
    }
    if (x !== x) {
      if (nanStrategy === "ignore") continue;
      if (nanStrategy === "error") throw nanError(position("value", v.shape, i));
      x = nanStrategy;
    } else if (x - x !== 0) {
      throw new MetricInputError(`${position("value", v.shape, i)} must be finite, got ${String(x)}`);
    }
    data[n] = x;
    weights[n] = y;
    n++;
  }
  return { data, weights, size: n };
}
