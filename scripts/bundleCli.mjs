#!/usr/bin/env node
/**
 * `node scripts/bundleCli.mjs` (run by `npm run build` after `tsc`): bundles the compiled CLI
 * (`dist/cli/main.js`) and what it imports, zod included, into `dist/cli/bin/` with esbuild: the
 * `streammetrics` bin of package.json. Why: a run of the CLI started ~0.2 s above a bare `node` here, most of it
 * loading ~230 ES modules one by one (the library's and zod's); the bundle starts ~0.1 s sooner, which is a
 * tenth of a 100 MB file's run (issue 17 goal 3). Code-split, so that what only some commands need (`eval`,
 * `merge`, `collect`, the plot) is still loaded on demand; the peer dependencies (rxjs, redis: `collect` only)
 * stay imports of the user's copies. Not minified (stack traces stay readable). zod's licence is copied beside
 * the bundle, which contains its code.
 */
import { build } from "esbuild";
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "..", "..");
const entry = join(root, "dist", "cli", "main.js");
const outdir = join(root, "dist", "cli", "bin");
if (!existsSync(entry)) throw new Error(`${entry} is missing: run tsc -p tsconfig.build.json first`);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const peers = Object.keys(pkg.peerDependencies ?? {});

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // the peers (and their subpaths, and the packages redis is made of) stay imports
  external: peers.flatMap((p) => [p, `${p}/*`]).concat(["@redis/*"]),
  // keep every module an import names, used or not (the package says "sideEffects": false): `merge` reads states
  // of every kind the library registers, which a module registers when it is loaded
  ignoreAnnotations: true,
  // `streammetrics --version` (lib/cli/run.ts reads package.json two levels up when this is not defined)
  define: { STREAMMETRICS_VERSION: JSON.stringify(pkg.version) },
  logLevel: "warning",
});
copyFileSync(join(root, "node_modules", "zod", "LICENSE"), join(outdir, "zod.LICENSE"));
