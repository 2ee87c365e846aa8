// Forged and malformed states: fromJSON, merge and mergeStates reject every one with a MetricStateError, and
// the receiving metric is exactly as it was (toJSON before = after).
import { expect } from "chai";
import { HingeLoss, MetricCollection, MetricStateError, mergeStates } from "../../lib/index.js";

type Json = Record<string, unknown>;
const clone = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;

const binary = (): Json => clone(new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]));
const ova = (): Json =>
  clone(
    new HingeLoss({ multiclassMode: "one-vs-all" }).update(
      [
        [-1, 0.9, 0.2],
        [0.5, -1.1, 0.8],
      ],
      [0, 1],
    ),
  );
const crammer = (): Json => clone(new HingeLoss().update([[1, 2, 3]], [0]));
const emptyState = (): Json => clone(new HingeLoss());
const withKey = (json: Json, key: string): Json =>
  JSON.parse(JSON.stringify(json).replace("{", `{"${key}":{"x":1},`)) as Json;

class Impostor {
  kind = "HingeLoss";
  version = 1;
}

/** [description, forged state, receiver options (default: those of the binary state)] */
const hingeForgeries: [string, () => unknown, ("ova" | "plain")?][] = [
  ["null", () => null],
  ["undefined", () => undefined],
  ["a string", () => "HingeLoss"],
  ["a JSON text instead of an object", () => JSON.stringify(binary())],
  ["a number", () => 42],
  ["an array", () => [binary()]],
  ["a function", () => () => binary()],
  ["a class instance", () => Object.assign(new Impostor(), binary())],
  ["a Map", () => new Map(Object.entries(binary()))],
  ["an extra top-level key", () => ({ ...binary(), extra: 1 })],
  [
    "an extra key in options",
    () => ({ ...binary(), options: { ...(binary().options as Json), extra: true } }),
  ],
  ["an own __proto__ key (as JSON.parse makes it)", () => withKey(binary(), "__proto__")],
  ["a constructor key", () => withKey(binary(), "constructor")],
  ["a prototype key", () => withKey(binary(), "prototype")],
  [
    "__proto__ inside options",
    () => ({ ...binary(), options: withKey(binary().options as Json, "__proto__") }),
  ],
  ["a symbol key", () => ({ ...binary(), [Symbol("x")]: 1 })],
  [
    "a getter",
    () => {
      const s = binary();
      Object.defineProperty(s, "total", { get: () => "0x1.8p+1", enumerable: true });
      return s;
    },
  ],
  [
    "a getter that throws",
    () =>
      Object.defineProperty(binary(), "samples", {
        get: () => {
          throw new Error("x");
        },
        enumerable: true,
      }),
  ],
  ["no kind", () => ({ ...binary(), kind: undefined })],
  ["kind of another metric", () => ({ ...binary(), kind: "MetricCollection" })],
  ["kind in the wrong case", () => ({ ...binary(), kind: "hingeloss" })],
  ["version 2", () => ({ ...binary(), version: 2 })],
  ["version as a string", () => ({ ...binary(), version: "1" })],
  ["version 0", () => ({ ...binary(), version: 0 })],
  ["no version", () => ({ ...binary(), version: undefined })],
  ["options missing", () => ({ ...binary(), options: undefined })],
  ["options with a missing key", () => ({ ...binary(), options: { squared: false } })],
  [
    "options.squared a string",
    () => ({ ...binary(), options: { ...(binary().options as Json), squared: "no" } }),
  ],
  [
    "options.multiclassMode unknown",
    () => ({ ...binary(), options: { ...(binary().options as Json), multiclassMode: "ova" } }),
  ],
  [
    "options.numClasses 1",
    () => ({ ...binary(), options: { ...(binary().options as Json), numClasses: 1 } }),
  ],
  [
    "options.ignoreIndex 0.5",
    () => ({ ...binary(), options: { ...(binary().options as Json), ignoreIndex: 0.5 } }),
  ],
  ["task unknown", () => ({ ...binary(), task: "regression" })],
  ["task null with sums", () => ({ ...binary(), task: null })],
  ["a binary state with numClasses", () => ({ ...binary(), numClasses: 3 })],
  ["a multiclass state without numClasses", () => ({ ...crammer(), numClasses: null }), "plain"],
  ["numClasses 1", () => ({ ...crammer(), numClasses: 1 }), "plain"],
  ["numClasses 2.5", () => ({ ...crammer(), numClasses: 2.5 }), "plain"],
  ["numClasses 2^31", () => ({ ...crammer(), numClasses: 2 ** 31 }), "plain"],
  [
    "numClasses disagreeing with options.numClasses",
    () => ({ ...crammer(), options: { ...(crammer().options as Json), numClasses: 4 } }),
    "plain",
  ],
  [
    "one-vs-all measure shorter than C",
    () => ({ ...ova(), measure: (ova().measure as string[]).slice(0, 2) }),
    "ova",
  ],
  [
    "one-vs-all measure longer than C",
    () => ({ ...ova(), measure: [...(ova().measure as string[]), "0x1p+0"] }),
    "ova",
  ],
  ["one-vs-all measure much too long", () => ({ ...ova(), measure: new Array(5000).fill("0x1p+0") }), "ova"],
  ["binary measure with 2 entries", () => ({ ...binary(), measure: ["0x1p+0", "0x1p+0"] })],
  ["binary measure empty", () => ({ ...binary(), measure: [] })],
  ["measure not an array", () => ({ ...binary(), measure: "0x1p+0" })],
  ["measure a typed array", () => ({ ...binary(), measure: new Float64Array([0.9]) })],
  ["a negative measure", () => ({ ...binary(), measure: ["-0x1p+0"] })],
  ["a negative total", () => ({ ...binary(), total: "-0x1.8p+1" })],
  ["measure as a number", () => ({ ...binary(), measure: [0.9] })],
  ["total as a number", () => ({ ...binary(), total: 3 })],
  ["total as a decimal string", () => ({ ...binary(), total: "3" })],
  ["total in upper case hex", () => ({ ...binary(), total: "0X1.8P+1" })],
  ["total empty", () => ({ ...binary(), total: "" })],
  ["total null", () => ({ ...binary(), total: null })],
  ["total Infinity as text", () => ({ ...binary(), total: "Infinity" })],
  ["a huge exponent", () => ({ ...binary(), total: "0x1p+5000" })],
  ["an exponent at the limit", () => ({ ...binary(), total: "0x1p+1100" })],
  ["bits below 2^-1074", () => ({ ...binary(), total: "0x1.8p-1074" })],
  ["a very long hex string", () => ({ ...binary(), total: "0x1." + "1".repeat(900) + "p+0" })],
  ["a positive measure with total 0", () => ({ ...binary(), total: "0x0p+0" })],
  ["samples NaN", () => ({ ...binary(), samples: NaN })],
  ["samples Infinity", () => ({ ...binary(), samples: Infinity })],
  ["samples -1", () => ({ ...binary(), samples: -1 })],
  ["samples 1.5", () => ({ ...binary(), samples: 1.5 })],
  ["samples 2^60", () => ({ ...binary(), samples: 2 ** 60 })],
  ["samples a string", () => ({ ...binary(), samples: "3" })],
  ["samples a BigInt", () => ({ ...binary(), samples: 3n })],
  ["an empty state with samples", () => ({ ...emptyState(), samples: 2 })],
  ["an empty state with a total", () => ({ ...emptyState(), total: "0x1p+0" })],
  [
    "nested too deeply",
    () => {
      const s = binary();
      let o: Json = {};
      s.options = { ...(s.options as Json), deep: o };
      for (let i = 0; i < 20; i++) o = o.x = {};
      return s;
    },
  ],
];

function receiver(kind: "ova" | "plain" | undefined): HingeLoss {
  if (kind === "ova") return new HingeLoss({ multiclassMode: "one-vs-all" }).update([[0, 1, 2]], [2]);
  if (kind === "plain") return new HingeLoss().update([[0, 1, 2]], [2]);
  return new HingeLoss().update([0.5], [1]);
}

describe("state forgeries: HingeLoss.fromJSON, merge and mergeStates reject them; the receiver is unchanged", () => {
  for (const [what, forge, kind] of hingeForgeries) {
    it(what, () => {
      expect(() => HingeLoss.fromJSON(forge())).to.throw(MetricStateError);
      const metric = receiver(kind);
      const before = metric.toJSON();
      expect(() => metric.merge(forge() as never)).to.throw(MetricStateError);
      expect(() => metric.merge(metric.clone(), forge() as never)).to.throw(MetricStateError);
      expect(metric.toJSON()).to.deep.equal(before);
      expect(() => mergeStates([forge() as never])).to.throw(MetricStateError);
      expect(() => mergeStates([metric, forge() as never])).to.throw(MetricStateError, "states[1]");
      expect(metric.toJSON()).to.deep.equal(before);
    });
  }

  it("the genuine states used above are accepted (so each rejection is the forgery's doing)", () => {
    expect(HingeLoss.fromJSON(binary()).compute()).to.equal(0.3);
    expect(HingeLoss.fromJSON(ova()).toJSON()).to.deep.equal(ova());
    expect(HingeLoss.fromJSON(crammer()).compute()).to.equal(3);
    expect(HingeLoss.fromJSON(emptyState()).toJSON()).to.deep.equal(emptyState());
    expect(receiver("ova").merge(ova() as never).samples).to.equal(3);
    expect(receiver("plain").merge(crammer() as never).samples).to.equal(2);
    expect(receiver(undefined).merge(binary() as never).samples).to.equal(4);
    expect(HingeLoss.fromJSON(Object.assign(Object.create(null), binary())).compute()).to.equal(0.3);
    expect(
      HingeLoss.fromJSON({ ...binary(), total: "0x1p+1000", measure: ["0x1p+1000"] }).compute(),
    ).to.equal(1);
    // (a total of 2^1099 was accepted here until issue 12 item 5: its `total` getter is Infinity, and no
    // few samples of finite weights reach it; spec/metrics/hardening.spec.ts now refuses it)
    expect(() => HingeLoss.fromJSON({ ...binary(), total: "0x1p+1099", measure: ["0x1p+1099"] })).to.throw(
      MetricStateError,
      /finite|impossibly large/,
    );
  });
});

describe("merge of genuine but incompatible states says what differs; the receiver is unchanged", () => {
  const cases: [string, () => HingeLoss, () => HingeLoss | MetricCollection | Json, RegExp][] = [
    [
      "options (squared)",
      () => new HingeLoss().update([1], [1]),
      () => new HingeLoss({ squared: true }).update([1], [1]),
      /squared/,
    ],
    [
      "options (multiclassMode)",
      () => new HingeLoss().update([1], [1]),
      () => new HingeLoss({ multiclassMode: "one-vs-all" }),
      /multiclassMode/,
    ],
    [
      "options (ignoreIndex)",
      () => new HingeLoss().update([1], [1]),
      () => new HingeLoss({ ignoreIndex: -1 }),
      /ignoreIndex/,
    ],
    ["task", () => new HingeLoss().update([1], [1]), () => new HingeLoss().update([[1, 2]], [0]), /task/],
    [
      "class count",
      () => new HingeLoss().update([[1, 2]], [0]),
      () => new HingeLoss().update([[1, 2, 3]], [0]),
      /class count/,
    ],
    [
      "kind (a collection)",
      () => new HingeLoss().update([1], [1]),
      () => new MetricCollection({ h: new HingeLoss() }),
      /kind/,
    ],
    [
      "kind (a collection's JSON)",
      () => new HingeLoss(),
      () => clone(new MetricCollection({ h: new HingeLoss() })),
      /kind/,
    ],
    ["version", () => new HingeLoss(), () => ({ ...binary(), version: 2 }), /version 2/],
  ];
  for (const [what, make, other, message] of cases) {
    it(what, () => {
      const metric = make();
      const before = metric.toJSON();
      const theirs = other();
      const theirsBefore = JSON.stringify(theirs);
      expect(() => metric.merge(theirs as never)).to.throw(MetricStateError, message);
      expect(() => mergeStates([metric, theirs as never])).to.throw(MetricStateError, message);
      expect(metric.toJSON()).to.deep.equal(before);
      expect(JSON.stringify(theirs)).to.equal(theirsBefore);
    });
  }
});

describe("core decoder: holes found by the forgery review, now closed", () => {
  // A genuine state has Σ w·m ≤ MAX_VALUE · Σ w (every m is a finite double), so compute() is finite.
  it("a forged measure far above total is rejected (else compute() returns Infinity)", () => {
    const forged = { ...binary(), measure: ["0x1p+1099"] };
    expect(() => HingeLoss.fromJSON(forged)).to.throw(MetricStateError);
  });
  // Every counted sample adds its weight to total, so total > 0 needs samples ≥ 1.
  it("a state with total > 0 and samples 0 is rejected", () => {
    expect(() => HingeLoss.fromJSON({ ...binary(), samples: 0 })).to.throw(MetricStateError);
  });
  it("a Proxy whose trap throws is reported as a MetricStateError by HingeLoss.fromJSON", () => {
    // mergeStates and MetricCollection already turn it into a MetricStateError:
    const trap = () =>
      new Proxy(binary(), {
        ownKeys: () => {
          throw new Error("trap");
        },
      });
    expect(() => mergeStates([trap() as never])).to.throw(MetricStateError, "trap");
    expect(() => mergeStates([new HingeLoss(), trap() as never])).to.throw(MetricStateError, "states[1]");
    const proxy = new Proxy(binary(), {
      getPrototypeOf: () => {
        throw new Error("trap");
      },
    });
    expect(() => HingeLoss.fromJSON(proxy)).to.throw(MetricStateError);
  });
});
