import { expect } from "chai";
import { HingeLoss, InvalidOptionsError, MetricInputError, MetricStateError } from "../../lib/index.js";

const T2 = [
  [-1.0, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
];

/** Runs a bad call and checks the error class, the message, and that the state is exactly as before. */
function rejects(
  metric: HingeLoss,
  call: () => unknown,
  message: RegExp,
  errorClass = MetricInputError,
): void {
  const before = JSON.stringify(metric.toJSON());
  const valueBefore = metric.samples > 0 ? JSON.stringify(metric.compute()) : null;
  expect(call).to.throw(errorClass, message);
  expect(JSON.stringify(metric.toJSON())).to.equal(before);
  if (valueBefore !== null) expect(JSON.stringify(metric.compute())).to.equal(valueBefore);
}

const binary = () => new HingeLoss().update([-2.2, 2.4], [0, 1]);
const multiclass = () => new HingeLoss().update(T2, [0, 1, 2]);

describe("HingeLoss: bad inputs throw a clear error and leave the state untouched", () => {
  it("length mismatch between preds and target", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([0.1, 0.2, 0.3], [0, 1, 1, 0]),
      /^target has 4 elements but preds has 3 samples$/,
    );
    rejects(m, () => m.update(T2, [0, 1]), /^target has 2 elements but preds has 3 samples$/);
  });

  it("ragged nested array (names the row and the expected width)", () => {
    const m = multiclass();
    rejects(
      m,
      () =>
        m.update(
          [
            [1, 2, 3],
            [4, 5],
          ],
          [0, 1],
        ),
      /^preds\[1\] must be a row of 3 numbers like preds\[0\] \(ragged nested array\), got length 2$/,
    );
    rejects(
      m,
      () => m.update([[1, 2, 3], 7] as never, [0, 1]),
      /^preds\[1\] must be a row of 3 numbers .*got 7$/,
    );
  });

  it("NaN, Infinity and -Infinity in preds (binary and multiclass, typed and plain)", () => {
    const m = binary();
    rejects(m, () => m.update([0.5, NaN], [1, 0]), /^preds\[1\] must be a finite number, got NaN$/);
    rejects(
      m,
      () => m.update(new Float32Array([0.5, 1, Infinity]), new Int32Array([1, 0, 1])),
      /^preds\[2\] must be a finite number, got Infinity$/,
    );
    rejects(
      m,
      () => m.update(new Float64Array([-Infinity]), [1]),
      /^preds\[0\] must be a finite number, got -Infinity$/,
    );
    const mc = multiclass();
    rejects(
      mc,
      () =>
        mc.update(
          [
            [0, 1, 2],
            [0, NaN, 1],
          ],
          [0, 1],
        ),
      /^preds\[1\]\[1\] must be a finite number, got NaN$/,
    );
    rejects(
      mc,
      () => mc.update({ data: new Float32Array([0, 1, 2, 0, 1, Infinity]), shape: [2, 3] }, [0, 1]),
      /^preds\[1\]\[2\] must be a finite number, got Infinity$/,
    );
  });

  it("binary target not in {0, 1, -1}", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([0.1, 0.2, 0.3], [0, 1, 2]),
      /^target\[2\] must be 0, 1 or -1 for a binary HingeLoss, got 2$/,
    );
    rejects(
      m,
      () => m.update(new Float32Array([0.1, 0.2]), new Float32Array([0.5, 1])),
      /^target\[0\] must be 0, 1 or -1 .*got 0\.5$/,
    );
    rejects(m, () => m.update([0.1], new Uint8Array([255])), /^target\[0\] must be 0, 1 or -1 .*got 255$/);
  });

  it("multiclass target not an integer or outside [0, C)", () => {
    const m = multiclass();
    rejects(
      m,
      () => m.update(T2, [0, 1.5, 2]),
      /^target\[1\] must be an integer class index in \[0, 3\) for a multiclass HingeLoss, got 1\.5$/,
    );
    rejects(
      m,
      () => m.update(T2, [0, 1, 3]),
      /^target\[2\] must be an integer class index in \[0, 3\) .*got 3$/,
    );
    rejects(m, () => m.update(T2, [-1, 1, 2]), /^target\[0\] must be an integer class index .*got -1$/);
    const ova = new HingeLoss({ multiclassMode: "one-vs-all" }).update(T2, [0, 1, 2]);
    rejects(ova, () => ova.update(T2, [0, 1, 3]), /^target\[2\] must be an integer class index in \[0, 3\)/);
  });

  it("preds of rank 3", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([[[1, 2]], [[3, 4]]] as never, [0, 1]),
      /^preds must have rank 1 or 2, got a nested array of rank ≥ 3 \(shape starts \[2, 1, 2\]\)$/,
    );
    rejects(
      m,
      () => m.update({ data: new Float32Array(8), shape: [2, 2, 2] }, [0, 1]),
      /^preds must have shape \(N\) or \(N, C\), got shape \[2, 2, 2\]$/,
    );
  });

  it("a multiclass batch after binary batches, and the reverse", () => {
    const m = binary();
    rejects(
      m,
      () => m.update(T2, [0, 1, 2]),
      /^preds has shape \[3, 3\] \(multiclass\) but this metric has accumulated binary batches/,
    );
    const mc = multiclass();
    rejects(
      mc,
      () => mc.update([0.5, 1], [0, 1]),
      /^preds has shape \[2\] \(binary\) but this metric has accumulated multiclass batches/,
    );
  });

  it("C changing between batches", () => {
    const m = multiclass();
    rejects(
      m,
      () => m.update([[0.1, 0.2, 0.3, 0.4]], [3]),
      /^preds has 4 classes \(shape \[1, 4\]\) but earlier batches had 3$/,
    );
  });

  it("numClasses disagreeing with preds", () => {
    const m = new HingeLoss({ numClasses: 4 });
    rejects(m, () => m.update(T2, [0, 1, 2]), /^preds has 3 columns \(shape \[3, 3\]\) but numClasses is 4$/);
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, 1]),
      /^preds has shape \[2\] \(binary\) but numClasses is 4: expected shape \(N, 4\)$/,
    );
  });

  it("negative, NaN and wrong-length weights", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, 1], [1, -0.5]),
      /^weights\[1\] must be a finite number ≥ 0, got -0\.5$/,
    );
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, 1], new Float64Array([NaN, 1])),
      /^weights\[0\] must be a finite number ≥ 0, got NaN$/,
    );
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, 1], [1, Infinity]),
      /^weights\[1\] must be a finite number ≥ 0, got Infinity$/,
    );
    rejects(m, () => m.update([0.1, 0.2], [0, 1], [1]), /^weights has 1 elements but preds has 2 samples$/);
    const mc = multiclass();
    rejects(
      mc,
      () => mc.update(T2, [0, 1, 2], [1, 1, -1]),
      /^weights\[2\] must be a finite number ≥ 0, got -1$/,
    );
  });

  it("strings, null, undefined and objects where numbers belong", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([0.1, "0.2"] as never, [0, 1]),
      /^preds\[1\] must be a finite number, got "0\.2"$/,
    );
    rejects(
      m,
      () => m.update([0.1, null] as never, [0, 1]),
      /^preds\[1\] must be a finite number, got null$/,
    );
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, undefined] as never),
      /^target\[1\] must be a number, got undefined$/,
    );
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, { v: 1 }] as never),
      /^target\[1\] must be a number, got an object$/,
    );
    rejects(
      m,
      () => m.update([0.1, 0.2], [0, 1], [1, "1"] as never),
      /^weights\[1\] must be a finite number ≥ 0, got "1"$/,
    );
    rejects(
      m,
      () => m.update("0.1" as never, [0]),
      /^preds must be an array, a typed array, \{ data, shape \}, or a tensor/,
    );
    rejects(m, () => m.update(null as never, [0]), /^preds must be an array.*got null$/);
    rejects(m, () => m.update([0.1], undefined as never), /^target must be an array.*got undefined$/);
    rejects(m, () => m.update({ foo: 1 } as never, [0]), /^preds must be an array.*got Object$/);
    const mc = multiclass();
    rejects(
      mc,
      () => mc.update([[0, 1, "x"]] as never, [0]),
      /^preds\[0\]\[2\] must be a finite number, got "x"$/,
    );
    rejects(mc, () => mc.update([[0, 1, 2]], [true] as never), /^target\[0\] must be a number, got true$/);
  });

  it("a bad element past a flush boundary (65,536 samples) still leaves the state untouched", () => {
    const m = binary();
    const n = 200_000;
    const p = new Float64Array(n).map((_, i) => ((i * 7919) % 1000) / 250 - 2);
    const t = new Int32Array(n).map((_, i) => i & 1);
    p[150_000] = NaN;
    rejects(m, () => m.update(p, t), /^preds\[150000\] must be a finite number, got NaN$/);
    const big = new Float64Array(n).fill(1e10); // slow-path values before the bad one
    big[199_999] = NaN;
    rejects(m, () => m.update(big, t), /^preds\[199999\] must be a finite number, got NaN$/);
  });

  it("a weighted measure that overflows float64", () => {
    const m = binary();
    rejects(
      m,
      () => m.update([1e300], [0], [1e300]),
      /^sample 0 has a weighted measure that overflows float64/,
    );
  });

  it("unknown option keys, with the camelCase form for a snake_case key", () => {
    expect(() => new HingeLoss({ multiclass_mode: "one-vs-all" } as never)).to.throw(
      InvalidOptionsError,
      /unknown option "multiclass_mode" for HingeLoss: did you mean "multiclassMode"\?/,
    );
    expect(() => new HingeLoss({ num_classes: 3 } as never)).to.throw(
      InvalidOptionsError,
      /did you mean "numClasses"\?/,
    );
    expect(() => new HingeLoss({ foo: 1 } as never)).to.throw(
      InvalidOptionsError,
      /unknown option "foo" for HingeLoss: allowed keys: squared, multiclassMode, numClasses, ignoreIndex/,
    );
    expect(() => new HingeLoss({ squared: "yes" } as never)).to.throw(
      InvalidOptionsError,
      /squared must be a boolean, got "yes"/,
    );
    expect(() => new HingeLoss({ numClasses: 1 })).to.throw(
      InvalidOptionsError,
      /numClasses must be an integer ≥ 2, got 1/,
    );
    expect(() => new HingeLoss({ ignoreIndex: 0.5 })).to.throw(
      InvalidOptionsError,
      /ignoreIndex must be an integer, got 0\.5/,
    );
    expect(() => new HingeLoss([] as never)).to.throw(InvalidOptionsError, /options must be an object/);
  });

  it("compute() with nothing accumulated is a MetricStateError, never NaN", () => {
    expect(() => new HingeLoss().compute()).to.throw(MetricStateError, /nothing accumulated/);
    const ignored = new HingeLoss({ ignoreIndex: -1 }).update([0.5, 0.7], [-1, -1]);
    expect(() => ignored.compute()).to.throw(MetricStateError, /total weight is 0/);
    const zero = new HingeLoss().update([0.5], [1], [0]);
    expect(() => zero.compute()).to.throw(MetricStateError, /total weight is 0/);
    expect(() => binary().reset().compute()).to.throw(MetricStateError);
  });

  it("an empty batch is a no-op (any form, any task)", () => {
    const m = binary();
    const before = JSON.stringify(m.toJSON());
    m.update([], []);
    m.update(new Float32Array(0), new Int32Array(0));
    m.update({ data: [], shape: [0, 3] }, []);
    expect(JSON.stringify(m.toJSON())).to.equal(before);
    const fresh = new HingeLoss().update([], []);
    expect(fresh.task).to.equal(null);
    expect(fresh.update(T2, [0, 1, 2]).task).to.equal("multiclass");
  });

  it("forward() that throws accumulates nothing", () => {
    const m = binary();
    rejects(m, () => m.forward([0.1, NaN], [0, 1]), /^preds\[1\] must be a finite number, got NaN$/);
    rejects(m, () => m.forward(T2, [0, 1, 2]), /accumulated binary batches/);
    rejects(m, () => m.forward([], []), /nothing accumulated/, MetricStateError);
  });
});
