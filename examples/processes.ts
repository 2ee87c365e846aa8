// Split a data set across child processes (stand-ins for machines): each prints its metrics' state as JSON on
// stdout, the parent parses and merges them, and the result is bit-identical to one pass.
// Run: npx tsx examples/processes.ts [samples] [processes]
import { execFile } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { mergeStates, type MetricStateJSON } from "../lib/index.js";
import { makeMetrics, makeShard, splitRange } from "./shards.js";

const CHILD = fileURLToPath(new URL("./processes.child.ts", import.meta.url));

/** Runs one child on `[start, end)` and parses the JSON state it prints (untrusted until merged). */
function runChild(start: number, end: number): Promise<MetricStateJSON> {
  const tsx = import.meta.resolve("tsx");
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", tsx, CHILD, String(start), String(end)],
      { maxBuffer: 1 << 20 },
      (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout) as MetricStateJSON);
      },
    );
  });
}

/**
 * Evaluates `n` samples in `processes` child processes and merges the JSON states they print.
 *
 * @param n - samples in the data set
 * @param processes - child processes (one shard each)
 * @returns the merged metrics and the same metrics over one pass in this process
 * @example
 * ```ts
 * const { merged, single } = await evaluateWithProcesses(10_000, 2);
 * Object.is(merged.compute().squared, single.compute().squared); // => true
 * ```
 */
export async function evaluateWithProcesses(n: number, processes: number) {
  const states = await Promise.all(splitRange(n, processes).map(([start, end]) => runChild(start, end)));
  const merged = mergeStates<ReturnType<typeof makeMetrics>>(states);
  const all = makeShard(0, n);
  const single = makeMetrics().update(all.preds, all.target, all.weights);
  return { merged, single, states };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const n = Number(process.argv[2] ?? 100_000);
  const processes = Number(process.argv[3] ?? 3);
  const { merged, single, states } = await evaluateWithProcesses(n, processes);
  const a = merged.compute();
  const b = single.compute();
  console.log(`${n} samples in ${processes} child processes`);
  console.log("a child's state:", JSON.stringify(states[0]).slice(0, 120) + "…");
  console.log("merged:     ", a);
  console.log("single pass:", b);
  console.log("bit-identical:", Object.is(a.hinge, b.hinge) && Object.is(a.squared, b.squared));
}
