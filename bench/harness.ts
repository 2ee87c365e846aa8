/**
 * Interleaved timing: every candidate of a case runs in the same process, in a rotated order each rep,
 * after a warm-up; Melem/s is the median over reps and the ratio is the median of per-rep paired ratios
 * against the case's baseline (robust to the machine's load drifting between reps).
 *
 * A case's data is handed to each candidate as an argument (`run(data)`), from one call site shared by every
 * case and candidate, as a user's code passes its batches: nothing the timed code reads is a module constant
 * the compiler could specialise on.
 *
 * @module
 */

/** One timed function of a case; `D` is the case's data, passed to `run` by the harness. */
export interface Candidate<D = undefined> {
  /** Row label. */
  readonly name: string;
  /** Elements processed by one call of `run` (one score = one element). */
  readonly elems: number;
  /** Calls of `update()` (or batches) made by one call of `run`, for calls/s; default none. */
  readonly calls?: number;
  /** One call on the case's data; returns a number so the work cannot be optimised away. */
  readonly run: (data: D) => number;
  /** Slow candidates (tfjs cpu) are timed in only this many reps. */
  readonly reps?: number;
  /** A goal on the paired ratio to the baseline, e.g. 0.6. */
  readonly goal?: number;
}

/** One row of the results table. */
export interface Row {
  /** The case, e.g. "binary N=1e6 Float32Array+Int32Array". */
  readonly case: string;
  /** The candidate. */
  readonly candidate: string;
  /** Median Melem/s over reps. */
  readonly melemPerSec: number;
  /** Slowest rep. */
  readonly min: number;
  /** Fastest rep. */
  readonly max: number;
  /** Median M calls/s (streaming rows only). */
  readonly mcallsPerSec: number | null;
  /** Median paired ratio to the baseline. */
  readonly ratio: number;
  /** The baseline's name. */
  readonly baseline: string;
  /** The goal on `ratio`, if any. */
  readonly goal: number | null;
  /** Reps timed. */
  readonly reps: number;
}

/** Timing settings. */
export interface TimingOptions {
  /** Reps per candidate (≥ 7 for the real run). */
  readonly reps: number;
  /** Minimum time per timed sample, ms. */
  readonly minMs: number;
  /** Warm-up per candidate, ms. */
  readonly warmMs: number;
}

let sink = 0;

/**
 * A value depending on every timed call's result (print it so nothing is dead code).
 *
 * @returns the accumulated sink
 * @example
 * ```ts
 * typeof sinkValue(); // => "number"
 * ```
 */
export function sinkValue(): number {
  return sink;
}

function sample<D>(c: Candidate<D>, data: D, minMs: number): number {
  const t0 = performance.now();
  let calls = 0;
  let now: number;
  do {
    sink += c.run(data);
    calls++;
    now = performance.now();
  } while (now - t0 < minMs);
  return (calls * c.elems) / ((now - t0) * 1e3);
}

/**
 * The median of a list of numbers.
 *
 * @param xs - values
 * @returns the median (NaN for an empty list)
 * @example
 * ```ts
 * median([3, 1, 2]); // => 2
 * ```
 */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/**
 * Times a case: candidates[0] is the baseline. Each call is `candidate.run(data)`.
 *
 * @param caseName - the case label
 * @param candidates - baseline first
 * @param opts - reps and times
 * @param data - the case's data, passed to every call (omit for candidates that take none)
 * @returns one row per candidate
 * @example
 * ```ts
 * timeCase("noop", [{ name: "a", elems: 1, run: () => 1 }], { reps: 1, minMs: 1, warmMs: 1 })[0].ratio; // => 1
 * ```
 */
export function timeCase<D = undefined>(
  caseName: string,
  candidates: readonly Candidate<D>[],
  opts: TimingOptions,
  data?: D,
): Row[] {
  const d = data as D;
  for (const c of candidates) {
    const t0 = performance.now();
    do sink += c.run(d);
    while (performance.now() - t0 < (c.reps !== undefined ? 0 : opts.warmMs));
  }
  const rates: number[][] = candidates.map(() => []);
  const n = candidates.length;
  for (let rep = 0; rep < opts.reps; rep++) {
    for (let k = 0; k < n; k++) {
      const idx = (k + rep) % n;
      const c = candidates[idx];
      if (c.reps !== undefined && rep >= c.reps) continue;
      rates[idx].push(sample(c, d, c.reps !== undefined ? 0 : opts.minMs));
    }
  }
  const base = rates[0];
  return candidates.map((c, idx) => {
    const r = rates[idx];
    const ratios = r.map((v, rep) => v / base[rep]);
    const med = median(r);
    return {
      case: caseName,
      candidate: c.name,
      melemPerSec: med,
      min: Math.min(...r),
      max: Math.max(...r),
      mcallsPerSec: c.calls === undefined ? null : (med * c.calls) / c.elems,
      ratio: median(ratios),
      baseline: candidates[0].name,
      goal: c.goal ?? null,
      reps: r.length,
    };
  });
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

/**
 * Renders rows as a markdown table.
 *
 * @param rows - results
 * @returns the table text
 * @example
 * ```ts
 * markdownTable([]).split("\n").length; // => 2
 * ```
 */
export function markdownTable(rows: readonly Row[]): string {
  const head =
    "| case | candidate | Melem/s (median) [min..max] | M calls/s | ratio to baseline | goal |\n" +
    "|---|---|---|---|---|---|";
  const lines = rows.map((r) => {
    const goal = r.goal === null ? "" : `≥ ${r.goal} ${r.ratio >= r.goal ? "✔" : "✘"}`;
    const ratio = r.candidate === r.baseline ? "1 (baseline)" : `${r.ratio.toFixed(2)} × ${r.baseline}`;
    const calls = r.mcallsPerSec === null ? "" : fmt(r.mcallsPerSec);
    return `| ${r.case} | ${r.candidate} | ${fmt(r.melemPerSec)} [${fmt(r.min)}..${fmt(r.max)}] | ${calls} | ${ratio} | ${goal} |`;
  });
  return [head, ...lines].join("\n");
}
