import { expect } from "chai";
import fc from "fast-check";
import {
  HingeLoss,
  InvalidOptionsError,
  Metric,
  MetricCollection,
  MetricInputError,
  MetricStateError,
  mergeStates,
  type AnyMetric,
  type MetricCollectionStateJSON,
} from "../../lib/index.js";
import { batches, dataset, expectSameBits, optionsOf, viaJSON } from "../state/arbitraries.js";

const T2 = [
  [-1.0, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
];
const multi = () =>
  new MetricCollection({
    cs: new HingeLoss(),
    ova: new HingeLoss({ multiclassMode: "one-vs-all" }),
    sq: new HingeLoss({ squared: true }),
  });
const binary = () =>
  new MetricCollection({ hinge: new HingeLoss(), squared: new HingeLoss({ squared: true }) });

describe("MetricCollection: one update, every metric", () => {
  it("update / compute give each member's own value (documented example)", () => {
    const metrics = binary().update([-2.2, 2.4, 0.1], [0, 1, 1]);
    expect(metrics.compute()).to.deep.equal({ hinge: 0.3, squared: 0.27 });
    expect(metrics).to.be.instanceOf(Metric);
    expect(metrics.names).to.deep.equal(["hinge", "squared"]);
  });

  it("multiclass members equal the same metrics run alone, bit for bit", () => {
    const value = multi().update(T2, [0, 1, 2]).compute();
    expect(value.cs).to.equal(new HingeLoss().update(T2, [0, 1, 2]).compute());
    expect(value.ova).to.deep.equal(
      new HingeLoss({ multiclassMode: "one-vs-all" }).update(T2, [0, 1, 2]).compute(),
    );
    expect(value.sq).to.equal(new HingeLoss({ squared: true }).update(T2, [0, 1, 2]).compute());
  });

  it("weights go to every member", () => {
    const v = binary().update([-2.2, 2.4, 0.1], [0, 1, 1], [1, 1, 2]).compute();
    expect(v.hinge).to.equal(new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1], [1, 1, 2]).compute());
  });

  it("forward returns each batch value and accumulates", () => {
    const metrics = new MetricCollection({ hinge: new HingeLoss() });
    expect(metrics.forward([2.0], [1])).to.deep.equal({ hinge: 0 });
    expect(metrics.forward([0.0], [1])).to.deep.equal({ hinge: 1 });
    expect(metrics.compute()).to.deep.equal({ hinge: 0.5 });
  });

  // Issue 13 item 5: a collection holds the metrics it is given (torchmetrics' semantics); until then it
  // held copies, and these two specs said so.
  it("reset empties every member; clone is an independent copy; get returns the member itself", () => {
    const metrics = binary().update([0.5], [1]);
    const copy = metrics.clone().update([3], [1]);
    expect(metrics.get("hinge").samples).to.equal(1);
    expect(copy.get("hinge").samples).to.equal(2);
    metrics.get("hinge").update([1], [1]);
    expect(metrics.get("hinge").samples).to.equal(2);
    expect(metrics.compute().hinge).to.equal(0.25);
    metrics.reset();
    expect(metrics.toJSON()).to.deep.equal(binary().toJSON());
    expect(copy.get("squared").samples).to.equal(2);
    expect(copy.get("hinge")).to.not.equal(metrics.get("hinge"));
  });

  it("the metrics given are held, not copied: the collection updates them, state included", () => {
    const h = new HingeLoss().update([0.5], [1]);
    const metrics = new MetricCollection([["h", h]]).update([0], [1]);
    expect(h.samples).to.equal(2);
    expect(metrics.get("h")).to.equal(h);
    expect(metrics.compute()).to.deep.equal({ h: 0.75 });
    expect(h.compute()).to.equal(0.75);
    expect(metrics.reset().toJSON().metrics.h).to.deep.equal(new HingeLoss().toJSON());
    expect(h.samples).to.equal(0);
  });

  it("one metric under two names is refused", () => {
    const h = new HingeLoss();
    expect(() => new MetricCollection({ a: h, b: h })).to.throw(
      InvalidOptionsError,
      "already in the collection",
    );
  });

  it("prefix and postfix name the keys of compute() and forward(), and travel in the state", () => {
    const metrics = new MetricCollection({ hinge: new HingeLoss() }, { prefix: "val_", postfix: "_1" });
    expect(metrics.forward([0.5], [1])).to.deep.equal({ val_hinge_1: 0.5 });
    expect(metrics.compute()).to.deep.equal({ val_hinge_1: 0.5 });
    const json = JSON.parse(JSON.stringify(metrics.toJSON())) as MetricCollectionStateJSON;
    expect(json.options).to.deep.equal({ prefix: "val_", postfix: "_1" });
    expect(MetricCollection.fromJSON(json).compute()).to.deep.equal({ val_hinge_1: 0.5 });
    expect(metrics.clone().compute()).to.deep.equal({ val_hinge_1: 0.5 });
    expect(new MetricCollection({ hinge: new HingeLoss() }).toJSON().options).to.deep.equal({});
    expect(() => new MetricCollection({ hinge: new HingeLoss() }).merge(json)).to.throw(
      MetricStateError,
      /prefix/,
    );
  });

  it("merge is atomic across members: a state one member refuses changes no member", () => {
    const make = () =>
      new MetricCollection({ a: new HingeLoss().update([0.5], [1]), b: new HingeLoss().update([1], [1]) });
    const metrics = make();
    const before = JSON.stringify(metrics.toJSON());
    const other = make().toJSON() as unknown as { metrics: Record<string, unknown> };
    other.metrics.b = new HingeLoss().update([[1, 2]], [0]).toJSON(); // b: multiclass, refused by b
    expect(() => metrics.merge(other as never)).to.throw(MetricStateError, 'metric "b"');
    expect(JSON.stringify(metrics.toJSON())).to.equal(before);
  });
});

describe("MetricCollection: atomic across members", () => {
  it("a batch one member rejects changes no member (update and forward)", () => {
    const metrics = new MetricCollection({
      any: new HingeLoss(),
      three: new HingeLoss({ numClasses: 3 }),
    }).update(T2, [0, 1, 2]);
    const before = metrics.toJSON();
    // Two classes: fine for "any" (first member, updated first), rejected by "three".
    expect(() =>
      metrics.update(
        [
          [1, 2],
          [3, 4],
        ],
        [0, 1],
      ),
    ).to.throw(MetricInputError, 'metric "any"');
    const fresh = new MetricCollection({ any: new HingeLoss(), three: new HingeLoss({ numClasses: 3 }) });
    expect(() => fresh.update([[1, 2]], [0])).to.throw(
      MetricInputError,
      'metric "three": preds has 2 columns',
    );
    expect(fresh.toJSON()).to.deep.equal(
      new MetricCollection({ any: new HingeLoss(), three: new HingeLoss({ numClasses: 3 }) }).toJSON(),
    );
    expect(() => fresh.forward([[1, 2]], [0])).to.throw(MetricInputError, 'metric "three"');
    expect(fresh.get("any").samples).to.equal(0);
    expect(() => metrics.update([0.5, 1], [1, 7])).to.throw(MetricInputError);
    expect(metrics.toJSON()).to.deep.equal(before);
  });

  it("compute with nothing accumulated names the member", () => {
    expect(() => binary().compute()).to.throw(MetricStateError, 'metric "hinge"');
  });
});

describe("MetricCollection: names", () => {
  const bad: [string, unknown][] = [
    ["empty", {}],
    ["not an object", 42],
    ["null", null],
    ["an empty name", { "": new HingeLoss() }],
    ["a name with a space", { "a b": new HingeLoss() }],
    ["a name starting with a digit", { "1a": new HingeLoss() }],
    ["__proto__ (own key)", JSON.parse('{"__proto__": 1}')],
    ["constructor", { constructor: new HingeLoss() }],
    ["prototype", { prototype: new HingeLoss() }],
    ["a 200-character name", { ["a".repeat(200)]: new HingeLoss() }],
    ["a value that is not a metric", { a: { update() {} } }],
    ["a JSON state as a value", { a: new HingeLoss().toJSON() }],
    [
      "duplicate names",
      [
        ["a", new HingeLoss()],
        ["a", new HingeLoss()],
      ],
    ],
    ["a bad pair", [["a", new HingeLoss(), 3]]],
    ["a non-string name", [[1, new HingeLoss()]]],
    ["300 members", Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`m${i}`, new HingeLoss()]))],
  ];
  for (const [what, arg] of bad) {
    it(`rejects ${what}`, () => {
      expect(() => new MetricCollection(arg as never)).to.throw(InvalidOptionsError);
    });
  }

  it("accepts identifier-like names, a Map and nested collections", () => {
    const m = new MetricCollection(
      new Map<string, AnyMetric>([
        ["val.hinge-1", new HingeLoss()],
        ["_inner", new MetricCollection({ sq: new HingeLoss({ squared: true }) })],
      ]),
    );
    expect(m.update([-2.2, 2.4, 0.1], [0, 1, 1]).compute()).to.deep.equal({
      "val.hinge-1": 0.3,
      _inner: { sq: 0.27 },
    });
    expect(MetricCollection.fromJSON(viaJSON(m.toJSON())).toJSON()).to.deep.equal(m.toJSON());
  });

  it("get of an unknown name is a MetricStateError listing the names", () => {
    expect(() => binary().get("nope" as never)).to.throw(MetricStateError, '"hinge", "squared"');
  });
});

describe("MetricCollection: JSON state and merge", () => {
  it("toJSON is { kind, version, options: {}, metrics } and round-trips", () => {
    const metrics = binary().update([-2.2, 2.4, 0.1], [0, 1, 1]);
    const json = metrics.toJSON();
    expect(Object.keys(json)).to.deep.equal(["kind", "version", "options", "metrics"]);
    expect(json.kind).to.equal("MetricCollection");
    expect(json.metrics.hinge).to.deep.equal(new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).toJSON());
    const back = MetricCollection.fromJSON(viaJSON(json));
    expect(back.toJSON()).to.deep.equal(json);
    expect(back.compute()).to.deep.equal(metrics.compute());
  });

  it("merge of parts (metrics and JSON) = the whole, bit for bit, for random data and splits", () => {
    fc.assert(
      fc.property(dataset(10), fc.array(fc.nat(), { maxLength: 4 }), (d, cuts) => {
        const make = () =>
          new MetricCollection({
            a: new HingeLoss(optionsOf(d)),
            b: new HingeLoss({
              ...optionsOf(d),
              multiclassMode: d.mode === "one-vs-all" ? "crammer-singer" : "one-vs-all",
            }),
          });
        const whole = make().update(d.preds, d.target, d.weights ?? undefined);
        const parts = batches(d, cuts).map((b) => make().update(b.preds, b.target, b.weights ?? undefined));
        const merged = parts[0]
          .clone()
          .merge(...parts.slice(1).map((p, i) => (i % 2 ? p : viaJSON(p.toJSON()))));
        expect(merged.toJSON()).to.deep.equal(whole.toJSON());
        expect(mergeStates(parts.map((p) => viaJSON(p.toJSON()))).toJSON()).to.deep.equal(whole.toJSON());
        if (whole.get("a").total > 0) {
          const v = merged.compute();
          const w = whole.compute();
          expectSameBits(v.a, w.a);
          expectSameBits(v.b, w.b);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("merge refuses other members, and leaves both sides unchanged", () => {
    const metrics = binary().update([0.5], [1]);
    const before = metrics.toJSON();
    const other = new MetricCollection({ hinge: new HingeLoss(), extra: new HingeLoss() });
    expect(() => metrics.merge(other as never)).to.throw(MetricStateError, 'unknown metric "extra"');
    const fewer = new MetricCollection({ hinge: new HingeLoss() });
    expect(() => metrics.merge(fewer.toJSON())).to.throw(MetricStateError, '"squared" is missing');
    const otherOptions = new MetricCollection({ hinge: new HingeLoss(), squared: new HingeLoss() });
    expect(() => metrics.merge(otherOptions as never)).to.throw(
      MetricStateError,
      'metric "squared": cannot merge HingeLoss states with different options: squared',
    );
    expect(() => metrics.merge(new HingeLoss() as never)).to.throw(MetricStateError, "kinds differ");
    expect(metrics.toJSON()).to.deep.equal(before);
    expect(other.toJSON()).to.deep.equal(
      new MetricCollection({ hinge: new HingeLoss(), extra: new HingeLoss() }).toJSON(),
    );
  });

  it("a member that fails to merge after another merged leaves every member unchanged", () => {
    const metrics = binary().update([0.5], [1]);
    const before = metrics.toJSON();
    const json = viaJSON(binary().update([1], [1]).toJSON()) as unknown as {
      metrics: Record<string, Record<string, unknown>>;
    };
    json.metrics.squared.total = "-0x1p+0";
    expect(() => metrics.merge(json as never)).to.throw(MetricStateError, 'metric "squared"');
    expect(metrics.toJSON()).to.deep.equal(before);
  });

  const good = () => viaJSON(binary().update([0.5], [1]).toJSON()) as unknown as Record<string, unknown>;
  const forgeries: [string, () => unknown][] = [
    ["null", () => null],
    ["an extra key", () => ({ ...good(), extra: 1 })],
    ["options not empty", () => ({ ...good(), options: { x: 1 } })],
    ["version 2", () => ({ ...good(), version: 2 })],
    ["kind HingeLoss", () => ({ ...good(), kind: "HingeLoss" })],
    ["metrics an array", () => ({ ...good(), metrics: [] })],
    ["metrics empty", () => ({ ...good(), metrics: {} })],
    ["a member name __proto__", () => JSON.parse(JSON.stringify(good()).replace('"hinge"', '"__proto__"'))],
    ["a bad member name", () => JSON.parse(JSON.stringify(good()).replace('"hinge"', '"a b"'))],
    [
      "a member of an unknown kind",
      () => JSON.parse(JSON.stringify(good()).replace('"HingeLoss"', '"Accuracy"')),
    ],
    ["a forged member", () => JSON.parse(JSON.stringify(good()).replace('"samples":1', '"samples":-1'))],
    ["a member that is a string", () => ({ ...good(), metrics: { hinge: "x", squared: "y" } })],
    [
      "a getter for metrics",
      () => Object.defineProperty({ ...good() }, "metrics", { get: () => good().metrics, enumerable: true }),
    ],
    [
      "300 members",
      () => ({
        ...good(),
        metrics: Object.fromEntries(
          Array.from({ length: 300 }, (_, i) => [`m${i}`, new HingeLoss().toJSON()]),
        ),
      }),
    ],
  ];
  for (const [what, forge] of forgeries) {
    it(`rejects a forged state: ${what} (fromJSON, merge, mergeStates)`, () => {
      expect(() => MetricCollection.fromJSON(forge())).to.throw(MetricStateError);
      const metrics = binary().update([0.5], [1]);
      const before = metrics.toJSON();
      expect(() => metrics.merge(forge() as never)).to.throw(MetricStateError);
      expect(metrics.toJSON()).to.deep.equal(before);
      expect(() => mergeStates([forge() as never])).to.throw(MetricStateError);
    });
  }
});
