import { MetricInputError } from "../errors/index.js";
import { numericView, toTensorView } from "./tensor.js";

/**
 * A tensor read by {@link readTensor}: its elements flat in row-major order (a typed array is read in place,
 * never copied), its shape and its number of elements.
 *
 * @example
 * ```ts
 * const t: Tensor = readTensor([[1, 2], [3, 4]], "preds");
 * [t.shape, t.size, t.data[3]]; // => [[2, 2], 4, 4]
 * ```
 */
export interface Tensor {
  /** The elements, row-major; every one a number (finite unless `finite: false` was asked). */
  readonly data: ArrayLike<number>;
  /** The shape: `[]` for a plain number, `[N]`, `[N, C]`, … */
  readonly shape: readonly number[];
  /** The number of elements (the product of the shape). */
  readonly size: number;
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
  /** Refuse NaN and ±Infinity (default true); with false, any number passes. */
  readonly finite?: boolean;
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

function describe(v: unknown): string {
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  if (typeof v === "number" || typeof v === "bigint") return String(v) + (typeof v === "bigint" ? "n" : "");
  if (v === null || v === undefined) return String(v);
  return Array.isArray(v) ? "an array" : `a ${typeof v}`;
}

function flattenRows(rows: ArrayLike<unknown>, width: number, name: string): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!(Array.isArray(row) || (ArrayBuffer.isView(row) && !(row instanceof DataView)))) {
      throw new MetricInputError(`${name}[${i}] must be an array like ${name}[0], got ${describe(row)}`);
    }
    const r = row as ArrayLike<unknown>;
    if (r.length !== width) {
      throw new MetricInputError(
        `${name} is ragged: ${name}[${i}] has ${r.length} elements, ${name}[0] has ${width}`,
      );
    }
    for (let j = 0; j < width; j++) {
      const v = r[j];
      if (typeof v !== "number") {
        throw new MetricInputError(`${name}[${i}][${j}] must be a number, got ${describe(v)}`);
      }
      out[i * width + j] = v;
    }
  }
  return out;
}

function read(value: unknown, name: string, finite: boolean): Tensor {
  if (typeof value === "number") {
    if (finite && value - value !== 0) {
      throw new MetricInputError(`${name} must be a finite number, got ${String(value)}`);
    }
    return { data: [value], shape: [], size: 1 };
  }
  const view = numericView(toTensorView(value, name));
  const shape = view.shape;
  const size = shape.reduce((a, b) => a * b, 1);
  let data: ArrayLike<number>;
  if (view.layout === "rows") data = flattenRows(view.data, shape[1], name);
  else if (view.typed) data = view.data as ArrayLike<number>;
  else {
    const plain = view.data;
    for (let i = 0; i < plain.length; i++) {
      if (typeof plain[i] !== "number") {
        throw new MetricInputError(`${position(name, shape, i)} must be a number, got ${describe(plain[i])}`);
      }
    }
    data = plain as ArrayLike<number>;
  }
  if (finite) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v - v !== 0) {
        throw new MetricInputError(`${position(name, shape, i)} must be a finite number, got ${String(v)}`);
      }
    }
  }
  return { data, shape, size };
}

/**
 * Reads any accepted input form (a number, plain or nested arrays, typed arrays, `{ data, shape }`, tfjs or
 * onnxruntime tensors, BigInt label arrays) into flat numbers, a shape and a size, checking every element: a
 * metric's `updateState` calls it once per argument. Typed arrays are read in place; nested arrays are
 * copied into a `Float64Array`. Anything that throws while being read (a getter, a Proxy trap) becomes a
 * `MetricInputError` naming the argument.
 *
 * @param value - the input as the user gave it
 * @param name - the argument's name, for messages (`"preds"`, `"target"`, `"value"`)
 * @param options - {@link ReadTensorOptions}
 * @returns the flat elements, shape and size
 * @throws {@link MetricInputError} naming the argument, the position and what was expected
 * @example
 * ```ts
 * readTensor(new Float32Array([0.5, 2]), "preds").size; // => 2
 * readTensor(3, "value").shape; // => []
 * ```
 */
export function readTensor(value: unknown, name: string, options?: ReadTensorOptions): Tensor {
  const finite = options?.finite !== false;
  try {
    return read(value, name, finite);
  } catch (error) {
    if (error instanceof MetricInputError) throw error;
    throw new MetricInputError(
      `${name} could not be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
