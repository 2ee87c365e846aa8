// ExactSums.ratio (fast double-double quotient with certification) must always equal the exact BigInt
// reference roundQuotient(scaled(k), scaled(d)), bit for bit.
import { expect } from "chai";
import fc from "fast-check";
import { ExactSums, FLUSH_EVERY, roundQuotient, scaledFromDouble } from "../../lib/state/index.js";
import { prng } from "../support/prng.js";

function check(sums: ExactSums, k = 0, d = 1): void {
  const expected = roundQuotient(sums.scaled(k), sums.scaled(d));
  const got = sums.ratio(k, d);
  expect(Object.is(got, expected), `ratio ${got} !== reference ${expected}`).to.equal(true);
  // The fast path alone: either NaN (undecided) or exactly the reference.
  const fast = sums.fastRatio(k, d);
  if (Number.isNaN(fast)) return;
  expect(Object.is(fast, expected), `fastRatio ${fast} !== reference ${expected}`).to.equal(true);
}

function f32(x: number): number {
  return Math.fround(x);
}

describe("ExactSums.ratio = roundQuotient (fast path certified)", () => {
  it("random float32-like measures of many magnitudes, integer and weighted totals", () => {
    const rnd = prng(12345);
    for (let trial = 0; trial < 400; trial++) {
      const sums = new ExactSums(2);
      const n = 1 + Math.floor(rnd() * 300);
      const scale = 2 ** Math.floor(rnd() * 60 - 40);
      const weighted = rnd() < 0.5;
      for (let i = 0; i < n; i++) {
        const w = weighted ? f32(rnd() * 3) : 1;
        const m = f32((rnd() * 2 - (rnd() < 0.2 ? 1 : 0)) * scale);
        sums.add(0, w * m);
        sums.add(1, w);
        if (i % 7 === 0) check(sums);
      }
      check(sums);
    }
  });

  it("property: any small set of doubles (fast-check)", () => {
    const dbl = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.array(dbl, { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 20 }),
        (xs, ws) => {
          const sums = new ExactSums(2);
          for (const x of xs) sums.add(0, x);
          for (const w of ws) sums.add(1, w);
          check(sums);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("the fast path decides ordinary streams itself: a running mean after every sample, across flushes", () => {
    // The running-value mode of the RxJS operator calls compute() after every sample: these quotients must not
    // fall back to BigInt division (that is a performance property, checked here by counting, not timing).
    const rnd = prng(4242);
    for (const weighted of [false, true]) {
      const sums = new ExactSums(2);
      let undecided = 0;
      const n = FLUSH_EVERY + 5000;
      for (let i = 0; i < n; i++) {
        const w = weighted ? f32(rnd() * 2) : 1;
        sums.add(0, w * Math.max(0, 1 - f32(rnd() * 4 - 2)));
        sums.add(1, w);
        const fast = sums.fastRatio(0, 1);
        if (Number.isNaN(fast)) undecided += 1;
        else if (i % 997 === 0 || i === n - 1) {
          expect(Object.is(fast, roundQuotient(sums.scaled(0), sums.scaled(1)))).to.equal(true);
        }
      }
      expect(undecided, `${undecided} of ${n} undecided (weighted: ${weighted})`).to.be.below(n / 10000);
    }
  });

  it("exact ties and near-ties go to the right side", () => {
    const rnd = prng(777);
    for (let trial = 0; trial < 300; trial++) {
      // A = (2m + 1)·2^e / 2 with D = 1: the exact midpoint between two doubles.
      const m = Math.floor(rnd() * 2 ** 52) + 2 ** 52;
      const e = Math.floor(rnd() * 40) - 60;
      const mid = ((2n * BigInt(m) + 1n) << BigInt(1074 + e)) >> 1n;
      const one = scaledFromDouble(1);
      for (const delta of [0n, 1n, -1n, 1n << 900n, -(1n << 900n), 1n << 1000n, -(1n << 1000n)]) {
        const sums = new ExactSums(2);
        sums.setScaled(0, mid + delta);
        sums.setScaled(1, one);
        check(sums);
        // the same value split between big and bins
        sums.add(0, 0.5);
        sums.add(0, -0.5);
        check(sums);
      }
      // A = 3·x with D = 6 (x/2 may be a tie), D as bins (integer count).
      const x = f32(rnd() * 100 + 1) * 2 ** Math.floor(rnd() * 20 - 10);
      const sums = new ExactSums(2);
      sums.add(0, x);
      sums.add(0, x);
      sums.add(0, x);
      for (let i = 0; i < 6; i++) sums.add(1, 1);
      check(sums);
      // odd multiples of half an ulp built in the bins
      const u = 2 ** (Math.floor(rnd() * 30) - 60);
      const t = new ExactSums(2);
      t.add(0, 1 + 2 ** -52 * Math.floor(rnd() * 8));
      t.add(0, u);
      t.add(1, 2 ** Math.floor(rnd() * 10));
      check(t);
    }
  });

  it("subnormal and huge quotients", () => {
    const cases: [bigint, bigint][] = [
      [1n, 1n << 1074n],
      [3n, 1n << 1073n],
      [1n << 1000n, 1n << 1074n],
      [scaledFromDouble(1e300), scaledFromDouble(1e-300)],
      [scaledFromDouble(Number.MAX_VALUE) * 3n, 2n],
      [scaledFromDouble(2 ** -1022), 3n << 1074n],
      [-scaledFromDouble(1e-310), scaledFromDouble(7)],
    ];
    for (const [a, b] of cases) {
      const sums = new ExactSums(2);
      sums.setScaled(0, a);
      sums.setScaled(1, b);
      check(sums);
    }
  });

  it("states past a flush (> 65,536 additions) and with big parts set via setScaled", () => {
    const rnd = prng(4242);
    for (let trial = 0; trial < 3; trial++) {
      const sums = new ExactSums(2);
      const n = FLUSH_EVERY + 1000 + Math.floor(rnd() * 70000);
      for (let i = 0; i < n; i++) {
        sums.add(0, f32(rnd() * 2));
        sums.add(1, trial === 0 ? 1 : f32(rnd()));
        if (i % 9973 === 0) check(sums);
      }
      check(sums);
    }
    for (let trial = 0; trial < 300; trial++) {
      const sums = new ExactSums(2);
      // big parts needing more than 106 bits (approximate cache), or exact double-doubles
      const hi = BigInt(Math.floor(rnd() * 2 ** 50)) << BigInt(1000 + Math.floor(rnd() * 100));
      const lo = BigInt(Math.floor(rnd() * 2 ** 40)) << BigInt(Math.floor(rnd() * 900));
      sums.setScaled(0, rnd() < 0.3 ? -(hi + lo) : hi + lo);
      sums.setScaled(1, BigInt(1 + Math.floor(rnd() * 1e6)) << 1074n);
      check(sums);
      sums.add(0, f32(rnd() * 10));
      sums.add(1, 1);
      check(sums);
      sums.addExact(0, 2 ** -64); // a write to the exact part invalidates the cached double-doubles
      check(sums);
      sums.commitPairs(new Float64Array([0, 0, 1, 0]), 2); // so does a kernel's pair commit
      check(sums);
    }
  });

  it("heavy cancellation between big and bins, and zero sums", () => {
    const sums = new ExactSums(2);
    sums.setScaled(0, scaledFromDouble(2 ** 40) + 1n);
    sums.add(0, -(2 ** 31));
    sums.add(1, 3);
    check(sums);
    const z = new ExactSums(2);
    z.add(1, 1);
    check(z);
    z.add(0, 0.1);
    z.add(0, -0.1);
    check(z);
    expect(Object.is(z.ratio(0, 1), 0)).to.equal(true);
  });
});
