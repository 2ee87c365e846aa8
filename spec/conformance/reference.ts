// An independent, deliberately naive float64 oracle of DESIGN §2 (no bins, no kernels): used where a
// reference library computes something we do not copy (e.g. legacy torchmetrics reading -1 as positive).

/** Mean hinge loss of one batch, binary or multiclass, as DESIGN §2 defines it. */
export function naiveHinge(
  preds: number[] | number[][],
  target: number[],
  opts: { squared?: boolean; mode?: "crammer-singer" | "one-vs-all" } = {},
): number | number[] {
  const sq = (m: number) => (opts.squared ? m * m : m);
  if (!Array.isArray(preds[0]) || (preds[0] as number[]).length === 1) {
    const p = (preds as (number | number[])[]).map((v) => (Array.isArray(v) ? v[0] : v));
    let s = 0;
    p.forEach((x, i) => (s += sq(Math.max(0, 1 - (target[i] === 1 ? 1 : -1) * x))));
    return s / p.length;
  }
  const rows = preds as number[][];
  const C = rows[0].length;
  if (opts.mode === "one-vs-all") {
    const s = new Array<number>(C).fill(0);
    rows.forEach((r, i) =>
      r.forEach((v, c) => (s[c] += sq(Math.max(0, 1 - (c === target[i] ? 1 : -1) * v)))),
    );
    return s.map((v) => v / rows.length);
  }
  let s = 0;
  rows.forEach((r, i) => {
    const others = r.filter((_, j) => j !== target[i]);
    s += sq(Math.max(0, 1 - (r[target[i]] - Math.max(...others))));
  });
  return s / rows.length;
}
