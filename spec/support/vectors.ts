import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One reference case (see spec/fixtures/vectors/README.md). */
export interface VectorCase {
  id: string;
  source: string;
  api: string;
  options: Record<string, unknown>;
  dtype: string;
  batches: { preds: unknown; target: unknown; sampleWeight?: unknown }[];
  expected: number | number[] | { error: string; errorType: string; phase: string } | unknown;
  expectedFloat64?: number | number[];
  perBatch?: (number | number[])[];
  expectedSingleBatch?: number | number[];
  tags: string[];
  atol?: number;
  evaluateMean?: number;
  [key: string]: unknown;
}

const dir = fileURLToPath(new URL("../fixtures/vectors/", import.meta.url));

/** Non-finite numbers are written as strings in the vectors; this turns them back into numbers. */
export function revive<T>(value: T): T {
  if (value === "NaN") return NaN as T;
  if (value === "Infinity") return Infinity as T;
  if (value === "-Infinity") return -Infinity as T;
  if (Array.isArray(value)) return value.map(revive) as T;
  return value;
}

/** Loads a vector file from the project's own copy (spec/fixtures/vectors). */
export function loadVectors(file: string): VectorCase[] {
  const cases = JSON.parse(readFileSync(dir + file, "utf8")) as VectorCase[];
  for (const c of cases) {
    c.expected = revive(c.expected);
    if (c.expectedFloat64 !== undefined) c.expectedFloat64 = revive(c.expectedFloat64);
    if (c.perBatch !== undefined) c.perBatch = revive(c.perBatch);
    for (const b of c.batches) {
      b.preds = revive(b.preds);
      b.target = revive(b.target);
      if (b.sampleWeight !== undefined) b.sampleWeight = revive(b.sampleWeight);
    }
  }
  return cases;
}

/** True when the case records an error raised by the reference. */
export function isErrorCase(c: VectorCase): boolean {
  return typeof c.expected === "object" && c.expected !== null && !Array.isArray(c.expected);
}

/** Asserts |actual - expected| <= rel * max(1, |expected|) elementwise. */
export function closeTo(actual: number | number[], expected: number | number[], rel: number): boolean {
  const a = Array.isArray(actual) ? actual : [actual];
  const e = Array.isArray(expected) ? expected : [expected];
  if (a.length !== e.length) return false;
  return a.every((x, i) => Math.abs(x - e[i]) <= rel * Math.max(1, Math.abs(e[i])));
}
