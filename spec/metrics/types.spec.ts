// Issue 13 item 4, checked by the type checker (`npx tsc -p tsconfig.json` covers spec/): compute()'s type
// follows the options where they decide it, and mergeStates / MetricCollection.fromJSON are usable without
// casts. Each `expectType<Equal<A, B>>()` line fails to compile unless A and B are the same type; the
// `@ts-expect-error` lines fail to compile if the error they expect goes away.
import { expect } from "chai";

import {
  HingeLoss,
  MetricCollection,
  mergeStates,
  type HingeLossOptions,
  type HingeValue,
  type MetricStateJSON,
} from "../../lib/index.js";
import { BinaryHingeLoss, MulticlassHingeLoss } from "../../lib/compat/torchmetrics/index.js";

/** True exactly when A and B are the same type (not merely mutually assignable through any). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

describe("types: values follow the options (tsc-checked)", () => {
  it("new HingeLoss() and Crammer–Singer options give number; one-vs-all gives number | number[]", () => {
    const plain = new HingeLoss().update([0.5], [1]);
    const v: number = plain.compute();
    expectType<Equal<ReturnType<typeof plain.compute>, number>>();
    const _squared = new HingeLoss({ squared: true, multiclassMode: "crammer-singer" });
    expectType<Equal<ReturnType<typeof _squared.compute>, number>>();
    expectType<Equal<ReturnType<typeof _squared.forward>, number>>();
    expectType<Equal<ReturnType<typeof _squared.updateAndCompute>, number>>();
    const ova = new HingeLoss({ multiclassMode: "one-vs-all" });
    expectType<Equal<ReturnType<typeof ova.compute>, HingeValue>>();
    // @ts-expect-error: a one-vs-all value may be an array
    const n: number = ova.update([[1, 2]], [0]).compute();
    const opts: HingeLossOptions = {};
    const _unknownMode = new HingeLoss(opts);
    expectType<Equal<ReturnType<typeof _unknownMode.compute>, HingeValue>>();
    const _bare: HingeLoss = new HingeLoss({ multiclassMode: "one-vs-all" }); // the bare type takes any
    expectType<Equal<ReturnType<typeof _bare.compute>, HingeValue>>();
    expect([v, n]).to.deep.equal([0.5, [0, 3]]);
  });

  it("facades: BinaryHingeLoss is number, MulticlassHingeLoss number | number[]", () => {
    const b = new BinaryHingeLoss();
    expectType<Equal<ReturnType<typeof b.compute>, number>>();
    const _m = new MulticlassHingeLoss({ numClasses: 2 });
    expectType<Equal<ReturnType<typeof _m.compute>, HingeValue>>();
    expect(b.update([0.5], [1]).compute()).to.be.a("number");
  });

  it("mergeStates and MetricCollection.fromJSON need no casts", () => {
    const a = new HingeLoss().update([0.5], [1]);
    const b = new HingeLoss().update([1.5], [1]);
    const merged = mergeStates([a, b]);
    const v: number = merged.compute();
    const json: MetricStateJSON = a.toJSON();
    const fromJson = mergeStates<HingeLoss<Record<never, never>>>([json, b]);
    const w: number = fromJson.compute();
    const collection = new MetricCollection({
      hinge: new HingeLoss(),
      ova: new HingeLoss({ multiclassMode: "one-vs-all" }),
    });
    const _value = collection.update([[1, -1]], [0]).compute();
    expectType<Equal<typeof _value, { hinge: number; ova: HingeValue }>>();
    const prefixed = new MetricCollection({ hinge: new HingeLoss() }, { prefix: "val_" });
    const pv = prefixed.update([0.5], [1]).compute();
    expectType<Equal<typeof pv, { val_hinge: number }>>();
    const saved: unknown = JSON.parse(JSON.stringify(new MetricCollection({ hinge: a }).toJSON()));
    const back = MetricCollection.fromJSON<{ hinge: HingeLoss<Record<never, never>> }>(saved);
    const h: number = back.compute().hinge;
    expect([v, w, pv.val_hinge, h]).to.deep.equal([0.25, 0.25, 0.5, 0.5]);
  });
});
