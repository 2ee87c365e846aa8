// MetricTracker: epochs that start empty (torchmetrics' increment copies the current state), computeAll,
// best with maximize per call and per key, reset / resetAll, forward, JSON round trip, merge, bad use.
import { expect } from "chai";
import {
  InvalidOptionsError,
  MeanAbsoluteError,
  MeanMetric,
  MeanSquaredError,
  MetricCollection,
  MetricInputError,
  MetricStateError,
  MetricTracker,
  R2Score,
  SumMetric,
  mergeStates,
  restoreMetric,
} from "../../../lib/index.js";
import { throwsUnchanged } from "../aggregation/familyVectors.js";

function epochs(tracker: MetricTracker, batches: number[][]): MetricTracker {
  for (const b of batches) tracker.increment().update(b);
  return tracker;
}

describe("MetricTracker", () => {
  it("tracks a metric over epochs: compute is the current epoch, computeAll every epoch", () => {
    const t = epochs(new MetricTracker(new MeanMetric()), [[1, 3], [5], [0, 1]]);
    expect(t.nSteps).to.equal(3);
    expect(t.compute()).to.equal(0.5);
    expect(t.computeAll()).to.deep.equal([2, 5, 0.5]);
  });

  it("every epoch starts empty, even when the wrapped metric was updated before (torchmetrics copies its state)", () => {
    const used = new SumMetric().update([100]);
    const t = new MetricTracker(used).increment().update([1]);
    expect(t.compute()).to.equal(1);
    expect(used.compute()).to.equal(100); // the metric given is not touched
    used.update(5);
    expect(t.increment().update(2).computeAll()).to.deep.equal([1, 2]);
  });

  it("best(): maximize by default (torchmetrics), per call, earliest epoch on ties, empty epochs skipped", () => {
    const t = epochs(new MetricTracker(new SumMetric()), [[1], [7], [7], [-2]]);
    t.increment();
    expect(t.best()).to.deep.equal({ value: 7, epoch: 1 });
    expect(t.best({ maximize: false })).to.deep.equal({ value: -2, epoch: 3 });
    const mse = epochs(new MetricTracker(new MeanMetric(), { maximize: false }), [[4], [1]]).increment();
    expect(mse.best()).to.deep.equal({ value: 1, epoch: 1 });
    expect(() => mse.computeAll()).to.throw(MetricStateError, /^epoch 2: MeanMetric has no weight/);
  });

  it("best() per key of a collection, maximize per key; a non-number value gives null", () => {
    const c = new MetricCollection({
      mse: new MeanSquaredError(),
      r2: new R2Score(),
      perOutput: new R2Score({ multioutput: "raw_values" }),
    });
    const t = new MetricTracker(c, { maximize: { mse: false, r2: true, perOutput: true } });
    t.increment().update([1, 2, 3], [1, 2, 4]);
    t.increment().update([1, 2, 5], [1, 2, 4]);
    t.increment().update([1, 2, 3.5], [1, 2, 4]);
    const best = t.best();
    expect(best.mse).to.deep.equal({ value: 0.08333333333333333, epoch: 2 });
    expect(best.r2?.epoch).to.equal(2);
    expect(best.perOutput).to.equal(null);
    expect(t.best({ maximize: true }).mse).to.deep.equal({ value: 1 / 3, epoch: 0 });
    expect(() => t.best({ maximize: { mse: false } })).to.throw(InvalidOptionsError, /no entry for "r2"/);
  });

  it("best() refuses a metric whose value is an array, and a per-key maximize for a number", () => {
    const t = new MetricTracker(new MeanAbsoluteError({ numOutputs: 2 }))
      .increment()
      .update([[1, 2]], [[0, 0]]);
    expect(() => t.best()).to.throw(MetricStateError, /needs a metric whose value is a number/);
    const s = epochs(new MetricTracker(new SumMetric()), [[1]]);
    expect(() => s.best({ maximize: { x: true } })).to.throw(InvalidOptionsError, /must be a boolean/);
    expect(() => s.best({ maximise: true } as never)).to.throw(
      InvalidOptionsError,
      /unknown option "maximise"/,
    );
    expect(() => new MetricTracker(new SumMetric()).best()).to.throw(
      MetricStateError,
      /no epoch has a value yet/,
    );
  });

  it("update/compute/forward before increment() is a MetricStateError", () => {
    const t = new MetricTracker(new SumMetric());
    throwsUnchanged(t, () => t.update([1]), MetricStateError, /call increment\(\) before update\(\)/);
    expect(() => t.compute()).to.throw(MetricStateError, /call increment\(\) before compute\(\)/);
    expect(() => t.forward([1])).to.throw(MetricStateError, /before forward\(\)/);
  });

  it("a bad batch leaves every epoch unchanged", () => {
    const t = epochs(new MetricTracker(new SumMetric()), [[1], [2]]);
    throwsUnchanged(t, () => t.update([1, NaN]), MetricInputError, /^value\[1\] is NaN/);
  });

  it("forward() gives the batch value and accumulates into the current epoch", () => {
    const t = new MetricTracker(new MeanSquaredError()).increment();
    expect(t.forward([1, 3], [1, 1])).to.equal(2);
    expect(t.forward([2], [0])).to.equal(4);
    expect(t.compute()).to.equal(8 / 3);
  });

  it("reset() forgets the current epoch only; resetAll() every epoch", () => {
    const t = epochs(new MetricTracker(new SumMetric()), [[1], [2]]);
    t.reset().update(5);
    expect(t.computeAll()).to.deep.equal([1, 5]);
    expect(t.resetAll().nSteps).to.equal(0);
    expect(new MetricTracker(new SumMetric()).reset().nSteps).to.equal(0);
  });

  it("JSON round trip (through the registry too) keeps every epoch and the options", () => {
    const t = epochs(new MetricTracker(new MeanMetric(), { maximize: false }), [[1, 2], [3]]);
    const json = JSON.parse(JSON.stringify(t)) as Record<string, unknown>;
    expect(json.kind).to.equal("MetricTracker");
    const back = MetricTracker.fromJSON(json);
    expect(back.computeAll()).to.deep.equal([1.5, 3]);
    expect(back.best()).to.deep.equal({ value: 1.5, epoch: 0 });
    expect((restoreMetric(json) as MetricTracker).computeAll()).to.deep.equal([1.5, 3]);
    const c = new MetricTracker(new MetricCollection({ s: new SumMetric(), m: new MeanMetric() }))
      .increment()
      .update([2, 4]);
    expect(MetricTracker.fromJSON(JSON.parse(JSON.stringify(c))).compute()).to.deep.equal({ s: 6, m: 3 });
  });

  it("refuses forged states", () => {
    const json = JSON.parse(JSON.stringify(epochs(new MetricTracker(new SumMetric()), [[1]]))) as {
      options: Record<string, unknown>;
      [key: string]: unknown;
    };
    const sum = new SumMetric().update(1).toJSON();
    expect(() => MetricTracker.fromJSON({ ...json, epochs: [new MeanMetric().update(1).toJSON()] })).to.throw(
      MetricStateError,
      /epochs\[0\]/,
    );
    expect(() => MetricTracker.fromJSON({ ...json, epochs: {} })).to.throw(MetricStateError, /array/);
    expect(() => MetricTracker.fromJSON({ ...json, options: { ...json.options, metric: sum } })).to.throw(
      MetricStateError,
      /empty state/,
    );
    expect(() => MetricTracker.fromJSON({ ...json, options: { ...json.options, maximize: "yes" } })).to.throw(
      MetricStateError,
      /maximize/,
    );
    expect(() => MetricTracker.fromJSON({ ...json, options: { maximize: true } })).to.throw(
      MetricStateError,
      /maximize and metric/,
    );
    expect(() =>
      MetricTracker.fromJSON({ ...json, options: { ...json.options, metric: { kind: "Nope" } } }),
    ).to.throw(MetricStateError, /unknown kind/);
    expect(() => MetricTracker.fromJSON({ ...json, extra: 1 })).to.throw(MetricStateError, /unexpected key/);
    expect(() => MetricTracker.fromJSON({ ...json, version: 2 })).to.throw(MetricStateError, /version/);
  });

  it("merges trackers of the same metric epoch by epoch; other epoch counts or metrics are refused", () => {
    const a = epochs(new MetricTracker(new SumMetric()), [[1], [2]]);
    const b = epochs(new MetricTracker(new SumMetric()), [[10], [20]]);
    expect(mergeStates([a.toJSON(), b]).computeAll()).to.deep.equal([11, 22]);
    expect(a.clone().merge(b.toJSON()).computeAll()).to.deep.equal([11, 22]);
    const c = epochs(new MetricTracker(new SumMetric()), [[1]]);
    throwsUnchanged(a, () => a.merge(c), MetricStateError, /1 epochs there and 2 here/);
    const d = epochs(new MetricTracker(new MeanMetric()), [[1], [2]]);
    throwsUnchanged(a, () => a.merge(d as never), MetricStateError, /different options: metric/);
  });

  it("refuses a non-metric and bad options", () => {
    expect(() => new MetricTracker({} as never)).to.throw(
      InvalidOptionsError,
      /needs a metric to track, got an object/,
    );
    expect(() => new MetricTracker(new SumMetric(), { maximize: 1 as never })).to.throw(
      InvalidOptionsError,
      /maximize must be a boolean or an object of booleans/,
    );
    expect(() => new MetricTracker(new SumMetric(), { mode: "max" } as never)).to.throw(
      InvalidOptionsError,
      /allowed keys: maximize/,
    );
  });

  it("clone() is independent", () => {
    const t = epochs(new MetricTracker(new SumMetric()), [[1]]);
    const c = t.clone();
    c.update(5).increment().update(1);
    expect(t.computeAll()).to.deep.equal([1]);
    expect(c.computeAll()).to.deep.equal([6, 1]);
  });
});
