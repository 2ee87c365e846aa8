// updateAndCompute(preds, target, weights) must be exactly update(...) then compute(): the same value bit for
// bit, the same state, the same errors with the same state afterwards. HingeLoss adds the streaming forms into
// the pending pairs and divides from a kept prefix (ExactSum.countQuotient): these specs drive that path and
// every way out of it.
import { expect } from "chai";
import fc from "fast-check";
import {
  HingeLoss,
  MetricCollection,
  MetricInputError,
  MetricStateError,
  type HingeLossOptions,
} from "../../lib/index.js";
import { FLUSH_EVERY } from "../../lib/state/index.js";
import { prng } from "../support/prng.js";

type Sample = [preds: unknown, target: unknown, weights?: unknown];

/** Feeds the same samples to a metric through updateAndCompute and to a twin through update + compute. */
function twins(options?: HingeLossOptions): {
  fused: HingeLoss;
  plain: HingeLoss;
  step: (s: Sample) => void;
} {
  const fused = new HingeLoss(options);
  const plain = new HingeLoss(options);
  const step = ([p, t, w]: Sample): void => {
    let plainError: unknown = null;
    let plainValue: unknown = undefined;
    try {
      plain.update(p as never, t as never, w as never);
      plainValue = plain.compute();
    } catch (error) {
      plainError = error;
    }
    const before = JSON.stringify(fused.toJSON());
    let fusedError: unknown = null;
    let fusedValue: unknown = undefined;
    try {
      fusedValue = fused.updateAndCompute(p as never, t as never, w as never);
    } catch (error) {
      fusedError = error;
    }
    if (plainError === null) {
      expect(fusedError, `unexpected ${String(fusedError)}`).to.equal(null);
      if (typeof plainValue === "number") {
        expect(Object.is(fusedValue, plainValue), `${String(fusedValue)} !== ${plainValue}`).to.equal(true);
      } else expect(fusedValue).to.deep.equal(plainValue);
    } else {
      expect(fusedError).to.be.instanceOf((plainError as Error).constructor);
      expect((fusedError as Error).message).to.equal((plainError as Error).message);
      // A bad batch leaves the state exactly as it was.
      if (plainError instanceof MetricInputError) expect(JSON.stringify(fused.toJSON())).to.equal(before);
    }
    expect(JSON.stringify(fused.toJSON())).to.equal(JSON.stringify(plain.toJSON()));
  };
  return { fused, plain, step };
}

const f32 = (x: number): Float32Array => new Float32Array([x]);
const f64 = (x: number): Float64Array => new Float64Array([x]);
const i32 = (y: number): Int32Array => new Int32Array([y]);

describe("updateAndCompute = update() then compute()", () => {
  it("single typed samples over a long stream, across flushes of the bins (> 65,536 samples)", () => {
    const rnd = prng(2024);
    for (const squared of [false, true]) {
      const { fused, plain } = twins({ squared });
      const n = FLUSH_EVERY + 3000;
      for (let i = 0; i < n; i++) {
        const score = (rnd() * 4 - 2) * 2 ** Math.floor(rnd() * 6 - 3);
        const label = rnd() < 0.5 ? 1 : rnd() < 0.5 ? 0 : -1;
        const value = fused.updateAndCompute(f32(score), i32(label));
        plain.update(f32(score), i32(label));
        // the twin's compute() on a sample of the steps (every one would make the spec slow)
        if (i % 61 === 0 || i >= FLUSH_EVERY - 2) {
          const expected = plain.compute();
          expect(Object.is(value, expected), `step ${i}: ${String(value)} !== ${expected}`).to.equal(true);
        }
      }
      expect(JSON.stringify(fused.toJSON())).to.equal(JSON.stringify(plain.toJSON()));
      expect(fused.samples).to.be.above(FLUSH_EVERY);
    }
  });

  it("property: random typed and plain batches, bad samples, merges in between (fast-check)", () => {
    const score = fc.oneof(
      fc.double({ min: -4, max: 4, noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, 2 ** -52, 1 - 2 ** -53, 2 ** 40, -(2 ** 40), 1e-300, NaN, Infinity),
    );
    const label = fc.constantFrom(0, 1, -1, 1, 0, 2, 0.5);
    const sample = fc.tuple(score, label, fc.constantFrom("f32", "f64", "array", "pair"));
    fc.assert(
      fc.property(
        fc.array(sample, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        fc.nat(59),
        (xs, squared, at) => {
          const { fused, plain, step } = twins({ squared });
          xs.forEach(([x, y, form], i) => {
            if (i === at) {
              // a merge writes the exact BigInt part: the cached approximations must follow
              const other = new HingeLoss({ squared }).update([0.25, 3], [1, 0]);
              fused.merge(other);
              plain.merge(other);
            }
            if (form === "f32") step([f32(x), i32(y)]);
            else if (form === "f64") step([f64(x), f64(y)]);
            else if (form === "array") step([[x], [y]]);
            else
              step([
                [x, -x],
                [y, y],
              ]);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: small batches and single samples in every streaming form, read between them only by updateAndCompute, update() alone between some (the running value kept over pending sums, the stream accumulator counted)", () => {
    const score = fc.oneof(
      fc.double({ min: -4, max: 4, noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, 2 ** -52, 1 - 2 ** -53, 2 ** 30, 1e-300),
    );
    const label = fc.constantFrom(0, 1, 1, 0, -1, 2);
    const batch = fc.tuple(
      fc.array(fc.tuple(score, label), { minLength: 1, maxLength: 12 }),
      fc.constantFrom("f32", "f64", "array", "number"),
      fc.constantFrom("read", "read", "quiet"),
    );
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 80 }), fc.nat(79), (batches, at) => {
        const fused = new HingeLoss();
        const plain = new HingeLoss();
        batches.forEach(([xy, form, how], i) => {
          if (i === at) {
            const other = new HingeLoss().update([0.25, 3], [1, 0]);
            fused.merge(other);
            plain.merge(other);
          }
          const xs = xy.map(([x]) => x);
          const ys = xy.map(([, y]) => y);
          const args: [unknown, unknown] =
            form === "f32"
              ? [new Float32Array(xs), new Int32Array(ys)]
              : form === "f64"
                ? [new Float64Array(xs), new Float64Array(ys)]
                : form === "number"
                  ? [xs[0], ys[0]]
                  : [xs, ys];
          if (how === "quiet") {
            // update() alone on both (the fused metric's samples stay in its stream accumulator, which
            // the next updateAndCompute must count)
            let threw = false;
            try {
              plain.update(args[0] as never, args[1] as never);
            } catch {
              threw = true;
            }
            if (threw) expect(() => fused.update(args[0] as never, args[1] as never)).to.throw();
            else fused.update(args[0] as never, args[1] as never);
            return;
          }
          let expected: number | Error;
          try {
            expected = plain.update(args[0] as never, args[1] as never).compute();
          } catch (error) {
            expected = error as Error;
          }
          if (expected instanceof Error) {
            expect(() => fused.updateAndCompute(args[0] as never, args[1] as never)).to.throw(
              expected.message,
            );
          } else {
            const got = fused.updateAndCompute(args[0] as never, args[1] as never);
            expect(Object.is(got, expected), `${got} !== ${expected}`).to.equal(true);
          }
        });
        expect(JSON.stringify(fused.toJSON())).to.equal(JSON.stringify(plain.toJSON()));
      }),
      { numRuns: 300 },
    );
  });

  it("an exact tie goes to even, through the exact division (the fast path cannot certify it)", () => {
    // contributions 1 and 1 + 2^-52 (label 0: 1 + x): the mean 1 + 2^-53 is the midpoint between 1 and the next
    // double; ties to even gives 1.
    const { fused, step } = twins();
    step([f32(0), i32(0)]);
    step([f64(2 ** -52), f64(0)]);
    expect(fused.compute()).to.equal(1);
    step([f64(2 ** -52), f64(0)]);
  });

  it("a running mean that is exactly 0 (every prediction confidently right), then not", () => {
    const { fused, step } = twins();
    for (let i = 0; i < 5; i++) step([f32(2 + i), i32(1)]);
    expect(Object.is(fused.compute(), 0)).to.equal(true);
    step([f32(0.5), i32(1)]);
    step([f32(-3), i32(0)]);
  });

  it("weights, an ignore index, multiclass batches and the first batch take the general path, same values", () => {
    const weighted = twins();
    weighted.step([f32(0.5), i32(1)]);
    weighted.step([f32(0.5), i32(0), new Float32Array([2])]);
    weighted.step([f32(-1), i32(1), new Float32Array([0.25])]);
    const ignoring = twins({ ignoreIndex: -1 });
    ignoring.step([f32(0.5), i32(1)]);
    ignoring.step([f32(3), i32(-1)]); // ignored
    ignoring.step([f32(-0.5), i32(0)]);
    const multi = twins();
    multi.step([[[0.2, 0.9, -1]], [1]]);
    multi.step([new Float32Array([0.5, 0.1, 0.3]), i32(2)]); // 1-D preds on a multiclass state: an error
    multi.step([[[1, 0, 0]], [0]]);
    const ova = twins({ multiclassMode: "one-vs-all" });
    ova.step([[[0.2, 0.9, -1]], [1]]);
    ova.step([[[1, 0, 0]], [0]]);
  });

  it("bad samples throw update()'s MetricInputError and change nothing", () => {
    const { fused, step } = twins();
    step([f32(0.5), i32(1)]);
    const state = JSON.stringify(fused.toJSON());
    step([f32(NaN), i32(1)]);
    step([f32(0.5), i32(2)]);
    step([f64(0.5), f64(0.5)]);
    step([f32(Infinity), i32(0)]);
    step([new BigInt64Array([1n]), i32(1)]);
    step([f32(0.5), new Int32Array([1, 0])]);
    expect(JSON.stringify(fused.toJSON())).to.equal(state);
    expect(() => fused.updateAndCompute(f32(0.5), i32(2))).to.throw(
      MetricInputError,
      "target[0] must be 0, 1 or -1 for a binary HingeLoss, got 2",
    );
  });

  it("a batch with nothing to compute from is accumulated, then compute()'s MetricStateError", () => {
    const metric = new HingeLoss({ ignoreIndex: -1 });
    expect(() => metric.updateAndCompute(f32(0.5), i32(-1))).to.throw(
      MetricStateError,
      "nothing accumulated",
    );
    expect(metric.task).to.equal("binary"); // the batch fixed the task: it was accumulated
    expect(metric.samples).to.equal(0);
    expect(metric.updateAndCompute(f32(0.5), i32(1))).to.equal(0.5);
  });

  it("is inherited by every metric: a collection returns its members' values", () => {
    const collection = new MetricCollection({ plain: new HingeLoss(), sq: new HingeLoss({ squared: true }) });
    collection.update([0.5], [1]);
    expect(collection.updateAndCompute(f32(-1), i32(1))).to.deep.equal({ plain: 1.25, sq: 2.125 });
  });
});
