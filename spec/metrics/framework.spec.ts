// Issue 13's "done when": a metric written as in the issue, outside lib/ and against the public entry point
// only, works through update / forward / compute / reset / clone / merge / toJSON / fromJSON / mergeStates /
// MetricCollection / rx, exactly (any split and merge order gives the same bits) and atomically (a throw in
// updateState after some adds leaves the state as before); and each state field kind merges associatively and
// commutatively, with the empty value as identity, round-trips through JSON and refuses bad JSON.
import { expect } from "chai";
import fc from "fast-check";
import { from, lastValueFrom, toArray } from "rxjs";

import {
  HingeLoss,
  Metric,
  MetricCollection,
  MetricInputError,
  MetricStateError,
  count,
  exactSum,
  fixed,
  maxOf,
  mergeStates,
  minOf,
  readTensor,
  registerMetric,
  registeredKinds,
  type Count,
  type ExactSum,
  type Extremum,
  type Fixed,
  type StateField,
  type StateValue,
} from "../../lib/index.js";
import { accumulate, forwardValues, mergeStates as mergeStates$ } from "../../lib/rx/index.js";
import { z } from "zod";

class MeanAbsoluteError extends Metric<number> {
  static readonly kind = "spec.MeanAbsoluteError";
  static readonly version = 1;
  constructor(options: Record<string, never> = {}) {
    super(options);
    this.addState("sumAbsError", exactSum());
    this.addState("total", exactSum());
  }
  protected override updateState(preds: unknown, target: unknown): void {
    const p = readTensor(preds, "preds");
    const t = readTensor(target, "target");
    if (p.size !== t.size)
      throw new MetricInputError(`preds and target differ in size: ${p.size} vs ${t.size}`);
    for (let i = 0; i < p.size; i++) this.state.sumAbsError.add(Math.abs(p.data[i] - t.data[i]));
    this.state.total.add(p.size);
  }
  protected override computeValue(): number {
    return this.state.sumAbsError.ratio(this.state.total);
  }
}
if (!registeredKinds().includes(MeanAbsoluteError.kind)) registerMetric(MeanAbsoluteError);

const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e150, max: 1e150 });
const data = fc
  .array(fc.tuple(finite, finite), { minLength: 1, maxLength: 60 })
  .map((rows) => ({ preds: rows.map(([p]) => p), target: rows.map(([, t]) => t) }));

function json(m: Metric): string {
  return JSON.stringify(m.toJSON());
}

describe("framework: a user metric (the issue's MeanAbsoluteError) through every entry point", () => {
  it("exact: any split into parts, merged in any order (metrics or JSON), gives the bits of one pass", () => {
    fc.assert(
      fc.property(data, fc.array(fc.nat(), { maxLength: 5 }), fc.nat(), (d, cuts, seed) => {
        const whole = new MeanAbsoluteError().update(d.preds, d.target);
        const points = [...new Set(cuts.map((c) => c % (d.preds.length + 1)))].sort((x, y) => x - y);
        const bounds = [0, ...points, d.preds.length];
        const parts = bounds
          .slice(1)
          .map((end, i) =>
            new MeanAbsoluteError().update(d.preds.slice(bounds[i], end), d.target.slice(bounds[i], end)),
          );
        const order = parts
          .map((_, i) => i)
          .sort((x, y) => ((x * 7919 + seed) % 13) - ((y * 7919 + seed) % 13));
        const merged = new MeanAbsoluteError();
        order.forEach((i, k) => merged.merge(k % 2 === 0 ? parts[i] : (JSON.parse(json(parts[i])) as never)));
        expect(Object.is(merged.compute(), whole.compute())).to.equal(true);
        expect(json(merged)).to.equal(json(whole));
        expect(JSON.stringify(mergeStates(order.map((i) => parts[i].toJSON())).toJSON())).to.equal(
          json(whole),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("atomic: a throw in updateState after some adds leaves the state exactly as before", () => {
    class Failing extends MeanAbsoluteError {
      protected override updateState(preds: unknown, target: unknown): void {
        super.updateState(preds, target); // adds into both sums (and may flush or grow them)…
        throw new MetricInputError("refused after the adds");
      }
    }
    fc.assert(
      fc.property(data, data, (before, batch) => {
        const m = new Failing();
        const ok = new MeanAbsoluteError().update(before.preds, before.target);
        m.merge(ok.toJSON() as never);
        const saved = json(m);
        expect(() => m.update(batch.preds, batch.target)).to.throw(
          MetricInputError,
          "refused after the adds",
        );
        expect(json(m)).to.equal(saved);
        expect(() => m.forward(batch.preds, batch.target)).to.throw(MetricInputError);
        expect(json(m)).to.equal(saved);
      }),
      { numRuns: 100 },
    );
  });

  it("update, forward, compute, reset, clone", () => {
    const m = new MeanAbsoluteError();
    expect(m.forward([1, 2], [0, 0])).to.equal(1.5);
    expect(m.forward([0], [4])).to.equal(4);
    expect(m.compute()).to.equal(7 / 3);
    const copy = m.clone().update([10], [0]);
    expect(m.compute()).to.equal(7 / 3);
    expect(copy.compute()).to.equal(17 / 4);
    expect(() => m.reset().compute()).to.throw(MetricStateError);
    expect(() => m.update([1], [1, 2])).to.throw(MetricInputError, "differ in size");
    expect(() => m.update([1, NaN], [1, 2])).to.throw(MetricInputError, "preds[1]");
  });

  it("toJSON / fromJSON / merge refusals (kind, options, forged fields)", () => {
    const m = new MeanAbsoluteError().update([1, 2], [0, 0]);
    const state = JSON.parse(json(m)) as Record<string, unknown>;
    expect(state).to.deep.equal({
      kind: "spec.MeanAbsoluteError",
      version: 1,
      options: {},
      sumAbsError: "0x1.8p+1",
      total: "0x1p+1",
    });
    expect(MeanAbsoluteError.fromJSON(state).compute()).to.equal(1.5);
    expect(() => MeanAbsoluteError.fromJSON({ ...state, total: "1.5" })).to.throw(MetricStateError, "total");
    expect(() => MeanAbsoluteError.fromJSON({ ...state, extra: 1 })).to.throw(MetricStateError, "extra");
    expect(() => MeanAbsoluteError.fromJSON({ ...state, kind: "HingeLoss" })).to.throw(MetricStateError);
    expect(() => m.merge(new HingeLoss().toJSON() as never)).to.throw(MetricStateError);
    expect(json(m)).to.equal(JSON.stringify(state));
  });

  it("mergeStates, MetricCollection (JSON round trip by kind) and the rx operators", async () => {
    const a = new MeanAbsoluteError().update([1], [0]);
    const b = new MeanAbsoluteError().update([0, 0], [2, 4]);
    expect(mergeStates([a.toJSON(), b.toJSON()]).compute()).to.equal(7 / 3);
    const collection = new MetricCollection({ mae: a.clone(), hinge: new HingeLoss() });
    collection.update([0.5], [1]);
    const back = MetricCollection.fromJSON(JSON.parse(JSON.stringify(collection.toJSON())));
    expect(back.get("mae")).to.be.instanceOf(MeanAbsoluteError);
    expect(back.compute()).to.deep.equal({ mae: 0.75, hinge: 0.5 });
    const batches = [
      { preds: [1], target: [0] },
      { preds: [0, 0], target: [2, 4] },
    ];
    expect(
      await lastValueFrom(
        from(batches).pipe(
          accumulate(() => new MeanAbsoluteError()),
          toArray(),
        ),
      ),
    ).to.deep.equal([1, 7 / 3]);
    expect(
      await lastValueFrom(
        from(batches).pipe(
          forwardValues(() => new MeanAbsoluteError()),
          toArray(),
        ),
      ),
    ).to.deep.equal([1, 3]);
    expect(
      await lastValueFrom(from([a.toJSON(), b.toJSON()]).pipe(mergeStates$({ emit: "complete" }), toArray())),
    ).to.deep.equal([7 / 3]);
  });
});

/** A field kind, random values of it, and how to fill one. */
interface Kind<T extends StateValue> {
  name: string;
  field: StateField<T>;
  fill: (v: T, xs: number[]) => void;
}

const small = fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), {
  maxLength: 8,
});
function kind<T extends StateValue>(
  name: string,
  field: StateField<T>,
  fill: (v: T, xs: number[]) => void,
): Kind<StateValue> {
  return { name, field, fill } as unknown as Kind<StateValue>;
}

const kinds: Kind<StateValue>[] = [
  kind("exactSum()", exactSum(), (v: ExactSum, xs) => xs.forEach((x) => v.add(x))),
  kind("exactSum(2)", exactSum(2), (v: ExactSum, xs) => xs.forEach((x, i) => v.add(x, i % 2))),
  kind("count()", count(), (v: Count, xs) => xs.forEach((x) => v.add(Math.abs(Math.round(x)) % 1000))),
  kind("maxOf()", maxOf(), (v: Extremum, xs) => xs.forEach((x) => v.update(x))),
  kind("minOf()", minOf(), (v: Extremum, xs) => xs.forEach((x) => v.update(x))),
  kind("fixed(int)", fixed(z.number().int()), (v: Fixed<number>, xs) => {
    if (xs.length > 0) v.set(3, "the width");
  }),
];

function merged<T extends StateValue>(field: StateField<T>, ...values: T[]): string {
  const into = field.empty();
  for (const v of values) {
    into.checkMerge(v as never, "f");
    into.mergeFrom(v as never);
  }
  return JSON.stringify(into.toJSON());
}

describe("framework: state field kinds", () => {
  for (const kind of kinds) {
    describe(kind.name, () => {
      const make = (xs: number[]): StateValue => {
        const v = kind.field.empty();
        kind.fill(v, xs);
        return v;
      };

      it("merge is commutative and associative; the empty value is its identity", () => {
        fc.assert(
          fc.property(small, small, small, (x, y, w) => {
            const [a, b, c] = [make(x), make(y), make(w)];
            expect(merged(kind.field, a, b)).to.equal(merged(kind.field, b, a));
            const ab = kind.field.empty();
            ab.mergeFrom(a as never);
            ab.mergeFrom(b as never);
            const bc = kind.field.empty();
            bc.mergeFrom(b as never);
            bc.mergeFrom(c as never);
            expect(merged(kind.field, ab, c)).to.equal(merged(kind.field, a, bc));
            expect(merged(kind.field, a, kind.field.empty())).to.equal(JSON.stringify(a.toJSON()));
            expect(merged(kind.field, kind.field.empty(), a)).to.equal(JSON.stringify(a.toJSON()));
          }),
          { numRuns: 100 },
        );
      });

      it("JSON round trip; snapshot / restore; copy is independent", () => {
        fc.assert(
          fc.property(small, small, (x, y) => {
            const a = make(x);
            const text = JSON.stringify(a.toJSON());
            expect(JSON.stringify(kind.field.decode(JSON.parse(text), "state.f").toJSON())).to.equal(text);
            const saved = a.snapshot(undefined);
            const copy = a.copy();
            kind.fill(a, y);
            a.restore(saved);
            expect(JSON.stringify(a.toJSON())).to.equal(text);
            kind.fill(copy, y);
            expect(JSON.stringify(a.toJSON())).to.equal(text);
          }),
          { numRuns: 100 },
        );
      });

      it("decode refuses malformed JSON with a MetricStateError naming the path", () => {
        for (const bad of [{}, "0x1.8p+1.5", [[1]], true, "Infinity"]) {
          let error: unknown = null;
          try {
            kind.field.decode(bad, "state.f");
          } catch (e) {
            error = e;
          }
          expect(error, `${kind.name} decoding ${JSON.stringify(bad)}`).to.be.instanceOf(MetricStateError);
          expect((error as Error).message).to.contain("state.f");
        }
      });
    });
  }
});
