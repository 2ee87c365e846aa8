// SumMetric, MeanMetric, MaxMetric, MinMetric: input forms, nanStrategy, weights, bad input (error class,
// message with the argument and position, state unchanged), empty states, forged states, and the property
// that any split of a stream and any merge order give the same bits.
import { expect } from "chai";
import fc from "fast-check";
import {
  InvalidOptionsError,
  MaxMetric,
  MeanMetric,
  MetricInputError,
  MetricStateError,
  MinMetric,
  SumMetric,
  mergeStates,
  type Metric,
} from "../../../lib/index.js";
import { logUniform } from "../../state/arbitraries.js";
import { throwsUnchanged } from "./familyVectors.js";

const all = { SumMetric, MeanMetric, MaxMetric, MinMetric } as const;

describe("aggregation metrics", () => {
  describe("inputs", () => {
    const forms: [string, unknown][] = [
      [
        "nested arrays",
        [
          [1, 2],
          [3, 4.5],
        ],
      ],
      ["a Float32Array", new Float32Array([1, 2, 3, 4.5])],
      ["a Float64Array", new Float64Array([1, 2, 3, 4.5])],
      ["{ data, shape }", { data: [1, 2, 3, 4.5], shape: [2, 2] }],
      ["a tfjs-like tensor", { shape: [4], dataSync: () => new Float32Array([1, 2, 3, 4.5]) }],
    ];
    for (const [name, value] of forms) {
      it(`takes ${name}`, () => {
        expect(new SumMetric().update(value).compute()).to.equal(10.5);
        expect(new MeanMetric().update(value).compute()).to.equal(2.625);
        expect(new MaxMetric().update(value).compute()).to.equal(4.5);
        expect(new MinMetric().update(value).compute()).to.equal(1);
      });
    }

    it("adds exactly: the sum is correctly rounded once", () => {
      const s = new SumMetric().update([1e16, 1, -1e16, 0.1, 0.2, -0.3]);
      expect(s.compute()).to.equal(1); // 1 + 2.8e-17, rounded once
      expect(new SumMetric().update([0.1, 0.2]).update(-0.3).compute()).to.equal(2.7755575615628914e-17);
    });

    for (const [name, Cls] of Object.entries(all)) {
      it(`${name}: ±Infinity is a MetricInputError naming the position, state unchanged`, () => {
        const m = new Cls().update([1, 2]);
        throwsUnchanged(
          m,
          () =>
            m.update([
              [0, 1],
              [Infinity, 2],
            ]),
          MetricInputError,
          /^value\[1\]\[0\] must be finite, got Infinity$/,
        );
        throwsUnchanged(
          m,
          () => m.update(-Infinity),
          MetricInputError,
          /^value\[0\] must be finite, got -Infinity$/,
        );
      });

      it(`${name}: a non-number is a MetricInputError naming value`, () => {
        const m = new Cls().update(1);
        throwsUnchanged(m, () => m.update([1, "2"]), MetricInputError, /^value\[1\] must be a number/);
        throwsUnchanged(m, () => m.update(null), MetricInputError, /^value /);
      });

      it(`${name}: NaN is a MetricInputError by default, naming the position`, () => {
        const m = new Cls().update(1);
        throwsUnchanged(
          m,
          () => m.update([2, NaN]),
          MetricInputError,
          /^value\[1\] is NaN: pass nanStrategy "ignore"/,
        );
      });
    }

    it("SumMetric, MaxMetric and MinMetric refuse a second argument", () => {
      for (const Cls of [SumMetric, MaxMetric, MinMetric]) {
        const m = new Cls();
        throwsUnchanged(m, () => m.update([1], [1]), MetricInputError, /takes one argument \(value\)/);
      }
      const mean = new MeanMetric();
      throwsUnchanged(mean, () => mean.update([1], [1], [1]), MetricInputError, /takes two arguments/);
    });
  });

  describe("nanStrategy", () => {
    it('"ignore" drops NaN (and, for MeanMetric, its weight)', () => {
      const o = { nanStrategy: "ignore" } as const;
      expect(new SumMetric(o).update([1, NaN, 2]).compute()).to.equal(3);
      expect(new MaxMetric(o).update([NaN, -1]).compute()).to.equal(-1);
      expect(new MinMetric(o).update([NaN, -1]).compute()).to.equal(-1);
      expect(new MeanMetric(o).update([1, NaN, 3], [1, 5, 2]).compute()).to.equal(7 / 3);
      // a NaN weight drops its value too (as torchmetrics)
      expect(new MeanMetric(o).update([1, 2, 3], [1, NaN, 2]).compute()).to.equal(7 / 3);
    });

    it('"ignore" on a batch of NaN only: a sum adds nothing, max and mean have nothing to compute', () => {
      const o = { nanStrategy: "ignore" } as const;
      expect(new SumMetric(o).update([NaN]).compute()).to.equal(0);
      expect(() => new MaxMetric(o).update([NaN]).compute()).to.throw(MetricStateError);
      expect(() => new MeanMetric(o).update([NaN]).compute()).to.throw(MetricStateError);
    });

    it("a number replaces NaN values; MeanMetric keeps the weight (torchmetrics resets it to 1)", () => {
      expect(new SumMetric({ nanStrategy: 4 }).update([1, NaN]).compute()).to.equal(5);
      expect(new MinMetric({ nanStrategy: 7.5 }).update([8, NaN]).compute()).to.equal(7.5);
      // values [1, NaN, 3] with weights [2, 5, 0.5]: (2 + 4·5 + 1.5) / 7.5 (torchmetrics: 2.142857)
      expect(new MeanMetric({ nanStrategy: 4 }).update([1, NaN, 3], [2, 5, 0.5]).compute()).to.equal(
        23.5 / 7.5,
      );
    });

    it("a number does not stand for a NaN weight: MetricInputError naming the weight (torchmetrics replaces the value)", () => {
      const m = new MeanMetric({ nanStrategy: 4 }).update([1], [1]);
      throwsUnchanged(
        m,
        () => m.update([1, 2, 3], [2, NaN, 0.5]),
        MetricInputError,
        /^weight\[1\] is NaN: nanStrategy 4 replaces NaN values, not weights/,
      );
      const e = new MeanMetric();
      throwsUnchanged(e, () => e.update([1, 2], [1, NaN]), MetricInputError, /^weight\[1\] is NaN/);
    });

    it("bad options: InvalidOptionsError naming the option and what is allowed", () => {
      expect(() => new SumMetric({ nanStrategy: "zero" as never })).to.throw(
        InvalidOptionsError,
        /nanStrategy must be "error", "ignore" or a finite number.*got "zero"/,
      );
      expect(() => new MeanMetric({ nanStrategy: "warn" as never })).to.throw(
        InvalidOptionsError,
        /prints no warnings/,
      );
      expect(() => new MeanMetric({ nanStrategy: "disable" as never })).to.throw(
        InvalidOptionsError,
        /"disable"/,
      );
      expect(() => new MaxMetric({ nanStrategy: NaN })).to.throw(InvalidOptionsError, /got NaN/);
      expect(() => new MinMetric({ nanStrategy: Infinity })).to.throw(InvalidOptionsError, /got Infinity/);
      expect(() => new SumMetric({ nan_strategy: "ignore" } as never)).to.throw(
        InvalidOptionsError,
        /did you mean "nanStrategy"/,
      );
      expect(() => new SumMetric({ foo: 1 } as never)).to.throw(
        InvalidOptionsError,
        /allowed keys: nanStrategy/,
      );
      expect(() => new SumMetric(3 as never)).to.throw(InvalidOptionsError, /must be an object/);
    });
  });

  describe("MeanMetric weights", () => {
    it("broadcast with numpy rules: a number, a row (C), a column (N, 1), the same shape", () => {
      const v = [
        [1, 2, 3],
        [4, 5, 6],
      ];
      expect(new MeanMetric().update(v, 2).compute()).to.equal(3.5);
      expect(new MeanMetric().update(v, [1, 0, 0]).compute()).to.equal(2.5);
      expect(new MeanMetric().update(v, [[1], [0]]).compute()).to.equal(2);
      expect(
        new MeanMetric()
          .update(v, [
            [0, 0, 1],
            [0, 0, 1],
          ])
          .compute(),
      ).to.equal(4.5);
      const cube = { data: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], shape: [2, 2, 3] };
      expect(new MeanMetric().update(cube, [1, 0, 0]).compute()).to.equal(5.5);
      expect(new MeanMetric().update(cube, { data: [0, 1], shape: [2, 1] }).compute()).to.equal(8);
    });

    it("a shape that does not broadcast is a MetricInputError naming both shapes", () => {
      const m = new MeanMetric().update(1);
      throwsUnchanged(
        m,
        () => m.update([[1, 2, 3]], [1, 2]),
        MetricInputError,
        /^weight of shape \[2\] cannot be broadcast to value of shape \[1, 3\]/,
      );
      throwsUnchanged(
        m,
        () =>
          m.update(
            [1, 2],
            [
              [1, 2],
              [3, 4],
            ],
          ),
        MetricInputError,
        /weight of shape \[2, 2\]/,
      );
    });

    it("negative or infinite weights are a MetricInputError naming the position (torchmetrics accepts negative ones)", () => {
      const m = new MeanMetric().update(1);
      throwsUnchanged(
        m,
        () => m.update([1, 2, 3], [1, -0.5, 2]),
        MetricInputError,
        /^weight\[1\] must be a finite number ≥ 0, got -0.5$/,
      );
      throwsUnchanged(
        m,
        () => m.update([[1, 2]], [[1, Infinity]]),
        MetricInputError,
        /^weight\[0\]\[1\] must be a finite number ≥ 0/,
      );
    });

    it("no weight at all is a MetricStateError, never NaN (torchmetrics: 0/0 = NaN)", () => {
      expect(() => new MeanMetric().compute()).to.throw(MetricStateError);
      const m = new MeanMetric().update([1, 2], 0);
      throwsUnchanged(m, () => m.compute(), MetricStateError, /no weight to divide by/);
      // forward of a zero-weight batch throws and accumulates nothing
      const f = new MeanMetric().update([1, 3]);
      throwsUnchanged(f, () => f.forward([5, 6], [0, 0]), MetricStateError);
      expect(f.compute()).to.equal(2);
    });
  });

  describe("empty states", () => {
    it("a sum of nothing is 0; a mean, max or min of nothing is a MetricStateError", () => {
      expect(new SumMetric().compute()).to.equal(0);
      expect(new SumMetric().forward([])).to.equal(0);
      expect(() => new MeanMetric().compute()).to.throw(MetricStateError, /MeanMetric/);
      expect(() => new MaxMetric().compute()).to.throw(MetricStateError, /MaxMetric has seen no value/);
      expect(() => new MinMetric().compute()).to.throw(MetricStateError, /MinMetric has seen no value/);
    });

    it("forward() on an empty batch of MaxMetric throws and keeps the state", () => {
      const m = new MaxMetric().update([1, 4]);
      throwsUnchanged(m, () => m.forward([]), MetricStateError);
      expect(m.forward([2])).to.equal(2);
      expect(m.compute()).to.equal(4);
    });
  });

  describe("merge and JSON", () => {
    it("MaxMetric and MinMetric merge (torchmetrics refuses), empty sides included", () => {
      const a = new MaxMetric().update([1, 9]);
      expect(a.merge(new MaxMetric(), new MaxMetric().update(3).toJSON()).compute()).to.equal(9);
      expect(new MinMetric().merge(new MinMetric().update([2, -4])).compute()).to.equal(-4);
      expect(mergeStates([new MaxMetric().toJSON(), new MaxMetric().update(-2).toJSON()]).compute()).to.equal(
        -2,
      );
    });

    it("refuses to merge other options or kinds", () => {
      const m = new SumMetric().update(1);
      throwsUnchanged(
        m,
        () => m.merge(new SumMetric({ nanStrategy: "ignore" })),
        MetricStateError,
        /nanStrategy/,
      );
      throwsUnchanged(m, () => m.merge(new MeanMetric() as never), MetricStateError, /kinds differ/);
    });

    for (const [name, Cls] of Object.entries(all)) {
      it(`${name}: JSON round trip keeps the value and the options`, () => {
        const m = new Cls({ nanStrategy: 0.5 }).update([
          [1, NaN],
          [0.25, 3],
        ]);
        const back = Cls.fromJSON(JSON.parse(JSON.stringify(m)));
        expect(back.compute()).to.equal(m.compute());
        expect(back.toJSON()).to.deep.equal(m.toJSON());
        expect(m.toJSON().kind).to.equal(name);
      });
    }

    it("refuses forged states", () => {
      const mean = new MeanMetric().update([1, 2]).toJSON();
      expect(() => MeanMetric.fromJSON({ ...mean, weight: "0x0p+0" })).to.throw(
        MetricStateError,
        /meanValue is not 0 while weight is 0/,
      );
      expect(() => MeanMetric.fromJSON({ ...mean, weight: "-0x1p+0" })).to.throw(
        MetricStateError,
        /weight is negative/,
      );
      const max = new MaxMetric().update(1).toJSON();
      expect(() => MaxMetric.fromJSON({ ...max, value: "Infinity" })).to.throw(MetricStateError);
      expect(() => SumMetric.fromJSON({ ...new SumMetric().toJSON(), sumValue: 1 })).to.throw(
        MetricStateError,
      );
      expect(() =>
        SumMetric.fromJSON({ ...new SumMetric().toJSON(), options: { nanStrategy: "warn" } }),
      ).to.throw(MetricStateError);
    });
  });

  describe("property: any split of a stream and any merge order give the same bits", () => {
    const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), logUniform(60));
    const stream = fc.array(fc.tuple(value, fc.double({ min: 0, max: 8, noNaN: true })), {
      minLength: 1,
      maxLength: 40,
    });

    function parts(n: number, cuts: number[]): [number, number][] {
      const at = [...new Set(cuts.map((c) => c % (n + 1)))].sort((a, b) => a - b);
      const bounds = [0, ...at, n];
      return bounds.slice(1).map((b, i) => [bounds[i], b] as [number, number]);
    }

    for (const [name, Cls] of Object.entries(all) as [string, new () => Metric<number>][]) {
      it(name, () => {
        fc.assert(
          fc.property(stream, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (data, cuts, reverse) => {
            const values = data.map((d) => d[0]);
            const weights = data.map((d) => d[1]);
            const feed = (m: Metric<number>, a: number, b: number): void => {
              if (name === "MeanMetric") m.update(values.slice(a, b), weights.slice(a, b));
              else m.update(new Float64Array(values.slice(a, b)));
            };
            const one = new Cls();
            feed(one, 0, values.length);
            const pieces = parts(values.length, cuts).map(([a, b]) => {
              const m = new Cls();
              feed(m, a, b);
              return m;
            });
            if (reverse) pieces.reverse();
            let whole: number;
            try {
              whole = one.compute();
            } catch (error) {
              expect(error).to.be.instanceOf(MetricStateError);
              return;
            }
            const merged = pieces[0].merge(...pieces.slice(1).map((p) => p.toJSON()));
            expect(Object.is(merged.compute(), whole)).to.equal(true);
            // and one metric fed piece by piece, by forward()
            const streamed = new Cls();
            for (const [a, b] of parts(values.length, cuts)) {
              try {
                if (name === "MeanMetric") streamed.forward(values.slice(a, b), weights.slice(a, b));
                else streamed.forward(values.slice(a, b));
              } catch (error) {
                expect(error).to.be.instanceOf(MetricStateError); // an empty or weightless piece
                feed(streamed, a, b);
              }
            }
            expect(Object.is(streamed.compute(), whole)).to.equal(true);
          }),
          { numRuns: 150 },
        );
      });
    }
  });
});
