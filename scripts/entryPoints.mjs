// The package's public entry points, read from package.json `exports`: each subpath, its built file in dist/
// and the TypeScript source it is built from. Used by the docs build, the packaging smoke test and the specs,
// so a new subpath is picked up everywhere once it is in `exports`.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Peers an entry point needs that only run on Node (a browser bundle leaves them out: the library's own code
 * behind the subpath must still bundle for the browser). node-redis opens TCP sockets.
 */
const NODE_ONLY_PEERS = { "./redis": ["redis"] };

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Lists the code subpaths of `exports` (not `./package.json`).
 * @returns {{ subpath: string, specifier: string, dist: string, types: string, source: string, sourceExists: boolean, nodeOnlyPeers: string[] }[]}
 */
export function entryPoints() {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const out = [];
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (subpath.endsWith(".json")) continue;
    const dist = typeof target === "string" ? target : (target.import ?? target.default);
    const types = typeof target === "string" ? undefined : target.types;
    const source = dist.replace(/^\.\/dist\//, "lib/").replace(/\.js$/, ".ts");
    out.push({
      subpath,
      specifier: subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      dist,
      types,
      source,
      sourceExists: existsSync(join(root, source)),
      nodeOnlyPeers: NODE_ONLY_PEERS[subpath] ?? [],
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const e of entryPoints())
    console.log(`${e.specifier}\t${e.source}\t${e.sourceExists ? "present" : "absent"}`);
}
