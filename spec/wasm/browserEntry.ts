// Bundled for the browser by spec/wasm/browser.spec.ts: runs the WASM paths in the page and publishes what
// they give (exact sums as decimal strings) next to the JS kernels' state for the same batches.
import { HingeLoss } from "../../lib/index.js";
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

/**
 * HingeLoss.update on every batch and mode, automatic (the WebAssembly kernels above the threshold) and with
 * the JS kernels forced (the scratch's `wasm` null): the JSON states, and whether each automatic metric made
 * its instance (it does only on the WASM path).
 */
export function viaMetric(): { auto: string[]; js: string[]; instances: boolean[] } {
  const auto: string[] = [];
  const js: string[] = [];
  const instances: boolean[] = [];
  for (const { p, t, C } of batches()) {
    for (const squared of [false, true]) {
      for (const mode of C === 0 ? (["binary"] as const) : (["crammer-singer", "one-vs-all"] as const)) {
        const options = mode === "binary" ? { squared } : { squared, multiclassMode: mode };
        const preds = mode === "binary" ? p : { data: p, shape: [t.length, C] };
        const a = new HingeLoss(options);
        const j = new HingeLoss(options);
        const scratch = (m: HingeLoss) =>
          (m as unknown as { kernelScratch: { wasm: unknown } }).kernelScratch;
        scratch(j).wasm = null;
        auto.push(JSON.stringify(a.update(preds, t).toJSON()));
        js.push(JSON.stringify(j.update(preds, t).toJSON()));
        instances.push(scratch(a).wasm !== undefined && scratch(a).wasm !== null);
      }
    }
  }
  return { auto, js, instances };
}

/** What the WASM paths and the JS kernels give, per batch and mode. */
export function runAll(): {
  loaded: boolean;
  wasm: (string[] | null)[];
  js: string[][];
  metric: ReturnType<typeof viaMetric>;
} {
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
  return { loaded: createHingeWasm() !== null, wasm, js, metric: viaMetric() };
}

(globalThis as { __wasmResult?: unknown }).__wasmResult = runAll();
