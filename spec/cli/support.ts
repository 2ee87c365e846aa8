import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
export { prng } from "../support/prng.js";

/** The project root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The built bin, as package.json's `bin` names it. */
export const BIN = join(ROOT, "dist", "cli", "bin", "main.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds dist/ and the bundled bin (`npm run build`'s two steps) when the bin is missing or older than a source
 * file (type errors elsewhere do not stop tsc).
 */
export function ensureBuilt(): void {
  if (existsSync(BIN) && statSync(BIN).mtimeMs >= newestMtime(join(ROOT, "lib"))) return;
  spawnSync(process.execPath, [join(ROOT, "node_modules", ".bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "ignore",
  });
  spawnSync(process.execPath, [join(ROOT, "scripts", "bundleCli.mjs")], { cwd: ROOT, stdio: "ignore" });
  if (!existsSync(BIN)) throw new Error(`building ${BIN} failed`);
}

/** What a run of the bin gave. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The in-process CLI: one worker thread for the whole run (spec/cli/inProcess.worker.mjs). */
interface InProcess {
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
}

/** Waits (blocking) for the worker's next message. */
function receive(state: InProcess, what: string): unknown {
  if (Atomics.wait(state.signal, 0, 0, 120_000) === "timed-out")
    throw new Error(`the in-process CLI timed out (${what})`);
  Atomics.store(state.signal, 0, 0);
  const message = receiveMessageOnPort(state.port);
  if (message === undefined) throw new Error(`the in-process CLI posted nothing (${what})`);
  return message.message;
}

/**
 * Starts the worker, and resolves once it has loaded lib/cli. The thread loads TypeScript through the tsx
 * hooks it inherits (execArgv), which talk to this thread while they start: this thread must not block
 * before the worker is up, hence an asynchronous start, awaited when this module loads.
 */
async function start(): Promise<InProcess> {
  const coverageDir = process.env.STREAMMETRICS_SPEC_COVERAGE;
  const { port1, port2 } = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  // Node measures a worker thread when the spawning process has NODE_V8_COVERAGE while the thread starts:
  // put it back until the worker is up (no spec runs meanwhile, so no child process inherits it)
  if (coverageDir !== undefined) process.env.NODE_V8_COVERAGE = coverageDir;
  const worker = new Worker(new URL("./inProcess.worker.mjs", import.meta.url), {
    workerData: { port: port2, flag },
    transferList: [port2],
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
    });
  } finally {
    delete process.env.NODE_V8_COVERAGE;
  }
  worker.unref();
  port1.unref();
  const state = { worker, port: port1, signal: new Int32Array(flag) };
  // a worker's coverage is not written when it is terminated: before the process ends, ask it to write it
  // (v8.takeCoverage) and wait until it has
  process.once("beforeExit", () => {
    state.port.postMessage({ stop: true });
    receive(state, "stop");
    void worker.terminate();
  });
  return state;
}

const inProcess: InProcess = await start();

/**
 * Runs the CLI with the arguments (and stdin text), as the bin would. It runs in-process (a worker thread
 * that keeps lib/cli loaded: no node start per call), except when node options are given or a state is read
 * from stdin (`merge -` reads file descriptor 0): then the built bin is spawned. `CI` is removed from the
 * environment unless given, so that the progress bar depends on the TTY alone.
 */
export function cli(
  args: string[],
  opts: { input?: string; env?: Record<string, string>; cwd?: string; nodeArgs?: string[] } = {},
): Run {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.CI;
  // a spawned bin is not measured: keep c8's V8 coverage out of the child
  delete env.NODE_V8_COVERAGE;
  Object.assign(env, opts.env ?? {});
  const spawn =
    opts.nodeArgs !== undefined || opts.cwd !== undefined || (args[0] === "merge" && args.includes("-"));
  if (!spawn) {
    inProcess.port.postMessage({ args, input: opts.input ?? "", env });
    return receive(inProcess, args.join(" ")) as Run;
  }
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
