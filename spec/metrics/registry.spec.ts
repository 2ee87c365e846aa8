// Issue 12 item 3 / issue 13 item 2: every state the library writes, of every registered kind (core metrics,
// collections, torchmetrics and Keras facades), reads back as the same metric with the same options through
// every entry point: Cls.fromJSON, merge into a fresh metric, mergeStates, MetricCollection.fromJSON and the
// rx mergeStates() operator. (The CLI's `merge` reads hinge-loss states only: see spec/cli.)
import { expect } from "chai";
import { from, lastValueFrom, toArray } from "rxjs";

import * as keras from "../../lib/compat/keras/index.js";
import * as torch from "../../lib/compat/torchmetrics/index.js";
import "../../lib/compat/sklearn/index.js";
import "../../lib/compat/tf/index.js";
import {
  HingeLoss,
  Metric,
  MetricCollection,
  mergeStates,
  metricClass,
  registeredKinds,
  type MetricStateJSON,
} from "../../lib/index.js";
import { mergeStates as mergeStates$ } from "../../lib/rx/index.js";

type AnyM = Metric;

/** A non-trivial metric of each built-in kind, and a next batch to feed it (so behaviour is compared too). */
const samples: Record<string, { make: () => AnyM; next: (m: AnyM) => void }> = {
  HingeLoss: {
    make: () =>
      new HingeLoss({ squared: true, ignoreIndex: -1 }).update(
        [
          [1, 2, 3],
          [0.5, -1, 2],
        ],
        [0, 2],
      ),
    next: (m) => void m.update([[0.25, 0.5, -2]], [1]),
  },
  MetricCollection: {
    make: () =>
      new MetricCollection({
        plain: new HingeLoss({ squared: true }).update([0.5, -1], [1, 0]),
        torch: new torch.BinaryHingeLoss({ inputTransform: "sigmoid" }).update([0.5, -1], [1, 0]),
      }) as unknown as AnyM,
    next: (m) => void m.update([2, -0.5], [0, 1]),
  },
  "torchmetrics.BinaryHingeLoss": {
    make: () =>
      new torch.BinaryHingeLoss({ inputTransform: "sigmoid", squared: true }).update([-1, 2], [0, 1]),
    next: (m) => void m.update([0.25, 0.75], [1, 0]),
  },
  "torchmetrics.MulticlassHingeLoss": {
    make: () =>
      new torch.MulticlassHingeLoss({
        numClasses: 3,
        multiclassMode: "one-vs-all",
        inputTransform: "softmax",
      }).update([[0.2, 0.5, 0.3]], [1]),
    next: (m) => void m.update([[3, -1, 0.5]], [2]),
  },
  "keras.metrics.Hinge": {
    make: () => new keras.metrics.Hinge({ dtype: "float64" }).updateState([[0, 1]], [[0.6, 0.4]]),
    next: (m) => void (m as keras.metrics.Hinge).updateState([[1, 0]], [[0.3, -0.2]]),
  },
  "keras.metrics.SquaredHinge": {
    make: () => new keras.metrics.SquaredHinge().updateState([[0, 1]], [[0.6, 0.4]], [2]),
    next: (m) => void (m as keras.metrics.SquaredHinge).updateState([[1, 0]], [[0.3, -0.2]]),
  },
  "keras.metrics.CategoricalHinge": {
    make: () => new keras.metrics.CategoricalHinge({ dtype: "float64" }).updateState([[0, 1]], [[0.6, 0.4]]),
    next: (m) => void (m as keras.metrics.CategoricalHinge).updateState([[1, 0]], [[0.3, -0.2]]),
  },
};

/** The same metric: class, kind, state options, state bits, and the state after one more batch. */
// the metric families: a non-trivial state of each, with options that change results
const klass = (kind: string) => metricClass(kind) as unknown as new (options?: object) => AnyM;
for (const kind of registeredKinds()) {
  if (kind.startsWith("Multiclass")) {
    const options = kind === "MulticlassFBetaScore" ? { numClasses: 3, beta: 2 } : { numClasses: 3 };
    samples[kind] ??= {
      make: () =>
        new (klass(kind))({ ...options, ignoreIndex: -1 }).update(
          [
            [0.2, 0.5, 0.3],
            [0.9, 0.05, 0.05],
            [0.1, 0.1, 0.8],
          ],
          [1, 2, -1],
        ),
      next: (m) => void m.update([[0.1, 0.1, 0.8]], [2]),
    };
  } else if (kind.startsWith("Binary")) {
    const options = kind === "BinaryFBetaScore" ? { beta: 0.5, threshold: 0.3 } : { threshold: 0.3 };
    samples[kind] ??= {
      make: () => new (klass(kind))(options).update([0.2, 0.7, 0.4], [0, 1, 0]),
      next: (m) => void m.update([0.9], [0]),
    };
  } else if (["SumMetric", "MaxMetric", "MinMetric", "MeanMetric"].includes(kind)) {
    samples[kind] ??= {
      make: () => new (klass(kind))({ nanStrategy: "ignore" }).update([1.5, NaN, -2]),
      next: (m) => void m.update([4]),
    };
  } else if (["MeanSquaredError", "MeanAbsoluteError", "R2Score"].includes(kind)) {
    samples[kind] ??= {
      make: () => new (klass(kind))().update([2.5, 0, 2, 8], [3, -0.5, 2, 7]),
      next: (m) => void m.update([1], [1.5]),
    };
  }
}
samples.MetricTracker ??= {
  make: () => {
    const Tracker = klass("MetricTracker") as unknown as new (m: AnyM) => AnyM & { increment(): AnyM };
    const t = new Tracker(new (klass("MeanSquaredError"))());
    t.increment().update([1, 2], [1.5, 2]);
    return t.increment().update([3], [2]);
  },
  next: (m) => void m.update([0], [1]),
};

function expectSame(back: AnyM, original: AnyM, next: (m: AnyM) => void, via: string): void {
  expect(back.constructor, via).to.equal(original.constructor);
  expect(back.kind, via).to.equal(original.kind);
  expect(JSON.stringify(back.stateOptions()), via).to.equal(JSON.stringify(original.stateOptions()));
  expect(JSON.stringify(back.toJSON()), via).to.equal(JSON.stringify(original.toJSON()));
  const a = original.clone();
  next(a);
  next(back);
  expect(JSON.stringify(back.toJSON()), `${via}, then a batch`).to.equal(JSON.stringify(a.toJSON()));
}

describe("registry: every registered kind reads back as the same metric through every entry point", () => {
  const kinds = registeredKinds();

  it("every built-in kind is registered once its entry point is imported", () => {
    for (const kind of Object.keys(samples)) expect(kinds, kind).to.include(kind);
  });

  for (const kind of kinds) {
    const sample = samples[kind] ?? {
      // a kind registered elsewhere (a family added later): at least its default instance must round-trip
      make: () => new (metricClass(kind))(),
      next: () => undefined,
    };
    describe(kind, () => {
      const json = (): MetricStateJSON =>
        JSON.parse(JSON.stringify(sample.make().toJSON())) as MetricStateJSON;

      it("Cls.fromJSON", () => {
        expectSame(metricClass(kind).fromJSON(json()), sample.make(), sample.next, "fromJSON");
      });

      it("merge into a fresh metric of the same options", () => {
        const original = sample.make();
        const cls = metricClass(kind);
        // an empty metric of the same options (a tracker's reset() empties the current epoch only)
        const restored = cls.fromJSON(json()) as AnyM & { resetAll?: () => AnyM };
        const fresh = restored.resetAll !== undefined ? restored.resetAll() : restored.reset();
        expectSame(fresh.merge(json()), original, sample.next, "merge");
      });

      it("mergeStates (of the JSON, and of the metric)", () => {
        expectSame(mergeStates([json()]) as AnyM, sample.make(), sample.next, "mergeStates(json)");
        expectSame(mergeStates([sample.make()]) as AnyM, sample.make(), sample.next, "mergeStates(metric)");
      });

      it("MetricCollection.fromJSON", () => {
        const saved = JSON.parse(
          JSON.stringify(new MetricCollection({ m: sample.make() }).toJSON()),
        ) as unknown;
        const back = MetricCollection.fromJSON(saved).get("m") as AnyM;
        expectSame(back, sample.make(), sample.next, "MetricCollection.fromJSON");
      });

      it("the rx mergeStates() operator", async () => {
        const values = await lastValueFrom(
          from([json(), json()]).pipe(mergeStates$({ emit: "complete" }), toArray()),
        );
        const twice = sample.make().merge(sample.make());
        let expected: unknown[];
        try {
          expected = [twice.compute()];
        } catch {
          expected = [];
        }
        expect(values).to.deep.equal(expected);
      });
    });
  }
});
