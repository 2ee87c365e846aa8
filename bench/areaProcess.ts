/**
 * Runs one area module's `benchRows(ctx)` in a process of its own, for `runArea` of bench/report.ts when an
 * area is marked `fresh`: the area's loops then get V8's type feedback and inlining decisions from their own
 * calls only, as in a program that does that one job, not from whatever rows the bench process timed before
 * them. Its rows print as they are measured (stdout is the parent's); the part goes to a JSON file.
 *
 * `node --import tsx bench/areaProcess.ts <JSON: { file, out, distDir, timing, quick, only }>`
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import type { BenchContext, BenchPart } from "./contract.js";
import { markdownTable, type TimingOptions } from "./harness.js";

/** What the parent passes. */
interface Job {
  readonly file: string;
  readonly out: string;
  readonly distDir: string;
  readonly timing: TimingOptions;
  readonly quick: boolean;
  readonly only: string | null;
}

const job = JSON.parse(process.argv[2] ?? "{}") as Job;
const ctx: BenchContext = {
  distDir: job.distDir,
  timing: job.timing,
  quick: job.quick,
  only: job.only ?? undefined,
  wanted: (name) => job.only === null || name.includes(job.only),
  print: (rows) => console.log(markdownTable(rows).split("\n").slice(2).join("\n")),
};
const mod = (await import(pathToFileURL(job.file).href)) as {
  benchRows: (c: BenchContext) => Promise<BenchPart>;
};
const part = await mod.benchRows(ctx);
writeFileSync(job.out, JSON.stringify(part));
