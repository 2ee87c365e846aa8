// MeanSquaredError, MeanAbsoluteError, R2Score and their functional forms: exactness (against BigInt
// references), R²'s deliberate differences from torchmetrics, bad input (error class, message with the
// argument and position, state unchanged), bad options, forged states, and the property that any split and
// merge order give the same bits.
import { expect } from "chai";
import fc from "fast-check";
import {
  InvalidOptionsError,
  MeanAbsoluteError,
  MeanSquaredError,
  MetricInputError,
  MetricStateError,
  R2Score,
  exactSum,
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  type Metric,
} from "../../../lib/index.js";
import { roundQuotient, scaledFromDouble } from "../../../lib/state/index.js";
import { logUniform } from "../../state/arbitraries.js";
import { throwsUnchanged } from "../aggregation/familyVectors.js";
import { prng } from "../../support/prng.js";

/** R² by the two-pass formula over exact rationals: 1 - rss / Σ(t - mean)², rss = Σ fl((p - t)²). */
function r2Reference(p: number[], t: number[]): number {
  const n = BigInt(t.length);
  const T = t.map(scaledFromDouble);
  const S = T.reduce((a, b) => a + b, 0n);
  const D = T.reduce((acc, x) => acc + (n * x - S) ** 2n, 0n); // n²·tss in units of 2^-2148
  const R = p.reduce((acc, x, i) => acc + scaledFromDouble((x - t[i]) * (x - t[i])), 0n);
  const M = R * n * n * (1n << 1074n);
  if (D === 0n) return M === 0n ? 1 : 0;
  return roundQuotient(D - M, D);
}

/** Σ fl((p - t)²) / n through a plain exact sum, one element at a time (no hot loop). */
function mseReference(p: ArrayLike<number>, t: ArrayLike<number>): number {
  const s = exactSum().empty();
  const n = exactSum().empty();
  for (let i = 0; i < p.length; i++) s.add((p[i] - t[i]) * (p[i] - t[i]));
  n.add(p.length);
  return s.ratio(n);
}

function noisy(n: number, offset: number, scale: number, seed: number): { p: number[]; t: number[] } {
  const rand = prng(seed);
  const t = Array.from({ length: n }, () => offset + scale * (rand() * 2 - 1));
  const p = t.map((x) => x + scale * 0.3 * (rand() * 2 - 1));
  return { p, t };
}

describe("regression metrics", () => {
  describe("MeanSquaredError and MeanAbsoluteError", () => {
    it("RMSE is the square root of the correctly rounded MSE, bit for bit", () => {
      const { p, t } = noisy(500, 0, 3, 1);
      const mse = new MeanSquaredError().update(p, t).compute();
      expect(
        Object.is(new MeanSquaredError({ squared: false }).update(p, t).compute(), Math.sqrt(mse)),
      ).to.equal(true);
      expect(Object.is(meanSquaredError(p, t, { squared: false }), Math.sqrt(mse))).to.equal(true);
    });

    it("the hot loops equal a plain exact sum, bit for bit, for float32, float64 and plain arrays of any magnitude", () => {
      const f32 = fc.oneof(fc.double({ min: -4, max: 4, noNaN: true }), logUniform(60)).map(Math.fround);
      fc.assert(
        fc.property(fc.array(fc.tuple(f32, f32), { minLength: 1, maxLength: 300 }), (pairs) => {
          const p = new Float32Array(pairs.map((x) => x[0]));
          const t = new Float32Array(pairs.map((x) => x[1]));
          if (!pairs.every(([a, b]) => Number.isFinite((a - b) * (a - b)))) return;
          const ref = mseReference(p, t);
          expect(Object.is(new MeanSquaredError().update(p, t).compute(), ref)).to.equal(true);
          expect(Object.is(meanSquaredError(Float64Array.from(p), Float64Array.from(t)), ref)).to.equal(true);
          expect(Object.is(meanSquaredError(Array.from(p), Array.from(t)), ref)).to.equal(true);
        }),
        { numRuns: 200 },
      );
    });

    it("past a chunk of 65,536 elements, with tiny values on the slow path", () => {
      const { p, t } = noisy(200_000, 0, 2, 2);
      const p32 = Float32Array.from(p);
      const t32 = Float32Array.from(t);
      p32[1000] = 1e-30;
      t32[1000] = 0;
      p32[150_000] = 3e4;
      expect(Object.is(new MeanSquaredError().update(p32, t32).compute(), mseReference(p32, t32))).to.equal(
        true,
      );
    });

    it("numOutputs 1 pools every element of any shape (as torchmetrics flattens)", () => {
      expect(
        new MeanSquaredError()
          .update(
            [
              [1, 2],
              [3, 4],
            ],
            [
              [0, 0],
              [0, 0],
            ],
          )
          .compute(),
      ).to.equal(7.5);
      expect(new MeanAbsoluteError().update(3, 1).compute()).to.equal(2);
    });

    it("numOutputs > 1 needs (N, numOutputs) inputs: torchmetrics' silent broadcast of 1-D inputs is refused", () => {
      for (const m of [new MeanSquaredError({ numOutputs: 3 }), new MeanAbsoluteError({ numOutputs: 3 })]) {
        m.update([[1, 2, 3]], [[0, 0, 0]]);
        throwsUnchanged(
          m,
          () => m.update([1, 2], [1.5, 3]),
          MetricInputError,
          /^preds and target must be \(N, 3\) arrays for \w+ with numOutputs 3, got shape \[2\]$/,
        );
        throwsUnchanged(m, () => m.update([[1, 2]], [[0, 0]]), MetricInputError, /got 2 columns$/);
      }
    });

    for (const [name, make] of [
      ["MeanSquaredError", () => new MeanSquaredError()],
      ["MeanAbsoluteError", () => new MeanAbsoluteError()],
      ["R2Score", () => new R2Score()],
    ] as [string, () => Metric][]) {
      it(`${name}: bad inputs are MetricInputErrors naming the argument and position; state unchanged`, () => {
        const m = make().update([1, 2, 3], [1, 2, 4]);
        throwsUnchanged(
          m,
          () => m.update([1, 2, 3], [1, 2]),
          MetricInputError,
          /^preds and target must have the same shape, got preds \[3\] and target \[2\]$/,
        );
        throwsUnchanged(
          m,
          () => m.update([1, NaN, 3], [1, 2, 3]),
          MetricInputError,
          /^preds\[1\] must be a finite number, got NaN$/,
        );
        throwsUnchanged(
          m,
          () => m.update([1, 2, 3], [1, 2, -Infinity]),
          MetricInputError,
          /^target\[2\] must be a finite number, got -Infinity$/,
        );
        throwsUnchanged(
          m,
          () => m.update(new Float32Array([1, 2]), new Float32Array([1, NaN])),
          MetricInputError,
          /^target\[1\] must be a finite number, got NaN$/,
        );
        throwsUnchanged(
          m,
          () => m.update([1.7e308, 2], [-1.7e308, 2]),
          MetricInputError,
          /preds\[0\] and target\[0\] overflows a double/,
        );
        throwsUnchanged(m, () => m.update("x", [1]), MetricInputError, /^preds /);
      });
    }

    it("no sample: MetricStateError, never NaN", () => {
      expect(() => new MeanSquaredError().compute()).to.throw(
        MetricStateError,
        /MeanSquaredError has no samples/,
      );
      expect(() => new MeanAbsoluteError({ numOutputs: 2 }).compute()).to.throw(MetricStateError);
      expect(() => meanSquaredError([], [])).to.throw(MetricStateError);
    });

    it("bad options: InvalidOptionsError naming the option", () => {
      expect(() => new MeanSquaredError({ squared: "no" as never })).to.throw(
        InvalidOptionsError,
        /squared must be a boolean, got "no"/,
      );
      expect(() => new MeanSquaredError({ numOutputs: 0 })).to.throw(
        InvalidOptionsError,
        /numOutputs must be an integer ≥ 1, got 0/,
      );
      expect(() => new MeanAbsoluteError({ numOutputs: 1.5 })).to.throw(
        InvalidOptionsError,
        /numOutputs must be an integer ≥ 1, got 1.5/,
      );
      expect(() => new MeanAbsoluteError({ num_outputs: 2 } as never)).to.throw(
        InvalidOptionsError,
        /did you mean "numOutputs"/,
      );
      expect(() => new MeanSquaredError({ reduction: "sum" } as never)).to.throw(
        InvalidOptionsError,
        /allowed keys: squared, numOutputs/,
      );
      expect(() => meanAbsoluteError([1], [1], { numOutputs: -1 })).to.throw(InvalidOptionsError);
    });

    it("refuses forged states", () => {
      const json = new MeanSquaredError().update([1, 2], [0, 0]).toJSON() as unknown as Record<
        string,
        unknown
      >;
      expect(() => MeanSquaredError.fromJSON({ ...json, total: 0 })).to.throw(
        MetricStateError,
        /not 0 while total is 0/,
      );
      expect(() => MeanSquaredError.fromJSON({ ...json, sumSquaredError: "-0x1p+0" })).to.throw(
        MetricStateError,
        /negative/,
      );
      expect(() =>
        MeanSquaredError.fromJSON({ ...json, options: { squared: true, numOutputs: 2 } }),
      ).to.throw(MetricStateError);
      const mae = new MeanAbsoluteError({ numOutputs: 2 })
        .update([[1, 2]], [[0, 0]])
        .toJSON() as unknown as Record<string, unknown>;
      expect(() => MeanAbsoluteError.fromJSON({ ...mae, sumAbsError: ["0x1p+0"] })).to.throw(
        MetricStateError,
      );
      expect(MeanAbsoluteError.fromJSON(JSON.parse(JSON.stringify(mae))).compute()).to.deep.equal([1, 2]);
    });
  });

  describe("R2Score", () => {
    it("targets far from 0: exact where the one-pass formula cancels (torchmetrics item 6)", () => {
      const { p, t } = noisy(1000, 1e8, 1, 3);
      const ours = new R2Score().update(p, t).compute();
      expect(ours).to.equal(r2Reference(p, t));
      // the one-pass float64 formula torchmetrics uses: tss = Σt² - (Σt)²/n
      const st = t.reduce((a, b) => a + b, 0);
      const st2 = t.reduce((a, b) => a + b * b, 0);
      const rss = p.reduce((a, x, i) => a + (x - t[i]) ** 2, 0);
      const naive = 1 - rss / (st2 - (st * st) / t.length);
      expect(Math.abs(naive - ours)).to.be.greaterThan(1e-3);
    });

    it("small-scale targets are not called constant (torchmetrics' absolute atol=1e-4 gives 1.0; item 7)", () => {
      const { p, t } = noisy(50, 0, 1e-3, 4);
      const ours = new R2Score().update(p, t).compute();
      expect(ours).to.equal(r2Reference(p, t));
      expect(ours).to.be.below(0.99);
    });

    it("property: equal to the two-pass exact reference, and the same bits for any split and merge order", () => {
      // squares of |t| < 1e-146 underflow (documented): the property is over values above that, or 0
      const v = fc
        .oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), logUniform(40))
        .map((x) => (Math.abs(x) < 1e-140 ? 0 : x));
      fc.assert(
        fc.property(
          fc.array(fc.tuple(v, v), { minLength: 2, maxLength: 30 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          (pairs, cuts) => {
            const p = pairs.map((x) => x[0]);
            const t = pairs.map((x) => x[1]);
            const whole = new R2Score().update(p, t).compute();
            expect(whole).to.equal(r2Reference(p, t));
            const at = [...new Set(cuts.map((c) => c % (p.length + 1)))].sort((a, b) => a - b);
            const bounds = [0, ...at, p.length];
            const parts = bounds
              .slice(1)
              .map((b, i) => new R2Score().update(p.slice(bounds[i], b), t.slice(bounds[i], b)));
            parts.reverse();
            expect(
              Object.is(parts[0].merge(...parts.slice(1).map((m) => m.toJSON())).compute(), whole),
            ).to.equal(true);
            expect(Object.is(r2Score(p, t), whole)).to.equal(true);
          },
        ),
        { numRuns: 150 },
      );
    });

    it("a constant target scores 1 when predicted exactly, else 0 (scikit-learn's force_finite)", () => {
      expect(new R2Score().update([2, 2, 2], [2, 2, 2]).compute()).to.equal(1);
      expect(new R2Score().update([1, 2, 3], [2, 2, 2]).compute()).to.equal(0);
      expect(
        new R2Score({ multioutput: "raw_values" })
          .update(
            [
              [1, 2],
              [2, 2],
              [3, 2],
            ],
            [
              [1, 2],
              [2, 2],
              [4, 2],
            ],
          )
          .compute(),
      ).to.deep.equal([r2Reference([1, 2, 3], [1, 2, 4]), 1]);
    });

    it("variance_weighted is Σ(tss - rss)/Σtss rounded once; all outputs constant: the uniform average", () => {
      const p = [
        [1, 10],
        [2, 20],
        [3, 33],
      ];
      const t = [
        [1, 10],
        [2, 20],
        [4, 30],
      ];
      // tss = [2/3·... ] computed by hand: output 0: mean 7/3, tss 14/3, rss 1; output 1: mean 20, tss 200, rss 9
      const expected = (14 / 3 - 1 + 200 - 9) / (14 / 3 + 200);
      expect(new R2Score({ multioutput: "variance_weighted" }).update(p, t).compute()).to.be.closeTo(
        expected,
        1e-15,
      );
      expect(
        new R2Score({ multioutput: "variance_weighted" })
          .update(
            [
              [1, 2],
              [3, 2],
            ],
            [
              [2, 2],
              [2, 2],
            ],
          )
          .compute(),
      ).to.equal(0.5);
    });

    it("adjusted: 1 - (1 - r2)(n - 1)/(n - a - 1), and the plain r2 when n - a - 1 ≤ 0 (as torchmetrics)", () => {
      expect(new R2Score({ adjusted: 1 }).update([1, 2, 3, 5], [1, 2, 4, 5]).compute()).to.equal(0.85);
      const plain = new R2Score().update([1, 2, 3, 5], [1, 2, 4, 5]).compute();
      expect(new R2Score({ adjusted: 3 }).update([1, 2, 3, 5], [1, 2, 4, 5]).compute()).to.equal(plain);
      expect(new R2Score({ adjusted: 9 }).update([1, 2, 3, 5], [1, 2, 4, 5]).compute()).to.equal(plain);
    });

    it("fewer than two samples: MetricStateError; a failed forward() keeps the state (torchmetrics loses it: item 8)", () => {
      expect(() => new R2Score().compute()).to.throw(MetricStateError, /needs at least two samples, got 0/);
      const m = new R2Score().update([1, 2, 3], [1.5, 2, 2.5]);
      throwsUnchanged(
        m,
        () => m.forward([4], [4.5]),
        MetricStateError,
        /^R2Score needs at least two samples, got 1$/,
      );
      expect(m.compute()).to.equal(new R2Score().update([1, 2, 3], [1.5, 2, 2.5]).compute());
      // two metrics of one sample each: neither computes alone, merged they do
      const a = new R2Score().update([1], [0]);
      const b = new R2Score().update([2], [3]);
      expect(() => a.compute()).to.throw(MetricStateError);
      expect(a.merge(b).compute()).to.equal(r2Reference([1, 2], [0, 3]));
    });

    it("inputs: 1-D or 2-D; the number of outputs is fixed by the first non-empty batch", () => {
      const m = new R2Score({ multioutput: "raw_values" }).update([], []);
      m.update(
        [
          [1, 2],
          [2, 3],
        ],
        [
          [1, 2],
          [2, 4],
        ],
      );
      throwsUnchanged(
        m,
        () => m.update([[1, 2, 3]], [[1, 2, 3]]),
        MetricInputError,
        /^preds and target have 3 outputs but earlier batches had 2$/,
      );
      throwsUnchanged(
        m,
        () =>
          m.update(
            { data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2] },
            { data: [1, 2, 3, 4, 5, 6, 7, 8], shape: [2, 2, 2] },
          ),
        MetricInputError,
        /1-D \(N\) or 2-D \(N, outputs\).*\[2, 2, 2\]/,
      );
    });

    it("bad options and forged states", () => {
      expect(() => new R2Score({ multioutput: "mean" as never })).to.throw(
        InvalidOptionsError,
        /multioutput must be "uniform_average", "raw_values" or "variance_weighted", got "mean"/,
      );
      expect(() => new R2Score({ adjusted: -1 })).to.throw(
        InvalidOptionsError,
        /adjusted must be an integer ≥ 0, got -1/,
      );
      expect(() => new R2Score({ adjusted: 0.5 })).to.throw(InvalidOptionsError, /adjusted/);
      const json = new R2Score().update([1, 2, 3], [1, 2, 4]).toJSON() as unknown as Record<string, unknown>;
      expect(() => R2Score.fromJSON({ ...json, rss: ["0x1p+0", "0x1p+0"] })).to.throw(
        MetricStateError,
        /differ in size/,
      );
      expect(() => R2Score.fromJSON({ ...json, total: 0 })).to.throw(
        MetricStateError,
        /empty exactly when total is 0/,
      );
      expect(() => R2Score.fromJSON({ ...json, sumSquaredObs: ["-0x1p+0"] })).to.throw(
        MetricStateError,
        /negative/,
      );
      expect(R2Score.fromJSON(JSON.parse(JSON.stringify(json))).compute()).to.equal(
        r2Reference([1, 2, 3], [1, 2, 4]),
      );
    });
  });

  describe("property: any split and merge order give the same bits", () => {
    const v = fc
      .oneof(fc.double({ min: -100, max: 100, noNaN: true }), logUniform(30))
      .map((x) => (Math.abs(x) < 1e-140 ? 0 : x));
    for (const [name, make, width] of [
      ["MeanSquaredError", () => new MeanSquaredError(), 1],
      [
        "MeanSquaredError (3 outputs, RMSE)",
        () => new MeanSquaredError({ numOutputs: 3, squared: false }),
        3,
      ],
      ["MeanAbsoluteError", () => new MeanAbsoluteError(), 1],
      ["MeanAbsoluteError (3 outputs)", () => new MeanAbsoluteError({ numOutputs: 3 }), 3],
      ["R2Score (3 outputs, variance_weighted)", () => new R2Score({ multioutput: "variance_weighted" }), 3],
    ] as [string, () => Metric, number][]) {
      it(name, () => {
        fc.assert(
          fc.property(
            fc.array(fc.array(fc.tuple(v, v), { minLength: width, maxLength: width }), {
              minLength: 2,
              maxLength: 25,
            }),
            fc.array(fc.nat(), { maxLength: 4 }),
            (rows, cuts) => {
              const p = rows.map((r) => (width === 1 ? r[0][0] : r.map((x) => x[0])));
              const t = rows.map((r) => (width === 1 ? r[0][1] : r.map((x) => x[1])));
              const one = make().update(p, t);
              const at = [...new Set(cuts.map((c) => c % (p.length + 1)))].sort((a, b) => a - b);
              const bounds = [0, ...at, p.length];
              const parts = bounds
                .slice(1)
                .map((b, i) => [bounds[i], b])
                .filter(([a, b]) => b > a)
                .map(([a, b]) => make().update(p.slice(a, b), t.slice(a, b)));
              const merged = parts.pop()!.merge(...parts);
              expect(JSON.stringify(merged.toJSON())).to.equal(JSON.stringify(one.toJSON()));
              let whole: unknown;
              try {
                whole = one.compute();
              } catch (error) {
                expect(error).to.be.instanceOf(MetricStateError);
                return;
              }
              expect(merged.compute()).to.deep.equal(whole);
            },
          ),
          { numRuns: 100 },
        );
      });
    }
  });

  it("a third argument (sample weights, which none of them takes) is refused, the state unchanged", () => {
    for (const make of [() => new MeanSquaredError(), () => new MeanAbsoluteError(), () => new R2Score()]) {
      const m = make().update([1, 2, 4], [1, 3, 2]);
      const value = m.compute();
      for (const call of [() => m.update([1], [2], [3]), () => m.forward([1], [2], 1)]) {
        throwsUnchanged(
          m,
          call,
          MetricInputError,
          new RegExp(`^${m.kind} takes no weights: update\\(preds, target\\) has two arguments$`),
        );
      }
      expect(m.compute()).to.equal(value);
    }
  });
});
