// Quick start: stream batches of decision values through a HingeLoss and read the value.
// Run: npx tsx examples/quickstart.ts
import { HingeLoss, hingeLoss } from "../lib/index.js";

// Binary: raw decision values (no sigmoid), targets 0/1.
const binary = new HingeLoss();
binary.update([-2.2, 2.4], [0, 1]);
binary.update(new Float64Array([0.1]), new Int32Array([1])); // typed arrays are read in place
console.log("binary hinge loss:", binary.compute());

// Multiclass, Crammer–Singer (the default) and one-vs-all (one value per class).
const preds = [
  [-1.0, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
];
const target = [0, 1, 2];
console.log("crammer-singer:", new HingeLoss().update(preds, target).compute());
console.log("one-vs-all:", new HingeLoss({ multiclassMode: "one-vs-all" }).update(preds, target).compute());

// The one-shot functional form, squared, with per-sample weights.
console.log("squared, weighted:", hingeLoss([-2.2, 2.4, 0.1], [0, 1, 1], { squared: true }, [1, 1, 2]));

// States merge exactly: two workers' halves give the bits of one pass.
const left = new HingeLoss().update([-2.2], [0]);
const right = new HingeLoss().update([2.4, 0.1], [1, 1]);
const merged = HingeLoss.fromJSON(JSON.parse(JSON.stringify(left.toJSON()))).merge(right);
console.log("merged:", merged.compute(), "=== one pass:", merged.compute() === binary.compute());
