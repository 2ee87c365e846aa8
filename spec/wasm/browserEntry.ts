// Bundled for the browser by spec/wasm/browser.spec.ts: runs the WASM paths in the page and publishes what
// they give (exact sums as decimal strings) next to the JS kernels' state for the same batches.
import { emptyHingeState, hingeLossUpdate } from "../../lib/metrics/hinge/functional.js";
import { resolveHingeLossOptions } from "../../lib/options/index.js";
import { wasmBinaryPartial, wasmCrammerSingerPartial, wasmOneVsAllPartial } from "../../lib/wasm/hinge.js";
import { createHingeWasm } from "../../lib/wasm/loader.js";

/** The batches both sides run (deterministic). */
export function batches(): { p: Float32Array; t: Int32Array; C: number }[] {
  const make = (n: number, C: number, seed: number) => {
    let s = seed;
    const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
    const p = Float32Array.from({ length: n * (C === 0 ? 1 : C) }, () => next() * 4 - 2);
    const t = Int32Array.from({ length: n }, () => Math.floor(next() * (C === 0 ? 2 : C)));
    return { p, t, C };
  };
  return [make(40001, 0, 1), make(5001, 10, 2), make(333, 7, 3)];
}

/** What the WASM paths and the JS kernels give, per batch and mode. */
export function runAll(): { loaded: boolean; wasm: (string[] | null)[]; js: string[][] } {
  const wasm: (string[] | null)[] = [];
  const js: string[][] = [];
  for (const { p, t, C } of batches()) {
    for (const squared of [false, true]) {
      for (const mode of C === 0 ? (["binary"] as const) : (["crammer-singer", "one-vs-all"] as const)) {
        const part =
          mode === "binary"
            ? wasmBinaryPartial(p, t, squared)
            : mode === "crammer-singer"
              ? wasmCrammerSingerPartial(p, t, C, squared)
              : wasmOneVsAllPartial(p, t, C, squared);
        wasm.push(part === null ? null : [...part.measure.map(String), String(part.count)]);
        const state = emptyHingeState();
        const options = resolveHingeLossOptions(
          mode === "binary" ? { squared } : { squared, multiclassMode: mode },
        );
        hingeLossUpdate(
          state,
          mode === "binary" ? p : { data: p, shape: [t.length, C] },
          t,
          undefined,
          options,
        );
        const k = state.measure.size;
        js.push([
          ...Array.from({ length: k }, (_, i) => String(state.measure.exact(i))),
          String(state.total.exact() >> 1074n),
        ]);
      }
    }
  }
  return { loaded: createHingeWasm() !== null, wasm, js };
}

(globalThis as { __wasmResult?: unknown }).__wasmResult = runAll();
