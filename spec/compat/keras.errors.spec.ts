import { expect } from "chai";
import { InvalidOptionsError, MetricInputError, MetricStateError } from "../../lib/index.js";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  SquaredHinge,
  categoricalGeneralizedCrossEntropy,
  hinge,
  metrics,
} from "../../lib/compat/keras/index.js";

describe("keras facade: bad input → our errors, state unchanged", () => {
  const started = () => new metrics.Hinge().updateState([[0, 1]], [[0.6, 0.4]]);
  const cases: [string, (m: metrics.Hinge) => unknown, RegExp | string][] = [
    [
      "NaN in yPred",
      (m) => m.updateState([[0, 1]], [[0.6, NaN]]),
      "yPred[0][1] must be a finite number, got NaN",
    ],
    [
      "ragged yTrue",
      (m) =>
        m.updateState(
          [[0, 1], [1]],
          [
            [0.6, 0.4],
            [0.1, 0.2],
          ],
        ),
      /^yTrue\[1\] must be an array of length 2 like yTrue\[0\] \(ragged nested array\), got an array of length 1$/,
    ],
    [
      "shape mismatch",
      (m) => m.updateState([[0, 1, 1]], [[0.6, 0.4]]),
      "metrics.Hinge: yTrue has shape [1, 3] but yPred has shape [1, 2]: Keras's hinge() would fail ([1, 3] and [1, 2] do not broadcast); give yTrue the shape of yPred, [1, 2]",
    ],
    [
      "negative weight",
      (m) => m.updateState([[0, 1]], [[0.6, 0.4]], [-1]),
      "sampleWeight[0] must be a finite number ≥ 0, got -1",
    ],
    [
      "per-element weight on a metric",
      (m) =>
        m.updateState(
          [
            [0, 1],
            [0, 0],
          ],
          [
            [0.6, 0.4],
            [0.4, 0.6],
          ],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      /^sampleWeight of shape \[2, 2\] does not broadcast to the per-sample values of shape \[2\]/,
    ],
    [
      "a string label",
      (m) => m.updateState([["1", 0]] as never, [[0.6, 0.4]]),
      'yTrue[0][0] must be a number, got "1"',
    ],
  ];
  for (const [what, call, message] of cases) {
    it(`${what}: MetricInputError, toJSON() unchanged`, () => {
      const m = started();
      const before = JSON.stringify(m.toJSON());
      expect(() => call(m)).to.throw(MetricInputError, message);
      expect(JSON.stringify(m.toJSON())).to.equal(before);
      expect(m.updateState([[0, 0]], [[0.4, 0.6]]).count).to.equal(2);
    });
  }
  it("loss classes and functions raise the same errors", () => {
    expect(() => new Hinge().compute([[0, 1]], [[0.6, Infinity]])).to.throw(
      MetricInputError,
      "yPred[0][1] must be a finite number, got Infinity",
    );
    expect(() =>
      new Hinge().compute(
        [
          [0, 1],
          [0, 0],
        ],
        [
          [0.6, 0.4],
          [0.4, 0.6],
        ],
        [1, 2, 3],
      ),
    ).to.throw(
      MetricInputError,
      "sampleWeight of shape [3] does not broadcast with the per-sample losses of shape [2]",
    );
    expect(() => hinge(0 as never, [1])).to.throw(
      MetricInputError,
      "yTrue must be an array or a tensor, got the number 0",
    );
    expect(() => categoricalGeneralizedCrossEntropy([2], [[0.5, 0.5]], 0.5)).to.throw(
      MetricInputError,
      "yTrue[0] must be an integer class index in [0, 2) for categoricalGeneralizedCrossEntropy, got 2",
    );
    expect(() => categoricalGeneralizedCrossEntropy([0], [[1.5, 0.5]], 0.5)).to.throw(
      MetricInputError,
      "yPred[0][0] must be a probability in [0, 1], got 1.5",
    );
  });
  it("losses_test.py 'Bad reduction': Hinge / SquaredHinge / CategoricalHinge(reduction='abc') name the allowed values", () => {
    for (const Cls of [Hinge, SquaredHinge, CategoricalHinge]) {
      expect(() => new Cls({ reduction: "abc" as never })).to.throw(
        InvalidOptionsError,
        /Invalid value for argument `reduction`: expected one of "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none" or null \(Keras's None\), received "abc"/,
      );
    }
  });
  it("bad options → InvalidOptionsError (reduction, dtype, unknown key, q, gamma)", () => {
    expect(() => new Hinge({ reduction: "avg" as never })).to.throw(
      InvalidOptionsError,
      'Invalid value for argument `reduction`: expected one of "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none" or null (Keras\'s None), received "avg"',
    );
    // Keras's metric tests also build a metric with dtype "int32"; the facade computes in floats only.
    expect(() => new Hinge({ dtype: "int32" as never })).to.throw(
      InvalidOptionsError,
      'invalid dtype "int32": expected one of "float16", "bfloat16", "float32", "float64"',
    );
    expect(() => new metrics.Hinge({ dtype: "int32" as never })).to.throw(
      InvalidOptionsError,
      /invalid dtype/,
    );
    expect(() => new Circle({ remove_diagonal: false } as never)).to.throw(
      InvalidOptionsError,
      /did you mean "removeDiagonal"/,
    );
    expect(() => new CategoricalGeneralizedCrossEntropy({ q: 1 })).to.throw(
      InvalidOptionsError,
      /^option q must be a number in the interval \(0, 1\), got 1$/,
    );
    expect(() => categoricalGeneralizedCrossEntropy([0], [[1, 0]], { q: 0.5 } as never)).to.throw(
      InvalidOptionsError,
      /q must be a number in the interval \(0, 1\), got an object/,
    );
    expect(() => new Circle({ gamma: Infinity })).to.throw(InvalidOptionsError);
    expect(() => new metrics.Hinge({ reduction: "sum" } as never)).to.throw(
      InvalidOptionsError,
      /allowed keys: name, dtype/,
    );
  });
  it("bad or mismatched states → MetricStateError, receiver unchanged", () => {
    const m = started();
    const before = JSON.stringify(m.toJSON());
    const good = m.toJSON();
    expect(() => m.merge({ ...good, count: "0x0p+0" } as typeof good)).to.throw(
      MetricStateError,
      /total is positive while count is 0/,
    );
    expect(() => m.merge({ ...good, total: "-0x1p+0" } as typeof good)).to.throw(
      MetricStateError,
      /total must not be negative/,
    );
    expect(() => m.merge({ ...good, kind: "keras.metrics.SquaredHinge" })).to.throw(
      MetricStateError,
      /expected a keras.metrics.Hinge state/,
    );
    expect(() => m.merge(new metrics.Hinge({ dtype: "float64" }))).to.throw(MetricStateError, /dtype/);
    expect(() => m.merge(JSON.parse('{"__proto__": {}}'))).to.throw(MetricStateError);
    expect(() => m.merge(new metrics.SquaredHinge() as never)).to.throw(MetricStateError, /kinds differ/);
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });

  it("a loss whose reduction or weighted values overflow → MetricInputError, never Infinity (issue 12)", () => {
    const huge = [[0], [0]];
    const big = [[1.7e308], [1.7e308]];
    // each per-sample loss is finite; only their exact sum is not
    expect(new Hinge({ reduction: "mean", dtype: "float64" }).compute(huge, big)).to.equal(1.7e308);
    expect(() => new Hinge({ reduction: "sum", dtype: "float64" }).compute(huge, big)).to.throw(
      MetricInputError,
      /^the sum reduction of the weighted losses overflows float64 \(Infinity\): yTrue, yPred or sampleWeight is too large$/,
    );
    // float32: the sum in the dtype overflows
    expect(() => new Hinge({ reduction: "sum" }).compute(huge, [[3e38], [3e38]])).to.throw(
      MetricInputError,
      /^the sum reduction of the weighted losses overflows float32 \(Infinity\)/,
    );
    // a weight that takes one loss past the range: every reduction, "none" too, says so
    for (const reduction of [
      "sum",
      "mean",
      "sum_over_batch_size",
      "mean_with_sample_weight",
      "none",
    ] as const) {
      expect(() => new Hinge({ reduction, dtype: "float64" }).compute(huge, big, [1, 2])).to.throw(
        MetricInputError,
        /^sample 1 has a weighted loss that overflows float64 \(Infinity\)$/,
      );
    }
  });

  it("a state whose reads throw (a Proxy's get trap, a getter) → MetricStateError, receiver unchanged (issue 12)", () => {
    const m = started();
    const before = JSON.stringify(m.toJSON());
    const trapped = new Proxy(
      { ...m.toJSON() },
      {
        get() {
          throw new Error("get trap");
        },
      },
    );
    const message = /^invalid keras\.metrics\.Hinge state: .*get trap$/;
    expect(() => m.merge(trapped as never)).to.throw(MetricStateError, message);
    expect(() => metrics.Hinge.fromJSON(trapped)).to.throw(MetricStateError, message);
    const getter = Object.defineProperty({ ...m.toJSON() }, "total", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(() => metrics.Hinge.fromJSON(getter)).to.throw(MetricStateError);
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });
});
