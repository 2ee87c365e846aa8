import { expect } from "chai";
import fc from "fast-check";
import { HingeLoss as CoreHingeLoss } from "../../lib/index.js";
import { BinaryHingeLoss, MulticlassHingeLoss } from "../../lib/compat/torchmetrics/index.js";
import { hingeLoss as sklearnHingeLoss } from "../../lib/compat/sklearn/index.js";

const score = fc.double({ min: -8, max: 8, noNaN: true });

/** A binary data set and cut points into batches. */
const binaryData = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    preds: fc.array(score, { minLength: n, maxLength: n }),
    target: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
    cuts: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: 4 }),
  }),
);

function batches<T>(xs: T[], cuts: number[]): T[][] {
  const at = [0, ...[...cuts].filter((c) => c < xs.length).sort((a, b) => a - b), xs.length];
  return at.slice(1).map((end, i) => xs.slice(at[i], end));
}

describe("compat facades: properties (fast-check)", () => {
  it("BinaryHingeLoss with an explicit transform: any batching, any merge order → the same bits", () => {
    fc.assert(
      fc.property(binaryData, fc.constantFrom("sigmoid" as const, "none" as const), (d, inputTransform) => {
        const whole = new BinaryHingeLoss({ inputTransform }).update(d.preds, d.target).compute();
        const pb = batches(d.preds, d.cuts);
        const tb = batches(d.target, d.cuts);
        const stream = new BinaryHingeLoss({ inputTransform });
        pb.forEach((p, i) => stream.update(p, tb[i]));
        expect(stream.compute()).to.equal(whole);
        const parts = pb.map((p, i) => new BinaryHingeLoss({ inputTransform }).update(p, tb[i]));
        const merged = new BinaryHingeLoss({ inputTransform }).merge(
          ...parts.reverse().map((m) => m.toJSON()),
        );
        expect(merged.compute()).to.equal(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('inputTransform "none" equals the core HingeLoss and scikit-learn on {0, 1} labels with both classes, bit for bit', () => {
    fc.assert(
      fc.property(binaryData, (d) => {
        const core = new CoreHingeLoss().update(d.preds, d.target).compute();
        expect(new BinaryHingeLoss({ inputTransform: "none" }).update(d.preds, d.target).compute()).to.equal(
          core,
        );
        if (new Set(d.target).size === 2) expect(sklearnHingeLoss(d.target, d.preds)).to.equal(core);
      }),
      { numRuns: 150 },
    );
  });

  it("MulticlassHingeLoss (N, C, L) = the (N·L, C) rows it is reshaped to, bit for bit", () => {
    const data = fc
      .record({
        N: fc.integer({ min: 1, max: 5 }),
        C: fc.integer({ min: 2, max: 5 }),
        L: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ N, C, L }) =>
        fc.record({
          N: fc.constant(N),
          C: fc.constant(C),
          L: fc.constant(L),
          flat: fc.array(score, { minLength: N * C * L, maxLength: N * C * L }),
          target: fc.array(fc.integer({ min: 0, max: C - 1 }), { minLength: N * L, maxLength: N * L }),
          mode: fc.constantFrom("crammer-singer" as const, "one-vs-all" as const),
        }),
      );
    fc.assert(
      fc.property(data, ({ N, C, L, flat, target, mode }) => {
        const rows: number[][] = [];
        for (let n = 0; n < N; n++)
          for (let l = 0; l < L; l++)
            rows.push(Array.from({ length: C }, (_, c) => flat[n * C * L + c * L + l]));
        const make = (): MulticlassHingeLoss =>
          new MulticlassHingeLoss({ numClasses: C, multiclassMode: mode });
        const a = make()
          .update({ data: flat, shape: [N, C, L] }, { data: target, shape: [N, L] })
          .compute();
        const b = make().update(rows, target).compute();
        expect(a).to.deep.equal(b);
      }),
      { numRuns: 150 },
    );
  });

  it("scikit-learn: weights 0, 1, 2, 4 (exact products w·m) = repeated samples, bit for bit", () => {
    fc.assert(
      fc.property(
        binaryData,
        fc.array(fc.constantFrom(0, 1, 2, 4), { minLength: 40, maxLength: 40 }),
        (d, ws) => {
          const w = d.preds.map((_, i) => ws[i]);
          if (w.every((x) => x === 0)) return;
          const y = d.target.flatMap((v, i) => Array<number>(w[i]).fill(v));
          const p = d.preds.flatMap((v, i) => Array<number>(w[i]).fill(v));
          if (new Set(y).size !== new Set(d.target).size) return; // the label set must not change
          expect(sklearnHingeLoss(d.target, d.preds, { sampleWeight: w })).to.equal(sklearnHingeLoss(y, p));
        },
      ),
      { numRuns: 150 },
    );
  });
});
