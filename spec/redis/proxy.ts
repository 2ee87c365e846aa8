// A TCP proxy in front of redis-server that drops a connection at a chosen moment of a publish: before the
// request reaches the server ("request": the publish never ran) or after the server ran it, swallowing the
// reply ("reply": the publish ran but the client never heard). Each drop is armed once.
import { createConnection, createServer, type Server, type Socket } from "node:net";

export type DropAt = "request" | "reply";

export class FaultyProxy {
  #armed: DropAt | null = null;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** Connections dropped so far. */
  drops = 0;

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  /** Listens on a free loopback port and forwards to `upstreamPort`. */
  static start(upstreamPort: number): Promise<FaultyProxy> {
    return new Promise((resolve) => {
      let proxy: FaultyProxy;
      const server = createServer((client) => proxy.#pipe(client, upstreamPort));
      server.listen(0, "127.0.0.1", () => {
        const address = server.address();
        proxy = new FaultyProxy(server, typeof address === "object" && address !== null ? address.port : 0);
        resolve(proxy);
      });
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Drops the connection at the next publish (EVALSHA / EVAL), at `at`. */
  arm(at: DropAt): void {
    this.#armed = at;
  }

  #pipe(client: Socket, upstreamPort: number): void {
    const upstream = createConnection({ host: "127.0.0.1", port: upstreamPort });
    this.#sockets.add(client).add(upstream);
    let swallowReply = false;
    const drop = (): void => {
      this.drops += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk) => {
      if (this.#armed !== null && /EVAL/.test(String(chunk))) {
        const at = this.#armed;
        this.#armed = null;
        if (at === "request") return drop();
        swallowReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (swallowReply) return drop();
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      socket.on("error", () => undefined);
      socket.on("close", () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
  }

  /** Closes the proxy and every connection through it. */
  close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
