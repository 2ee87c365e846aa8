/**
 * File ingest (issue 17, goal 3): the CLI (`streammetrics hinge FILE`, `streammetrics eval FILE`) against a
 * byte-level scan-and-parse loop over the same file, in the same run. `benchRows(ctx)` (for `npm run bench`)
 * writes seeded CSV and NDJSON files, 4-class and binary, of ≥ 100 MB each (a few MB with `--quick`) to a
 * temporary directory; times the bin (`dist/cli/bin/main.js`, the bundled CLI, a child process) and the loop (a
 * child process too: both pay Node's start-up), interleaved (the order alternates each rep); and gives the
 * median of the per-rep ratios loop time / CLI time (goal ≥ 0.7). Memory: the CLI's peak RSS (getrusage) on the file and on a quarter of
 * it, which must be the same within a margin (flat: independent of the file's size). Deletes the files.
 *
 * `npm run bench:ingest [-- --quick] [-- --only <substring>] [-- --reps R] [-- --mb MB]` runs it alone.
 *
 * @module
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

import { mulberry32 } from "../lib/cli/demo.js";
import type { BenchContext, BenchPart, Goal } from "./contract.js";
import { markdownTable, median, type Row } from "./harness.js";

type Format = "csv" | "ndjson";

/** What a written file holds. */
interface DataFile {
  readonly path: string;
  readonly bytes: number;
  readonly rows: number;
}

/**
 * Writes samples (C = 4 classes, or binary with C = 1: scores in [-2, 2] with 6 decimals, seeded) as CSV or
 * NDJSON until the file has at least `minBytes`, or exactly `rows` rows when given.
 */
function writeData(file: string, format: Format, C: number, minBytes: number, rows = Infinity): DataFile {
  const rand = mulberry32(C === 1 ? 2027 : 2026);
  const fd = openSync(file, "w");
  const names = C === 1 ? ["pred"] : Array.from({ length: C }, (_, j) => `pred_${j}`);
  let buf = format === "csv" ? `target,${names.join(",")}\n` : "";
  let bytes = 0;
  let n = 0;
  const p: string[] = new Array<string>(C);
  while (n < rows && (rows !== Infinity || bytes + buf.length < minBytes)) {
    const t = Math.floor(rand() * (C === 1 ? 2 : C));
    for (let j = 0; j < C; j++) p[j] = (rand() * 4 - 2).toFixed(6);
    const preds = C === 1 ? p[0] : `[${p.join(",")}]`;
    buf += format === "csv" ? `${t},${p.join(",")}\n` : `{"preds":${preds},"target":${t}}\n`;
    n++;
    if (buf.length > 1 << 20) {
      bytes += writeSync(fd, buf);
      buf = "";
    }
  }
  bytes += writeSync(fd, buf);
  closeSync(fd);
  return { path: file, bytes, rows: n };
}

/**
 * The byte-level loop, run as `node -e SCAN FILE FORMAT C`: reads 64 KiB chunks into one buffer and
 * accumulates the digits of every number by hand (no strings; the value is approximate: mantissa ×
 * 10^-decimals, exponents not handled), computes each line's hinge (Crammer–Singer over C scores against its
 * target, or binary for C = 1, target 0/1 → -1/+1), and prints the mean.
 */
const SCAN = `
const fs = require("node:fs");
const fd = fs.openSync(process.argv[1], "r");
const csv = process.argv[2] === "csv";
const C = Number(process.argv[3]);
const buf = Buffer.allocUnsafe(65536);
const vals = new Float64Array(64);
let n = 0, m = 0, d = -1, neg = false, inNum = false, sum = 0, lines = 0, header = csv;
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
      else if (n > C) {
        const t = csv ? vals[0] : vals[C];
        const o = csv ? 1 : 0;
        let h;
        if (C === 1) h = 1 - (2 * t - 1) * vals[o];
        else {
          let max = -Infinity;
          for (let j = 0; j < C; j++) if (j !== t && vals[o + j] > max) max = vals[o + j];
          h = 1 - (vals[o + t] - max);
        }
        sum += h > 0 ? h : 0;
        lines++;
      }
      n = 0;
    }
  }
}
console.log(JSON.stringify({ lines, value: sum / lines }));
`;

/**
 * Prints the child's peak RSS (KiB) and CPU time (µs, all threads) on stderr at exit. The peak is Linux's
 * VmHWM of the process image (/proc/self/status): getrusage's maxRSS survives execve, so a child spawned by a
 * large process starts at its parent's resident size (every case then read the same floor); maxRSS where
 * there is no /proc.
 */
const RSS_HOOK =
  "data:text/javascript," +
  encodeURIComponent(
    "import { readFileSync } from 'node:fs'; " +
      "process.on('exit', () => { const u = process.resourceUsage(); let peak = u.maxRSS; " +
      "try { const m = /VmHWM:\\s*(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8')); if (m) peak = Number(m[1]); } catch {} " +
      "process.stderr.write('\\nmaxRSS=' + peak + ' cpu=' + (u.userCPUTime + u.systemCPUTime) + '\\n'); });",
  );

interface Timed {
  seconds: number;
  cpuSeconds: number;
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
  const rss = /maxRSS=(\d+) cpu=(\d+)/.exec(child.stderr);
  return {
    seconds,
    cpuSeconds: rss === null ? NaN : Number(rss[2]) / 1e6,
    maxRssMiB: rss === null ? NaN : Number(rss[1]) / 1024,
    stdout: child.stdout,
  };
}

/** One case: a file, and the CLI command that reads it. */
interface IngestCase {
  readonly name: string;
  readonly format: Format;
  readonly C: number;
  readonly command: string;
  readonly args: (file: string) => string[];
}

const HINGE = (file: string): string[] => ["hinge", file, "--json"];
const EVAL_MC = (file: string): string[] => [
  "eval",
  file,
  "--task",
  "multiclass",
  "--num-classes",
  "4",
  "--metric",
  "accuracy,hinge",
  "--json",
];

const CASES: IngestCase[] = [
  { name: "ingest CSV 4 classes", format: "csv", C: 4, command: "hinge", args: HINGE },
  { name: "ingest NDJSON 4 classes", format: "ndjson", C: 4, command: "hinge", args: HINGE },
  { name: "ingest CSV binary", format: "csv", C: 1, command: "hinge", args: HINGE },
  { name: "ingest NDJSON binary", format: "ndjson", C: 1, command: "hinge", args: HINGE },
  { name: "ingest CSV 4 classes", format: "csv", C: 4, command: "eval accuracy,hinge", args: EVAL_MC },
  { name: "ingest NDJSON 4 classes", format: "ndjson", C: 4, command: "eval accuracy,hinge", args: EVAL_MC },
];

/** The goal on the ratio to the byte-level loop. */
const GOAL = 0.7;
/** Memory is flat when the peak RSS on the file is within this of that on a quarter of it. */
const RSS_MARGIN_MIB = 16;

/** Options of {@link ingestRows} beyond the {@link BenchContext}. */
interface IngestOptions {
  /** The least size of each file, in MB. */
  readonly mb: number;
  /** Timed reps per candidate. */
  readonly reps: number;
}

async function ingestRows(ctx: BenchContext, opts: IngestOptions): Promise<BenchPart> {
  // the bin users run (the bundle of scripts/bundleCli.mjs); a build from before it (bench:ab) has only main.js
  const bundled = path.join(ctx.distDir, "cli", "bin", "main.js");
  const cli = existsSync(bundled) ? bundled : path.join(ctx.distDir, "cli", "main.js");
  const rows: Row[] = [];
  const goals: Goal[] = [];
  const notes: string[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), "streammetrics-ingest-"));
  const files = new Map<string, DataFile>();
  const fileOf = (format: Format, C: number): DataFile => {
    const key = `${format}${C}`;
    let file = files.get(key);
    if (file === undefined) {
      file = writeData(path.join(dir, `preds${C}.${format}`), format, C, opts.mb * 1e6);
      files.set(key, file);
    }
    return file;
  };
  try {
    for (const c of CASES) {
      const caseName = `${c.name} (${c.command})`;
      if (!ctx.wanted(caseName)) continue;
      const file = fileOf(c.format, c.C);
      const mb = file.bytes / 1e6;
      const scores = (file.rows * c.C) / 1e6;
      const scanSec: number[] = [];
      const cliSec: number[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      let rss = 0;
      let expected = "";
      for (let rep = 0; rep < opts.reps; rep++) {
        const order = rep % 2 === 0 ? ["scan", "cli"] : ["cli", "scan"];
        const got: Record<string, Timed> = {};
        for (const which of order) {
          got[which] =
            which === "cli"
              ? timeChild([cli, ...c.args(file.path)])
              : timeChild(["-e", SCAN, file.path, c.format, String(c.C)]);
        }
        // the same output every rep (the CLI's result is exact: bit for bit)
        if (rep === 0) expected = got.cli.stdout;
        else if (got.cli.stdout !== expected) throw new Error(`${caseName}: the output changed between reps`);
        scanSec.push(got.scan.seconds);
        cliSec.push(got.cli.seconds);
        ratios.push(got.scan.seconds / got.cli.seconds);
        cpuRatios.push(got.scan.cpuSeconds / got.cli.cpuSeconds);
        rss = Math.max(rss, got.cli.maxRssMiB);
      }
      const label = `${caseName} ${mb.toFixed(0)} MB`;
      const rates = (secs: number[]) => secs.map((s) => scores / s);
      const row = (candidate: string, secs: number[], ratio: number, goal: number | null): Row => {
        const r = rates(secs);
        return {
          case: label,
          candidate,
          melemPerSec: median(r),
          min: Math.min(...r),
          max: Math.max(...r),
          mcallsPerSec: null,
          ratio,
          baseline: "byte-level loop",
          goal,
          reps: secs.length,
        };
      };
      const ratio = median(ratios);
      const out = [
        row("byte-level loop", scanSec, 1, null),
        row(`streammetrics ${c.command}`, cliSec, ratio, GOAL),
      ];
      rows.push(...out);
      ctx.print(out);
      const mbps = (secs: number[]) => (mb / median(secs)).toFixed(0);
      goals.push({
        goal: `file ingest, ${caseName}: ≥ ${GOAL} × the byte-level loop`,
        value: ratio.toFixed(2),
        pass: ratio >= GOAL,
      });
      // memory: the same command on a quarter of the rows
      const quarter = writeData(
        path.join(dir, `quarter.${c.format}`),
        c.format,
        c.C,
        0,
        Math.floor(file.rows / 4),
      );
      const small = timeChild([cli, ...c.args(quarter.path)]).maxRssMiB;
      rmSync(quarter.path);
      goals.push({
        goal: `file ingest, ${caseName}: peak RSS flat (the ${mb.toFixed(0)} MB file within ${RSS_MARGIN_MIB} MiB of a quarter of it)`,
        value: `${rss.toFixed(0)} MiB vs ${small.toFixed(0)} MiB`,
        pass: rss <= small + RSS_MARGIN_MIB,
      });
      notes.push(
        `${label}: ${file.rows} rows; loop ${mbps(scanSec)} MB/s, CLI ${mbps(cliSec)} MB/s (medians of ${opts.reps}, wall time of the child process, start-up included); ratio of CPU times (user + system, all threads) ${median(cpuRatios).toFixed(2)}; CLI peak RSS ${rss.toFixed(0)} MiB (${small.toFixed(0)} MiB on a quarter of the rows)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (opts.mb < 100)
    notes.push(
      `file ingest: files of ${opts.mb} MB (the goal is for ≥ 100 MB): Node's start-up, larger for the CLI (it loads the library), weighs more in the ratios`,
    );
  return { rows, goals, notes };
}

/**
 * The file-ingest rows of `npm run bench`: each CSV/NDJSON case's byte-level loop and CLI command, the
 * ratio goals (≥ 0.7) and the flat-memory goals. Melem/s counts scores (rows × C) per second.
 *
 * @param ctx - the run's settings ({@link BenchContext}): the CLI is `ctx.distDir/cli/main.js`
 * @returns rows, goals and notes
 * @example
 * ```ts no-run
 * const part = await benchRows(ctx); // about a minute: writes and reads files of ≥ 100 MB
 * ```
 */
export async function benchRows(ctx: BenchContext): Promise<BenchPart> {
  return ingestRows(ctx, {
    mb: ctx.quick ? 32 : 100,
    reps: ctx.quick ? 3 : Math.min(Math.max(ctx.timing.reps, 3), 7),
  });
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      reps: { type: "string" },
      mb: { type: "string" },
    },
  });
  const quick = args.quick === true;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ctx: BenchContext = {
    distDir: path.join(here, "..", "dist"),
    timing: quick ? { reps: 3, minMs: 40, warmMs: 80 } : { reps: 5, minMs: 120, warmMs: 250 },
    quick,
    wanted: (name) => args.only === undefined || name.includes(args.only),
    print: (rows) => console.log(markdownTable(rows).split("\n").slice(2).join("\n")),
  };
  const mb = args.mb !== undefined ? Number(args.mb) : quick ? 32 : 100;
  const reps = args.reps !== undefined ? Number(args.reps) : quick ? 3 : 5;
  console.log(`streammetrics ingest bench: files of ≥ ${mb} MB, ${reps} interleaved reps\n`);
  console.log(markdownTable([]));
  const part = await ingestRows(ctx, { mb, reps });
  console.log("\n| goal | value | |\n|---|---|---|");
  for (const g of part.goals) console.log(`| ${g.goal} | ${g.value} | ${g.pass ? "✔" : "✘"} |`);
  console.log("");
  for (const note of part.notes ?? []) console.log(`- ${note}`);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
