// Issue 17, goal 1: the streaming paths of HingeLoss.update (one unsquared binary sample, or a batch of 2 to
// 255) add into the metric's stream accumulator (stream.ts), which the base's syncState folds into the fields
// before anything reads, copies, snapshots, restores, resets or merges them; updateAndCompute adds into the
// sums' pending pairs (ExactSum.pendingPair), which the sums settle whenever anything reads them. Every
// public reader, anywhere in a stream, must see the same bits as a metric fed the same samples through the
// general path (`{ data, shape }`, never pending), across the accumulators' bounds.
import { expect } from "chai";
import fc from "fast-check";

import { HingeLoss, MetricInputError } from "../../lib/index.js";

type Form = "numbers" | "plain" | "f32/i32" | "f64/f64";
type Batch = { xs: number[]; ys: number[]; form: Form };

function fast(b: Batch): [number[], number[]] {
  const { xs, ys, form } = b;
  const out =
    form === "numbers"
      ? [xs[0], ys[0]]
      : form === "plain"
        ? [xs.slice(), ys.slice()]
        : form === "f32/i32"
          ? [Float32Array.from(xs), Int32Array.from(ys)]
          : [Float64Array.from(xs), Float64Array.from(ys)];
  return out as [number[], number[]];
}

function general(b: Batch): [number[], number[]] {
  const xs = b.form === "f32/i32" ? b.xs.map(Math.fround) : b.xs;
  const out = [
    { data: xs.slice(), shape: [xs.length] },
    { data: b.ys.slice(), shape: [b.ys.length] },
  ];
  return out as unknown as [number[], number[]];
}

const json = (m: HingeLoss): string => JSON.stringify(m.toJSON());

type Reader =
  | "compute"
  | "json"
  | "getters"
  | "clone"
  | "merge"
  | "mergeInto"
  | "undo"
  | "restore"
  | "reset"
  | "step"
  | "forward"
  | "none";

/** Reads both metrics the same way (a reader may also change both the same way); checks the same answer. */
function read(a: HingeLoss, b: HingeLoss, how: Reader, k: number): [HingeLoss, HingeLoss] {
  switch (how) {
    case "compute":
      expect(a.compute()).to.equal(b.compute());
      break;
    case "json":
      expect(json(a)).to.equal(json(b));
      break;
    case "getters":
      expect([a.measure, a.total, a.samples]).to.deep.equal([b.measure, b.total, b.samples]);
      break;
    case "clone": {
      // the clone carries on (with an accumulator of its own); the original must hold what it held
      const ca = a.clone();
      const cb = b.clone();
      const before = json(a);
      ca.update(0.5, 1).update([0.25, 2], [1, 0]);
      cb.update([0.5], [1]).update({ data: [0.25, 2], shape: [2] } as unknown as number[], [1, 0]);
      expect(json(a)).to.equal(before);
      expect(json(a)).to.equal(json(b));
      return [ca, cb];
    }
    case "mergeInto": {
      // this metric as the other side of a merge: what it holds reaches the metric merged into
      const into: HingeLoss = new HingeLoss().update([k % 3], [1]);
      const intoRef: HingeLoss = new HingeLoss().update([k % 3], [1]);
      expect(json(into.merge(a))).to.equal(json(intoRef.merge(b)));
      break;
    }
    case "restore": {
      // a snapshot, more samples (streamed into a, general into b), a restore: back to the snapshot
      const sa = a.snapshotState();
      const sb = b.snapshotState();
      a.update(k / 3 - 1, 1).update([0.5, -1], [1, 0]);
      b.update([k / 3 - 1], [1]).update({ data: [0.5, -1], shape: [2] } as unknown as number[], [1, 0]);
      a.restoreState(sa);
      b.restoreState(sb);
      expect(json(a)).to.equal(json(b));
      break;
    }
    case "reset":
      a.reset();
      b.reset();
      a.update([k / 9], [1]);
      b.update([k / 9], [1]);
      break;
    case "merge": {
      const other = new HingeLoss().update(k % 3, k % 2);
      const otherRef = new HingeLoss().update([k % 3], [k % 2]);
      other.update([0.25, -k], [1, 0]); // pended in `other`
      otherRef.update({ data: [0.25, -k], shape: [2] } as unknown as number[], [1, 0]);
      a.merge(other);
      b.merge(otherRef);
      expect(json(other)).to.equal(json(otherRef));
      break;
    }
    case "undo": {
      // a bad batch after pended samples: the state is unchanged, whichever path refused it
      const before = json(b);
      expect(() => a.update([0.5, 1], [1, 2])).to.throw(MetricInputError);
      expect(() => a.update(0.5, 3)).to.throw(MetricInputError);
      expect(json(a)).to.equal(before);
      const saved = a.snapshotState();
      a.update(1, 0).update([2, 3], [0, 0]);
      a.restoreState(saved);
      break;
    }
    case "step":
      expect(a.updateAndCompute(k / 7 - 1, k % 2)).to.equal(b.update([k / 7 - 1], [k % 2]).compute());
      break;
    case "forward":
      expect(a.forward([k / 5, -1], [1, 0])).to.equal(b.forward([k / 5, -1], [1, 0]));
      break;
    case "none":
      break;
  }
  return [a, b];
}

describe("HingeLoss streaming paths: pending pairs are seen by every reader, with the general path's bits", () => {
  it("property: mixed forms and sizes with readers in between equal { data, shape }", () => {
    const value = fc.oneof(
      { weight: 8, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
      { weight: 1, arbitrary: fc.constantFrom(2 ** 23, -(2 ** 24) + 2, 1 - 2 ** -30, 2 ** -60, 3) },
    );
    const batch = fc
      .tuple(
        fc.array(fc.tuple(value, fc.constantFrom(0, 1, -1)), { minLength: 1, maxLength: 12 }),
        fc.constantFrom<Form>("numbers", "plain", "f32/i32", "f64/f64"),
      )
      .map(([s, f]): Batch => {
        const form: Form = f === "numbers" && s.length !== 1 ? "plain" : f;
        return { xs: s.map(([x]) => x), ys: s.map(([, y]) => y), form };
      });
    const reader = fc.constantFrom<Reader>(
      "compute",
      "json",
      "getters",
      "clone",
      "merge",
      "mergeInto",
      "undo",
      "restore",
      "reset",
      "step",
      "forward",
      "none",
      "none",
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(batch, reader), { minLength: 1, maxLength: 20 }), (steps) => {
        let a = new HingeLoss();
        let b = new HingeLoss();
        steps.forEach(([bt, how], k) => {
          a.update(...fast(bt));
          b.update(...general(bt));
          [a, b] = read(a, b, how, k);
        });
        expect(json(a)).to.equal(json(b));
        expect(a.compute()).to.equal(b.compute());
      }),
      { numRuns: 300 },
    );
  });

  it("long streams across the pairs' bounds (big contributions, rests of one sign), a reader every 40009 calls", () => {
    // contributions near 2^24 fill hi within 2^13 samples; 1 - x with a positive rest near 2^-15 fills lo
    // (with bits down to 2^-14 and 2^-53: past the bounds the pair would round)
    const bigs = (i: number): number => -(2 ** 24) + 2 + (1 + (i % 5)) * 2 ** -14;
    const rests = (i: number): number => 1 - 7 * 2 ** -18 - (1 + 2 * (i % 3)) * 2 ** -53;
    for (const score of [bigs, rests]) {
      for (const size of [1, 3, 200]) {
        let a = new HingeLoss();
        let b = new HingeLoss();
        const readers: Reader[] = [
          "compute",
          "json",
          "clone",
          "merge",
          "mergeInto",
          "undo",
          "restore",
          "step",
          "forward",
        ];
        let calls = 0;
        for (let i = 0; i < 80_000; i += size) {
          const xs = Array.from({ length: size }, (_, j) => score(i + j));
          const bt: Batch = { xs, ys: xs.map(() => 1), form: i % 2 === 0 ? "plain" : "f64/f64" };
          a.update(...fast(bt));
          b.update(...general(bt));
          if (++calls % 40_009 === 0) [a, b] = read(a, b, readers[calls % readers.length], calls);
        }
        expect(json(a), `${score.name} in batches of ${size}`).to.equal(json(b));
        expect(a.compute()).to.equal(b.compute());
      }
    }
  });

  it("a plain batch with a non-number after its first element gets the general path's error, state unchanged", () => {
    for (const n of [2, 8, 64]) {
      for (const bad of ["2", null, undefined, 1n, [1], { valueOf: () => 1 }]) {
        for (const which of ["preds", "target"] as const) {
          const xs: unknown[] = Array.from({ length: n }, (_, i) => i / 8 - 1);
          const ys: unknown[] = xs.map((_, i) => i % 2);
          (which === "preds" ? xs : ys)[n - 1] = bad;
          const m = new HingeLoss().update(0.5, 1).update([1, 2], [0, 1]);
          const before = json(m);
          let error: unknown = null;
          try {
            m.update(xs as number[], ys as number[]);
          } catch (e) {
            error = e;
          }
          expect(error, `${which}[${n - 1}] = ${String(bad)}`).to.be.instanceOf(MetricInputError);
          expect((error as Error).message).to.match(new RegExp(`^${which}`));
          expect(json(m)).to.equal(before);
        }
      }
    }
  });
});
