// One binary sample as plain numbers through the functional forms, as `HingeLoss.update(score, label)` takes
// it: the same value as the class and as a one-element array, bit for bit; the multiclass form refuses it.
import { expect } from "chai";
import {
  binaryHingeLoss,
  hingeLoss,
  HingeLoss,
  MetricInputError,
  multiclassHingeLoss,
} from "../../lib/index.js";
import { prng } from "../support/prng.js";

describe("functional hinge loss of one sample given as numbers", () => {
  it("equals the class and the one-element array form, bit for bit (random samples, options, weights)", () => {
    const rand = prng(41);
    for (let i = 0; i < 500; i++) {
      const score = (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 3);
      const label = [0, 1, -1][Math.floor(rand() * 3)];
      const squared = rand() < 0.5;
      const weight = rand() < 0.5 ? undefined : rand() * 3 + 0.01;
      const want = new HingeLoss({ squared }).update(score, label, weight).compute();
      expect(Object.is(hingeLoss(score, label, { squared }, weight), want)).to.equal(true);
      expect(Object.is(binaryHingeLoss(score, label, { squared }, weight), want)).to.equal(true);
      const arrays = binaryHingeLoss(
        [score],
        [label],
        { squared },
        weight === undefined ? undefined : [weight],
      );
      expect(Object.is(arrays, want)).to.equal(true);
    }
    expect(hingeLoss(0.25, 1)).to.equal(0.75);
    expect(binaryHingeLoss(-0.5, 1)).to.equal(1.5);
    expect(binaryHingeLoss(0.3, 0, { squared: true })).to.equal(1.6900000000000002);
  });

  it("refuses a number where a multiclass batch belongs, and bad numbers, naming the argument", () => {
    expect(() => multiclassHingeLoss(0.3 as never, 1 as never)).to.throw(
      MetricInputError,
      "multiclassHingeLoss takes preds of shape (N, C) with C ≥ 2, got a number (0.3)",
    );
    expect(() => binaryHingeLoss(0.3, 2)).to.throw(MetricInputError, /^target must be 0, 1 or -1/);
    expect(() => binaryHingeLoss(NaN, 1)).to.throw(
      MetricInputError,
      /^preds must be a finite number, got NaN/,
    );
    expect(() => hingeLoss(0.5, 1, undefined, -1)).to.throw(
      MetricInputError,
      /^weights must be a finite number ≥ 0/,
    );
  });
});
