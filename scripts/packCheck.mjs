// Packaging check, run by `npm test` after the build (`npm run check:package` builds first):
//  1. `npm pack` into a temp folder (scripts off: dist/ is already built);
//  2. publint --strict and @arethetypeswrong/cli --profile esm-only on the tarball, and every source map in it
//     names files that are in it too (the maps point at ../lib/*.ts: lib/ ships);
//  3. a smoke test: install the tarball into a fresh folder, the npm cache first (zod and the optional rxjs and redis peers come from
//     the npm cache), then from plain JavaScript `import` every subpath of `exports`, `require` it (Node
//     ≥ 20.19 loads ES modules with require), and run the `streammetrics` bin with --version.
// Exits non-zero at the first failure, naming it.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { entryPoints, root } from "./entryPoints.mjs";

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const work = mkdtempSync(join(tmpdir(), "streammetrics-pack-"));
const keep = process.env.KEEP_PACK_DIR === "1";
let failed = false;

function run(label, cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, encoding: "utf8", ...options });
  const out = `${result.stdout ?? ""}${result.stderr ?? ""}`
    .split("\n")
    .filter((line) => !/^npm warn (Unknown user config|install-scripts)/.test(line))
    .join("\n")
    .trim();
  if (result.status !== 0) {
    const lines = out.split("\n");
    // a Node stack trace says it in its "Error" line; tool reports are shown whole (up to 40 lines)
    const shown = /^node:internal/.test(lines[0] ?? "")
      ? lines.filter((l) => /Error/.test(l)).slice(0, 2)
      : lines;
    const why = result.error ? String(result.error.message) : shown.slice(0, 40).join("\n");
    console.log(`✖ ${label}\n${why}`);
    failed = true;
    return undefined;
  }
  console.log(`✔ ${label}`);
  return result.stdout;
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function bin(name) {
  return join(root, "node_modules", ".bin", name);
}

try {
  run("npm pack", "npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work]);
  const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack wrote no tarball");
  const tarball = join(work, tgz);

  run("publint --strict", bin("publint"), ["run", tarball, "--strict", "--level", "suggestion"]);

  // every source map (.js.map, .d.ts.map) names files that are in the tarball (a stack trace or "go to
  // definition" must lead to a file the user has)
  const unpacked = join(work, "unpacked");
  mkdirSync(unpacked);
  if (run("unpack the tarball", "tar", ["-xzf", tarball, "-C", unpacked]) !== undefined) {
    const pkgDir = join(unpacked, "package");
    const maps = listFiles(pkgDir).filter((f) => f.endsWith(".map"));
    const missing = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(map, "utf8"));
      for (const source of sources ?? []) {
        const target = resolve(dirname(map), source);
        if (!existsSync(target)) missing.push(`${relative(pkgDir, map)} → ${source}`);
      }
    }
    if (maps.length === 0) console.log("✔ source maps: none shipped");
    else if (missing.length === 0) console.log(`✔ source maps: the ${maps.length} maps name shipped files`);
    else {
      console.log(`✖ source maps name files missing from the tarball:\n${missing.slice(0, 10).join("\n")}`);
      failed = true;
    }
  }
  run("attw --profile esm-only", bin("attw"), [tarball, "--profile", "esm-only", "--format", "ascii"]);

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "smoke", private: true, type: "module" }));
  const installed = run(
    "install the tarball into a fresh folder (npm cache first)",
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      tarball,
      `rxjs@${pkg.devDependencies.rxjs}`,
      `redis@${pkg.devDependencies.redis}`,
    ],
    { cwd: app },
  );

  if (installed !== undefined) {
    for (const entry of entryPoints()) {
      const spec = JSON.stringify(entry.specifier);
      const esm = `const m = await import(${spec}); const names = Object.keys(m);
        if (names.length === 0) throw new Error("no exports"); console.log(names.length);`;
      const count = run(`import ${entry.specifier}`, process.execPath, ["--input-type=module", "-e", esm], {
        cwd: app,
      });
      const cjs = `const m = require(${spec}); const names = Object.keys(m);
        if (names.length === 0) throw new Error("no exports"); console.log(names.length);`;
      const countCjs = run(`require ${entry.specifier}`, process.execPath, ["--no-warnings", "-e", cjs], {
        cwd: app,
      });
      if (count !== undefined && countCjs !== undefined && count.trim() !== countCjs.trim()) {
        console.log(`✖ ${entry.specifier}: import gives ${count.trim()} names, require ${countCjs.trim()}`);
        failed = true;
      }
    }
    const version = run(
      "streammetrics --version",
      join(app, "node_modules", ".bin", "streammetrics"),
      ["--version"],
      { cwd: app },
    );
    if (version !== undefined && !version.includes(pkg.version)) {
      console.log(
        `✖ streammetrics --version printed ${JSON.stringify(version.trim())}, expected ${pkg.version}`,
      );
      failed = true;
    }
  }
} catch (error) {
  console.log(`✖ ${error instanceof Error ? error.message : String(error)}`);
  failed = true;
} finally {
  if (keep) console.log(`(kept ${work})`);
  else rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
