// Shared generators and the BigInt reference for the state property specs.
import fc from "fast-check";
import { expect } from "chai";
import { HingeLoss, type HingeLossOptions } from "../../lib/index.js";
import { roundQuotient, scaledFromDouble } from "../../lib/state/index.js";

/** One of the three hinge-loss forms. */
export type Mode = "binary" | "crammer-singer" | "one-vs-all";

/** A data set for one metric configuration. */
export interface Data {
  mode: Mode;
  squared: boolean;
  C: number;
  preds: number[] | number[][];
  target: number[];
  weights: number[] | null;
}

/** `±(1 + f) · 2^e` for e in [-1074, maxExp]: every binade from the subnormals up. */
export function logUniform(maxExp: number, signed = true): fc.Arbitrary<number> {
  return fc
    .tuple(fc.boolean(), fc.integer({ min: -1074, max: maxExp }), fc.integer({ min: 0, max: 2 ** 52 - 1 }))
    .map(([neg, e, frac]) => {
      const v = (1 + frac / 2 ** 52) * 2 ** e;
      return signed && neg ? -v : v;
    });
}

/** Scores: ordinary values, any binade (incl. subnormals and values ≥ 2^32), and edge constants. */
export function score(maxExp: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
    { weight: 3, arbitrary: logUniform(maxExp) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        0,
        1,
        -1,
        2 ** 32,
        -(2 ** 32),
        2 ** 32 + 0.5,
        2 ** -24,
        3 * 2 ** -80,
        Number.MIN_VALUE,
        -(2 ** 53),
        2 ** -1022,
        1 + 2 ** -52,
      ),
    },
  );
}

/** Non-negative weights: 0, ordinary, tiny (below 2^-24, subnormal), large (≥ 2^32). */
export function weight(maxExp: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.double({ min: 0, max: 10, noNaN: true }) },
    { weight: 3, arbitrary: logUniform(maxExp, false) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 0.1, 2 ** 32, 2 ** -30, 3 * 2 ** -77, Number.MIN_VALUE) },
  );
}

/** A random configuration and data set of 1..maxN samples, with magnitudes bounded so nothing overflows. */
export function dataset(
  maxN = 12,
  modes: Mode[] = ["binary", "crammer-singer", "one-vs-all"],
): fc.Arbitrary<Data> {
  return fc
    .record({
      mode: fc.constantFrom(...modes),
      squared: fc.boolean(),
      weighted: fc.boolean(),
      C: fc.integer({ min: 2, max: 4 }),
      n: fc.integer({ min: 1, max: maxN }),
    })
    .chain(({ mode, squared, weighted, C, n }) => {
      // Keep w · m (or w · m²) below 2^1010: m ≤ 1 + 2 · 2^(maxExp + 1), w ≤ 2^501.
      const maxExp = squared ? (weighted ? 240 : 500) : weighted ? 500 : 1000;
      const row: fc.Arbitrary<number | number[]> =
        mode === "binary" ? score(maxExp) : fc.array(score(maxExp), { minLength: C, maxLength: C });
      const label = mode === "binary" ? fc.constantFrom(0, 1, -1) : fc.integer({ min: 0, max: C - 1 });
      return fc.record({
        mode: fc.constant(mode),
        squared: fc.constant(squared),
        C: fc.constant(mode === "binary" ? 1 : C),
        preds: fc.array(row, { minLength: n, maxLength: n }) as fc.Arbitrary<number[] | number[][]>,
        target: fc.array(label, { minLength: n, maxLength: n }),
        weights: weighted ? fc.array(weight(500), { minLength: n, maxLength: n }) : fc.constant(null),
      });
    });
}

/** Options of a data set's metric. */
export function optionsOf(d: Pick<Data, "mode" | "squared">): HingeLossOptions {
  return {
    squared: d.squared,
    multiclassMode: d.mode === "one-vs-all" ? "one-vs-all" : "crammer-singer",
  };
}

/** Per-sample contributions `w · m` (or `w · m²`), one array per measure, computed as DESIGN §2 states. */
export function contributions(d: Data): number[][] {
  const k = d.mode === "one-vs-all" ? d.C : 1;
  const out = Array.from({ length: k }, () => [] as number[]);
  const hinge = (m: number): number => {
    const h = Math.max(0, m);
    return d.squared ? h * h : h;
  };
  d.target.forEach((t, i) => {
    const w = d.weights === null ? 1 : d.weights[i];
    if (d.mode === "binary") {
      const y = t === 1 ? 1 : -1;
      out[0].push(w * hinge(1 - y * (d.preds as number[])[i]));
    } else {
      const row = (d.preds as number[][])[i];
      if (d.mode === "crammer-singer") {
        let max = -Infinity;
        row.forEach((v, j) => {
          if (j !== t && v > max) max = v;
        });
        out[0].push(w * hinge(1 - (row[t] - max)));
      } else {
        row.forEach((v, c) => out[c].push(w * hinge(1 - (c === t ? 1 : -1) * v)));
      }
    }
  });
  return out;
}

/** The BigInt reference: correctly rounded quotient of the exact sums; `null` when Σ w = 0. */
export function reference(d: Data): number | number[] | null {
  const total = (d.weights ?? d.target.map(() => 1)).reduce((s, w) => s + scaledFromDouble(w), 0n);
  if (total === 0n) return null;
  const values = contributions(d).map((cs) =>
    roundQuotient(
      cs.reduce((s, c) => s + scaledFromDouble(c), 0n),
      total,
    ),
  );
  return d.mode === "one-vs-all" ? values : values[0];
}

/** Samples `[start, end)` of a data set. */
export function slice(d: Data, start: number, end: number): Data {
  return {
    ...d,
    preds: d.preds.slice(start, end) as number[] | number[][],
    target: d.target.slice(start, end),
    weights: d.weights === null ? null : d.weights.slice(start, end),
  };
}

/** A metric that saw `d` in one update. */
export function singlePass(d: Data): HingeLoss {
  return new HingeLoss(optionsOf(d)).update(d.preds, d.target, d.weights ?? undefined);
}

/** Cut points (sorted, within [0, n]) → consecutive batches. */
export function batches(d: Data, cuts: number[]): Data[] {
  const n = d.target.length;
  const points = [0, ...cuts.map((c) => c % (n + 1)).sort((a, b) => a - b), n];
  const out: Data[] = [];
  for (let i = 1; i < points.length; i++) out.push(slice(d, points[i - 1], points[i]));
  return out;
}

/** A round trip through JSON text. */
export function viaJSON<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Merges the metrics pairwise in a random tree (the picks choose which two, in which order, and whether the
 * second one travels as a metric or as JSON text).
 */
export function mergeTree(parts: HingeLoss[], picks: number[]): HingeLoss {
  let pool = parts.slice();
  let k = 0;
  while (pool.length > 1) {
    const r = picks[k % picks.length] + k;
    k++;
    const i = r % pool.length;
    let j = Math.floor(r / 7) % (pool.length - 1);
    if (j >= i) j++;
    const into = pool[i];
    const from = pool[j];
    const merged =
      r % 3 === 0
        ? HingeLoss.fromJSON(viaJSON(into.toJSON())).merge(viaJSON(from.toJSON()))
        : r % 3 === 1
          ? into.clone().merge(from)
          : into.clone().merge(viaJSON(from.toJSON()));
    pool = pool.filter((_, x) => x !== i && x !== j);
    pool.push(merged);
  }
  return pool[0];
}

/** Bit equality of two metric values (`Object.is` on every number). */
export function expectSameBits(actual: unknown, expected: unknown): void {
  if (Array.isArray(expected)) {
    expect(actual).to.be.an("array").with.length(expected.length);
    expected.forEach((e, i) => expectSameBits((actual as unknown[])[i], e));
    return;
  }
  expect(
    Object.is(actual, expected),
    `${String(actual)} is not bit-identical to ${String(expected)}`,
  ).to.equal(true);
}

/** The value of a metric, or `null` when compute() throws because Σ w = 0. */
export function valueOrNull(metric: HingeLoss): number | number[] | null {
  if (metric.total === 0) {
    expect(() => metric.compute()).to.throw("nothing accumulated");
    return null;
  }
  return metric.compute();
}
