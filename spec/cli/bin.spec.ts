// The `streammetrics` bin is dist/cli/bin/main.js, the compiled CLI bundled by scripts/bundleCli.mjs (one
// module graph instead of ~230 files: a shorter start). The bundle must be the same program: each command
// below runs through both and must give the same exit code, stdout and stderr, byte for byte.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BIN, ensureBuilt, prng, ROOT, tempDir } from "./support.js";

const COMPILED = join(ROOT, "dist", "cli", "main.js");

interface Out {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawn(file: string, args: string[], input = ""): Out {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NODE_V8_COVERAGE; // spawned, not measured
  delete env.CI;
  const r = spawnSync(process.execPath, [file, ...args], { input, env, cwd: ROOT, encoding: "utf8" });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the streammetrics bin (the bundled CLI)", function () {
  this.timeout(120000);
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => {
    ensureBuilt();
    dir = tempDir();
  });

  it("is what package.json names, a script with a shebang", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(join(ROOT, pkg.bin.streammetrics)).to.equal(BIN);
    expect(readFileSync(BIN, "utf8").startsWith("#!/usr/bin/env node\n")).to.equal(true);
  });

  it("leaves the peer dependencies (rxjs, redis) to the user's copies: imported, not bundled", () => {
    const dirOf = join(ROOT, "dist", "cli", "bin");
    const text = readdirSync(dirOf)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(dirOf, f), "utf8"))
      .join("\n");
    expect(text).to.match(/from "rxjs"/);
    expect(text).to.match(/from "redis"/);
    expect(text).to.not.match(/node_modules\/(rxjs|redis|@redis)\//); // esbuild's path comments of bundled files
    expect(text).to.match(/node_modules\/zod\//); // zod is a dependency: bundled
  });

  it("gives the compiled CLI's output, byte for byte, for every command", () => {
    const rand = prng(17);
    const lines = ["epoch,target,pred_0,pred_1,pred_2"];
    for (let i = 0; i < 400; i++) {
      const row = [1 + (i % 3), Math.floor(rand() * 3), ...[0, 1, 2].map(() => (rand() * 4 - 2).toFixed(5))];
      lines.push(row.join(","));
    }
    const csv = file("rows.csv", lines.join("\n") + "\n");
    const nd = file(
      "bin.ndjson",
      Array.from({ length: 300 }, () =>
        JSON.stringify({ preds: rand() * 4 - 2, target: rand() < 0.5 ? 1 : 0 }),
      )
        .join("\n")
        .concat("\n"),
    );
    const bad = file("bad.csv", "target,pred\n1,0.5\n2,oops\n");
    const cases: { args: string[]; input?: string; code: number }[] = [
      { args: ["--version"], code: 0 },
      { args: ["--help"], code: 0 },
      { args: ["hinge", "--help"], code: 0 },
      { args: ["hinge", csv], code: 0 },
      { args: ["hinge", csv, "--by", "epoch", "--json"], code: 0 },
      {
        args: ["hinge", csv, "--multiclass-mode", "one-vs-all", "--state-out", join(dir, "s1.json")],
        code: 0,
      },
      { args: ["hinge", nd, "--squared", "--state-out", join(dir, "s2.json")], code: 0 },
      { args: ["hinge", "-", "--format", "ndjson"], input: readFileSync(nd, "utf8"), code: 0 },
      {
        args: [
          "eval",
          csv,
          "--metric",
          "accuracy",
          "--metric",
          "hinge",
          "--task",
          "multiclass",
          "--num-classes",
          "3",
        ],
        code: 0,
      },
      { args: ["merge", join(dir, "s1.json"), join(dir, "s1.json"), "--json"], code: 0 },
      { args: ["demo", "--seed", "7"], code: 0 },
      { args: ["hinge", bad], code: 1 },
      { args: ["merge", join(dir, "s1.json"), join(dir, "s2.json")], code: 1 },
      { args: ["hinge", "--no-such-flag"], code: 2 },
    ];
    for (const c of cases) {
      const bundled = spawn(BIN, c.args, c.input);
      const compiled = spawn(COMPILED, c.args, c.input);
      expect(bundled, c.args.join(" ")).to.deep.equal(compiled);
      expect(bundled.code, `${c.args.join(" ")}: ${bundled.stderr}`).to.equal(c.code);
    }
  });
});
