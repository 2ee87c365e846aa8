import { InvalidOptionsError, MetricStateError } from "../errors/index.js";
import { mergeStates, type AnyMetric, type MetricStateJSON } from "../metrics/index.js";
import { describe } from "../options/index.js";
import { checkKey, replyText, splitStored, type StateClient } from "./target.js";

/**
 * Options of {@link collectStates} and {@link watchStates}.
 *
 * @example
 * ```ts
 * const skipped: string[] = [];
 * const options: CollectOptions = { onInvalid: "skip", onSkip: (error) => skipped.push(error.message) };
 * ```
 */
export interface CollectOptions {
  /** `"error"` (default): a bad state rejects with its `MetricStateError`; `"skip"`: it is left out. */
  readonly onInvalid?: "error" | "skip";
  /** With `onInvalid: "skip"`, called for each state left out, with the error (naming the worker). */
  readonly onSkip?: (error: MetricStateError, worker: string) => void;
}

/**
 * One worker's stored entry as read by {@link readStates}, not yet decoded.
 *
 * @example
 * ```ts
 * const entry: StoredState = { worker: "w1", seq: 3, state: { kind: "HingeLoss" } };
 * ```
 */
export interface StoredState {
  /** The worker's name. */
  readonly worker: string;
  /** Its stored seq. */
  readonly seq: number;
  /** Its state: parsed JSON, still untrusted. */
  readonly state: unknown;
}

/** HGETALL's reply, whatever the RESP version and type mapping: flat pairs, a Map or a plain object. */
function pairsOf(reply: unknown): [unknown, unknown][] {
  if (Array.isArray(reply)) {
    const pairs: [unknown, unknown][] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) pairs.push([reply[i], reply[i + 1]]);
    return pairs;
  }
  if (reply instanceof Map) return Array.from(reply as Map<unknown, unknown>);
  if (reply !== null && typeof reply === "object") return Object.entries(reply);
  throw new MetricStateError(`expected a hash from HGETALL, got ${describe(reply)}`);
}

/**
 * Reads every worker's latest entry under `key` in one command (`HGETALL`: one consistent snapshot), sorted
 * by worker name. A value that is not `"<seq> <JSON>"` is an error naming the worker, or with `onInvalid:
 * "skip"` left out and reported.
 *
 * @param client - a connected node-redis client
 * @param key - the run's key
 * @param options - {@link CollectOptions}
 * @returns the entries, sorted by worker
 * @throws {@link InvalidOptionsError} for a bad key or options
 * @throws {@link MetricStateError} for a malformed entry (naming the worker), or when `key` is not a hash
 * @example
 * ```ts no-run
 * (await readStates(client, "eval:run-42")).map((e) => `${e.worker}@${e.seq}`); // => ["w1@9", "w2@7"]
 * ```
 */
export async function readStates(
  client: StateClient,
  key: string,
  options: CollectOptions = {},
): Promise<StoredState[]> {
  checkKey(key, "key");
  const { skip, onSkip } = checkCollectOptions(options);
  let reply: unknown;
  try {
    reply = await client.sendCommand(["HGETALL", key]);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("WRONGTYPE")) {
      throw new MetricStateError(
        `key ${JSON.stringify(key)} does not hold streammetrics states (not a hash)`,
      );
    }
    throw error;
  }
  const entries: StoredState[] = [];
  for (const [field, value] of pairsOf(reply)) {
    const worker = replyText(field);
    try {
      entries.push({ worker, ...splitStored(replyText(value), worker) });
    } catch (error) {
      if (!(error instanceof MetricStateError) || !skip) throw error;
      onSkip?.(error, worker);
    }
  }
  return entries.sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
}

function checkCollectOptions(options: CollectOptions): {
  skip: boolean;
  onSkip: CollectOptions["onSkip"];
} {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionsError(`options must be an object, got ${describe(options)}`);
  }
  const { onInvalid = "error", onSkip } = options;
  if (onInvalid !== "error" && onInvalid !== "skip") {
    throw new InvalidOptionsError(`onInvalid must be "error" or "skip", got ${describe(onInvalid)}`);
  }
  if (onSkip !== undefined && typeof onSkip !== "function") {
    throw new InvalidOptionsError(`onSkip must be a function, got ${describe(onSkip)}`);
  }
  return { skip: onInvalid === "skip", onSkip };
}

function inWorker(worker: string, error: MetricStateError): MetricStateError {
  const message = error.message.replace(/^states\[0\]: /, "");
  const named = new MetricStateError(`worker ${JSON.stringify(worker)}: ${message}`);
  named.cause = error;
  return named;
}

/**
 * Merges entries read by {@link readStates}: each state is decoded by its `kind` (as `mergeStates` does,
 * untrusted) and merged into the first good one; a state that is malformed or does not match the others
 * (kind, version, options, task, class count) is an error naming its worker, or skipped and reported.
 *
 * @typeParam M - the merged metric's type
 * @param entries - the stored entries
 * @param options - {@link CollectOptions}
 * @returns the merged metric, or `undefined` when no entry is left
 * @throws {@link MetricStateError} for a bad state (naming the worker)
 * @example
 * ```ts
 * const a = { worker: "w1", seq: 1, state: new HingeLoss().update([-2.2], [0]).toJSON() };
 * const b = { worker: "w2", seq: 1, state: new HingeLoss().update([2.4, 0.1], [1, 1]).toJSON() };
 * mergeStored([a, b])?.compute(); // => 0.3
 * ```
 */
export function mergeStored<M extends AnyMetric = AnyMetric>(
  entries: readonly StoredState[],
  options: CollectOptions = {},
): M | undefined {
  const { skip, onSkip } = checkCollectOptions(options);
  let merged: AnyMetric | undefined;
  for (const { worker, state } of entries) {
    try {
      if (merged === undefined) merged = mergeStates([state as MetricStateJSON]);
      else merged.merge(state as MetricStateJSON);
    } catch (error) {
      if (!(error instanceof MetricStateError)) throw error;
      const named = inWorker(worker, error);
      if (!skip) throw named;
      onSkip?.(named, worker);
    }
  }
  return merged as M | undefined;
}

/**
 * The exact merge of every worker's latest state under `key`: bit-identical to one metric that saw every
 * worker's input in one pass, whatever retries, duplicates, reorderings or restarts happened (each worker's
 * state is cumulative and stored once per seq). Each state is decoded as untrusted input by its `kind` (any
 * registered metric, or a `MetricCollection`).
 *
 * @typeParam M - the merged metric's type
 * @param client - a connected node-redis client
 * @param key - the run's key
 * @param options - {@link CollectOptions}: `{ onInvalid: "skip", onSkip }` leaves bad states out and reports
 * them
 * @returns a new metric: the merge
 * @throws {@link MetricStateError} for a bad or mismatched state (`worker "w3": …`), or when no worker has
 * published (a good state) under `key`
 * @throws {@link InvalidOptionsError} for a bad key or options
 * @example
 * ```ts no-run
 * const merged = await collectStates<HingeLoss>(client, "eval:run-42");
 * merged.compute(); // => 0.3
 * ```
 */
export async function collectStates<M extends AnyMetric = AnyMetric>(
  client: StateClient,
  key: string,
  options: CollectOptions = {},
): Promise<M> {
  const merged = mergeStored<M>(await readStates(client, key, options), options);
  if (merged === undefined) {
    throw new MetricStateError(`no worker has published a valid state under key ${JSON.stringify(key)}`);
  }
  return merged;
}
