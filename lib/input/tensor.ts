import { MetricInputError } from "../errors/index.js";

/**
 * Any typed array that holds numbers (not BigInts).
 *
 * @example
 * ```ts
 * const scores: NumericTypedArray = new Float32Array([0.5, -1.25]);
 * ```
 */
export type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/**
 * Every input form a metric accepts for `preds`, `target` and `weights`:
 * plain and nested arrays, typed arrays (read in place), `{ data, shape }`, TensorFlow.js tensors
 * (`shape` + `dataSync()`) and onnxruntime tensors (`data` + `dims`), duck-typed.
 *
 * @example
 * ```ts
 * const a: TensorLike = [[0.1, 0.9], [0.8, 0.2]];
 * const b: TensorLike = { data: new Float32Array([0.1, 0.9, 0.8, 0.2]), shape: [2, 2] };
 * ```
 */
export type TensorLike =
  | ArrayLike<number>
  | readonly (readonly number[] | NumericTypedArray)[]
  | NumericTypedArray
  | BigInt64Array
  | BigUint64Array
  | { readonly data: ArrayLike<number | bigint>; readonly shape: readonly number[] }
  | { readonly shape: readonly number[]; dataSync(): ArrayLike<number | bigint> }
  | { readonly data: ArrayLike<number | bigint>; readonly dims: readonly (number | bigint)[] };

/**
 * A normalised input: the data as given (never copied, except a tfjs `dataSync()` result, which tfjs itself
 * copies), its shape, and how it is laid out.
 *
 * - `layout: "flat"`: `data` is a typed array or a plain array of numbers, row-major for rank 2;
 * - `layout: "rows"`: `data` is an array of rows (`number[][]` or an array of typed arrays); each row's
 *   length and contents are checked by the kernels in the same pass that computes.
 *
 * @example
 * ```ts
 * toTensorView([[1, 2], [3, 4]], "preds");
 * // => { data: [[1, 2], [3, 4]], shape: [2, 2], layout: "rows", typed: false, name: "preds" }
 * ```
 */
export interface TensorView {
  /** The elements: flat (typed or plain) or rows. */
  readonly data: ArrayLike<unknown>;
  /** Shape, `[N]` or `[N, C]` (or higher rank, which metrics reject or flatten). */
  readonly shape: readonly number[];
  /** Flat or array of rows. */
  readonly layout: "flat" | "rows";
  /** True when `data` is a typed array of numbers (every element is then a number). */
  readonly typed: boolean;
  /** The argument's name, for messages. */
  readonly name: string;
}

function isTypedArray(value: unknown): value is NumericTypedArray | BigInt64Array | BigUint64Array {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/**
 * Throws when `value` is a typed array or a `DataView` over a detached `ArrayBuffer` (one transferred with
 * `structuredClone(buffer, { transfer: [buffer] })`, `buffer.transfer()` or `postMessage`): such a view reads
 * as empty, and a batch that silently counts nothing would be a wrong result. Cheap: a view with elements
 * cannot be detached, so only an empty one is examined.
 *
 * @param value - any value (only typed arrays and `DataView`s are examined)
 * @param name - the argument's name, for the message
 * @throws {@link MetricInputError} when the view's buffer is detached
 * @example
 * ```ts
 * const buffer = new ArrayBuffer(8);
 * const scores = new Float64Array(buffer);
 * structuredClone(buffer, { transfer: [buffer] });
 * assertAttached(scores, "preds");
 * // throws MetricInputError: preds is a Float64Array over a detached ArrayBuffer (it was transferred)
 * ```
 */
export function assertAttached(value: unknown, name: string): void {
  if (!ArrayBuffer.isView(value)) return;
  const buffer = value.buffer as ArrayBuffer & { readonly detached?: boolean };
  if (buffer.byteLength !== 0) return;
  let detached: boolean;
  if (typeof buffer.detached === "boolean") detached = buffer.detached;
  else {
    try {
      // Node 20 has no `detached` getter; constructing a view over a detached buffer throws a TypeError
      new Uint8Array(buffer, 0, 0);
      detached = false;
    } catch {
      detached = true;
    }
  }
  if (detached) {
    throw new MetricInputError(
      `${name} is a ${value.constructor.name} over a detached ArrayBuffer (it was transferred): its elements can no longer be read`,
    );
  }
}

/**
 * {@link assertAttached} on `preds` and then `target` (the typed fast path of the kernels, which builds no
 * view).
 *
 * @param preds - the preds argument
 * @param target - the target argument
 * @throws {@link MetricInputError} when either is a view over a detached buffer
 * @example
 * ```ts
 * assertAttachedPair(new Float32Array(0), new Int32Array(0)); // passes: empty, not detached
 * ```
 */
export function assertAttachedPair(preds: unknown, target: unknown): void {
  assertAttached(preds, "preds");
  assertAttached(target, "target");
}

function isBigIntArray(value: unknown): value is BigInt64Array | BigUint64Array {
  // isView first: it reads no property and calls no Proxy trap (instanceof calls getPrototypeOf)
  return ArrayBuffer.isView(value) && (value instanceof BigInt64Array || value instanceof BigUint64Array);
}

function describeKind(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return (value as object).constructor?.name ?? "an object";
  return `a ${typeof value} (${String(value)})`;
}

function checkShape(shape: unknown, name: string, key: string): number[] {
  if (!Array.isArray(shape) && !ArrayBuffer.isView(shape)) {
    throw new MetricInputError(
      `${name}.${key} must be an array of non-negative integers, got ${describeKind(shape)}`,
    );
  }
  const dims = Array.from(shape as ArrayLike<unknown>, (d) => (typeof d === "bigint" ? Number(d) : d));
  dims.forEach((d, i) => {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new MetricInputError(`${name}.${key}[${i}] must be a non-negative integer, got ${String(d)}`);
    }
  });
  return dims as number[];
}

function fromFlat(data: unknown, shape: number[], name: string, key: string): TensorView {
  if (!isTypedArray(data) && !Array.isArray(data)) {
    throw new MetricInputError(`${name}.data must be an array or a typed array, got ${describeKind(data)}`);
  }
  const length = (data as ArrayLike<unknown>).length;
  if (length === 0) assertAttached(data, `${name}.data`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== length) {
    throw new MetricInputError(
      `${name}.${key} [${shape.join(", ")}] holds ${size} elements but ${name}.data has ${length}`,
    );
  }
  if (Array.isArray(data) && data.length > 0 && typeof data[0] === "object" && data[0] !== null) {
    throw new MetricInputError(
      `${name}.data must be flat (row-major) when a shape is given, got nested arrays`,
    );
  }
  return { data: data as ArrayLike<unknown>, shape, layout: "flat", typed: isTypedArray(data), name };
}

/** Rows after an empty first row must be empty too (else the array is ragged). */
function assertAllRowsEmpty(rows: readonly unknown[], name: string): void {
  for (let i = 1; i < rows.length; i++) {
    const row: unknown = rows[i];
    if (isTypedArray(row)) assertAttached(row, `${name}[${i}]`);
    if (!(Array.isArray(row) || isTypedArray(row)) || row.length !== 0) {
      const got = Array.isArray(row) || isTypedArray(row) ? `length ${row.length}` : describeKind(row);
      throw new MetricInputError(
        `${name}[${i}] must be an empty row like ${name}[0] (ragged nested array), got ${got}`,
      );
    }
  }
}

/**
 * Normalises any {@link TensorLike} into a {@link TensorView} without copying its elements. Only the
 * structure is checked here (shape, nesting depth); the elements are checked by the kernels, in the same pass
 * that computes.
 *
 * @param value - the input as given
 * @param name - the argument's name, for messages (`"preds"`, `"target"`, `"weights"`)
 * @returns the view
 * @throws {@link MetricInputError} when the value is not an accepted input form
 * @example
 * ```ts
 * toTensorView(new Float32Array([0.5, -1]), "preds").shape; // => [2]
 * toTensorView({ data: [1, 2, 3, 4, 5, 6], shape: [3, 2] }, "preds").shape; // => [3, 2]
 * ```
 */
export function toTensorView(value: unknown, name: string): TensorView {
  try {
    return readView(value, name);
  } catch (error) {
    throw asInputError(error, name);
  }
}

/**
 * An error raised while reading an argument, as a {@link MetricInputError} naming it: our own errors pass
 * through; anything else (a throwing getter, a Proxy trap, a `dataSync()` that throws) is wrapped, its message
 * kept.
 *
 * @param error - what reading the argument threw
 * @param name - the argument's name
 * @returns the error to throw
 * @example
 * ```ts
 * asInputError(new Error("boom"), "preds").message;
 * // => "preds could not be read: reading it threw Error: boom"
 * ```
 */
export function asInputError(error: unknown, name: string): Error {
  if (error instanceof MetricInputError) return error;
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = "an exception";
  }
  return new MetricInputError(`${name} could not be read: reading it threw ${text}`);
}

function readView(value: unknown, name: string): TensorView {
  if (isTypedArray(value)) {
    if (value.length === 0) assertAttached(value, name);
    return { data: value, shape: [value.length], layout: "flat", typed: !isBigIntArray(value), name };
  }
  if (Array.isArray(value)) {
    const n = value.length;
    if (n === 0) return { data: value, shape: [0], layout: "flat", typed: false, name };
    const first: unknown = value[0];
    if (Array.isArray(first) || isTypedArray(first)) {
      if (first.length === 0) assertAttached(first, `${name}[0]`);
      const inner = (first as ArrayLike<unknown>)[0];
      if (Array.isArray(inner) || isTypedArray(inner)) {
        const depth = [n, first.length, (inner as ArrayLike<unknown>).length];
        throw new MetricInputError(
          `${name} must have rank 1 or 2, got a nested array of rank ≥ 3 (shape starts [${depth.join(", ")}])`,
        );
      }
      // A first row of length 0 gives C = 0, and the kernels then check no row at all: find a later row
      // that is not empty here (this scan runs only in that degenerate case).
      if (first.length === 0) assertAllRowsEmpty(value, name);
      return { data: value, shape: [n, first.length], layout: "rows", typed: false, name };
    }
    return { data: value, shape: [n], layout: "flat", typed: false, name };
  }
  if (value !== null && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (typeof obj.dataSync === "function" && obj.shape !== undefined) {
      const shape = checkShape(obj.shape, name, "shape");
      const data = (obj.dataSync as () => unknown).call(value);
      return fromFlat(data, shape, name, "shape");
    }
    if (obj.data !== undefined && obj.shape !== undefined) {
      return fromFlat(obj.data, checkShape(obj.shape, name, "shape"), name, "shape");
    }
    if (obj.data !== undefined && obj.dims !== undefined) {
      return fromFlat(obj.data, checkShape(obj.dims, name, "dims"), name, "dims");
    }
  }
  throw new MetricInputError(
    `${name} must be an array, a typed array, { data, shape }, or a tensor (tfjs or onnxruntime), got ${describeKind(value)}`,
  );
}

/**
 * A view with the BigInt elements of a `BigInt64Array` / `BigUint64Array` target converted to numbers (labels
 * are small integers; a value beyond ±2^53 cannot be a label, so it becomes an error). Other views are
 * returned as they are.
 *
 * @param view - a target view
 * @returns a view whose elements are numbers
 * @throws {@link MetricInputError} for a BigInt beyond the safe integer range
 * @example
 * ```ts
 * numericView(toTensorView(new BigInt64Array([0n, 1n]), "target")).data; // => Float64Array [0, 1]
 * ```
 */
export function numericView(view: TensorView): TensorView {
  const data = view.data;
  if (!isBigIntArray(data)) return view;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > 9007199254740991n || v < -9007199254740991n) {
      throw new MetricInputError(`${view.name}[${i}] must be a label (a safe integer), got ${v}n`);
    }
    out[i] = Number(v);
  }
  return { ...view, data: out, typed: true };
}

/**
 * A rank-2 view of shape `[N, 1]` seen as rank 1 (`[N]`): column vectors are accepted wherever a vector is.
 * Rows layouts (`[[a], [b]]`) are flattened (a copy: this form is rare and small).
 *
 * @param view - any view
 * @returns the same view, or a rank-1 view of a single column
 * @example
 * ```ts
 * squeezeColumn(toTensorView([[1], [0]], "target")).shape; // => [2]
 * ```
 */
export function squeezeColumn(view: TensorView): TensorView {
  if (view.shape.length !== 2 || view.shape[1] !== 1) return view;
  if (view.layout === "flat") return { ...view, shape: [view.shape[0]] };
  const rows = view.data as ArrayLike<ArrayLike<unknown>>;
  const out = new Array<unknown>(rows.length);
  try {
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!(Array.isArray(row) || isTypedArray(row)) || row.length !== 1) {
        const got = Array.isArray(row) || isTypedArray(row) ? `length ${row.length}` : describeKind(row);
        throw new MetricInputError(
          `${view.name}[${i}] must be an array of length 1 like ${view.name}[0] (ragged nested array), got ${got}`,
        );
      }
      out[i] = row[0];
    }
  } catch (error) {
    throw asInputError(error, view.name);
  }
  return { data: out, shape: [rows.length], layout: "flat", typed: false, name: view.name };
}
