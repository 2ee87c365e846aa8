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
