import { position, readTensor, type TensorDtype } from "../../input/index.js";

/**
 * An input of any rank, seen flat in row-major order with its shape. Used by the compatibility facades,
 * whose references (torch, numpy) accept tensors of any rank.
 *
 * - `dtype: "float"`: a `Float32Array` / `Float64Array` (or a tensor holding one);
 * - `dtype: "int"`: an integer typed array (`Int32Array`, `Uint8Array`, ...);
 * - `dtype: "bigint"`: a `BigInt64Array` / `BigUint64Array` (its elements stay BigInts);
 * - `dtype: "plain"`: a plain (possibly nested) array; its elements are checked by the caller.
 *
 * @example
 * ```ts
 * const view: NdArray = readNdArray([[[1, 2]], [[3, 4]]], "preds");
 * view.shape; // => [2, 1, 2]
 * ```
 */
export interface NdArray {
  /** The elements, row-major (a typed array is read in place, plain and nested arrays are copied flat). */
  readonly data: ArrayLike<unknown>;
  /** The shape; `[n]` for a flat array. */
  readonly shape: readonly number[];
  /** What kind of storage the elements came in. */
  readonly dtype: TensorDtype;
  /** The argument's name, for messages. */
  readonly name: string;
}

/**
 * Formats a shape as `[2, 3]`.
 *
 * @param shape - a shape
 * @returns the text
 * @example
 * ```ts
 * shapeText([2, 3]); // => "[2, 3]"
 * ```
 */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * The position of a flat (row-major) index in an array of the given shape, as it is written in code:
 * `name[i][j]...`.
 *
 * @param name - the argument's name
 * @param flat - the flat index
 * @param shape - the array's shape
 * @returns e.g. `preds[1][0][2]`
 * @example
 * ```ts
 * positionText("preds", 5, [2, 3]); // => "preds[1][2]"
 * ```
 */
export function positionText(name: string, flat: number, shape: readonly number[]): string {
  return shape.length === 0 ? name : position(name, shape, flat);
}

/**
 * Reads an input of any rank: plain or nested arrays (rectangular), typed arrays, `{ data, shape }`,
 * TensorFlow.js tensors (`shape` + `dataSync()`) and onnxruntime tensors (`data` + `dims`): {@link readTensor}
 * with `elements: "any"` (a plain number is refused). Typed data is not copied; plain arrays are copied into
 * a new array. Only the structure is checked here (and BigInts in plain arrays refused).
 *
 * @param value - the input as given
 * @param name - the argument's name, for messages
 * @returns the flat view and its shape
 * @throws {@link MetricInputError} for a ragged nested array, an input that is not array-like, a BigInt inside a
 * plain array, a typed array over a detached buffer, or an element whose read throws (a getter, a Proxy trap)
 * @example
 * ```ts
 * readNdArray({ data: new Float32Array(6), shape: [1, 3, 2] }, "preds").dtype; // => "float"
 * ```
 */
export function readNdArray(value: unknown, name: string): NdArray {
  const t = readTensor(value, name, { elements: "any", scalar: false });
  return { data: t.data, shape: t.shape, dtype: t.dtype, name };
}
