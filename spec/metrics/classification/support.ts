import { expect } from "chai";
import { loadVectors, type VectorCase } from "../../support/vectors.js";

/** The classification vectors (torchmetrics 1.9.0), non-finite strings revived. */
export const cases: VectorCase[] = loadVectors("families/classification.json");

/** snake_case torchmetrics keyword arguments → our camelCase options. */
export function ourOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    out[k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())] = v;
  }
  return out;
}

function depth(x: unknown): number {
  return Array.isArray(x) ? 1 + depth(x[0]) : 0;
}

function shapeOf(x: unknown): number[] {
  return Array.isArray(x) ? [x.length, ...shapeOf(x[0])] : [];
}

/**
 * A batch's preds as we take them: integer-dtype binary preds as an Int32Array (labels, as torch int64), a
 * rank-3 nested array as `{ data, shape }` (nested arrays stop at rank 2).
 */
export function ourPreds(c: VectorCase, preds: unknown): unknown {
  if (c.dtype === "int64" && c.api.startsWith("Binary")) return Int32Array.from(preds as number[]);
  if (depth(preds) >= 3) {
    return {
      data: Float64Array.from((preds as unknown[]).flat(Infinity) as number[]),
      shape: shapeOf(preds),
    };
  }
  return preds;
}

/** A batch's target as we take it (rank ≥ 2 as `{ data, shape }`). */
export function ourTarget(target: unknown): unknown {
  if (depth(target) >= 2) {
    return {
      data: Float64Array.from((target as unknown[]).flat(Infinity) as number[]),
      shape: shapeOf(target),
    };
  }
  return target;
}

/** Asserts `actual` is within 1e-6 relative + 1e-7 absolute of `expected`, elementwise, shapes equal. */
export function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (Array.isArray(expected)) {
    expect(actual, what).to.be.an("array").with.length(expected.length);
    expected.forEach((e, i) => expectClose((actual as unknown[])[i], e, `${what}[${i}]`));
    return;
  }
  expect(actual, what).to.be.a("number");
  const a = actual as number;
  const e = expected as number;
  expect(Math.abs(a - e), `${what}: ${a} vs ${e}`).to.be.at.most(1e-6 * Math.abs(e) + 1e-7);
}

/** Asserts two values are the same bits (numbers via Object.is, arrays elementwise). */
export function expectSameBits(actual: unknown, expected: unknown, what: string): void {
  if (Array.isArray(expected)) {
    expect(actual, what).to.be.an("array").with.length(expected.length);
    expected.forEach((e, i) => expectSameBits((actual as unknown[])[i], e, `${what}[${i}]`));
    return;
  }
  expect(Object.is(actual, expected), `${what}: ${String(actual)} vs ${String(expected)}`).to.equal(true);
}
