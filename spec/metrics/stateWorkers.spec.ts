// The worker-thread and child-process examples really run, and their merged states compute the bits of a
// single pass (Object.is), which a float64 `+=` over the same split does not.
import { expect } from "chai";
import { evaluateWithProcesses } from "../../examples/processes.js";
import { naiveMean, splitRange } from "../../examples/shards.js";
import { evaluateWithWorkers } from "../../examples/workers.js";

describe("state across workers (examples/workers.ts, examples/processes.ts)", function () {
  this.timeout(60_000);
  const n = 30_000;

  it("2 worker threads: merged = single pass, bit for bit", async () => {
    const { merged, single } = await evaluateWithWorkers(n, 2);
    const a = merged.compute();
    const b = single.compute();
    expect(Object.is(a.hinge, b.hinge)).to.equal(true);
    expect(Object.is(a.squared, b.squared)).to.equal(true);
    expect(merged.toJSON()).to.deep.equal(single.toJSON());
    expect(merged.get("hinge").samples).to.equal(n);
  });

  it("2 child processes printing JSON: merged = single pass, bit for bit", async () => {
    const { merged, single, states } = await evaluateWithProcesses(n, 2);
    expect(states).to.have.length(2);
    expect(merged.toJSON()).to.deep.equal(single.toJSON());
    expect(Object.is(merged.compute().squared, single.compute().squared)).to.equal(true);
  });

  it("on this data set a naive float64 += gives different bits for different splits", () => {
    const values = new Set([1, 2, 3, 5].map((k) => naiveMean(splitRange(n, k))));
    expect(values.size).to.be.greaterThan(1);
  });
});
