import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import { describe } from "../options/index.js";

/**
 * What `streammetrics/redis` needs of a client: node-redis's `sendCommand` (a `createClient()` client, with or
 * without {@link stateScripts}), and for {@link watchStates} `duplicate()`. A Redis Cluster client is not one.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client: StateClient = createClient({ url: "redis://127.0.0.1:6379" });
 * ```
 */
export interface StateClient {
  /** Sends one command and resolves with its reply. */
  sendCommand(args: readonly string[]): Promise<unknown>;
}

/**
 * Where a worker's state lives: the hash `key` (one field per worker) and the worker's name in it.
 *
 * @example
 * ```ts
 * const where: WorkerRef = { key: "eval:run-42", worker: "w3" };
 * ```
 */
export interface WorkerRef {
  /** The Redis key of the run (a hash: one field per worker); also the pub/sub channel of its publishes. */
  readonly key: string;
  /** The worker's name, unique within the run. */
  readonly worker: string;
}

/**
 * A publish: the worker, and `seq`, its position in its own input (batches or bytes consumed so far). The
 * state published with it covers exactly the input before `seq`.
 *
 * @example
 * ```ts
 * const at: PublishTarget = { key: "eval:run-42", worker: "w3", seq: 17 };
 * ```
 */
export interface PublishTarget extends WorkerRef {
  /** A safe integer ≥ 0; a publish at or below the stored seq is ignored. */
  readonly seq: number;
}

/** Longest key and worker name accepted (Redis allows more; a name this long is a mistake). */
const MAX_NAME = 1024;

/**
 * Checks a Redis key given as `name`.
 *
 * @param key - the value to check
 * @param name - how the caller called it, for the message
 * @returns the key
 * @throws {@link InvalidOptionsError} when it is not a non-empty string of at most 1024 characters
 * @example
 * ```ts
 * checkKey("eval:run-42", "key"); // => "eval:run-42"
 * ```
 */
export function checkKey(key: unknown, name: string): string {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_NAME) {
    throw new InvalidOptionsError(
      `${name} must be a non-empty string of at most ${MAX_NAME} characters, got ${describe(key)}`,
    );
  }
  return key;
}

/**
 * Checks a worker reference (`{ key, worker }`).
 *
 * @param ref - the value to check
 * @param name - how the caller called it, for the message
 * @returns the checked reference
 * @throws {@link InvalidOptionsError} for a missing or bad `key` or `worker`
 * @example
 * ```ts
 * checkWorkerRef({ key: "k", worker: "w1" }, "resumeState").worker; // => "w1"
 * ```
 */
export function checkWorkerRef(ref: unknown, name: string): WorkerRef {
  if (ref === null || typeof ref !== "object") {
    throw new InvalidOptionsError(`${name} needs { key, worker }, got ${describe(ref)}`);
  }
  const { key, worker } = ref as Record<string, unknown>;
  return { key: checkKey(key, `${name}: key`), worker: checkKey(worker, `${name}: worker`) };
}

/**
 * Checks a publish target (`{ key, worker, seq }`).
 *
 * @param target - the value to check
 * @returns the checked target
 * @throws {@link InvalidOptionsError} for a bad `key`, `worker` or `seq`
 * @example
 * ```ts
 * checkTarget({ key: "k", worker: "w1", seq: 3 }).seq; // => 3
 * ```
 */
export function checkTarget(target: unknown): PublishTarget {
  const ref = checkWorkerRef(target, "publishState");
  const seq = (target as Record<string, unknown>).seq;
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 0) {
    throw new InvalidOptionsError(`publishState: seq must be a safe integer ≥ 0, got ${describe(seq)}`);
  }
  return { ...ref, seq };
}

/**
 * Splits a stored value `"<seq> <state JSON>"` into its seq and its (still untrusted) state.
 *
 * @param stored - the hash field's value as read from Redis
 * @param worker - the worker it belongs to, for the message
 * @returns the seq and the parsed JSON state
 * @throws {@link MetricStateError} naming the worker when the value is not of that form
 * @example
 * ```ts
 * splitStored('3 {"kind":"HingeLoss"}', "w1"); // => { seq: 3, state: { kind: "HingeLoss" } }
 * ```
 */
export function splitStored(stored: string, worker: string): { seq: number; state: unknown } {
  const match = /^(0|[1-9]\d{0,15}) /.exec(stored);
  const seq = match === null ? NaN : Number(match[1]);
  if (!Number.isSafeInteger(seq)) {
    throw new MetricStateError(
      `worker ${JSON.stringify(worker)}: the stored value must start with its seq (a safe integer ≥ 0) and a space, got ${JSON.stringify(stored.slice(0, 40))}`,
    );
  }
  try {
    return { seq, state: JSON.parse(stored.slice(match![0].length)) as unknown };
  } catch (error) {
    throw new MetricStateError(
      `worker ${JSON.stringify(worker)}: the state is not valid JSON (${(error as Error).message})`,
    );
  }
}

/**
 * A reply value as text: node-redis gives strings, or bytes with a Buffer type mapping.
 *
 * @param value - a bulk string reply
 * @returns the text (UTF-8)
 * @example
 * ```ts
 * replyText(new TextEncoder().encode("w1")); // => "w1"
 * ```
 */
export function replyText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  throw new MetricStateError(`expected a string reply from Redis, got ${describe(value)}`);
}
