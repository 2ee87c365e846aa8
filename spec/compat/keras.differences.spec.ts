// The facade's differences from Keras 3 (docs/keras.md, "Differences"): three input shapes on which Keras
// broadcasts predictions against the labels of other samples, contrary to its documentation. The facade
// raises a MetricInputError that says what Keras would compute, why, and how to reshape; the same data in
// the documented shape gives the per-sample values.
import { expect } from "chai";
import { MetricInputError } from "../../lib/index.js";
import {
  CategoricalGeneralizedCrossEntropy,
  Hinge,
  categoricalGeneralizedCrossEntropy,
  hinge,
  metrics,
  squaredHinge,
} from "../../lib/compat/keras/index.js";

describe("keras differences: shapes Keras broadcasts across samples raise", () => {
  const probs = [
    [0.25, 0.75],
    [0.36, 0.64],
  ];
  it("categorical_generalized_cross_entropy with labels (N, 1): Keras gives an N×N matrix (docstring: (N)); we raise", () => {
    // Keras: one_hot([[0], [1]]) has shape (2, 1, 2); times y_pred (2, 2) broadcasts to (2, 2, 2); the sum
    // over the last axis is a (2, 2) matrix of losses, although the docstring promises shape [batch_size].
    const message =
      "categoricalGeneralizedCrossEntropy: yTrue of shape [2, 1] does not index yPred of shape [2, 2]: " +
      "Keras one-hot encodes yTrue to [2, 1, 2]; Keras's categorical_generalized_cross_entropy() would broadcast " +
      "[2, 1, 2] against [2, 2] to [2, 2, 2] and return losses of shape [2, 2], pairing predictions with the " +
      "labels of other samples instead of giving one loss per sample; pass yTrue of shape [2] (one integer " +
      "class index per prediction)";
    expect(() => categoricalGeneralizedCrossEntropy([[0], [1]], probs, 0.5)).to.throw(
      MetricInputError,
      message,
    );
    // the loss class does not align equal ranks either (LossFunctionWrapper squeezes only a rank difference)
    expect(() => new CategoricalGeneralizedCrossEntropy().compute([[0], [1]], probs)).to.throw(
      MetricInputError,
      /^CategoricalGeneralizedCrossEntropy: yTrue of shape \[2, 1\] does not index yPred of shape \[2, 2\]/,
    );
    // reshaped as the message says: one value per sample
    expect(categoricalGeneralizedCrossEntropy([0, 1], probs, 0.5)).to.deep.equal([1, 0.3999999999999999]);
  });
  it("hinge with yTrue (N) and yPred (N, 1): Keras's function averages over an N×N broadcast; we raise", () => {
    // Keras: 1 - y_true * y_pred broadcasts (3) against (3, 1) to (3, 3); the mean over the last axis gives
    // each prediction's mean hinge against all three labels.
    const yTrue = [0, 1, 1];
    const yPred = [[-2.2], [2.4], [0.1]];
    expect(() => hinge(yTrue, yPred)).to.throw(
      MetricInputError,
      "hinge: yTrue has shape [3] but yPred has shape [3, 1]: Keras's hinge() would broadcast [3] against " +
        "[3, 1] to [3, 3] and return losses of shape [3], pairing predictions with the labels of other samples " +
        "instead of giving one loss per sample; reshape yTrue to [3, 1], or use the loss class, which aligns a " +
        "trailing axis of size 1",
    );
    expect(() => squaredHinge(yTrue, yPred)).to.throw(
      MetricInputError,
      /^squaredHinge: yTrue has shape \[3\]/,
    );
    // the loss class aligns (Keras's LossFunctionWrapper expands yTrue to (3, 1)): per-sample values
    expect(new Hinge({ reduction: "none", dtype: "float64" }).compute(yTrue, yPred)).to.deep.equal([
      0, 0, 0.9,
    ]);
    expect(hinge([[0], [1], [1]], yPred)).to.deep.equal([0, 0, 0.9]);
  });
  it("metrics.Hinge with yTrue (N) and yPred (N, 1): Keras's metric does not align (its loss does); we raise, state unchanged", () => {
    const m = new metrics.Hinge().updateState([[1]], [[0.5]]);
    const before = JSON.stringify(m.toJSON());
    expect(() => m.updateState([0, 1, 1], [[-2.2], [2.4], [0.1]])).to.throw(
      MetricInputError,
      "metrics.Hinge: yTrue has shape [3] but yPred has shape [3, 1]: Keras's hinge() would broadcast [3] " +
        "against [3, 1] to [3, 3] and return losses of shape [3], pairing predictions with the labels of other " +
        "samples instead of giving one loss per sample; reshape yTrue to [3, 1] (Keras's metric passes the " +
        "shapes to hinge() unaligned; its loss class aligns them)",
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
    expect(m.updateState([[0], [1], [1]], [[-2.2], [2.4], [0.1]]).count).to.equal(4);
  });
  it("labels that broadcast to the predictions' shape are used as Keras uses them (one label row for a batch)", () => {
    expect(
      hinge(
        [[-1, 1]],
        [
          [0.5, 0.5],
          [-0.5, 2],
        ],
      ),
    ).to.deep.equal([1, 0.25]);
  });
  it("shapes that do not broadcast say that Keras fails too", () => {
    expect(() => hinge([[0, 1, 1]], [[0.6, 0.4]])).to.throw(
      MetricInputError,
      "hinge: yTrue has shape [1, 3] but yPred has shape [1, 2]: Keras's hinge() would fail ([1, 3] and [1, 2] do not broadcast); give yTrue the shape of yPred, [1, 2]",
    );
  });
});
