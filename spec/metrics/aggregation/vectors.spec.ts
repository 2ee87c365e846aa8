// Every aggregation case of the family vectors (torchmetrics 1.9.0), with our deliberate differences:
// NaN is an error by default (torchmetrics drops it with a warning), ±Infinity and negative weights are
// errors, a value that would be NaN or ±inf (a mean of no weight, a max of nothing) is a MetricStateError,
// a number nanStrategy keeps the weight of the value it replaces and refuses a NaN weight, and MaxMetric /
// MinMetric merge.
import { expect } from "chai";
import {
  InvalidOptionsError,
  MaxMetric,
  MeanMetric,
  MetricInputError,
  MetricStateError,
  MinMetric,
  SumMetric,
  type Metric,
} from "../../../lib/index.js";
import {
  camelOptions,
  isError,
  isFiniteValue,
  loadFamily,
  matchesReference,
  near,
  sameBits,
  throwsUnchanged,
  type FamilyCase,
} from "./familyVectors.js";

const classes: Record<string, new (options?: object) => Metric> = {
  SumMetric,
  MeanMetric,
  MaxMetric,
  MinMetric,
};

type Batch = { value: unknown; weight?: unknown };

function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/** Why our metric refuses a batch (null: it takes it). */
function refusal(batch: Batch, strategy: unknown): string | null {
  const values = flat(batch.value);
  const weights = batch.weight === undefined ? [] : flat(batch.weight);
  if (values.some((v) => v === Infinity || v === -Infinity)) return "an infinite value";
  if (weights.some((w) => w === Infinity || w === -Infinity || w < 0)) return "a negative or infinite weight";
  if (strategy === "error" && (values.some(Number.isNaN) || weights.some(Number.isNaN))) return "a NaN";
  if (typeof strategy === "number" && weights.some(Number.isNaN)) return "a NaN weight under a number";
  return null;
}

function ours(c: FamilyCase): Record<string, unknown> {
  const options = camelOptions(c.options);
  return options.nanStrategy === undefined ? { ...options } : options;
}

function feed(m: Metric, b: Batch): void {
  if (b.weight === undefined) m.update(b.value);
  else m.update(b.value, b.weight);
}

/** Our documented value where torchmetrics resets an imputed value's weight to 1: the weight is kept. */
function imputedMean(c: FamilyCase, fill: number): number {
  let num = 0;
  let den = 0;
  for (const b of c.batches as Batch[]) {
    const v = flat(b.value);
    const w = b.weight === undefined ? v.map(() => 1) : flat(b.weight);
    v.forEach((x, i) => {
      const wi = w.length === 1 ? w[0] : w[i];
      num += wi * (Number.isNaN(x) ? fill : x);
      den += wi;
    });
  }
  return num / den;
}

describe("aggregation: family vectors (torchmetrics 1.9.0)", () => {
  const cases = loadFamily("aggregation.json");

  it("has the 45 cases of the shared set", () => {
    expect(cases.length).to.equal(45);
  });

  for (const c of cases) {
    const Cls = classes[c.api];
    const options = ours(c);
    const strategy = options.nanStrategy ?? "error";
    const batches = c.batches as Batch[];
    const refusedAt = batches.findIndex((b) => refusal(b, strategy) !== null);

    describe(`${c.id} (${c.api}${c.oddity ? `, oddity ${c.oddity}` : ""})`, () => {
      if (isError(c.expected) && c.expected.phase === "init") {
        it("refuses the options with an InvalidOptionsError naming nanStrategy", () => {
          expect(() => new Cls(options)).to.throw(InvalidOptionsError, /nanStrategy/);
        });
        return;
      }

      it("update() then compute()", () => {
        const m = new Cls(options);
        for (let i = 0; i < batches.length; i++) {
          if (i === refusedAt) {
            throwsUnchanged(m, () => feed(m, batches[i]), MetricInputError, /^(value|weight)(\[\d+\])*/);
            return;
          }
          feed(m, batches[i]);
        }
        expect(refusedAt).to.equal(-1);
        if (c.oddity === "nan-impute-weight-reset") {
          // documented difference: the imputed value keeps its weight
          const value = m.compute() as number;
          near(value, imputedMean(c, strategy as number), 1e-12, 0, "our value");
          expect(Math.abs(value - (c.expected as number))).to.be.greaterThan(1e-3);
        } else if (isError(c.expected) && c.expected.phase === "merge") {
          matchesReference(m.compute(), c.expectedOneMetric, c.expectedFloat64, "compute()");
        } else if (isFiniteValue(c.expected)) {
          matchesReference(m.compute(), c.expected, c.expectedFloat64, "compute()");
        } else {
          throwsUnchanged(m, () => m.compute(), MetricStateError, new RegExp(c.api));
        }
      });

      if (refusedAt >= 0 && refusal(batches[refusedAt], strategy) === "a NaN" && !isError(c.expected)) {
        it('matches torchmetrics\' NaN-dropping default with nanStrategy "ignore"', () => {
          const m = new Cls({ ...options, nanStrategy: "ignore" });
          batches.forEach((b) => feed(m, b));
          if (isFiniteValue(c.expected))
            matchesReference(m.compute(), c.expected, c.expectedFloat64, "compute()");
        });
      }

      if (c.perBatch !== undefined && c.perBatch.length > 0) {
        it("forward() per batch, then compute() equals the update() path bit for bit", () => {
          const m = new Cls(options);
          const one = new Cls(options);
          for (let i = 0; i < batches.length; i++) {
            if (refusal(batches[i], strategy) !== null) {
              throwsUnchanged(m, () => m.forward(batches[i].value, batches[i].weight), MetricInputError);
              return;
            }
            const expected = c.perBatch?.[i];
            if (isFiniteValue(expected)) {
              const got = m.forward(batches[i].value, batches[i].weight);
              matchesReference(got, expected, c.perBatchFloat64?.[i], `forward[${i}]`);
            } else {
              // a batch of no value or no weight: torchmetrics gives NaN / ∓inf, we throw and keep the state
              throwsUnchanged(m, () => m.forward(batches[i].value, batches[i].weight), MetricStateError);
            }
            feed(one, batches[i]);
          }
          let reference: unknown;
          try {
            reference = one.compute();
          } catch {
            expect(() => m.compute()).to.throw(MetricStateError);
            return;
          }
          sameBits(m.compute(), reference, "compute() after forwards");
        });
      }

      // a merge case with a refused batch is checked as torchmetrics ran it where the refusal is a NaN
      const nanOnly = refusedAt >= 0 && batches.every((b) => refusal(b, "ignore") === null);
      const mergeOptions = refusedAt >= 0 && nanOnly ? { ...options, nanStrategy: "ignore" } : options;
      if (c.merge !== undefined && (refusedAt < 0 || nanOnly)) {
        it(`merge of ${JSON.stringify(c.merge)} equals one metric over every batch, bit for bit`, () => {
          const parts = c.merge!.map((group) => {
            const m = new Cls(mergeOptions);
            group.forEach((i) => feed(m, batches[i]));
            return m;
          });
          const one = new Cls(mergeOptions);
          batches.forEach((b) => feed(one, b));
          const merged = parts[0].merge(...parts.slice(1).map((p, i) => (i % 2 === 0 ? p : p.toJSON())));
          sameBits(merged.compute(), one.compute(), "merged");
          // torchmetrics refuses merge_state for Max/Min: ours gives what one metric gives
          matchesReference(merged.compute(), c.expectedOneMetric, c.expectedFloat64, "merged vs reference");
        });
      }
    });
  }
});
