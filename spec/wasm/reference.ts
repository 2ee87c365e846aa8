// The BigInt reference of the WASM specs: each contribution computed with the JS kernels' float64 expression
// and summed exactly (scaled by 2^1074), and whether any contribution takes the exact slow path.
import { FAST_LIMIT, S1, S2, S3, scaledFromDouble } from "../../lib/state/exactSum.js";

/** Whether a contribution takes the exact slow path (JS) / is refused (WASM): see lib/state/exactSum.ts. */
export function slowPath(c: number, squared: boolean): boolean {
  const q1 = c + S1 - S1;
  const r1 = c - q1;
  const q2 = r1 + S2 - S2;
  const r2 = r1 - q2;
  return !(c < (squared ? FAST_LIMIT : 2 ** 24)) || r2 !== r2 + S3 - S3;
}

function hinge(m: number): number {
  return (m + Math.abs(m)) * 0.5;
}

/** The exact Σ of each per-sample contribution (JS float64 expressions), scaled by 2^1074. */
export function reference(
  mode: "binary" | "crammer-singer" | "one-vs-all",
  p: ArrayLike<number>,
  t: ArrayLike<number>,
  C: number,
  squared: boolean,
): { sums: bigint[]; slow: boolean } {
  let slow = false;
  const sq = (h: number): number => {
    const c = squared ? h * h : h;
    if (slowPath(c, squared)) slow = true;
    return c;
  };
  if (mode === "binary") {
    let s = 0n;
    for (let i = 0; i < t.length; i++) {
      s += scaledFromDouble(sq(hinge(1 - (t[i] + Math.abs(t[i]) - 1) * p[i])));
    }
    return { sums: [s], slow };
  }
  const sums = new Array<bigint>(mode === "one-vs-all" ? C : 1).fill(0n);
  for (let i = 0; i < t.length; i++) {
    const y = t[i];
    if (mode === "one-vs-all") {
      for (let c = 0; c < C; c++) {
        const v = p[i * C + c];
        sums[c] += scaledFromDouble(sq(hinge(1 + (c === y ? -v : v))));
      }
    } else {
      let max = -Infinity;
      for (let j = 0; j < C; j++) if (j !== y && p[i * C + j] > max) max = p[i * C + j];
      sums[0] += scaledFromDouble(sq(hinge(1 - (p[i * C + y] - max))));
    }
  }
  return { sums, slow };
}
