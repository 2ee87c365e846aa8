// The browser demo's data and computation, shared by the page (main.ts) and its spec (run in Node), so both
// compute exactly the same thing: a seeded simulation of a binary classifier that improves epoch by epoch,
// streamed through the RxJS `hingeLoss()` operator with one result per epoch.
import { from, lastValueFrom, toArray, type Observable } from "rxjs";
import { hingeLoss, type Batch, type EpochResult } from "../../lib/rx/index.js";

/** How much data the simulation makes. */
export interface SimulationConfig {
  /** PRNG seed (a 32-bit integer). */
  readonly seed: number;
  /** Number of epochs. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Samples per batch. */
  readonly batchSize: number;
}

/** The configuration the page uses unless the URL says otherwise. */
export const defaultSimulation: SimulationConfig = {
  seed: 20240611,
  epochs: 12,
  batchesPerEpoch: 8,
  batchSize: 64,
};

/** mulberry32: a tiny seeded PRNG; integer arithmetic only, so every engine gives the same sequence. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Simulated predictions of a binary classifier during training: the margin grows and the noise shrinks with
 * each epoch. Preds are raw decision values in a `Float32Array` (as a TensorFlow.js model gives them), targets
 * 0/1 in a `Uint8Array`; every batch carries its epoch tag.
 */
export function simulateBatches(config: SimulationConfig = defaultSimulation): Batch[] {
  const random = mulberry32(config.seed);
  const batches: Batch[] = [];
  for (let epoch = 0; epoch < config.epochs; epoch += 1) {
    const signal = 0.15 + (1.6 * epoch) / Math.max(1, config.epochs - 1);
    const noise = 1.4 - (0.8 * epoch) / Math.max(1, config.epochs - 1);
    for (let b = 0; b < config.batchesPerEpoch; b += 1) {
      const preds = new Float32Array(config.batchSize);
      const target = new Uint8Array(config.batchSize);
      for (let i = 0; i < config.batchSize; i += 1) {
        const label = random() < 0.5 ? 0 : 1;
        // a bell-shaped noise from the sum of four uniforms (mean 0, spread about ±1)
        const bell = (random() + random() + random() + random() - 2) * 1.2;
        target[i] = label;
        preds[i] = (label === 1 ? signal : -signal) + noise * bell;
      }
      batches.push({ preds, target, epoch });
    }
  }
  return batches;
}

/** Per-epoch values of the plain and the squared hinge loss. */
export interface EpochLosses {
  /** Epoch numbers, 0-based. */
  readonly epochs: number[];
  /** Hinge loss of each epoch. */
  readonly hinge: number[];
  /** Squared hinge loss of each epoch. */
  readonly squared: number[];
}

/** The per-epoch results of one loss over a batch stream (`epochs: "tagged"`: a new tag closes an epoch). */
export function epochResults(
  batches: Observable<Batch>,
  squared: boolean,
): Observable<EpochResult<number | number[]>> {
  return batches.pipe(hingeLoss({ squared }, { epochs: "tagged" }));
}

/** Runs the whole simulation through the operator and collects the per-epoch values (used by the spec). */
export async function computeEpochLosses(config: SimulationConfig = defaultSimulation): Promise<EpochLosses> {
  const batches = simulateBatches(config);
  const hinge = await lastValueFrom(epochResults(from(batches), false).pipe(toArray()));
  const squared = await lastValueFrom(epochResults(from(batches), true).pipe(toArray()));
  return {
    epochs: hinge.map((r) => r.epoch),
    hinge: hinge.map((r) => r.value as number),
    squared: squared.map((r) => r.value as number),
  };
}
