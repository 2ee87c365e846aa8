import { expect } from "chai";
import { InvalidOptionsError, MetricInputError } from "../../lib/index.js";
import { Reduction, hingeLoss, type TfReduction } from "../../lib/compat/tf/index.js";
import * as keras from "../../lib/compat/keras/index.js";
import { closeTo, isErrorCase, loadVectors, revive } from "../support/vectors.js";

type TL = Parameters<typeof hingeLoss>[0];
const core = loadVectors("tfjs.json").filter((c) => !c.id.includes("layers-"));
const reductionOf = (name: unknown): TfReduction | undefined =>
  name === null ? undefined : Reduction[name as keyof typeof Reduction];
const flat = (v: unknown): number[] => (Array.isArray(v) ? (v.flat(Infinity) as number[]) : [v as number]);
const labelsOk = (t: unknown) => flat(t).every((v) => v === 0 || v === 1);
const finite = (p: unknown) => flat(p).every((v) => Number.isFinite(v));
const run = (c: (typeof core)[number]) => {
  const b = c.batches[0];
  const w = b.sampleWeight as TL | number | undefined;
  return hingeLoss(b.target as TL, b.preds as TL, {
    weights: w,
    reduction: reductionOf(c.options.reduction),
  });
};

describe("tf facade: every non-error tf.losses.hingeLoss case of tfjs.json", () => {
  const ok = core.filter(
    (c) => !isErrorCase(c) && labelsOk(c.batches[0].target) && finite(c.batches[0].preds),
  );
  const allZeroWeights = (c: (typeof core)[number]) =>
    c.batches[0].sampleWeight !== undefined && flat(c.batches[0].sampleWeight).every((v) => v === 0);
  it("32 cases qualify (0/1 labels, finite logits; 40 core cases minus 3 bad and 5 odd)", () =>
    expect(ok).to.have.length(32));
  for (const c of ok.filter((c) => !allZeroWeights(c))) {
    it(`${c.id} (float32 reference, 1e-6 relative)`, () => {
      const got = run(c);
      expect(closeTo(flat(got), flat(c.expected), 1e-6), `${JSON.stringify(got).slice(0, 200)}`).to.equal(
        true,
      );
      if (Array.isArray(c.expected))
        expect(
          JSON.stringify(got)
            .replace(/[^[\]]/g, "")
            .slice(0, 4),
        ).to.equal(
          JSON.stringify(c.expected)
            .replace(/[^[\]]/g, "")
            .slice(0, 4),
        );
    });
  }
  for (const c of ok.filter(allZeroWeights)) {
    it(`${c.id}: all weights 0 → 0 (tf.compat.v1 div_no_nan; TensorFlow.js gives NaN)`, () => {
      expect(Number.isNaN(revive(c.expected))).to.equal(true);
      expect(run(c)).to.equal(0);
    });
  }
});

describe("tf facade: where we knowingly differ (clear errors instead of tf's silent values)", () => {
  const byId = (id: string) => core.find((c) => c.id === id)!;
  it("odd-bin-n17-unit-labels-pm1: a -1 label (tf: -3) → MetricInputError naming the position", () => {
    expect(() => run(byId("odd-bin-n17-unit-labels-pm1"))).to.throw(
      MetricInputError,
      /^labels\[\d+\] must be 0 or 1 \(tf\.compat\.v1 maps labels with 2·y - 1, so -1 would become -3\), got -1$/,
    );
  });
  it("odd-label-2 → labels[2] must be 0 or 1 … got 2", () => {
    expect(() => run(byId("odd-label-2"))).to.throw(
      MetricInputError,
      /^labels\[2\] must be 0 or 1 .* got 2$/,
    );
  });
  it("odd-nan-preds / odd-inf-preds → logits[0] must be a finite number", () => {
    expect(() => run(byId("odd-nan-preds"))).to.throw(
      MetricInputError,
      "logits[0] must be a finite number, got NaN",
    );
    expect(() => run(byId("odd-nan-preds-NONE"))).to.throw(
      MetricInputError,
      "logits[0] must be a finite number, got NaN",
    );
    expect(() => run(byId("odd-inf-preds"))).to.throw(
      MetricInputError,
      "logits[0] must be a finite number, got Infinity",
    );
  });
  it("odd-empty → 0 as the reference", () => {
    expect(run(byId("odd-empty"))).to.equal(byId("odd-empty").expected);
    expect(hingeLoss([], [], { reduction: Reduction.NONE })).to.deep.equal([]);
  });
  it("bad-shape-mismatch, bad-weights-not-broadcastable, bad-reduction-unknown → our errors", () => {
    expect(() => run(byId("bad-shape-mismatch"))).to.throw(
      MetricInputError,
      "logits has shape [3] but labels has shape [4]: they must be equal",
    );
    expect(() => run(byId("bad-weights-not-broadcastable"))).to.throw(
      MetricInputError,
      "weights of shape [2] does not broadcast to labels of shape [3]",
    );
    expect(() => hingeLoss([0, 1], [0.1, 0.2], { reduction: 7 as never })).to.throw(
      InvalidOptionsError,
      /^option reduction must be one of "none", "weighted_sum", .* \(use the Reduction object\), got 7$/,
    );
  });
  it("negative weights, unknown option keys, ragged labels", () => {
    expect(() => hingeLoss([0, 1], [0.1, 0.2], { weights: [1, -1] })).to.throw(
      MetricInputError,
      "weights[1] must be a finite number ≥ 0, got -1",
    );
    expect(() => hingeLoss([0, 1], [0.1, 0.2], { weight: 2 } as never)).to.throw(
      InvalidOptionsError,
      /weight/,
    );
    expect(() =>
      hingeLoss(
        [[0, 1], [1]],
        [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
      ),
    ).to.throw(MetricInputError, /^labels\[1\] must be an array of length 2 like labels\[0\] \(ragged/);
  });
});

describe("tf facade: tf.compat.v1 HingeLossTest and reductions", () => {
  it("HingeLossTest values: 0.0, 0.175, 0.875", () => {
    expect(hingeLoss([1, 0, 0, 1], [1.2, -1.4, -1.0, 2.1])).to.equal(0);
    expect(hingeLoss([[0], [0], [1], [1]], [[-0.7], [-1.4], [1.4], [0.6]])).to.be.closeTo(0.175, 1e-15);
    expect(hingeLoss([[[1], [0], [0], [1]]], [[[1.2], [0.4], [-1.0], [-1.1]]])).to.equal(0.875);
  });
  it("labels [[-1.0],[2.1]]-style shape mismatch is an error (HingeLossTest ValueError)", () => {
    expect(() => hingeLoss([0, 1], [[-1.0], [2.1]])).to.throw(
      MetricInputError,
      "logits has shape [2, 1] but labels has shape [2]",
    );
  });
  it("SUM_OVER_BATCH_SIZE divides by the element count; SUM_BY_NONZERO_WEIGHTS by the non-zero weights", () => {
    const y = [0, 1, 0, 1];
    const x = [0, 0, 1, 1];
    const w = [0.1, 0, 0.3, 0.4];
    expect(hingeLoss(y, x, { weights: w, reduction: Reduction.SUM_OVER_BATCH_SIZE })).to.be.closeTo(
      (0.1 + 0.6) / 4,
      1e-15,
    );
    expect(hingeLoss(y, x, { weights: w })).to.be.closeTo((0.1 + 0.6) / 3, 1e-15);
    expect(hingeLoss(y, x, { weights: 2, reduction: Reduction.MEAN })).to.equal(1);
    expect(hingeLoss(y, x, { weights: 2, reduction: Reduction.SUM })).to.equal(8);
  });
  it("typed arrays and {data, shape} work like nested arrays", () => {
    const a = hingeLoss(new Int32Array([0, 1, 0, 1]), new Float32Array([0, 0, 1, 1]));
    const b = hingeLoss({ data: [0, 1, 0, 1], shape: [2, 2] }, { data: [0, 0, 1, 1], shape: [2, 2] });
    expect([a, b]).to.deep.equal([1, 1]);
  });
});

describe("the dense reader of the tf and Keras facades: ragged arrays (issue 12, item 2)", () => {
  it("hingeLoss([[], [1, 1]], [[], [-5, -5]]) says the array is ragged (it returned 0)", () => {
    expect(() => hingeLoss([[], [1, 1]], [[], [-5, -5]])).to.throw(
      MetricInputError,
      /^labels\[1\] must be an array of length 0 like labels\[0\] \(ragged nested array\), got an array of length 2$/,
    );
    expect(() =>
      hingeLoss(
        [
          [0, 1],
          [1, 1],
        ],
        [[], [-5, -5]],
      ),
    ).to.throw(MetricInputError, /^logits\[1\] .*ragged/);
    expect(() => hingeLoss([0, 1], [0, 1], { weights: [[], [1]] })).to.throw(/^weights\[1\] .*ragged/);
  });
  it("the Keras functions, losses and metrics say ragged too (they said 'overflows float64 (NaN)')", () => {
    const t = [[], [1, 1]];
    const p = [[], [-5, -5]];
    for (const f of [
      () => keras.hinge(t, p),
      () => keras.squaredHinge(t, p),
      () => keras.categoricalHinge(t, p),
      () => new keras.Hinge().compute(t, p),
      () => new keras.metrics.Hinge().updateState(t, p),
      () => new keras.Hinge().compute([[1], [1]], [[1], [1]], [[], [1]]),
    ]) {
      expect(f).to.throw(
        MetricInputError,
        /^(yTrue|sampleWeight)\[1\] must be an array of length 0 like \1\[0\] \(ragged nested array\), got an array of length [12]$/,
      );
    }
  });
  it("deeper: an empty innermost first row, a later one not empty; all-empty stays an empty tensor", () => {
    expect(() => hingeLoss([[[]], [[1]]], [[[]], [[1]]])).to.throw(
      /^labels\[1\]\[0\] must be an array of length 0 like labels\[0\]\[0\] \(ragged/,
    );
    expect(hingeLoss([[], []], [[], []])).to.equal(0);
    expect(hingeLoss([[], []], [[], []], { reduction: Reduction.NONE })).to.deep.equal([[], []]);
  });
});

describe("tf facade: detached buffers and overflow, every reduction alike (issue 12, item 6)", () => {
  const detachedF64 = () => {
    const buffer = new ArrayBuffer(8);
    const view = new Float64Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    return view;
  };
  it("labels, logits or weights over a detached buffer are errors naming the argument", () => {
    expect(() => hingeLoss(detachedF64(), [])).to.throw(
      MetricInputError,
      /^labels is a Float64Array over a detached/,
    );
    expect(() => hingeLoss([], detachedF64())).to.throw(
      MetricInputError,
      /^logits is a Float64Array over a detached/,
    );
    expect(() => hingeLoss([], [], { weights: detachedF64() })).to.throw(
      /^weights is a Float64Array over a detached/,
    );
    expect(() => hingeLoss([detachedF64()] as never, [[]])).to.throw(
      /^labels\[0\] is a Float64Array over a detached/,
    );
    expect(() => keras.hinge({ data: detachedF64(), shape: [0] }, [])).to.throw(
      /^yTrue\.data is a Float64Array/,
    );
  });
  it("a weighted loss beyond float64 throws for every reduction, NONE included (it returned [Infinity])", () => {
    const M = Number.MAX_VALUE;
    for (const reduction of Object.values(Reduction)) {
      expect(() => hingeLoss([0], [M], { weights: 2, reduction }), reduction).to.throw(
        MetricInputError,
        /^sample 0 has a weighted measure that overflows float64 \(Infinity\)/,
      );
    }
    expect(hingeLoss([0], [M], { reduction: Reduction.NONE })).to.deep.equal([M]);
  });
  it("finite losses whose exact sum overflows: an error, not Infinity", () => {
    const M = Number.MAX_VALUE;
    expect(() => hingeLoss([0, 1], [M, -M], { reduction: Reduction.SUM })).to.throw(
      MetricInputError,
      /^the weighted_sum reduction of the weighted losses overflows float64 \(Infinity\)/,
    );
    expect(hingeLoss([0, 1], [M, -M], { reduction: Reduction.MEAN })).to.equal(M);
  });
});

describe("the dense reader: hostile elements (issue 12, fuzz)", () => {
  it("a throwing getter or Proxy trap is a MetricInputError naming the argument; the Keras metric is unchanged", () => {
    const labels = [0, 1];
    Object.defineProperty(labels, 1, {
      get() {
        throw new Error("boom");
      },
    });
    expect(() => hingeLoss(labels, [0.5, 0.5])).to.throw(
      MetricInputError,
      /^labels\[1\] could not be read: reading it threw Error: boom$/,
    );
    const m = new keras.metrics.Hinge().updateState([[1]], [[0.5]]);
    const before = JSON.stringify(m.toJSON());
    const trap = new Proxy([[1]], {
      get(t, k, r) {
        if (k === "0") throw new Error("trap");
        return Reflect.get(t, k, r) as unknown;
      },
    });
    expect(() => m.updateState(trap, [[0.5]])).to.throw(MetricInputError, /^yTrue\[0\] could not be read/);
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });
  it("a BigInt inside a plain array is a mixed type (a BigInt64Array stays accepted)", () => {
    expect(() => hingeLoss([0, 1n] as never, [0.5, 0.5])).to.throw(
      MetricInputError,
      /^labels\[1\] is a bigint \(1n\): in a plain array write it as a number/,
    );
    expect(() => hingeLoss([0, 1], [0.5, 0.5], { weights: 2n as never })).to.throw(
      MetricInputError,
      /^weights /,
    );
    expect(hingeLoss(new BigInt64Array([0n, 1n]), [0.5, 0.5])).to.equal(hingeLoss([0, 1], [0.5, 0.5]));
  });
});
