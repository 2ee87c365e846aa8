import { expect } from "chai";
import { InvalidOptionsError, MetricInputError, hingeLoss } from "../../lib/compat/sklearn/index.js";
import { closeTo, isErrorCase, loadVectors, type VectorCase } from "../support/vectors.js";

const cases = loadVectors("sklearn.json");

function call(c: VectorCase): number {
  const b = c.batches[0];
  const labels = c.options.labels as number[] | null;
  return hingeLoss(b.target as number[], b.preds as number[], {
    labels,
    sampleWeight: c.options.sample_weight === true ? (b.sampleWeight as number[]) : undefined,
  });
}

/** Our error for each of the reference's error cases: sklearn's text, then where. */
const ours: Record<string, RegExp> = {
  "bad-mc-c2":
    /^y should be a 1d array, got an array of shape \(3, 2\) instead: predDecision must be \(n_samples,\)/,
  "bad-bin-nan": /^Input contains NaN: predDecision\[0\] is NaN$/,
  "bad-bin-inf":
    /^Input contains infinity or a value too large for dtype\('float64'\): predDecision\[0\] is Infinity$/,
  "bad-mc-nan": /^Input contains NaN: predDecision\[0\]\[0\] is NaN$/,
  "bad-bin-shape-mismatch":
    /^Found input variables with inconsistent numbers of samples: \[4, 3\] \(yTrue, predDecision\)$/,
  "bad-mc-two-labels-present": /^y should be a 1d array, got an array of shape \(3, 3\) instead/,
  "bad-mc-label-absent":
    /^Please include all labels in y_true or pass labels as third argument: yTrue holds 3 classes \[0, 1, 2\] but predDecision has 4 columns$/,
  "bad-mc-labels-wrong-count":
    /^The shape of pred_decision is not consistent with the number of classes\. With a multiclass target, pred_decision shape must be \(n_samples, n_classes\), that is \(3, 4\)\. Got: \(3, 3\)$/,
  "bad-mc-preds-1d":
    /^The shape of pred_decision cannot be 1d array with a multiclass target\. pred_decision shape must be \(n_samples, n_classes\), that is \(3, 3\)\. Got: \(3,\)$/,
  "bad-mc-target-not-in-labels":
    /^y contains previously unseen labels: \[5\] \(yTrue\[2\] is 5, not one of labels \[0, 1, 2\]\)$/,
  "bad-weights-sum-zero": /^Weights sum to zero, can't be normalized/,
  "bad-weights-length":
    /^Found input variables with inconsistent numbers of samples: \[3, 3, 2\] \(yTrue, predDecision, sampleWeight\)$/,
  "bad-empty": /^Found array with 0 sample\(s\) \(shape=\(0,\)\) while a minimum of 1 is required\.$/,
};

describe("scikit-learn facade: every case of sklearn.json", () => {
  it("covers every case of the file", () => {
    expect(cases.length).to.equal(45);
    for (const c of cases.filter(isErrorCase)) expect(ours, c.id).to.have.property(c.id);
  });

  for (const c of cases.filter((x) => !isErrorCase(x))) {
    it(`${c.id} → ${c.expected as number}`, () => {
      const value = call(c);
      expect(closeTo(value, c.expected as number, 1e-12), `${value} vs ${c.expected as number}`).to.equal(
        true,
      );
    });
  }

  for (const c of cases.filter(isErrorCase)) {
    const reference = (c.expected as { error: string }).error;
    it(`${c.id}: sklearn raises "${reference.slice(0, 60)}…"; we raise MetricInputError with its text`, () => {
      expect(() => call(c)).to.throw(MetricInputError, ours[c.id]);
    });
  }
});

describe("scikit-learn facade: label handling", () => {
  const preds = [0.37, -1.5, 0.2, 2.5, -0.1];
  const y01 = [1, 0, 0, 1, 1];
  const value = hingeLoss(y01, preds);

  it("any two labels: the greater is +1 (numbers, strings), bit-identical to {-1, 1}", () => {
    const pm1 = y01.map((v) => 2 * v - 1);
    expect(hingeLoss(pm1, preds)).to.equal(value);
    expect(
      hingeLoss(
        y01.map((v) => 7 * v + 3),
        preds,
      ),
    ).to.equal(value);
    expect(
      hingeLoss(
        y01.map((v) => (v === 1 ? "yes" : "no")),
        preds,
      ),
    ).to.equal(value);
    expect(hingeLoss(new Int32Array(y01), new Float64Array(preds))).to.equal(value);
  });

  it("a column (n, 1) of decisions or labels is read as (n)", () => {
    expect(
      hingeLoss(
        y01.map((v) => [v]) as never,
        preds.map((v) => [v]),
      ),
    ).to.equal(value);
  });

  it("a single class in yTrue is all -1 (LabelBinarizer), whatever its value", () => {
    expect(hingeLoss([1, 1, 1], [2, 0.5, -1])).to.equal(1.5);
    expect(hingeLoss(["z", "z", "z"], [2, 0.5, -1])).to.equal(1.5);
  });

  it("multiclass: columns follow the sorted labels; string labels; labels for absent classes", () => {
    const P = [
      [-1, 0.9, 0.2],
      [0.5, -1.1, 0.8],
      [2.2, -0.5, 0.3],
    ];
    // Crammer–Singer by hand: 1 - (p[y] - max other), clipped
    const byHand = (y: number[]): number =>
      y
        .map((t, i) => Math.max(0, 1 - (P[i][t] - Math.max(...P[i].filter((_, j) => j !== t)))))
        .reduce((a, b) => a + b) / y.length;
    expect(hingeLoss([0, 1, 2], P)).to.be.closeTo(byHand([0, 1, 2]), 1e-15);
    expect(hingeLoss(["x", "y", "z"], P)).to.equal(hingeLoss([0, 1, 2], P));
    expect(hingeLoss([10, 20, 30], P)).to.equal(hingeLoss([0, 1, 2], P));
    expect(hingeLoss([0, 1, 1], P, { labels: [0, 1, 2] })).to.be.closeTo(byHand([0, 1, 1]), 1e-15);
  });

  it("weights: the weighted average; weights whose products w·m are exact equal repeated samples, bit for bit", () => {
    const w = [2, 0, 1, 4, 1];
    const repeated = y01.flatMap((v, i) => Array<number>(w[i]).fill(v));
    const repeatedPreds = preds.flatMap((v, i) => Array<number>(w[i]).fill(v));
    expect(hingeLoss(y01, preds, { sampleWeight: w })).to.equal(hingeLoss(repeated, repeatedPreds));
  });

  it("negative weights are accepted as in sklearn (np.average), exactly", () => {
    // losses 0.5, 0.75, 3 with weights 2, -1, 3 → (1 - 0.75 + 9) / 4
    expect(hingeLoss([1, 0, 0], [0.5, -0.25, 2], { sampleWeight: [2, -1, 3] })).to.equal(2.3125);
    // the weights sum to a negative number: the quotient is still the weighted mean
    expect(hingeLoss([1, 0], [0.5, -0.25], { sampleWeight: [1, -2] })).to.equal((0.5 - 1.5) / -1);
  });
});

describe("scikit-learn facade: bad input", () => {
  const bad = (fn: () => unknown, error: new (m: string) => Error, message: RegExp): void => {
    expect(fn).to.throw(error, message);
  };

  it("unknown or snake_case options", () => {
    bad(
      () => hingeLoss([0, 1], [0.5, 1], { sample_weight: [1, 1] } as never),
      InvalidOptionsError,
      /unknown option "sample_weight" for hingeLoss: did you mean "sampleWeight"\?/,
    );
  });

  it("decisions that are not numbers", () => {
    bad(
      () => hingeLoss([0, 1], [0.5, "a"] as never),
      MetricInputError,
      /^pred_decision should be an array of floats: predDecision\[1\] is "a"$/,
    );
  });

  it("labels that are not numbers or strings, or mixed", () => {
    bad(
      () => hingeLoss([0, null, 1] as never, [1, 2, 3]),
      MetricInputError,
      /^yTrue\[1\] must be a label .* got null$/,
    );
    bad(
      () => hingeLoss([0, "a", 1] as never, [1, 2, 3]),
      MetricInputError,
      /^yTrue\[1\] is a string but yTrue\[0\] is a number/,
    );
    bad(
      () => hingeLoss([0, 1, 2], [[1, 2, 3]].concat([[1, 2, 3]], [[1, 2, 3]]), { labels: ["a", "b", "c"] }),
      MetricInputError,
      /^labels hold strings but yTrue holds numbers/,
    );
  });

  it("a yTrue label that is not a finite number, or a BigInt, is refused, not taken as one more class (issue 12)", () => {
    bad(
      () => hingeLoss([0, 1, -Infinity], [0.5, 1, 2]),
      MetricInputError,
      /^yTrue\[2\] must be a label \(a finite number or a string\), got -Infinity$/,
    );
    bad(
      () => hingeLoss([0, 1, 1n] as never, [0.5, 1, 2]),
      MetricInputError,
      /^yTrue\[2\] is a bigint \(1n\): in a plain array write it as a number/,
    );
    bad(
      () =>
        hingeLoss([0, 1, 2], [[1, 2, 3]].concat([[1, 2, 3]], [[1, 2, 3]]), { labels: [0, 1, 2, Infinity] }),
      MetricInputError,
      /^labels\[3\] must be a label \(a finite number or a string\), got Infinity$/,
    );
    // a BigInt64Array (numpy's int64) still holds labels
    expect(hingeLoss(new BigInt64Array([-1n, 1n, 1n]), [-2.2, 2.4, 0.1])).to.equal(
      hingeLoss([-1, 1, 1], [-2.2, 2.4, 0.1]),
    );
  });

  it("the labels option is read as yTrue is: a throwing read, a BigInt, a nested array are refused (issue 12)", () => {
    const p = [
      [1, 2, 3],
      [1, 2, 3],
      [1, 2, 3],
    ];
    const labels = Object.defineProperty([0, 1, 2], 1, {
      get() {
        throw new Error("boom");
      },
    });
    bad(
      () => hingeLoss([0, 1, 2], p, { labels }),
      MetricInputError,
      /^labels\[1\] could not be read: reading it threw Error: boom$/,
    );
    bad(
      () => hingeLoss([0, 1, 2], p, { labels: [0, 1n, 2] as never }),
      MetricInputError,
      /^labels\[1\] is a bigint \(1n\)/,
    );
    bad(
      () => hingeLoss([0, 1, 2], p, { labels: [[0], [1], [2]] as never }),
      MetricInputError,
      /^labels must be a flat array of numbers or strings, got shape \(3, 1\)$/,
    );
    expect(hingeLoss([0, 1, 2], p, { labels: new BigInt64Array([0n, 1n, 2n]) as never })).to.equal(
      hingeLoss([0, 1, 2], p, { labels: [0, 1, 2] }),
    );
  });

  it("a read that throws is a MetricInputError naming the position (issue 12)", () => {
    const yTrue = Object.defineProperty([0, 1, 1], 2, {
      get() {
        throw new Error("boom");
      },
    });
    bad(
      () => hingeLoss(yTrue, [0.5, 1, 2]),
      MetricInputError,
      /^yTrue\[2\] could not be read: reading it threw Error: boom$/,
    );
    const weights = new Proxy([1, 1, 1], {
      get(t, k, r) {
        if (k === "length") throw new Error("trap");
        return Reflect.get(t, k, r) as unknown;
      },
    });
    bad(
      () => hingeLoss([0, 1, 1], [0.5, 1, 2], { sampleWeight: weights }),
      MetricInputError,
      /^sampleWeight could not be read: reading it threw Error: trap$/,
    );
  });

  it("a yTrue of more classes than labels lists (sklearn silently uses the first column)", () => {
    bad(
      () => hingeLoss([0, 1, 2], [0.1, 0.2, 0.3], { labels: [0, 1] }),
      MetricInputError,
      /^yTrue holds 3 distinct labels \[0, 1, 2\] but labels lists only 2 \[0, 1\]/,
    );
  });

  it("bad weights, ragged and 3-D decisions, 2-D yTrue", () => {
    bad(
      () => hingeLoss([0, 1], [0.5, 1], { sampleWeight: [1, NaN] }),
      MetricInputError,
      /^sampleWeight\[1\] must be a finite number, got NaN$/,
    );
    bad(
      () =>
        hingeLoss(
          [0, 1, 2],
          [
            [1, 2, 3],
            [1, 2],
          ],
        ),
      MetricInputError,
      /^predDecision\[1\] must be an array of length 3 like predDecision\[0\] \(ragged nested array\)/,
    );
    bad(
      () => hingeLoss([0, 1], { data: new Float64Array(4), shape: [2, 1, 2] }),
      MetricInputError,
      /^Found array with dim 3\. None expected <= 2/,
    );
    bad(
      () =>
        hingeLoss(
          [
            [0, 1],
            [1, 0],
          ] as never,
          [0.5, 1],
        ),
      MetricInputError,
      /^y should be a 1d array, got an array of shape \(2, 2\) instead \(yTrue\)$/,
    );
  });

  it("inputs are never modified", () => {
    const y = [1, 0, 2];
    const p = new Float64Array([0.5, 1, -1, 2, 0, 1, 3, 3, 3]);
    const copy = Float64Array.from(p);
    hingeLoss(y, { data: p, shape: [3, 3] });
    expect(Array.from(p)).to.deep.equal(Array.from(copy));
    expect(y).to.deep.equal([1, 0, 2]);
  });
});
