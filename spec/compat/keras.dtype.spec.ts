import { expect } from "chai";
import {
  BFLOAT16_MAX,
  FLOAT16_MAX,
  arithmetic,
  roundTo,
  toBfloat16,
  toFloat16,
} from "../../lib/compat/keras/dtype.js";
import { prng } from "../support/prng.js";
import { MetricInputError } from "../../lib/index.js";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  SquaredHinge,
  metrics,
} from "../../lib/compat/keras/index.js";
import { docYPred, docYTrue } from "./keras.fixtures.js";

// An independent oracle: decode every bit pattern of the 16-bit format into its value (sorted, with its bit
// pattern), then round by searching the nearest value, ties to the even bit pattern. The next power of two
// above the largest finite value stands for Infinity (its significand is even, so the midpoint overflows).
interface Table {
  values: Float64Array;
  even: Uint8Array;
}
function table(decode: (bits: number) => number): Table {
  const list: [number, number][] = [];
  for (let bits = 0; bits < 0x8000; bits++) {
    const v = decode(bits);
    if (Number.isFinite(v)) list.push([v, bits]);
  }
  list.sort((a, b) => a[0] - b[0]);
  const top = list[list.length - 1];
  list.push([2 * 2 ** Math.floor(Math.log2(top[0])), top[1] + 1]);
  return {
    values: Float64Array.from(list, (e) => e[0]),
    even: Uint8Array.from(list, (e) => (e[1] % 2 === 0 ? 1 : 0)),
  };
}
function oracle(t: Table, x: number): number {
  if (x === 0 || Number.isNaN(x)) return x;
  const a = Math.abs(x);
  const last = t.values.length - 1;
  let v: number;
  if (a >= t.values[last]) v = Infinity;
  else {
    let lo = 0;
    let hi = last; // values[lo] <= a < values[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (t.values[mid] <= a) lo = mid;
      else hi = mid;
    }
    const dLo = a - t.values[lo];
    const dHi = t.values[hi] - a;
    const pick = dLo < dHi ? lo : dHi < dLo ? hi : t.even[lo] ? lo : hi;
    v = pick === last ? Infinity : t.values[pick];
  }
  return x < 0 ? -v : v;
}
const f16 = table((bits) => {
  const e = (bits >> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0x1f) return m === 0 ? Infinity : NaN;
  return e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
});
const bf16 = table((bits) => new Float32Array(new Uint32Array([bits << 16]).buffer)[0]);

function probes(t: Table, seed: number): number[] {
  const rnd = prng(seed);
  const out: number[] = [];
  for (let i = 0; i + 1 < t.values.length; i += 7) {
    const a = t.values[i];
    const b = t.values[i + 1];
    const mid = a + (b - a) / 2; // exact: both are far from float64's limits
    out.push(a, mid, mid * (1 + 2 ** -40), mid * (1 - 2 ** -40), a + (b - a) * rnd());
  }
  for (let i = 0; i < 2000; i++) out.push((rnd() - 0.5) * 2 ** Math.floor(rnd() * 80 - 40));
  return out;
}

describe("keras dtype: correctly rounded float16 / bfloat16", () => {
  it("float16 agrees with the table oracle on every 7th value, midpoints, near-midpoints and random values", () => {
    for (const x of probes(f16, 16)) {
      expect(Object.is(toFloat16(x), oracle(f16, x)), `toFloat16(${x})`).to.equal(true);
      expect(Object.is(toFloat16(-x), oracle(f16, -x)), `toFloat16(${-x})`).to.equal(true);
    }
  });
  it("bfloat16 agrees with the table oracle likewise", () => {
    for (const x of probes(bf16, 32)) {
      expect(Object.is(toBfloat16(x), oracle(bf16, x)), `toBfloat16(${x})`).to.equal(true);
      expect(Object.is(toBfloat16(-x), oracle(bf16, -x)), `toBfloat16(${-x})`).to.equal(true);
    }
  });
  it("float16 boundaries: max finite, overflow at the midpoint 65520, subnormals, ties to even", () => {
    expect(FLOAT16_MAX).to.equal(65504);
    expect(toFloat16(65504)).to.equal(65504);
    expect(toFloat16(65519.99)).to.equal(65504);
    expect(toFloat16(65520)).to.equal(Infinity);
    expect(toFloat16(-65520)).to.equal(-Infinity);
    expect(toFloat16(1e300)).to.equal(Infinity);
    expect(toFloat16(2 ** -14)).to.equal(2 ** -14); // smallest normal
    expect(toFloat16(1023 * 2 ** -24)).to.equal(1023 * 2 ** -24); // largest subnormal
    expect(toFloat16(2 ** -24)).to.equal(2 ** -24); // smallest subnormal
    expect(Object.is(toFloat16(2 ** -25), 0)).to.equal(true); // tie between 0 and 2^-24: to even (0)
    expect(Object.is(toFloat16(-(2 ** -25)), -0)).to.equal(true); // keeps the sign
    expect(toFloat16(2 ** -25 * (1 + 2 ** -30))).to.equal(2 ** -24);
    expect(toFloat16(3 * 2 ** -25)).to.equal(2 ** -23); // tie between 1·2^-24 and 2·2^-24: to even
    expect(toFloat16(1 + 2 ** -11)).to.equal(1); // tie: 1 is even
    expect(toFloat16(1 + 3 * 2 ** -11)).to.equal(1 + 2 ** -9); // tie: to the even neighbour above
    expect(toFloat16(2049)).to.equal(2048); // integers above 2048 are spaced by 2, tie to even
    expect(toFloat16(2051)).to.equal(2052);
    expect(Object.is(toFloat16(-0), -0)).to.equal(true);
    expect(Number.isNaN(toFloat16(NaN))).to.equal(true);
    expect(toFloat16(-Infinity)).to.equal(-Infinity);
  });
  it("bfloat16 boundaries: max finite, overflow, subnormals, ties to even, no double rounding via float32", () => {
    expect(BFLOAT16_MAX).to.equal(3.3895313892515355e38);
    expect(toBfloat16(BFLOAT16_MAX)).to.equal(BFLOAT16_MAX);
    const ulpMax = 2 ** (127 - 7);
    expect(toBfloat16(BFLOAT16_MAX + ulpMax / 2)).to.equal(Infinity); // the midpoint overflows
    expect(toBfloat16(BFLOAT16_MAX + ulpMax / 2 - 2 ** 100)).to.equal(BFLOAT16_MAX);
    expect(toBfloat16(2 ** -133)).to.equal(2 ** -133); // smallest subnormal
    expect(toBfloat16(2 ** -134)).to.equal(0); // tie to even
    expect(toBfloat16(3 * 2 ** -134)).to.equal(2 ** -132);
    expect(toBfloat16(1 + 2 ** -8)).to.equal(1);
    expect(toBfloat16(1 + 3 * 2 ** -8)).to.equal(1 + 2 ** -6);
    expect(toBfloat16(255)).to.equal(255);
    expect(toBfloat16(257)).to.equal(256); // 256 + 1: a tie, to even
    // 1 + 2^-8 + 2^-30 is just above the tie: float32 would round it to 1 + 2^-8 (a tie) and then to 1;
    // the direct rounding gives 1 + 2^-7.
    expect(toBfloat16(1 + 2 ** -8 + 2 ** -30)).to.equal(1 + 2 ** -7);
    expect(toBfloat16(Math.fround(1 + 2 ** -8 + 2 ** -30))).to.equal(1);
  });
  it("roundTo: fround for float32, identity for float64", () => {
    const rnd = prng(7);
    for (let i = 0; i < 1000; i++) {
      const x = (rnd() - 0.5) * 10 ** Math.floor(rnd() * 20 - 10);
      expect(roundTo("float32")(x)).to.equal(Math.fround(x));
      expect(roundTo("float64")(x)).to.equal(x);
      expect(roundTo("float16")(x)).to.equal(toFloat16(x));
      expect(roundTo("bfloat16")(x)).to.equal(toBfloat16(x));
    }
  });
  it("arithmetic: a mean accumulates in float32 and rounds once to the half-precision dtype", () => {
    // (1.6015625 + 0.59765625) / 2 = 1.099609375, which is a tie-free bfloat16 rounding to 1.1015625
    expect(arithmetic("bfloat16").mean(1.6015625 + 0.59765625, 2)).to.equal(1.1015625);
    expect(arithmetic("float64").mean(2.6, 2)).to.equal(1.3);
    expect(arithmetic("float32").mean(2.6, 2)).to.equal(Math.fround(Math.fround(2.6) / 2));
    expect(arithmetic("float16").sum(0.1)).to.equal(toFloat16(Math.fround(0.1)));
  });
});

const isIn = (dtype: "float16" | "bfloat16", v: number) =>
  (dtype === "float16" ? toFloat16(v) : toBfloat16(v)) === v;

describe("keras dtype: losses and metrics compute in their dtype (losses_test.py test_dtype_arg)", () => {
  const yTrue = docYTrue;
  const yPred = docYPred;
  it("Hinge(dtype='bfloat16'): the dtype is reported and the value is a bfloat16, derived step by step", () => {
    // Keras casts y_pred to bfloat16: 0.6 → 0.6015625, 0.4 → 0.400390625; labels 0/1 → -1/1.
    // sample 0: 1 + 0.6015625 = 1.6015625; 1 - 0.400390625 = 0.599609375 → 0.6015625 (tie, to even);
    //           mean (1.6015625 + 0.6015625) / 2 = 1.1015625
    // sample 1: 1 + 0.400390625 = 1.400390625 → 1.3984375; 1 + 0.6015625 = 1.6015625; mean 1.5
    // sum 2.6015625 → 2.59375 (tie, to even); / 2 → 1.296875
    const loss = new Hinge({ dtype: "bfloat16" });
    expect(loss.dtype).to.equal("bfloat16");
    expect(loss.call(yTrue, yPred)).to.deep.equal([1.1015625, 1.5]);
    expect(loss.compute(yTrue, yPred)).to.equal(1.296875);
    expect(loss.getConfig()).to.deep.equal({
      name: "hinge",
      reduction: "sum_over_batch_size",
      dtype: "bfloat16",
    });
  });
  it("every loss class gives a value of its dtype for bfloat16 and float16", () => {
    const circleIn: [number[], number[][]] = [
      [0, 0, 1],
      [
        [1, 0],
        [0.6, 0.8],
        [0, 1],
      ],
    ];
    for (const dtype of ["bfloat16", "float16"] as const) {
      const values = [
        new Hinge({ dtype }).compute(yTrue, yPred),
        new SquaredHinge({ dtype }).compute(yTrue, yPred),
        new CategoricalHinge({ dtype }).compute(yTrue, yPred),
        new CategoricalGeneralizedCrossEntropy({ dtype }).compute([0, 1], yPred),
        new Circle({ dtype, gamma: 2 }).compute(...circleIn),
      ] as number[];
      for (const v of values) {
        expect(typeof v).to.equal("number");
        expect(isIn(dtype, v), `${v} is a ${dtype}`).to.equal(true);
      }
    }
    // SquaredHinge in bfloat16: 1.6015625² = 2.56500244 → 2.5625, 0.6015625² = 0.36187744 → 0.361328125;
    // mean 1.4619140625 → 1.4609375; sample 1: 1.3984375² → 1.953125, 1.6015625² → 2.5625, mean 2.2578125 →
    // 2.25 (tie, to even); sum 3.7109375 → 3.71875 (tie, to even); / 2 = 1.859375
    expect(new SquaredHinge({ dtype: "bfloat16" }).compute(yTrue, yPred)).to.equal(1.859375);
  });
  it("metrics: dtype reported, results of the dtype; the values are computed in float32 and cast", () => {
    for (const dtype of ["bfloat16", "float16"] as const) {
      const m = new metrics.Hinge({ dtype }).updateState(yTrue, yPred);
      expect(m.dtype).to.equal(dtype);
      expect(isIn(dtype, m.result())).to.equal(true);
      expect(m.getConfig()).to.deep.equal({ name: "hinge", dtype });
    }
    // float32 per-sample values 1.100000023841858 and 1.5 cast to bfloat16: 1.1015625 and 1.5; total 2.6015625,
    // rounded to the dtype 2.59375; count 2; 2.59375 / 2 = 1.296875
    expect(new metrics.Hinge({ dtype: "bfloat16" }).updateState(yTrue, yPred).result()).to.equal(1.296875);
  });
  it("a value that overflows the dtype is an error (Keras would carry an infinity)", () => {
    expect(() => new Hinge({ dtype: "float16" }).compute([[1]], [[70000]])).to.throw(
      MetricInputError,
      "yPred[0][0] = 70000 overflows float16: use a wider dtype",
    );
  });
});

describe("keras dtype: integer labels the dtype cannot hold", () => {
  it("GCE and Circle in bfloat16: label 257 would become 256 in Keras (classes merged); an error here", () => {
    const probs = [[...Array(300)].map((_, k) => (k === 257 ? 1 : 0))];
    expect(() =>
      new CategoricalGeneralizedCrossEntropy({ dtype: "bfloat16" }).compute([257], probs),
    ).to.throw(
      MetricInputError,
      "yTrue[0] = 257 is not exact in bfloat16 (Keras casts labels to the dtype first and would read 256, merging two classes): use float32 or float64",
    );
    expect(new CategoricalGeneralizedCrossEntropy({ dtype: "float32" }).compute([257], probs)).to.equal(0);
    expect(new CategoricalGeneralizedCrossEntropy({ dtype: "bfloat16" }).compute([256], probs)).to.equal(2);
    const emb = [
      [1, 0],
      [0, 1],
    ];
    expect(() => new Circle({ dtype: "float16" }).compute([2049, 2048], emb)).to.throw(
      MetricInputError,
      /^yTrue\[0\] = 2049 is not exact in float16/,
    );
    expect(new Circle({ dtype: "float16" }).compute([2050, 2048], emb)).to.equal(0);
  });
});

describe("keras dtype: metric states stay exact in every dtype", () => {
  it("bfloat16 and float16 metrics: merge of parts = the whole, bit for bit; result rounded once", () => {
    for (const dtype of ["bfloat16", "float16"] as const) {
      const rows: [number[], number[], number][] = [];
      for (let i = 0; i < 30; i++)
        rows.push([[i % 2, 1 - (i % 2)], [Math.sin(i), Math.cos(i * 0.7)], 1 + (i % 4)]);
      const whole = new metrics.SquaredHinge({ dtype });
      for (const [t, p, w] of rows) whole.updateState([t], [p], [w]);
      const a = new metrics.SquaredHinge({ dtype });
      const b = new metrics.SquaredHinge({ dtype });
      rows.forEach(([t, p, w], i) => (i % 3 === 0 ? a : b).updateState([t], [p], [w]));
      const merged = b.merge(JSON.parse(JSON.stringify(a)));
      expect(merged.toJSON()).to.deep.equal(whole.toJSON());
      expect(Object.is(merged.result(), whole.result())).to.equal(true);
      expect(isIn(dtype, whole.result())).to.equal(true);
      // the count is exact: 30 samples weighted 1..4 (Keras's bfloat16 count would stop growing at 256)
      expect(whole.count).to.equal(8 * 1 + 8 * 2 + 7 * 3 + 7 * 4);
    }
  });
});
