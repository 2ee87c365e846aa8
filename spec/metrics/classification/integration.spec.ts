import { expect } from "chai";
import { from, lastValueFrom, toArray } from "rxjs";
import {
  BinaryConfusionMatrix,
  MetricCollection,
  MulticlassAccuracy,
  MulticlassConfusionMatrix,
  MulticlassStatScores,
  mergeStates,
  restoreMetric,
} from "../../../lib/index.js";
import { accumulate, mergeStates as mergeStates$ } from "../../../lib/rx/index.js";

const batches = [
  {
    preds: [
      [0.1, 0.7, 0.2],
      [0.5, 0.3, 0.2],
    ],
    target: [1, 2],
  },
  { preds: [[0.2, 0.2, 0.6]], target: [2] },
  {
    preds: [
      [0.3, 0.4, 0.3],
      [0.9, 0.05, 0.05],
    ],
    target: [1, 0],
  },
];

describe("classification metrics in the rest of the library", () => {
  it("the rx accumulate operator gives the running values of update/compute", async () => {
    const values = await lastValueFrom(
      from(batches).pipe(
        accumulate(() => new MulticlassAccuracy({ numClasses: 3, average: "micro" })),
        toArray(),
      ),
    );
    expect(values).to.deep.equal([0.5, 2 / 3, 0.8]);
  });

  it("the rx mergeStates operator and mergeStates restore classification states by kind", async () => {
    const states = batches.map((b) =>
      new MulticlassStatScores({ numClasses: 3, average: "none" }).update(b.preds, b.target).toJSON(),
    );
    const whole = new MulticlassStatScores({ numClasses: 3, average: "none" });
    for (const b of batches) whole.update(b.preds, b.target);
    expect(mergeStates(states).compute()).to.deep.equal(whole.compute());
    const merged = await lastValueFrom(from(states).pipe(mergeStates$()));
    expect(merged).to.deep.equal(whole.compute());
  });

  it("a MetricCollection of classification metrics round-trips through JSON", () => {
    const c = new MetricCollection({
      acc: new MulticlassAccuracy({ numClasses: 3 }),
      cm: new MulticlassConfusionMatrix({ numClasses: 3, normalize: "true" }),
    });
    c.update(batches[0].preds, batches[0].target);
    const restored = MetricCollection.fromJSON(JSON.parse(JSON.stringify(c.toJSON())));
    expect(restored.compute()).to.deep.equal(c.compute());
    expect(c.compute()).to.deep.equal({
      acc: 1 / 3,
      cm: [
        [0, 0, 0],
        [0, 1, 0],
        [1, 0, 0],
      ],
    });
    const json = JSON.parse(JSON.stringify(new BinaryConfusionMatrix().update([0.7], [1]))) as never;
    expect(restoreMetric(json).compute()).to.deep.equal([
      [0, 0],
      [0, 1],
    ]);
  });
});
