// The embedded module is what the committed AssemblyScript source compiles to: a fresh build with the pinned
// compiler (npm ci installs it) gives byte for byte the base64 in lib/wasm/hingeWasmBytes.ts
// (`npm run check:wasm`; `npm run build:wasm` rewrites it).
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { hingeWasmBytes } from "../../lib/wasm/loader.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("lib/wasm/hingeWasmBytes.ts is the build of wasm/assembly/hinge.ts", function () {
  this.timeout(300000); // asc takes ~10 s of CPU, far more on a loaded machine

  it("a fresh build gives the same bytes (scripts/buildWasm.mjs --check)", function () {
    const child = spawnSync(process.execPath, ["scripts/buildWasm.mjs", "--check"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(child.stderr).to.equal("");
    expect(child.status).to.equal(0);
    expect(child.stdout).to.contain("matches a fresh build");
  });

  it("is small enough to compile synchronously on a browser's main thread, and exports every kernel", function () {
    const wasm = (globalThis as { WebAssembly?: unknown }).WebAssembly as {
      validate(b: Uint8Array): boolean;
      Module: { new (b: Uint8Array): object; exports(m: object): { name: string }[] };
    };
    const bytes = hingeWasmBytes();
    expect(bytes.length).to.be.below(64 * 1024);
    expect(wasm.validate(bytes)).to.equal(true);
    const exports = wasm.Module.exports(new wasm.Module(bytes)).map((e) => e.name);
    expect(exports.sort()).to.deep.equal(
      [
        "memory",
        ...["binary", "crammerSinger", "oneVsAll"].flatMap((k) =>
          ["F32I32", "F32F64", "F64I32", "F64F64"].map((v) => k + v),
        ),
      ].sort(),
    );
  });
});
