// The torchmetrics 1.9 behaviours of research items 9–12, decided: each spec pins our documented value or
// error (docs/classification.md, "Differences from torchmetrics").
import { expect } from "chai";
import fc from "fast-check";
import {
  BinaryAccuracy,
  BinaryConfusionMatrix,
  BinaryF1Score,
  BinaryFBetaScore,
  BinaryPrecision,
  BinaryRecall,
  BinarySpecificity,
  BinaryStatScores,
  MetricInputError,
  MulticlassAccuracy,
  MulticlassConfusionMatrix,
  MulticlassF1Score,
  MulticlassPrecision,
  MulticlassRecall,
  MulticlassSpecificity,
  MulticlassStatScores,
  binaryStatScores,
} from "../../../lib/index.js";

describe("item 9: binary preds are probabilities, labels or (explicitly) logits, the same for every batch", () => {
  // the vectors' *-ignore-outside-range batch: the only pred outside [0, 1] (3.5) has an ignored target
  const preds = [0.2, 0.9, 3.5, 0.6, 0.45, 0.05];
  const target = [0, 1, -1, 1, 0, 1];
  const o = { ignoreIndex: -1 };

  it("an ignored sample is skipped before any range check: every metric agrees with the confusion matrix", () => {
    // torchmetrics: the StatScores family applies a sigmoid to the whole batch (accuracy 0.6), while
    // BinaryConfusionMatrix ignores first ([[2, 0], [1, 2]], accuracy 0.8)
    expect(new BinaryConfusionMatrix(o).update(preds, target).compute()).to.deep.equal([
      [2, 0],
      [1, 2],
    ]);
    expect(new BinaryStatScores(o).update(preds, target).compute()).to.deep.equal([2, 0, 2, 1, 3]);
    expect(new BinaryAccuracy(o).update(preds, target).compute()).to.equal(0.8);
    expect(new BinaryPrecision(o).update(preds, target).compute()).to.equal(1);
    expect(new BinaryRecall(o).update(preds, target).compute()).to.equal(2 / 3);
    expect(new BinaryF1Score(o).update(preds, target).compute()).to.equal(0.8);
    expect(new BinaryFBetaScore({ ...o, beta: 0.5 }).update(preds, target).compute()).to.equal(2.5 / 2.75);
    expect(new BinarySpecificity(o).update(preds, target).compute()).to.equal(1);
  });

  it('logits need inputTransform: "sigmoid", and then any batching of them gives the same counts', () => {
    const logits = [0.3, -2, 1.7, -0.1, 4, -3.5];
    const y = [1, 0, 1, 1, 0, 0];
    expect(() => new BinaryAccuracy().update(logits, y)).to.throw(
      MetricInputError,
      /inputTransform: "sigmoid"/,
    );
    // torchmetrics reads a batch whose logits all fall in [0, 1] as probabilities: [0.3] alone is then
    // negative at 0.5, though sigmoid(0.3) = 0.574 is positive
    const whole = new BinaryStatScores({ inputTransform: "sigmoid" }).update(logits, y).compute();
    expect(whole).to.deep.equal([2, 1, 2, 1, 3]);
    const split = new BinaryStatScores({ inputTransform: "sigmoid" });
    for (let i = 0; i < logits.length; i++) split.update([logits[i]], [y[i]]);
    expect(split.compute()).to.deep.equal(whole);
  });

  it("a NaN pred is an error, not a negative (torchmetrics: sigmoid for the batch, then NaN > t is false)", () => {
    const m = new BinaryStatScores();
    expect(() => m.update([0.9, NaN], [1, 1])).to.throw(
      MetricInputError,
      /^preds\[1\] must be a finite number, got NaN$/,
    );
    expect(m.compute()).to.deep.equal([0, 0, 0, 0, 0]);
  });

  it("labels as integer typed arrays or as plain 0/1 numbers give the same counts at every threshold below 1", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }))),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (rows, threshold) => {
          const p = rows.map((r) => r[0]);
          const t = rows.map((r) => r[1]);
          expect(binaryStatScores(p, t, { threshold })).to.deep.equal(
            binaryStatScores(Int32Array.from(p), t, { threshold }),
          );
        },
      ),
    );
  });

  it("at threshold 1 they differ: a probability 1 is not above 1, a label 1 is positive", () => {
    expect(binaryStatScores([1, 0], [1, 0], { threshold: 1 })).to.deep.equal([0, 0, 1, 1, 1]);
    expect(binaryStatScores(new Int32Array([1, 0]), [1, 0], { threshold: 1 })).to.deep.equal([1, 0, 1, 0, 1]);
    expect(binaryStatScores(new Uint8Array([1, 0]), [1, 0], { threshold: 1 })).to.deep.equal([1, 0, 1, 0, 1]);
    expect(
      binaryStatScores({ data: new BigInt64Array([1n, 0n]), shape: [2] }, [1, 0], { threshold: 1 }),
    ).to.deep.equal([1, 0, 1, 0, 1]);
  });
});

describe("item 10: class indices are checked whatever the preds' form", () => {
  it("a target outside [0, C) with float scores is a MetricInputError (torchmetrics skips the check)", () => {
    const m = new MulticlassAccuracy({ numClasses: 3, average: "micro" });
    const scores = [
      [0.1, 0.8, 0.1],
      [0.6, 0.2, 0.2],
      [0.1, 0.2, 0.7],
    ];
    expect(() => m.update(scores, [1, 0, 3])).to.throw(
      MetricInputError,
      /^target\[2\] must be a class in \[0, 3\), got 3$/,
    );
    expect(() => m.update(scores, [1, -1, 2])).to.throw(
      MetricInputError,
      /^target\[1\] must be a class in \[0, 3\), got -1$/,
    );
  });

  it("a pred label outside [0, C) is a MetricInputError (torchmetrics counts unique values only)", () => {
    const m = new MulticlassConfusionMatrix({ numClasses: 3 });
    expect(() => m.update([3, 1, 0, 0], [0, 1, 2, 0])).to.throw(
      MetricInputError,
      /^preds\[0\] must be a class label in \[0, 3\), got 3$/,
    );
    expect(
      m
        .compute()
        .flat()
        .every((x) => x === 0),
    ).to.equal(true);
  });

  it("an ignored sample's scores must still be finite numbers", () => {
    const m = new MulticlassAccuracy({ numClasses: 3, ignoreIndex: -1 });
    expect(() =>
      m.update(
        [
          [0.2, 0.3, 0.5],
          [0.1, Infinity, 0.2],
        ],
        [2, -1],
      ),
    ).to.throw(MetricInputError, /^preds\[1\]\[1\] must be a finite number, got Infinity$/);
    expect(
      m
        .update(
          [
            [0.2, 0.3, 0.5],
            [0.1, 0.7, 0.2],
          ],
          [2, -1],
        )
        .compute(),
    ).to.equal(1);
  });

  it("ignoreIndex may be any integer, inside [0, C) too (those samples are skipped)", () => {
    const m = new MulticlassStatScores({ numClasses: 3, average: "micro", ignoreIndex: 2 });
    expect(m.update([0, 2, 1], [0, 2, 2]).compute()).to.deep.equal([1, 0, 2, 0, 1]);
  });
});

describe("item 11: topK = k (torchmetrics 1.9): each sample predicts one class", () => {
  // sample A: target 0 ranks 2nd (a hit with k = 2); sample B: target 0 ranks 3rd, so B predicts class 1
  const scores = [
    [0.1, 0.9, 0.0],
    [0.0, 0.6, 0.4],
  ];
  const target = [0, 0];

  it("a target among the k best is a hit on it; any other sample predicts its best class", () => {
    expect(
      new MulticlassStatScores({ numClasses: 3, topK: 2, average: "none" }).update(scores, target).compute(),
    ).to.deep.equal([
      [1, 0, 0, 1, 2],
      [0, 1, 1, 0, 0],
      [0, 0, 2, 0, 0],
    ]);
  });

  it("ties rank by class index, as the argmax takes the first maximum", () => {
    const tie = [[0.4, 0.4, 0.2]];
    expect(new MulticlassConfusionMatrix({ numClasses: 3 }).update(tie, [1]).compute()[1]).to.deep.equal([
      1, 0, 0,
    ]);
    expect(
      new MulticlassAccuracy({ numClasses: 3, topK: 2, average: "micro" }).update(tie, [1]).compute(),
    ).to.equal(1);
    expect(
      new MulticlassAccuracy({ numClasses: 3, topK: 2, average: "micro" })
        .update([[0.4, 0.4, 0.4]], [2])
        .compute(),
    ).to.equal(0);
  });

  it("macro: accuracy, precision and recall keep classes with a target; F-beta and specificity keep classes that occur", () => {
    const o = { numClasses: 3, topK: 2 } as const;
    expect(new MulticlassRecall(o).update(scores, target).compute()).to.equal(0.5);
    expect(new MulticlassAccuracy(o).update(scores, target).compute()).to.equal(0.5);
    expect(new MulticlassPrecision(o).update(scores, target).compute()).to.equal(1);
    expect(new MulticlassF1Score(o).update(scores, target).compute()).to.equal(1 / 3);
    expect(new MulticlassSpecificity(o).update(scores, target).compute()).to.equal(0.25);
    // with k = 1 both samples predict class 1: classes 0 and 1 occur
    expect(new MulticlassRecall({ numClasses: 3 }).update(scores, target).compute()).to.equal(0);
  });
});

describe("item 12: zero divisions", () => {
  it("0/0 in a state that counted samples is the zeroDivision value (0 by default)", () => {
    const noPositivePred = [
      [0.1, 0.2],
      [1, 0],
    ] as const;
    expect(new BinaryPrecision().update(...noPositivePred).compute()).to.equal(0);
    expect(new BinaryPrecision({ zeroDivision: 1 }).update(...noPositivePred).compute()).to.equal(1);
    expect(new BinaryF1Score({ zeroDivision: 1 }).update([0.1], [0]).compute()).to.equal(1);
    expect(new BinarySpecificity().update([0.9, 0.1], [1, 1]).compute()).to.equal(0);
    expect(
      new MulticlassPrecision({ numClasses: 3, average: "none", zeroDivision: 1 })
        .update([0, 0], [0, 1])
        .compute(),
    ).to.deep.equal([0.5, 1, 1]);
  });

  it("a normalised confusion matrix gives zeros for a row or column without samples", () => {
    expect(
      new MulticlassConfusionMatrix({ numClasses: 3, normalize: "true" }).update([0, 1], [0, 0]).compute(),
    ).to.deep.equal([
      [0.5, 0.5, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(new BinaryConfusionMatrix({ normalize: "pred" }).update([0.9], [1]).compute()).to.deep.equal([
      [0, 0],
      [0, 1],
    ]);
  });

  it("macro averages leave out classes absent everywhere, specificity included (it would score 1 there)", () => {
    // class 2 never occurs: per class [1, 0.5, 1], macro over classes 0 and 1
    const m = new MulticlassSpecificity({ numClasses: 3, average: "none" }).update([0, 1, 1], [0, 1, 0]);
    expect(m.compute()).to.deep.equal([1, 0.5, 1]);
    expect(new MulticlassSpecificity({ numClasses: 3 }).update([0, 1, 1], [0, 1, 0]).compute()).to.equal(
      0.75,
    );
  });

  it("MulticlassStatScores macro averages over all C classes; weighted with nothing counted is zeros (torchmetrics: NaN)", () => {
    expect(new MulticlassStatScores({ numClasses: 4 }).update([0, 1], [0, 0]).compute()).to.deep.equal([
      0.25, 0.25, 1.25, 0.25, 0.5,
    ]);
    expect(new MulticlassStatScores({ numClasses: 4, average: "weighted" }).compute()).to.deep.equal([
      0, 0, 0, 0, 0,
    ]);
  });

  it("weighted accuracy equals micro accuracy (to rounding)", () => {
    const p = [0, 1, 2, 2, 1, 0, 0];
    const t = [0, 1, 1, 2, 0, 0, 2];
    const micro = new MulticlassAccuracy({ numClasses: 3, average: "micro" }).update(p, t).compute();
    const weighted = new MulticlassAccuracy({ numClasses: 3, average: "weighted" }).update(p, t).compute();
    expect(micro).to.equal(4 / 7);
    expect(Math.abs(weighted - micro)).to.be.below(1e-15);
  });
});

describe("label inputs in every tensor form", () => {
  it("integer typed arrays are labels directly, in { data, shape }, in { data, dims } and from a tfjs-like dataSync()", () => {
    const expected = [1, 0, 1, 0, 1];
    const forms: unknown[] = [
      new Int8Array([1, 0]),
      { data: new Uint16Array([1, 0]), shape: [2] },
      { data: new BigInt64Array([1n, 0n]), dims: [2n] },
      { shape: [2], dataSync: () => new Int32Array([1, 0]) },
    ];
    for (const preds of forms)
      expect(binaryStatScores(preds as never, [1, 0], { threshold: 1 })).to.deep.equal(expected);
    expect(
      binaryStatScores({ shape: [2], dataSync: () => new Float32Array([1, 0]) } as never, [1, 0], {
        threshold: 1,
      }),
    ).to.deep.equal([0, 0, 1, 1, 1]);
  });
});
