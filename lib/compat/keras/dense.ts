/**
 * Dense tensors for the Keras and tf.compat.v1 facades: any-rank inputs read into a `Float64Array` with its
 * shape, NumPy-style broadcasting, the Keras rank alignment (`squeeze_or_expand_to_same_rank`) and exact
 * reductions. The facades need whole-tensor views (the Keras label rule scans all of `y_true`, weights
 * broadcast across axes), so unlike the core kernels they copy their inputs once, into float64.
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import { asInputError, position, readTensor, type TensorLike } from "../../input/index.js";
import { ExactSums, roundQuotient } from "../../state/index.js";

/**
 * A dense row-major tensor in float64.
 *
 * @example
 * ```ts
 * const d: Dense = { data: new Float64Array([1, 2, 3, 4]), shape: [2, 2], name: "yPred" };
 * ```
 */
export interface Dense {
  /** Elements, row-major. */
  readonly data: Float64Array;
  /** Shape (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** The argument's name, for messages. */
  readonly name: string;
}

/**
 * A nested-array value: a number (rank 0), `number[]`, `number[][]`, ...
 *
 * @example
 * ```ts
 * const v: Nested = [[1.1], [1.5]];
 * ```
 */
export type Nested = number | Nested[];

/**
 * What the Keras and tf facades accept: any {@link TensorLike}, or nested arrays of any depth.
 *
 * @example
 * ```ts
 * const x: DenseLike = [[[1.2], [0.4]]];
 * ```
 */
export type DenseLike = TensorLike | Nested;

/** Product of the dimensions. */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** `[2, 3]` → `"[2, 3]"`. */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The position of flat index `i` in a tensor of this shape, as `name[a][b]`.
 *
 * @param name - the argument's name
 * @param shape - its shape
 * @param i - a flat (row-major) index
 * @returns e.g. `"yPred[1][0]"`
 * @example
 * ```ts
 * positionOf("yPred", [2, 3], 4); // => "yPred[1][1]"
 * ```
 */
export function positionOf(name: string, shape: readonly number[], i: number): string {
  return shape.length === 0 ? name : position(name, shape, i);
}

/**
 * Reads any accepted input into a dense float64 tensor: {@link readTensor} (a number is rank 0, only when
 * `allowScalar`; nested arrays of any depth, rectangular; typed arrays, `{ data, shape }`, TensorFlow.js and
 * onnxruntime tensors), copied into a `Float64Array` of its own. Every element must be a finite number.
 *
 * @param value - the input as given
 * @param name - the argument's name, for messages
 * @param allowScalar - accept a plain number as a rank-0 tensor
 * @returns the dense copy
 * @throws {@link MetricInputError} naming the first bad position
 * @example
 * ```ts
 * readDense([[0, 1], [0, 0]], "yTrue").shape; // => [2, 2]
 * ```
 */
export function readDense(value: unknown, name: string, allowScalar = false): Dense {
  const t = readTensor(value, name, { scalar: allowScalar });
  const src = t.data;
  // isView reads nothing (no Proxy trap runs): nested arrays arrive as a new Float64Array, ours to keep;
  // typed arrays, read in place, are copied
  if (ArrayBuffer.isView(src)) {
    return {
      data: t.dtype === "plain" ? (src as Float64Array) : Float64Array.from(src),
      shape: t.shape,
      name,
    };
  }
  // a flat plain array, checked in place by readTensor and read a second time here: a getter or a Proxy
  // that answers differently now is still caught
  const data = new Float64Array(t.size);
  let i = 0;
  try {
    for (; i < t.size; i++) {
      const v = src[i];
      if (typeof v !== "number" || v - v !== 0) {
        throw new MetricInputError(`${positionOf(name, t.shape, i)} changed while it was read`);
      }
      data[i] = v;
    }
  } catch (error) {
    throw asInputError(error, positionOf(name, t.shape, i));
  }
  return { data, shape: t.shape, name };
}

/**
 * Checks that every element is ≥ 0 (weights).
 *
 * @param d - a dense tensor
 * @throws {@link MetricInputError} naming the first negative element
 * @example
 * ```ts
 * assertNonNegative(readDense([1, 0], "sampleWeight")); // passes
 * ```
 */
export function assertNonNegative(d: Dense): void {
  for (let i = 0; i < d.data.length; i++) {
    if (d.data[i] < 0) {
      throw new MetricInputError(
        `${positionOf(d.name, d.shape, i)} must be a finite number ≥ 0, got ${d.data[i]}`,
      );
    }
  }
}

/**
 * Keras `squeeze_or_expand_to_same_rank(x1, x2)`: when the ranks differ by exactly 1 and the longer one
 * ends in a size-1 axis, that axis is squeezed (or the shorter one, if it is rank 1, gets one appended).
 *
 * @param x1 - first tensor
 * @param x2 - second tensor
 * @returns the two tensors with aligned ranks where Keras aligns them (data shared, shapes adjusted)
 * @example
 * ```ts
 * squeezeOrExpand(readDense([1, 0], "a"), readDense([[1], [0]], "b"))[0].shape; // => [2, 1]
 * ```
 */
export function squeezeOrExpand(x1: Dense, x2: Dense): [Dense, Dense] {
  const r1 = x1.shape.length;
  const r2 = x2.shape.length;
  if (r1 === r2) return [x1, x2];
  if (r1 === r2 + 1 && x1.shape[r1 - 1] === 1) {
    if (r2 === 1) return [x1, { ...x2, shape: [...x2.shape, 1] }];
    return [{ ...x1, shape: x1.shape.slice(0, -1) }, x2];
  }
  if (r2 === r1 + 1 && x2.shape[r2 - 1] === 1) {
    if (r1 === 1) return [{ ...x1, shape: [...x1.shape, 1] }, x2];
    return [x1, { ...x2, shape: x2.shape.slice(0, -1) }];
  }
  return [x1, x2];
}

/**
 * The NumPy broadcast of two shapes, or `null` when they do not broadcast.
 *
 * @param a - a shape
 * @param b - another shape
 * @returns the broadcast shape
 * @example
 * ```ts
 * broadcastShape([2, 1], [3]); // => [2, 3]
 * ```
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let k = 0; k < rank; k++) {
    const da = a[a.length - rank + k] ?? 1;
    const db = b[b.length - rank + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out[k] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The elements of `x` broadcast (NumPy rules) to `shape`, as a new array.
 *
 * @param x - a tensor whose shape broadcasts to `shape`
 * @param shape - the target shape
 * @returns `numel(shape)` elements, row-major
 * @example
 * ```ts
 * broadcastTo(readDense([[1], [2]], "w"), [2, 2]); // => Float64Array [1, 1, 2, 2]
 * ```
 */
export function broadcastTo(x: Dense, shape: readonly number[]): Float64Array {
  const n = numel(shape);
  const out = new Float64Array(n);
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let k = x.shape.length - 1; k >= 0; k--) {
    const kk = rank - x.shape.length + k;
    strides[kk] = x.shape[k] === 1 ? 0 : s;
    s *= x.shape[k];
  }
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let i = 0; i < n; i++) {
    out[i] = x.data[src];
    for (let k = rank - 1; k >= 0; k--) {
      idx[k]++;
      src += strides[k];
      if (idx[k] < shape[k]) break;
      src -= strides[k] * idx[k];
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Elementwise product with NumPy broadcasting.
 *
 * @param a - first factor
 * @param b - second factor
 * @param what - how to describe a failure
 * @returns the product, named after `a`
 * @throws {@link MetricInputError} when the shapes do not broadcast
 * @example
 * ```ts
 * multiplyBroadcast(readDense([1.1, 1.5], "v"), readDense(2, "w", true), "x").data; // => Float64Array [2.2, 3]
 * ```
 */
export function multiplyBroadcast(a: Dense, b: Dense, what: string): Dense {
  const shape = broadcastShape(a.shape, b.shape);
  if (shape === null) {
    throw new MetricInputError(
      `${b.name} of shape ${shapeText(b.shape)} does not broadcast with ${what} of shape ${shapeText(a.shape)}`,
    );
  }
  const x = broadcastTo(a, shape);
  const y = broadcastTo(b, shape);
  for (let i = 0; i < x.length; i++) x[i] *= y[i];
  return { data: x, shape, name: a.name };
}

/**
 * Mean over all axes from `axis` on (Keras `ops.mean(x, axis=range(axis, rank))`).
 *
 * @param x - a tensor
 * @param axis - first axis to reduce
 * @param mean - the mean of `n` values from their sum (default `s / n`; a dtype rounds it)
 * @returns the reduced tensor of shape `x.shape.slice(0, axis)`
 * @example
 * ```ts
 * meanTrailing(readDense([[1, 2], [3, 5]], "v"), 1).data; // => Float64Array [1.5, 4]
 * ```
 */
export function meanTrailing(
  x: Dense,
  axis: number,
  mean: (s: number, n: number) => number = (s, n) => s / n,
): Dense {
  if (axis >= x.shape.length) return x;
  const shape = x.shape.slice(0, axis);
  const group = numel(x.shape.slice(axis));
  const n = numel(shape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < group; j++) s += x.data[i * group + j];
    out[i] = group === 0 ? NaN : mean(s, group);
  }
  return { data: out, shape, name: x.name };
}

/**
 * The exact sum of the elements (scaled by 2^1074, see `ExactSums`).
 *
 * @param data - finite values
 * @returns the exact scaled sum
 * @example
 * ```ts
 * exactSum(new Float64Array([0.1, 0.2])) === exactSum(new Float64Array([0.2, 0.1])); // => true
 * ```
 */
export function exactSum(data: ArrayLike<number>): bigint {
  const sums = new ExactSums(1);
  for (let i = 0; i < data.length; i++) sums.add(0, data[i]);
  return sums.scaled(0);
}

/**
 * `a / b` for exact scaled sums, correctly rounded, and 0 when `b` is 0 (`divide_no_nan`).
 *
 * @param a - numerator, scaled by 2^1074
 * @param b - denominator, scaled by 2^1074 (≥ 0)
 * @returns the quotient
 * @example
 * ```ts
 * divideNoNan(exactSum([2.6]), countScaled(2)); // => 1.3
 * ```
 */
export function divideNoNan(a: bigint, b: bigint): number {
  return b === 0n ? 0 : roundQuotient(a, b);
}

/**
 * An integer count as an exact scaled sum.
 *
 * @param n - a non-negative integer
 * @returns `n * 2^1074`
 * @example
 * ```ts
 * divideNoNan(countScaled(1), countScaled(4)); // => 0.25
 * ```
 */
export function countScaled(n: number): bigint {
  return BigInt(n) << 1074n;
}

/**
 * Builds nested arrays of a shape from row-major data (a number for rank 0).
 *
 * @param data - row-major elements
 * @param shape - the shape
 * @param round - applied to each element
 * @returns the nested value
 * @example
 * ```ts
 * toNested(new Float64Array([1, 2, 3, 4]), [2, 2]); // => [[1, 2], [3, 4]]
 * ```
 */
export function toNested(
  data: ArrayLike<number>,
  shape: readonly number[],
  round: (x: number) => number = (x) => x,
): Nested {
  if (shape.length === 0) return round(data[0]);
  const build = (depth: number, offset: number): Nested[] => {
    const n = shape[depth];
    const stride = numel(shape.slice(depth + 1));
    const out = new Array<Nested>(n);
    for (let i = 0; i < n; i++) {
      out[i] = depth + 1 === shape.length ? round(data[offset + i]) : build(depth + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}
