import { InvalidOptionsError } from "../errors/index.js";
import type { AnyMetric } from "../metrics/index.js";
import { describe } from "../options/index.js";
import { publishState, type PublishOptions } from "./publish.js";
import { checkWorkerRef, type StateClient, type WorkerRef } from "./target.js";

/**
 * A client that announces reconnections: node-redis emits `"ready"` each time it has (re)connected.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client: ReconnectingClient = createClient({ url: "redis://127.0.0.1:6379" });
 * ```
 */
export interface ReconnectingClient extends StateClient {
  /** Adds a listener. */
  on(event: "ready", listener: () => void): unknown;
  /** Removes a listener. */
  off(event: "ready", listener: () => void): unknown;
}

/**
 * Options of {@link StatePublisher}: those of {@link publishState}, and where failed republishes go.
 *
 * @example
 * ```ts
 * const options: StatePublisherOptions = { retries: 3, onError: (error) => console.error(error) };
 * ```
 */
export interface StatePublisherOptions extends PublishOptions {
  /** Called when a republish after a reconnection fails (the next publish sends the state again anyway). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A worker's publishing side: {@link publishState} for one worker, which also keeps the latest published
 * state and publishes it again each time the client reconnects. A Redis server that restarted empty (no
 * persistence) thus gets every live worker's cumulative state back as soon as the workers reconnect; on a
 * server that kept its data the republish has the stored seq and is ignored. Call `close()` when the worker
 * is done (it stops listening; nothing is deleted).
 *
 * @example
 * ```ts no-run
 * const publisher = new StatePublisher(client, { key: "eval:run-42", worker: "w3" });
 * await publisher.publish(17, metric); // => true
 * publisher.close();
 * ```
 */
export class StatePublisher {
  readonly #client: ReconnectingClient;
  readonly #ref: WorkerRef;
  readonly #options: StatePublisherOptions;
  #latest: { seq: number; metric: AnyMetric } | null = null;
  readonly #onReady = (): void => {
    this.republish().catch((error: unknown) => this.#options.onError?.(error));
  };

  /**
   * @param client - a node-redis client (it reconnects by itself, following its `reconnectStrategy`)
   * @param ref - `{ key, worker }`
   * @param options - {@link StatePublisherOptions}
   * @throws {@link InvalidOptionsError} for a bad `ref` or a client without `on` / `off`
   */
  constructor(client: ReconnectingClient, ref: WorkerRef, options: StatePublisherOptions = {}) {
    if (typeof client?.on !== "function" || typeof client?.off !== "function") {
      throw new InvalidOptionsError(
        `StatePublisher: client must be a node-redis client (with on/off), got ${describe(client)}`,
      );
    }
    this.#ref = checkWorkerRef(ref, "StatePublisher");
    this.#client = client;
    this.#options = options;
    client.on("ready", this.#onReady);
  }

  /** The seq of the latest publish (stored or not), 0 before the first. */
  get seq(): number {
    return this.#latest?.seq ?? 0;
  }

  /**
   * Publishes the worker's cumulative state at `seq` and keeps a copy for republishing.
   *
   * @param seq - the worker's position in its input (a safe integer ≥ 0)
   * @param metric - everything the worker has seen before `seq`
   * @returns true when stored, false when ignored as stale
   * @throws as {@link publishState}
   */
  async publish(seq: number, metric: AnyMetric): Promise<boolean> {
    const stored = await publishState(this.#client, { ...this.#ref, seq }, metric, this.#options);
    if (this.#latest === null || seq >= this.#latest.seq) this.#latest = { seq, metric: metric.clone() };
    return stored;
  }

  /**
   * Publishes the latest state again (what a reconnection does); false when there is none yet or the server
   * already holds it.
   *
   * @returns true when the server stored it (it had lost it, or held an older seq)
   * @throws as {@link publishState}
   */
  async republish(): Promise<boolean> {
    const latest = this.#latest;
    if (latest === null) return false;
    return publishState(this.#client, { ...this.#ref, seq: latest.seq }, latest.metric, this.#options);
  }

  /** Stops republishing on reconnection. */
  close(): void {
    this.#client.off("ready", this.#onReady);
  }
}
