// forwardValues(): each batch's own value (the metric's forward), for any metric; and accumulate() with any
// metric (a user metric, a collection) on public RxJS API only.
import { expect } from "chai";

import {
  HingeLoss,
  Metric,
  MetricCollection,
  MetricInputError,
  exactSum,
  readTensor,
  registerMetric,
  registeredKinds,
} from "../../lib/index.js";
import { accumulate, forwardValues, type Batch } from "../../lib/rx/index.js";
import { scheduler } from "./marbles.js";

class MeanValue extends Metric<number> {
  static readonly kind = "spec.rx.MeanValue";
  static readonly version = 1;
  constructor() {
    super({});
    this.addState("sum", exactSum());
    this.addState("n", exactSum());
  }
  protected override updateState(values: unknown): void {
    const v = readTensor(values, "preds");
    for (let i = 0; i < v.size; i++) this.state.sum.add(v.data[i]);
    this.state.n.add(v.size);
  }
  protected override computeValue(): number {
    return this.state.sum.ratio(this.state.n);
  }
}
if (!registeredKinds().includes(MeanValue.kind)) registerMetric(MeanValue);

const a: Batch = { preds: [2], target: [1] };
const b: Batch = { preds: [0], target: [1] };
const c: Batch = { preds: [-1, 0.5], target: [0, 1] };

describe("rx forwardValues(): each batch's own value", () => {
  it("emits forward() per batch; the metric accumulates every batch", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-|", { a, b, c });
      expectObservable(source.pipe(forwardValues(() => new HingeLoss()))).toBe("-x-y-z-|", {
        x: 0,
        y: 1,
        z: new HingeLoss().update([-1, 0.5], [0, 1]).compute(),
      });
      expectSubscriptions(source.subscriptions).toBe("^------!");
    });
  });

  it("a bad batch errors the stream at its position; values before stand; the source is unsubscribed", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const bad: Batch = { preds: [0.5], target: [7] };
      const source = cold("-a-e-b-|", { a, e: bad, b });
      const error = new MetricInputError(
        "batches[1]: target[0] must be 0, 1 or -1 for a binary HingeLoss, got 7",
      );
      expectObservable(source.pipe(forwardValues(() => new HingeLoss()))).toBe("-x-#", { x: 0 }, error);
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });

  it("a batch without a value (every sample ignored) emits nothing", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const ignored: Batch = { preds: [0.5], target: [-1] };
      const source = cold("-a-i-|", { a, i: ignored });
      expectObservable(source.pipe(forwardValues(() => new HingeLoss({ ignoreIndex: -1 })))).toBe("-x---|", {
        x: 0,
      });
    });
  });

  it("any metric: a user metric and a MetricCollection", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-c-|", { a, c });
      expectObservable(source.pipe(forwardValues(() => new MeanValue()))).toBe("-x-y-|", { x: 2, y: -0.25 });
      expectObservable(
        source.pipe(
          forwardValues(() => new MetricCollection({ mean: new MeanValue(), hinge: new HingeLoss() })),
        ),
      ).toBe("-x-y-|", {
        x: { mean: 2, hinge: 0 },
        y: { mean: -0.25, hinge: new HingeLoss().update([-1, 0.5], [0, 1]).compute() },
      });
    });
  });
});

describe("rx accumulate(): any metric, public RxJS API", () => {
  it("a user metric's running values and its value at completion", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-c-|", { a, c });
      expectObservable(source.pipe(accumulate(() => new MeanValue()))).toBe("-x-y-|", { x: 2, y: 0.5 });
      expectObservable(source.pipe(accumulate(() => new MeanValue(), { emit: "complete" }))).toBe(
        "-----(y|)",
        {
          y: 0.5,
        },
      );
    });
  });

  it("unsubscribing downstream unsubscribes the source", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-|", { a, b, c });
      expectObservable(source.pipe(accumulate(() => new HingeLoss())), "^--!").toBe("-x-", { x: 0 });
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });

  it("does not subclass RxJS's Subscriber (lib/rx uses public API only)", async () => {
    const { readFileSync } = await import("node:fs");
    for (const file of ["accumulate.ts", "mergeStates.ts", "forward.ts", "config.ts"]) {
      const text = readFileSync(new URL(`../../lib/rx/${file}`, import.meta.url), "utf8");
      expect(text, file).to.not.match(/extends Subscriber|new Subscriber\(|operate\(|from "rxjs\/internal/);
    }
  });
});
