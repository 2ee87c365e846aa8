/**
 * Loads the WebAssembly SIMD hinge kernels (built from `wasm/assembly/hinge.ts` by `npm run build:wasm` and
 * embedded as base64 in `hingeWasmBytes.ts`, so no file path or fetch is needed), synchronously, with feature
 * detection: where WebAssembly is missing (e.g. `node --jitless`, some locked-down browsers) or does not
 * support SIMD, loading gives `null` and the callers keep the JS kernels.
 *
 * Linear memory layout (bytes; the kernels only read the input areas and write the scratch and output areas):
 * - `ACC` scratch float64 accumulators, up to 3 per class;
 * - `OUT` the exact integer totals (int64, up to 3 per class) the kernels add each block into;
 * - `PRED` one block of scores (float32 or float64), `TGT` one block of targets (int32 or float64).
 *
 * @module
 */
import { HINGE_WASM_BASE64 } from "./hingeWasmBytes.js";

/** Classes the WebAssembly one-vs-all and Crammer–Singer paths take at most (scratch sized for it). */
export const WASM_MAX_CLASSES = 4096;
/** Scores per block (float64 capacity of the `PRED` area). */
export const PRED_CAPACITY = 32768;
/** Elements (binary) or rows (multiclass) per kernel call: keeps every float64 accumulator lane exact. */
export const BLOCK = 16384;
/** Byte offset of the float64 scratch accumulators (3 per class at most). */
export const ACC = 65536;
/** Byte offset of the int64 totals (3 per class at most). */
export const OUT = ACC + 3 * WASM_MAX_CLASSES * 8;
/** Byte offset of a block of scores. */
export const PRED = OUT + 3 * WASM_MAX_CLASSES * 8;
/** Byte offset of a block of targets. */
export const TGT = PRED + PRED_CAPACITY * 8;
const END = TGT + BLOCK * 8;

/** A binary kernel: `(p, t, n, squared, out) → 0 | 1` (1: some element not handled). */
type BinaryKernel = (p: number, t: number, n: number, squared: number, out: number) => number;
/** A multiclass kernel: `(p, t, rows, C, squared, acc, out) → 0 | 1`. */
type RowKernel = (
  p: number,
  t: number,
  n: number,
  C: number,
  squared: number,
  acc: number,
  out: number,
) => number;

/** The exports of the module. */
export interface HingeWasmExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly binaryF32I32: BinaryKernel;
  readonly binaryF32F64: BinaryKernel;
  readonly binaryF64I32: BinaryKernel;
  readonly binaryF64F64: BinaryKernel;
  readonly crammerSingerF32I32: RowKernel;
  readonly crammerSingerF32F64: RowKernel;
  readonly crammerSingerF64I32: RowKernel;
  readonly crammerSingerF64F64: RowKernel;
  readonly oneVsAllF32I32: RowKernel;
  readonly oneVsAllF32F64: RowKernel;
  readonly oneVsAllF64I32: RowKernel;
  readonly oneVsAllF64F64: RowKernel;
}

/** The part of the `WebAssembly` namespace the loader uses (passed in, so specs can hide or cripple it). */
export interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  /** Asynchronous compilation (used only where the synchronous one is refused). */
  compile?(bytes: Uint8Array): Promise<object>;
}

/** An instance with typed views on its memory (made once: the memory never grows after loading). */
export interface HingeWasm {
  /** The kernels. */
  readonly kernels: HingeWasmExports;
  /** `PRED` as float32 / float64, `TGT` as int32 / float64, `ACC` as float64, `OUT` as int64. */
  readonly predF32: Float32Array;
  readonly predF64: Float64Array;
  readonly tgtI32: Int32Array;
  readonly tgtF64: Float64Array;
  readonly acc: Float64Array;
  readonly out: BigInt64Array;
}

/**
 * The module's bytes, decoded from the embedded base64.
 *
 * @returns a fresh copy of the bytes
 * @example
 * ```ts
 * Array.from(hingeWasmBytes().subarray(0, 4)); // => [0, 97, 115, 109]
 * ```
 */
export function hingeWasmBytes(): Uint8Array {
  const text = atob(HINGE_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The most bytes Chromium compiles synchronously on a page's main thread in older versions (4 KiB). */
const OLD_MAIN_THREAD_LIMIT = 4096;

/**
 * Compiles the module synchronously with the given WebAssembly API, or returns `null` when there is no
 * WebAssembly, it lacks SIMD (`validate` fails), or compilation throws (a content security policy without
 * `wasm-unsafe-eval`; or a browser that refuses synchronous compilation of modules over 4 KiB on its main
 * thread, as Chromium did before version 115: see {@link hingeWasmModule} for that case).
 *
 * @param api - the `WebAssembly` namespace, or undefined where there is none
 * @returns the compiled module, or null
 * @example
 * ```ts
 * compileHingeWasm(undefined); // => null
 * ```
 */
export function compileHingeWasm(api: WebAssemblyApi | undefined): object | null {
  if (api === undefined || api === null || typeof api.validate !== "function") return null;
  try {
    const bytes = hingeWasmBytes();
    if (!api.validate(bytes)) return null;
    return new api.Module(bytes);
  } catch {
    return null;
  }
}

/**
 * A new instance of a compiled module with its own memory (grown once to the layout's size) and the typed
 * views on it; `null` when instantiation throws.
 *
 * @param api - the `WebAssembly` namespace the module was compiled with
 * @param module - from {@link compileHingeWasm} or {@link hingeWasmModule}
 * @returns the kernels and views, or null
 * @example
 * ```ts
 * const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
 * instantiateHingeWasm(api!, compileHingeWasm(api)!)!.predF32.length; // => 65536
 * ```
 */
export function instantiateHingeWasm(api: WebAssemblyApi, module: object): HingeWasm | null {
  try {
    const instance = new api.Instance(module, {});
    const kernels = instance.exports as HingeWasmExports;
    const memory = kernels.memory;
    // The module declares all the memory the layout needs (10 pages). It is never grown: `memory.grow`
    // detaches the old ArrayBuffer, and after any detach V8 runs every typed-array loop of the process
    // slower (~35 % measured on the naive loops of `npm run bench`), the user's own included.
    const buffer = memory.buffer;
    if (buffer.byteLength < END) return null;
    return {
      kernels,
      predF32: new Float32Array(buffer, PRED, PRED_CAPACITY * 2),
      predF64: new Float64Array(buffer, PRED, PRED_CAPACITY),
      tgtI32: new Int32Array(buffer, TGT, BLOCK * 2),
      tgtF64: new Float64Array(buffer, TGT, BLOCK),
      acc: new Float64Array(buffer, ACC, 3 * WASM_MAX_CLASSES),
      out: new BigInt64Array(buffer, OUT, 3 * WASM_MAX_CLASSES),
    };
  } catch {
    return null;
  }
}

/**
 * Compiles and instantiates the kernels synchronously with the given WebAssembly API (no cache), or returns
 * `null` where {@link compileHingeWasm} or {@link instantiateHingeWasm} does.
 *
 * @param api - the `WebAssembly` namespace, or undefined where there is none
 * @returns the loaded kernels, or null
 * @example
 * ```ts
 * loadHingeWasm(undefined); // => null
 * loadHingeWasm({ validate: () => false, Module: Object, Instance: Object }); // => null (no SIMD)
 * ```
 */
export function loadHingeWasm(api: WebAssemblyApi | undefined): HingeWasm | null {
  const module = compileHingeWasm(api);
  return module === null ? null : instantiateHingeWasm(api as WebAssemblyApi, module);
}

/**
 * This realm's compiled module: `undefined` until first asked for, then the module or `null` (unavailable);
 * set once and never changed after (a `WebAssembly.Module` is immutable), except that a browser which
 * refuses the synchronous compile gets `null` until an asynchronous compile, started on the first request,
 * replaces it with the module.
 */
let realmModule: object | null | undefined;

/**
 * This realm's compiled module, compiled synchronously on first use from `globalThis.WebAssembly` (null where
 * unavailable). The module holds no state: every metric instantiates it into its own memory
 * ({@link createHingeWasm}). Where synchronous compilation throws although validation passed (a browser's
 * main thread limits it; Chromium before 115 allowed at most 4 KiB, and this module is bigger), an
 * asynchronous `WebAssembly.compile` is started and the JS kernels serve until it has finished.
 *
 * @returns the module, or null
 * @example
 * ```ts
 * hingeWasmModule() !== null; // => true (Node 20)
 * ```
 */
export function hingeWasmModule(): object | null {
  if (realmModule !== undefined) return realmModule;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  realmModule = compileHingeWasm(api);
  if (realmModule === null && api !== undefined && typeof api.compile === "function") {
    const bytes = hingeWasmBytes();
    if (bytes.length > OLD_MAIN_THREAD_LIMIT && safeValidate(api, bytes)) {
      api.compile(bytes).then(
        (module) => (realmModule = module),
        () => undefined, // stays null: the JS kernels
      );
    }
  }
  return realmModule;
}

function safeValidate(api: WebAssemblyApi, bytes: Uint8Array): boolean {
  try {
    return api.validate(bytes);
  } catch {
    return false;
  }
}

/**
 * A new instance of this realm's module (see {@link hingeWasmModule}) with its own memory: scratch space for
 * one owner (a metric's kernel scratch, or one call), never shared. Null where WebAssembly is unavailable.
 *
 * @returns the kernels, or null
 * @example
 * ```ts
 * createHingeWasm() !== null; // => true (Node 20)
 * ```
 */
export function createHingeWasm(): HingeWasm | null {
  const module = hingeWasmModule();
  if (module === null) return null;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly as WebAssemblyApi;
  return instantiateHingeWasm(api, module);
}
