// Validation loss over epochs: accumulate the hinge loss over each epoch's batches, read it, reset.
// Run: npx tsx examples/epochs.ts
import { HingeLoss } from "../lib/index.js";

// A tiny deterministic "model" whose decision values get sharper every epoch (seeded, reproducible).
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const classes = 4;
const batchSize = 32;
const batchesPerEpoch = 25;
const metric = new HingeLoss({ numClasses: classes });

for (let epoch = 0; epoch < 5; epoch++) {
  const random = mulberry32(42); // the same validation set every epoch
  for (let b = 0; b < batchesPerEpoch; b++) {
    const preds = new Float32Array(batchSize * classes);
    const target = new Int32Array(batchSize);
    for (let i = 0; i < batchSize; i++) {
      target[i] = Math.floor(random() * classes);
      for (let c = 0; c < classes; c++) {
        const signal = c === target[i] ? 0.5 * (epoch + 1) : 0;
        preds[i * classes + c] = signal + (random() - 0.5) * 2;
      }
    }
    metric.update({ data: preds, shape: [batchSize, classes] }, target);
  }
  console.log(
    `epoch ${epoch}: validation hinge loss ${(metric.compute() as number).toFixed(6)} over ${metric.samples} samples`,
  );
  metric.reset();
}
