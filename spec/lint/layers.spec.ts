// The layer table of DESIGN §1/§8, checked over the import graph of lib/ (issue 13 item 6):
//   errors ← input, state, options ← metrics (base, families, the functional forms) ← compat, rx, redis, cli
// A module imports from a lower layer or from inside its own module (lib/<m>/, or lib/compat/<m>/); never
// from a sibling of its own layer or from above. Only lib/rx/ imports rxjs, only lib/redis/ imports redis,
// only lib/cli/ imports Node built-ins; zod is the one other package the library uses. lib/index.ts (the
// root entry point) re-exports from every layer below it.
import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { importsOf, isNodeBuiltin } from "./nodeBuiltins.spec.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const libDir = join(root, "lib");

const LAYER: Record<string, number> = {
  errors: 0,
  input: 1,
  state: 1,
  options: 1,
  metrics: 2,
  functional: 2,
  compat: 3,
  rx: 3,
  redis: 3,
  wasm: 1,
  // the command is the edge (DESIGN §1: cli → rx → metrics); it also reads Redis (`collect`)
  cli: 4,
  "index.ts": 5,
};

/** Which packages each module may import (besides relative paths): zod everywhere, the rest by owner. */
const PACKAGES: Record<string, (module: string) => boolean> = {
  zod: () => true,
  // lib/redis/ too: watchStates returns an Observable (a change of the table, documented in docs/redis.md)
  rxjs: (m) => m === "rx" || m === "redis",
  redis: (m) => m === "redis",
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|mts)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Files of one facade that the others may import (a change of the table, with its reason): the dense-array
 * readers of the Keras and torchmetrics facades, which the tf and sklearn facades reuse rather than copy.
 * Moving them to a lib/compat/shared/ module is left to their owners (both facades are being reworked).
 */
const SHARED = new Set(["compat/keras/dense.ts", "compat/torchmetrics/ndarray.ts"]);

/** `metrics`, `compat/keras`, `index.ts`: the module a path of lib/ belongs to. */
export function moduleOf(pathInLib: string): string {
  const parts = pathInLib.split(/[\\/]/);
  // lib/functional/ is the old path of the functional forms, which live with their metrics (lib/metrics/<family>/)
  if (parts[0] === "functional") return "metrics";
  return parts[0] === "compat" && parts.length > 2 ? `compat/${parts[1]}` : parts[0];
}

/** Why the import of `to` (a path in lib/) by `from` breaks the table, or undefined when it is allowed. */
export function breach(from: string, to: string): string | undefined {
  const a = moduleOf(from);
  const b = moduleOf(to);
  if (a === b) return undefined;
  if (a.startsWith("compat/") && SHARED.has(to.replace(/\\/g, "/").replace(/\.js$/, ".ts"))) return undefined;
  const la = LAYER[a.split("/")[0]];
  const lb = LAYER[b.split("/")[0]];
  if (la === undefined || lb === undefined) return `${a} or ${b} is not in the layer table`;
  if (lb < la) return undefined;
  return lb === la
    ? `${a} imports its sibling ${b}`
    : `${a} (layer ${la}) imports ${b} (layer ${lb}) above it`;
}

/** Why importing the package `specifier` from `module` breaks the rules, or undefined. */
export function packageBreach(module: string, specifier: string): string | undefined {
  if (isNodeBuiltin(specifier))
    return module === "cli" ? undefined : `${module} imports the Node built-in ${specifier}`;
  const name = specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : specifier.split("/")[0];
  const allowed = PACKAGES[name];
  if (allowed === undefined) return `${module} imports ${specifier}, a package the library does not use`;
  return allowed(module.split("/")[0]) ? undefined : `${module} imports ${specifier} (only its owner may)`;
}

describe("lint: the layer table (DESIGN §1/§8) over lib/'s import graph", function () {
  it("the checker itself: allowed and refused imports", function () {
    expect(breach("metrics/hinge/HingeLoss.ts", "metrics/Metric.ts")).to.equal(undefined);
    expect(breach("metrics/Metric.ts", "state/index.ts")).to.equal(undefined);
    expect(breach("compat/keras/metrics.ts", "metrics/index.ts")).to.equal(undefined);
    expect(breach("state/fixed.ts", "metrics/Metric.ts")).to.match(/above it/);
    expect(breach("input/tensor.ts", "options/index.ts")).to.match(/sibling/);
    expect(breach("compat/keras/dense.ts", "compat/tf/hingeLoss.ts")).to.match(/sibling/);
    expect(breach("compat/tf/hingeLoss.ts", "compat/keras/dense.js")).to.equal(undefined);
    expect(breach("rx/index.ts", "compat/keras/dense.js")).to.match(/sibling/);
    expect(breach("functional/index.ts", "metrics/hinge/index.js")).to.equal(undefined);
    expect(breach("rx/accumulate.ts", "cli/run.ts")).to.match(/above it/);
    expect(breach("rx/accumulate.ts", "redis/index.ts")).to.match(/sibling/);
    expect(breach("metrics/index.ts", "index.ts")).to.match(/above it/);
    expect(packageBreach("rx", "rxjs")).to.equal(undefined);
    expect(packageBreach("metrics", "rxjs")).to.match(/only its owner/);
    expect(packageBreach("redis", "redis")).to.equal(undefined);
    expect(packageBreach("compat/keras", "redis")).to.match(/only its owner/);
    expect(packageBreach("state", "node:fs")).to.match(/Node built-in/);
    expect(packageBreach("cli", "node:fs")).to.equal(undefined);
    expect(packageBreach("metrics", "lodash")).to.match(/does not use/);
  });

  it("lib/ has no breach", function () {
    const files = sources(libDir);
    expect(files.length).to.be.greaterThan(30);
    const found: string[] = [];
    for (const file of files) {
      const from = relative(libDir, file);
      for (const { specifier, line } of importsOf(readFileSync(file, "utf8"))) {
        const why = specifier.startsWith(".")
          ? breach(from, relative(libDir, resolve(dirname(file), specifier)))
          : packageBreach(moduleOf(from), specifier);
        if (why !== undefined) found.push(`lib/${from}:${line} ${specifier}: ${why}`);
      }
    }
    expect(found).to.deep.equal([]);
  });
});
