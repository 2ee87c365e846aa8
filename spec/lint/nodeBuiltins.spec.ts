// The library runs unchanged in browsers: no file of lib/ outside lib/cli/ may import a Node built-in
// (static import, export … from, import type, dynamic import() or require()). eslint's no-restricted-imports
// rule says the same for a fixed list; this spec checks every import against Node's own list of built-ins.
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("../../", import.meta.url));
const builtins = new Set(builtinModules);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every module specifier the file imports, with its line. */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const info = ts.preProcessFile(text, true, true);
  const starts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === "\n") starts.push(i + 1);
  const lineOf = (pos: number): number => {
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= pos) line += 1;
    return line + 1;
  };
  return info.importedFiles.map((f) => ({ specifier: f.fileName, line: lineOf(f.pos) }));
}

/** True for `node:x` and for the bare names of Node's built-ins (`fs`, `fs/promises`, …). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith("node:") || builtins.has(specifier) || builtins.has(specifier.split("/")[0]);
}

describe("lint: no Node built-in imports in lib/ outside lib/cli/", function () {
  it("recognises every import form and Node's built-ins (the checker itself)", function () {
    const text = [
      'import { readFileSync } from "node:fs";',
      'import type { Worker } from "worker_threads";',
      'export { join } from "path";',
      'const p = await import("fs/promises");',
      'const c = require("crypto");',
      'import { z } from "zod";',
      'import { HingeLoss } from "../metrics/index.js";',
    ].join("\n");
    const found = importsOf(text);
    expect(found.map((f) => f.specifier)).to.deep.equal([
      "node:fs",
      "worker_threads",
      "path",
      "fs/promises",
      "crypto",
      "zod",
      "../metrics/index.js",
    ]);
    expect(found.map((f) => f.line)).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
    expect(found.map((f) => isNodeBuiltin(f.specifier))).to.deep.equal([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("finds none in lib/ (lib/cli/ excepted)", function () {
    const libDir = join(root, "lib");
    const files = sources(libDir).filter((f) => !relative(libDir, f).startsWith("cli"));
    expect(files.length).to.be.greaterThan(10);
    const offending = files.flatMap((file) =>
      importsOf(readFileSync(file, "utf8"))
        .filter((i) => isNodeBuiltin(i.specifier))
        .map((i) => `${relative(root, file)}:${i.line} imports ${i.specifier}`),
    );
    expect(offending, "Node built-ins imported by the browser-safe library").to.deep.equal([]);
  });
});
