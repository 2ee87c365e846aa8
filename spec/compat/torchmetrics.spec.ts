import { expect } from "chai";
import { HingeLoss as CoreHingeLoss } from "../../lib/index.js";
import { prettyOptionsError } from "../../lib/options/index.js";
import {
  BinaryHingeLoss,
  HingeLoss,
  InvalidOptionsError,
  MetricInputError,
  MetricStateError,
  MulticlassHingeLoss,
  binaryHingeLoss,
  hingeLoss,
  multiclassHingeLoss,
  sigmoid,
} from "../../lib/compat/torchmetrics/index.js";

/** An empty Float64Array whose buffer was transferred away (it reads as empty). */
function detached(): Float64Array {
  const buffer = new ArrayBuffer(16);
  const view = new Float64Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
}

const T4 = [0.25, 0.25, 0.55, 0.75, 0.75];
const T4y = [0, 0, 1, 1, 1];
const T5 = [
  [0.25, 0.2, 0.55],
  [0.55, 0.05, 0.4],
  [0.1, 0.3, 0.6],
  [0.9, 0.05, 0.05],
];
const T5y = [0, 1, 2, 0];
const T2 = [
  [-1, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
];

describe("torchmetrics facade: documented examples (torchmetrics 1.x docstrings)", () => {
  it("BinaryHingeLoss → 0.6900, squared → 0.6905", () => {
    expect(new BinaryHingeLoss().update(T4, T4y).compute()).to.be.closeTo(0.69, 1e-15);
    expect(new BinaryHingeLoss({ squared: true }).update(T4, T4y).compute()).to.be.closeTo(0.6905, 1e-15);
    expect(binaryHingeLoss(T4, T4y)).to.be.closeTo(0.69, 1e-15);
  });
  it("MulticlassHingeLoss → 0.9125, squared → 1.1131, one-vs-all → [0.875, 1.125, 1.1]", () => {
    expect(new MulticlassHingeLoss({ numClasses: 3 }).update(T5, T5y).compute()).to.equal(0.9125);
    expect(multiclassHingeLoss(T5, T5y, { numClasses: 3, squared: true })).to.be.closeTo(1.113125, 1e-15);
    const ova = multiclassHingeLoss(T5, T5y, { numClasses: 3, multiclassMode: "one-vs-all" }) as number[];
    [0.875, 1.125, 1.1].forEach((e, i) => expect(ova[i]).to.be.closeTo(e, 1e-15));
  });
  it("HingeLoss(task) legacy examples: binary → 0.9, multiclass logits → 1.5551", () => {
    expect(new HingeLoss({ task: "binary" }).update([0.5, 0.7, 0.1], [0, 1, 1]).compute()).to.be.closeTo(
      0.9,
      1e-15,
    );
    expect(hingeLoss(T2, [0, 1, 2], { task: "multiclass", numClasses: 3 })).to.be.closeTo(
      1.5551372490645232,
      1e-15,
    );
  });
  it("normalize_logits_if_needed doctest values", () => {
    const p = [-1, 0, 1].map(sigmoid);
    [0.2689, 0.5, 0.7311].forEach((e, i) => expect(p[i]).to.be.closeTo(e, 5e-5));
  });
});

describe("torchmetrics facade: inputTransform", () => {
  it('"auto" reproduces the per-batch trap: 0.7 then 0.5833, compute 0.6417 ≠ one-shot 0.7566', () => {
    const m = new BinaryHingeLoss();
    expect(m.forward([0.2, 0.8], [0, 1])).to.be.closeTo(0.7, 1e-15);
    expect(m.forward([-3, 2], [0, 1])).to.be.closeTo(0.5833, 1e-4);
    expect(m.compute()).to.be.closeTo(0.6417, 1e-4);
    expect(binaryHingeLoss([0.2, 0.8, -3, 2], [0, 1, 0, 1])).to.be.closeTo(0.7566, 1e-4);
  });

  it('an explicit "sigmoid" / "softmax" gives the same bits however the stream is cut', () => {
    const p = [0.2, 0.8, -3, 2, 0.4, 1.5];
    const y = [0, 1, 0, 1, 1, 0];
    const whole = new BinaryHingeLoss({ inputTransform: "sigmoid" }).update(p, y).compute();
    const parts = new BinaryHingeLoss({ inputTransform: "sigmoid" });
    parts
      .update(p.slice(0, 2), y.slice(0, 2))
      .update(p.slice(2, 3), y.slice(2, 3))
      .update(p.slice(3), y.slice(3));
    expect(parts.compute()).to.equal(whole);
    const mc = (rows: number[][], t: number[]): number =>
      new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" })
        .update(rows, t)
        .compute() as number;
    const split = new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" });
    split.update(T5.slice(0, 1), [0]).update(T5.slice(1), [1, 2, 0]);
    expect(split.compute()).to.equal(mc(T5, T5y));
  });

  it('"none" is the core hinge on the values as given, bit for bit', () => {
    const p = [-2.2, 2.4, 0.1, 0.7];
    const y = [0, 1, 1, 0];
    expect(new BinaryHingeLoss({ inputTransform: "none" }).update(p, y).compute()).to.equal(
      new CoreHingeLoss().update(p, y).compute(),
    );
    expect(
      new MulticlassHingeLoss({ numClasses: 3, inputTransform: "none" }).update(T2, [0, 1, 2]).compute(),
    ).to.equal(new CoreHingeLoss().update(T2, [0, 1, 2]).compute());
  });

  it("the decision is taken after ignored samples are removed", () => {
    // the ignored 5.0 would force a sigmoid; without it the batch is read as probabilities
    const m = new BinaryHingeLoss({ ignoreIndex: -1 });
    expect(m.forward([0.25, 5, 0.75], [0, -1, 1])).to.equal(
      new CoreHingeLoss().update([0.25, 0.75], [0, 1]).compute(),
    );
  });

  it("integer-typed preds: refused by validateArgs, else used as they are (never transformed, as torch)", () => {
    expect(() => new BinaryHingeLoss().update(new Int32Array([1, 0, 2]), [1, 1, 0])).to.throw(
      MetricInputError,
      /^Expected argument `preds` to be floating tensor .* dtype Int32Array/,
    );
    const v = new BinaryHingeLoss({ validateArgs: false })
      .update(new Int32Array([1, 0, 2]), [1, 1, 0])
      .compute();
    expect(v).to.equal((0 + 1 + 3) / 3);
  });
});

describe("torchmetrics facade: shapes", () => {
  it("binary (N, ...) is flattened", () => {
    const p = [
      [0.1, 0.8, 0.3],
      [0.6, 0.2, 0.9],
    ];
    const y = [
      [0, 1, 0],
      [1, 0, 1],
    ];
    expect(new BinaryHingeLoss().update(p, y).compute()).to.equal(
      new BinaryHingeLoss().update(p.flat(), y.flat()).compute(),
    );
  });

  it("multiclass (N, C, L) is movedim(1, -1).reshape(-1, C), in every input form", () => {
    const p3 = [
      [
        [0.1, 0.5],
        [0.7, 0.2],
        [0.2, 0.3],
      ],
      [
        [2, -1],
        [0, 1],
        [-1, 0.5],
      ],
    ];
    const t2 = [
      [1, 0],
      [0, 2],
    ];
    const rows = [
      [0.1, 0.7, 0.2],
      [0.5, 0.2, 0.3],
      [2, 0, -1],
      [-1, 1, 0.5],
    ];
    const make = (): MulticlassHingeLoss =>
      new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" });
    const expected = make().update(rows, [1, 0, 0, 2]).compute();
    expect(make().update(p3, t2).compute()).to.equal(expected);
    const flat = new Float32Array(p3.flat(2));
    expect(
      make()
        .update({ data: flat, shape: [2, 3, 2] }, { data: [1, 0, 0, 2], shape: [2, 2] })
        .compute(),
    ).to.equal(
      make()
        .update(
          rows.map((r) => Float32Array.from(r)),
          [1, 0, 0, 2],
        )
        .compute(),
    );
    const tfjsLike = { shape: [2, 3, 2], dataSync: () => Float64Array.from(p3.flat(2)) };
    const onnxLike = { data: new BigInt64Array([1n, 0n, 0n, 2n]), dims: [2n, 2n] };
    expect(make().update(tfjsLike, onnxLike).compute()).to.equal(expected);
  });
});

describe("torchmetrics facade: state (merge, JSON, clone)", () => {
  it("merge of parts = the whole, bit for bit; JSON round trip", () => {
    const whole = new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" }).update(T2, [0, 1, 2]);
    const a = new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" }).update(
      T2.slice(0, 1),
      [0],
    );
    const b = new MulticlassHingeLoss({ numClasses: 3, inputTransform: "softmax" }).update(
      T2.slice(1),
      [1, 2],
    );
    const json = JSON.parse(JSON.stringify(b.toJSON())) as unknown;
    expect(a.merge(json as never).compute()).to.equal(whole.compute());
    expect(a.toJSON()).to.deep.equal(whole.toJSON());
    const back = MulticlassHingeLoss.fromJSON(JSON.parse(JSON.stringify(whole.toJSON())), {
      inputTransform: "softmax",
    });
    expect(back).to.be.instanceOf(MulticlassHingeLoss);
    expect(back.compute()).to.equal(whole.compute());
    expect(back.torchOptions.inputTransform).to.equal("softmax");
  });

  it("T4 split 2 + 3 and merged → 0.69 with measures and total as torchmetrics names them", () => {
    const a = new BinaryHingeLoss().update(T4.slice(0, 2), T4y.slice(0, 2));
    const b = new BinaryHingeLoss().update(T4.slice(2), T4y.slice(2));
    a.merge(b);
    expect(a.compute()).to.be.closeTo(0.69, 1e-15);
    expect(a.measures).to.be.closeTo(3.45, 1e-15);
    expect(a.total).to.equal(5);
    const c = a.clone().update([0.5], [1]);
    expect(a.total).to.equal(5);
    expect(c.total).to.equal(6);
  });

  it("merging a binary state into a multiclass metric is refused, the metric unchanged", () => {
    const m = new MulticlassHingeLoss({ numClasses: 3 }).update(T5, T5y);
    const before = JSON.stringify(m.toJSON());
    // (since the facades write their own kinds, the message names the kinds)
    expect(() => m.merge(new BinaryHingeLoss().update(T4, T4y) as never)).to.throw(
      MetricStateError,
      /numClasses|torchmetrics\.BinaryHingeLoss/,
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
    expect(() => BinaryHingeLoss.fromJSON(m.toJSON())).to.throw(
      MetricStateError,
      /expected a torchmetrics\.BinaryHingeLoss state/,
    );
    const core = new CoreHingeLoss().update([[1, 2, 3]], [0]).toJSON(); // a core multiclass state
    expect(() => BinaryHingeLoss.fromJSON(core)).to.throw(
      MetricStateError,
      /expected a binary HingeLoss state/,
    );
  });
});

describe("torchmetrics facade: HingeLoss task wrapper", () => {
  it("returns the task class, with or without new; instanceof HingeLoss holds for both", () => {
    const b = new HingeLoss({ task: "binary" });
    const m = HingeLoss({ task: "multiclass", numClasses: 3 });
    expect(b).to.be.instanceOf(BinaryHingeLoss);
    expect(m).to.be.instanceOf(MulticlassHingeLoss);
    expect(b instanceof HingeLoss && m instanceof HingeLoss).to.equal(true);
    expect(new CoreHingeLoss() instanceof HingeLoss).to.equal(false);
  });
  it("task names ignore case; binary accepts and ignores numClasses / multiclassMode (as torchmetrics)", () => {
    expect(
      HingeLoss({ task: "BINARY" as "binary", numClasses: 3, multiclassMode: "one-vs-all" }),
    ).to.be.instanceOf(BinaryHingeLoss);
  });
  it("bad wrapper options", () => {
    expect(() => HingeLoss({ task: "binary", numClasses: 1.5 })).to.throw(
      InvalidOptionsError,
      /^Expected argument `numClasses` to be an integer larger than 1, but got 1.5$/,
    );
    // issue 12: error.message is the plain sentence; the ✖ form is prettyOptionsError's, for the CLI
    let caught: Error | null = null;
    try {
      HingeLoss({ task: "multiclass" } as never);
    } catch (error) {
      caught = error as Error;
    }
    expect(caught).to.be.instanceOf(InvalidOptionsError);
    expect((caught as Error).message).to.equal(
      '`numClasses` is expected to be an integer for task "multiclass", but undefined was passed',
    );
    expect(prettyOptionsError(caught as Error)).to.equal(
      '✖ `numClasses` is expected to be an integer for task "multiclass", but undefined was passed\n  → at numClasses',
    );
    expect(() => new MulticlassHingeLoss(undefined as never)).to.throw(
      InvalidOptionsError,
      /^Expected argument `numClasses` to be an integer larger than 1, but got undefined$/,
    );
    expect(() => HingeLoss({ task: "multiclass", numClasses: 3, multiclassMode: "x" as never })).to.throw(
      InvalidOptionsError,
      /`multiclassMode` is expected to be one of 'crammer-singer' or 'one-vs-all' but "x" was passed/,
    );
    expect(() => HingeLoss(null as never)).to.throw(InvalidOptionsError, /must be an object with a task/);
    // issue 12: a throwing getter in the options is an options error, not the caller's own Error
    const hostile = Object.defineProperty({}, "task", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(() => HingeLoss(hostile as never)).to.throw(
      InvalidOptionsError,
      /^HingeLoss options could not be read: reading it threw Error: boom$/,
    );
  });
});

describe("torchmetrics facade: bad options", () => {
  it("unknown keys, snake_case keys, transforms of the other task, missing numClasses", () => {
    expect(() => new BinaryHingeLoss({ ignore_index: -1 } as never)).to.throw(
      InvalidOptionsError,
      /unknown option "ignore_index" for BinaryHingeLoss: did you mean "ignoreIndex"\?/,
    );
    expect(() => new BinaryHingeLoss({ inputTransform: "softmax" as never })).to.throw(
      InvalidOptionsError,
      /`inputTransform` to be one of \('auto', 'none', 'sigmoid'\) for a binary hinge loss, but got "softmax"/,
    );
    expect(() => new MulticlassHingeLoss({ numClasses: 3, inputTransform: "sigmoid" as never })).to.throw(
      InvalidOptionsError,
      /for a multiclass hinge loss, but got "sigmoid"/,
    );
    expect(() => new MulticlassHingeLoss(undefined as never)).to.throw(
      InvalidOptionsError,
      /`numClasses`.*undefined/,
    );
    expect(() => new MulticlassHingeLoss({} as never)).to.throw(
      InvalidOptionsError,
      /`numClasses`.*undefined/,
    );
    expect(() => new BinaryHingeLoss({ validateArgs: "yes" as never })).to.throw(
      InvalidOptionsError,
      /`validateArgs` to be a bool but got "yes"/,
    );
  });
});

describe("torchmetrics facade: bad batches raise a clear error and leave the state untouched", () => {
  const binary = (): BinaryHingeLoss => new BinaryHingeLoss({ ignoreIndex: -1 }).update([0.3, 0.6], [0, 1]);
  const multi = (): MulticlassHingeLoss => new MulticlassHingeLoss({ numClasses: 3 }).update(T5, T5y);
  const cases: [string, () => BinaryHingeLoss | MulticlassHingeLoss, unknown, unknown, RegExp][] = [
    [
      "binary target 2",
      binary,
      [0.1, 0.2],
      [0, 2],
      /^target\[1\] must be 0 or 1 \(or the ignoreIndex -1\) for a BinaryHingeLoss, got 2$/,
    ],
    [
      "binary target 0.5 in 2-D",
      binary,
      [[0.1], [0.2]],
      [[0], [0.5]],
      /^target\[1\]\[0\] must be 0 or 1 .* got 0.5$/,
    ],
    ["binary target a string", binary, [0.1], ["1"], /^target\[0\] must be a number \(a label\), got "1"$/],
    [
      "binary NaN score",
      binary,
      [0.1, NaN],
      [0, 1],
      /^preds\[1\] must be a number \(a probability or a logit\), got NaN$/,
    ],
    ["binary string score", binary, [0.1, "x"], [0, 1], /^preds\[1\] must be a number .* got "x"$/],
    [
      "binary shape mismatch",
      binary,
      [0.1, 0.2],
      [[0, 1]],
      /same shape, but got preds \[2\] and target \[1, 2\]$/,
    ],
    [
      "binary ragged preds",
      binary,
      [[0.1, 0.2], [0.3]],
      [
        [0, 1],
        [1, 0],
      ],
      /^preds\[1\] must be an array of length 2 like preds\[0\] \(ragged nested array\)/,
    ],
    [
      "multiclass ragged preds",
      multi,
      [[0.1, 0.2, 0.7], [0.3]],
      [0, 1],
      /^preds\[1\] must be an array of length 3/,
    ],
    [
      "multiclass Infinity",
      multi,
      [
        [0.1, 0.2, 0.7],
        [0.3, Infinity, 0],
      ],
      [0, 1],
      /^preds\[1\]\[1\] must be a finite number, got Infinity$/,
    ],
    [
      "multiclass target 1.5",
      multi,
      [[0.1, 0.2, 0.7]],
      [1.5],
      /^target\[0\] must be an integer class index in \[0, 3\) for a MulticlassHingeLoss, got 1.5$/,
    ],
    [
      "multiclass (N) preds",
      multi,
      [0.1, 0.2],
      [0, 1],
      /^preds must have shape \(N, C, \.\.\.\) and target shape \(N, \.\.\.\) .* got preds \[2\] and target \[2\]$/,
    ],
    [
      "multiclass target of another N",
      multi,
      T5,
      [0, 1],
      /the shape of `target` should be \(N, \.\.\.\): got preds \[4, 3\] and target \[2\]$/,
    ],
    [
      "multiclass BigInt preds",
      multi,
      { data: new BigInt64Array(3), shape: [1, 3] },
      [0],
      /dtype BigInt64Array$/,
    ],
    ["not an array", binary, "0.5", [1], /^preds must be an array, a typed array/],
    [
      "binary nested element in a flat array",
      binary,
      [0.1, [0.2]],
      [0, 1],
      /^preds\[1\] must be a scalar like preds\[0\] \(ragged nested array\)/,
    ],
    [
      "multiclass ragged (N, C, L)",
      multi,
      [[[0.1, 0.5], [0.7], [0.2, 0.3]]],
      [[1, 0]],
      /^preds\[0\]\[1\] must be an array of length 2 like preds\[0\]\[0\] \(ragged nested array\), got an array of length 1$/,
    ],
    // issue 12: a read that throws is our error naming the position; a BigInt label in a plain array is refused;
    // a typed array over a detached buffer is not an empty batch
    [
      "binary preds with a throwing getter",
      binary,
      Object.defineProperty([0.1, 0.2], 1, {
        get() {
          throw new Error("boom");
        },
      }),
      [0, 1],
      /^preds\[1\] could not be read: reading it threw Error: boom$/,
    ],
    [
      "multiclass target a Proxy whose get trap throws",
      multi,
      [[0.1, 0.2, 0.7]],
      new Proxy([0], {
        get(t, k, r) {
          if (k === "0") throw new Error("trap");
          return Reflect.get(t, k, r) as unknown;
        },
      }),
      /^target\[0\] could not be read: reading it threw Error: trap$/,
    ],
    [
      "binary nested preds with a throwing row",
      binary,
      Object.defineProperty([[0.1], [0.2]], 1, {
        get() {
          throw new Error("boom");
        },
      }),
      [[0], [1]],
      /^preds\[1\] could not be read: reading it threw Error: boom$/,
    ],
    ["binary BigInt label", binary, [0.1, 0.2], [0, 1n], /^target\[1\] is a bigint \(1n\): in a plain array/],
    [
      "multiclass BigInt label in (N, L)",
      multi,
      [[[0.1], [0.2], [0.7]]],
      [[2n]],
      /^target\[0\]\[0\] is a bigint \(2n\)/,
    ],
    [
      "binary detached Float64Array row",
      binary,
      [detached()],
      [[]],
      /^preds\[0\] is a Float64Array over a detached ArrayBuffer/,
    ],
    [
      "binary detached Float64Array second row",
      binary,
      [new Float64Array(0), detached()],
      [[], []],
      /^preds\[1\] is a Float64Array over a detached ArrayBuffer/,
    ],
  ];
  for (const [name, make, p, t, message] of cases) {
    it(name, () => {
      const m = make();
      const before = JSON.stringify(m.toJSON());
      expect(() => m.update(p, t)).to.throw(MetricInputError, message);
      expect(() => m.forward(p, t)).to.throw(MetricInputError, message);
      expect(JSON.stringify(m.toJSON())).to.equal(before);
    });
  }

  it('Infinity: mapped by a sigmoid (torch: 1 / 0), refused with "none"', () => {
    expect(new BinaryHingeLoss().update([Infinity, -Infinity, 0], [1, 1, 0]).compute()).to.be.closeTo(
      5 / 6,
      1e-15,
    );
    const m = binary();
    const before = JSON.stringify(m.toJSON());
    const none = new BinaryHingeLoss({ inputTransform: "none" });
    expect(() => none.update([0.5, -Infinity], [1, 0])).to.throw(
      MetricInputError,
      /^preds\[1\] must be finite when no sigmoid is applied, got -Infinity$/,
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });

  it("sample weights are refused (torchmetrics has none)", () => {
    const m = binary();
    const before = JSON.stringify(m.toJSON());
    expect(() => (m.update as (...a: unknown[]) => unknown)([0.5], [1], [2])).to.throw(
      MetricInputError,
      /^BinaryHingeLoss takes no sample weights/,
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });

  it("forward on a batch with every sample ignored raises MetricStateError (torch: NaN); update is a no-op", () => {
    const m = binary();
    const before = JSON.stringify(m.toJSON());
    expect(() => m.forward([0.5, 0.1], [-1, -1])).to.throw(
      MetricStateError,
      /no sample left after removing ignoreIndex/,
    );
    m.update([0.5, 0.1], [-1, -1]);
    expect(JSON.stringify(m.toJSON())).to.equal(before);
    expect(() => new BinaryHingeLoss().compute()).to.throw(MetricStateError, /nothing accumulated/);
  });
});
