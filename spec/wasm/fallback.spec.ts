// Where WebAssembly (or its SIMD) is unavailable the WASM paths return null and HingeLoss keeps its JS
// kernels: the loader given no WebAssembly, a WebAssembly without SIMD (validate fails) or one whose
// compilation throws (a content security policy) gives null; and a real `node --jitless` process (no
// WebAssembly at all) loads the library, gets null from every path, and computes the same bits.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { HingeLoss } from "../../lib/index.js";
import { wasmBinaryPartial, wasmCrammerSingerPartial, wasmOneVsAllPartial } from "../../lib/wasm/hinge.js";
import {
  compileHingeWasm,
  instantiateHingeWasm,
  loadHingeWasm,
  type WebAssemblyApi,
} from "../../lib/wasm/loader.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const real = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly as WebAssemblyApi;

describe("WebAssembly hinge kernels: the fallback", function () {
  this.timeout(60000);

  it("no WebAssembly, no SIMD, or a compilation that throws: the loader gives null", function () {
    expect(loadHingeWasm(undefined)).to.equal(null);
    expect(
      loadHingeWasm({ ...real, validate: () => false, Module: real.Module, Instance: real.Instance }),
    ).to.equal(null);
    const refused: WebAssemblyApi = {
      validate: (bytes) => real.validate(bytes),
      Module: class {
        constructor() {
          throw new Error("WebAssembly.Module(): Refused to compile (CSP)");
        }
      },
      Instance: real.Instance,
    };
    expect(loadHingeWasm(refused)).to.equal(null);
    expect(loadHingeWasm(real)).to.not.equal(null);
  });

  it("an instance is never grown (a grow detaches its buffer, which slows V8's typed-array loops): a module with too little memory gives null", function () {
    const loaded = loadHingeWasm(real);
    expect(loaded).to.not.equal(null);
    const memory = loaded!.kernels.memory;
    const buffer = memory.buffer;
    // a big batch through every kernel leaves the memory's buffer the same, attached, object
    const n = 40000;
    const p = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const t = Int32Array.from({ length: n }, (_, i) => i % 2);
    expect(wasmBinaryPartial(p, t, true, loaded)).to.not.equal(null);
    expect(wasmOneVsAllPartial(p, t.subarray(0, n / 2), 2, false, loaded)).to.not.equal(null);
    expect(memory.buffer).to.equal(buffer);
    expect(buffer.byteLength).to.be.greaterThan(0);
    const module = compileHingeWasm(real) as object;
    const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => object } })
      .WebAssembly;
    const small: WebAssemblyApi = {
      ...real,
      Instance: class {
        exports = { memory: new Memory({ initial: 1 }) };
      } as unknown as WebAssemblyApi["Instance"],
    };
    expect(instantiateHingeWasm(small, module)).to.equal(null);
  });

  it("every path returns null without the kernels", function () {
    const p = new Float32Array([0.5, -1, 2, 0.25]);
    expect(wasmBinaryPartial(p, new Int32Array([1, 0, 1, 0]), false, null)).to.equal(null);
    expect(wasmCrammerSingerPartial(p, new Int32Array([0, 1]), 2, true, null)).to.equal(null);
    expect(wasmOneVsAllPartial(p, new Int32Array([0, 1]), 2, false, null)).to.equal(null);
  });

  it("node --jitless (no WebAssembly): null from every path, and HingeLoss gives the same bits", function () {
    const script = `
      const wasm = await import("./lib/wasm/hinge.ts");
      const loader = await import("./lib/wasm/loader.ts");
      const { HingeLoss } = await import("./lib/index.ts");
      const p = new Float32Array([0.5, -1, 2, 0.25, 3, -0.75]);
      const t = new Int32Array([1, 0, 1, 0, 0, 1]);
      console.log(JSON.stringify({
        webAssembly: typeof WebAssembly,
        loaded: loader.createHingeWasm() !== null,
        binary: wasm.wasmBinaryPartial(p, t, false),
        cs: wasm.wasmCrammerSingerPartial(p, new Int32Array([0, 1, 1]), 2, false),
        ova: wasm.wasmOneVsAllPartial(p, new Int32Array([0, 1, 1]), 2, true),
        value: new HingeLoss().update(p, t).compute(),
      }));
    `;
    const child = spawnSync(
      process.execPath,
      ["--jitless", "--no-warnings", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root, encoding: "utf8" },
    );
    expect(child.status, child.stderr).to.equal(0);
    const out = JSON.parse(child.stdout.trim().split("\n").pop() as string);
    const expected = new HingeLoss()
      .update(new Float32Array([0.5, -1, 2, 0.25, 3, -0.75]), new Int32Array([1, 0, 1, 0, 0, 1]))
      .compute();
    expect(out).to.deep.equal({
      webAssembly: "undefined",
      loaded: false,
      binary: null,
      cs: null,
      ova: null,
      value: expected,
    });
    expect(out.value).to.equal(1.25); // (0.5 + 0 + 0 + 1.25 + 4 + 1.75) / 6
  });

  it("a realm that refuses the synchronous compile (an old browser's main thread): the JS kernels serve until an asynchronous compile has finished, with the same bits", function () {
    const script = `
      const RealModule = WebAssembly.Module;
      WebAssembly.Module = class {
        constructor() {
          throw new RangeError("WebAssembly.Module(): Wasm code generation disallowed on the main thread");
        }
      };
      const loader = await import("./lib/wasm/loader.ts");
      const { HingeLoss } = await import("./lib/index.ts");
      const n = 5000;
      const p = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
      const t = Int32Array.from({ length: n }, (_, i) => i % 2);
      const before = loader.hingeWasmModule() === null;
      const js = new HingeLoss().update(p, t).toJSON();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = loader.hingeWasmModule() !== null && loader.createHingeWasm() !== null;
      const wasm = new HingeLoss().update(p, t).toJSON();
      WebAssembly.Module = RealModule;
      console.log(JSON.stringify({ before, after, same: JSON.stringify(js) === JSON.stringify(wasm), value: new HingeLoss().update(p, t).compute() }));
    `;
    const child = spawnSync(
      process.execPath,
      ["--no-warnings", "--import", "tsx", "--input-type=module", "-e", script],
      { cwd: root, encoding: "utf8" },
    );
    expect(child.status, child.stderr).to.equal(0);
    const out = JSON.parse(child.stdout.trim().split("\n").pop() as string);
    const n = 5000;
    const expected = new HingeLoss()
      .update(
        Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3),
        Int32Array.from({ length: n }, (_, i) => i % 2),
      )
      .compute();
    expect(out).to.deep.equal({ before: true, after: true, same: true, value: expected });
  });
});
