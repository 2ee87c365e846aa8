// Keras 3's own tests of the hinge-losses page, ported: keras/src/losses/losses_test.py (CircleTest,
// CategoricalGeneralizedCrossEntropyTest, HingeTest / SquaredHingeTest / CategoricalHingeTest),
// keras/src/metrics/hinge_metrics_test.py, and tf-keras's tf_keras/losses_test.py hinge classes. Inputs and
// expected numbers are restated from those tests; each `it` names the test it ports. Keras asserts with
// assertAlmostEqual (3 decimals) / assertAllClose.
import { expect } from "chai";
import { InvalidOptionsError, MetricInputError } from "../../lib/index.js";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  SquaredHinge,
  categoricalGeneralizedCrossEntropy,
  circle,
  metrics,
} from "../../lib/compat/keras/index.js";
import { near } from "./keras.fixtures.js";

const gceOf = (p: number, q: number): number => (1 - Math.pow(p, q)) / q;

describe("keras ported: CategoricalGeneralizedCrossEntropyTest (any leading shape)", () => {
  const yTrue = [0, 1, 0, 1];
  it("test_basic_correctness_for_binary: q = 0.5 and q = 0.8, mean of (1 - p^q)/q", () => {
    const yPred = [
      [0.7, 0.3],
      [0.2, 0.8],
      [0.6, 0.4],
      [0.4, 0.6],
    ];
    for (const q of [0.5, 0.8]) {
      const expected = (gceOf(0.7, q) + gceOf(0.8, q) + gceOf(0.6, q) + gceOf(0.6, q)) / 4;
      near(new CategoricalGeneralizedCrossEntropy({ q }).compute(yTrue, yPred), expected, 1e-6);
      near(
        new CategoricalGeneralizedCrossEntropy({ q, dtype: "float64" }).compute(yTrue, yPred),
        expected,
        1e-15,
      );
    }
  });
  it("test_basic_correctness_for_multi_class: p = 0.7, 0.2, 0.6, 0.2", () => {
    const yPred = [
      [0.7, 0.3, 0.0],
      [0.2, 0.2, 0.6],
      [0.6, 0.4, 0.0],
      [0.2, 0.2, 0.6],
    ];
    for (const q of [0.5, 0.8]) {
      const expected = (gceOf(0.7, q) + gceOf(0.2, q) + gceOf(0.6, q) + gceOf(0.2, q)) / 4;
      near(new CategoricalGeneralizedCrossEntropy({ q }).compute(yTrue, yPred), expected, 1e-6);
    }
  });
  const labels = [
    [0, 1, 1, 0],
    [1, 0, 1, 0],
    [0, 0, 1, 1],
    [1, 1, 0, 1],
  ];
  const oneHot = (rows: number[][], C: number) =>
    rows.map((r) => r.map((c) => [...Array(C)].map((_, k) => (k === c ? 1 : 0) as number)));
  it("test_binary_segmentation: (4, 4) labels with (4, 4, 2) probabilities → 0, then (q(0.2) + q(0.4)) / 16", () => {
    const exact = oneHot(labels, 2);
    near(new CategoricalGeneralizedCrossEntropy({ q: 0.5 }).compute(labels, exact), 0, 1e-7);
    const off = structuredClone(exact);
    off[0][3] = [0.2, 0.8];
    off[3][3] = [0.6, 0.4];
    near(
      new CategoricalGeneralizedCrossEntropy({ q: 0.5 }).compute(labels, off),
      (gceOf(0.2, 0.5) + gceOf(0.4, 0.5)) / 16,
      1e-6,
    );
  });
  it("test_multi_class_segmentation: (4, 4) labels with (4, 4, 3) probabilities → 0, then (q(0.2) + q(0) + q(0.5)) / 16", () => {
    const l3 = structuredClone(labels);
    l3[0][2] = 2;
    const exact = oneHot(l3, 3);
    near(new CategoricalGeneralizedCrossEntropy({ q: 0.5 }).compute(l3, exact), 0, 1e-7);
    const off = structuredClone(exact);
    off[0][3] = [0.2, 0.0, 0.8];
    off[1][0] = [1.0, 0.0, 0.0];
    off[3][2] = [0.5, 0.5, 0.0];
    const expected = (gceOf(0.2, 0.5) + gceOf(0.0, 0.5) + gceOf(0.5, 0.5)) / 16;
    near(new CategoricalGeneralizedCrossEntropy({ q: 0.5 }).compute(l3, off), expected, 1e-6);
    // the function returns one loss per pixel, shape (4, 4)
    const perPixel = categoricalGeneralizedCrossEntropy(l3, off, 0.5) as number[][];
    expect(perPixel).to.have.length(4);
    expect(perPixel[1][0]).to.equal(2); // (1 - 0^0.5) / 0.5
    expect(perPixel[0][3]).to.equal(gceOf(0.2, 0.5));
    expect(perPixel[2]).to.deep.equal([0, 0, 0, 0]);
  });
  it("ranks 1 to 5: a scalar label indexes a vector; (N, H, W, D, C) with (N, H, W, D) labels", () => {
    expect(categoricalGeneralizedCrossEntropy(1, [0.36, 0.64], 0.5)).to.equal(gceOf(0.64, 0.5));
    const p5 = [[[[[0.25, 0.75]], [[0.36, 0.64]]]]]; // (1, 1, 2, 1, 2)
    expect(categoricalGeneralizedCrossEntropy([[[[0], [1]]]], p5, 0.5)).to.deep.equal([
      [[[1], [gceOf(0.64, 0.5)]]],
    ]);
    near(
      new CategoricalGeneralizedCrossEntropy({ dtype: "float64", reduction: "sum" }).compute(
        [[[[0], [1]]]],
        p5,
      ),
      1 + gceOf(0.64, 0.5),
      1e-15,
    );
  });
  it("labels that broadcast to every prediction (one label row for a batch) are broadcast, as Keras does", () => {
    const p = [
      [
        [0.25, 0.75],
        [0.36, 0.64],
      ],
      [
        [0.5, 0.5],
        [1, 0],
      ],
    ];
    expect(categoricalGeneralizedCrossEntropy([[0, 1]], p, 0.5)).to.deep.equal([
      [1, gceOf(0.64, 0.5)],
      [gceOf(0.5, 0.5), 2],
    ]);
  });
});

describe("keras ported: CircleTest (with ref_labels / ref_embeddings)", () => {
  const yTrue = [1, 1, 2, 2, 3];
  const yPred = [
    [0.70014004, -0.42008403, 0.14002801, 0.56011203],
    [0.17609018, 0.70436073, -0.52827054, 0.44022545],
    [-0.34050261, 0.25537696, -0.68100522, 0.59587957],
    [0.32163376, -0.75047877, 0.53605627, -0.21442251],
    [0.51261459, -0.34174306, 0.17087153, 0.76892189],
  ];
  const refLabels = [1, 1, 2, 2, 3, 4];
  const refEmbeddings = [
    [0.40824829, -0.54433105, 0.27216553, 0.68041382],
    [0.76376261, 0.10910895, -0.54554473, 0.32732684],
    [-0.74420841, 0.24806947, 0.49613894, -0.3721042],
    [0.52981294, -0.13245324, 0.79471941, -0.26490647],
    [0.54554473, -0.32732684, 0.10910895, 0.76376261],
    [-0.27216553, 0.68041382, 0.40824829, -0.54433105],
  ];
  it("test_correctness: Circle(80, 0.4) → 188.3883; Circle(256, 0.25) → 652.7617", () => {
    near(new Circle({ gamma: 80, margin: 0.4 }).compute(yTrue, yPred), 188.3883, 1e-3);
    near(new Circle({ gamma: 256, margin: 0.25 }).compute(yTrue, yPred), 652.7617, 1e-3);
  });
  it("test_correctness: circle(..., ref_labels, ref_embeddings, remove_diagonal=False) → (61.5844, 94.3465, 276.9344, 90.9873, 48.8963)", () => {
    const v = circle(yTrue, yPred, {
      refLabels,
      refEmbeddings,
      gamma: 80,
      margin: 0.4,
      removeDiagonal: false,
    });
    near(v, [61.5844, 94.3465, 276.9344, 90.9873, 48.8963], 1e-3);
  });
  it("test_correctness_weighted: sample_weight (2, 2, 1, 1, 0.5) → 244.91918", () => {
    near(new Circle().compute(yTrue, yPred, [2, 2, 1, 1, 0.5]), 244.91918, 1e-3);
  });
  it("test_no_reduction: the reference set as the batch → [82.9116, 36.7942, 92.4590, 52.6798, 0, 0]", () => {
    near(
      new Circle({ reduction: null }).compute(refLabels, refEmbeddings),
      [82.9116, 36.7942, 92.459, 52.6798, 0, 0],
      1e-3,
    );
  });
  it("test_sum_reduction → 264.845; test_mean_with_sample_weight_reduction → 163.27948", () => {
    near(new Circle({ reduction: "sum" }).compute(refLabels, refEmbeddings), 264.845, 1e-3);
    near(
      new Circle({ reduction: "mean_with_sample_weight" }).compute(yTrue, yPred, [2, 2, 1, 1, 0.5]),
      163.27948,
      1e-3,
    );
  });
  it("references default to the batch: refLabels = yTrue and refEmbeddings = yPred give the plain values", () => {
    expect(circle(yTrue, yPred, { refLabels: yTrue, refEmbeddings: yPred })).to.deep.equal(
      circle(yTrue, yPred),
    );
  });
  it("remove_diagonal drops the pairs (i, i) by position, also against references (Keras's eye(N, M))", () => {
    // query 0 (label 0) and reference 0 (label 0, identical): a positive pair only when the diagonal stays
    const q = [[1, 0]];
    const refs = {
      refLabels: [0, 1],
      refEmbeddings: [
        [1, 0],
        [0, 1],
      ],
      gamma: 1,
    };
    const kept = circle([0], q, { ...refs, removeDiagonal: false })[0];
    const dropped = circle([0], q, refs)[0];
    // kept: pos = -1·0.4·0.4 = -0.16, neg = 1·0.4·(0.6 - 1) = -0.16 → softplus(-0.32); dropped: no positive → 0
    expect(kept).to.equal(Math.log1p(Math.exp(-0.32)));
    expect(dropped).to.equal(0);
  });
  it("the function rejects unknown option keys as the class does; snake_case names its camelCase form", () => {
    expect(() => circle(yTrue, yPred, { ref_labels: refLabels } as never)).to.throw(
      InvalidOptionsError,
      /"ref_labels" for circle: did you mean "refLabels"\?/,
    );
    expect(() => circle(yTrue, yPred, { remove_diagonal: false } as never)).to.throw(
      InvalidOptionsError,
      /did you mean "removeDiagonal"/,
    );
    expect(() => circle(yTrue, yPred, { foo: 1 } as never)).to.throw(
      InvalidOptionsError,
      /"foo" for circle[\s\S]*gamma, margin, removeDiagonal, refLabels, refEmbeddings/,
    );
    expect(() => new Circle({ refLabels } as never)).to.throw(InvalidOptionsError, /"refLabels"/);
  });
  it("references that do not match are errors", () => {
    expect(() => circle(yTrue, yPred, { refLabels })).to.throw(
      MetricInputError,
      "circle: refLabels has 6 labels but yPred (the default refEmbeddings) has 5 embeddings: give one label per reference embedding",
    );
    expect(() => circle(yTrue, yPred, { refEmbeddings: [[1, 0, 0]] })).to.throw(
      MetricInputError,
      /refEmbeddings has 3 dimensions but yPred has 4/,
    );
    expect(() => circle(yTrue, yPred, { refLabels: [0.5], refEmbeddings: [[1, 0, 0, 0]] })).to.throw(
      MetricInputError,
      "refLabels[0] must be an integer label (int32), got 0.5",
    );
  });
});

describe("keras ported: hinge_metrics_test.py", () => {
  const yPred = [
    [-0.3, 0.2, -0.1, 1.6],
    [-0.25, -1.0, 0.5, 0.6],
  ];
  it("HingeTest: 0/1 labels → 0.506; ±1 labels with sample_weight (1.5, 2) → 0.493 (atol 1e-3)", () => {
    const m = new metrics.Hinge().updateState(
      [
        [0, 1, 0, 1],
        [0, 0, 1, 1],
      ],
      yPred,
    );
    near(m.result(), 0.506, 1e-3);
    const w = new metrics.Hinge().updateState(
      [
        [-1, 1, -1, 1],
        [-1, -1, 1, 1],
      ],
      yPred,
      [1.5, 2.0],
    );
    near(w.result(), 0.493, 1e-3);
  });
  it("SquaredHingeTest: → 0.364 and 0.347", () => {
    near(
      new metrics.SquaredHinge()
        .updateState(
          [
            [0, 1, 0, 1],
            [0, 0, 1, 1],
          ],
          yPred,
        )
        .result(),
      0.364,
      1e-3,
    );
    near(
      new metrics.SquaredHinge()
        .updateState(
          [
            [-1, 1, -1, 1],
            [-1, -1, 1, 1],
          ],
          yPred,
          [1.5, 2.0],
        )
        .result(),
      0.347,
      1e-3,
    );
  });
  it("CategoricalHingeTest: → 0.5, and 0.5 with sample_weight (1, 1.5, 2, 2.5) (atol 1e-5)", () => {
    const t = [
      [0, 1, 0, 1, 0],
      [0, 0, 1, 1, 1],
      [1, 1, 1, 1, 0],
      [0, 0, 0, 0, 1],
    ];
    const p = [
      [0, 0, 1, 1, 0],
      [1, 1, 1, 1, 1],
      [0, 1, 0, 1, 0],
      [1, 1, 1, 1, 1],
    ];
    near(new metrics.CategoricalHinge().updateState(t, p).result(), 0.5, 1e-5);
    near(new metrics.CategoricalHinge().updateState(t, p, [1, 1.5, 2, 2.5]).result(), 0.5, 1e-5);
  });
  it("the CategoricalHinge docstring's float32 result 1.4000001 (Keras computes in float32), and 1.2", () => {
    const m = new metrics.CategoricalHinge();
    expect(
      m
        .updateState(
          [
            [0, 1],
            [0, 0],
          ],
          [
            [0.6, 0.4],
            [0.4, 0.6],
          ],
        )
        .result(),
    ).to.equal(Math.fround(1.4000001));
    near(
      m
        .resetState()
        .updateState(
          [
            [0, 1],
            [0, 0],
          ],
          [
            [0.6, 0.4],
            [0.4, 0.6],
          ],
          [1, 0],
        )
        .result(),
      1.2,
      1e-7,
    );
  });
});

describe("keras ported: tf-keras tf_keras/losses_test.py HingeTest / SquaredHingeTest / CategoricalHingeTest", () => {
  const yTrue = [
    [0, 1, 0, 1],
    [0, 0, 1, 1],
  ];
  const yPred = [
    [-0.3, 0.2, -0.1, 1.6],
    [-0.25, -1.0, 0.5, 0.6],
  ];
  const column = (rows: number[][]) => rows.map((r) => r.map((v) => [v])); // shape (2, 4, 1)
  const timestepWeights = [
    [3, 6, 5, 0],
    [4, 2, 1, 3],
  ];
  it("Hinge: unweighted 0.506, scalar 2.3 → 1.164, sample (1.2, 3.4) as (2, 1) → 1.061, timestep (2, 4) → 2.012, zero → 0", () => {
    const h = new Hinge();
    near(h.compute(yTrue, yPred), 0.506, 1e-3);
    near(h.compute(yTrue, yPred, 2.3), 1.164, 1e-3);
    near(h.compute(yTrue, yPred, [[1.2], [3.4]]), 1.061, 1e-3);
    near(h.compute(column(yTrue), column(yPred), timestepWeights), 2.012, 1e-3);
    expect(h.compute(yTrue, yPred, 0)).to.equal(0);
  });
  it("SquaredHinge: unweighted 0.364, scalar 2.3 → 0.837, sample (1.2, 3.4) → 0.704, timestep → 1.542, zero → 0", () => {
    const s = new SquaredHinge();
    near(s.compute(yTrue, yPred), 0.364, 1e-3);
    near(s.compute(yTrue, yPred, 2.3), 0.837, 1e-3);
    near(s.compute(yTrue, yPred, [1.2, 3.4]), 0.704, 1e-3);
    near(s.compute(column(yTrue), column(yPred), timestepWeights), 1.542, 1e-3);
    expect(s.compute(yTrue, yPred, 0)).to.equal(0);
  });
  it("CategoricalHinge: (2, 2) → 32.5; (2, 3) scalar 2.3 → 83.95, sample (2, 1) → 124.1, timestep (2, 3, 1) → 4.0, zero → 0", () => {
    const c = new CategoricalHinge();
    near(
      c.compute(
        [
          [1, 9],
          [2, -5],
        ],
        [
          [4, 8],
          [12, 8],
        ],
      ),
      32.5,
      1e-3,
    );
    const t = [
      [1, 9, 2],
      [-5, -2, 6],
    ];
    const p = [
      [4, 8, 12],
      [8, 1, 3],
    ];
    near(c.compute(t, p, 2.3), 83.95, 1e-3);
    near(c.compute(t, p, [[1.2], [3.4]]), 124.1, 1e-3);
    near(
      c.compute(column(t), column(p), [
        [3, 6, 5],
        [0, 4, 2],
      ]),
      4.0,
      1e-3,
    );
    expect(c.compute(t, p, 0)).to.equal(0);
  });
});
