import { expect } from "chai";
import {
  Accuracy,
  BinaryAccuracy,
  F1Score,
  MetricCollection,
  MulticlassAccuracy,
  MulticlassF1Score,
  accuracy,
  binaryAccuracy,
  f1Score,
  mergeStates,
  multiclassAccuracy,
  multiclassF1Score,
  restoreMetric,
} from "../../../lib/index.js";

// torchmetrics' docstring data: scores (N, C) whose argmax is [2, 1, 0, 1], targets [2, 1, 0, 0]
const scores = [
  [0.16, 0.26, 0.58],
  [0.22, 0.61, 0.17],
  [0.71, 0.09, 0.2],
  [0.05, 0.82, 0.13],
];
const target = [2, 1, 0, 0];

describe("MulticlassAccuracy and MulticlassF1Score with (N, C) scores", () => {
  it("give torchmetrics' docstring values (macro by default)", () => {
    // per class recall [0.5, 1, 1], F1 [2/3, 2/3, 1]
    expect(new MulticlassAccuracy({ numClasses: 3 }).update(scores, target).compute()).to.equal(
      (0.5 + 1 + 1) / 3,
    );
    expect(new MulticlassF1Score({ numClasses: 3 }).update(scores, target).compute()).to.equal(
      (2 / 3 + 2 / 3 + 1) / 3,
    );
    expect(
      new MulticlassAccuracy({ numClasses: 3, average: "micro" }).update(scores, target).compute(),
    ).to.equal(0.75);
    expect(
      new MulticlassAccuracy({ numClasses: 3, average: "none" }).update(scores, target).compute(),
    ).to.deep.equal([0.5, 1, 1]);
  });

  it("read a flat Float32Array with a shape in place, like nested rows", () => {
    const flat = { data: Float32Array.from(scores.flat()), shape: [4, 3] };
    const a = new MulticlassF1Score({ numClasses: 3 }).update(flat, Int32Array.from(target)).compute();
    expect(a).to.equal(new MulticlassF1Score({ numClasses: 3 }).update(scores, target).compute());
  });

  it("stream, merge and round-trip through JSON to the same bits", () => {
    const whole = new MulticlassF1Score({ numClasses: 3 }).update(scores, target);
    const a = new MulticlassF1Score({ numClasses: 3 }).update(scores.slice(0, 1), target.slice(0, 1));
    const b = new MulticlassF1Score({ numClasses: 3 }).update(scores.slice(1), target.slice(1));
    const json = JSON.parse(JSON.stringify(b)) as never;
    expect(Object.is(a.merge(json).compute(), whole.compute())).to.equal(true);
    expect(restoreMetric(JSON.parse(JSON.stringify(whole))).compute()).to.equal(whole.compute());
    expect(mergeStates([a.toJSON(), new MulticlassF1Score({ numClasses: 3 }).toJSON()]).compute()).to.equal(
      whole.compute(),
    );
  });

  it("work in a MetricCollection", () => {
    const c = new MetricCollection({
      acc: new MulticlassAccuracy({ numClasses: 3 }),
      f1: new MulticlassF1Score({ numClasses: 3 }),
    });
    c.update(scores, target);
    expect(c.compute()).to.deep.equal({ acc: 2.5 / 3, f1: (2 / 3 + 2 / 3 + 1) / 3 });
  });
});

describe("task wrappers and functional forms", () => {
  it("Accuracy / F1Score return the Binary or Multiclass class", () => {
    expect(new Accuracy({ task: "binary" })).to.be.instanceOf(BinaryAccuracy);
    const m = new Accuracy({ task: "multiclass", numClasses: 3, average: "none" });
    expect(m).to.be.instanceOf(MulticlassAccuracy);
    expect(m.update([2, 1, 0, 1], target).compute()).to.deep.equal([0.5, 1, 1]);
    expect(new F1Score({ task: "multiclass", numClasses: 3 })).to.be.instanceOf(MulticlassF1Score);
  });

  it('types follow average: number, number[] for "none", rows for stat scores and matrices', () => {
    // compile-time checks (tsc -p tsconfig.json type-checks specs): each assignment needs the precise type
    const perClass: number[] = new Accuracy({ task: "multiclass", numClasses: 3, average: "none" })
      .update([2, 1, 0, 1], target)
      .compute();
    const macro: number = new MulticlassF1Score({ numClasses: 3 }).update([2, 1, 0, 1], target).compute();
    const one: number = new Accuracy({ task: "binary" }).update([0.7], [1]).compute();
    expect([perClass, macro, one]).to.deep.equal([[0.5, 1, 1], (2 / 3 + 2 / 3 + 1) / 3, 1]);
  });

  it("functional forms equal the classes", () => {
    expect(binaryAccuracy([0.9, 0.4, 0.6], [1, 0, 0])).to.equal(2 / 3);
    expect(multiclassAccuracy(scores, target, { numClasses: 3, average: "micro" })).to.equal(0.75);
    expect(multiclassF1Score(scores, target, { numClasses: 3 })).to.equal(
      new MulticlassF1Score({ numClasses: 3 }).update(scores, target).compute(),
    );
    expect(accuracy([0.9, 0.2], [1, 1], { task: "binary" })).to.equal(0.5);
    expect(f1Score([2, 1, 0, 1], target, { task: "multiclass", numClasses: 3, average: "micro" })).to.equal(
      0.75,
    );
  });
});
