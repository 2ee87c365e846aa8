import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("examples/rx-pipeline.ts", function () {
  this.timeout(30000); // spawns node + tsx
  it("prints one validation hinge loss per epoch, skips the NaN batch, and matches a plain loop bit for bit", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/rx-pipeline.ts"], {
      cwd: root,
      encoding: "utf8",
    });
    const lines = out.trim().split("\n");
    const epochs = lines
      .map((line) =>
        /^epoch (\d+): validation hinge loss (\d+\.\d{6}) \((\d+) samples, (\d+) batches, (\d+) skipped\)$/.exec(
          line,
        ),
      )
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ epoch: +m[1], loss: +m[2], samples: +m[3], batches: +m[4], skipped: +m[5] }));
    expect(epochs.map((e) => e.epoch)).to.deep.equal([0, 1, 2, 3, 4]);
    expect(epochs.map((e) => [e.samples, e.batches, e.skipped])).to.deep.equal([
      [256, 8, 0],
      [256, 8, 0],
      [224, 7, 1],
      [256, 8, 0],
      [256, 8, 0],
    ]);
    // The simulated model improves every epoch.
    for (let i = 1; i < epochs.length; i++) expect(epochs[i].loss).to.be.below(epochs[i - 1].loss);
    expect(lines).to.include("  skipped: batches[19]: preds[1][2] must be a finite number, got NaN");
    expect(lines[lines.length - 1]).to.equal("bit-identical to a plain HingeLoss loop: true");
  });
});
