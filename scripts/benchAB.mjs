#!/usr/bin/env node
/**
 * `npm run bench:ab -- <git-ref> [--runs N] [--after <git-ref>] [--with-areas] [--quick] [--only <substring>]`
 *
 * An A/B run of `npm run bench`: builds the library of `<git-ref>` ("before") into a temporary directory (the
 * ref's files from `git archive`, `node_modules` linked from this checkout, `tsc -p tsconfig.build.json`) and
 * this working tree's library ("after", or the library of `--after <ref>`), then runs this tree's
 * `bench/run.ts` against the two builds (`--lib <dist>`), whole runs alternated (A B, B A, A B, …; `--runs`
 * pairs, default 3), each in a fresh process. Prints, per row present in both, the median over runs of its
 * paired ratio to its case's baseline, before and after, the change, and ✔/✘ for "within 10 %" (issue 13: each
 * row within 10 % of its ratio before the change, measured in the same run style). Area modules (stream,
 * ingest, wasm) are skipped unless `--with-areas`: an older build may lack what they time. `--quick` and
 * `--only` are passed to `bench/run.ts`. Exits 1 when a row loses more than 10 %.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string", default: "3" },
    after: { type: "string" },
    "with-areas": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    tolerance: { type: "string", default: "0.1" },
  },
});
if (positionals.length !== 1) {
  console.error(
    "usage: npm run bench:ab -- <git-ref> [--runs N] [--after <git-ref>] [--with-areas] [--quick] [--only <substring>]",
  );
  process.exit(2);
}
const runs = Number(args.runs);
const tolerance = Number(args.tolerance);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs: expected a positive integer, got ${args.runs}`);

const git = (...a) => execFileSync("git", a, { cwd: root, encoding: "utf8" }).trim();
const tsc = path.join(root, "node_modules", ".bin", "tsc"); // what `npm run build` runs

/** Builds the library of a ref into a cached temporary directory; returns its dist directory. */
function buildRef(ref) {
  const sha = git("rev-parse", "--verify", `${ref}^{commit}`);
  const dir = path.join(os.tmpdir(), `streammetrics-ab-${sha.slice(0, 12)}`);
  const dist = path.join(dir, "dist");
  // a cached build is reused only while its node_modules link still leads to this checkout's (a build made
  // from another checkout, since removed, would fail to import its dependencies)
  const linked = path.join(dir, "node_modules");
  if (
    existsSync(path.join(dist, "index.js")) &&
    existsSync(linked) &&
    realpathSync(linked) === realpathSync(path.join(root, "node_modules"))
  ) {
    console.error(`${ref} (${sha.slice(0, 12)}): using the build in ${dir}`);
    return { label: `${ref} (${sha.slice(0, 12)})`, dist };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.error(`${ref} (${sha.slice(0, 12)}): extracting and building in ${dir}`);
  const archive = execFileSync("git", ["archive", "--format=tar", sha], { cwd: root, maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", dir], { input: archive });
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  // --preserveSymlinks: node_modules is a link here; without it tsc calls declarations that name its types "not portable"
  execFileSync(tsc, ["-p", "tsconfig.build.json", "--preserveSymlinks"], { cwd: dir, stdio: "inherit" });
  return { label: `${ref} (${sha.slice(0, 12)})`, dist };
}

const before = buildRef(positionals[0]);
let after;
if (args.after !== undefined) after = buildRef(args.after);
else {
  console.error("working tree: building dist/");
  execFileSync(tsc, ["-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  after = { label: "working tree", dist: path.join(root, "dist") };
}

const out = mkdtempSync(path.join(os.tmpdir(), "streammetrics-ab-runs-"));
const passThrough = [
  ...(args.quick ? ["--quick"] : []),
  ...(args.only !== undefined ? ["--only", args.only] : []),
  ...(args["with-areas"] ? [] : ["--no-areas"]),
  "--baseline",
  path.join(out, "none.json"),
];
/** @type {{ A: Map<string, number[]>, B: Map<string, number[]> }} */
const ratios = { A: new Map(), B: new Map() };
const order = [];
for (let k = 0; k < runs; k++) {
  for (const side of k % 2 === 0 ? ["A", "B"] : ["B", "A"]) {
    const build = side === "A" ? before : after;
    const json = path.join(out, `${side}-${k}.json`);
    const t0 = Date.now();
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "bench/run.ts", "--lib", build.dist, "--json", json, ...passThrough],
      { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 },
    );
    if (r.status !== 0) {
      console.error(r.stdout, r.stderr);
      throw new Error(`bench/run.ts --lib ${build.dist} exited with ${r.status}`);
    }
    const result = JSON.parse(readFileSync(json, "utf8"));
    for (const row of result.rows) {
      // Rows of the library only: a naive loop's or TensorFlow.js' ratio says nothing about it.
      if (
        row.candidate === row.baseline ||
        row.candidate.startsWith("naive") ||
        row.candidate.startsWith("tfjs-")
      )
        continue;
      const key = `${row.case}: ${row.candidate}`;
      const list = ratios[side].get(key) ?? [];
      list.push(row.ratio);
      ratios[side].set(key, list);
    }
    order.push(side);
    console.error(
      `run ${k + 1}/${runs} ${side} (${build.label}): ${((Date.now() - t0) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(2)}`,
    );
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const pct = (x) => `${x >= 0 ? "+" : "−"}${Math.abs(100 * x).toFixed(0)} %`;
console.log(
  `\nA/B of npm run bench: A = ${before.label}, B = ${after.label}; ${runs} run(s) each, alternated (${order.join(" ")})` +
    `${args.quick ? ", --quick" : ""}${args.only !== undefined ? `, --only ${args.only}` : ""}; ${os.cpus()[0]?.model}, ${os.cpus().length} cores, Node ${process.version}\n`,
);
console.log(
  `| row | ratio A (before) | ratio B (after) | change | within ${100 * tolerance} % |\n|---|---|---|---|---|`,
);
let failed = 0;
let compared = 0;
for (const [key, a] of ratios.A) {
  const b = ratios.B.get(key);
  if (b === undefined) continue;
  const ra = median(a);
  const rb = median(b);
  const change = rb / ra - 1;
  const pass = change >= -tolerance;
  compared++;
  if (!pass) failed++;
  console.log(`| ${key} | ${ra.toFixed(2)} | ${rb.toFixed(2)} | ${pct(change)} | ${pass ? "✔" : "✘"} |`);
}
const onlyOne =
  [...ratios.A.keys()].filter((k) => !ratios.B.has(k)).length +
  [...ratios.B.keys()].filter((k) => !ratios.A.has(k)).length;
console.log(
  `\n${compared - failed}/${compared} rows within ${100 * tolerance} %${onlyOne > 0 ? `; ${onlyOne} row(s) in only one build, not compared` : ""}. Runs: ${out}`,
);
process.exit(failed > 0 ? 1 : 0);
