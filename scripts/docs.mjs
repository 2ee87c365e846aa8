// Builds the documentation site into docs/api/ with typedoc: the README as its front page, the guides
// (docs/*.md, typedoc.json `projectDocuments`) and the API of every public entry point that exists
// (package.json `exports` → lib/**/index.ts); documentation gaps are printed as warnings. With `--check` it
// writes nothing and fails on a dead link between the pages (scripts/checkLinks.mjs) or on any typedoc
// warning (every export documented, an example for functions and classes, links valid): the gate `npm test`
// runs. Extra arguments go to typedoc.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { deadLinks } from "./checkLinks.mjs";
import { markdownFiles } from "./doctest.mjs";
import { entryPoints, root } from "./entryPoints.mjs";

const args = process.argv.slice(2);
const check = args.includes("--check");
const rest = args.filter((a) => a !== "--check");
const dead = deadLinks(markdownFiles());
for (const problem of dead) console.log(`dead link: ${problem}`);
if (check && dead.length > 0) process.exit(1);
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
