// Bundles the browser demo with esbuild (platform "browser": a Node built-in anywhere in the import graph is
// a build error) and serves it on localhost. `npm run demo:browser` runs this file; the browser spec imports
// `startDemoServer`.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** Bundles `main.ts` (and through it the library, rxjs and zod) into one browser ES module. */
export async function bundleDemo(): Promise<string> {
  const result = await build({
    entryPoints: [here + "main.ts"],
    bundle: true,
    write: false,
    platform: "browser",
    format: "esm",
    target: "es2022",
    sourcemap: "inline",
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** A running demo server. */
export interface DemoServer {
  /** The page's address, e.g. `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Bundles the demo once and serves `index.html` and `main.js` on 127.0.0.1 (`port` 0: any free port). */
export async function startDemoServer(port = 0): Promise<DemoServer> {
  const script = await bundleDemo();
  const html = readFileSync(here + "index.html", "utf8");
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/" || path === "/index.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (path === "/main.js") {
      response.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const server = await startDemoServer(Number(process.env.PORT ?? 8080));
  console.log(`streammetrics browser demo: open ${server.url} (Ctrl-C stops it)`);
}
