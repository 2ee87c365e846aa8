// Bad input to the declared state fields themselves (what a metric's updateState may pass them): each is a
// clear error and the field is unchanged.
import { expect } from "chai";
import { z } from "zod";
import { MetricInputError, MetricStateError } from "../../lib/errors/index.js";
import { count, exactSum, fixed, maxOf } from "../../lib/state/index.js";

function unchanged(
  value: { toJSON(): unknown },
  f: () => void,
  cls: new (message: string) => Error,
  message: RegExp,
): void {
  const before = JSON.stringify(value.toJSON());
  expect(f).to.throw(cls, message);
  expect(JSON.stringify(value.toJSON())).to.equal(before);
}

describe("state fields: bad input is an error and leaves the value as it was", () => {
  it("exactSum.add refuses NaN and ±Infinity", () => {
    const s = exactSum().empty();
    s.add(1.5);
    for (const x of [NaN, Infinity, -Infinity]) {
      unchanged(s, () => s.add(x), MetricInputError, /cannot add .* to an exact sum: it must be finite/);
    }
    expect(s.value()).to.equal(1.5);
  });

  it("exactSum.ratio by an exact zero is a MetricStateError, never NaN", () => {
    const num = exactSum().empty();
    num.add(1);
    expect(() => num.ratio(exactSum().empty())).to.throw(MetricStateError, /exactly 0/);
  });

  it("exactSum / count resize only an empty vector of size 0", () => {
    const s = exactSum(2).empty();
    unchanged(s, () => s.resize(3), MetricStateError, /cannot resize an exact sum of size 2 to 3/);
    const c = count(2).empty();
    unchanged(c, () => c.resize(3), MetricStateError, /cannot resize a count of size 2 to 3/);
  });

  it("count.add refuses a negative or fractional step and a count past 2^53 - 1", () => {
    const c = count().empty();
    c.add(Number.MAX_SAFE_INTEGER - 1);
    unchanged(c, () => c.add(-1), MetricInputError, /non-negative integer, got -1/);
    unchanged(c, () => c.add(0.5), MetricInputError, /non-negative integer, got 0.5/);
    unchanged(c, () => c.add(2), MetricInputError, /would pass 2\^53 - 1/);
    c.add(1);
    expect(c.value()).to.equal(Number.MAX_SAFE_INTEGER);
  });

  it("maxOf.update refuses NaN", () => {
    const m = maxOf().empty();
    m.update(2);
    unchanged(m, () => m.update(NaN), MetricInputError, /NaN/);
  });

  it("fixed.set refuses another value than the one set first", () => {
    const f = fixed(z.number()).empty();
    f.set(3, "the class count");
    unchanged(
      f,
      () => f.set(4, "the class count"),
      MetricInputError,
      /the class count was fixed to 3 by an earlier batch, got 4/,
    );
  });

  it("merges refuse mismatched fields with a MetricStateError naming the field", () => {
    const a = fixed(z.number()).empty();
    a.set(3, "C");
    const b = fixed(z.number()).empty();
    b.set(4, "C");
    expect(() => a.checkMerge(b, "numClasses")).to.throw(
      MetricStateError,
      /different numClasses: 4 there and 3 here/,
    );
    const c2 = count(2).empty();
    expect(() => c2.checkMerge(count(3).empty(), "confmat")).to.throw(
      MetricStateError,
      /cannot merge confmat/,
    );
  });
});
