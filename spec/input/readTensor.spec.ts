// readTensor, the one reader of tensors (issue 13, item 3): nested arrays of any rank through one walker
// (lib/input/nested.ts), ragged levels named at every depth, empty dims, typed rows, hostile Proxies, the
// storage report (`dtype`) and the options the facades use (`scalar`, `elements: "any"`).
import { expect } from "chai";
import fc from "fast-check";
import { MeanSquaredError, MetricInputError, MulticlassAccuracy, readTensor } from "../../lib/index.js";
import { readDense } from "../../lib/compat/keras/dense.js";
import { readNdArray } from "../../lib/compat/torchmetrics/ndarray.js";

type Nested = number | Nested[];

/** Nested arrays of `shape` holding 0, 1, 2, … in row-major order. */
function build(shape: readonly number[], start = { k: 0 }): Nested {
  if (shape.length === 0) return start.k++;
  return Array.from({ length: shape[0] }, () => build(shape.slice(1), start));
}

/** The element (or level) of `value` at `path`. */
function at(value: Nested, path: readonly number[]): Nested {
  return path.reduce<Nested>((node, i) => (node as Nested[])[i], value);
}

const pathText = (name: string, path: readonly number[]) => name + path.map((i) => `[${i}]`).join("");

function throwsInput(f: () => unknown, message: RegExp | string): void {
  expect(f).to.throw(MetricInputError, message);
}

describe("readTensor: nested arrays of rank 0 to 4", () => {
  it("any shape of rank 0–4 (empty dims included) reads as its row-major elements and its shape", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }), (shape) => {
        const value = build(shape);
        const t = readTensor(value, "preds");
        // JS nesting cannot express a dim after an empty level: the shape ends at the first 0
        const cut = shape.indexOf(0);
        const expected = cut < 0 ? shape : shape.slice(0, cut + 1);
        const size = expected.reduce((a, b) => a * b, 1);
        expect(t.shape).to.deep.equal(expected);
        expect(t.size).to.equal(size);
        expect(Array.from(t.data)).to.deep.equal(Array.from({ length: size }, (_, i) => i));
        expect(t.dtype).to.equal("plain");
      }),
      { numRuns: 200, seed: 13 },
    );
  });

  it("rank 0 and rank 1 keep their contract: a number has shape [], a flat array is read in place", () => {
    expect(readTensor(2.5, "value")).to.deep.equal({ data: [2.5], shape: [], size: 1, dtype: "plain" });
    const flat = [1, 2, 3];
    expect(readTensor(flat, "value").data).to.equal(flat);
    const typed = new Float32Array([1, 2]);
    expect(readTensor(typed, "value").data).to.equal(typed);
  });

  it("rank ≥ 2 is copied into a Float64Array: later changes to the input do not reach it", () => {
    const value = [[[1, 2]], [[3, 4]]];
    const t = readTensor(value, "preds");
    expect(t.data).to.be.instanceOf(Float64Array);
    value[1][0][1] = 99;
    expect(Array.from(t.data)).to.deep.equal([1, 2, 3, 4]);
  });

  it("rows at the innermost level may be typed arrays of any kind, mixed with plain rows", () => {
    const t = readTensor(
      [
        [new Float32Array([0.5, 1]), [2, 3]],
        [new Int8Array([-4, 5]), new BigInt64Array([6n, -7n])],
      ],
      "preds",
    );
    expect(t.shape).to.deep.equal([2, 2, 2]);
    expect(Array.from(t.data)).to.deep.equal([0.5, 1, 2, 3, -4, 5, 6, -7]);
  });

  it("typed rows of [N, C] and the flat typed form agree", () => {
    const rows = [new Float64Array([0.1, 0.2]), new Float64Array([0.3, 0.4])];
    const flat = readTensor({ data: new Float64Array([0.1, 0.2, 0.3, 0.4]), shape: [2, 2] }, "preds");
    const nested = readTensor(rows, "preds");
    expect([nested.shape, Array.from(nested.data)]).to.deep.equal([flat.shape, Array.from(flat.data)]);
  });
});

describe("readTensor: ragged nested arrays, at every depth, name the position and the length expected", () => {
  it("a level one longer or shorter than its first sibling, at any depth of a rank-2–4 array", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        fc.boolean(),
        (shape, depthSeed, indexSeed, longer) => {
          const depth = 1 + (depthSeed % (shape.length - 1)); // the level to spoil: 1 … rank-1
          // its path: last siblings (never all zeros, so that the reference [0]…[0] stays intact)
          const path = shape.slice(0, depth).map((d, i) => (i === 0 ? d - 1 : indexSeed % d));
          if (path.every((i) => i === 0)) return; // a one-element first level has no later sibling
          const value = build(shape);
          const parent = at(value, path.slice(0, -1)) as Nested[];
          const level = parent[path[path.length - 1]] as Nested[];
          const spoiled = longer ? [...level, level[0]] : level.slice(1);
          parent[path[path.length - 1]] = spoiled;
          throwsInput(
            () => readTensor(value, "preds"),
            `${pathText("preds", path)} must be an array of length ${shape[depth]} like preds${"[0]".repeat(depth)} (ragged nested array), got an array of length ${spoiled.length}`,
          );
        },
      ),
      { numRuns: 200, seed: 1302 },
    );
  });

  it("a scalar where a level is expected, and a level where a scalar is expected", () => {
    throwsInput(
      () => readTensor([[1, 2], 3], "preds"),
      /^preds\[1\] must be an array of length 2 like preds\[0\] \(ragged nested array\), got 3$/,
    );
    throwsInput(
      () =>
        readTensor(
          [
            [[1], [2]],
            [3, [4]],
          ],
          "preds",
        ),
      /^preds\[1\]\[0\] must be an array of length 1 like preds\[0\]\[0\] \(ragged nested array\), got 3$/,
    );
    throwsInput(
      () => readTensor([1, [2]], "preds"),
      /^preds\[1\] must be a scalar like preds\[0\] \(ragged nested array\), got an array of length 1$/,
    );
    throwsInput(
      () => readTensor([[[1, [2]]]], "preds"),
      /^preds\[0\]\[0\]\[1\] must be a scalar like preds\[0\]\[0\]\[0\] \(ragged nested array\), got an array of length 1$/,
    );
    throwsInput(
      () => readTensor([[1, 2], new Float32Array(3)], "preds"),
      /^preds\[1\] must be an array of length 2 like preds\[0\] \(ragged nested array\), got a Float32Array of length 3$/,
    );
  });

  it("empty dims: all-empty levels are an empty tensor; a later non-empty one is ragged", () => {
    expect(readTensor([], "preds").shape).to.deep.equal([0]);
    expect(readTensor([[], []], "preds").shape).to.deep.equal([2, 0]);
    expect(readTensor([[[]], [[]]], "preds").shape).to.deep.equal([2, 1, 0]);
    throwsInput(
      () => readTensor([[], [1, 1]], "preds"),
      /^preds\[1\] must be an array of length 0 like preds\[0\] \(ragged nested array\), got an array of length 2$/,
    );
    throwsInput(
      () => readTensor([[[]], [[1]]], "preds"),
      /^preds\[1\]\[0\] must be an array of length 0 like preds\[0\]\[0\] \(ragged nested array\), got an array of length 1$/,
    );
    throwsInput(
      () => readTensor([[[], []], [[]]], "preds"),
      /^preds\[1\] must be an array of length 2 like preds\[0\] \(ragged nested array\)/,
    );
  });
});

describe("readTensor: elements, finiteness, BigInts and detached buffers", () => {
  it("a non-number leaf names its position at any depth; NaN too unless finite: false", () => {
    throwsInput(() => readTensor([[[1, "2"]]], "preds"), /^preds\[0\]\[0\]\[1\] must be a number, got "2"$/);
    throwsInput(() => readTensor([[1, null]], "target"), /^target\[0\]\[1\] must be a number, got null$/);
    throwsInput(() => readTensor([1, {}], "value"), /^value\[1\] must be a number, got an object$/);
    throwsInput(
      () => readTensor([[[[0, 1]], [[2, NaN]]]], "preds"),
      /^preds\[0\]\[1\]\[0\]\[1\] must be a finite number, got NaN$/,
    );
    expect(readTensor([[[[0, 1]], [[2, NaN]]]], "preds", { finite: false }).size).to.equal(4);
    throwsInput(() => readTensor(Infinity, "value"), /^value must be a finite number, got Infinity$/);
  });

  it("a BigInt in a plain array is refused; BigInt typed arrays and rows are converted (safe integers only)", () => {
    throwsInput(
      () => readTensor([[0, 1n]], "target"),
      /^target\[0\]\[1\] is a bigint \(1n\): in a plain array/,
    );
    throwsInput(() => readTensor({ data: [0, 1n], shape: [2] }, "target"), /^target\[1\] is a bigint \(1n\)/);
    const t = readTensor(new BigInt64Array([2n, -3n]), "target");
    expect([Array.from(t.data), t.dtype]).to.deep.equal([[2, -3], "bigint"]);
    throwsInput(
      () => readTensor({ data: new BigUint64Array([1n, 2n ** 60n]), shape: [1, 2] }, "target"),
      /^target\[0\]\[1\] must be a safe integer \(\|x\| ≤ 2\^53 - 1\), got 1152921504606846976n$/,
    );
    throwsInput(
      () => readTensor([new BigInt64Array([1n]), new BigInt64Array([-(2n ** 60n)])], "target"),
      /^target\[1\]\[0\] must be a safe integer/,
    );
  });

  it("a typed row over a detached buffer is an error, not an empty row", () => {
    const buffer = new ArrayBuffer(8);
    const row = new Float64Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    throwsInput(
      () => readTensor([row], "preds"),
      /^preds\[0\] is a Float64Array over a detached ArrayBuffer/,
    );
    throwsInput(() => readTensor([[], row], "preds"), /^preds\[1\] is a Float64Array over a detached/);
  });

  it("dtype reports the storage: float, int, bigint, plain (tensor forms included)", () => {
    const dtypes = [
      new Float32Array(1),
      new Uint8Array(1),
      new BigUint64Array(1),
      [0],
      [[0]],
      { data: new Int32Array(2), shape: [1, 2] },
      { shape: [2], dataSync: () => new Float64Array(2) },
      { data: [1, 2], dims: [2n] },
    ].map((v) => readTensor(v, "x").dtype);
    expect(dtypes).to.deep.equal(["float", "int", "bigint", "plain", "plain", "int", "float", "plain"]);
  });
});

describe("readTensor: hostile structures are MetricInputErrors naming the argument and the position", () => {
  const trapAt = <T extends object>(target: T, key: string) =>
    new Proxy(target, {
      get(t, k, r) {
        if (k === key) throw new Error("trap");
        return Reflect.get(t, k, r) as unknown;
      },
    });

  it("a get trap or getter that throws, at each depth, names where it was read", () => {
    throwsInput(
      () => readTensor(trapAt([1, 2], "1"), "preds"),
      /^preds\[1\] could not be read: reading it threw Error: trap$/,
    );
    throwsInput(
      () => readTensor([[1, 2], trapAt([3, 4], "0")], "preds"),
      /^preds\[1\]\[0\] could not be read: reading it threw Error: trap$/,
    );
    throwsInput(
      () => readTensor([[[1]], [trapAt([2], "0")]], "preds"),
      /^preds\[1\]\[0\]\[0\] could not be read: reading it threw Error: trap$/,
    );
    throwsInput(
      () => readTensor([[1], trapAt([2], "length")], "preds"),
      /^preds\[1\] could not be read: reading it threw Error: trap$/,
    );
    throwsInput(
      () => readTensor(trapAt([[1]], "length"), "preds"),
      /^preds could not be read: reading it threw Error: trap$/,
    );
    const getter = Object.defineProperty([[1], [2]], 1, {
      get() {
        throw new TypeError("boom");
      },
    });
    throwsInput(
      () => readTensor(getter, "target"),
      /^target\[1\] could not be read: reading it threw TypeError: boom$/,
    );
    throwsInput(
      () =>
        readTensor(
          [
            [1, 2],
            [3, 4],
          ],
          "x",
          { elements: "any" },
        ) && readTensor([trapAt(["a"], "0")], "y", { elements: "any" }),
      /^y\[0\]\[0\] could not be read/,
    );
  });

  it("a getter that throws once, inside number[][] rows, names the argument (the second, careful walk reads it fine)", () => {
    let first = true;
    const row = Object.defineProperty([1, 2], 1, {
      get() {
        if (first) {
          first = false;
          throw new Error("once");
        }
        return 2;
      },
    });
    throwsInput(
      () => readTensor([[0, 0], row], "preds"),
      /^preds could not be read: reading it threw Error: once$/,
    );
    expect(Array.from(readTensor([[0, 0], row], "preds").data)).to.deep.equal([0, 0, 1, 2]);
  });

  it("a Proxy that lies about its length is refused, whatever it claims", () => {
    const liar = (length: unknown) =>
      new Proxy([[1], [2]], {
        get(t, k, r) {
          return k === "length" ? length : (Reflect.get(t, k, r) as unknown);
        },
      });
    throwsInput(
      () => readTensor(liar(3), "preds"),
      /^preds\[2\] must be an array of length 1 like preds\[0\] \(ragged nested array\), got undefined$/,
    );
    throwsInput(() => readTensor(liar(-1), "preds"), /^preds has a length that is not a count: -1$/);
    throwsInput(() => readTensor(liar("2"), "preds"), /^preds has a length that is not a count: "2"$/);
    throwsInput(
      () => readTensor([[1, 2], liar(2)], "preds"),
      /^preds\[1\]\[0\] must be a scalar like preds\[0\]\[0\] \(ragged nested array\), got an array of length 1$/,
    );
  });

  it("Proxies whose unused traps throw (getPrototypeOf, ownKeys) read like their target, at any depth", () => {
    const quiet = <T extends object>(target: T) =>
      new Proxy(target, {
        getPrototypeOf() {
          throw new Error("proto trap");
        },
        ownKeys() {
          throw new Error("keys trap");
        },
      });
    const t = readTensor(quiet([quiet([quiet([1, 2])]), quiet([quiet([3, 4])])]), "preds");
    expect([t.shape, Array.from(t.data)]).to.deep.equal([
      [2, 1, 2],
      [1, 2, 3, 4],
    ]);
    expect(Array.from(readDense(quiet([quiet([1]), [2]]), "yTrue").data)).to.deep.equal([1, 2]);
    expect(readNdArray(quiet([quiet(["a"]), ["b"]]), "yTrue").data).to.deep.equal(["a", "b"]);
  });
});

describe("readTensor options for the facades: scalar and elements", () => {
  it("scalar: false refuses a plain number (readDense without allowScalar, readNdArray)", () => {
    throwsInput(
      () => readTensor(3, "yTrue", { scalar: false }),
      /^yTrue must be an array or a tensor, got the number 3$/,
    );
    throwsInput(() => readNdArray(0.5, "preds"), /^preds must be an array or a tensor, got the number 0.5$/);
    expect(readDense(2, "sampleWeight", true).shape).to.deep.equal([]);
  });

  it('elements: "any" checks the structure only: strings pass, BigInt typed arrays stay, plain BigInts are refused', () => {
    const t = readTensor(
      [
        ["b", "a"],
        [true, null],
      ],
      "yTrue",
      { elements: "any" },
    );
    expect([t.shape, t.data]).to.deep.equal([
      [2, 2],
      ["b", "a", true, null],
    ]);
    const big = new BigInt64Array([1n, 2n]);
    expect(readTensor(big, "yTrue", { elements: "any" }).data).to.equal(big);
    throwsInput(() => readTensor(["a", 1n], "yTrue", { elements: "any" }), /^yTrue\[1\] is a bigint \(1n\)/);
    throwsInput(
      () => readTensor({ data: ["a", 1n], shape: [2] }, "yTrue", { elements: "any" }),
      /^yTrue\[1\] is a bigint \(1n\)/,
    );
    throwsInput(
      () => readTensor([["a"], ["b", "c"]], "yTrue", { elements: "any" }),
      /^yTrue\[1\] must be an array of length 1 like yTrue\[0\] \(ragged nested array\)/,
    );
    expect(readTensor({ data: ["x", 2], shape: [2] }, "y", { elements: "any" }).data).to.deep.equal(["x", 2]);
  });

  it("readDense copies whatever it is given, so the Keras facade may own its data", () => {
    const typed = new Float32Array([1, 2]);
    const d = readDense(typed, "yPred");
    expect(d.data).to.be.instanceOf(Float64Array);
    d.data[0] = 5;
    expect(typed[0]).to.equal(1);
    const flat = [1, 2];
    readDense(flat, "yPred").data[0] = 5;
    expect(flat[0]).to.equal(1);
  });

  it("readDense reads a flat plain array twice: a getter that answers differently the second time is caught", () => {
    let reads = 0;
    const fickle = Object.defineProperty([1, 2], 1, {
      get() {
        reads++;
        return reads === 1 ? 2 : "2";
      },
    });
    throwsInput(() => readDense(fickle, "yTrue"), /^yTrue\[1\] changed while it was read$/);
  });
});

describe("metrics built on readTensor take nested arrays of rank 3 as their { data, shape } form", () => {
  it("MulticlassAccuracy (N, C, L) and MeanSquaredError (N, 1, 2), nested or flat, agree", () => {
    const scores = [
      [
        [0.1, 0.8],
        [0.7, 0.1],
        [0.2, 0.1],
      ],
      [
        [0.5, 0.2],
        [0.3, 0.3],
        [0.2, 0.5],
      ],
    ];
    const target = [
      [1, 0],
      [0, 2],
    ];
    const nested = new MulticlassAccuracy({ numClasses: 3 }).update(scores, target).compute();
    const flat = new MulticlassAccuracy({ numClasses: 3 })
      .update({ data: scores.flat(2), shape: [2, 3, 2] }, { data: target.flat(), shape: [2, 2] })
      .compute();
    expect(nested).to.equal(flat);
    const p = [[[1, 2]], [[3, 4]]];
    const t = [[[1, 2]], [[3, 5]]];
    expect(new MeanSquaredError().update(p, t).compute()).to.equal(
      new MeanSquaredError()
        .update({ data: p.flat(2), shape: [2, 1, 2] }, { data: t.flat(2), shape: [2, 1, 2] })
        .compute(),
    );
    expect(new MeanSquaredError().update(p, t).compute()).to.equal(0.25);
  });
});
