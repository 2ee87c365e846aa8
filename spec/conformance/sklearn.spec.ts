import { expect } from "chai";
import { HingeLoss, MetricInputError, MetricStateError } from "../../lib/index.js";
import { closeTo, isErrorCase, loadVectors } from "../support/vectors.js";

// scikit-learn 1.2.1 `hinge_loss` cases that our HingeLoss shares semantics with: binary labels {0,1} or
// {-1,1} with both classes present, or class indices 0..C-1 with every class present (sklearn's other label
// handling — single class, strings, arbitrary label values — is the sklearn facade's business). Where sklearn
// accepts what we reject (negative weights), or rejects what we reject, we check our clear error.

const cases = loadVectors("sklearn.json");

function applicability(preds: unknown, target: unknown[]): "binary" | "multiclass" | null {
  if (!target.every((t) => typeof t === "number")) return null;
  const labels = [...new Set(target as number[])].sort((a, b) => a - b);
  const twoD = Array.isArray((preds as unknown[])[0]);
  if (!twoD) {
    const key = labels.join(",");
    return key === "0,1" || key === "-1,1" ? "binary" : null;
  }
  const C = ((preds as unknown[][])[0] ?? []).length;
  return labels.length === C && labels.every((l, i) => l === i) ? "multiclass" : null;
}

const finite = (v: unknown): boolean =>
  Array.isArray(v) ? v.every(finite) : typeof v === "number" && Number.isFinite(v);

describe("conformance: scikit-learn 1.2.1 hinge_loss vectors (shared semantics)", () => {
  let checked = 0;
  for (const c of cases) {
    const b = c.batches[0];
    const target = b.target as unknown[];
    const weights = b.sampleWeight as number[] | undefined;
    const kind = applicability(b.preds, target);

    if (!isErrorCase(c)) {
      if (kind === null) continue; // sklearn-only label handling
      if (weights !== undefined && weights.some((w) => w < 0)) {
        it(`${c.id}: negative weights (sklearn accepts them) raise MetricInputError, state untouched`, () => {
          const metric = new HingeLoss();
          const before = JSON.stringify(metric.toJSON());
          expect(() => metric.update(b.preds as never, target as never, weights)).to.throw(
            MetricInputError,
            /weights\[\d+\] must be a finite number ≥ 0, got -/,
          );
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
        });
        continue;
      }
      checked++;
      it(`${c.id}: ${kind} value matches sklearn at 1e-12`, () => {
        const value = new HingeLoss().update(b.preds as never, target as never, weights).compute();
        expect(closeTo(value, c.expected as number, 1e-12), `${value} vs ${String(c.expected)}`).to.equal(
          true,
        );
      });
      continue;
    }

    // sklearn error cases: we raise a clear error too, wherever our semantics make the input invalid.
    const p = b.preds as unknown[];
    if (target.length === 0) {
      it(`${c.id}: empty input → compute() throws MetricStateError`, () => {
        const metric = new HingeLoss().update(b.preds as never, target as never);
        expect(() => metric.compute()).to.throw(MetricStateError, /nothing accumulated/);
      });
    } else if (
      !finite(b.preds) ||
      p.length !== target.length ||
      (weights && weights.length !== target.length)
    ) {
      it(`${c.id}: raises MetricInputError, state untouched`, () => {
        const metric = new HingeLoss();
        const before = JSON.stringify(metric.toJSON());
        expect(() => metric.update(b.preds as never, target as never, weights)).to.throw(MetricInputError);
        expect(JSON.stringify(metric.toJSON())).to.equal(before);
      });
    } else if (weights !== undefined && weights.every((w) => w === 0)) {
      it(`${c.id}: weights summing to 0 → compute() throws MetricStateError`, () => {
        const metric = new HingeLoss().update(b.preds as never, target as never, weights);
        expect(() => metric.compute()).to.throw(MetricStateError, /total weight is 0/);
      });
    } else if (
      kind === null &&
      !Array.isArray(p[0]) &&
      !target.every((t) => t === 0 || t === 1 || t === -1)
    ) {
      it(`${c.id}: a multiclass target with 1-D preds is a bad binary target for us`, () => {
        expect(() => new HingeLoss().update(b.preds as never, target as never)).to.throw(
          MetricInputError,
          /target\[\d+\] must be 0, 1 or -1 for a binary HingeLoss/,
        );
      });
    } else if (Array.isArray(p[0]) && target.some((t) => !((t as number) < (p[0] as unknown[]).length))) {
      it(`${c.id}: a class index beyond the columns raises MetricInputError`, () => {
        expect(() => new HingeLoss().update(b.preds as never, target as never)).to.throw(
          MetricInputError,
          /must be an integer class index in \[0, \d+\)/,
        );
      });
    }
  }
  it("checked a meaningful share of the sklearn vectors", () => {
    expect(checked).to.be.greaterThan(10);
  });
});
