import { Observable } from "rxjs";
import { InvalidOptionsError } from "../errors/index.js";
import type { AnyMetric } from "../metrics/index.js";
import { describe } from "../options/index.js";
import { mergeStored, readStates, type CollectOptions } from "./collect.js";
import { isConnectionFailure } from "./publish.js";
import { checkKey, type StateClient } from "./target.js";

/** Pause before reading again after a read lost with the connection. */
const RETRY_MS = 50;

/**
 * The subscriber connection {@link watchStates} opens with `client.duplicate()` (node-redis needs a
 * connection of its own for pub/sub).
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const subscriber: SubscriberClient = createClient().duplicate();
 * ```
 */
export interface SubscriberClient {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Subscribes to a channel. */
  subscribe(channel: string, listener: (message: string, channel: string) => unknown): Promise<unknown>;
  /** Adds a listener (`"ready"` after each reconnection, `"error"`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- node-redis types its listeners so
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** Closes the connection (node-redis 5 and later). */
  destroy(): void;
}

/**
 * A client {@link watchStates} can watch with: it reads with `sendCommand` and subscribes on a duplicate.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client: WatchClient = createClient({ url: "redis://127.0.0.1:6379" });
 * ```
 */
export interface WatchClient extends StateClient {
  /** A new, unconnected client with the same options. */
  duplicate(): SubscriberClient;
}

/**
 * Watches a run: a cold Observable of the merged metric ({@link collectStates}) after each stored publish
 * under `key`. Built on Redis pub/sub: the publish script announces each stored state on the channel named
 * `key`; each subscription opens its own subscriber connection (`client.duplicate()`), emits the merge of
 * what is already stored once subscribed, then a new merge after each announcement (announcements that
 * come while a merge is being read are folded into one more read, so a burst costs at most two reads), and
 * reads again after each reconnection (pub/sub does not replay what was missed; the stored states hold
 * it); a read lost with the connection is read again. Nothing is emitted while no worker has published. Unsubscribing closes the subscriber connection.
 * A bad state errors the Observable with the `MetricStateError` naming the worker, or with `onInvalid:
 * "skip"` is left out and reported.
 *
 * @typeParam M - the merged metric's type
 * @param client - a connected node-redis client (reads go through it)
 * @param key - the run's key
 * @param options - {@link CollectOptions}
 * @returns the Observable (nothing happens until it is subscribed)
 * @throws {@link InvalidOptionsError} (synchronously) for a bad key, options or client
 * @example
 * ```ts no-run
 * watchStates<HingeLoss>(client, "eval:run-42").subscribe((merged) => console.log(merged.compute()));
 * // => 0.31, 0.3, … (one value per stored publish)
 * ```
 */
export function watchStates<M extends AnyMetric = AnyMetric>(
  client: WatchClient,
  key: string,
  options: CollectOptions = {},
): Observable<M> {
  checkKey(key, "key");
  if (typeof client?.duplicate !== "function") {
    throw new InvalidOptionsError(`watchStates: client must be a node-redis client, got ${describe(client)}`);
  }
  mergeStored([], options); // checks the options now, not at the first publish
  return new Observable<M>((subscriber) => {
    const connection = client.duplicate();
    let closed = false;
    let reading = false;
    let again = false;
    let ready = false;

    const read = async (): Promise<void> => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          let entries;
          try {
            entries = await readStates(client, key, options);
          } catch (error) {
            // the connection dropped: read again once the client has reconnected (commands wait for it)
            if (!isConnectionFailure(error)) throw error;
            again = true;
            await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
            continue;
          }
          const merged = mergeStored<M>(entries, options);
          if (!closed && merged !== undefined) subscriber.next(merged);
        } while (again && !closed);
      } finally {
        reading = false;
      }
    };
    const refresh = (): void => {
      if (!closed) read().catch((error: unknown) => subscriber.error(error));
    };

    connection.on("error", () => {
      // node-redis reports socket errors here and reconnects by itself (its reconnectStrategy); without a
      // listener the error would be thrown. A missed announcement is caught up by the read on "ready".
    });
    connection.on("ready", () => {
      if (ready) refresh();
      ready = true;
    });
    connection
      .connect()
      .then(() => connection.subscribe(key, refresh))
      .then(refresh)
      .catch((error: unknown) => {
        if (!closed) subscriber.error(error);
      });

    return () => {
      closed = true;
      connection.destroy();
    };
  });
}
