/**
 * `npm run bench:ingest [-- --rows N] [-- --reps R]`: file ingest of the CLI against a byte-level
 * scan-and-parse loop over the same file, in the same run. Writes a seeded 4-class CSV and NDJSON file of
 * ≥ 100 MB each to a temporary directory, times `streammetrics hinge FILE` (the compiled CLI, a child
 * process) and the loop (a child process too: both pay Node's start-up), alternated, `reps` times each, and
 * reports MB/s medians and the ratio (goal ≥ 0.7). Memory: the CLI's peak RSS on the whole file and on a
 * quarter of it (flat: independent of the file's size). Deletes the files.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { mulberry32 } from "../lib/cli/demo.js";
import { median } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, "..", "dist", "cli", "main.js");
const { values: args } = parseArgs({
  options: { rows: { type: "string", default: "2600000" }, reps: { type: "string", default: "3" } },
});
const ROWS = Number(args.rows);
const REPS = Number(args.reps);

/** Writes `rows` samples (4 classes, scores with 6 decimals) as CSV or NDJSON; returns the byte size. */
function writeData(file: string, rows: number, format: "csv" | "ndjson"): number {
  const rand = mulberry32(2026);
  const fd = openSync(file, "w");
  let buf = format === "csv" ? "target,pred_0,pred_1,pred_2,pred_3\n" : "";
  for (let i = 0; i < rows; i++) {
    const t = Math.floor(rand() * 4);
    const p = [rand(), rand(), rand(), rand()].map((u) => (u * 4 - 2).toFixed(6));
    buf += format === "csv" ? `${t},${p.join(",")}\n` : `{"preds":[${p.join(",")}],"target":${t}}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = "";
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return statSync(file).size;
}

/**
 * The byte-level loop, run as `node -e`: reads 64 KiB chunks, accumulates the digits of every number by hand
 * (no strings; the value is approximate: mantissa × 10^-decimals, exponents not handled), computes the
 * Crammer–Singer hinge of each line's 4 scores against its target, and prints the sum.
 */
const SCAN = `
const fs = require("node:fs");
const fd = fs.openSync(process.argv[1], "r");
const buf = Buffer.allocUnsafe(65536);
const vals = new Float64Array(64);
let n = 0, m = 0, d = -1, neg = false, inNum = false, sum = 0, lines = 0, header = process.argv[2] === "csv";
const P10 = [1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];
for (;;) {
  const got = fs.readSync(fd, buf, 0, 65536, null);
  if (got === 0) break;
  for (let i = 0; i < got; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) { m = m * 10 + (c - 48); if (d >= 0) d++; inNum = true; continue; }
    if (c === 46) { d = 0; continue; }
    if (c === 45) { neg = true; continue; }
    if (inNum) { const v = m * P10[d < 0 ? 0 : d]; vals[n++ & 63] = neg ? -v : v; }
    m = 0; d = -1; neg = false; inNum = false;
    if (c === 10) {
      if (header) header = false;
      else if (n >= 5) {
        const csv = process.argv[2] === "csv";
        const t = csv ? vals[0] : vals[4];
        const o = csv ? 1 : 0;
        let max = -Infinity;
        for (let j = 0; j < 4; j++) if (j !== t && vals[o + j] > max) max = vals[o + j];
        const h = 1 - (vals[o + t] - max);
        sum += h > 0 ? h : 0;
        lines++;
      }
      n = 0;
    }
  }
}
console.log(JSON.stringify({ lines, value: sum / lines }));
`;

/** Prints the child's peak RSS (KiB, from getrusage) on stderr at exit. */
const RSS_HOOK =
  "data:text/javascript," +
  encodeURIComponent(
    "process.on('exit', () => process.stderr.write('\\nmaxRSS=' + process.resourceUsage().maxRSS + '\\n'));",
  );

interface Timed {
  seconds: number;
  maxRssMiB: number;
  stdout: string;
}

function timeChild(argv: string[]): Timed {
  const t0 = performance.now();
  const child = spawnSync(process.execPath, ["--import", RSS_HOOK, ...argv], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - t0) / 1000;
  if (child.status !== 0) throw new Error(`${argv.join(" ")} failed: ${child.stderr}`);
  const rss = /maxRSS=(\d+)/.exec(child.stderr);
  return { seconds, maxRssMiB: rss === null ? NaN : Number(rss[1]) / 1024, stdout: child.stdout };
}

const dir = mkdtempSync(path.join(tmpdir(), "streammetrics-ingest-"));
try {
  console.log(`streammetrics ingest bench: ${ROWS} rows per file, median of ${REPS} alternated runs\n`);
  console.log(
    "| input | candidate | MB/s (median) [min..max] | ratio to the byte-level loop | peak RSS | goal |",
  );
  console.log("|---|---|---|---|---|---|");
  for (const format of ["csv", "ndjson"] as const) {
    const file = path.join(dir, `preds.${format}`);
    const bytes = writeData(file, ROWS, format);
    const mb = bytes / 1e6;
    const cliRates: number[] = [];
    const scanRates: number[] = [];
    const ratios: number[] = [];
    let rss = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const order = rep % 2 === 0 ? ["scan", "cli"] : ["cli", "scan"];
      const got: Record<string, Timed> = {};
      for (const which of order) {
        got[which] =
          which === "cli" ? timeChild([cli, "hinge", file, "--json"]) : timeChild(["-e", SCAN, file, format]);
      }
      cliRates.push(mb / got.cli.seconds);
      scanRates.push(mb / got.scan.seconds);
      ratios.push(got.scan.seconds / got.cli.seconds);
      rss = Math.max(rss, got.cli.maxRssMiB);
    }
    // memory flat: the same rows cut to a quarter
    const quarter = path.join(dir, `quarter.${format}`);
    writeData(quarter, Math.floor(ROWS / 4), format);
    const small = timeChild([cli, "hinge", quarter, "--json"]).maxRssMiB;
    rmSync(quarter);
    const fmt = (xs: number[]): string =>
      `${median(xs).toFixed(0)} [${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}]`;
    const ratio = median(ratios);
    console.log(
      `| ${format} ${mb.toFixed(0)} MB | byte-level scan-and-parse loop | ${fmt(scanRates)} | 1 (baseline) | | |`,
    );
    console.log(
      `| ${format} ${mb.toFixed(0)} MB | streammetrics hinge | ${fmt(cliRates)} | ${ratio.toFixed(2)} | ` +
        `${rss.toFixed(0)} MiB (${small.toFixed(0)} MiB on a quarter of the rows) | ≥ 0.7 ${ratio >= 0.7 ? "✔" : "✘"} |`,
    );
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
