// The WASM paths in a real headless Chromium: an esbuild browser bundle (IIFE, no Node built-ins) runs on the
// page's main thread, so the module must load synchronously there (feature detection, embedded bytes, no
// fetch), and every exact sum it gives must equal the JS kernels' in the page and Node's own results. Without
// a Chromium the spec skips, except under CI (CI set), where it fails.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type BrowserContext } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
];
const entry = fileURLToPath(new URL("./browserEntry.ts", import.meta.url));

interface Result {
  loaded: boolean;
  wasm: (string[] | null)[];
  js: string[][];
  metric: { auto: string[]; js: string[]; instances: boolean[] };
}

describe("WASM hinge kernels in headless Chromium (esbuild browser bundle)", function () {
  this.timeout(120000);
  let context: BrowserContext | undefined;
  let userDataDir: string | undefined;
  let code = "";

  before(async function () {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      platform: "browser",
      format: "iife",
      target: "es2022",
      logLevel: "silent",
    });
    expect(result.errors).to.deep.equal([]);
    code = result.outputFiles[0].text;
    userDataDir = mkdtempSync(join(tmpdir(), "streammetrics-wasm-chromium-"));
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
    } catch (error) {
      const why = `Chromium could not be launched from ${CHROMIUM}: ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }`;
      if (process.env.CI) throw new Error(why, { cause: error });
      console.log(`    skipped: ${why}`);
      this.skip();
    }
  });

  after(async function () {
    await context?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  });

  it("the bundle names no Node built-in and embeds the module", function () {
    expect(code).to.not.match(/from\s*["']node:|require\(["']node:/);
    expect(code).to.contain("AGFzbQ"); // "\0asm" in base64: the bytes travel inside the bundle
  });

  it("loads on the main thread and gives the JS kernels' exact sums, and Node's", async function () {
    const page = await context!.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.setContent("<!doctype html><title>wasm</title>");
    await page.addScriptTag({ content: code });
    const shown = (await page.evaluate("globalThis.__wasmResult")) as Result;
    expect(errors).to.deep.equal([]);
    expect(shown.loaded, "WebAssembly SIMD loaded in Chromium").to.equal(true);
    expect(shown.wasm).to.deep.equal(shown.js);
    // HingeLoss.update took the WebAssembly kernels by itself (every batch is above the threshold) and its
    // states are the JS kernels' bit for bit
    expect(shown.metric.instances).to.deep.equal([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(shown.metric.auto).to.deep.equal(shown.metric.js);
    const { runAll } = await import("./browserEntry.js");
    expect(shown).to.deep.equal(runAll());
  });
});
