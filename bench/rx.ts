/**
 * The RxJS row of `npm run bench` (issue 17 goal 5: the running-value operator ≥ 0.3 of the plain loop): one
 * million single-sample batches through `hingeLoss()` of `streammetrics/rx` (a running value per batch, and
 * `emit: "complete"`) against a plain loop calling `update()` and `updateAndCompute()`. The items are the
 * case's data, passed to every timed call.
 *
 * @module
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import type * as Lib from "../lib/index.js";
import type { RunCase } from "./cases.js";
import { labels, scores } from "./data.js";
import type { Row } from "./harness.js";

type Operator = (options?: object, config?: object) => import("rxjs").OperatorFunction<unknown, unknown>;
interface Item {
  readonly preds: Float32Array;
  readonly target: Int32Array;
}

/**
 * Times the RxJS case.
 *
 * @param lib - the library under test
 * @param distDir - its directory (for `rx/index.js`)
 * @param quick - fewer samples
 * @param run - times one case
 * @returns the rows and a note (why it was skipped, or "run")
 */
export async function rxRows(
  lib: typeof Lib,
  distDir: string,
  quick: boolean,
  run: RunCase,
): Promise<{ rows: Row[]; note: string }> {
  let operator: Operator | undefined;
  let rxjs: typeof import("rxjs");
  try {
    const rx = (await import(pathToFileURL(path.join(distDir, "rx", "index.js")).href)) as Record<
      string,
      unknown
    >;
    operator = rx.hingeLoss as Operator | undefined;
    rxjs = await import("rxjs");
  } catch (error) {
    return { rows: [], note: `skipped: rx not available (${(error as Error).message.split("\n")[0]})` };
  }
  if (typeof operator !== "function") return { rows: [], note: "skipped: rx has no hingeLoss() operator" };
  const op = operator;
  const RX = quick ? 200_000 : 1_000_000;
  const POOL = 4096;
  const p = scores(POOL, 1);
  const t = labels(POOL, 2, 2);
  // A pool of 4,096 distinct one-sample arrays, cycled (a million separate ArrayBuffers would time memory).
  const pool: Item[] = Array.from({ length: POOL }, (_, k) => ({
    preds: p.slice(k, k + 1),
    target: t.slice(k, k + 1),
  }));
  const items: Item[] = Array.from({ length: RX }, (_, k) => pool[k & (POOL - 1)]);
  let last = 0;
  const through =
    (config?: object) =>
    (d: Item[]): number => {
      rxjs
        .from(d)
        .pipe(config === undefined ? op() : op({}, config))
        .subscribe({ next: (v) => (last = typeof v === "number" ? v : last) });
      return last;
    };
  const plain = new lib.HingeLoss();
  const running = new lib.HingeLoss();
  const rows = run(`stream: batches of 1 through RxJS (${RX / 1e6}e6 samples)`, items, () => [
    {
      name: "HingeLoss.update, plain loop",
      elems: RX,
      calls: RX,
      run: (d) => {
        for (let k = 0; k < d.length; k++) plain.update(d[k].preds, d[k].target);
        return plain.samples;
      },
    },
    {
      name: "HingeLoss.updateAndCompute, plain loop (running value)",
      elems: RX,
      calls: RX,
      run: (d) => {
        for (let k = 0; k < d.length; k++) last = running.updateAndCompute(d[k].preds, d[k].target);
        return last;
      },
    },
    { name: "rx hingeLoss() operator (running value)", elems: RX, calls: RX, goal: 0.3, run: through() },
    {
      name: 'rx hingeLoss({}, { emit: "complete" })',
      elems: RX,
      calls: RX,
      run: through({ emit: "complete" }),
    },
  ]);
  return { rows, note: "run" };
}
