/**
 * The one walker of nested arrays (`number[]`, `number[][]`, `number[][][]`, …, rows that are typed arrays):
 * the shape is probed along the first elements, then every level is walked once, checking that the array is
 * rectangular (a ragged level names its position and the length expected), and the leaves are copied out.
 * {@link readTensor} reads nested arrays with it; the facades' readers are built on `readTensor`.
 *
 * @module
 */
import { MetricInputError } from "../errors/index.js";
import { asInputError, assertAttached } from "./tensor.js";

/** What the leaves may be: numbers only (checked, copied into a `Float64Array`), or anything (copied as is). */
export type Elements = "number" | "any";

/**
 * Nested arrays read flat: the leaves in row-major order and the shape.
 *
 * @example
 * ```ts
 * const n: NestedRead = readNested([[1, 2], [3, 4]], "preds", "number");
 * [n.shape, Array.from(n.data)]; // => [[2, 2], [1, 2, 3, 4]]
 * ```
 */
export interface NestedRead {
  /**
   * The leaves, row-major: for numbers, a flat array itself (checked, not copied) or a new `Float64Array`
   * (rank ≥ 2); for any elements, a new array.
   */
  readonly data: ArrayLike<unknown>;
  /** The shape, one entry per level. */
  readonly shape: number[];
}

/**
 * True for a plain array or a typed array (not a `DataView`). Reads no property, so a Proxy's traps are not
 * called (a revoked Proxy throws, as it does for any use).
 *
 * @param value - anything
 * @returns whether it is a level of a nested array
 * @example
 * ```ts
 * [isArrayLevel([1]), isArrayLevel(new Int8Array(2)), isArrayLevel({ length: 1 })]; // => [true, true, false]
 * ```
 */
export function isArrayLevel(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * A value as error messages show it: `3`, `-0`, `"a string"`, `1n`, `true`, `null`, `an array of length 2`,
 * `a Float32Array of length 2`, `an object`.
 *
 * @param value - anything
 * @returns its description
 * @example
 * ```ts
 * [describeValue("1"), describeValue([1, 2]), describeValue(new Int8Array(3))];
 * // => ['"1"', "an array of length 2", "an Int8Array of length 3"]
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const kind = value.constructor.name;
    return `${/^[AEIO]/.test(kind) ? "an" : "a"} ${kind} of length ${(value as unknown as ArrayLike<unknown>).length}`;
  }
  return "an object";
}

/**
 * The error for a BigInt inside a plain array: only a BigInt typed array holds int64 values.
 *
 * @param where - the element's position, e.g. `target[1]`
 * @param value - the BigInt
 * @returns the error
 * @example
 * ```ts
 * bigintInPlainArray("target[1]", 1n).message.startsWith("target[1] is a bigint (1n)"); // => true
 * ```
 */
export function bigintInPlainArray(where: string, value: bigint): MetricInputError {
  return new MetricInputError(
    `${where} is a bigint (${value}n): in a plain array write it as a number (int64 values come in a BigInt64Array or a BigUint64Array)`,
  );
}

/**
 * An element of a BigInt typed array as a number: labels and counts are small integers, so a value beyond
 * ±(2^53 - 1) is an error rather than a rounded number.
 *
 * @param value - the element
 * @param where - its position, for the message
 * @returns the number
 * @throws {@link MetricInputError} beyond the safe integer range
 * @example
 * ```ts
 * safeBigint(-3n, () => "target[0]"); // => -3
 * ```
 */
export function safeBigint(value: bigint, where: () => string): number {
  if (value > 9007199254740991n || value < -9007199254740991n) {
    throw new MetricInputError(`${where()} must be a safe integer (|x| ≤ 2^53 - 1), got ${value}n`);
  }
  return Number(value);
}

/** The mutable state of one walk: the output, where it has got to, and the indices on the current path. */
interface Walk {
  readonly name: string;
  readonly shape: number[];
  readonly elements: Elements;
  readonly numbers: Float64Array;
  readonly any: unknown[];
  readonly index: number[];
  k: number;
  /** Every row through the general checks (after a throw in the hot loop, to locate it). */
  careful: boolean;
}

function pathOf(w: Walk, depth: number): string {
  let s = w.name;
  for (let d = 0; d < depth; d++) s += `[${w.index[d]}]`;
  return s;
}

/** The length of a level, read once (a throwing `length` getter or Proxy trap names the level). */
function lengthOf(node: ArrayLike<unknown>, where: string): number {
  let n: unknown;
  try {
    n = node.length;
  } catch (error) {
    throw asInputError(error, where);
  }
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new MetricInputError(`${where} has a length that is not a count: ${describeValue(n)}`);
  }
  if (n === 0) assertAttached(node, where);
  return n;
}

/**
 * Probes the shape along the first elements: `[[1, 2], [3, 4]]` → `[2, 2]`; an empty level ends it (`[[], []]`
 * → `[2, 0]`).
 */
function probe(value: ArrayLike<unknown>, name: string): number[] {
  const shape: number[] = [];
  let node = value;
  let where = name;
  for (;;) {
    const n = lengthOf(node, where);
    shape.push(n);
    if (n === 0) return shape;
    let first: unknown;
    try {
      first = node[0];
    } catch (error) {
      throw asInputError(error, `${where}[0]`);
    }
    if (!isArrayLevel(first)) return shape;
    node = first;
    where += "[0]";
  }
}

function ragged(w: Walk, depth: number, got: string): MetricInputError {
  const expected = depth === w.shape.length ? "a scalar" : `an array of length ${w.shape[depth]}`;
  return new MetricInputError(
    `${pathOf(w, depth)} must be ${expected} like ${w.name}${"[0]".repeat(depth)} (ragged nested array), got ${got}`,
  );
}

/** The error for a leaf that is not what `w.elements` accepts (its position is the walk's current path). */
function badLeaf(w: Walk, v: unknown): MetricInputError {
  const depth = w.shape.length;
  if (isArrayLevel(v)) return ragged(w, depth, describeValue(v));
  if (typeof v === "bigint") return bigintInPlainArray(pathOf(w, depth), v);
  return new MetricInputError(`${pathOf(w, depth)} must be a number, got ${describeValue(v)}`);
}

/** Copies the leaves of one innermost level (`node` has the expected length). */
function leaves(w: Walk, node: ArrayLike<unknown>, n: number): void {
  const last = w.shape.length - 1;
  const out: Float64Array | unknown[] = w.elements === "number" ? w.numbers : w.any;
  let k = w.k;
  if (ArrayBuffer.isView(node)) {
    // a typed row: every element is a number, or a BigInt of an int64 row
    const row = node as ArrayLike<number | bigint>;
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (typeof v === "bigint") {
        w.index[last] = j;
        out[k++] = safeBigint(v, () => pathOf(w, last + 1));
      } else out[k++] = v;
    }
    w.k = k;
    return;
  }
  let j = 0;
  try {
    if (w.elements === "number") {
      const numbers = w.numbers;
      for (; j < n; j++) {
        const v = node[j];
        if (typeof v !== "number") {
          w.index[last] = j;
          throw badLeaf(w, v);
        }
        numbers[k++] = v;
      }
    } else {
      const any = w.any;
      for (; j < n; j++) {
        const v = node[j];
        if (typeof v === "bigint" || (typeof v === "object" && isArrayLevel(v))) {
          w.index[last] = j;
          throw badLeaf(w, v);
        }
        any[k++] = v;
      }
    }
  } catch (error) {
    w.index[last] = j;
    throw asInputError(error, pathOf(w, last + 1));
  }
  w.k = k;
}

/** Checks that `child`, met at `depth` of the walk, is a level of the expected length (else: ragged). */
function checkLevel(w: Walk, child: unknown, depth: number): asserts child is ArrayLike<unknown> {
  if (!isArrayLevel(child)) throw ragged(w, depth, describeValue(child));
  const length: unknown = child.length;
  const expected = w.shape[depth];
  if (length !== expected) {
    const kind = Array.isArray(child) ? "an array" : describeValue(child).replace(/ of length .*/, "");
    throw ragged(w, depth, `${kind} of length ${describeValue(length)}`);
  }
  if (expected === 0) assertAttached(child, pathOf(w, depth));
}

/**
 * The hot loop of {@link numberRows}: copies plain rows of numbers into `out` from `offset` on, and stops at
 * the first row that is anything else. Only numbers pass through its locals, and it catches nothing: a throwing
 * getter is located afterwards, by {@link readNested}.
 *
 * @returns the number of rows copied (`n` when all were)
 */
function plainRows(
  node: ArrayLike<unknown>,
  n: number,
  inner: number,
  out: Float64Array,
  offset: number,
): number {
  for (let i = 0; i < n; i++) {
    const row = node[i];
    if (!Array.isArray(row) || row.length !== inner) return i;
    const base = offset + i * inner;
    for (let j = 0; j < inner; j++) {
      const v: unknown = row[j];
      if (typeof v !== "number") return i;
      out[base + j] = v;
    }
  }
  return n;
}

/** Element `i` of `node` (at `depth`), checked to be a level of the expected length (else: ragged). */
function childAt(w: Walk, node: ArrayLike<unknown>, depth: number, i: number): ArrayLike<unknown> {
  w.index[depth] = i;
  let child: unknown;
  try {
    child = node[i];
    checkLevel(w, child, depth + 1);
  } catch (error) {
    throw asInputError(error, pathOf(w, depth + 1));
  }
  return child as ArrayLike<unknown>;
}

/** Reads row `i` of `node` (at `depth`) through the general checks: they throw, or copy a typed row. */
function checkedRow(w: Walk, node: ArrayLike<unknown>, depth: number, i: number): void {
  leaves(w, childAt(w, node, depth, i), w.shape[depth + 1]);
}

/**
 * The last two levels of a walk for numbers (the hot path: `number[][]` rows): plain rows of numbers are
 * copied by a tight loop; from the first other row on (a typed row, or an error), the general checks.
 */
function numberRows(w: Walk, node: ArrayLike<unknown>, depth: number): void {
  const n = w.shape[depth];
  const inner = w.shape[depth + 1];
  const done = w.careful ? 0 : plainRows(node, n, inner, w.numbers, w.k);
  w.k += done * inner;
  for (let i = done; i < n; i++) checkedRow(w, node, depth, i);
}

/** Walks one level at `depth` (`node` has length `w.shape[depth]`). */
function level(w: Walk, node: ArrayLike<unknown>, depth: number): void {
  const last = w.shape.length - 1;
  if (depth === last) {
    leaves(w, node, w.shape[depth]);
    return;
  }
  if (depth === last - 1 && w.elements === "number") {
    numberRows(w, node, depth);
    return;
  }
  const n = w.shape[depth];
  for (let i = 0; i < n; i++) level(w, childAt(w, node, depth, i), depth + 1);
}

/** A flat plain array of numbers, checked in place (not copied). */
function checkNumbers(w: Walk, value: ArrayLike<unknown>): void {
  const n = w.shape[0];
  let i = 0;
  try {
    for (; i < n; i++) {
      const v = value[i];
      if (typeof v !== "number") {
        w.index[0] = i;
        throw badLeaf(w, v);
      }
    }
  } catch (error) {
    w.index[0] = i;
    throw asInputError(error, pathOf(w, 1));
  }
}

/**
 * Reads a plain array, possibly nested to any depth and with typed arrays as its innermost rows, into its
 * leaves (row-major) and its shape. Every level is checked: a level of another length, or a scalar where an
 * array is expected (or the reverse), is a ragged nested array, reported with its position and the length
 * expected. Reading a level's `length` once, and each element once, a getter or Proxy trap that throws becomes
 * a `MetricInputError` naming the position.
 *
 * - `elements: "number"`: every leaf must be a number (NaN and ±Infinity included: finiteness is the
 *   caller's check); a typed row's BigInts are converted (safe integers only); a flat array is returned
 *   itself, deeper ones are copied into a `Float64Array`;
 * - `elements: "any"`: the leaves are copied as they are (strings pass), except that a BigInt in a plain array
 *   is refused.
 *
 * @param value - the nested array
 * @param name - the argument's name, for messages
 * @param elements - what the leaves may be
 * @returns the leaves and the shape
 * @throws {@link MetricInputError} naming the first bad position
 * @example
 * ```ts
 * readNested([[[1], [2]], [[3], [4]]], "preds", "number").shape; // => [2, 2, 1]
 * readNested([[1, 2], [3]], "preds", "number");
 * // throws MetricInputError: preds[1] must be an array of length 2 like preds[0] (ragged nested array), got an array of length 1
 * ```
 */
export function readNested(value: ArrayLike<unknown>, name: string, elements: Elements): NestedRead {
  const shape = probe(value, name);
  const index = new Array<number>(shape.length).fill(0);
  if (shape.length === 1 && elements === "number") {
    const w: Walk = {
      name,
      shape,
      elements,
      numbers: new Float64Array(0),
      any: [],
      index,
      k: 0,
      careful: true,
    };
    checkNumbers(w, value);
    return { data: value, shape };
  }
  let size = 1;
  for (const d of shape) size *= d;
  const numbers = elements === "number" ? new Float64Array(size) : new Float64Array(0);
  const any = elements === "any" ? new Array<unknown>(size) : [];
  const w: Walk = { name, shape, elements, numbers, any, index, k: 0, careful: false };
  try {
    level(w, value, 0);
  } catch (error) {
    if (error instanceof MetricInputError) throw error;
    // a getter or a Proxy trap threw in the hot loop, which does not track where: walk again with every
    // row checked, to name the element (only this error path pays); if nothing throws now, name the argument
    w.careful = true;
    w.k = 0;
    level(w, value, 0);
    throw asInputError(error, name);
  }
  return { data: elements === "number" ? numbers : any, shape };
}
