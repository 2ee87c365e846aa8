// ExactSum.pendingPair (the kernel API the streaming paths of HingeLoss add into): values added into the
// pending pair are part of the sum for every reader, bit for bit (checked against the exact BigInt sum of
// the same values), whichever way they are settled (into the bins, or into the BigInt when the bins are
// nearly full), and a restore drops what was pended after its snapshot.
import { expect } from "chai";
import fc from "fast-check";

import { PENDING_HI, PENDING_LO } from "../../lib/state/exactSumField.js";
import {
  FLUSH_EVERY,
  exactSum,
  roundQuotient,
  scaledFromDouble,
  type ExactSum,
} from "../../lib/state/index.js";

const PAIR_S = 1.5 * 2 ** 38;

/** Adds c (0 <= c < 2^24, a multiple of 2^-53) as the kernel contract says; false when the pair is full. */
function pend(s: ExactSum, c: number): boolean {
  const p = s.pendingPair;
  if (!(p[0] < PENDING_HI && Math.abs(p[1]) < PENDING_LO)) return false;
  const q = c + PAIR_S - PAIR_S;
  p[0] += q;
  p[1] += c - q;
  return true;
}

/** A value the pair takes: 0 <= c < 2^24, a multiple of 2^-53 (k · 2^-53 · 2^e, small enough). */
const pairValue = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 24 - 1 }),
  fc.double({ min: 0.5, max: 2 ** 24 - 1, noNaN: true }),
  fc.integer({ min: 0, max: 2 ** 30 }).map((k) => k * 2 ** -53),
  fc.integer({ min: 1, max: 2 ** 20 }).map((k) => 1 - k * 2 ** -53),
);

describe("state/exactSum: the pending pair (ExactSum.pendingPair)", () => {
  it("property: pended values count for every reader, bit for bit with the exact sum", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pairValue, fc.boolean()), { minLength: 1, maxLength: 60 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        (values, other) => {
          const s = exactSum().empty();
          let exact = 0n;
          s.add(other);
          exact += scaledFromDouble(other);
          for (const [c, direct] of values) {
            if (direct) s.add(c);
            else expect(pend(s, c)).to.equal(true);
            exact += scaledFromDouble(c);
          }
          const copy = s.copy();
          expect(copy.exact()).to.equal(exact);
          expect(s.toJSON()).to.equal(copy.toJSON());
          expect(s.pendingPair[0]).to.equal(0); // settled by toJSON
          // every reader, each on a fresh pended sum
          const pended = (): ExactSum => {
            const t = exactSum().empty();
            for (const [c] of values) pend(t, c);
            t.add(other);
            return t;
          };
          const ref = exactSum().empty();
          ref.addScaled(exact);
          expect(pended().value()).to.equal(ref.value());
          expect(pended().values()).to.deep.equal(ref.values());
          expect(pended().exact()).to.equal(exact);
          expect(pended().isZero()).to.equal(exact === 0n);
          const den = exactSum().empty();
          den.add(3);
          expect(pended().ratio(den)).to.equal(ref.ratio(den));
          const fast = pended().fastRatio(den);
          expect(fast === ref.fastRatio(den) || Number.isNaN(fast)).to.equal(true);
          expect(den.ratio(pended())).to.equal(den.ratio(ref));
          const merged = exactSum().empty();
          merged.mergeFrom(pended());
          expect(merged.exact()).to.equal(exact);
          const into = pended();
          into.mergeFrom(pended());
          expect(into.exact()).to.equal(2n * exact);
          const viaBins = pended();
          viaBins.reserve();
          expect(viaBins.exact()).to.equal(exact);
          const viaAdd = pended();
          viaAdd.add(0.25);
          expect(viaAdd.exact()).to.equal(exact + scaledFromDouble(0.25));
          const viaScaled = pended();
          viaScaled.addScaled(1n);
          expect(viaScaled.exact()).to.equal(exact + 1n);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a restore drops what was pended after the snapshot; the snapshot keeps what was pended before", () => {
    const s = exactSum().empty();
    pend(s, 3);
    pend(s, 2 ** -40);
    const saved = s.snapshot(undefined);
    pend(s, 5);
    pend(s, 7);
    s.add(1);
    s.restore(saved);
    expect(s.exact()).to.equal(scaledFromDouble(3) + scaledFromDouble(2 ** -40));
    pend(s, 1);
    expect(s.value()).to.equal(4 + 2 ** -40);
  });

  it("fills to its bounds, settling into the bins or (bins nearly full) into the BigInt, exactly", () => {
    for (const fill of [0, FLUSH_EVERY - 40, FLUSH_EVERY - 1]) {
      // big values exhaust hi (2^37 / (2^24 - 1) values), small ones with a positive rest exhaust lo
      for (const c of [2 ** 24 - 1 - 2 ** -28, 7 * 2 ** -18, 2 ** 24 - 2 ** -29]) {
        const s = exactSum().empty();
        let exact = 0n;
        for (let i = 0; i < fill; i++) s.add(0.5);
        exact += BigInt(fill) * scaledFromDouble(0.5);
        let settles = 0;
        for (let i = 0; i < 40_000; i++) {
          if (!pend(s, c)) {
            settles++;
            s.reserve(); // settles
            expect(pend(s, c)).to.equal(true);
          }
          exact += scaledFromDouble(c);
        }
        expect(settles, `${c}`).to.be.greaterThan(0);
        expect(s.exact(), `${c} after ${fill}`).to.equal(exact);
      }
    }
  });

  it("many settles of full pairs within one flush window keep the bins exact", () => {
    const s = exactSum().empty();
    let exact = 0n;
    const c = 2 ** -15 - 2 ** -53; // rest ≈ +2^-15 each: lo reaches its bound in 2^14 values
    for (let round = 0; round < 200; round++) {
      while (pend(s, c)) exact += scaledFromDouble(c);
      expect(s.bins[0]).to.be.a("number"); // reading the kernel view settles
      expect(s.pendingPair[1]).to.equal(0);
    }
    expect(s.exact()).to.equal(exact);
  });

  it("property: countQuotient (the running value of updateAndCompute) over bins, flushed parts and pending pairs is NaN or the correctly rounded quotient", () => {
    let certified = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pairValue, fc.nat(3)), { minLength: 1, maxLength: 80 }),
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { maxLength: 3 }),
        fc.nat(2 ** 20),
        fc.boolean(),
        (values, adds, bigCount, flush) => {
          const m = exactSum().empty();
          const n = exactSum().empty();
          for (const x of adds) m.add(x);
          if (bigCount > 0) n.add(bigCount);
          let samples = bigCount;
          for (const [c, how] of values) {
            // into the bins (add), or the pending pair; the count likewise
            if (how === 0 || !pend(m, c)) m.add(c);
            if (how === 1 || !pend(n, 1)) n.add(1);
            samples += 1;
          }
          if (flush) for (let k = 0; k < FLUSH_EVERY + 1; k++) m.add(0.25); // bins full: a flushed (BigInt) part
          if (flush) for (let k = 0; k < FLUSH_EVERY + 1; k++) m.add(-0.25);
          const q = m.countQuotient(n); // before anything settles
          const exact = roundQuotient(m.exact(), n.exact());
          expect(n.value()).to.equal(samples);
          if (q === q) {
            expect(Object.is(q, exact), `${q} vs ${exact}`).to.equal(true);
            certified += 1;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
    expect(certified).to.be.greaterThan(150); // most cases take the fast path
    // the common case is certified: small sums over a count
    const m = exactSum().empty();
    const n = exactSum().empty();
    for (let k = 0; k < 10; k++) {
      pend(m, k * 0.1);
      pend(n, 1);
    }
    expect(m.countQuotient(n)).to.equal(roundQuotient(m.exact(), n.exact()));
    // a denominator that is not a count (a fraction in its bins) is not for this path
    const w = exactSum().empty();
    w.add(0.5);
    expect(Number.isNaN(m.countQuotient(w))).to.equal(true);
  });

  it("property: countQuotient's kept prefix follows every change to either sum (bit for bit with a shadow pair that never takes the fast path)", () => {
    // m / n take random operations, with countQuotient read between them (its prefix kept while only the
    // pending pairs move); the shadows get the same values through add() only and are read exactly
    type Op =
      | { kind: "pend"; c: number }
      | { kind: "add"; x: number }
      | { kind: "count"; k: number }
      | { kind: "kernel"; c: number }
      | { kind: "snapshot" }
      | { kind: "restore" }
      | { kind: "merge"; x: number; k: number }
      | { kind: "scaled"; x: number }
      | { kind: "read" };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 6, arbitrary: pairValue.map((c) => ({ kind: "pend" as const, c })) },
      {
        weight: 2,
        arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => ({ kind: "add" as const, x })),
      },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 5 }).map((k) => ({ kind: "count" as const, k })) },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 0, max: 2 ** 20 }).map((c) => ({ kind: "kernel" as const, c })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "snapshot" as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: "restore" as const }) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: 0, max: 3 }))
          .map(([x, k]) => ({ kind: "merge" as const, x, k })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 1, max: 2 ** 20 }).map((x) => ({ kind: "scaled" as const, x })),
      },
      { weight: 1, arbitrary: fc.constant({ kind: "read" as const }) },
    );
    let checked = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const m = exactSum().empty();
        const n = exactSum().empty();
        const sm = exactSum().empty();
        const sn = exactSum().empty();
        m.add(1);
        n.add(1);
        sm.add(1);
        sn.add(1);
        let saved: unknown[] | null = null;
        for (const o of ops) {
          if (o.kind === "pend") {
            if (pend(m, o.c) && pend(n, 1)) {
              sm.add(o.c);
              sn.add(1);
            } else {
              m.add(o.c);
              sm.add(o.c);
              n.add(1);
              sn.add(1);
            }
          } else if (o.kind === "add") {
            m.add(o.x);
            sm.add(o.x);
          } else if (o.kind === "count") {
            n.add(o.k);
            sn.add(o.k);
          } else if (o.kind === "kernel") {
            // a kernel's write into the bins (its view, then commit), as the typed kernels do
            m.reserve();
            const c = o.c * 2 ** -10;
            const q1 = c + 1.5 * 2 ** 48 - 1.5 * 2 ** 48;
            m.bins[0] += q1;
            m.bins[1] += c - q1;
            m.commit(1);
            sm.add(c);
          } else if (o.kind === "snapshot") {
            saved = [
              m.snapshot(undefined),
              n.snapshot(undefined),
              sm.snapshot(undefined),
              sn.snapshot(undefined),
            ];
          } else if (o.kind === "restore") {
            if (saved !== null) {
              m.restore(saved[0]);
              n.restore(saved[1]);
              sm.restore(saved[2]);
              sn.restore(saved[3]);
              saved = null;
            }
          } else if (o.kind === "merge") {
            const other = exactSum().empty();
            other.add(o.x);
            const count = exactSum().empty();
            count.add(o.k);
            m.mergeFrom(other);
            sm.add(o.x);
            n.mergeFrom(count);
            sn.add(o.k);
          } else if (o.kind === "scaled") {
            m.addScaled(scaledFromDouble(o.x));
            sm.add(o.x);
          } else {
            expect(m.value()).to.equal(sm.value());
          }
          const q = m.countQuotient(n);
          if (q === q) {
            const exact = roundQuotient(sm.exact(), sn.exact());
            expect(Object.is(q, exact), `${q} vs ${exact}`).to.equal(true);
            checked += 1;
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
    expect(checked).to.be.greaterThan(1000);
  });
});
