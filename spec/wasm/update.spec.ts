// HingeLoss.update takes the WebAssembly kernels by itself (typed arrays, no weights, no ignore index, at
// least WASM_MIN_ELEMENTS elements) and gives the bits of the JS kernels (the same metric with its scratch's
// `wasm` set to null) and of the BigInt reference: random batches (fast-check) around the threshold and
// across block boundaries, in all three modes, squared or not, float32 / float64 scores, int32 / float64 /
// uint8 targets. A bad element anywhere gives the JS path's error and leaves the state unchanged; a process
// without WebAssembly (`node --no-expose-wasm`) computes the same bits on the JS kernels.
import { expect } from "chai";
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HingeLoss, MetricInputError } from "../../lib/index.js";
import {
  WASM_MIN_ELEMENTS,
  WASM_MIN_ELEMENTS_ONE_CALL,
  hingeLoss,
} from "../../lib/metrics/hinge/functional.js";
import { wasmBinaryPartial, wasmCrammerSingerPartial, wasmOneVsAllPartial } from "../../lib/wasm/hinge.js";
import { reference } from "./reference.js";

type Mode = "binary" | "crammer-singer" | "one-vs-all";
const root = fileURLToPath(new URL("../../", import.meta.url));

/** The metric's kernel scratch (private): its `wasm` is the instance, or null to force the JS kernels. */
function scratchOf(m: HingeLoss): { wasm: unknown } {
  return (m as unknown as { kernelScratch: { wasm: unknown } }).kernelScratch;
}

function metrics(mode: Mode, squared: boolean): { auto: HingeLoss; js: HingeLoss } {
  const options = mode === "binary" ? { squared } : { squared, multiclassMode: mode };
  const js = new HingeLoss(options);
  scratchOf(js).wasm = null;
  return { auto: new HingeLoss(options), js };
}

/** Scores: U(-3, 3) at float64 precision, with exact small values and values just below 1 mixed in. */
function scoresOf(n: number, seed: number): Float64Array {
  let s = seed >>> 0 || 1;
  const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  return Float64Array.from({ length: n }, (_, i) => {
    const u = next();
    if (u < 0.05) return [0, -0, 1, -1, 0.5, 2][i % 6];
    if (u < 0.1) return 1 - Math.floor(next() * 1024) * 2 ** -30;
    return next() * 6 - 3;
  });
}

function targetsOf(n: number, classes: number, seed: number, minusOne: boolean): Int32Array {
  let s = seed >>> 0 || 7;
  const next = (): number => (s = (Math.imul(s, 22695477) + 1) >>> 0) / 4294967296;
  return Int32Array.from({ length: n }, () => {
    const k = Math.floor(next() * classes);
    return minusOne && k === 0 ? -1 : k;
  });
}

function partialOf(mode: Mode, p: unknown, t: unknown, C: number, squared: boolean): unknown {
  if (mode === "binary") return wasmBinaryPartial(p, t, squared);
  return mode === "crammer-singer"
    ? wasmCrammerSingerPartial(p, t, C, squared)
    : wasmOneVsAllPartial(p, t, C, squared);
}

describe("HingeLoss.update on the WebAssembly kernels (automatic above WASM_MIN_ELEMENTS)", function () {
  this.timeout(300000);

  it(`the thresholds: ${WASM_MIN_ELEMENTS} elements on a metric, ${WASM_MIN_ELEMENTS_ONE_CALL} for a one-shot call`, function () {
    const p = new Float32Array(WASM_MIN_ELEMENTS - 1).fill(0.5);
    const t = new Int32Array(WASM_MIN_ELEMENTS - 1).fill(1);
    const m = new HingeLoss();
    m.update(p, t);
    expect(scratchOf(m).wasm, "below the threshold: no instance").to.equal(undefined);
    m.update(new Float32Array(WASM_MIN_ELEMENTS).fill(0.5), new Int32Array(WASM_MIN_ELEMENTS).fill(1));
    expect(scratchOf(m).wasm, "at the threshold: the metric's own instance").to.not.equal(undefined);
    expect(scratchOf(m).wasm).to.not.equal(null);
    expect(scratchOf(new HingeLoss()).wasm).to.equal(undefined);
    expect(m.compute()).to.equal(0.5);
  });

  for (const mode of ["binary", "crammer-singer", "one-vs-all"] as const) {
    it(`${mode}: bit-identical to the JS kernels and the BigInt reference on random batches (fast-check)`, function () {
      const sizes =
        mode === "binary"
          ? [WASM_MIN_ELEMENTS - 1, WASM_MIN_ELEMENTS, WASM_MIN_ELEMENTS + 3, 4097, 16383, 16385, 40001]
          : [1, 51, 52, 300, 3277, 5000];
      fc.assert(
        fc.property(
          fc.constantFrom(...sizes),
          fc.constantFrom(2, 3, 10, 17),
          fc.boolean(),
          fc.constantFrom("f32", "f64"),
          fc.constantFrom("i32", "f64", "u8"),
          fc.integer({ min: 1, max: 2 ** 30 }),
          (size, classes, squared, pKind, tKind, seed) => {
            const C = mode === "binary" ? 1 : classes;
            const n = size;
            const raw = scoresOf(n * C, seed);
            const p = pKind === "f32" ? Float32Array.from(raw) : raw;
            const t32 = targetsOf(
              n,
              mode === "binary" ? 2 : C,
              seed + 1,
              mode === "binary" && tKind !== "u8",
            );
            const t = tKind === "i32" ? t32 : tKind === "f64" ? Float64Array.from(t32) : Uint8Array.from(t32);
            const preds = mode === "binary" ? p : { data: p, shape: [n, C] };
            const { auto, js } = metrics(mode, squared);
            auto.update(preds, t);
            js.update(preds, t);
            expect(auto.toJSON()).to.deep.equal(js.toJSON());
            const a = auto.compute();
            const b = js.compute();
            if (typeof a === "number") expect(Object.is(a, b), `${a} vs ${b}`).to.equal(true);
            else expect(a).to.deep.equal(b);
            const ref = reference(mode, Float64Array.from(p), t, C, squared);
            const state = (auto as unknown as { state: { measure: { exact(k: number): bigint } } }).state;
            ref.sums.forEach((sum, k) => expect(state.measure.exact(k)).to.equal(sum));
            // the batch was the kernels' (above the threshold, and nothing for the exact slow path)
            if (n * C >= WASM_MIN_ELEMENTS && !ref.slow) {
              expect(partialOf(mode, p, t, C, squared)).to.not.equal(null);
              expect(scratchOf(auto).wasm).to.not.equal(undefined);
            }
          },
        ),
        { numRuns: mode === "binary" ? 40 : 30, seed: 17 },
      );
    });
  }

  it("many batches into one metric, and merges, give the JS kernels' bits", function () {
    for (const mode of ["binary", "crammer-singer", "one-vs-all"] as const) {
      const C = mode === "binary" ? 1 : 7;
      const { auto, js } = metrics(mode, false);
      const other = new HingeLoss(mode === "binary" ? {} : { multiclassMode: mode });
      for (let k = 0; k < 5; k++) {
        const n = 600 + 997 * k;
        const p = Float32Array.from(scoresOf(n * C, 100 + k));
        const t = targetsOf(n, mode === "binary" ? 2 : C, 200 + k, false);
        const preds = mode === "binary" ? p : { data: p, shape: [n, C] };
        auto.update(preds, t);
        js.update(preds, t);
        if (k % 2 === 0) other.update(preds, t);
      }
      expect(auto.toJSON()).to.deep.equal(js.toJSON());
      const merged = HingeLoss.fromJSON(auto.toJSON()).merge(other);
      const mergedJs = HingeLoss.fromJSON(js.toJSON()).merge(other);
      expect(merged.toJSON()).to.deep.equal(mergedJs.toJSON());
    }
  });

  it("a one-shot call above its threshold gives the same bits", function () {
    const n = WASM_MIN_ELEMENTS_ONE_CALL + 5;
    const p = Float32Array.from(scoresOf(n, 5));
    const t = targetsOf(n, 2, 6, false);
    const { js } = metrics("binary", false);
    expect(Object.is(hingeLoss(p, t), js.update(p, t).compute())).to.equal(true);
  });

  it("a bad element anywhere: the JS path's MetricInputError, and the state is unchanged", function () {
    const cases: [Mode, number, (p: Float32Array, t: Int32Array) => void][] = [
      ["binary", 1, (p) => (p[40000 - 1] = NaN)],
      ["binary", 1, (p) => (p[17] = Infinity)],
      ["binary", 1, (_, t) => (t[20000] = 2)],
      ["crammer-singer", 6, (p) => (p[6 * 3000 + 2] = -Infinity)],
      ["crammer-singer", 6, (_, t) => (t[4999] = 6)],
      ["one-vs-all", 6, (p) => (p[5] = NaN)],
      ["one-vs-all", 6, (_, t) => (t[2500] = -1)],
    ];
    for (const [mode, C, spoil] of cases) {
      const n = mode === "binary" ? 40000 : 5000;
      const p = Float32Array.from(scoresOf(n * C, n + C));
      const t = targetsOf(n, mode === "binary" ? 2 : C, 3, false);
      const preds = mode === "binary" ? p : { data: p, shape: [n, C] };
      const { auto, js } = metrics(mode, false);
      auto.update(preds, t); // a good batch first: the state is not empty
      js.update(preds, t);
      const before = auto.toJSON();
      spoil(p, t);
      let seen: unknown;
      let expected: unknown;
      try {
        auto.update(preds, t);
      } catch (error) {
        seen = error;
      }
      try {
        js.update(preds, t);
      } catch (error) {
        expected = error;
      }
      expect(seen, mode).to.be.instanceOf(MetricInputError);
      expect((seen as Error).message).to.equal((expected as Error).message);
      expect(auto.toJSON()).to.deep.equal(before);
    }
  });

  it("a detached buffer: the JS path's error, nothing accumulated", function () {
    const buffer = new ArrayBuffer(4 * 8192);
    const p = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    const m = new HingeLoss();
    const js = metrics("binary", false).js;
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (error) {
        return (error as Error).message;
      }
      return "no error";
    };
    expect(message(() => m.update(p, new Int32Array(8192)))).to.equal(
      message(() => js.update(p, new Int32Array(8192))),
    );
    expect(m.toJSON()).to.deep.equal(new HingeLoss().toJSON());
  });

  it("node --no-expose-wasm (no WebAssembly): the JS kernels, the same bits in every mode", function () {
    const script = `
      const { HingeLoss } = await import("./lib/index.ts");
      const n = 20000, C = 5;
      let s = 9;
      const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
      const p = Float32Array.from({ length: n * C }, () => next() * 4 - 2);
      const t = Int32Array.from({ length: n }, () => Math.floor(next() * C));
      const b = Int32Array.from({ length: n * C }, () => Math.floor(next() * 2));
      const out = [];
      for (const squared of [false, true]) {
        const bin = new HingeLoss({ squared });
        out.push(bin.update(p, b).toJSON());
        out.push(bin.kernelScratch.wasm === undefined);
        for (const multiclassMode of ["crammer-singer", "one-vs-all"]) {
          const m = new HingeLoss({ squared, multiclassMode });
          out.push(m.update({ data: p, shape: [n, C] }, t).toJSON());
        }
      }
      console.log(JSON.stringify({ webAssembly: typeof WebAssembly, out }));
    `;
    const child = spawnSync(
      process.execPath,
      ["--no-expose-wasm", "--no-warnings", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root, encoding: "utf8" },
    );
    expect(child.status, child.stderr).to.equal(0);
    const got = JSON.parse(child.stdout.trim().split("\n").pop() as string);
    expect(got.webAssembly).to.equal("undefined");
    // the same batches here, on the WebAssembly kernels
    const n = 20000;
    const C = 5;
    let s = 9;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
    const p = Float32Array.from({ length: n * C }, () => next() * 4 - 2);
    const t = Int32Array.from({ length: n }, () => Math.floor(next() * C));
    const b = Int32Array.from({ length: n * C }, () => Math.floor(next() * 2));
    const out: unknown[] = [];
    for (const squared of [false, true]) {
      const bin = new HingeLoss({ squared });
      out.push(bin.update(p, b).toJSON());
      out.push(scratchOf(bin).wasm === undefined);
      for (const multiclassMode of ["crammer-singer", "one-vs-all"] as const) {
        const m = new HingeLoss({ squared, multiclassMode });
        out.push(m.update({ data: p, shape: [n, C] }, t).toJSON());
      }
    }
    // the JSON states match; only where the kernels ran differs (no instance without WebAssembly)
    expect(got.out.filter((x: unknown) => typeof x !== "boolean")).to.deep.equal(
      out.filter((x) => typeof x !== "boolean"),
    );
    expect(got.out.filter((x: unknown) => typeof x === "boolean")).to.deep.equal([true, true]);
    expect(out.filter((x) => typeof x === "boolean")).to.deep.equal([false, false]);
  });
});
