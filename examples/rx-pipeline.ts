// RxJS pipeline: a simulated model scores a validation set after each training epoch; the batches flow
// through the `hingeLoss` operator of `streammetrics/rx`, which prints one validation loss per epoch.
// Run: npx tsx examples/rx-pipeline.ts
import { Observable } from "rxjs";
import { HingeLoss } from "../lib/index.js";
import { hingeLoss, type Batch } from "../lib/rx/index.js";

const EPOCHS = 5;
const CLASSES = 3;
const SAMPLES = 256;
const BATCH = 32;

/** Mulberry32: a small seeded PRNG, so every run prints the same numbers. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A normal deviate (Box–Muller) from the PRNG. */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** The validation labels (class indices), fixed across epochs. */
const labels = new Int32Array(SAMPLES);
const labelRand = prng(1);
for (let i = 0; i < SAMPLES; i++) labels[i] = Math.floor(labelRand() * CLASSES);

/**
 * The validation batches of one epoch: a "model" whose margin for the true class grows as training goes on.
 * Scores are raw decision values in a Float32Array, passed as `{ data, shape }` (read in place).
 */
function validationBatches(epoch: number): Batch[] {
  const rand = prng(100 + epoch);
  const margin = 0.4 + 0.5 * epoch;
  const batches: Batch[] = [];
  for (let start = 0; start < SAMPLES; start += BATCH) {
    const n = Math.min(BATCH, SAMPLES - start);
    const scores = new Float32Array(n * CLASSES);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < CLASSES; c++) {
        scores[i * CLASSES + c] = (c === labels[start + i] ? margin : 0) + 0.8 * gaussian(rand);
      }
    }
    // A glitch: in epoch 2 one batch carries a NaN score; the operator skips and reports it.
    if (epoch === 2 && start === 3 * BATCH) scores[5] = NaN;
    batches.push({
      preds: { data: scores, shape: [n, CLASSES] },
      target: labels.subarray(start, start + n),
      epoch,
    });
  }
  return batches;
}

// The model's output as a stream: each epoch's validation batches, tagged with their epoch.
const predictions = new Observable<Batch>((subscriber) => {
  for (let epoch = 0; epoch < EPOCHS && !subscriber.closed; epoch++) {
    for (const batch of validationBatches(epoch)) subscriber.next(batch);
  }
  subscriber.complete();
});

const perEpoch: number[] = [];
predictions
  .pipe(
    hingeLoss(
      { multiclassMode: "crammer-singer" },
      {
        epochs: "tagged",
        onInvalid: "skip",
        onSkip: (error) => console.log(`  skipped: ${error.message}`),
      },
    ),
  )
  .subscribe(({ epoch, value, samples, batches, skipped }) => {
    perEpoch.push(value as number);
    console.log(
      `epoch ${epoch}: validation hinge loss ${(value as number).toFixed(6)} ` +
        `(${samples} samples, ${batches} batches, ${skipped} skipped)`,
    );
  });

// The same numbers from a plain loop over the same batches (bad batch left out): bit for bit.
const loop = Array.from({ length: EPOCHS }, (_, epoch) => {
  const metric = new HingeLoss();
  for (const batch of validationBatches(epoch)) {
    try {
      metric.update(batch.preds, batch.target);
    } catch {
      // the NaN batch: skipped as the operator does
    }
  }
  return metric.compute() as number;
});
console.log(`bit-identical to a plain HingeLoss loop: ${loop.every((v, i) => Object.is(v, perEpoch[i]))}`);
