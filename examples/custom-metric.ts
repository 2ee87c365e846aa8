// Writing your own metric: a streaming, exactly mergeable mean absolute error in one short class, used
// through every part of the library (merge across workers, JSON, MetricCollection, RxJS).
// Run: npx tsx examples/custom-metric.ts
import { from, lastValueFrom } from "rxjs";
import {
  HingeLoss,
  Metric,
  MetricCollection,
  MetricInputError,
  exactSum,
  mergeStates,
  readTensor,
  registerMetric,
} from "../lib/index.js";
import { accumulate } from "../lib/rx/index.js";

export class MeanAbsoluteError extends Metric<number> {
  static readonly kind = "example.MeanAbsoluteError"; // written into states; the registry's key
  static readonly version = 1;
  constructor(options: Record<string, never> = {}) {
    super(options); // the one options object; toJSON().options is it
    this.addState("sumAbsError", exactSum()); // as torchmetrics' add_state
    this.addState("total", exactSum());
  }
  protected override updateState(preds: unknown, target: unknown): void {
    const p = readTensor(preds, "preds");
    const t = readTensor(target, "target");
    if (p.size !== t.size)
      throw new MetricInputError(`preds and target differ in size: ${p.size} vs ${t.size}`);
    for (let i = 0; i < p.size; i++) this.state.sumAbsError.add(Math.abs(p.data[i] - t.data[i]));
    this.state.total.add(p.size);
  }
  protected override computeValue(): number {
    return this.state.sumAbsError.ratio(this.state.total); // correctly rounded Σ/Σ
  }
}
registerMetric(MeanAbsoluteError);

// One pass over the data, and two workers that each see half of it.
const preds = [0.1, 0.7, 2.5, -1, 0.3, 4];
const target = [0, 1, 2, 0, 0.3, 3.5];
const whole = new MeanAbsoluteError().update(preds, target);
const worker1 = new MeanAbsoluteError().update(preds.slice(0, 2), target.slice(0, 2));
const worker2 = new MeanAbsoluteError().update(preds.slice(2), target.slice(2));
console.log("mae:", whole.compute());

// Merge across workers: JSON states travel, the merge is exact (bit for bit, in any order).
const wire = JSON.stringify(worker2.toJSON());
const merged = mergeStates([worker1.toJSON(), JSON.parse(wire)]);
console.log("merged === one pass:", Object.is(merged.compute(), whole.compute()));

// JSON round trip.
const back = MeanAbsoluteError.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())));
console.log("round trip:", back.compute() === whole.compute(), back.kind);

// In a MetricCollection, beside a built-in metric.
const metrics = new MetricCollection({ mae: new MeanAbsoluteError(), hinge: new HingeLoss() });
metrics.update([0.5, -0.5], [1, 0]);
console.log("collection:", metrics.compute());

// Through RxJS: the value once the stream completes.
const batches = [
  { preds: preds.slice(0, 3), target: target.slice(0, 3) },
  { preds: preds.slice(3), target: target.slice(3) },
];
const streamed = await lastValueFrom(
  from(batches).pipe(accumulate(() => new MeanAbsoluteError(), { emit: "complete" })),
);
console.log("rx:", streamed === whole.compute());
