import { expect } from "chai";
import {
  HingeLoss,
  InvalidOptionsError,
  MetricInputError,
  MetricStateError,
  hingeLoss,
} from "../../lib/index.js";
import type { HingeLossOptions } from "../../lib/index.js";
import { closeTo, isErrorCase, loadVectors, type VectorCase } from "../support/vectors.js";
import { naiveHinge } from "./reference.js";

// Every case of torchmetrics 0.9.3 (the legacy HingeLoss, raw decision values like ours). Cases are
// classified by what their inputs are, not by their ids: where legacy accepts nonsense we raise a clear
// error, and where it reads a label differently (-1 as positive) we check our own semantics instead.

const cases = loadVectors("torchmetrics-legacy.json");

type Batch = VectorCase["batches"][number];

function optionsOf(c: VectorCase): HingeLossOptions {
  const mode = c.options.multiclass_mode as string | null;
  return {
    squared: c.options.squared as boolean,
    ...(mode === null ? {} : { multiclassMode: mode as never }),
  };
}

const flatNumbers = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(flatNumbers) : [v]);
const rank = (v: unknown): number => (Array.isArray(v) ? 1 + (v.length > 0 ? rank(v[0]) : 0) : 0);
const isBinaryBatch = (b: Batch) =>
  rank(b.preds) === 1 || (b.preds as number[][]).every((r) => r.length === 1);

/** What DESIGN §2/§4 says must happen for this case: the value, or which error at which step. */
function classify(c: VectorCase): { error: "options" | "input" | "empty" | null; atBatch: number } {
  const mode = c.options.multiclass_mode as string | null;
  if (mode !== null && !["crammer-singer", "one-vs-all"].includes(mode.toLowerCase())) {
    return { error: "options", atBatch: -1 };
  }
  let width: number | null = null;
  for (let i = 0; i < c.batches.length; i++) {
    const b = c.batches[i];
    const p = b.preds as unknown[];
    const t = b.target as unknown[];
    if (rank(b.preds) > 2 || rank(b.target) > 1) return { error: "input", atBatch: i };
    if (p.length !== t.length) return { error: "input", atBatch: i };
    if (flatNumbers(b.preds).some((x) => typeof x !== "number" || !Number.isFinite(x))) {
      return { error: "input", atBatch: i };
    }
    const C = isBinaryBatch(b) ? 1 : (p[0] as unknown[]).length;
    if (p.length > 0 && width !== null && width !== C) return { error: "input", atBatch: i };
    if (p.length > 0) width = C;
    const ok = (y: unknown) =>
      C === 1
        ? y === 0 || y === 1 || y === -1
        : Number.isInteger(y) && (y as number) >= 0 && (y as number) < C;
    if (!t.every(ok)) return { error: "input", atBatch: i };
  }
  if (width === null) return { error: "empty", atBatch: c.batches.length };
  return { error: null, atBatch: -1 };
}

describe("conformance: torchmetrics 0.9.3 (legacy HingeLoss) vectors", () => {
  for (const c of cases) {
    const verdict = classify(c);
    const targets = c.batches.flatMap((b) => (Array.isArray(b.target) ? (b.target as unknown[]) : []));
    const legacyReadsMinusOneAsPositive = targets.includes(-1) && c.batches.every(isBinaryBatch);

    if (isErrorCase(c) || verdict.error !== null) {
      it(`${c.id}: raises our clear error with the state untouched`, () => {
        if (verdict.error === "options") {
          expect(() => new HingeLoss(optionsOf(c))).to.throw(InvalidOptionsError, /multiclassMode must be/);
          return;
        }
        const metric = new HingeLoss(optionsOf(c));
        for (let i = 0; i < verdict.atBatch; i++)
          metric.update(c.batches[i].preds as never, c.batches[i].target as never);
        const before = JSON.stringify(metric.toJSON());
        if (verdict.error === "input") {
          const b = c.batches[verdict.atBatch];
          expect(() => metric.update(b.preds as never, b.target as never)).to.throw(MetricInputError, /\S/);
          expect(JSON.stringify(metric.toJSON())).to.equal(before);
        } else {
          expect(() => metric.compute()).to.throw(MetricStateError, /nothing accumulated/);
        }
      });
      continue;
    }

    it(`${c.id}: streams batch by batch to the reference value`, () => {
      const metric = new HingeLoss(optionsOf(c));
      for (const b of c.batches) metric.update(b.preds as never, b.target as never);
      const value = metric.compute();
      if (legacyReadsMinusOneAsPositive) {
        // legacy reads -1 as the positive class (bool(-1) is true); we read it as negative (DESIGN §2)
        const joined = c.batches.flatMap((b) => b.preds as number[]);
        const oracle = naiveHinge(joined, targets as number[], { squared: c.options.squared as boolean });
        expect(closeTo(value, oracle, 1e-12), `${value} vs ${oracle}`).to.equal(true);
        expect(closeTo(value, c.expected as number, 1e-6)).to.equal(false);
        return;
      }
      const expected = (c.expectedFloat64 ?? c.expected) as number | number[];
      const rel = c.expectedFloat64 !== undefined ? 1e-12 : 1e-6;
      expect(
        closeTo(value, expected, rel),
        `${JSON.stringify(value)} vs ${JSON.stringify(expected)}`,
      ).to.equal(true);
    });

    if (c.perBatch !== undefined) {
      it(`${c.id}: forward() gives each batch's value and accumulates the stream`, () => {
        const metric = new HingeLoss(optionsOf(c));
        c.batches.forEach((b, i) => {
          const v = metric.forward(b.preds as never, b.target as never);
          expect(
            closeTo(v, c.perBatch![i] as number | number[], 1e-6),
            `batch ${i}: ${JSON.stringify(v)}`,
          ).to.equal(true);
        });
        const expected = (c.expectedFloat64 ?? c.expected) as number | number[];
        expect(closeTo(metric.compute(), expected, 1e-12)).to.equal(true);
      });
    }

    if (c.expectedSingleBatch !== undefined) {
      it(`${c.id}: the one-shot hingeLoss on all batches joined`, () => {
        const preds = c.batches.flatMap((b) => b.preds as number[]);
        const target = c.batches.flatMap((b) => b.target as number[]);
        const value = hingeLoss(preds as never, target, optionsOf(c));
        expect(closeTo(value, c.expectedSingleBatch as number | number[], 1e-6)).to.equal(true);
        // exact accumulation: the stream and the one-shot value are the same bits
        const metric = new HingeLoss(optionsOf(c));
        for (const b of c.batches) metric.update(b.preds as never, b.target as never);
        expect(metric.compute()).to.deep.equal(value);
      });
    }
  }
});
