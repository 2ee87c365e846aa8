// Builds the API docs into docs/api/ with typedoc over every public entry point that exists (package.json
// `exports` → lib/**/index.ts); documentation gaps are printed as warnings. With `--check` it writes nothing
// and fails on any warning (every export documented with an example, links valid): the gate `npm test` runs.
// Extra arguments go to typedoc.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { entryPoints, root } from "./entryPoints.mjs";

const args = process.argv.slice(2);
const check = args.includes("--check");
const rest = args.filter((a) => a !== "--check");
const entries = entryPoints();
for (const e of entries.filter((x) => !x.sourceExists))
  console.log(`docs: ${e.specifier} has no source yet (${e.source}); left out of the docs`);
const present = entries.filter((x) => x.sourceExists).flatMap((x) => ["--entryPoints", x.source]);
const bin = join(root, "node_modules", "typedoc", "bin", "typedoc");
const result = spawnSync(
  process.execPath,
  [bin, ...present, ...(check ? ["--emit", "none"] : ["--treatWarningsAsErrors", "false"]), ...rest],
  {
    cwd: root,
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
