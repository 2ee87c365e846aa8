// Issue 17, goal 1: HingeLoss.update on one sample as two plain numbers, and the snapshot-free path of single
// samples and small batches (typed arrays, plain arrays, numbers). Every form gives the bits of the general
// path (`{ data, shape }`, which never takes the fast path), and a bad or hostile batch throws the general
// path's MetricInputError, naming the argument, with the state unchanged.
import { expect } from "chai";
import fc from "fast-check";

import { HingeLoss, MetricInputError, MetricStateError } from "../../lib/index.js";

const AWKWARD = [NaN, Infinity, -Infinity, 2 ** 40, 2 ** 30, 2 ** 24 + 0.5, 2 ** -80, 1e-310, -0, 3, 0.5];
const LABELS = [0, 1, -1, 1, 0, 2, 0.5];

type Form = "numbers" | "plain" | "f32/i32" | "f64/i32" | "f32/f64" | "f64/f32";

/** The batch in the form given (numbers only for one sample). */
function as(form: Form, xs: number[], ys: number[]): [unknown, unknown] {
  switch (form) {
    case "numbers":
      return [xs[0], ys[0]];
    case "plain":
      return [xs.slice(), ys.slice()];
    case "f32/i32":
      return [Float32Array.from(xs), Int32Array.from(ys)];
    case "f64/i32":
      return [Float64Array.from(xs), Int32Array.from(ys)];
    case "f32/f64":
      return [Float32Array.from(xs), Float64Array.from(ys)];
    case "f64/f32":
      return [Float64Array.from(xs), Float32Array.from(ys)];
  }
}

/** The same values as `{ data, shape }`: the general path (read by toTensorView, snapshot, kernels). */
function general(form: Form, xs: number[], ys: number[]): [unknown, unknown] {
  const [p, t] = as(form === "numbers" ? "plain" : form, xs, ys);
  const data = (v: unknown): number[] => Array.from(v as ArrayLike<number>);
  return [
    { data: data(p), shape: [xs.length] },
    { data: data(t), shape: [ys.length] },
  ];
}

function attempt(f: () => unknown): unknown {
  try {
    f();
    return null;
  } catch (error) {
    return error;
  }
}

const json = (m: { toJSON(): unknown }): string => JSON.stringify(m.toJSON());

/** Feeds both metrics the batch; checks the same outcome (bits, or error message with the state unchanged). */
function step(
  fast: HingeLoss,
  slow: HingeLoss,
  batch: [unknown, unknown],
  reference: [unknown, unknown],
): void {
  const before = json(fast);
  const failed = attempt(() => fast.update(batch[0] as number[], batch[1] as number[]));
  const slowFailed = attempt(() => slow.update(reference[0] as number[], reference[1] as number[]));
  expect(failed === null, String(failed ?? slowFailed)).to.equal(slowFailed === null);
  if (failed !== null) {
    expect(failed).to.be.instanceOf(MetricInputError);
    // a plain number has no position: `preds` where the general path's array of one says `preds[0]`
    const expected = (slowFailed as Error).message;
    expect((failed as Error).message).to.equal(
      typeof batch[0] === "number" ? expected.replace(/^(preds|target)\[0\]/, "$1") : expected,
    );
    expect(json(fast)).to.equal(before);
  }
  expect(json(fast)).to.equal(json(slow));
}

describe("HingeLoss.update(score, label): one sample as two plain numbers (issue 17)", () => {
  it("property: numbers, [score] / [label] and { data, shape } give the same bits and the same errors", () => {
    const value = fc.oneof(fc.double({ min: -8, max: 8, noNaN: true }), fc.constantFrom(...AWKWARD));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(value, fc.constantFrom(...LABELS)), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (samples, squared) => {
          const byNumbers = new HingeLoss({ squared });
          const byArrays = new HingeLoss({ squared });
          const slowN = new HingeLoss({ squared });
          const slowA = new HingeLoss({ squared });
          for (const [x, y] of samples) {
            step(byNumbers, slowN, as("numbers", [x], [y]), general("numbers", [x], [y]));
            step(byArrays, slowA, as("plain", [x], [y]), general("plain", [x], [y]));
            expect(json(byArrays)).to.equal(json(byNumbers));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("works from the first sample on, and equals the array form in update, updateAndCompute and forward", () => {
    expect(new HingeLoss().update(0.3, 1).compute()).to.equal(0.7);
    const a = new HingeLoss().update(0.5, 1).update(-1, 0).update(2.5, 0);
    const b = new HingeLoss().update([0.5], [1]).update([-1], [0]).update([2.5], [0]);
    expect(json(a)).to.equal(json(b));
    expect(a.compute()).to.equal(4 / 3);
    expect(a.updateAndCompute(0.25, 1)).to.equal(b.updateAndCompute([0.25], [1]));
    expect(a.forward(3, -1)).to.equal(b.forward([3], [-1]));
    expect(a.forward(3, -1)).to.equal(4);
    expect(b.forward([3], [-1])).to.equal(4);
    expect(json(a)).to.equal(json(b));
    // mixed with an array of one, weights as a number, squared, an ignore index
    expect(json(new HingeLoss().update(0.5, [1]))).to.equal(json(new HingeLoss().update([0.5], 1)));
    expect(new HingeLoss().update(0.5, 1, 2).update(-3, 1, 1).compute()).to.equal((1 + 4) / 3);
    expect(new HingeLoss({ squared: true }).update(0.5, 1).update(0, 0).compute()).to.equal(0.625);
    const ignoring = new HingeLoss({ ignoreIndex: -1 }).update(0.5, -1).update(0.25, 1);
    expect([ignoring.samples, ignoring.compute()]).to.deep.equal([1, 0.75]);
    expect(() => new HingeLoss({ ignoreIndex: -1 }).update(0.5, -1).compute()).to.throw(MetricStateError);
  });

  it("bad numbers are MetricInputErrors naming the argument, and change nothing", () => {
    const m = new HingeLoss().update(0.5, 1);
    const before = json(m);
    const cases: [unknown, unknown, string][] = [
      [NaN, 1, "preds must be a finite number, got NaN"],
      [Infinity, 0, "preds must be a finite number, got Infinity"],
      [0.5, 2, "target must be 0, 1 or -1 for a binary HingeLoss, got 2"],
      [0.5, 0.5, "target must be 0, 1 or -1 for a binary HingeLoss, got 0.5"],
      [0.5, NaN, "target must be 0, 1 or -1 for a binary HingeLoss, got NaN"],
      [0.5, 1n, "target must be a number or an array of numbers (or a tensor), got the BigInt 1n"],
      [1n, 1, "preds must be a number or an array of numbers (or a tensor), got the BigInt 1n"],
      [0.5, "1", "target must be an array, a typed array, { data, shape }, or a tensor"],
      [0.5, undefined, "target must be an array, a typed array, { data, shape }, or a tensor"],
      [0.5, [1, 0], "target has 2 elements but preds has 1 samples"],
      [[0.5, 1], 1, "target has 1 elements but preds has 2 samples"],
    ];
    for (const [p, t, message] of cases) {
      const error = attempt(() => m.update(p as number, t as number));
      expect(error, `${String(p)}, ${String(t)}`).to.be.instanceOf(MetricInputError);
      expect((error as Error).message).to.match(
        new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`),
      );
      expect(json(m)).to.equal(before);
      expect(() => m.updateAndCompute(p as number, t as number)).to.throw(MetricInputError, message);
      expect(json(m)).to.equal(before);
    }
    expect(() => m.update(0.5, 1, -1)).to.throw(
      MetricInputError,
      "weights must be a finite number ≥ 0, got -1",
    );
    expect(() => m.update(0.5, 1, NaN)).to.throw(
      MetricInputError,
      "weights must be a finite number ≥ 0, got NaN",
    );
    expect(json(m)).to.equal(before);
  });

  it("a number is one binary sample: a multiclass metric refuses it with a message saying what to pass", () => {
    const multi = new HingeLoss().update([[0.1, 0.9, 0.3]], [1]);
    const before = json(multi);
    expect(() => multi.update(0.3, 1)).to.throw(
      MetricInputError,
      "preds is a single number (one binary sample) but this metric has accumulated multiclass batches of 3 classes: pass the sample's scores as a row, shape (1, 3)",
    );
    expect(() => multi.updateAndCompute(0.3, 1)).to.throw(MetricInputError, "preds is a single number");
    expect(() => multi.forward(0.3, 1)).to.throw(MetricInputError, "preds is a single number");
    expect(json(multi)).to.equal(before);
    expect(() => new HingeLoss({ numClasses: 3 }).update(0.3, 1)).to.throw(
      MetricInputError,
      "preds is a single number (one binary sample) but numClasses is 3: expected the sample's 3 scores as a row, shape (1, 3)",
    );
    // a row of scores with its label as a number is one multiclass sample
    expect(json(multi.update([[0.2, 0.1, 0.9]], 2))).to.equal(
      json(
        new HingeLoss().update(
          [
            [0.1, 0.9, 0.3],
            [0.2, 0.1, 0.9],
          ],
          [1, 2],
        ),
      ),
    );
  });
});

describe("HingeLoss: single samples and small batches skip the snapshot, with the general path's bits", () => {
  const forms: Form[] = ["plain", "f32/i32", "f64/i32", "f32/f64", "f64/f32"];

  it("property: batches of 1 to 300 in every form (awkward values included) equal { data, shape }", () => {
    const value = fc.oneof(
      { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(...AWKWARD) },
    );
    const label = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(0, 1, -1) },
      fc.constantFrom(2, 0.5, NaN),
    );
    const sample = fc.tuple(value, label);
    const batch = fc.oneof(
      { weight: 4, arbitrary: fc.array(sample, { minLength: 1, maxLength: 10 }) },
      { weight: 1, arbitrary: fc.array(sample, { minLength: 60, maxLength: 300 }) },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(batch, fc.constantFrom(...forms, "numbers" as const)), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        (batches, squared) => {
          const fast = new HingeLoss({ squared }).update([0.25], [1]);
          const slow = new HingeLoss({ squared }).update([0.25], [1]);
          for (const [b, f] of batches) {
            const form: Form = f === "numbers" && b.length !== 1 ? "plain" : f;
            const xs = b.map(([x]) => x);
            const ys = b.map(([, y]) => y);
            step(fast, slow, as(form, xs, ys), general(form, xs, ys));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("across flushes of the bins (2^16 additions), in batches of 1, 7 and 64, every form: the exact sums", () => {
    const n = 70_001;
    let s = 7;
    const rand = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 4 - 2;
    const xs = Array.from({ length: n }, () => Math.fround(rand()));
    const ys = xs.map((_, i) => [0, 1, -1][(i * 7) % 3]);
    for (const squared of [false, true]) {
      const reference = json(
        new HingeLoss({ squared }).update({ data: xs, shape: [n] }, { data: ys, shape: [n] }),
      );
      for (const size of [1, 7, 64]) {
        for (const form of [...forms, "numbers" as const]) {
          if (form === "numbers" && size !== 1) continue;
          const m = new HingeLoss({ squared });
          for (let i = 0; i < n; i += size) {
            const [p, t] = as(form, xs.slice(i, i + size), ys.slice(i, i + size));
            m.update(p as number[], t as number[]);
          }
          expect(json(m), `${form} in batches of ${size}${squared ? ", squared" : ""}`).to.equal(reference);
        }
      }
    }
  });

  it("updateAndCompute of one sample in every form equals update then compute", () => {
    for (const form of [...forms, "numbers" as const]) {
      const a = new HingeLoss().update([0.5], [1]);
      const b = new HingeLoss().update([0.5], [1]);
      for (const [x, y] of [
        [2, 0],
        [0.1, 1],
        [-3, -1],
        [1e-30, 1],
        [2 ** 35, 0],
      ]) {
        const [p, t] = as(form, [x], [y]);
        const [gp, gt] = general(form, [x], [y]);
        expect(a.updateAndCompute(p as number[], t as number[])).to.equal(
          b.update(gp as number[], gt as number[]).compute(),
        );
      }
      expect(json(a)).to.equal(json(b));
    }
  });
});

describe("HingeLoss small-batch path: hostile input is a MetricInputError naming the argument, state unchanged", () => {
  function detached(values: number[], kind: "f64" | "i32"): Float64Array | Int32Array {
    const view = kind === "f64" ? Float64Array.from(values) : Int32Array.from(values);
    structuredClone(view.buffer, { transfer: [view.buffer as ArrayBuffer] });
    return view;
  }

  it("detached buffers, Proxies whose get trap throws, throwing getters, for batches of 1 and 8", () => {
    for (const n of [1, 8]) {
      const xs = Array.from({ length: n }, (_, i) => i / 4 - 1);
      const ys = xs.map((_, i) => i % 2);
      const at = n - 1;
      const getter = (values: number[]): number[] => {
        const out = values.slice();
        Object.defineProperty(out, at, {
          get() {
            throw new Error("boom");
          },
        });
        return out;
      };
      const trap = (values: number[]): number[] =>
        new Proxy(values.slice(), {
          get(t, k, r) {
            if (k === String(at)) throw new Error("trap");
            return Reflect.get(t, k, r) as unknown;
          },
        });
      const cases: [unknown, unknown, RegExp][] = [
        [detached(xs, "f64"), Int32Array.from(ys), /^preds is a Float64Array over a detached ArrayBuffer/],
        [Float64Array.from(xs), detached(ys, "i32"), /^target is a Int32Array over a detached ArrayBuffer/],
        [getter(xs), ys, /^preds could not be read/],
        [xs, getter(ys), /^target could not be read/],
        [trap(xs), ys, /^preds could not be read/],
        [xs, trap(ys), /^target could not be read/],
      ];
      for (const [p, t, message] of cases) {
        const m = new HingeLoss().update([0.5], [1]);
        const before = json(m);
        const error = attempt(() => m.update(p as number[], t as number[]));
        expect(error, String(message)).to.be.instanceOf(MetricInputError);
        expect((error as Error).message).to.match(message);
        expect(json(m)).to.equal(before);
        expect(() => m.updateAndCompute(p as number[], t as number[])).to.throw(MetricInputError);
        expect(json(m)).to.equal(before);
      }
    }
  });

  it("a Proxy whose getPrototypeOf trap throws is read like its array; a re-entrant getter adds both batches", () => {
    for (const n of [1, 8]) {
      const xs = Array.from({ length: n }, (_, i) => i / 4 - 1);
      const ys = xs.map((_, i) => i % 2);
      const proxied = new Proxy(xs.slice(), {
        getPrototypeOf() {
          throw new Error("proto trap");
        },
      });
      expect(json(new HingeLoss().update([0.5], [1]).update(proxied, ys))).to.equal(
        json(new HingeLoss().update([0.5], [1]).update(xs, ys)),
      );
      // a getter that updates the same metric while the batch is being read: both batches count, once each
      const m = new HingeLoss().update([0.5], [1]);
      const reentrant = xs.slice();
      let calls = 0;
      Object.defineProperty(reentrant, n - 1, {
        get() {
          if (calls++ === 0) m.update([2.5], [0]);
          return xs[n - 1];
        },
      });
      m.update(reentrant, ys);
      expect(json(m)).to.equal(json(new HingeLoss().update([0.5], [1]).update([2.5], [0]).update(xs, ys)));
    }
  });
});
