// HingeLoss.update's small-typed-batch path (addSmallBatch: no snapshot; nothing is written until the whole
// batch passed) gives the same bits as the general path, and a bad element leaves the metric unchanged.
import { expect } from "chai";
import fc from "fast-check";

import { HingeLoss, MetricInputError } from "../../lib/index.js";

const AWKWARD = [NaN, Infinity, 2 ** 40, 2 ** -80, 1e-310, -0, 3, 0.5];

describe("HingeLoss: small binary batches in typed arrays", () => {
  it("property: any batches (awkward values included) give the bits of the general path", () => {
    const value = fc.oneof(fc.float({ noNaN: true, min: -8, max: 8 }), fc.constantFrom(...AWKWARD));
    const batch = fc.array(fc.tuple(value, fc.constantFrom(0, 1, -1, 1, 0, 2)), {
      minLength: 1,
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(batch, { minLength: 1, maxLength: 6 }), fc.boolean(), (batches, squared) => {
        const fast = new HingeLoss({ squared }).update([0.25], [1]);
        const slow = new HingeLoss({ squared }).update([0.25], [1]);
        for (const b of batches) {
          const p = Float32Array.from(b.map(([x]) => x));
          const t = Int32Array.from(b.map(([, y]) => y));
          const before = JSON.stringify(fast.toJSON());
          let failed: unknown = null;
          try {
            fast.update(p, t);
          } catch (error) {
            failed = error;
          }
          let slowFailed: unknown = null;
          try {
            // { data, shape }: the general path (plain arrays take a fast path of their own too)
            slow.update(
              { data: Array.from(p), shape: [p.length] },
              { data: Array.from(t), shape: [t.length] },
            );
          } catch (error) {
            slowFailed = error;
          }
          expect(failed === null).to.equal(slowFailed === null);
          if (failed !== null) {
            expect(failed).to.be.instanceOf(MetricInputError);
            expect((failed as Error).message).to.equal((slowFailed as Error).message);
            expect(JSON.stringify(fast.toJSON())).to.equal(before);
          }
          expect(JSON.stringify(fast.toJSON())).to.equal(JSON.stringify(slow.toJSON()));
        }
      }),
      { numRuns: 300 },
    );
  });
});
