import { expect } from "chai";
import {
  Accuracy,
  InvalidOptionsError,
  MetricInputError,
  MetricStateError,
  type Metric,
} from "../../../lib/index.js";
import { catalog, type Entry } from "./catalog.js";

type Bad = [what: string, preds: unknown, target: unknown, message: RegExp, weights?: unknown];

const binaryBad: Bad[] = [
  [
    "length mismatch",
    [0.5, 0.2],
    [1],
    /^preds and target must have the same shape, got preds \[2\] and target \[1\]$/,
  ],
  ["shape mismatch", [[0.5], [0.2]], [1, 0], /same shape, got preds \[2, 1\] and target \[2\]/],
  ["NaN pred", [0.5, NaN], [1, 0], /^preds\[1\] must be a finite number, got NaN$/],
  ["Infinity pred", [Infinity, 0.5], [1, 0], /^preds\[0\] must be a finite number, got Infinity$/],
  ["NaN target", [0.5, 0.2], [1, NaN], /^target\[1\] must be a finite number, got NaN$/],
  ["target 2", [0.5, 0.2], [1, 2], /^target\[1\] must be 0 or 1, got 2$/],
  ["target -1 without ignoreIndex", [0.5, 0.2], [-1, 0], /^target\[0\] must be 0 or 1, got -1$/],
  ["target 0.5", [0.5, 0.2], [0.5, 0], /^target\[0\] must be 0 or 1, got 0.5$/],
  [
    "probability above 1",
    [0.5, 1.5],
    [1, 0],
    /^preds\[1\] must be a probability in \[0, 1\], got 1.5: pass inputTransform: "sigmoid" if preds are logits$/,
  ],
  [
    "negative logit",
    [-0.1, 0.5],
    [1, 0],
    /^preds\[0\] must be a probability in \[0, 1\], got -0.1: pass inputTransform/,
  ],
  [
    "integer pred label 2",
    new Int32Array([0, 2]),
    [1, 0],
    /^preds\[1\] must be 0 or 1 \(integer preds are labels\), got 2$/,
  ],
  ["a string", "0.5", [1], /^preds must be an array/],
  [
    "rank 2 positions",
    { data: [0.5, 0.2, 0.1, 3], shape: [2, 2] },
    { data: [1, 0, 1, 0], shape: [2, 2] },
    /^preds\[1\]\[1\] must be a probability/,
  ],
  ["weights", [0.5], [1], /takes no weights: update\(preds, target\) has two arguments$/, [1]],
];

const multiclassBad: Bad[] = [
  [
    "NaN in (N, C, L) scores",
    { data: [0.1, 0.2, 0.3, NaN, 0.5, 0.6], shape: [1, 3, 2] },
    { data: [0, 1], shape: [1, 2] },
    /^preds\[0\]\[1\]\[1\] must be a finite number, got NaN$/,
  ],
  [
    "(N, C, L) scores with a target of another shape",
    { data: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], shape: [1, 3, 2] },
    [0],
    /^preds \[1, 3, 2\] and target \[1\] do not fit/,
  ],
  [
    "label length mismatch",
    [0, 1],
    [0],
    /^preds \[2\] and target \[1\] do not fit: preds must be labels of the target's shape \(N, …\) or scores \(N, C, …\) with C = 3$/,
  ],
  [
    "scores N mismatch",
    [
      [0.1, 0.2, 0.7],
      [0.3, 0.3, 0.4],
    ],
    [1],
    /^preds \[2, 3\] and target \[1\] do not fit/,
  ],
  [
    "scores of width 2",
    [[0.1, 0.9]],
    [1],
    /^preds \[1, 2\] must have numClasses \(3\) scores per sample in dimension 1, got 2$/,
  ],
  ["NaN score", [[0.1, NaN, 0.2]], [1], /^preds\[0\]\[1\] must be a finite number, got NaN$/],
  [
    "-Infinity score",
    [
      [0.1, 0.2, 0.3],
      [0, -Infinity, 0],
    ],
    [1, 2],
    /^preds\[1\]\[1\] must be a finite number, got -Infinity$/,
  ],
  ["NaN target", [[0.1, 0.2, 0.7]], [NaN], /^target\[0\] must be a finite number, got NaN$/],
  [
    "target C",
    [
      [0.1, 0.2, 0.7],
      [0.1, 0.2, 0.7],
    ],
    [0, 3],
    /^target\[1\] must be a class in \[0, 3\), got 3$/,
  ],
  ["target -1 without ignoreIndex", [0, 1], [-1, 1], /^target\[0\] must be a class in \[0, 3\), got -1$/],
  ["target 1.5", [0, 1], [1.5, 1], /^target\[0\] must be a class in \[0, 3\), got 1.5$/],
  ["pred label C", [1, 3], [1, 1], /^preds\[1\] must be a class label in \[0, 3\), got 3$/],
  ["pred label -1", [-1, 0], [1, 1], /^preds\[0\] must be a class label in \[0, 3\), got -1$/],
  ["pred label 0.5", [0.5, 0], [1, 1], /^preds\[0\] must be a class label in \[0, 3\), got 0.5$/],
  ["NaN pred label", [0, NaN], [1, 1], /^preds\[1\] must be a class label in \[0, 3\), got NaN$/],
  ["weights", [0], [1], /takes no weights/, [1]],
];

const goodBinary: [number[], number[]] = [
  [0.9, 0.2, 0.7, 0.4],
  [1, 0, 0, 1],
];
const goodMulticlass: [number[][], number[]] = [
  [
    [0.6, 0.3, 0.1],
    [0.2, 0.5, 0.3],
    [0.1, 0.1, 0.8],
  ],
  [0, 2, 2],
];

function snapshot(m: Metric<unknown>): string {
  return JSON.stringify(m.toJSON());
}

function good(e: Entry): [unknown, unknown] {
  return e.task === "binary" ? goodBinary : goodMulticlass;
}

describe("classification: bad input is a MetricInputError naming the argument and position, state unchanged", () => {
  for (const e of catalog) {
    describe(e.name, () => {
      for (const [what, preds, target, message, weights] of e.task === "binary" ? binaryBad : multiclassBad) {
        it(what, () => {
          const m = e.make();
          const [p, t] = good(e);
          m.update(p, t);
          const before = snapshot(m);
          const value = JSON.stringify(m.compute());
          expect(() => m.update(preds, target, weights)).to.throw(MetricInputError, message);
          expect(snapshot(m)).to.equal(before);
          expect(() => m.forward(preds, target, weights)).to.throw(MetricInputError, message);
          expect(snapshot(m)).to.equal(before);
          expect(JSON.stringify(m.compute())).to.equal(value);
        });
      }
      if (e.task === "multiclass" && e.takes.includes("topK")) {
        it("topK > 1 with label preds", () => {
          const m = e.make({ topK: 2 });
          expect(() => m.update([0, 1], [0, 1])).to.throw(
            MetricInputError,
            /^preds are labels \(the shape of target, \[2\]\): topK 2 needs \(N, C\) scores$/,
          );
          expect(snapshot(m)).to.equal(snapshot(e.make({ topK: 2 })));
        });
      }
      it("a bad batch does not touch another metric", () => {
        const a = e.make();
        const b = e.make();
        const [p, t] = good(e);
        b.update(p, t);
        const before = snapshot(b);
        expect(() => a.update(e.task === "binary" ? [2] : [5], [1])).to.throw(MetricInputError);
        expect(snapshot(b)).to.equal(before);
      });
    });
  }
});

describe("classification: bad options are an InvalidOptionsError naming the option", () => {
  const common: [string, Record<string, unknown>, RegExp][] = [
    ["an unknown key", { foo: 1 }, /unknown option "foo" for \w+: allowed keys: /],
    [
      "a snake_case key",
      { ignore_index: 1 },
      /unknown option "ignore_index" for \w+: did you mean "ignoreIndex"\?/,
    ],
    ["ignoreIndex 1.5", { ignoreIndex: 1.5 }, /ignoreIndex must be an integer, got 1.5/],
  ];
  const binaryOnly: [string, Record<string, unknown>, RegExp][] = [
    ["threshold 1.5", { threshold: 1.5 }, /threshold must be a number in \[0, 1\], got 1.5/],
    ["threshold -0.1", { threshold: -0.1 }, /^option threshold must be a number in \[0, 1\], got -0.1/],
    [
      "threshold as a string",
      { threshold: "0.5" },
      /^option threshold must be a number in \[0, 1\], got "0.5"/,
    ],
    [
      "inputTransform softmax",
      { inputTransform: "softmax" },
      /inputTransform must be "none" \(probabilities\) or "sigmoid" \(logits\), got "softmax"/,
    ],
    ["numClasses", { numClasses: 3 }, /unknown option "numClasses"/],
  ];
  const multiclassOnly: [string, Record<string, unknown>, RegExp][] = [
    ["numClasses 1", { numClasses: 1 }, /numClasses must be an integer in \[2, \d+\], got 1/],
    ["numClasses 2.5", { numClasses: 2.5 }, /^option numClasses must be an integer in \[2, \d+\], got 2.5/],
    [
      "numClasses missing",
      { numClasses: undefined },
      /numClasses is required: the number of classes, an integer ≥ 2/,
    ],
    ["threshold", { threshold: 0.5 }, /unknown option "threshold"/],
  ];
  const byKey: Record<string, [string, Record<string, unknown>, RegExp][]> = {
    average: [
      [
        "average samples",
        { average: "samples" },
        /average must be "micro", "macro", "weighted" or "none", got "samples"/,
      ],
    ],
    topK: [
      ["topK 0", { topK: 0 }, /^option topK must be an integer ≥ 1, got 0/],
      ["topK above numClasses", { topK: 4 }, /^option topK must be at most numClasses \(3\), got 4/],
    ],
    zeroDivision: [
      ["zeroDivision 0.5", { zeroDivision: 0.5 }, /^option zeroDivision must be 0 or 1, got 0.5/],
    ],
    beta: [
      ["beta 0", { beta: 0 }, /^option beta must be a positive finite number, got 0/],
      ["beta missing", { beta: undefined }, /^option beta must be a positive finite number, got undefined/],
      ["beta Infinity", { beta: Infinity }, /^option beta must be a positive finite number/],
    ],
    normalize: [
      [
        "normalize rows",
        { normalize: "rows" },
        /normalize must be "true", "pred", "all" or "none", got "rows"/,
      ],
    ],
  };
  for (const e of catalog) {
    const list = [
      ...common,
      ...(e.task === "binary" ? binaryOnly : multiclassOnly),
      ...e.takes.flatMap((k) => byKey[k] ?? []),
    ];
    for (const [what, options, message] of list) {
      it(`${e.name}: ${what}`, () => {
        expect(() => e.make(options)).to.throw(InvalidOptionsError, message);
      });
    }
    if (!e.takes.includes("zeroDivision")) {
      it(`${e.name}: takes no zeroDivision (torchmetrics honours it only in precision, recall and F-scores)`, () => {
        expect(() => e.make({ zeroDivision: 1 })).to.throw(
          InvalidOptionsError,
          /unknown option "zeroDivision"/,
        );
      });
    }
  }
  it("options that are not an object", () => {
    const m = catalog[0];
    expect(() => m.make(undefined)).not.to.throw();
    expect(() => new Accuracy(null as never)).to.throw(
      InvalidOptionsError,
      /Accuracy options must be an object/,
    );
  });
  it("a task wrapper without a supported task", () => {
    expect(() => new Accuracy({} as never)).to.throw(
      InvalidOptionsError,
      /^option task must be "binary" or "multiclass" for Accuracy, got undefined$/,
    );
    expect(() => new Accuracy({ task: "multilabel" } as never)).to.throw(
      InvalidOptionsError,
      /multilabel is not supported yet/,
    );
    expect(() => new Accuracy({ task: "multiclass" } as never)).to.throw(
      InvalidOptionsError,
      /numClasses is required/,
    );
  });
});

describe("classification: values with nothing counted", () => {
  for (const e of catalog) {
    if (e.ratio) {
      it(`${e.name}: compute() before any sample is a MetricStateError (a ratio of nothing)`, () => {
        expect(() => e.make().compute()).to.throw(MetricStateError, /nothing accumulated/);
        const m = e.make({ ignoreIndex: 1 });
        const batch =
          e.task === "binary"
            ? [
                [0.5, 0.9],
                [1, 1],
              ]
            : [
                [0, 2],
                [1, 1],
              ];
        const before = snapshot(m);
        expect(() => m.forward(batch[0], batch[1])).to.throw(MetricStateError, /every target ignored/);
        expect(snapshot(m)).to.equal(before);
      });
    } else {
      it(`${e.name}: compute() before any sample is all zeros (counts of nothing)`, () => {
        const v = e.make().compute() as number[] | number[][];
        expect(v.flat().every((x) => x === 0)).to.equal(true);
        expect(v.flat().length).to.be.greaterThan(0);
      });
    }
  }
});

describe("classification: forged or mismatched states are refused", () => {
  for (const e of catalog) {
    const cls = e.make().constructor as unknown as { fromJSON(j: unknown): Metric<unknown> };
    const [p, t] = good(e);
    const json = JSON.parse(snapshot(e.make().update(p, t))) as Record<string, unknown>;
    const fields = Object.keys(json).filter((k) => !["kind", "version", "options"].includes(k));
    it(`${e.name}: a round trip through JSON is exact`, () => {
      expect(JSON.stringify(cls.fromJSON(json).compute())).to.equal(
        JSON.stringify(e.make().update(p, t).compute()),
      );
    });
    it(`${e.name}: negative, fractional, missing and extra fields`, () => {
      for (const f of fields) {
        const v = json[f];
        const bad = (x: number): unknown => (Array.isArray(v) ? [x, ...v.slice(1)] : x);
        expect(() => cls.fromJSON({ ...json, [f]: bad(-1) }), f).to.throw(MetricStateError);
        expect(() => cls.fromJSON({ ...json, [f]: bad(0.5) }), f).to.throw(MetricStateError);
        const rest = { ...json };
        delete rest[f];
        expect(() => cls.fromJSON(rest), f).to.throw(MetricStateError, /is missing/);
      }
      expect(() => cls.fromJSON({ ...json, extra: 1 })).to.throw(MetricStateError, /unexpected key "extra"/);
    });
    it(`${e.name}: options in another form, or another kind`, () => {
      const options = json.options as Record<string, unknown>;
      const partial = Object.fromEntries(Object.entries(options).filter(([k]) => k !== "ignoreIndex"));
      expect(() => cls.fromJSON({ ...json, options: partial })).to.throw(MetricStateError, /resolved form/);
      expect(() => cls.fromJSON({ ...json, kind: "HingeLoss" })).to.throw(MetricStateError, /expected a/);
    });
    it(`${e.name}: merging states of other options is refused, the receiver unchanged`, () => {
      const a = e.make().update(p, t);
      const before = snapshot(a);
      expect(() => a.merge(e.make({ ignoreIndex: 2 }).toJSON())).to.throw(MetricStateError, /ignoreIndex/);
      expect(snapshot(a)).to.equal(before);
    });
  }

  it("multiclass counts that no stream of samples could give", () => {
    const base = {
      kind: "MulticlassRecall",
      version: 1,
      options: { numClasses: 3, average: "macro", topK: 1, ignoreIndex: null, zeroDivision: 0 },
    };
    const cls = catalog.find((e) => e.name === "MulticlassRecall")!.make().constructor as unknown as {
      fromJSON(j: unknown): Metric<unknown>;
    };
    // a valid state: target/pred pairs (0,0) (1,2) (2,1)
    expect(
      cls.fromJSON({ ...base, tp: [1, 0, 0], fp: [0, 1, 1], fn: [0, 1, 1], samples: 3 }).compute(),
    ).to.equal(1 / 3);
    const forged: [string, object, RegExp][] = [
      [
        "samples ≠ Σtp + Σfp",
        { tp: [1, 0, 0], fp: [0, 1, 1], fn: [0, 1, 1], samples: 4 },
        /samples \(4\) must equal Σtp \+ Σfp/,
      ],
      ["Σfp ≠ Σfn", { tp: [1, 0, 0], fp: [0, 1, 1], fn: [0, 1, 0], samples: 3 }, /Σfp must equal Σfn/],
      [
        "a class with more misses than there are",
        { tp: [0, 0, 0], fp: [1, 1, 0], fn: [2, 0, 0], samples: 2 },
        /class 0 has fp \+ fn = 3, more than the 2 misses/,
      ],
      [
        "a wrong length",
        { tp: [1, 0], fp: [0, 1, 1], fn: [0, 1, 1], samples: 3 },
        /state.tp must have 3 entries, got 2/,
      ],
    ];
    for (const [what, fields, message] of forged) {
      expect(() => cls.fromJSON({ ...base, ...fields }), what).to.throw(MetricStateError, message);
    }
  });

  it("binary and confusion-matrix counts past 2^53 - 1 in total", () => {
    const big = 2 ** 52;
    const bin = {
      kind: "BinaryAccuracy",
      version: 1,
      options: { threshold: 0.5, ignoreIndex: null, inputTransform: "none" },
    };
    const cls = catalog[0].make().constructor as unknown as { fromJSON(j: unknown): Metric<unknown> };
    expect(() => cls.fromJSON({ ...bin, tp: big, fp: big, tn: 0, fn: 0 })).to.throw(
      MetricStateError,
      /passes 2\^53 - 1/,
    );
    const cm = catalog.find((e) => e.name === "MulticlassConfusionMatrix")!;
    const cmCls = cm.make().constructor as unknown as { fromJSON(j: unknown): Metric<unknown> };
    const json = cm.make().toJSON() as unknown as { confmat: number[] };
    expect(() => cmCls.fromJSON({ ...json, confmat: json.confmat.map(() => big) })).to.throw(
      MetricStateError,
      /past 2\^53 - 1/,
    );
  });
});
