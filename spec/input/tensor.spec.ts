import { expect } from "chai";
import { HingeLoss, MetricInputError, hingeLoss } from "../../lib/index.js";
import { toTensorView } from "../../lib/input/index.js";

// Every input form of DESIGN §4 gives the same bits as plain arrays.
const P = [-2.2, 2.4, 0.1, -0.5, 3, 0];
const T = [0, 1, 1, 0, 1, 0];
const ROWS = [
  [-1.0, 0.9, 0.2],
  [0.5, -1.1, 0.8],
  [2.2, -0.5, 0.3],
  [0, 0, 0],
];
const Y = [0, 1, 2, 1];

describe("input forms (DESIGN §4)", () => {
  const reference = hingeLoss(P, T);
  const mcReference = hingeLoss(ROWS, Y);

  it("a typed array of every numeric kind as target, and Float64Array preds", () => {
    const kinds = [
      Int8Array,
      Uint8Array,
      Uint8ClampedArray,
      Int16Array,
      Uint16Array,
      Int32Array,
      Uint32Array,
      Float32Array,
      Float64Array,
    ];
    for (const Kind of kinds) {
      expect(hingeLoss(new Float64Array(P), new Kind(T)), Kind.name).to.equal(reference);
    }
    expect(hingeLoss(new Float64Array(P), new BigInt64Array(T.map(BigInt)))).to.equal(reference);
    expect(hingeLoss(new Float64Array(P), new BigUint64Array(T.map(BigInt)))).to.equal(reference);
  });

  it("integer typed arrays as preds read the same values", () => {
    const ints = [3, -1, 0, 2];
    const t = [1, 1, 0, 0];
    const ref = hingeLoss(ints, t);
    for (const Kind of [Int8Array, Int16Array, Int32Array, Float32Array])
      expect(hingeLoss(new Kind(ints), t)).to.equal(ref);
    expect(ref).to.equal(1.5); // (0 + 2 + 1 + 3) / 4
  });

  it("{ data, shape }, tfjs-like (shape + dataSync) and onnxruntime-like (data + dims)", () => {
    expect(hingeLoss({ data: P, shape: [6] }, T)).to.equal(reference);
    expect(hingeLoss({ data: new Float64Array(P), shape: [6, 1] }, { data: T, shape: [6] })).to.equal(
      reference,
    );
    const tfLike = { shape: [4, 3], dataSync: () => new Float64Array(ROWS.flat()) };
    expect(hingeLoss(tfLike, { shape: [4], dataSync: () => new Int32Array(Y) })).to.equal(mcReference);
    const ortLike = { data: new Float64Array(ROWS.flat()), dims: [4n, 3n] } as never;
    expect(hingeLoss(ortLike, { data: new BigInt64Array(Y.map(BigInt)), dims: [4] } as never)).to.equal(
      mcReference,
    );
  });

  it("number[][] rows, arrays of typed rows, and flat typed data with a shape agree for both modes", () => {
    for (const multiclassMode of ["crammer-singer", "one-vs-all"] as const) {
      const ref = hingeLoss(ROWS, Y, { multiclassMode });
      expect(
        hingeLoss(
          ROWS.map((r) => new Float64Array(r)),
          Y,
          { multiclassMode },
        ),
      ).to.deep.equal(ref);
      expect(
        hingeLoss({ data: new Float64Array(ROWS.flat()), shape: [4, 3] }, new Int32Array(Y), {
          multiclassMode,
        }),
      ).to.deep.equal(ref);
    }
  });

  it("(N, 1) preds and targets are binary columns", () => {
    expect(
      hingeLoss(
        P.map((v) => [v]),
        T,
      ),
    ).to.equal(reference);
    expect(hingeLoss(P, T.map((v) => [v]) as never)).to.equal(reference);
  });

  it("typed arrays are read in place: the view holds the caller's own array", () => {
    const data = new Float32Array([1, 2, 3]);
    expect(toTensorView(data, "preds").data).to.equal(data);
    const nested = [
      [1, 2],
      [3, 4],
    ];
    expect(toTensorView(nested, "preds").data).to.equal(nested);
  });

  it("a shape that does not match the data is an error naming both", () => {
    expect(() => new HingeLoss().update({ data: [1, 2, 3], shape: [2, 2] }, [0, 1])).to.throw(
      /^preds\.shape \[2, 2\] holds 4 elements but preds\.data has 3$/,
    );
    expect(() => new HingeLoss().update({ data: [1, 2], shape: [2, -1] }, [0, 1])).to.throw(
      /^preds\.shape\[1\] must be a non-negative integer, got -1$/,
    );
    expect(() => new HingeLoss().update(new Float32Array([1]), new BigInt64Array([2n ** 60n]))).to.throw(
      /^target\[0\] must be a label \(a safe integer\)/,
    );
    expect(() => new HingeLoss().update(new BigInt64Array([1n]) as never, [1])).to.throw(
      /^preds must hold numbers \(decision values\), got a BigInt64Array$/,
    );
  });

  it("ignoreIndex skips samples and does not count them (binary and multiclass)", () => {
    const m = new HingeLoss({ ignoreIndex: -1 }).update([0.25, 0.25, 0.55, 0.75, 0.75], [0, -1, 1, 1, -1]);
    expect(m.samples).to.equal(3);
    expect(m.compute()).to.equal(hingeLoss([0.25, 0.55, 0.75], [0, 1, 1]));
    const mc = new HingeLoss({ ignoreIndex: 1 }).update(ROWS, Y);
    expect(mc.compute()).to.equal(hingeLoss([ROWS[0], ROWS[2]], [0, 2]));
  });

  it("per-sample weights: Σ w·m / Σ w; weight 2 (exact product) equals the sample repeated", () => {
    expect(hingeLoss([0.5, -1], [1, 0], {}, [2, 1])).to.equal(hingeLoss([0.5, 0.5, -1], [1, 1, 0]));
    expect(hingeLoss(ROWS, Y, { multiclassMode: "one-vs-all" }, [1, 0, 2, 1])).to.deep.equal(
      hingeLoss([ROWS[0], ROWS[2], ROWS[2], ROWS[3]], [0, 2, 2, 1], {
        multiclassMode: "one-vs-all",
      }),
    );
  });
});

describe("ragged nested arrays are errors wherever the ragged row is (issue 12, item 2)", () => {
  const ragged = /\(ragged nested array\)/;
  it("an empty first row and a later non-empty row: ragged, for preds, target and weights", () => {
    expect(() => new HingeLoss().update([[], [1, 1]], [0, 1])).to.throw(
      MetricInputError,
      /^preds\[1\] must be an empty row like preds\[0\] \(ragged nested array\), got length 2$/,
    );
    expect(() => new HingeLoss().update([[], [], [new Float32Array(1)]] as never, [0, 1, 0])).to.throw(
      /^preds\[2\] must be an empty row like preds\[0\]/,
    );
    expect(() => new HingeLoss().update([1, 1], [[], [1]] as never)).to.throw(/^target\[1\] .*ragged/);
    expect(() => new HingeLoss().update([1, 1], [0, 1], [[], 3] as never)).to.throw(
      /^weights\[1\] must be an empty row like weights\[0\] \(ragged nested array\), got a number \(3\)$/,
    );
  });
  it("rows that are all empty are still the no-column error, not ragged", () => {
    expect(() => new HingeLoss().update([[], []], [0, 1])).to.throw(
      /at least one column, got shape \[2, 0\]/,
    );
  });
  it("a later row shorter, longer, empty, a number, or a typed row of another length", () => {
    const cases: unknown[] = [
      [[1, 2], []],
      [
        [1, 2],
        [1, 2, 3],
      ],
      [[1, 2], 1],
      [new Float32Array(2), [1, 2, 3]],
      [[1, 2], new Float64Array(1)],
    ];
    for (const preds of cases) {
      expect(() => new HingeLoss().update(preds as never, [0, 1]), JSON.stringify(preds)).to.throw(
        MetricInputError,
        ragged,
      );
    }
  });
  it("typed rows mixed with plain rows of the same length are accepted", () => {
    const mixed = [new Float64Array([-1, 0.9, 0.2]), [0.5, -1.1, 0.8]];
    expect(hingeLoss(mixed as never, [0, 1])).to.equal(hingeLoss([ROWS[0], ROWS[1]], [0, 1]));
  });
  it("deeper nesting in a later row names the element", () => {
    expect(() =>
      new HingeLoss().update(
        [
          [1, 2],
          [[1], 2],
        ] as never,
        [0, 1],
      ),
    ).to.throw(MetricInputError, /^preds\[1\]\[0\] must be a finite number, got an array of length 1$/);
  });
});

describe("a view over a detached ArrayBuffer is an error, not an empty batch (issue 12, item 6)", () => {
  const detach = (buffer: ArrayBuffer): void => void structuredClone(buffer, { transfer: [buffer] });
  const detached = <T extends ArrayBufferView>(make: (b: ArrayBuffer) => T): T => {
    const buffer = new ArrayBuffer(16);
    const view = make(buffer);
    detach(buffer);
    return view;
  };
  const f64 = () => detached((b) => new Float64Array(b));
  const i32 = () => detached((b) => new Int32Array(b));
  const expectDetached = (f: (m: HingeLoss) => unknown, name: string) => {
    const m = new HingeLoss().update([0.5], [1]);
    const before = JSON.stringify(m.toJSON());
    expect(() => f(m)).to.throw(
      MetricInputError,
      new RegExp(
        `^${name.replace(/[[\].]/g, "\\$&")} is a \\w+ over a detached ArrayBuffer \\(it was transferred\\)`,
      ),
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  };
  it("typed preds, target and weights (the typed fast path and the general path)", () => {
    expectDetached((m) => m.update(f64(), i32()), "preds");
    expectDetached((m) => m.update(f64(), new Int32Array(0)), "preds");
    expectDetached((m) => m.update(new Float64Array(0), i32()), "target");
    expectDetached((m) => m.update([], [], f64()), "weights");
    expectDetached((m) => m.forward(f64(), [] as number[]), "preds");
    expectDetached(
      () =>
        hingeLoss(
          new Float64Array(0),
          detached((b) => new BigInt64Array(b)),
        ),
      "target",
    );
  });
  it("{ data, shape }, tfjs dataSync() and a first typed row over a detached buffer", () => {
    expectDetached(() => hingeLoss({ data: f64(), shape: [0] }, []), "preds.data");
    expectDetached(() => hingeLoss({ shape: [0], dataSync: f64 }, []), "preds.data");
    expectDetached(() => hingeLoss([f64(), f64()] as never, [0, 1]), "preds[0]");
    expectDetached(() => hingeLoss([new Float64Array(0), f64()] as never, [0, 1]), "preds[1]");
  });
  it("a DataView (over a detached buffer or not) is not an accepted input", () => {
    expect(() => hingeLoss(detached((b) => new DataView(b)) as never, [])).to.throw(
      MetricInputError,
      /^preds must be an array, a typed array, .* got DataView$/,
    );
  });
  it("an empty typed array over a live buffer stays an empty batch", () => {
    const m = new HingeLoss().update(new Float64Array(0), new Int32Array(0));
    expect(m.samples).to.equal(0);
    expect(() => hingeLoss(new Float64Array(new ArrayBuffer(16), 16), new Int32Array(0))).to.throw(
      /nothing accumulated/,
    );
  });
});

describe("a throwing read while reading an argument's structure is our error (issue 12, fuzz)", () => {
  it("a tfjs-like dataSync() or shape getter that throws: MetricInputError naming the argument", () => {
    const throwing = {
      get shape(): number[] {
        throw new Error("boom");
      },
      dataSync: () => new Float32Array(1),
    };
    expect(() => toTensorView(throwing, "preds")).to.throw(
      MetricInputError,
      /^preds could not be read: reading it threw Error: boom$/,
    );
    expect(() =>
      toTensorView(
        {
          shape: [1],
          dataSync() {
            throw new TypeError("gone");
          },
        },
        "target",
      ),
    ).to.throw(MetricInputError, /^target could not be read: reading it threw TypeError: gone$/);
  });
  it("a Proxy of a valid target whose getPrototypeOf trap throws is read like the array", () => {
    const target = new Proxy([0, 1], {
      getPrototypeOf() {
        throw new Error("trap");
      },
    });
    expect(hingeLoss([0.5, -0.5], target)).to.equal(hingeLoss([0.5, -0.5], [0, 1]));
  });
});

describe("a (N, 1) column read row by row: ragged rows and throwing rows (issue 12)", () => {
  it("a later row of another length says ragged; a throwing row is a MetricInputError naming the argument", () => {
    expect(() => new HingeLoss().update([0.5, 1], [[1], [0, 1]] as never)).to.throw(
      MetricInputError,
      /^target\[1\] must be an array of length 1 like target\[0\] \(ragged nested array\), got length 2$/,
    );
    const rows: unknown[] = [[1], [0]];
    Object.defineProperty(rows, 1, {
      get() {
        throw new Error("boom");
      },
    });
    const m = new HingeLoss().update([0.5], [1]);
    const before = JSON.stringify(m.toJSON());
    expect(() => m.update([[0.5], [1]], rows as never)).to.throw(
      MetricInputError,
      /^target could not be read: reading it threw Error: boom$/,
    );
    expect(JSON.stringify(m.toJSON())).to.equal(before);
  });
});
