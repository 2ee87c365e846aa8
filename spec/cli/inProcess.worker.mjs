// The CLI run in-process for the specs (spec/cli/support.ts): a worker thread that keeps lib/cli/run.ts loaded
// (TypeScript through the same tsx hooks as the spec process: spec/support/tsx.mjs) and runs
// `runCli(args, io)` for each request, with the stdin, stdout, stderr and environment of the request, as the
// bin (lib/cli/main.ts) would: an exception is an internal error, exit code 70. The caller blocks on `flag`
// (Atomics) until the result is posted.
import { Buffer } from "node:buffer";
import { Readable } from "node:stream";
import { URL } from "node:url";
import { takeCoverage } from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import "../support/tsx.mjs";
const { runCli } = await import(new URL("../../lib/cli/run.ts", import.meta.url).href);
const { port, flag } = workerData;
const signal = new Int32Array(flag);

port.on("message", async ({ stop, args, input, env }) => {
  if (stop) {
    if (process.env.NODE_V8_COVERAGE) takeCoverage(); // the caller terminates the thread next
    port.postMessage({ stopped: true });
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
    return;
  }
  let stdout = "";
  let stderr = "";
  const io = {
    stdin: Readable.from(input === "" ? [] : [Buffer.from(input)]),
    stdout: { write: (text) => ((stdout += text), true) },
    stderr: { write: (text) => ((stderr += text), true) },
    env,
  };
  let code;
  try {
    code = await runCli(args, io);
  } catch (error) {
    stderr += `streammetrics: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
    code = 70;
  }
  port.postMessage({ code, stdout, stderr });
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
parentPort.postMessage("ready");
