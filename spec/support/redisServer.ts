// A throwaway redis-server for the specs, the example and the bench: a free loopback port, no persistence
// (--save "" --appendonly no), started and stopped by the caller. `redisSuite` wires it into a mocha suite:
// when redis-server is missing the suite is skipped, or fails when CI is set (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** True when a `redis-server` binary is on PATH. */
export function haveRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when a PING on `port` gets +PONG, rejects after `timeoutMs`. */
async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      let reply = "";
      socket.setTimeout(500, () => socket.destroy());
      socket.on("connect", () => socket.write("PING\r\n"));
      socket.on("data", (chunk) => {
        reply += String(chunk);
        if (reply.includes("\r\n")) {
          socket.destroy();
          resolve(reply.startsWith("+PONG"));
        }
      });
      socket.on("error", () => resolve(false));
      socket.on("close", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A redis-server child process on 127.0.0.1. */
export class RedisServer {
  #child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** The URL to give `createClient({ url })`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /**
   * Starts a server on a free port (or on `port`) and waits until it answers.
   *
   * @param port - the port, a free one by default
   */
  static async start(port?: number): Promise<RedisServer> {
    const server = new RedisServer(port ?? (await freePort()));
    await server.restart();
    return server;
  }

  /** Starts the server again (empty: nothing is persisted) on the same port; stops it first if running. */
  async restart(): Promise<void> {
    await this.stop();
    const child = spawn(
      "redis-server",
      ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    this.#child = child;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => reject(new Error(`redis-server exited with code ${code}`))),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForPong(this.port, 10_000), exited]);
  }

  /** Stops the server (SIGKILL: no shutdown save, an abrupt loss as a crash would be) and waits for it. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

/**
 * Skips the running mocha suite with a message when redis-server is missing, or throws when `CI` is set.
 *
 * @param context - the hook's `this`
 */
export function requireRedisServer(context: Mocha.Context): void {
  if (haveRedisServer()) return;
  const message = "redis-server is not installed (apt-get install redis-server; .ci/run installs it)";
  if (process.env.CI) throw new Error(`${message}: required when CI is set`);
  console.warn(`  skipped: ${message}`);
  context.skip();
}

/**
 * Adds `before`/`after` hooks that start a server for the suite and stop it; returns a getter for it. With
 * redis-server missing the suite is skipped with a message, or fails when `CI` is set.
 */
export function redisSuite(): () => RedisServer {
  let server: RedisServer | null = null;
  before(async function () {
    requireRedisServer(this);
    this.timeout(15_000);
    server = await RedisServer.start();
  });
  after(async function () {
    await server?.stop();
  });
  return () => {
    if (server === null) throw new Error("the redis-server of this suite is not running");
    return server;
  };
}
