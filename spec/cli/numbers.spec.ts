// parseDecimal (lib/cli/numbers.ts) is Number() on every decimal cell, bit for bit, and NaN exactly where the
// CSV grammar rejects a cell: fast-check over generated decimal texts (short ones on the fast path, long
// mantissas and large exponents on the Number() fallback), round trips of random doubles, and edge cases.
import { expect } from "chai";
import fc from "fast-check";
import { parseDecimal } from "../../lib/cli/numbers.js";

const GRAMMAR = /^[ \t]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t]*$/;

/** What the CSV reader accepted before parseDecimal: the grammar, then Number(). */
function oracle(text: string): number {
  return GRAMMAR.test(text) ? Number(text) : NaN;
}

function same(text: string): void {
  const got = parseDecimal(text, 0, text.length);
  expect(Object.is(got, oracle(text)), `${JSON.stringify(text)}: ${got} vs ${oracle(text)}`).to.equal(true);
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));

const decimalText = fc
  .tuple(
    fc.constantFrom("", " ", "\t", "  "),
    fc.constantFrom("", "-", "+"),
    digits(0, 20),
    fc.constantFrom("", "."),
    digits(0, 20),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "-", "+"), digits(1, 4))),
    fc.constantFrom("", " ", "\t"),
  )
  .map(([l, s, a, dot, b, e, r]) => `${l}${s}${a}${dot}${b}${e === null ? "" : e.join("")}${r}`);

describe("parseDecimal: Number() on CSV decimal cells", function () {
  this.timeout(60000);

  it("equals the grammar + Number() on generated decimal texts (fast path and fallback)", function () {
    fc.assert(
      fc.property(decimalText, (text) => same(text)),
      { numRuns: 20000 },
    );
  });

  it("round-trips random doubles written by JavaScript, toFixed and toExponential", function () {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 17 }),
        (x, k) => {
          same(String(x));
          if (Math.abs(x) < 1e21) same(x.toFixed(Math.min(k, 17)));
          same(x.toExponential(Math.min(k, 16)));
          // JavaScript's shortest round-trip form reads back as the same double (String(-0) is "0")
          const text = String(x);
          expect(Object.is(parseDecimal(text, 0, text.length), Object.is(x, -0) ? 0 : x)).to.equal(true);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it("equals Number() on arbitrary short strings of number-like characters (rejects what the grammar rejects)", function () {
    const chars = fc
      .array(fc.constantFrom(..."0123456789.eE+- \txX_abInfity,"), { maxLength: 12 })
      .map((a) => a.join(""));
    fc.assert(
      fc.property(chars, (text) => same(text)),
      { numRuns: 20000 },
    );
  });

  it("edge cases: signs of zero, the fast path's limits, exponents beyond it, overflow, subnormals", function () {
    for (const text of [
      "0",
      "-0",
      "+0",
      "-0.000",
      ".5",
      "3.",
      "-.5e1",
      "0.1",
      "0.3",
      "1e22",
      "1e23",
      "9007199254740992",
      "9007199254740993",
      "9007199254740991.5",
      "123456789012345678",
      "1e-22",
      "1e-23",
      "4.9e-324",
      "2e-324",
      "1.7976931348623157e308",
      "1.8e308",
      "1e400",
      "-1e400",
      "0e999999",
      "1e-999999",
      "0.000000000000000000000001",
      "",
      " ",
      ".",
      "-",
      "+",
      "e5",
      "1e",
      "1e+",
      "1.2.3",
      "--1",
      "1 2",
      "0x10",
      "0b1",
      "Infinity",
      "NaN",
      "1_000",
      "١",
      " 1 ",
      "\t-2.5e-3\t",
      "1\u00a0",
    ]) {
      same(text);
    }
    expect(Object.is(parseDecimal("-0", 0, 2), -0)).to.equal(true);
    expect(parseDecimal("1e400", 0, 5)).to.equal(Infinity);
  });

  it("reads a cell inside a line without copying it", function () {
    expect(parseDecimal("3,0.25,x", 2, 6)).to.equal(0.25);
    expect(parseDecimal("3, 0.25 ,x", 2, 8)).to.equal(0.25);
    expect(Number.isNaN(parseDecimal("3,0.25,x", 6, 8))).to.equal(true);
  });
});
