// The browser demo (examples/browser/) in a real headless Chromium: the page bundles the library for the
// browser, streams simulated predictions through the RxJS hingeLoss() operator and shows each epoch's loss;
// every value shown must be the bits Node computes for the same stream. Without a Chromium the spec skips,
// except under CI (CI set), where it fails.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { startDemoServer, type DemoServer } from "../../examples/browser/serve.js";
import { computeEpochLosses, defaultSimulation, simulateBatches } from "../../examples/browser/simulation.js";
import { HingeLoss } from "../../lib/index.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const screenshots = fileURLToPath(new URL("../../.tmp/screenshots/", import.meta.url));

/** The IEEE-754 bits of a float64, as 16 hex digits: equal strings mean identical numbers. */
function bits(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, "0");
}

interface Shown {
  state: string | null;
  status: string | null;
  rows: { epoch: string; hinge: string; squared: string }[];
  points: { series: string; epoch: string; value: string }[];
  polylines: number;
}

/** What a person sees on the page, read in the page. */
const READ_PAGE = `(() => {
  const text = (el, sel) => el.querySelector(sel)?.textContent ?? "";
  return {
    state: document.body.getAttribute("data-state"),
    status: document.getElementById("status")?.textContent ?? null,
    rows: [...document.querySelectorAll("#values tr")].map((tr) => ({
      epoch: text(tr, "td:nth-child(1)"),
      hinge: text(tr, "td.hinge"),
      squared: text(tr, "td.squared"),
    })),
    points: [...document.querySelectorAll("#chart circle.point")].map((c) => ({
      series: c.getAttribute("data-series"),
      epoch: c.getAttribute("data-epoch"),
      value: c.getAttribute("data-value"),
    })),
    polylines: document.querySelectorAll("#chart svg polyline.series").length,
  };
})()`;

async function screenshot(page: Page): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  const file = join(screenshots, `browser-demo-${Date.now()}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`    screenshot of the failing page: ${file}`);
}

describe("browser demo (examples/browser) in headless Chromium", function () {
  this.timeout(60000);
  let context: BrowserContext | undefined;
  let server: DemoServer | undefined;
  let page: Page | undefined;
  let userDataDir: string | undefined;
  const pageErrors: string[] = [];
  let shown: Shown;

  before(async function () {
    userDataDir = mkdtempSync(join(tmpdir(), "streammetrics-chromium-"));
    try {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
      });
    } catch (error) {
      const why = `Chromium could not be launched from ${CHROMIUM} (apt-get install -y chromium): ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }`;
      if (process.env.CI) throw new Error(why, { cause: error });
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    server = await startDemoServer(0);
    page = await context!.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    try {
      await page.goto(`${server.url}?delay=0`);
      await page.waitForSelector("body[data-state=done], body[data-state=error]", { timeout: 45000 });
      // a string, so that the tsx transform adds nothing the page does not have
      shown = (await page.evaluate(READ_PAGE)) as Shown;
    } catch (error) {
      await screenshot(page);
      throw error;
    }
  });

  afterEach(async function () {
    if (this.currentTest?.state === "failed" && page !== undefined) await screenshot(page);
  });

  after(async function () {
    await context?.close();
    await server?.close();
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true });
  });

  it("runs every epoch to the end without a page error", function () {
    expect(pageErrors, "errors in the page").to.deep.equal([]);
    expect(shown.state).to.equal("done");
    expect(shown.status).to.equal(
      `done: ${defaultSimulation.epochs} epochs × ${defaultSimulation.batchesPerEpoch} batches × ${defaultSimulation.batchSize} samples`,
    );
    expect(shown.rows.map((r) => r.epoch)).to.deep.equal(
      Array.from({ length: defaultSimulation.epochs }, (_, i) => String(i)),
    );
  });

  it("shows, for every epoch, the bits Node computes through the same operator", async function () {
    const node = await computeEpochLosses(defaultSimulation);
    expect(node.epochs).to.have.length(defaultSimulation.epochs);
    expect(shown.rows.map((r) => bits(Number(r.hinge)))).to.deep.equal(node.hinge.map(bits));
    expect(shown.rows.map((r) => bits(Number(r.squared)))).to.deep.equal(node.squared.map(bits));
  });

  it("shows the same bits as a plain HingeLoss per epoch, without RxJS", function () {
    const perEpoch = new Map<number, { hinge: HingeLoss; squared: HingeLoss }>();
    for (const batch of simulateBatches(defaultSimulation)) {
      const epoch = batch.epoch!;
      if (!perEpoch.has(epoch))
        perEpoch.set(epoch, { hinge: new HingeLoss(), squared: new HingeLoss({ squared: true }) });
      perEpoch.get(epoch)!.hinge.update(batch.preds, batch.target);
      perEpoch.get(epoch)!.squared.update(batch.preds, batch.target);
    }
    const plain = [...perEpoch.values()];
    expect(shown.rows.map((r) => bits(Number(r.hinge)))).to.deep.equal(
      plain.map((m) => bits(m.hinge.compute() as number)),
    );
    expect(shown.rows.map((r) => bits(Number(r.squared)))).to.deep.equal(
      plain.map((m) => bits(m.squared.compute() as number)),
    );
  });

  it("draws both curves in the SVG chart, one point per epoch carrying the value in the table", function () {
    expect(shown.polylines).to.equal(2);
    const hinge = shown.points.filter((p) => p.series === "hinge").map((p) => p.value);
    const squared = shown.points.filter((p) => p.series === "squared hinge").map((p) => p.value);
    expect(hinge).to.deep.equal(shown.rows.map((r) => r.hinge));
    expect(squared).to.deep.equal(shown.rows.map((r) => r.squared));
  });

  it("shows a model that learns: the loss falls from the first epoch to the last", function () {
    const hinge = shown.rows.map((r) => Number(r.hinge));
    expect(hinge[0]).to.be.greaterThan(hinge[hinge.length - 1]);
  });
});
