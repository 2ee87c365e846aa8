// Properties of the exact accumulator and its codec (lib/state/exactSum.ts), checked against IEEE 754
// itself: a double division is correctly rounded, so roundQuotient of two exact doubles must equal x / y.
import { expect } from "chai";
import fc from "fast-check";
import {
  ExactSums,
  FLUSH_EVERY,
  doubleFromScaled,
  formatHexFloat,
  parseHexFloat,
  roundQuotient,
  scaledFromDouble,
} from "../../lib/state/index.js";
import { logUniform } from "./arbitraries.js";

const anyDouble = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), logUniform(1023));
const RUNS = { numRuns: 200 };

describe("state/exactSum: roundQuotient and the codec", () => {
  it("roundQuotient(x·2^1074, y·2^1074) is the IEEE quotient x / y, subnormal and overflowing results included", () => {
    fc.assert(
      fc.property(anyDouble, anyDouble, (x, y) => {
        fc.pre(y !== 0);
        const [a, b] = y < 0 ? [-x, -y] : [x, y];
        const got = roundQuotient(scaledFromDouble(a), scaledFromDouble(b));
        expect(Object.is(got, a / b + 0) || Object.is(got, a / b)).to.equal(true, `${a} / ${b}`);
      }),
      RUNS,
    );
  });

  it("roundQuotient rounds ties to even and keeps a sticky bit (hand cases)", () => {
    expect(roundQuotient(2n ** 53n + 1n, 1n)).to.equal(2 ** 53); // tie, even below
    expect(roundQuotient(2n ** 53n + 3n, 1n)).to.equal(2 ** 53 + 4); // tie, even above
    expect(roundQuotient((2n ** 54n + 2n) * 3n + 1n, 3n)).to.equal(2 ** 54 + 4); // just above a tie
    expect(roundQuotient(1n, 3n)).to.equal(1 / 3);
    expect(roundQuotient(-7n, 2n)).to.equal(-3.5);
    // Halfway between 0 and the smallest subnormal rounds to 0 (even); a hair above rounds up.
    expect(roundQuotient(1n, 2n ** 1075n)).to.equal(0);
    expect(roundQuotient(2n ** 100n + 1n, 2n ** 1175n)).to.equal(Number.MIN_VALUE);
    expect(roundQuotient(3n, 2n ** 1075n)).to.equal(2 * Number.MIN_VALUE); // 1.5 ulp → 2 (even)
    expect(roundQuotient(2n ** 1024n, 1n)).to.equal(Infinity);
    expect(roundQuotient(2n ** 1024n - 2n ** 970n, 1n)).to.equal(Infinity); // MAX + half ulp: ties away to ∞
    expect(roundQuotient(2n ** 1024n - 2n ** 970n - 1n, 1n)).to.equal(Number.MAX_VALUE);
    expect(() => roundQuotient(1n, 0n)).to.throw(RangeError);
  });

  it("scaledFromDouble / doubleFromScaled round-trip every double", () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        expect(Object.is(doubleFromScaled(scaledFromDouble(x)), x + 0)).to.equal(true);
      }),
      RUNS,
    );
  });

  it("formatHexFloat / parseHexFloat round-trip any exact sum, and agree with C99 %a for doubles", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 2170n), max: 2n ** 2170n }), (b) => {
        expect(parseHexFloat(formatHexFloat(b))).to.equal(b);
      }),
      RUNS,
    );
    expect(formatHexFloat(scaledFromDouble(0.75))).to.equal("0x1.8p-1");
    expect(formatHexFloat(scaledFromDouble(Number.MIN_VALUE))).to.equal("0x1p-1074");
    expect(formatHexFloat(scaledFromDouble(Number.MAX_VALUE))).to.equal("0x1.fffffffffffffp+1023");
    expect(formatHexFloat(scaledFromDouble(0.1))).to.equal("0x1.999999999999ap-4");
    expect(formatHexFloat(0n)).to.equal("0x0p+0");
  });

  it("parseHexFloat rejects text that is not an exact hex float in range", () => {
    for (const bad of [
      "",
      "1.5",
      "0x",
      "0x1",
      "0X1P+0",
      "0x1.8P-1",
      "+0x1p+0",
      "0x2p+0",
      "0x0.8p+0",
      "0x1.p+0",
      "0x1.gp+0",
      " 0x1p+0",
      "0x1p+0 ",
      "0x1p0",
      "0x1p+1100",
      "0x1p+99999",
      "0x1p-1075",
      "0x1.8p-1074",
      "Infinity",
      "NaN",
      "0x1p+1e3",
      "0x1." + "0".repeat(601) + "p+0",
    ]) {
      expect(parseHexFloat(bad), JSON.stringify(bad)).to.equal(undefined);
    }
    expect(parseHexFloat("0x1p+1099")).to.equal(1n << 2173n);
    expect(parseHexFloat("0x1p-1074")).to.equal(1n);
    expect(parseHexFloat("-0x0p+0")).to.equal(0n);
  });
});

describe("state/exactSum: ExactSums", () => {
  it("add() in any order and any grouping (addAll) is the exact sum of the doubles", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), logUniform(1000)), {
          maxLength: 30,
        }),
        fc.nat(),
        (xs, cut) => {
          const exact = xs.reduce((s, x) => s + scaledFromDouble(x), 0n);
          const one = new ExactSums(1);
          xs.forEach((x) => one.add(0, x));
          expect(one.scaled(0)).to.equal(exact);
          const k = xs.length === 0 ? 0 : cut % xs.length;
          const left = new ExactSums(1);
          const right = new ExactSums(1);
          xs.slice(0, k).forEach((x) => left.add(0, x));
          xs.slice(k)
            .reverse()
            .forEach((x) => right.add(0, x));
          right.addAll(left);
          expect(right.scaled(0)).to.equal(exact);
          expect(Object.is(right.value(0), doubleFromScaled(exact))).to.equal(true);
          right.flush();
          expect(right.scaled(0)).to.equal(exact);
        },
      ),
      RUNS,
    );
  });

  it("bins stay exact up to a flush: FLUSH_EVERY + 1 additions of the worst fast-path values", () => {
    // Just below 2^32 with every fast-path bit set: each bin gets its largest pieces.
    const x = 2 ** 32 - 2 ** -76 * 2 ** 52; // a multiple of 2^-24 below 2^32
    const y = 2 ** -24 + 2 ** -76; // needs all three bins
    const sums = new ExactSums(2);
    for (let i = 0; i <= FLUSH_EVERY; i++) {
      sums.add(0, x);
      sums.add(1, y);
    }
    expect(sums.scaled(0)).to.equal(BigInt(FLUSH_EVERY + 1) * scaledFromDouble(x));
    expect(sums.scaled(1)).to.equal(BigInt(FLUSH_EVERY + 1) * scaledFromDouble(y));
    expect(sums.reserve()).to.be.within(1, FLUSH_EVERY); // the bins take more after a flush
  });
});
