/**
 * The contract between `bench/run.ts` (the one `npm run bench`) and the modules that time one area each
 * (`bench/stream.ts`: small batches and single events; `bench/ingest.ts`: file ingest; `bench/wasm.ts`: the
 * WASM kernel). Each such module exports `benchRows(ctx)`; `run.ts` calls them in one process, prints their
 * rows and adds their goals (each with ✔/✘) to the goal table. Each module may also keep a `main` for its own
 * `npm run bench:<area>` script.
 *
 * @module
 */
import type { Row, TimingOptions } from "./harness.js";

/** One goal of an issue, as a row of the goal table. */
export interface Goal {
  /** What is measured against what, e.g. "batches of 8, number[]: HingeLoss ≥ 0.6 × naive class". */
  readonly goal: string;
  /** The measured value as printed, e.g. "0.71" or "27.3 M/s". */
  readonly value: string;
  /** Whether the goal is met. */
  readonly pass: boolean;
}

/** What `run.ts` gives each area module. */
export interface BenchContext {
  /** The compiled library to time (`dist/` by default; another build for an A/B run). */
  readonly distDir: string;
  /** Timing settings of this run (`--quick` gives fewer, shorter reps). */
  readonly timing: TimingOptions;
  /** Whether this is a `--quick` run (smaller data where the module can). */
  readonly quick: boolean;
  /** The `--only <substring>` filter, if any (what {@link BenchContext.wanted} tests). */
  readonly only?: string;
  /** Whether a case of this name is wanted (`--only <substring>`). */
  wanted(caseName: string): boolean;
  /** Prints rows as they are measured (markdown table lines). */
  print(rows: readonly Row[]): void;
}

/** What an area module returns. */
export interface BenchPart {
  /** Timed rows, in the shape of the main table. */
  readonly rows: Row[];
  /** The area's goals. */
  readonly goals: Goal[];
  /** Free-text notes printed under the table (how something was measured, what was skipped). */
  readonly notes?: string[];
}
