import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
export { prng } from "../support/prng.js";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The built bin, as package.json's `bin` names it. */
export const BIN = join(ROOT, "dist", "cli", "main.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when the bin is missing or older than a source file (type errors elsewhere do not stop tsc). */
export function ensureBuilt(): void {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestMtime(join(ROOT, "lib"))) return;
  spawnSync(process.execPath, [join(ROOT, "node_modules", ".bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  if (!existsSync(BIN)) throw new Error(`building ${BIN} failed`);
}

/** What a run of the bin gave. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built bin with the arguments (and stdin text). `CI` is removed from the environment unless given,
 * so that the progress bar depends on the TTY alone.
 */
export function cli(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {},
): Run {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CI;
  // the bin is not under coverage (lib/cli is excluded): keep c8's V8 coverage out of the child
  delete env.NODE_V8_COVERAGE;
  Object.assign(env, opts.env ?? {});
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), BIN, ...args], {
    input: opts.input ?? "",
    env,
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs with `--json` and parses stdout; fails with stderr when the exit code is not 0. */
export function cliJson(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): CliJson {
  const r = cli([...args, "--json"], opts);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliJson;
}

/** The `--json` output. */
export interface CliJson {
  metric: string;
  options: Record<string, unknown>;
  task: string | null;
  numClasses: number | null;
  value: number | number[];
  samples: number;
  total: number;
  lines?: number;
  skipped?: number;
  states?: number;
  by?: string;
  groups?: { group: string; value: number | number[] | null; samples: number; total: number }[];
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "streammetrics-cli-"));
}

/**
 * Runs the CLI's main function in this process (no spawn: much faster than {@link cli}), with `input` on
 * stdin, no TTY and no `CI`. Use {@link cli} only where the process itself matters (node flags, a pty, memory).
 */
export async function cliIn(args: string[], opts: { input?: string } = {}): Promise<Run> {
  const { runCli } = await import("../../lib/cli/run.js");
  const r = { code: 0 as number | null, stdout: "", stderr: "" };
  const input = opts.input ?? "";
  r.code = await runCli(args, {
    stdin: input === "" ? [] : [Buffer.from(input)],
    stdout: { write: (t: string) => (r.stdout += t) },
    stderr: { write: (t: string) => (r.stderr += t) },
    env: {},
  } as never);
  return r;
}

/** {@link cliIn} with `--json`, parsed; fails with stderr when the exit code is not 0. */
export async function cliJsonIn(args: string[], opts: { input?: string } = {}): Promise<CliJson> {
  const r = await cliIn([...args, "--json"], opts);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as CliJson;
}
