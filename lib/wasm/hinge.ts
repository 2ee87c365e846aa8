/**
 * The hinge loss's bulk paths on WebAssembly SIMD, exact: each function returns the batch's exact partial
 * sums (Σ m per sum as a BigInt scaled by 2^1074, the representation of `lib/state/exactSum.ts`, and the
 * sample count), or `null` when it does not handle the batch, and then the caller runs the JS kernels, which
 * also produce the error message for bad input. It never writes a state: a caller adds the partial with
 * {@link commitWasmPartial} (atomic: all or nothing), so the metric's result is bit for bit the one the JS
 * kernels give, since both keep the sum exactly and round once in `compute()`.
 *
 * Handled: typed-array scores (Float32Array, Float64Array; other numeric typed arrays are converted exactly
 * to float64), typed-array targets (8/16/32-bit integers are copied as int32, Uint32Array and float arrays
 * as float64), no weights and no ignore index (the caller checks those options), squared or not, at most
 * {@link WASM_MAX_CLASSES} classes. Not handled (`null`): WebAssembly or SIMD unavailable, plain arrays,
 * BigInt targets, lengths that do not match, and any batch with an element that is invalid (a target out of
 * range, a score that is not finite) or needs the exact slow path (a contribution ≥ 2^24 unsquared / 2^32
 * squared, or a squared one with bits below 2^-76): the kernels stop caring at the first such block.
 *
 * The cost includes the copy into WebAssembly memory, done in blocks of {@link BLOCK} elements or rows that
 * stay in cache while the kernel reads them.
 *
 * @module
 */
import {
  ACC,
  BLOCK,
  OUT,
  PRED,
  PRED_CAPACITY,
  TGT,
  WASM_MAX_CLASSES,
  createHingeWasm,
  type HingeWasm,
  type HingeWasmExports,
} from "./loader.js";

/** The exact partial state of one batch. */
export interface WasmPartial {
  /** Σ m (squared if asked) per measure sum, exactly, scaled by 2^1074: one sum, or one per class (one-vs-all). */
  readonly measure: bigint[];
  /** Samples in the batch (elements for binary, rows for multiclass): the total's increment. */
  readonly count: number;
}

/** A typed array of numbers (what the kernels read, through a copy). */
interface NumericView extends ArrayLike<number> {
  subarray(begin: number, end: number): ArrayLike<number>;
}

/** Integer targets that convert exactly to int32. */
const INT32_TARGETS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array];
/** Weights of the int64 totals, by slot: pairs (units 2^-14, 2^-53) and triples (2^-4, 2^-40, 2^-76). */
const PAIR_SHIFTS = [1060n, 1021n];
const TRIPLE_SHIFTS = [1070n, 1034n, 998n];
/** Additions into one int64 total between drains (each adds < 2^38 units: far below 2^63). */
const DRAIN_EVERY = 1 << 24;

/** 0: float32 scores, 1: float64 (any other numeric typed array, converted exactly), -1: not handled. */
function predKind(x: unknown): number {
  if (x instanceof Float32Array) return 0;
  if (!ArrayBuffer.isView(x) || x instanceof DataView) return -1;
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) return -1;
  return 1;
}

/** 0: copied as int32, 1: copied as float64, -1: not handled. */
function targetKind(x: unknown): number {
  for (const kind of INT32_TARGETS) if (x instanceof kind) return 0;
  return predKind(x) < 0 ? -1 : 1;
}

type Path = "binary" | "crammerSinger" | "oneVsAll";

function kernelName(path: Path, pk: number, tk: number): keyof HingeWasmExports {
  return `${path}${pk === 0 ? "F32" : "F64"}${tk === 0 ? "I32" : "F64"}` as keyof HingeWasmExports;
}

/** Moves `width` int64 totals at `out[at..]` into one exact scaled BigInt and clears them. */
function drain(out: BigInt64Array, at: number, width: number): bigint {
  const shifts = width === 2 ? PAIR_SHIFTS : TRIPLE_SHIFTS;
  let sum = 0n;
  for (let j = 0; j < width; j++) {
    const v = out[at + j];
    if (v !== 0n) sum += v << shifts[j];
    out[at + j] = 0n;
  }
  return sum;
}

/**
 * Binary hinge partial on WebAssembly: Σ max(0, 1 - y·p) (squared if asked), y = +1 for target 1 and -1 for
 * 0 and -1, exactly, and the count; `null` when not handled (see the module comment).
 *
 * @param preds - N scores (a typed array)
 * @param target - N labels in {-1, 0, 1} (a typed array)
 * @param squared - squared hinge
 * @param wasm - the kernels to run on (default: a new instance for this call; null forces the fallback)
 * @returns the exact partial, or null
 * @example
 * ```ts
 * wasmBinaryPartial(new Float64Array([0.5, 3]), new Int32Array([1, 0]), false);
 * // => { measure: [9n << 1073n], count: 2 } (0.5 + 4 = 4.5, scaled by 2^1074)
 * ```
 */
export function wasmBinaryPartial(
  preds: unknown,
  target: unknown,
  squared: boolean,
  wasm: HingeWasm | null = createHingeWasm(),
): WasmPartial | null {
  const pk = predKind(preds);
  const tk = targetKind(target);
  if (wasm === null || pk < 0 || tk < 0) return null;
  const p = preds as NumericView;
  const t = target as NumericView;
  const n = p.length;
  if (t.length !== n) return null;
  const width = squared ? 3 : 2;
  const out = wasm.out;
  out.fill(0n, 0, width);
  const kernel = wasm.kernels[kernelName("binary", pk, tk)] as (...args: number[]) => number;
  const pView = pk === 0 ? wasm.predF32 : wasm.predF64;
  const tView = tk === 0 ? wasm.tgtI32 : wasm.tgtF64;
  const sq = squared ? 1 : 0;
  let measure = 0n;
  let since = 0;
  for (let i = 0; i < n; i += BLOCK) {
    const e = Math.min(n, i + BLOCK);
    pView.set(p.subarray(i, e));
    tView.set(t.subarray(i, e));
    if (kernel(PRED, TGT, e - i, sq, OUT) !== 0) return null;
    since += e - i;
    if (since >= DRAIN_EVERY) {
      measure += drain(out, 0, width);
      since = 0;
    }
  }
  measure += drain(out, 0, width);
  return { measure: [measure], count: n };
}

/** The common driver of the two multiclass paths: rows in blocks, `sums` measure sums of `width` slots each. */
function rowsPartial(
  path: Path,
  preds: unknown,
  target: unknown,
  C: number,
  squared: boolean,
  wasm: HingeWasm | null,
): WasmPartial | null {
  const pk = predKind(preds);
  const tk = targetKind(target);
  if (wasm === null || pk < 0 || tk < 0) return null;
  if (!Number.isInteger(C) || C < 2 || C > WASM_MAX_CLASSES) return null;
  const p = preds as NumericView;
  const t = target as NumericView;
  const n = t.length;
  if (p.length !== n * C) return null;
  const width = squared ? 3 : 2;
  const sums = path === "oneVsAll" ? C : 1;
  const out = wasm.out;
  out.fill(0n, 0, width * sums);
  wasm.acc.fill(0, 0, Math.max(4, width * sums));
  const kernel = wasm.kernels[kernelName(path, pk, tk)] as (...args: number[]) => number;
  const pView = pk === 0 ? wasm.predF32 : wasm.predF64;
  const tView = tk === 0 ? wasm.tgtI32 : wasm.tgtF64;
  const rowsPerBlock = Math.min(BLOCK, Math.floor(PRED_CAPACITY / C));
  const sq = squared ? 1 : 0;
  const measure = new Array<bigint>(sums).fill(0n);
  let since = 0;
  for (let r = 0; r < n; r += rowsPerBlock) {
    const e = Math.min(n, r + rowsPerBlock);
    pView.set(p.subarray(r * C, e * C));
    tView.set(t.subarray(r, e));
    if (kernel(PRED, TGT, e - r, C, sq, ACC, OUT) !== 0) return null;
    since += e - r;
    if (since >= DRAIN_EVERY || e === n) {
      for (let k = 0; k < sums; k++) measure[k] += drain(out, width * k, width);
      since = 0;
    }
  }
  return { measure, count: n };
}

/**
 * Crammer–Singer partial on WebAssembly: Σ max(0, 1 - (p[t] - max_{j≠t} p[j])) (squared if asked) over rows
 * of C scores, exactly, and the row count; `null` when not handled (see the module comment).
 *
 * @param preds - N·C scores, row-major (a typed array)
 * @param target - N class indices in [0, C) (a typed array)
 * @param C - classes (2 to {@link WASM_MAX_CLASSES})
 * @param squared - squared hinge
 * @param wasm - the kernels to run on (default: a new instance for this call; null forces the fallback)
 * @returns the exact partial, or null
 * @example
 * ```ts
 * wasmCrammerSingerPartial(new Float32Array([2, 0, 0, 0.5]), new Int32Array([0, 0]), 2, false);
 * // => { measure: [3n << 1073n], count: 2 } (0 + 1.5)
 * ```
 */
export function wasmCrammerSingerPartial(
  preds: unknown,
  target: unknown,
  C: number,
  squared: boolean,
  wasm: HingeWasm | null = createHingeWasm(),
): WasmPartial | null {
  return rowsPartial("crammerSinger", preds, target, C, squared, wasm);
}

/**
 * One-vs-all partial on WebAssembly: per class c, Σ max(0, 1 - y_c·p[c]) with y_c = +1 for the target class
 * and -1 otherwise (squared if asked), exactly, and the row count; `null` when not handled.
 *
 * @param preds - N·C scores, row-major (a typed array)
 * @param target - N class indices in [0, C) (a typed array)
 * @param C - classes (2 to {@link WASM_MAX_CLASSES})
 * @param squared - squared hinge
 * @param wasm - the kernels to run on (default: a new instance for this call; null forces the fallback)
 * @returns the exact partial (C measure sums), or null
 * @example
 * ```ts
 * wasmOneVsAllPartial(new Float64Array([2, -2, 0.5, 0.5]), new Int32Array([0, 1]), 2, false);
 * // => { measure: [3n << 1073n, 1n << 1073n], count: 2 } (class 0: 0 + 1.5, class 1: 0 + 0.5)
 * ```
 */
export function wasmOneVsAllPartial(
  preds: unknown,
  target: unknown,
  C: number,
  squared: boolean,
  wasm: HingeWasm | null = createHingeWasm(),
): WasmPartial | null {
  return rowsPartial("oneVsAll", preds, target, C, squared, wasm);
}

/**
 * Where {@link commitWasmPartial} adds a partial: a hinge state's exact `measure` sums (one, or one per class
 * for one-vs-all; sized already) and its exact `total` (the `ExactSum` fields of a `HingeLoss` state).
 *
 * @example
 * ```ts
 * const into: PartialTarget = { measure: exactSum(1).empty(), total: exactSum().empty() };
 * into.measure.size; // => 1
 * ```
 */
export interface PartialTarget {
  /** Σ m, exact: one sum per measure entry of the partial. */
  readonly measure: { readonly size: number; addScaled(scaled: bigint, k?: number): void };
  /** Σ w (the sample count here), exact. */
  readonly total: { addScaled(scaled: bigint, k?: number): void };
}

/**
 * Adds a partial into a hinge state's exact sums: `measure[k] += partial.measure[k]`, `total += count`.
 * Exact; the sizes are checked before anything is written.
 *
 * @param into - the state's sums ({@link PartialTarget})
 * @param partial - from one of the `wasm…Partial` functions
 * @throws RangeError when the sizes do not match
 * @example
 * ```ts
 * const into = { measure: exactSum(1).empty(), total: exactSum().empty() };
 * commitWasmPartial(into, { measure: [9n << 1073n], count: 2 });
 * [into.measure.value(0), into.total.value()]; // => [4.5, 2]
 * ```
 */
export function commitWasmPartial(into: PartialTarget, partial: WasmPartial): void {
  const k = partial.measure.length;
  if (into.measure.size !== k) {
    throw new RangeError(`commitWasmPartial: ${into.measure.size} measure sums for a partial of ${k}`);
  }
  for (let i = 0; i < k; i++) into.measure.addScaled(partial.measure[i], i);
  into.total.addScaled(BigInt(partial.count) << 1074n);
}
