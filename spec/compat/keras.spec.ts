import { expect } from "chai";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  SquaredHinge,
  categoricalGeneralizedCrossEntropy,
  categoricalHinge,
  circle,
  hinge,
  losses,
  metrics,
  squaredHinge,
  type KerasReduction,
} from "../../lib/compat/keras/index.js";
import { HingeLoss } from "../../lib/index.js";
import { closeTo, isErrorCase, loadVectors, type VectorCase } from "../support/vectors.js";
import { docYPred, docYTrue, near } from "./keras.fixtures.js";

type TL = Parameters<typeof hinge>[0];

const lossClasses = { Hinge, SquaredHinge, CategoricalHinge } as const;
const metricClasses = {
  Hinge: metrics.Hinge,
  SquaredHinge: metrics.SquaredHinge,
  CategoricalHinge: metrics.CategoricalHinge,
};
const fns = { hinge, squared_hinge: squaredHinge, categorical_hinge: categoricalHinge } as const;

describe("keras facade: every case of keras-docs.json", () => {
  const cases = loadVectors("keras-docs.json");
  it("the file has its 44 cases, none an error case", () => {
    expect(cases).to.have.length(44);
    expect(cases.filter(isErrorCase)).to.have.length(0);
  });
  for (const c of cases) {
    const o = c.options as { kind: string; class?: string; reduction?: KerasReduction; fn?: string };
    const atol = c.atol ?? 1e-6;
    for (const dtype of ["float32", "float64"] as const) {
      it(`${c.id} (${dtype})`, () => {
        let got: unknown;
        if (o.kind === "loss") {
          const Cls = lossClasses[o.class as keyof typeof lossClasses];
          const b = c.batches[0];
          got = new Cls({ reduction: o.reduction, dtype }).compute(
            b.target as TL,
            b.preds as TL,
            b.sampleWeight as TL,
          );
        } else if (o.kind === "function") {
          const b = c.batches[0];
          got = fns[o.fn as keyof typeof fns](b.target as TL, b.preds as TL);
        } else {
          const Cls = metricClasses[o.class as keyof typeof metricClasses];
          const m = new Cls({ dtype });
          for (const b of c.batches) m.updateState(b.target as TL, b.preds as TL, b.sampleWeight as TL);
          got = m.result();
        }
        near(got, c.expected, atol);
      });
    }
  }
});

describe("keras facade: the seed values (keras.io Hinge page)", () => {
  const yTrue = docYTrue;
  const yPred = docYPred;
  it("→ 1.3; sample_weight [1, 0] → 0.55; sum → 2.6; none → [1.1, 1.5] (float64, exact quotients)", () => {
    expect(new Hinge({ dtype: "float64" }).compute(yTrue, yPred)).to.equal(1.3);
    expect(new Hinge({ dtype: "float64" }).compute(yTrue, yPred, [1, 0])).to.equal(0.55);
    expect(new Hinge({ reduction: "sum", dtype: "float64" }).compute(yTrue, yPred)).to.equal(2.6);
    expect(new Hinge({ reduction: "none", dtype: "float64" }).compute(yTrue, yPred)).to.deep.equal([
      1.1, 1.5,
    ]);
  });
  it("float32 (default dtype) rounds with Math.fround", () => {
    expect(new Hinge().compute(yTrue, yPred)).to.equal(Math.fround(1.3));
    expect(new Hinge().call(yTrue, yPred)).to.deep.equal([Math.fround(1.1), 1.5]);
  });
  it("reduction table of anchors §5 (weights [2, 1]: 1.85 / 3.7 / 1.2333 / [2.2, 1.5]; null = none)", () => {
    const f = (reduction: KerasReduction, w?: number[]) =>
      new Hinge({ reduction, dtype: "float64" }).compute(yTrue, yPred, w);
    near(f("sum_over_batch_size", [2, 1]), 1.85, 1e-12);
    near(f("mean", [2, 1]), 1.85, 1e-12);
    near(f("sum", [2, 1]), 3.7, 1e-12);
    near(f("mean_with_sample_weight", [2, 1]), 3.7 / 3, 1e-12);
    near(f("mean_with_sample_weight"), 1.3, 1e-12);
    near(f(null, [2, 1]), [2.2, 1.5], 1e-12);
  });
  it("scalar weights: 2.0 → 2.6, 0 → 0; per-element weight under none multiplies elementwise", () => {
    expect(new Hinge({ dtype: "float64" }).compute(yTrue, yPred, 2)).to.equal(2.6);
    expect(new Hinge({ dtype: "float64" }).compute(yTrue, yPred, 0)).to.equal(0);
    expect(
      new Hinge({ reduction: "none", dtype: "float64" }).compute(yTrue, yPred, [
        [1, 0],
        [0, 1],
      ]),
    ).to.deep.equal([
      [1.1, 0],
      [0, 1.5],
    ]);
  });
  it("1-D input is one sample: 0.3; the 1-D weight pitfall gives 0.3·mean(w) = 0.1", () => {
    near(new Hinge({ dtype: "float64" }).compute([0, 1, 1], [-2.2, 2.4, 0.1]), 0.3, 1e-15);
    near(new Hinge({ dtype: "float64" }).compute([0, 1, 1], [-2.2, 2.4, 0.1], [1, 0, 0]), 0.1, 1e-15);
    near(
      new SquaredHinge({ dtype: "float64" }).compute([[0], [1], [1]], [[-2.2], [2.4], [0.1]]),
      0.27,
      1e-15,
    );
  });
  it("yTrue (N) with yPred (N, 1) is aligned like Keras's wrapper (N samples)", () => {
    expect(new Hinge({ reduction: "none", dtype: "float64" }).compute([0, 1], [[0.5], [0.5]])).to.deep.equal([
      1.5, 0.5,
    ]);
  });
  it("label rule per call: all-ones stays 1, all-zeros becomes -1, mixed {-1,0,1} and {0,2} are left as given", () => {
    expect(hinge([[1, 1]], [[0.5, -0.5]])).to.deep.equal([1]);
    expect(hinge([[0, 0]], [[0.5, -0.5]])).to.deep.equal([1]);
    expect(hinge([[-1, 0, 1]], [[0.5, 0.5, 0.5]])).to.deep.equal([(1.5 + 1 + 0.5) / 3]);
    expect(hinge([[0, 2]], [[0.5, 0.25]])).to.deep.equal([(1 + 0.5) / 2]);
  });
});

describe("keras facade: categoricalHinge vs Crammer–Singer", () => {
  it("[[0,0,1]] / [[-1,-2,-0.5]] → 1.5 (Keras quirk); HingeLoss Crammer–Singer gives 0.5", () => {
    expect(categoricalHinge([[0, 0, 1]], [[-1, -2, -0.5]])).to.deep.equal([1.5]);
    expect(new HingeLoss().update([[-1, -2, -0.5]], [2]).compute()).to.equal(0.5);
  });
  it("they agree when some wrong-class score is ≥ 0 (torchmetrics T2 → 2.9 both)", () => {
    const p = [
      [-1, 0.9, 0.2],
      [0.5, -1.1, 0.8],
      [2.2, -0.5, 0.3],
    ];
    const oneHot = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
    const keras = new CategoricalHinge({ dtype: "float64" }).compute(oneHot, p) as number;
    expect(keras).to.equal(new HingeLoss().update(p, [0, 1, 2]).compute());
  });
});

describe("keras facade: CategoricalGeneralizedCrossEntropy and Circle", () => {
  it("GCE = (1 - p^q)/q: p = 0.25, q = 0.5 → 1; p = 0.64 → 0.4; mean 0.7", () => {
    const v = categoricalGeneralizedCrossEntropy(
      [0, 1],
      [
        [0.25, 0.75],
        [0.36, 0.64],
      ],
      0.5,
    ) as number[];
    expect(v[0]).to.equal(1);
    near(v[1], 0.4, 1e-15);
    near(
      new CategoricalGeneralizedCrossEntropy({ q: 0.5, dtype: "float64" }).compute(
        [0, 1],
        [
          [0.25, 0.75],
          [0.36, 0.64],
        ],
      ),
      0.7,
      1e-15,
    );
  });
  it("GCE: p = 1 gives 0 for any q; default q is 0.5 and getConfig/fromConfig round-trip", () => {
    expect(categoricalGeneralizedCrossEntropy([1], [[0, 1]], 0.3)).to.deep.equal([0]);
    const l = new CategoricalGeneralizedCrossEntropy();
    expect(l.q).to.equal(0.5);
    expect(CategoricalGeneralizedCrossEntropy.fromConfig(l.getConfig()).getConfig()).to.deep.equal(
      l.getConfig(),
    );
  });
  it("Circle: identical same-label pair and orthogonal negative, γ = 1 → softplus(-0.32) per anchor", () => {
    const emb = [
      [1, 0],
      [1, 0],
      [0, 1],
    ];
    const expected = Math.log1p(Math.exp(-0.32)); // p-term -γ·0.4·0.4, n-term γ·0.4·(-0.4)
    const v = circle([0, 0, 1], emb, { gamma: 1 });
    near(v, [expected, expected, 0], 1e-15);
    // Keras masks zero losses: sum_over_batch_size divides by the 2 positive ones.
    near(new Circle({ gamma: 1, dtype: "float64" }).compute([0, 0, 1], emb), expected, 1e-15);
    near(
      new Circle({ gamma: 1, dtype: "float64", reduction: "sum" }).compute([0, 0, 1], emb),
      2 * expected,
      1e-15,
    );
  });
  it("Circle: no positive pairs → 0; removeDiagonal false counts self-pairs", () => {
    expect(
      circle(
        [0, 1],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).to.deep.equal([0, 0]);
    expect(
      circle(
        [0, 1],
        [
          [1, 0],
          [0, 1],
        ],
        { removeDiagonal: false },
      )[0],
    ).to.be.greaterThan(0);
    expect(new Circle().getConfig()).to.deep.equal({
      name: "circle",
      reduction: "sum_over_batch_size",
      dtype: "float32",
      gamma: 80,
      margin: 0.4,
      removeDiagonal: true,
    });
  });
});

describe("keras facade: config, names, namespaces", () => {
  it("getConfig / fromConfig round-trip; default names as Keras", () => {
    expect(new Hinge().getConfig()).to.deep.equal({
      name: "hinge",
      reduction: "sum_over_batch_size",
      dtype: "float32",
    });
    expect(new SquaredHinge().name).to.equal("squared_hinge");
    expect(new CategoricalHinge().name).to.equal("categorical_hinge");
    const l = new Hinge({ reduction: "sum", name: "h", dtype: "float64" });
    expect(Hinge.fromConfig(l.getConfig()).getConfig()).to.deep.equal(l.getConfig());
    expect(losses.Hinge).to.equal(Hinge);
    expect(new metrics.SquaredHinge().getConfig()).to.deep.equal({ name: "squared_hinge", dtype: "float32" });
  });
});

describe("keras facade: metrics streaming, exactness, merge", () => {
  const b1: [TL, TL] = [[[0, 1]], [[0.6, 0.4]]];
  const b2: [TL, TL] = [[[0, 0]], [[0.4, 0.6]]];
  it("two batches → 1.1 then 1.3; weights 3 and 1 → 1.2; result() is 0 when empty", () => {
    const m = new metrics.Hinge({ dtype: "float64" });
    expect(m.result()).to.equal(0);
    expect(m.updateState(...b1).result()).to.equal(1.1);
    expect(m.updateState(...b2).result()).to.equal(1.3);
    const w = new metrics.Hinge({ dtype: "float64" }).updateState(...b1, [3]).updateState(...b2, [1]);
    near(w.result(), 1.2, 1e-15);
    expect(m.resetState().result()).to.equal(0);
  });
  it("scalar weight 2 on a 2-sample batch → total 2.6, count 2; a 1-D batch counts as one sample", () => {
    const m = new metrics.Hinge().updateState(
      [
        [0, 1],
        [0, 0],
      ],
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      2,
    );
    // float32 (Keras): values [1.1, 1.5] in float32, their mean 1.3 rounded to float32, times 2
    expect([m.total, m.count]).to.deep.equal([Math.fround(2.6), 2]);
    const one = new metrics.Hinge().updateState([0, 1, 1], [-2.2, 2.4, 0.1]);
    expect(one.count).to.equal(1);
    near(one.total, 0.3, 1e-7); // computed in float32
  });
  it("label detection is per batch (Keras): [[-1,1]] then [[0,1]] → 1.0; one batch → 0.875", () => {
    const split = new metrics.Hinge({ dtype: "float64" })
      .updateState([[-1, 1]], [[0.5, 0.5]])
      .updateState([[0, 1]], [[0.5, 0.5]]);
    expect(split.result()).to.equal(1);
    const whole = new metrics.Hinge({ dtype: "float64" }).updateState(
      [
        [-1, 1],
        [0, 1],
      ],
      [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
    );
    expect(whole.result()).to.equal(0.875);
  });
  it("merge of parts = the whole, bit for bit, in any order, through JSON too", () => {
    const rows: [number[], number[], number][] = [];
    for (let i = 0; i < 40; i++) {
      rows.push([[i % 2, (i * 7) % 3 === 0 ? 1 : 0], [Math.sin(i) * 3, Math.cos(i * 1.3)], 1 + (i % 3)]);
    }
    const whole = new metrics.SquaredHinge({ dtype: "float64" });
    for (const [t, p, w] of rows) whole.updateState([t], [p], [w]);
    const parts = [0, 1, 2].map(() => new metrics.SquaredHinge({ dtype: "float64" }));
    rows.forEach(([t, p, w], i) => parts[(i * 5) % 3].updateState([t], [p], [w]));
    const a = parts[2].clone().merge(parts[0], JSON.parse(JSON.stringify(parts[1])));
    const b = parts[1].clone().merge(parts[2].toJSON(), parts[0]);
    expect(a.toJSON()).to.deep.equal(b.toJSON());
    expect(a.toJSON()).to.deep.equal(whole.toJSON());
    expect(Object.is(a.result(), whole.result())).to.equal(true);
    expect(whole.count).to.equal(14 * 1 + 13 * 2 + 13 * 3);
  });
  it("fromJSON restores the exact state", () => {
    const m = new metrics.CategoricalHinge().updateState([[0, 1, 0]], [[0.2, 0.1, 0.7]]);
    const back = metrics.CategoricalHinge.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.toJSON()).to.deep.equal(m.toJSON());
    expect(back.result()).to.equal(m.result());
  });
});

describe("keras facade: tfjs-layers cases (layers-* in tfjs.json)", () => {
  const layers = loadVectors("tfjs.json").filter((c) => c.id.includes("layers-"));
  const kerasFn = { hinge, squaredHinge, categoricalHinge } as const;
  const labelsOf = (c: VectorCase) => new Set((c.batches[0].target as number[][]).flat());
  it("there are 10 layers cases", () => expect(layers).to.have.length(10));
  for (const c of layers) {
    const fn = kerasFn[(c.options as { loss: keyof typeof kerasFn }).loss];
    const b = c.batches[0];
    const labels = labelsOf(c);
    const convertsHere = [...labels].every((v) => v === 0 || v === 1) && fn !== categoricalHinge;
    if (!convertsHere) {
      it(`${c.id}: ±1 or one-hot labels → the same per-sample values and mean (float32 refs, 1e-6 rel)`, () => {
        const got = fn(b.target as TL, b.preds as TL) as number[];
        expect(closeTo(got, c.expected as number[], 1e-6)).to.equal(true);
        const avg = got.reduce((s, x) => s + x, 0) / got.length;
        expect(closeTo(avg, Number(c.evaluateMean), 1e-6)).to.equal(true);
      });
    } else {
      it(`${c.id}: 0/1 labels differ (Keras 3 converts them, tfjs-layers does not)`, () => {
        const got = fn(b.target as TL, b.preds as TL) as number[];
        expect(closeTo(got, c.expected as number[], 1e-6)).to.equal(false);
        const pm1 = (b.target as number[][]).map((r) => r.map((v) => 2 * v - 1));
        expect(got).to.deep.equal(fn(pm1, b.preds as TL));
        const raw = (b.preds as number[][]).map((r, i) => {
          const m = 1 - (b.target as number[][])[i][0] * r[0];
          return m > 0 ? m : 0;
        });
        expect(closeTo(raw, c.expected as number[], 1e-6)).to.equal(true);
      });
    }
  }
});
