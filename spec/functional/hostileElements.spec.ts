// Issue 12 item 1: a hostile element (a throwing getter, a Proxy, a getter that re-enters update() on
// another metric) at a random position of a batch of a random size around each size threshold, for every
// kernel path (binary / Crammer–Singer / one-vs-all; plain, squared, weighted, ignore index; flat plain
// arrays, typed arrays, {data, shape}, rows), leaves that metric unchanged and every other metric's later
// result exact (equal, bit for bit, to a metric that never met the hostile batch).
import { expect } from "chai";
import fc from "fast-check";

import { HingeLoss, type HingeLossOptions } from "../../lib/index.js";
import { FLUSH_EVERY } from "../../lib/state/exactSum.js";
import { prng } from "../support/prng.js";

const PAIR_MIN_BATCH = 256;
const PAIR_CHUNK = 16384;

type Mode = "binary" | "crammer-singer" | "one-vs-all";
type Kind = "plain" | "f32" | "f64" | "shaped" | "rows";
type Hostile = "throwing getter" | "throwing proxy" | "re-entrant getter" | "hostile row";

interface Case {
  mode: Mode;
  kind: Kind;
  n: number;
  at: number;
  hostile: Hostile;
  inTarget: boolean;
  options: HingeLossOptions;
  weighted: boolean;
  seed: number;
}

const C = 3;

/** A clean batch of the case's mode and input kind. */
function cleanBatch(c: Case, seed: number): { preds: unknown; target: unknown; weights?: unknown } {
  const r = prng(seed);
  const width = c.mode === "binary" ? 1 : C;
  const flat = Array.from({ length: c.n * width }, () => Math.round((r() * 8 - 4) * 64) / 64);
  const target = Array.from({ length: c.n }, () =>
    c.mode === "binary" ? (r() < 0.5 ? 0 : 1) : Math.floor(r() * C),
  );
  const weights = c.weighted ? Array.from({ length: c.n }, () => Math.round(r() * 32) / 16) : undefined;
  let preds: unknown;
  if (c.mode === "binary") {
    preds = c.kind === "f32" ? new Float32Array(flat) : c.kind === "f64" ? new Float64Array(flat) : flat;
  } else if (c.kind === "rows" || c.kind === "plain") {
    preds = Array.from({ length: c.n }, (_, i) => flat.slice(i * C, i * C + C));
  } else {
    const data = c.kind === "f32" ? new Float32Array(flat) : c.kind === "f64" ? new Float64Array(flat) : flat;
    preds = { data, shape: [c.n, C] };
  }
  const typedTarget = c.kind === "f32" || c.kind === "f64";
  return {
    preds,
    target: typedTarget ? Int32Array.from(target) : target,
    ...(weights === undefined ? {} : { weights }),
  };
}

/** Puts a hostile element into a copy of the batch; `reenter` is what a re-entrant getter runs. */
function poison(c: Case, batch: { preds: unknown; target: unknown; weights?: unknown }, reenter: () => void) {
  const boom = (): never => {
    throw new Error("boom");
  };
  const hostileGetter = (holder: unknown[], index: number): void => {
    const v = holder[index] as number;
    Object.defineProperty(holder, index, {
      get() {
        if (c.hostile === "re-entrant getter") {
          reenter();
          return v;
        }
        return boom();
      },
    });
  };
  const target =
    Array.isArray(batch.target) || c.inTarget ? Array.from(batch.target as ArrayLike<number>) : batch.target;
  if (c.inTarget) {
    const t = target as number[];
    if (c.hostile === "throwing proxy") {
      return {
        ...batch,
        target: new Proxy(t, { get: (o, k) => (k === String(c.at) ? boom() : Reflect.get(o, k)) }),
      };
    }
    hostileGetter(t, c.at);
    return { ...batch, target: t };
  }
  if (c.mode === "binary" || (c.kind !== "rows" && c.kind !== "plain")) {
    // flat scores: a plain copy (a typed array cannot hold a getter)
    const src =
      c.mode === "binary"
        ? (batch.preds as ArrayLike<number>)
        : (batch.preds as { data: ArrayLike<number> }).data;
    const flat = Array.from(src);
    const at = c.mode === "binary" ? c.at : c.at * C + (c.seed % C);
    let data: unknown = flat;
    if (c.hostile === "throwing proxy" || c.hostile === "hostile row") {
      data = new Proxy(flat, { get: (o, k) => (k === String(at) ? boom() : Reflect.get(o, k)) });
    } else hostileGetter(flat, at);
    return { ...batch, preds: c.mode === "binary" ? data : { data, shape: [c.n, C] }, target };
  }
  const rows = (batch.preds as number[][]).map((row) => row.slice());
  const j = c.seed % C;
  if (c.hostile === "hostile row") {
    Object.defineProperty(rows, c.at, { get: boom });
  } else if (c.hostile === "throwing proxy") {
    rows[c.at] = new Proxy(rows[c.at], { get: (o, k) => (k === String(j) ? boom() : Reflect.get(o, k)) });
  } else hostileGetter(rows[c.at], j);
  return { ...batch, preds: rows, target };
}

function near(threshold: number): fc.Arbitrary<number> {
  return fc.integer({ min: Math.max(1, threshold - 2), max: threshold + 2 });
}

const sizes = fc.oneof(
  fc.integer({ min: 1, max: 8 }),
  near(PAIR_MIN_BATCH),
  fc.integer({ min: 200, max: 600 }),
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    mode: fc.constantFrom<Mode>("binary", "crammer-singer", "one-vs-all"),
    kind: fc.constantFrom<Kind>("plain", "f32", "f64", "shaped", "rows"),
    n: sizes,
    atFrac: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    hostile: fc.constantFrom<Hostile>(
      "throwing getter",
      "throwing proxy",
      "re-entrant getter",
      "hostile row",
    ),
    inTarget: fc.boolean(),
    squared: fc.boolean(),
    weighted: fc.boolean(),
    ignore: fc.boolean(),
    seed: fc.nat(),
  })
  .map((r) => ({
    mode: r.mode,
    kind: r.mode === "binary" && (r.kind === "rows" || r.kind === "shaped") ? "plain" : r.kind,
    n: r.n,
    at: Math.floor(r.atFrac * r.n),
    hostile: r.hostile,
    inTarget: r.inTarget,
    weighted: r.weighted,
    seed: r.seed,
    options: {
      ...(r.mode === "one-vs-all" ? { multiclassMode: "one-vs-all" as const } : {}),
      ...(r.squared ? { squared: true } : {}),
      ...(r.ignore ? { ignoreIndex: -7 } : {}),
    },
  }));

function feed(m: HingeLoss, b: { preds: unknown; target: unknown; weights?: unknown }): void {
  m.update(b.preds as never, b.target as never, b.weights as never);
}

function check(c: Case): void {
  const warm = cleanBatch({ ...c, n: 5 }, c.seed + 1);
  const clean = cleanBatch(c, c.seed + 2);
  const other = cleanBatch({ ...c, n: 300 }, c.seed + 3);
  const victim = new HingeLoss(c.options);
  feed(victim, warm);
  const before = JSON.stringify(victim.toJSON());
  // a bystander: updated from inside a re-entrant getter, and after the hostile call
  const bystander = new HingeLoss(c.options);
  let reentered = 0;
  const hostile = poison(c, clean, () => {
    reentered++;
    feed(bystander, other);
  });
  let threw = false;
  try {
    feed(victim, hostile);
  } catch {
    threw = true;
  }
  if (threw) expect(JSON.stringify(victim.toJSON()), "victim unchanged").to.equal(before);
  else {
    // a re-entrant getter that returned normally: the victim took the clean batch, exactly
    const ref = new HingeLoss(c.options);
    feed(ref, warm);
    feed(ref, clean);
    expect(JSON.stringify(victim.toJSON()), "victim exact").to.equal(JSON.stringify(ref.toJSON()));
  }
  feed(bystander, other);
  const ref = new HingeLoss(c.options);
  for (let k = 0; k <= reentered; k++) feed(ref, other);
  expect(JSON.stringify(bystander.toJSON()), "bystander exact").to.equal(JSON.stringify(ref.toJSON()));
  // and a fresh metric's next batch is exact too
  const fresh = new HingeLoss(c.options);
  feed(fresh, other);
  const ref2 = new HingeLoss(c.options);
  ref2.merge(JSON.parse(JSON.stringify(fresh.toJSON())) as never);
  expect(JSON.stringify(fresh.toJSON())).to.equal(JSON.stringify(ref2.toJSON()));
  expect(fresh.compute()).to.deep.equal(new HingeLoss(c.options).merge(fresh).compute());
}

describe("hostile elements: every kernel path (issue 12 item 1)", function () {
  this.timeout(120000);

  it("the issue's example: a throwing getter in a one-vs-all batch of 256 rows leaks nothing", function () {
    const ok = (): number[] => [5, -5, -5];
    const rows: unknown[] = Array.from({ length: 256 }, ok);
    rows[1] = {
      0: -100,
      1: 50,
      get 2(): number {
        throw Error("boom");
      },
      length: 3,
    };
    const victim = new HingeLoss({ multiclassMode: "one-vs-all" });
    expect(() => victim.update(rows as number[][], Array(256).fill(0))).to.throw();
    const next = new HingeLoss({ multiclassMode: "one-vs-all" });
    expect(next.update(Array.from({ length: 256 }, ok), Array(256).fill(0)).compute()).to.deep.equal([
      0, 0, 0,
    ]);
    expect(victim.samples).to.equal(0);
  });

  it("property: any mode, input kind, option set and size around PAIR_MIN_BATCH", function () {
    fc.assert(fc.property(caseArb, check), { numRuns: 300 });
  });

  it("around PAIR_CHUNK and FLUSH_EVERY (fewer runs: big batches)", function () {
    const big = caseArb.chain((c) =>
      fc.oneof(near(PAIR_CHUNK), near(FLUSH_EVERY)).map((n) => ({ ...c, n, at: Math.min(n - 1, c.at * 97) })),
    );
    fc.assert(fc.property(big, check), { numRuns: 12 });
  });

  it("no batch stays referenced after update returns (the last typed-array batch is released)", function () {
    const m = new HingeLoss();
    m.update(new Float32Array([0.5, -1]), new Int32Array([1, 0]));
    const scratch = (m as unknown as { kernelScratch: { fastPreds: { data: ArrayLike<number> } } })
      .kernelScratch;
    expect(scratch.fastPreds.data.length).to.equal(0);
    expect(() => m.update(new Float32Array([0.5]), new Int32Array([7]))).to.throw();
    expect(scratch.fastPreds.data.length).to.equal(0);
  });

  it("a batch straddling a due flush: the victim's earlier samples fill the bins to FLUSH_EVERY - 1", function () {
    for (const mode of ["binary", "crammer-singer", "one-vs-all"] as const) {
      const c: Case = {
        mode,
        kind: "plain",
        n: 600,
        at: 400,
        hostile: "throwing getter",
        inTarget: false,
        options: mode === "one-vs-all" ? { multiclassMode: "one-vs-all" } : {},
        weighted: false,
        seed: 7,
      };
      const victim = new HingeLoss(c.options);
      feed(victim, cleanBatch({ ...c, n: FLUSH_EVERY - 1 }, 1));
      const before = JSON.stringify(victim.toJSON());
      expect(() =>
        feed(
          victim,
          poison(c, cleanBatch(c, 2), () => undefined),
        ),
      ).to.throw("boom");
      expect(JSON.stringify(victim.toJSON())).to.equal(before);
    }
  });
});
