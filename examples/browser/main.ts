// The browser demo page: streams simulated predictions through the RxJS `hingeLoss()` operator, epoch by
// epoch, and draws the per-epoch hinge and squared hinge loss as an SVG chart plus a table of the exact values.
// Bundled for the browser by esbuild (see serve.ts); `?delay=<ms>` sets the pause between batches (default 25).
import { concatMap, from, map, merge, share, timer } from "rxjs";
import { renderChart } from "./chart.js";
import { defaultSimulation, epochResults, simulateBatches } from "./simulation.js";

// The few DOM members used here (the project's type-check has no DOM lib).
interface Element {
  textContent: string | null;
  innerHTML: string;
  setAttribute(name: string, value: string): void;
}
interface Page {
  document: { getElementById(id: string): Element | null; body: Element };
  location: { search: string };
}
const page = globalThis as unknown as Page;

function element(id: string): Element {
  const found = page.document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found;
}

const config = defaultSimulation;
const delay = Math.max(0, Number(new URLSearchParams(page.location.search).get("delay") ?? 25) || 0);
const hinge: number[] = [];
const squared: number[] = [];

function draw(): void {
  element("chart").innerHTML = renderChart(
    [
      { name: "hinge", color: "#1f77b4", values: hinge },
      { name: "squared hinge", color: "#d62728", values: squared },
    ],
    config.epochs,
  );
  element("values").innerHTML = hinge
    .map(
      (h, epoch) =>
        `<tr data-epoch="${epoch}"><td>${epoch}</td><td class="hinge">${String(h)}</td>` +
        `<td class="squared">${epoch < squared.length ? String(squared[epoch]) : ""}</td></tr>`,
    )
    .join("");
}

// One shared, paced stream of batches feeds both operators (each subscription owns its metric).
const batches$ = from(simulateBatches(config)).pipe(
  concatMap((batch) => timer(delay).pipe(map(() => batch))),
  share(),
);
page.document.body.setAttribute("data-state", "running");
draw();
merge(
  epochResults(batches$, false).pipe(map((r) => ["hinge", r] as const)),
  epochResults(batches$, true).pipe(map((r) => ["squared", r] as const)),
).subscribe({
  next: ([which, result]) => {
    (which === "hinge" ? hinge : squared)[result.epoch] = result.value as number;
    element("status").textContent = `epoch ${result.epoch} of ${config.epochs} done`;
    draw();
  },
  error: (error: unknown) => {
    element("status").textContent = `error: ${error instanceof Error ? error.message : String(error)}`;
    page.document.body.setAttribute("data-state", "error");
  },
  complete: () => {
    element("status").textContent =
      `done: ${config.epochs} epochs × ${config.batchesPerEpoch} batches × ${config.batchSize} samples`;
    page.document.body.setAttribute("data-state", "done");
  },
});
