// The optional peers stay behind their subpaths: only lib/redis/ imports redis (streammetrics/redis), and
// only lib/rx/ and lib/redis/ import rxjs (watchStates returns an Observable). Nothing else in lib/ may import
// either, so `streammetrics` itself installs and runs without them. lib/redis/ imports no Node built-in
// (the no-built-ins spec covers it): it runs wherever node-redis runs.
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { importsOf } from "./nodeBuiltins.spec.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The package a bare specifier names (`@scope/name` or `name`), or null for a relative or node: one. */
export function packageOf(specifier: string): string | null {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Which folders of lib/ may import each optional peer (and its scoped parts, e.g. @redis/client). */
const ALLOWED: Record<string, string[]> = {
  redis: ["redis"],
  "@redis/client": ["redis"],
  rxjs: ["rx", "redis"],
};

describe("lint: optional peers only behind their subpaths", function () {
  it("names the package of a specifier (the checker itself)", function () {
    expect(
      ["redis", "@redis/client/dist/x", "rxjs/operators", "./a.js", "node:fs", "zod"].map(packageOf),
    ).to.deep.equal(["redis", "@redis/client", "rxjs", null, null, "zod"]);
  });

  it("finds redis imported only in lib/redis/ and rxjs only in lib/rx/ and lib/redis/", function () {
    const libDir = join(root, "lib");
    const files = sources(libDir);
    const offending: string[] = [];
    let redisImports = 0;
    for (const file of files) {
      const folder = relative(libDir, file).split(sep)[0];
      for (const { specifier, line } of importsOf(readFileSync(file, "utf8"))) {
        const pkg = packageOf(specifier);
        if (pkg === null || ALLOWED[pkg] === undefined) continue;
        if (pkg === "redis") redisImports += 1;
        if (!ALLOWED[pkg].includes(folder))
          offending.push(`${relative(root, file)}:${line} imports ${specifier}`);
      }
    }
    expect(redisImports, "lib/redis/ imports redis (the check sees it)").to.be.greaterThan(0);
    expect(offending).to.deep.equal([]);
  });
});
