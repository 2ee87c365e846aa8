// `streammetrics collect`: merges the states workers published to Redis (streammetrics/redis) and prints the
// value as `streammetrics merge` does. node-redis is an optional peer: lib/redis/ (which imports it) is loaded
// only when this command runs, so the rest of the bin works without it.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { MetricStateError } from "../errors/index.js";
import { HingeLoss, type AnyMetric } from "../metrics/index.js";
import { formatTable, summarize, toJsonOutput } from "./report.js";
import type { CliIo } from "./run.js";

/**
 * The help text of `streammetrics collect`.
 *
 * @example
 * ```ts
 * COLLECT_HELP.startsWith("Usage: streammetrics collect"); // => true
 * ```
 */
export const COLLECT_HELP = `Usage: streammetrics collect --redis URL --key KEY [options]

Merges the latest state of every worker that published under KEY (publishState of "streammetrics/redis") and
prints the value: bit-identical to one run over all the workers' data. Needs the "redis" package (npm i redis).

Options:
  --redis URL                    the Redis server, e.g. redis://127.0.0.1:6379 (default: $REDIS_URL)
  --key KEY                      the run's key
  --json                         print one JSON object instead of a table
  --skip-invalid                 leave out bad states (reported on stderr) instead of stopping at the first
  --state-out FILE               write the merged state
  -h, --help                     show this help

Exit codes: 0 success, 1 no state / a bad state / Redis unreachable, 2 usage error.

Example:
  streammetrics collect --redis redis://127.0.0.1:6379 --key eval:run-42 --json
`;

const FLAGS = {
  redis: { type: "string" },
  key: { type: "string" },
  json: { type: "boolean" },
  "skip-invalid": { type: "boolean" },
  "state-out": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

class Failure extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
    this.name = "Failure";
  }
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: FLAGS, allowPositionals: false, strict: true }).values;
  } catch (error) {
    const known = Object.keys(FLAGS).map((f) => `--${f}`);
    const unknown = /Unknown option '(--?[^']+)'/.exec((error as Error).message);
    throw new Failure(
      unknown !== null
        ? `unknown option ${unknown[1]}: known options: ${known.join(", ")}`
        : (error as Error).message,
      2,
    );
  }
}

/** The text output of a metric that is not a HingeLoss (a collection, another registered metric). */
function genericOutput(metric: AnyMetric, json: boolean, extra: Record<string, unknown>): string {
  const value = metric.compute();
  const kind = metric.toJSON().kind;
  if (json) return JSON.stringify({ metric: kind, value, ...extra }) + "\n";
  return `${kind} · ${String(extra.workers)} workers\n${JSON.stringify(value, null, 2)}\n`;
}

async function collect(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags(args);
  if (values.help === true) {
    io.stdout.write(COLLECT_HELP);
    return 0;
  }
  const url = values.redis ?? (io.env.REDIS_URL || undefined);
  if (url === undefined) throw new Failure("--redis URL is required (or set REDIS_URL)", 2);
  if (!/^rediss?:\/\//.test(url)) {
    throw new Failure(`--redis must be a redis:// or rediss:// URL, got ${JSON.stringify(url)}`, 2);
  }
  if (values.key === undefined || values.key === "") throw new Failure("--key KEY is required", 2);
  const key = values.key;

  let redis: typeof import("../redis/index.js");
  try {
    redis = await import("../redis/index.js");
  } catch (error) {
    throw new Failure(
      `collect needs the "redis" package (npm install redis): ${(error as Error).message}`,
      1,
    );
  }
  // a command fails fast: no reconnecting, a bounded connect
  const client = redis.createStateClient({ url, socket: { reconnectStrategy: false, connectTimeout: 5000 } });
  client.on("error", () => undefined); // reported through the rejected command instead
  try {
    await client.connect();
  } catch (error) {
    throw new Failure(`cannot connect to Redis at ${url}: ${(error as Error).message}`, 1);
  }
  try {
    let skipped = 0;
    const options = {
      onInvalid: values["skip-invalid"] === true ? ("skip" as const) : ("error" as const),
      onSkip: (error: MetricStateError) => {
        skipped += 1;
        io.stderr.write(`skipped ${error.message}\n`);
      },
    };
    const entries = await redis.readStates(client, key, options);
    const unreadable = skipped;
    const merged = redis.mergeStored(entries, options);
    if (merged === undefined) {
      throw new Failure(`no worker has published a valid state under key ${JSON.stringify(key)}`, 1);
    }
    const extra = { key, workers: entries.length - (skipped - unreadable), skipped };
    // By kind, not instanceof: a loader that runs this file as CommonJS (tsx under mocha) gives the
    // import() above its own copy of the library's classes.
    const state = merged.toJSON();
    if (state.kind === "HingeLoss") {
      const results = summarize([{ key: "", metric: HingeLoss.fromJSON(state) }], null);
      if (results.value === null) throw new Failure("nothing to evaluate: the total weight is 0", 1);
      io.stdout.write(values.json === true ? toJsonOutput(results, extra) + "\n" : formatTable(results));
    } else {
      io.stdout.write(genericOutput(merged, values.json === true, extra));
    }
    const statePath = values["state-out"];
    if (statePath !== undefined) {
      writeFileSync(statePath, JSON.stringify(state) + "\n");
      io.stderr.write(`state written to ${statePath}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof Error && error.name === "MetricStateError") {
      throw new Failure(`${key}: ${error.message}`, 1);
    }
    throw error;
  } finally {
    client.destroy();
  }
}

/**
 * Runs `streammetrics collect ARGS`: exit code 0 on success, 1 when there is no state, a bad state or no
 * Redis (the message on stderr), 2 for a usage error.
 *
 * @param args - the arguments after `collect`
 * @param io - streams and environment
 * @returns the exit code
 * @example
 * ```ts no-run
 * // io: the process's streams and environment (see CliIo); the command needs a Redis server
 * await runCollect(["--redis", "redis://127.0.0.1:6379", "--key", "eval:run-42"], io); // 0 on success
 * ```
 */
export async function runCollect(args: string[], io: CliIo): Promise<number> {
  try {
    return await collect(args, io);
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    io.stderr.write(
      error.code === 2
        ? `streammetrics collect: ${error.message}\nRun "streammetrics collect --help" for usage.\n`
        : `streammetrics collect: ${error.message}\n`,
    );
    return error.code;
  }
}
