/**
 * TensorFlow.js comparison rows: `tf.losses.hingeLoss` (binary) and the equivalent tensor ops for
 * Crammer–Singer, on the cpu backend and on the wasm backend (loaded offline from node_modules), with
 * tensor creation included (as a user with plain arrays pays it) and excluded (tensors made beforehand).
 *
 * @module
 */
import { createRequire } from "node:module";
import path from "node:path";

import type { Candidate } from "./harness.js";

type Tf = typeof import("@tensorflow/tfjs");

/** What was loaded. */
export interface TfjsHandle {
  /** The tfjs namespace. */
  readonly tf: Tf;
  /** Backends that initialised ("cpu", and "wasm" when it loads). */
  readonly backends: readonly string[];
  /** Why a backend is missing, for the report. */
  readonly notes: readonly string[];
}

/**
 * Loads tfjs with the cpu backend and, if it initialises offline, the wasm backend.
 *
 * @returns the handle, or null when tfjs itself is missing
 * @example
 * ```ts
 * const handle = await loadTfjs(); // => { tf, backends: ["cpu", "wasm"], notes: [] }
 * ```
 */
export async function loadTfjs(): Promise<TfjsHandle | null> {
  let tf: Tf;
  try {
    tf = await import("@tensorflow/tfjs");
  } catch (error) {
    console.error(`tfjs rows skipped: ${(error as Error).message}`);
    return null;
  }
  const backends: string[] = [];
  const notes: string[] = [];
  // tfjs prints a "use tfjs-node" banner once; keep the bench output clean.
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    if (await tf.setBackend("cpu")) backends.push("cpu");
    tf.tidy(() => tf.losses.hingeLoss(tf.tensor1d([1]), tf.tensor1d([0.5])).dataSync());
  } finally {
    console.log = log;
    console.warn = warn;
  }
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dist = path.join(
      path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")),
      "dist",
    );
    wasm.setWasmPaths(dist + path.sep);
    if (await tf.setBackend("wasm")) backends.push("wasm");
  } catch (error) {
    notes.push(`wasm backend unavailable: ${(error as Error).message}`);
  }
  await tf.setBackend("cpu");
  return { tf, backends, notes };
}

/**
 * Binary candidates (they read the tensors or arrays given here; the case's data argument is not used): `tf.losses.hingeLoss(labels, preds, undefined, SUM)` per backend, on ready tensors
 * and with `tensor1d` creation from the typed arrays inside the timed call.
 *
 * @param h - the loaded tfjs
 * @param p - float32 scores
 * @param t - {0, 1} targets
 * @param slowReps - reps for the cpu backend (≈ 150 ms a call)
 * @returns the candidates
 * @example
 * ```ts
 * binaryCandidates(handle, p, t, 3).map((c) => c.name); // => ["tfjs-cpu hingeLoss, tensors ready", …]
 * ```
 */
export function binaryCandidates<D = undefined>(
  h: TfjsHandle,
  p: Float32Array,
  t: Int32Array,
  slowReps: number,
): Candidate<D>[] {
  const { tf } = h;
  const out: Candidate<D>[] = [];
  for (const backend of h.backends) {
    void tf.setBackend(backend); // synchronous once the backend is initialised
    const labels = tf.tensor1d(t, "int32");
    const preds = tf.tensor1d(p, "float32");
    const reps = backend === "cpu" ? slowReps : undefined;
    const loss = (y: import("@tensorflow/tfjs").Tensor, x: import("@tensorflow/tfjs").Tensor): number =>
      tf.tidy(() => tf.losses.hingeLoss(y, x, undefined, tf.Reduction.SUM).dataSync()[0]);
    out.push({
      name: `tfjs-${backend} hingeLoss, tensors ready`,
      elems: p.length,
      reps,
      run: () => {
        void tf.setBackend(backend);
        return loss(labels, preds);
      },
    });
    out.push({
      name: `tfjs-${backend} hingeLoss, incl. tensor creation`,
      elems: p.length,
      reps,
      run: () => {
        void tf.setBackend(backend);
        return tf.tidy(() => loss(tf.tensor1d(t, "int32"), tf.tensor1d(p, "float32")));
      },
    });
  }
  void tf.setBackend("cpu");
  return out;
}

/**
 * Crammer–Singer candidates: `relu(1 - Σ(P·onehot) + max(P - 1e30·onehot)).sum()` per backend.
 *
 * @param h - the loaded tfjs
 * @param p - N·C float32 scores, row-major
 * @param t - class indices
 * @param C - classes
 * @param slowReps - reps for the cpu backend
 * @returns the candidates
 * @example
 * ```ts
 * crammerSingerCandidates(handle, p, t, 10, 3).length; // => 4 (2 per backend)
 * ```
 */
export function crammerSingerCandidates<D = undefined>(
  h: TfjsHandle,
  p: Float32Array,
  t: Int32Array,
  C: number,
  slowReps: number,
): Candidate<D>[] {
  const { tf } = h;
  const n = t.length;
  const out: Candidate<D>[] = [];
  type T = import("@tensorflow/tfjs").Tensor;
  const cs = (P: T, y: T): number =>
    tf.tidy(() => {
      const oh = tf.oneHot(y as import("@tensorflow/tfjs").Tensor1D, C);
      const pt = tf.sum(tf.mul(P, oh), 1);
      const other = tf.max(tf.sub(P, tf.mul(oh, 1e30)), 1);
      return tf.sum(tf.relu(tf.add(tf.sub(1, pt), other))).dataSync()[0];
    });
  for (const backend of h.backends) {
    void tf.setBackend(backend);
    const P = tf.tensor2d(p, [n, C], "float32");
    const y = tf.tensor1d(t, "int32");
    const reps = backend === "cpu" ? slowReps : undefined;
    out.push({
      name: `tfjs-${backend} CS ops, tensors ready`,
      elems: p.length,
      reps,
      run: () => {
        void tf.setBackend(backend);
        return cs(P, y);
      },
    });
    out.push({
      name: `tfjs-${backend} CS ops, incl. tensor creation`,
      elems: p.length,
      reps,
      run: () => {
        void tf.setBackend(backend);
        return tf.tidy(() => cs(tf.tensor2d(p, [n, C], "float32"), tf.tensor1d(t, "int32")));
      },
    });
  }
  void tf.setBackend("cpu");
  return out;
}
