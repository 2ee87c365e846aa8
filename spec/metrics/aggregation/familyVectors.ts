// Shared by the aggregation and regression vector specs: the family vectors (torchmetrics 1.9.0, see
// spec/fixtures/vectors/families/README.md), revived, with helpers to compare values and to check that a
// call throws a given error class and leaves the metric's state exactly as it was.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Metric } from "../../../lib/index.js";

/** A torchmetrics error, as the vectors record it. */
export interface VectorError {
  error: string;
  errorType: string;
  phase: string;
}

/** One family case (fields as in the vectors' README). */
export interface FamilyCase {
  id: string;
  api: string;
  options: Record<string, unknown>;
  dtype: string;
  batches: Record<string, unknown>[];
  expected: unknown;
  expectedFloat64?: unknown;
  perBatch?: unknown[];
  perBatchFloat64?: unknown[];
  merge?: number[][];
  expectedOneMetric?: unknown;
  expectedViaForward?: unknown;
  alsoAccept?: unknown;
  oddity?: string;
  tags: string[];
}

function revive(v: unknown): unknown {
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  }
  return v;
}

/** Loads a family vector file from the project's own copy. */
export function loadFamily(file: string): FamilyCase[] {
  const path = fileURLToPath(new URL(`../../fixtures/vectors/families/${file}`, import.meta.url));
  return (JSON.parse(readFileSync(path, "utf8")) as unknown[]).map((c) => revive(c) as FamilyCase);
}

/** torchmetrics' snake_case keyword arguments as our camelCase options. */
export function camelOptions(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(options).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
  );
}

/** True for a recorded torchmetrics error. */
export function isError(v: unknown): v is VectorError {
  return v !== null && typeof v === "object" && !Array.isArray(v) && "errorType" in v;
}

/** True for a finite number or an array of them. */
export function isFiniteValue(v: unknown): boolean {
  return typeof v === "number" ? Number.isFinite(v) : Array.isArray(v) && v.every(isFiniteValue);
}

/** |actual - expected| ≤ rel·|expected| + abs, element-wise. */
export function near(actual: unknown, expected: unknown, rel: number, abs: number, what: string): void {
  if (Array.isArray(expected)) {
    expect(actual, what).to.be.an("array").with.length(expected.length);
    expected.forEach((e, i) => near((actual as unknown[])[i], e, rel, abs, `${what}[${i}]`));
    return;
  }
  expect(actual, what).to.be.a("number");
  const a = actual as number;
  const e = expected as number;
  expect(Math.abs(a - e), `${what}: ${a} vs ${e}`).to.be.at.most(rel * Math.abs(e) + abs);
}

/**
 * Compares against the float64 twin of a reference when given (1e-9 relative + 1e-12: ours is exact, the
 * reference summed in float64), else against the float32 reference (1e-6 relative + 1e-7).
 */
export function matchesReference(actual: unknown, f32: unknown, f64: unknown, what: string): void {
  if (f64 !== undefined) near(actual, f64, 1e-9, 1e-12, `${what} (float64 reference)`);
  else if (f32 !== undefined) near(actual, f32, 1e-6, 1e-7, `${what} (float32 reference)`);
}

/** Bit equality of two values (numbers or arrays), with Object.is. */
export function sameBits(a: unknown, b: unknown, what: string): void {
  if (Array.isArray(b)) {
    expect(a, what).to.be.an("array").with.length(b.length);
    b.forEach((x, i) => sameBits((a as unknown[])[i], x, `${what}[${i}]`));
    return;
  }
  expect(Object.is(a, b), `${what}: ${String(a)} vs ${String(b)}`).to.equal(true);
}

/**
 * Expects `call` to throw an instance of `cls` whose message matches `message`, and the metric's state to be
 * exactly as before (compared through toJSON).
 */
export function throwsUnchanged(
  metric: Metric,
  call: () => unknown,
  cls: new (...args: never[]) => Error,
  message?: RegExp,
): Error {
  const before = JSON.stringify(metric.toJSON());
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(caught, "expected a throw").to.be.instanceOf(cls);
  if (message !== undefined) expect((caught as Error).message).to.match(message);
  expect((caught as Error).message).not.to.match(/\.$/);
  expect(JSON.stringify(metric.toJSON()), "state unchanged").to.equal(before);
  return caught as Error;
}
