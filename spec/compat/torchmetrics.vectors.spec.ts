import { expect } from "chai";
import {
  BinaryHingeLoss,
  HingeLoss,
  InvalidOptionsError,
  MetricInputError,
  MetricStateError,
  MulticlassHingeLoss,
  binaryHingeLoss,
} from "../../lib/compat/torchmetrics/index.js";
import { closeTo, isErrorCase, loadVectors, revive, type VectorCase } from "../support/vectors.js";

const cases = loadVectors("torchmetrics-1x.json");

type TorchMetric = BinaryHingeLoss | MulticlassHingeLoss;

/** The reference's constructor call, with its snake_case keys turned into ours. */
function optionsOf(c: VectorCase): Record<string, unknown> {
  const o = c.options;
  const out: Record<string, unknown> = {};
  if ("task" in o && c.tags.includes("task-wrapper")) out.task = o.task;
  if ("num_classes" in o) out.numClasses = o.num_classes;
  if ("squared" in o) out.squared = o.squared;
  if ("multiclass_mode" in o) out.multiclassMode = o.multiclass_mode;
  if ("ignore_index" in o) out.ignoreIndex = o.ignore_index;
  if ("validate_args" in o) out.validateArgs = o.validate_args;
  return out;
}

function build(c: VectorCase): TorchMetric {
  const options = optionsOf(c);
  if (c.tags.includes("task-wrapper")) return HingeLoss(options as never);
  if (c.options.task === "binary") return new BinaryHingeLoss(options);
  return new MulticlassHingeLoss(options as never);
}

function preds(c: VectorCase, b: VectorCase["batches"][number]): unknown {
  // torch.int64 preds: the nearest JS form is a BigInt64Array
  if (c.dtype === "int64") return BigInt64Array.from(b.preds as number[], (v) => BigInt(v));
  return b.preds;
}

function compare(actual: number | number[], c: VectorCase, expected: unknown, f64: unknown): void {
  if (f64 !== undefined) {
    expect(
      closeTo(actual, f64 as number | number[], 1e-12),
      `${JSON.stringify(actual)} vs ${JSON.stringify(f64)}`,
    ).to.equal(true);
  } else {
    expect(
      closeTo(actual, expected as number | number[], 2e-6),
      `${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`,
    ).to.equal(true);
  }
  void c;
}

function hasNaN(value: unknown): boolean {
  return Array.isArray(value) ? value.some(hasNaN) : Number.isNaN(value);
}

/**
 * Cases where the reference answers (no exception) but we deliberately raise our own clear error; each is a
 * documented difference (README, "torchmetrics 1.x and scikit-learn").
 */
const deliberate: Record<string, { error: new (m: string) => Error; message: RegExp }> = {
  // torch reads 2 (and -1) as positive without validation: we always check targets
  "odd-bin-target-2-novalidate": {
    error: MetricInputError,
    message: /^target\[2\] must be 0 or 1 .* got 2$/,
  },
  "odd-functional-default-no-validation": {
    error: MetricInputError,
    message: /^target\[0\] must be 0 or 1 .* got -1$/,
  },
  // NaN scores give a silent NaN in torch
  "odd-bin-nan": { error: MetricInputError, message: /^preds\[0\] must be a number .* got NaN$/ },
  "odd-bin-nan-in-range": { error: MetricInputError, message: /^preds\[0\] must be a number .* got NaN$/ },
  "odd-mc-nan": { error: MetricInputError, message: /^preds\[0\]\[0\] must be a number .* got NaN$/ },
  // nothing accumulated: torch returns NaN (with a warning before any update)
  "odd-empty": { error: MetricStateError, message: /nothing accumulated/ },
  "odd-compute-before-update": { error: MetricStateError, message: /nothing accumulated/ },
};

/** What we raise for each of the reference's error cases (class and message). */
const ours: Record<string, { error: new (m: string) => Error; message: RegExp }> = {
  "bad-wrapper-mc-no-num-classes": {
    error: InvalidOptionsError,
    message: /^`numClasses` is expected to be an integer for task "multiclass", but undefined was passed$/,
  },
  "bad-wrapper-task-multilabel": {
    error: InvalidOptionsError,
    message: /^Invalid Classification: expected one of \['binary', 'multiclass'\], but got "multilabel"$/,
  },
  "bad-bin-shape-mismatch": {
    error: MetricInputError,
    message:
      /^Predictions and targets are expected to have the same shape, but got preds \[3\] and target \[4\]$/,
  },
  "bad-mc-shape-mismatch": {
    error: MetricInputError,
    message: /the shape of `target` should be \(N, \.\.\.\): got preds \[3, 3\] and target \[4\]$/,
  },
  "bad-mc-target-out-of-range": {
    error: MetricInputError,
    message: /^target\[2\] must be an integer class index in \[0, 3\) for a MulticlassHingeLoss, got 3$/,
  },
  "bad-mc-target-out-of-range-4-unique": {
    error: MetricInputError,
    message: /^target\[3\] must be an integer class index in \[0, 3\) for a MulticlassHingeLoss, got 3$/,
  },
  "bad-mc-target-negative": {
    error: MetricInputError,
    message: /^target\[1\] must be an integer class index in \[0, 3\) for a MulticlassHingeLoss, got -1$/,
  },
  "bad-bin-target-2": {
    error: MetricInputError,
    message: /^target\[2\] must be 0 or 1 for a BinaryHingeLoss, got 2$/,
  },
  "bad-bin-target-minus1": {
    error: MetricInputError,
    message: /^target\[0\] must be 0 or 1 for a BinaryHingeLoss, got -1$/,
  },
  "bad-mode-invalid": {
    error: InvalidOptionsError,
    message:
      /Expected argument `multiclassMode` to be one of \('crammer-singer', 'one-vs-all'\), but got "foo"/,
  },
  "bad-mode-uppercase": {
    error: InvalidOptionsError,
    message: /to be one of \('crammer-singer', 'one-vs-all'\), but got "ONE-VS-ALL"/,
  },
  "bad-mode-none": {
    error: InvalidOptionsError,
    message: /to be one of \('crammer-singer', 'one-vs-all'\), but got null/,
  },
  "bad-num-classes-mismatch": {
    error: MetricInputError,
    message: /`preds.shape\[1\]` should be equal to number of classes: numClasses is 4, got preds \[3, 3\]$/,
  },
  "bad-num-classes-1": {
    error: InvalidOptionsError,
    message: /Expected argument `numClasses` to be an integer larger than 1, but got 1/,
  },
  "bad-squared-not-bool": {
    error: InvalidOptionsError,
    message: /^option squared: Expected argument `squared` to be an bool but got 1$/,
  },
  "bad-ignore-index-float": {
    error: InvalidOptionsError,
    message: /Expected argument `ignoreIndex` to either be `null` or an integer, but got 1.5/,
  },
  "bad-bin-int-preds": {
    error: MetricInputError,
    message: /^Expected argument `preds` to be floating tensor .* got tensor with dtype BigInt64Array$/,
  },
  "odd-bin-preds-column": {
    error: MetricInputError,
    message:
      /^Predictions and targets are expected to have the same shape, but got preds \[3, 1\] and target \[3\]$/,
  },
  "odd-mc-target-out-of-range-novalidate": {
    error: MetricInputError,
    message: /^target\[2\] must be an integer class index in \[0, 3\) for a MulticlassHingeLoss, got 3$/,
  },
  "bad-stream-width-change": {
    error: MetricInputError,
    message: /numClasses is 3, got preds \[1, 4\]$/,
  },
};

describe("torchmetrics 1.x facade: every case of torchmetrics-1x.json", () => {
  it("covers every case of the file", () => {
    for (const c of cases) {
      const known = !isErrorCase(c) || c.id in ours;
      expect(known, c.id).to.equal(true);
    }
    expect(cases.length).to.equal(90);
  });

  for (const c of cases.filter((x) => !isErrorCase(x) && !(x.id in deliberate))) {
    it(`${c.id} reproduces the reference`, () => {
      const metric = build(c);
      c.batches.forEach((b, i) => {
        if (c.perBatch === undefined) {
          metric.update(preds(c, b), b.target);
          return;
        }
        const expected = revive(c.perBatch[i]);
        if (hasNaN(expected)) {
          // a batch with no sample left: torch returns NaN, we raise and accumulate nothing
          const before = JSON.stringify(metric.toJSON());
          expect(() => metric.forward(preds(c, b), b.target)).to.throw(MetricStateError, /no sample left/);
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
          return;
        }
        compare(metric.forward(preds(c, b), b.target), c, expected, undefined);
      });
      compare(metric.compute(), c, c.expected, c.expectedFloat64);
      if (c.expectedSingleBatch !== undefined) {
        // the one-shot value of all batches joined: differs from the stream when "auto" decides per batch
        const joined = build(c);
        const p = c.batches.flatMap((b) => b.preds as unknown[]);
        const t = c.batches.flatMap((b) => b.target as unknown[]);
        compare(joined.update(p, t).compute(), c, c.expectedSingleBatch, undefined);
      }
    });
  }

  for (const [id, want] of Object.entries(deliberate)) {
    const c = cases.find((x) => x.id === id) as VectorCase;
    it(`${id}: the reference returns ${JSON.stringify(c.expected)}, we raise a clear ${want.error.name}`, () => {
      if (c.api.startsWith("torchmetrics.functional")) {
        expect(() => binaryHingeLoss(c.batches[0].preds, c.batches[0].target)).to.throw(
          want.error,
          want.message,
        );
        return;
      }
      const metric = build(c);
      const before = JSON.stringify(metric.toJSON());
      const run = (): void => {
        for (const b of c.batches) metric.update(preds(c, b), b.target);
        metric.compute();
      };
      expect(run).to.throw(want.error, want.message);
      expect(JSON.stringify(metric.toJSON())).to.equal(before);
    });
  }

  for (const c of cases.filter(isErrorCase)) {
    const phase = (c.expected as { phase: string }).phase;
    it(`${c.id}: the reference fails at ${phase}; we raise our clear error there, state unchanged`, () => {
      const want = ours[c.id];
      if (phase === "init") {
        expect(() => build(c)).to.throw(want.error, want.message);
        return;
      }
      const bad = Number(/update\[(\d+)\]/.exec(phase)?.[1]);
      const metric = build(c);
      c.batches.slice(0, bad).forEach((b, i) => {
        const value = metric.forward(preds(c, b), b.target);
        if (c.perBatch !== undefined) compare(value, c, c.perBatch[i], undefined);
      });
      const before = JSON.stringify(metric.toJSON());
      const b = c.batches[bad];
      expect(() => metric.update(preds(c, b), b.target)).to.throw(want.error, want.message);
      expect(() => metric.forward(preds(c, b), b.target)).to.throw(want.error, want.message);
      expect(JSON.stringify(metric.toJSON())).to.equal(before);
    });
  }
});
