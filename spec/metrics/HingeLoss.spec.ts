import { expect } from "chai";
import { HingeLoss } from "../../lib/index.js";

const T2 = [
  [-1.0, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
];

describe("HingeLoss: documented examples (torchmetrics docstrings, DESIGN §2)", () => {
  it("binary target [0,1,1], preds [-2.2,2.4,0.1] → 0.3", () => {
    expect(new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).compute()).to.equal(0.3);
  });
  it("Crammer–Singer → 2.9", () => {
    expect(new HingeLoss().update(T2, [0, 1, 2]).compute()).to.be.closeTo(2.9, 1e-12);
  });
  it("one-vs-all → [2.2333…, 1.5, 1.2333…]", () => {
    const v = new HingeLoss({ multiclassMode: "one-vs-all" }).update(T2, [0, 1, 2]).compute() as number[];
    expect(v).to.have.length(3);
    [7 / 3 - 0.1, 1.5, 3.7 / 3].forEach((e, i) => expect(v[i]).to.be.closeTo(e, 1e-12));
  });
});

describe("HingeLoss: single-sample typed updates (the streaming fast path)", () => {
  const scores = [0.5, -1.25, 3, 1e10, 2 ** -30, -0.75, 1 - 2 ** -53, 7e-310];
  const labels = [1, 0, -1, 1, 0, 1, 1, 0];

  for (const squared of [false, true]) {
    it(`one sample per call gives the bits of one bulk update (squared: ${squared})`, () => {
      const bulk = new HingeLoss({ squared }).update(new Float64Array(scores), new Int32Array(labels));
      const streamed = new HingeLoss({ squared });
      scores.forEach((x, i) => streamed.update(new Float64Array([x]), new Int32Array([labels[i]])));
      expect(streamed.compute()).to.equal(bulk.compute());
      expect(streamed.toJSON()).to.deep.equal(bulk.toJSON());
    });
  }

  it("a bad single sample throws the usual error and changes nothing", () => {
    const m = new HingeLoss().update(new Float32Array([0.5]), new Int32Array([1]));
    const before = JSON.stringify(m.toJSON());
    expect(() => m.update(new Float32Array([NaN]), new Int32Array([1]))).to.throw(
      /^preds\[0\] must be a finite number, got NaN$/,
    );
    expect(() => m.update(new Float32Array([0.5]), new Int32Array([2]))).to.throw(
      /^target\[0\] must be 0, 1 or -1/,
    );
    expect(() => m.update(new Float32Array([0.5]), new BigInt64Array([5n]))).to.throw(
      /^target\[0\] must be 0, 1 or -1/,
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });

  it("an ignore index still applies to single samples", () => {
    const m = new HingeLoss({ ignoreIndex: -1 }).update(new Float32Array([0.5]), new Int32Array([1]));
    m.update(new Float32Array([4]), new Int32Array([-1]));
    expect(m.samples).to.equal(1);
    expect(m.compute()).to.equal(0.5);
  });

  it("crosses the 65,536-sample flush boundary exactly", () => {
    const n = 70_000;
    const p = new Float32Array(n).map((_, i) => Math.fround(Math.sin(i) * 2));
    const t = new Int32Array(n).map((_, i) => i % 2);
    const streamed = new HingeLoss();
    for (let i = 0; i < n; i++) streamed.update(p.subarray(i, i + 1), t.subarray(i, i + 1));
    expect(streamed.compute()).to.equal(new HingeLoss().update(p, t).compute());
  });
});
