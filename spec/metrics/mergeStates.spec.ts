import { expect } from "chai";
import fc from "fast-check";
import { HingeLoss, MetricCollection, MetricStateError, mergeStates } from "../../lib/index.js";
import { batches, dataset, expectSameBits, singlePass, valueOrNull, viaJSON } from "../state/arbitraries.js";

describe("mergeStates", () => {
  it("merges JSON states into a new metric of their kind (documented example)", () => {
    const a = new HingeLoss().update([-2.2], [0]).toJSON();
    const b = new HingeLoss().update([2.4, 0.1], [1, 1]).toJSON();
    const merged = mergeStates([a, b]);
    expect(merged).to.be.instanceOf(HingeLoss);
    expect(merged.compute()).to.equal(0.3);
  });

  it("takes metrics and JSON mixed; the first fixes the kind; arguments are unchanged", () => {
    const a = new HingeLoss().update([-2.2], [0]);
    const b = new HingeLoss().update([2.4, 0.1], [1, 1]);
    const before = [a.toJSON(), b.toJSON()];
    const merged = mergeStates([a, viaJSON(b.toJSON())]);
    expect(merged).to.not.equal(a);
    expect(merged.toJSON()).to.deep.equal(new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).toJSON());
    expect([a.toJSON(), b.toJSON()]).to.deep.equal(before);
    merged.update([5], [1]);
    expect(a.samples).to.equal(1);
  });

  it("a single state gives a copy; any iterable works", () => {
    const a = new HingeLoss().update([0.5], [1]);
    expect(mergeStates([a]).toJSON()).to.deep.equal(a.toJSON());
    expect(mergeStates(new Set([a.toJSON()])).compute()).to.equal(0.5);
  });

  it("builds collections from collection states", () => {
    const make = () => new MetricCollection({ h: new HingeLoss(), s: new HingeLoss({ squared: true }) });
    const parts = [make().update([-2.2], [0]), make().update([2.4, 0.1], [1, 1])];
    const merged = mergeStates(parts.map((p) => viaJSON(p.toJSON())));
    expect(merged).to.be.instanceOf(MetricCollection);
    expect(merged.compute()).to.deep.equal({ h: 0.3, s: 0.27 });
  });

  it("is order-independent: any permutation of the parts gives the same state and bits", () => {
    fc.assert(
      fc.property(dataset(10), fc.array(fc.nat(), { maxLength: 5 }), fc.nat(), (d, cuts, seed) => {
        const parts = batches(d, cuts).map((b) => viaJSON(singlePass(b).toJSON()));
        const shuffled = parts
          .map((p, i) => ({ p, k: (i * 7919 + seed) % 104729 }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.p);
        const whole = singlePass(d);
        const merged = mergeStates(shuffled) as HingeLoss;
        expect(merged.toJSON()).to.deep.equal(whole.toJSON());
        expectSameBits(valueOrNull(merged), valueOrNull(whole));
      }),
      { numRuns: 100 },
    );
  });

  const bad: [string, () => unknown, string][] = [
    ["an empty list", () => [], "at least one"],
    ["not a list", () => 42, "array"],
    ["null", () => null, "array"],
    [
      "an unknown kind",
      () => [{ kind: "NoSuchMetric", version: 1, options: {} }],
      'unknown kind "NoSuchMetric"',
    ],
    ["a kind from Object.prototype", () => [{ kind: "toString", version: 1, options: {} }], "unknown kind"],
    ["a kind __proto__", () => [JSON.parse('{"kind": "__proto__"}')], "__proto__"],
    ["no kind", () => [{ version: 1 }], "unknown kind"],
    ["a string state", () => ["HingeLoss"], "states[0]"],
    ["null as a state", () => [null], "states[0]"],
    [
      "a forged later state",
      () => [new HingeLoss(), { ...new HingeLoss().toJSON(), samples: -1 }],
      "states[1]",
    ],
    [
      "a later state of another kind",
      () => [new HingeLoss(), new MetricCollection({ a: new HingeLoss() })],
      "states[1]",
    ],
    [
      "a later state with other options",
      () => [new HingeLoss(), new HingeLoss({ squared: true })],
      "squared",
    ],
  ];
  for (const [what, states, message] of bad) {
    it(`rejects ${what} with a MetricStateError`, () => {
      expect(() => mergeStates(states() as never)).to.throw(MetricStateError, message);
    });
  }
});
