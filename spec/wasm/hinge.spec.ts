// The WebAssembly SIMD hinge paths against the JS kernels (the exact state hingeLossUpdate builds) and against
// a BigInt reference (each contribution computed with the same float64 expression, summed exactly), bit for
// bit: random inputs across sizes (odd lengths, the 2^14 block and the 2^16 flush boundaries), modes, and
// input kinds; and every batch the WASM path must refuse (it returns null and the caller runs the JS kernels).
import { expect } from "chai";
import { mulberry32 } from "../../lib/cli/demo.js";
import { emptyHingeState, hingeLossCompute, hingeLossUpdate } from "../../lib/metrics/hinge/functional.js";
import { resolveHingeLossOptions } from "../../lib/options/index.js";
import { exactSum } from "../../lib/state/index.js";
import {
  commitWasmPartial,
  wasmBinaryPartial,
  wasmCrammerSingerPartial,
  wasmOneVsAllPartial,
  type WasmPartial,
} from "../../lib/wasm/hinge.js";
import { createHingeWasm } from "../../lib/wasm/loader.js";
import { reference } from "./reference.js";

/**
 * Scores: mostly U(-3, 3) at full float64 precision, some exact small values, ±0 and values just below 1
 * (multiples of 2^-30, so that a squared contribution stays on the fast path).
 */
function scores(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.05) out[i] = [0, -0, 1, -1, 0.5, 2][i % 6];
    else if (u < 0.1) out[i] = 1 - Math.floor(r() * 1024) * 2 ** -30;
    else out[i] = r() * 6 - 3;
  }
  return out;
}

function classes(n: number, C: number, seed: number): Int32Array {
  const r = mulberry32(seed);
  return Int32Array.from({ length: n }, () => Math.floor(r() * C));
}

/** The JS kernels' exact state for the same batch: measure sums, total, and the computed value. */
function viaJs(
  mode: "binary" | "crammer-singer" | "one-vs-all",
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  C: number,
  squared: boolean,
): { measure: bigint[]; total: bigint; value: number | number[] } {
  const options = resolveHingeLossOptions(
    mode === "binary" ? { squared } : { squared, multiclassMode: mode },
  );
  const state = emptyHingeState();
  const preds = mode === "binary" ? p : { data: p, shape: [t.length, C] };
  hingeLossUpdate(state, preds, t, undefined, options);
  const k = state.measure.size;
  return {
    measure: Array.from({ length: k }, (_, i) => state.measure.exact(i)),
    total: state.total.exact(),
    value: hingeLossCompute(state, options),
  };
}

/** The value HingeLoss would report after committing the partial into an empty state. */
function committedValue(partial: WasmPartial): number | number[] {
  const k = partial.measure.length;
  const into = { measure: exactSum(k).empty(), total: exactSum().empty() };
  commitWasmPartial(into, partial);
  if (k === 1) return into.measure.ratio(into.total, 0);
  return Array.from({ length: k }, (_, c) => into.measure.ratio(into.total, c));
}

function partialOf(
  mode: "binary" | "crammer-singer" | "one-vs-all",
  p: unknown,
  t: unknown,
  C: number,
  squared: boolean,
): WasmPartial | null {
  if (mode === "binary") return wasmBinaryPartial(p, t, squared);
  if (mode === "crammer-singer") return wasmCrammerSingerPartial(p, t, C, squared);
  return wasmOneVsAllPartial(p, t, C, squared);
}

/**
 * Asserts the partial equals the JS kernels' state and the BigInt reference, bit for bit; or, when some
 * contribution needs the exact slow path, that the WASM path refuses the batch. Returns whether it took it.
 */
function expectExact(
  mode: "binary" | "crammer-singer" | "one-vs-all",
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  C: number,
  squared: boolean,
  pKind: (x: Float64Array) => unknown,
  tKind: (x: Int32Array | Float64Array) => unknown,
): boolean {
  const js = viaJs(mode, p, t, C, squared);
  const ref = reference(mode, p, t, C, squared);
  expect(ref.sums).to.deep.equal(js.measure);
  const part = partialOf(mode, pKind(Float64Array.from(p)), tKind(Int32Array.from(t)), C, squared);
  if (ref.slow) {
    expect(part, "a batch for the exact slow path is refused").to.equal(null);
    return false;
  }
  expect(part, "the WASM path takes the batch").to.not.equal(null);
  const got = part as WasmPartial;
  expect(got.count).to.equal(t.length);
  expect(got.measure).to.deep.equal(js.measure);
  expect(BigInt(got.count) << 1074n).to.equal(js.total);
  const value = committedValue(got);
  if (typeof js.value === "number") {
    expect(Object.is(value, js.value), `${value} vs ${js.value}`).to.equal(true);
  } else {
    expect(value).to.deep.equal(js.value);
  }
  return true;
}

const f32 = (x: Float64Array): unknown => Float32Array.from(x);
const p32Of = (x: Float64Array): Float64Array => Float64Array.from(Float32Array.from(x));
const f64 = (x: Float64Array): unknown => x;
const asI32 = (x: Int32Array | Float64Array): unknown => Int32Array.from(x);
const asF64 = (x: Int32Array | Float64Array): unknown => Float64Array.from(x);
const asU8 = (x: Int32Array | Float64Array): unknown => Uint8Array.from(x);
const asF32 = (x: Int32Array | Float64Array): unknown => Float32Array.from(x);

describe("WebAssembly SIMD hinge kernels (lib/wasm)", function () {
  this.timeout(120000);

  it("load in Node 20 (WebAssembly with SIMD)", function () {
    expect(createHingeWasm()).to.not.equal(null);
  });

  describe("binary: bit-identical to the JS kernels and the BigInt reference", function () {
    const sizes = [1, 2, 3, 4, 5, 7, 255, 256, 257, 16383, 16384, 16385, 65535, 65536, 65537, 140001];
    for (const squared of [false, true]) {
      for (const n of sizes) {
        it(`${squared ? "squared, " : ""}N=${n}, float32 and float64 scores, int32 / float64 / uint8 / float32 targets`, function () {
          const raw = scores(n, n + (squared ? 7 : 0));
          const p32 = Float64Array.from(Float32Array.from(raw));
          const t = classes(n, 2, n * 3 + 1);
          // float32 scores never need the slow path here: those batches must be taken
          expect(expectExact("binary", p32, t, 0, squared, f32, asI32)).to.equal(true);
          expectExact("binary", raw, t, 0, squared, f64, asF64);
          expectExact("binary", raw, t, 0, squared, f64, asU8);
          expect(expectExact("binary", p32, t, 0, squared, f32, asF32)).to.equal(true);
        });
      }
    }

    it("targets -1 count as 0 (y = -1), as in the JS kernels", function () {
      const p = scores(1001, 5);
      const t = Int32Array.from({ length: 1001 }, (_, i) => (i % 3) - 1);
      expect(expectExact("binary", p, t, 0, false, f64, asI32)).to.equal(true);
      expectExact("binary", p, t, 0, true, f64, (x) => Int8Array.from(x));
    });

    it("an empty batch is an exact zero with count 0", function () {
      expect(wasmBinaryPartial(new Float32Array(0), new Int32Array(0), false)).to.deep.equal({
        measure: [0n],
        count: 0,
      });
    });
  });

  for (const mode of ["crammer-singer", "one-vs-all"] as const) {
    describe(`${mode}: bit-identical to the JS kernels and the BigInt reference`, function () {
      for (const squared of [false, true]) {
        for (const [n, C] of [
          [1, 2],
          [7, 3],
          [33, 4],
          [65, 5],
          [1000, 10],
          [3277, 10],
          [5, 17],
          [17000, 3],
          [20, 1000],
        ] as const) {
          it(`${squared ? "squared, " : ""}N=${n} × C=${C}, float32 and float64 scores, int32 / float64 targets`, function () {
            const raw = scores(n * C, n * C + (squared ? 11 : 0));
            const p32 = Float64Array.from(Float32Array.from(raw));
            const t = classes(n, C, n + C);
            expect(expectExact(mode, p32, t, C, squared, f32, asI32)).to.equal(true);
            expectExact(mode, raw, t, C, squared, f64, asF64);
            expect(expectExact(mode, p32, t, C, squared, f32, asF32)).to.equal(true);
          });
        }
      }
    });
  }

  describe("refuses (null) what the JS kernels must handle", function () {
    const p = new Float32Array([0.5, -0.25, 1.5, 2, -1, 0.75]);
    const t = new Int32Array([1, 0, 1, 1, 0, 1]);

    it("a bad target, a non-finite score, or a contribution for the exact slow path", function () {
      expect(wasmBinaryPartial(p, Int32Array.from([1, 0, 2, 1, 0, 1]), false)).to.equal(null);
      expect(wasmBinaryPartial(p, Float64Array.from([1, 0, 0.5, 1, 0, 1]), false)).to.equal(null);
      expect(wasmBinaryPartial(Float32Array.from([0.5, NaN, 1, 1, 1, 1]), t, false)).to.equal(null);
      expect(wasmBinaryPartial(Float64Array.from([0.5, 1, 1, 1, 1, Infinity]), t, true)).to.equal(null);
      // 1 + 2^25 ≥ 2^24: the JS pair kernels hand it to the three-anchor ones; WASM leaves the batch to JS
      expect(wasmBinaryPartial(Float64Array.from([0.5, 2 ** 25, 1, 1, 1, 1]), t, false)).to.equal(null);
      // squared 2^-80 has bits below 2^-76: the exact slow path
      expect(wasmBinaryPartial(Float64Array.from([1 - 2 ** -40, 1, 1, 1, 1, 1]), t, true)).to.equal(null);
      // ... and the unsquared 2^-40 is fine
      expect(wasmBinaryPartial(Float64Array.from([1 - 2 ** -40, 1, 1, 1, 1, 1]), t, false)).to.not.equal(
        null,
      );
    });

    it("multiclass: a class index out of range or not integral, a non-finite score", function () {
      const P = new Float64Array([1, 2, 3, 4, 5, 6]);
      for (const path of [wasmCrammerSingerPartial, wasmOneVsAllPartial]) {
        expect(path(P, Int32Array.from([0, 3]), 3, false)).to.equal(null);
        expect(path(P, Int32Array.from([-1, 0]), 3, false)).to.equal(null);
        expect(path(P, Float64Array.from([0, 1.5]), 3, false)).to.equal(null);
        expect(
          path(Float64Array.from([1, 2, 3, 4, -Infinity, 6]), Int32Array.from([0, 1]), 3, false),
        ).to.equal(null);
        expect(path(Float32Array.from([1, NaN, 3, 4, 5, 6]), Int32Array.from([0, 1]), 3, true)).to.equal(
          null,
        );
      }
    });

    it("inputs it does not read: plain arrays, BigInt targets, mismatched lengths, C outside [2, 4096]", function () {
      expect(wasmBinaryPartial([0.5, 1], [1, 0], false)).to.equal(null);
      expect(wasmBinaryPartial(p, BigInt64Array.from([1n, 0n, 1n, 1n, 0n, 1n]), false)).to.equal(null);
      expect(wasmBinaryPartial(p, t.subarray(1), false)).to.equal(null);
      expect(wasmCrammerSingerPartial(p, Int32Array.from([0, 1]), 2, false)).to.equal(null);
      expect(wasmOneVsAllPartial(p, Int32Array.from([0]), 6, false)).to.not.equal(null);
      expect(wasmOneVsAllPartial(p, Int32Array.from([0, 0, 0, 0, 0, 0]), 1, false)).to.equal(null);
      expect(wasmOneVsAllPartial(new Float32Array(4097), Int32Array.from([0]), 4097, false)).to.equal(null);
      expect(wasmBinaryPartial(p, t, false, null)).to.equal(null);
    });

    it("a refused batch leaves nothing behind: the next batch is exact", function () {
      const C = 6;
      const P = p32Of(scores(12000 * C, 99));
      const y = classes(12000, C, 98);
      const bad = Float64Array.from(P);
      bad[bad.length - 1] = NaN; // the last row of the last block: earlier blocks were accumulated
      for (const squared of [false, true]) {
        expect(wasmOneVsAllPartial(bad, y, C, squared)).to.equal(null);
        expect(expectExact("one-vs-all", P, y, C, squared, f32, asI32)).to.equal(true);
        expect(wasmCrammerSingerPartial(bad, y, C, squared)).to.equal(null);
        expect(expectExact("crammer-singer", P, y, C, squared, f32, asI32)).to.equal(true);
        const n = 40000;
        const pb = Float64Array.from(scores(n, 5));
        pb[n - 1] = NaN;
        expect(wasmBinaryPartial(pb, classes(n, 2, 4), squared)).to.equal(null);
        expect(expectExact("binary", p32Of(scores(n, 6)), classes(n, 2, 7), 0, squared, f32, asI32)).to.equal(
          true,
        );
      }
    });
  });

  it("partials of the parts committed in any order give the whole's bits", function () {
    const n = 50001;
    const p = Float32Array.from(scores(n, 3));
    const t = classes(n, 2, 4);
    const fresh = () => ({ measure: exactSum(1).empty(), total: exactSum().empty() });
    const whole = fresh();
    commitWasmPartial(whole, wasmBinaryPartial(p, t, false) as WasmPartial);
    const parts = fresh();
    for (const [a, b] of [
      [30000, n],
      [0, 17],
      [17, 30000],
    ]) {
      commitWasmPartial(parts, wasmBinaryPartial(p.subarray(a, b), t.subarray(a, b), false) as WasmPartial);
    }
    expect(parts.measure.exact(0)).to.equal(whole.measure.exact(0));
    expect(Object.is(parts.measure.ratio(parts.total), whole.measure.ratio(whole.total))).to.equal(true);
  });
});
