import { MetricInputError } from "../../errors/index.js";
import { asInputError, assertAttached, toTensorView } from "../../input/index.js";
import { describe } from "../../options/index.js";

/**
 * An input of any rank, seen flat in row-major order with its shape. Used by the compatibility facades,
 * whose references (torch, numpy) accept tensors of any rank.
 *
 * - `dtype: "float"`: a `Float32Array` / `Float64Array` (or a tensor holding one);
 * - `dtype: "int"`: an integer typed array (`Int32Array`, `Uint8Array`, ...);
 * - `dtype: "bigint"`: a `BigInt64Array` / `BigUint64Array`;
 * - `dtype: "any"`: a plain (possibly nested) array; its elements are checked by the caller.
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
  readonly dtype: "float" | "int" | "bigint" | "any";
  /** The argument's name, for messages. */
  readonly name: string;
}

function isTypedArray(value: unknown): value is ArrayLike<unknown> & ArrayBufferView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || isTypedArray(value);
}

function dtypeOf(data: unknown): NdArray["dtype"] {
  if (data instanceof Float32Array || data instanceof Float64Array) return "float";
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return "bigint";
  if (isTypedArray(data)) return "int";
  return "any";
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
  const parts = new Array<number>(shape.length);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d];
    parts[d] = size === 0 ? 0 : rest % size;
    rest = size === 0 ? 0 : Math.floor(rest / size);
  }
  return name + parts.map((p) => `[${p}]`).join("");
}

/**
 * A scalar element of a plain array, checked as it is copied: a BigInt is refused (only a BigInt typed array
 * holds int64 values; in a plain array it is a mistake, and a label or a score is a number).
 */
function scalar(v: unknown, where: () => string): unknown {
  if (typeof v === "bigint") {
    throw new MetricInputError(
      `${where()} is a bigint (${v}n): in a plain array write it as a number (int64 values come in a BigInt64Array or a BigUint64Array)`,
    );
  }
  return v;
}

/** `array[i]`, with a throwing read (a getter, a Proxy trap) reported as a MetricInputError at `where`. */
function at(array: ArrayLike<unknown>, i: number, where: () => string): unknown {
  try {
    return array[i];
  } catch (error) {
    throw asInputError(error, where());
  }
}

function flattenNested(value: unknown[], name: string): NdArray {
  const shape: number[] = [];
  let probe: unknown = value;
  let probePath = name;
  while (isArrayLike(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) {
      // a typed array over a detached buffer reads as empty: an error, not an empty batch
      assertAttached(probe, probePath);
      break;
    }
    probePath += "[0]";
    const where = probePath;
    probe = at(probe, 0, () => where);
  }
  if (shape.length === 1) {
    // the common case: a flat array of scalars, copied once (a getter is read once, and never again)
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const where = () => `${name}[${i}]`;
      const v = at(value, i, where);
      if (isArrayLike(v)) {
        throw new MetricInputError(
          `${name}[${i}] must be a scalar like ${name}[0] (ragged nested array), got an array of length ${v.length}`,
        );
      }
      out[i] = scalar(v, where);
    }
    return { data: out, shape, dtype: "any", name };
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Array<unknown>(size);
  const index: number[] = [];
  const path = (depth: number): string =>
    name +
    index
      .slice(0, depth)
      .map((i) => `[${i}]`)
      .join("");
  let k = 0;
  const walk = (node: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (isArrayLike(node)) {
        throw new MetricInputError(
          `${path(depth)} must be a number like the other elements at depth ${depth} (ragged nested array), got an array of length ${node.length}`,
        );
      }
      out[k++] = scalar(node, () => path(depth));
      return;
    }
    if (!isArrayLike(node) || node.length !== shape[depth]) {
      const got = isArrayLike(node) ? `an array of length ${node.length}` : describe(node);
      throw new MetricInputError(
        `${path(depth)} must be an array of length ${shape[depth]} like ${name}${"[0]".repeat(depth)} (ragged nested array), got ${got}`,
      );
    }
    if (node.length === 0) assertAttached(node, path(depth));
    for (let i = 0; i < node.length; i++) {
      index[depth] = i;
      walk(
        at(node, i, () => path(depth + 1)),
        depth + 1,
      );
    }
  };
  walk(value, 0);
  return { data: out, shape, dtype: "any", name };
}

/**
 * Reads an input of any rank: plain or nested arrays (rectangular), typed arrays, `{ data, shape }`,
 * TensorFlow.js tensors (`shape` + `dataSync()`) and onnxruntime tensors (`data` + `dims`). Typed data is
 * not copied; nested arrays are flattened into a new array. Only the structure is checked here.
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
  try {
    if (Array.isArray(value)) return flattenNested(value, name);
    const view = toTensorView(value, name);
    if (view.layout === "rows") return flattenNested(Array.from(view.data), name);
    return { data: view.data, shape: view.shape, dtype: dtypeOf(view.data), name };
  } catch (error) {
    // a throwing `length` getter, a Proxy trap, `Array.from` of a hostile array: our error, naming the argument
    throw asInputError(error, name);
  }
}
