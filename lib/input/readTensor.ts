import { MetricInputError } from "../errors/index.js";
import { bigintInPlainArray, describeValue, readNested, safeBigint, type Elements } from "./nested.js";
import { asInputError, toTensorView } from "./tensor.js";

/**
 * The storage a tensor's elements came in: `"float"` (a `Float32Array` / `Float64Array`, or a tensor holding
 * one), `"int"` (an integer typed array: `Int32Array`, `Uint8Array`, …), `"bigint"` (a `BigInt64Array` /
 * `BigUint64Array`), `"plain"` (a number, or plain arrays, nested or not). torchmetrics and scikit-learn
 * decide some rules by it (integer preds are labels; a BigInt tensor holds no scores).
 *
 * @example
 * ```ts
 * const kinds: TensorDtype[] = [new Int32Array(1), [[0.5]], 2].map((x) => readTensor(x, "x").dtype);
 * kinds; // => ["int", "plain", "plain"]
 * ```
 */
export type TensorDtype = "float" | "int" | "bigint" | "plain";

/**
 * A tensor read by {@link readTensor}: its elements flat in row-major order (a typed array is read in place,
 * never copied), its shape, its number of elements and the storage they came in.
 *
 * @typeParam T - the elements: numbers, or `unknown` when read with `elements: "any"`
 * @example
 * ```ts
 * const t: Tensor = readTensor([[1, 2], [3, 4]], "preds");
 * [t.shape, t.size, t.data[3]]; // => [[2, 2], 4, 4]
 * ```
 */
export interface Tensor<T = number> {
  /**
   * The elements, row-major; every one a number (finite unless `finite: false` was asked), or, read with
   * `elements: "any"`, whatever the input held.
   */
  readonly data: ArrayLike<T>;
  /** The shape: `[]` for a plain number, `[N]`, `[N, C]`, … */
  readonly shape: readonly number[];
  /** The number of elements (the product of the shape). */
  readonly size: number;
  /** The storage the elements came in (see {@link TensorDtype}). */
  readonly dtype: TensorDtype;
}

/**
 * Options of {@link readTensor}.
 *
 * @example
 * ```ts
 * const options: ReadTensorOptions = { finite: false };
 * readTensor([NaN], "value", options).size; // => 1
 * ```
 */
export interface ReadTensorOptions {
  /** Refuse NaN and ±Infinity (default true); with false, any number passes. Numbers only. */
  readonly finite?: boolean;
  /** Accept a plain number as a rank-0 tensor (default true); with false, a number is refused. */
  readonly scalar?: boolean;
  /**
   * What the elements may be: `"number"` (default); or `"any"`, for readers that check the elements
   * themselves (scikit-learn's string labels): the structure is checked, the elements are copied as they are
   * (BigInts of a BigInt typed array stay BigInts; a BigInt in a plain array is still refused).
   */
  readonly elements?: "number" | "any";
}

/**
 * The position of flat element `i` of a tensor of `shape`, as `name[r][c]`.
 *
 * @param name - the argument's name
 * @param shape - the tensor's shape
 * @param i - a flat (row-major) index
 * @returns e.g. `"preds[1][0]"`
 * @example
 * ```ts
 * position("preds", [2, 3], 4); // => "preds[1][1]"
 * ```
 */
export function position(name: string, shape: readonly number[], i: number): string {
  if (shape.length <= 1) return `${name}[${i}]`;
  const idx: number[] = [];
  let rest = i;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] || 1;
    idx.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return name + idx.map((k) => `[${k}]`).join("");
}

function dtypeOf(data: unknown): TensorDtype {
  if (!ArrayBuffer.isView(data)) return "plain";
  if (data instanceof Float64Array || data instanceof Float32Array) return "float";
  return data instanceof BigInt64Array || data instanceof BigUint64Array ? "bigint" : "int";
}

/** The elements of a flat view (`{ data, shape }`, a typed array, a tensor): typed ones in place. */
function flat(
  data: ArrayLike<unknown>,
  shape: readonly number[],
  name: string,
  dtype: TensorDtype,
  elements: Elements,
): ArrayLike<unknown> {
  if (dtype === "float" || dtype === "int" || (dtype === "bigint" && elements === "any")) return data;
  const n = data.length;
  const out = elements === "number" ? new Float64Array(n) : new Array<unknown>(n);
  let i = 0;
  try {
    for (; i < n; i++) {
      const v = data[i];
      if (dtype === "bigint") out[i] = safeBigint(v as bigint, () => position(name, shape, i));
      else if (typeof v === "number" || (elements === "any" && typeof v !== "bigint")) out[i] = v;
      else if (typeof v === "bigint") throw bigintInPlainArray(position(name, shape, i), v);
      else
        throw new MetricInputError(`${position(name, shape, i)} must be a number, got ${describeValue(v)}`);
    }
  } catch (error) {
    throw asInputError(error, position(name, shape, i));
  }
  return out;
}

function read(value: unknown, name: string, options: ReadTensorOptions | undefined): Tensor<unknown> {
  const elements = options?.elements ?? "number";
  if (typeof value === "number") {
    if (options?.scalar === false) {
      throw new MetricInputError(
        `${name} must be an array or a tensor, got the number ${describeValue(value)}`,
      );
    }
    if (options?.finite !== false && elements === "number" && value - value !== 0) {
      throw new MetricInputError(`${name} must be a finite number, got ${String(value)}`);
    }
    return { data: [value], shape: [], size: 1, dtype: "plain" };
  }
  let data: ArrayLike<unknown>;
  let shape: readonly number[];
  let dtype: TensorDtype;
  if (Array.isArray(value)) {
    ({ data, shape } = readNested(value, name, elements));
    dtype = "plain";
  } else {
    // not a plain array: a typed array, `{ data, shape }` or a tensor, whose data is flat
    const view = toTensorView(value, name);
    shape = view.shape;
    dtype = dtypeOf(view.data);
    data = flat(view.data, shape, name, dtype, elements);
  }
  if (options?.finite !== false && elements === "number") {
    const numbers = data as ArrayLike<number>;
    for (let i = 0; i < numbers.length; i++) {
      const v = numbers[i];
      if (v - v !== 0) {
        throw new MetricInputError(`${position(name, shape, i)} must be a finite number, got ${String(v)}`);
      }
    }
  }
  return { data, shape, size: data.length, dtype };
}

/**
 * Reads any accepted input form (a number, plain or nested arrays of any rank, typed arrays, arrays of typed
 * rows, `{ data, shape }`, tfjs or onnxruntime tensors, BigInt label arrays) into flat elements, a shape, a
 * size and the storage they came in, checking every element: a metric's `updateState` calls it once per
 * argument, and the facades' readers are built on it. Typed arrays are read in place; plain arrays, nested or
 * not, are copied into a `Float64Array` (each element read once); BigInt typed arrays are converted (safe
 * integers only). Nested arrays must be rectangular: a ragged level is an error naming its position and the
 * length expected. Anything that throws while being read (a getter, a Proxy trap) becomes a
 * `MetricInputError` naming the argument, and the position where it is known.
 *
 * @param value - the input as the user gave it
 * @param name - the argument's name, for messages (`"preds"`, `"target"`, `"value"`)
 * @param options - {@link ReadTensorOptions}
 * @returns the flat elements, shape, size and storage
 * @throws {@link MetricInputError} naming the argument, the position and what was expected
 * @example
 * ```ts
 * readTensor(new Float32Array([0.5, 2]), "preds").size; // => 2
 * readTensor(3, "value").shape; // => []
 * readTensor([[[1], [2]], [[3], [4]]], "preds").shape; // => [2, 2, 1]
 * readTensor([[1, 2, 3], [4, 5]], "preds");
 * // throws MetricInputError: preds[1] must be an array of length 3 like preds[0] (ragged nested array), got an array of length 2
 * readTensor(["b", "a"], "yTrue", { elements: "any" }).data; // => ["b", "a"]
 * ```
 */
export function readTensor(
  value: unknown,
  name: string,
  options: ReadTensorOptions & { readonly elements: "any" },
): Tensor<unknown>;
export function readTensor(
  value: unknown,
  name: string,
  options?: ReadTensorOptions & { readonly elements?: "number" },
): Tensor;
export function readTensor(value: unknown, name: string, options?: ReadTensorOptions): Tensor<unknown>;
export function readTensor(value: unknown, name: string, options?: ReadTensorOptions): Tensor<unknown> {
  try {
    return read(value, name, options);
  } catch (error) {
    throw asInputError(error, name);
  }
}
