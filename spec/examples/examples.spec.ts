import { expect } from "chai";
import { execFileSync } from "node:child_process";

// The examples run in CI: each is executed as a user would (node + tsx) and its output checked.
function run(file: string): string {
  return execFileSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 60_000 });
}

describe("examples", () => {
  it("examples/quickstart.ts prints the documented values", () => {
    const out = run("examples/quickstart.ts");
    expect(out).to.contain("binary hinge loss: 0.3\n");
    expect(out).to.contain("crammer-singer: 2.9000000000000004\n");
    expect(out).to.contain("one-vs-all: [ 2.2333333333333334, 1.5, 1.2333333333333334 ]\n");
    expect(out).to.contain("merged: 0.3 === one pass: true\n");
  });

  it("examples/epochs.ts prints one falling validation loss per epoch over 800 samples", () => {
    const lines = run("examples/epochs.ts").trim().split("\n");
    expect(lines).to.have.length(5);
    const values = lines.map((l) => Number(/hinge loss ([\d.]+) over 800 samples/.exec(l)?.[1]));
    values.forEach((v, i) => {
      expect(Number.isFinite(v), lines[i]).to.equal(true);
      if (i > 0) expect(v).to.be.lessThan(values[i - 1]);
    });
    // the first epoch's value is a mean hinge loss of noisy scores: between 0 and 3
    expect(values[0]).to.be.within(0, 3);
  });

  it("examples/custom-metric.ts: a user metric merges bit for bit, round-trips, joins a collection and rx", () => {
    const out = run("examples/custom-metric.ts");
    expect(out).to.contain("mae: 0.4\n");
    expect(out).to.contain("merged === one pass: true\n");
    expect(out).to.contain("round trip: true example.MeanAbsoluteError\n");
    expect(out).to.contain("collection: { mae: 0.5, hinge: 0.5 }\n");
    expect(out).to.contain("rx: true\n");
  });
});
