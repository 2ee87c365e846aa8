import { ClientClosedError, DisconnectsClientError, ErrorReply, ReconnectStrategyError } from "redis";
import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import { Metric, type AnyMetric } from "../metrics/index.js";
import { describe } from "../options/index.js";
import { PUBLISH_SCRIPT_NAME, PUBLISH_SCRIPT_SHA1, PUBLISH_SCRIPT_TEXT } from "./script.js";
import {
  checkTarget,
  checkWorkerRef,
  replyText,
  splitStored,
  type PublishTarget,
  type StateClient,
  type WorkerRef,
} from "./target.js";

/**
 * Options of {@link publishState}.
 *
 * @example
 * ```ts
 * const options: PublishOptions = { retries: 5 };
 * ```
 */
export interface PublishOptions {
  /**
   * How many times a publish that failed on the connection (not a Redis error reply) is sent again, default
   * 3. node-redis queues the retry until it has reconnected. A retry can never count the state twice: if the
   * lost attempt reached the server, the retry has the same seq and is ignored.
   */
  readonly retries?: number;
}

type ScriptClient = Record<string, unknown>;

/** One attempt: the registered script when the client has it, else EVALSHA with one EVAL fallback. */
async function evalPublish(client: StateClient, args: readonly [string, string, string, string]) {
  const registered = (client as unknown as ScriptClient)[PUBLISH_SCRIPT_NAME];
  if (typeof registered === "function") {
    return (await (registered as (...a: string[]) => Promise<unknown>).apply(client, [...args])) as unknown;
  }
  const [key, ...argv] = args;
  try {
    return await client.sendCommand(["EVALSHA", PUBLISH_SCRIPT_SHA1, "1", key, ...argv]);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
    return await client.sendCommand(["EVAL", PUBLISH_SCRIPT_TEXT, "1", key, ...argv]);
  }
}

/**
 * True for a failure of the connection (worth a retry once node-redis has reconnected), false for an answer
 * of the server (an `ErrorReply`), a client closed for good (closed, disconnected, or its reconnect strategy
 * gave up), our own errors, or anything that is not an Error.
 *
 * @param error - what a command rejected with
 * @returns whether to try again
 * @example
 * ```ts
 * isConnectionFailure(new Error("Socket closed unexpectedly")); // => true
 * ```
 */
export function isConnectionFailure(error: unknown): boolean {
  return (
    error instanceof Error &&
    !(error instanceof ErrorReply) &&
    !(error instanceof ClientClosedError) &&
    !(error instanceof DisconnectsClientError) &&
    !(error instanceof ReconnectStrategyError) &&
    !(error instanceof InvalidOptionsError) &&
    !(error instanceof MetricStateError)
  );
}

/**
 * Publishes a worker's cumulative state under `key`, atomically (one Lua script on the server): the state is
 * stored with its `seq` unless the stored seq is at or above it, so a duplicate, a retry or an out-of-order
 * delivery can never count a batch twice. Each stored publish is announced on the pub/sub channel named
 * `key` (what {@link watchStates} listens to). The metric is serialised when the call starts; updating it
 * afterwards does not change what is published. A publish lost with the connection is retried
 * ({@link PublishOptions.retries}).
 *
 * @param client - a connected node-redis client ({@link createStateClient}, or any `createClient()` client)
 * @param target - `{ key, worker, seq }`: the run, the worker, and its position in its own input
 * @param metric - the worker's metric: everything it has seen up to `seq` (any registered metric or a
 * `MetricCollection`)
 * @param options - {@link PublishOptions}
 * @returns true when this call stored the state (a retry whose lost first attempt had stored it counts),
 * false when it was ignored: its seq is at or below the stored one (a duplicate or a stale publish)
 * @throws {@link InvalidOptionsError} for a bad target or options, or when `metric` is not a metric
 * @throws the client's error when Redis refuses the command or the connection stays down after the retries
 * @example
 * ```ts no-run
 * await publishState(client, { key: "eval:run-42", worker: "w3", seq: 17 }, metric); // => true
 * await publishState(client, { key: "eval:run-42", worker: "w3", seq: 17 }, metric); // => false
 * ```
 */
export async function publishState(
  client: StateClient,
  target: PublishTarget,
  metric: AnyMetric,
  options: PublishOptions = {},
): Promise<boolean> {
  const { key, worker, seq } = checkTarget(target);
  if (!(metric instanceof Metric)) {
    throw new InvalidOptionsError(`publishState: metric must be a Metric, got ${describe(metric)}`);
  }
  const retries = options.retries ?? 3;
  if (!Number.isSafeInteger(retries) || retries < 0) {
    throw new InvalidOptionsError(`publishState: retries must be an integer ≥ 0, got ${describe(retries)}`);
  }
  const json = JSON.stringify(metric.toJSON());
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = Number(await evalPublish(client, [key, worker, String(seq), json]));
      // 2: the server holds exactly this publish; on a retry, that is the lost first attempt's doing
      return reply === 1 || (reply === 2 && attempt > 0);
    } catch (error) {
      if (attempt >= retries || !isConnectionFailure(error)) throw error;
    }
  }
}

/**
 * What {@link resumeState} gives a worker: its last published seq and state, to continue from.
 *
 * @typeParam M - the worker's metric type
 * @example
 * ```ts
 * const resumed: Resumed<HingeLoss> = { seq: 0, metric: new HingeLoss() };
 * ```
 */
export interface Resumed<M> {
  /** The last stored seq, 0 when the worker never published. */
  readonly seq: number;
  /** A fresh metric from the factory, holding the last stored state. */
  readonly metric: M;
}

/**
 * Reads a worker's own state, as a restarted worker does to continue where it stopped: the input before
 * `seq` is already counted in `metric`, so it resumes its input at `seq` and publishes later states with
 * higher seqs. A worker never seen gets `{ seq: 0, metric: factory() }`. The stored state is untrusted: it
 * is merged into `factory()`, which refuses a state of another kind, version, options, task or class count.
 *
 * @typeParam M - the worker's metric type
 * @param client - a connected node-redis client
 * @param ref - `{ key, worker }`
 * @param factory - builds the worker's empty metric (the same options as before the restart)
 * @returns `{ seq, metric }`
 * @throws {@link InvalidOptionsError} for a bad `ref` or when the factory returns no metric
 * @throws {@link MetricStateError} naming the worker when the stored state is malformed or does not fit
 * @example
 * ```ts no-run
 * const { seq, metric } = await resumeState(client, { key: "eval:run-42", worker: "w3" }, () => new HingeLoss());
 * seq; // => 17
 * ```
 */
export async function resumeState<M extends AnyMetric>(
  client: StateClient,
  ref: WorkerRef,
  factory: () => M,
): Promise<Resumed<M>> {
  const { key, worker } = checkWorkerRef(ref, "resumeState");
  const fresh = (): M => {
    const metric = factory();
    if (!(metric instanceof Metric)) {
      throw new InvalidOptionsError(`resumeState: factory must return a Metric, got ${describe(metric)}`);
    }
    return metric;
  };
  const stored = await client.sendCommand(["HGET", key, worker]);
  if (stored === null || stored === undefined) return { seq: 0, metric: fresh() };
  const { seq, state } = splitStored(replyText(stored), worker);
  const metric = fresh();
  try {
    metric.merge(state as ReturnType<M["toJSON"]>);
  } catch (error) {
    if (error instanceof MetricStateError) {
      throw new MetricStateError(`worker ${JSON.stringify(worker)}: ${error.message}`);
    }
    throw error;
  }
  return { seq, metric };
}
