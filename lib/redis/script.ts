import { createClient, defineScript, type RedisClientOptions } from "redis";

/**
 * The publish step, run atomically on the server: the stored value of `worker` in the hash `KEYS[1]` is
 * `"<seq> <state JSON>"`. A `seq` above the stored one (or the first) replaces it, announces `"<worker> <seq>"`
 * on the pub/sub channel named like the key, and returns 1; a `seq` at or below it is ignored and returns 0,
 * or 2 when the stored value is this very one (a duplicate: how a retry learns that its lost first attempt
 * was stored). The seq is compared as a number (Lua's float64: exact up to 2^53, beyond the largest safe seq).
 */
const PUBLISH_SCRIPT = `local value = ARGV[2] .. ' ' .. ARGV[3]
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then
  if stored == value then return 2 end
  local storedSeq = tonumber(string.match(stored, '^(%d+) '))
  if storedSeq and tonumber(ARGV[2]) <= storedSeq then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], value)
redis.call('PUBLISH', KEYS[1], ARGV[1] .. ' ' .. ARGV[2])
return 1`;

/** The name under which {@link stateScripts} registers the publish script on a client. */
export const PUBLISH_SCRIPT_NAME = "streammetricsPublishState";

/**
 * The Lua scripts of `streammetrics/redis`, in node-redis's `scripts` form: pass them to `createClient({
 * scripts: stateScripts })` (or use {@link createStateClient}) and the client runs `publishState` with
 * `EVALSHA`, falling back to `EVAL` once when the server does not know the script (node-redis does that).
 * A client created without them works too: `publishState` then sends the same `EVALSHA` / `EVAL` itself.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { stateScripts } from "streammetrics/redis";
 * const client = createClient({ url: "redis://127.0.0.1:6379", scripts: stateScripts });
 * Object.keys(stateScripts); // => ["streammetricsPublishState"]
 * ```
 */
export const stateScripts = {
  [PUBLISH_SCRIPT_NAME]: defineScript({
    SCRIPT: PUBLISH_SCRIPT,
    NUMBER_OF_KEYS: 1,
    parseCommand(
      parser: { pushKey(key: string): void; push(...args: string[]): void },
      key: string,
      worker: string,
      seq: string,
      json: string,
    ) {
      parser.pushKey(key);
      parser.push(worker, seq, json);
    },
    transformReply: (reply: unknown) => reply as number,
  }),
} as const;

/** The script's SHA1 (what `EVALSHA` names). */
export const PUBLISH_SCRIPT_SHA1: string = stateScripts[PUBLISH_SCRIPT_NAME].SHA1;

/** The script's text (what `EVAL` sends when the server does not know the SHA1). */
export const PUBLISH_SCRIPT_TEXT: string = PUBLISH_SCRIPT;

/**
 * Creates a node-redis client with {@link stateScripts} registered (not yet connected: call `connect()`).
 * Every other option is node-redis's own (`url`, `socket.reconnectStrategy`, …); reconnecting is the
 * client's job.
 *
 * @param options - node-redis client options (`scripts` are merged with ours)
 * @returns the client
 * @example
 * ```ts
 * const client = createStateClient({ url: "redis://127.0.0.1:6379" });
 * typeof client.streammetricsPublishState; // => "function"
 * ```
 */
export function createStateClient(options: RedisClientOptions = {}) {
  return createClient({ ...options, scripts: { ...options.scripts, ...stateScripts } });
}
