// Every regression case of the family vectors (torchmetrics 1.9.0), with our deliberate differences:
// numOutputs > 1 needs (N, numOutputs) inputs (torchmetrics broadcasts 1-D batches into every output), R²
// is exact (no float32 cancellation, no absolute tolerance: the scikit-learn value where torchmetrics calls
// small-scale data constant), and a failed forward() leaves the state as it was.
import { expect } from "chai";
import {
  InvalidOptionsError,
  MeanAbsoluteError,
  MeanSquaredError,
  MetricInputError,
  MetricStateError,
  R2Score,
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
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
} from "../aggregation/familyVectors.js";

const classes: Record<string, new (options?: object) => Metric> = {
  MeanSquaredError,
  MeanAbsoluteError,
  R2Score,
};
const functions: Record<string, (p: unknown, t: unknown, o?: object) => unknown> = {
  MeanSquaredError: meanSquaredError,
  MeanAbsoluteError: meanAbsoluteError,
  R2Score: r2Score,
};

type Batch = { preds: unknown; target: unknown };

function shape(x: unknown): number[] {
  return Array.isArray(x) ? [x.length, ...(x.length > 0 ? shape(x[0]) : [])] : [];
}

function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x as number];
}

/** Why our metric refuses batch i (null: it takes it), given the batches before it. */
function refusal(c: FamilyCase, batches: Batch[], i: number): string | null {
  const b = batches[i];
  const ps = shape(b.preds);
  const ts = shape(b.target);
  if (ps.join() !== ts.join()) return "shape mismatch";
  if (![...flat(b.preds), ...flat(b.target)].every(Number.isFinite)) return "non-finite";
  const k = (c.options.num_outputs as number | undefined) ?? 1;
  if (c.api !== "R2Score") return k > 1 && (ps.length !== 2 || ps[1] !== k) ? "not (N, numOutputs)" : null;
  if (ps.length !== 1 && ps.length !== 2) return "rank";
  const outputs = (s: number[]): number => (s.length === 1 ? 1 : s[1]);
  const first = batches.slice(0, i).find((x) => flat(x.preds).length > 0);
  if (first !== undefined && flat(b.preds).length > 0 && outputs(shape(first.preds)) !== outputs(ps)) {
    return "outputs";
  }
  return null;
}

function rows(b: Batch): number {
  return shape(b.preds)[0] ?? 1;
}

/** The same batch as flat Float64Array tensors `{ data, shape }`. */
function typed(x: unknown): { data: Float64Array; shape: number[] } {
  return { data: Float64Array.from(flat(x)), shape: shape(x) };
}

describe("regression: family vectors (torchmetrics 1.9.0)", () => {
  const cases = loadFamily("regression.json");

  it("has the 44 cases of the shared set", () => {
    expect(cases.length).to.equal(44);
  });

  for (const c of cases) {
    const Cls = classes[c.api];
    const options = camelOptions(c.options);
    const batches = c.batches as unknown as Batch[];
    const refusedAt = batches.findIndex((_, i) => refusal(c, batches, i) !== null);

    describe(`${c.id} (${c.api}${c.oddity ? `, oddity ${c.oddity}` : ""})`, () => {
      if (isError(c.expected) && c.expected.phase === "init") {
        it("refuses the options with an InvalidOptionsError naming the option", () => {
          const key = Object.keys(options)[0];
          expect(() => new Cls(options)).to.throw(InvalidOptionsError, new RegExp(key));
          expect(() => functions[c.api]([1, 2], [1, 2], options)).to.throw(
            InvalidOptionsError,
            new RegExp(key),
          );
        });
        return;
      }

      it("update() then compute(), and the same bits from typed { data, shape } inputs", () => {
        const m = new Cls(options);
        const t = new Cls(options);
        for (let i = 0; i < batches.length; i++) {
          if (i === refusedAt) {
            throwsUnchanged(
              m,
              () => m.update(batches[i].preds, batches[i].target),
              MetricInputError,
              /preds|target/,
            );
            return;
          }
          m.update(batches[i].preds, batches[i].target);
          t.update(typed(batches[i].preds), typed(batches[i].target));
        }
        expect(refusedAt).to.equal(-1);
        if (isError(c.expected) || !isFiniteValue(c.expected)) {
          // torchmetrics raised at compute, or returned 0/0 = NaN: ours is a MetricStateError
          if (isError(c.expected)) expect(c.expected.phase).to.equal("compute");
          throwsUnchanged(m, () => m.compute(), MetricStateError, /two samples|no samples/);
          return;
        }
        const value = m.compute();
        sameBits(t.compute(), value, "typed inputs");
        if (c.alsoAccept !== undefined) {
          // torchmetrics' absolute tolerance calls the targets constant; ours is scikit-learn's value
          near(value, c.alsoAccept, 1e-9, 1e-12, "scikit-learn's value");
        } else if (c.tags.includes("float32-cancellation")) {
          matchesReference(value, undefined, c.expectedFloat64, "compute()");
          expect(Math.abs((value as number) - (c.expected as number))).to.be.greaterThan(1e-3);
        } else {
          matchesReference(value, c.expected, c.expectedFloat64, "compute()");
        }
        if (batches.length === 1)
          sameBits(functions[c.api](batches[0].preds, batches[0].target, options), value, "functional form");
      });

      if (c.perBatch !== undefined) {
        it("forward() per batch; a failed forward leaves the state as it was", () => {
          const m = new Cls(options);
          const taken = new Cls(options);
          for (let i = 0; i < batches.length; i++) {
            const b = batches[i];
            if (refusal(c, batches, i) !== null) {
              throwsUnchanged(m, () => m.forward(b.preds, b.target), MetricInputError);
              return;
            }
            if (rows(b) === 0 || (c.api === "R2Score" && rows(b) < 2)) {
              // an empty batch has no value (torchmetrics: NaN); a 1-sample R² batch neither, and torchmetrics
              // raises after it has lost the accumulated state (research item 8): ours keeps it
              throwsUnchanged(
                m,
                () => m.forward(b.preds, b.target),
                MetricStateError,
                /two samples|no samples/,
              );
              continue;
            }
            const got = m.forward(b.preds, b.target);
            taken.update(b.preds, b.target);
            if (c.oddity === "r2-absolute-atol") {
              // torchmetrics' batch values carry its absolute tolerance: ours is the exact R² of the batch
              sameBits(got, functions[c.api](b.preds, b.target, options), `forward[${i}]`);
            } else if (i < c.perBatch!.length) {
              matchesReference(got, c.perBatch![i], c.perBatchFloat64?.[i], `forward[${i}]`);
            }
          }
          let reference: unknown;
          try {
            reference = taken.compute();
          } catch (error) {
            expect(error).to.be.instanceOf(MetricStateError);
            expect(() => m.compute()).to.throw(MetricStateError);
            return;
          }
          sameBits(m.compute(), reference, "compute() after forwards");
          if (c.expectedViaForward === undefined && isFiniteValue(c.expected)) {
            matchesReference(m.compute(), c.expected, c.expectedFloat64, "compute() after forwards");
          }
        });
      }

      if (c.merge !== undefined && refusedAt < 0) {
        it(`merge of ${JSON.stringify(c.merge)} equals one metric over every batch, bit for bit`, () => {
          const parts = c.merge!.map((group) => {
            const m = new Cls(options);
            group.forEach((i) => m.update(batches[i].preds, batches[i].target));
            return m;
          });
          const one = new Cls(options);
          batches.forEach((b) => one.update(b.preds, b.target));
          const merged = parts[0].merge(...parts.slice(1).map((p, i) => (i % 2 === 0 ? p.toJSON() : p)));
          sameBits(merged.compute(), one.compute(), "merged");
          matchesReference(merged.compute(), c.expectedOneMetric, c.expectedFloat64, "merged vs reference");
        });
      }
    });
  }
});
