// The multiclass kernel's loop for (N, C) scores with topK 1 (argmaxRows): the confusion matrix of random
// batches (ties, ignored rows, every storage of the scores) against a naive argmax written here, and a bad
// cell anywhere: the error a row-by-row reading gives (target first, then the row's first non-finite score),
// the state as before.
import { expect } from "chai";
import { MetricInputError, MulticlassAccuracy, MulticlassConfusionMatrix } from "../../../lib/index.js";
import { prng } from "../../support/prng.js";

/** The first of the highest scores, or -1 for an ignored row. */
function naiveConfmat(scores: number[][], target: number[], C: number, ignore: number | null): number[][] {
  const m = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  scores.forEach((row, s) => {
    if (target[s] === ignore) return;
    let arg = 0;
    for (let c = 1; c < C; c++) if (row[c] > row[arg]) arg = c;
    m[target[s]][arg]++;
  });
  return m;
}

describe("multiclass kernel, (N, C) scores with topK 1", () => {
  it("gives the naive argmax's confusion matrix on random batches, in any storage, with ignored rows", () => {
    const rand = prng(5);
    for (let trial = 0; trial < 200; trial++) {
      const C = 2 + Math.floor(rand() * 6);
      const N = 1 + Math.floor(rand() * 40);
      const ignore = rand() < 0.5 ? null : rand() < 0.5 ? -1 : C;
      // few distinct values: ties are common, and the first of the highest must win
      const scores = Array.from({ length: N }, () =>
        Array.from({ length: C }, () => Math.floor(rand() * 4) - 1.5),
      );
      const target = Array.from({ length: N }, () =>
        ignore !== null && rand() < 0.2 ? ignore : Math.floor(rand() * C),
      );
      const want = naiveConfmat(scores, target, C, ignore);
      const flat = scores.flat();
      const forms: [unknown, unknown][] = [
        [scores, target],
        [{ data: new Float64Array(flat), shape: [N, C] }, new Float64Array(target)],
        [{ data: new Float32Array(flat), shape: [N, C] }, new Int32Array(target)],
        [{ data: flat, shape: [N, C] }, target],
      ];
      for (const [p, t] of forms) {
        const m = new MulticlassConfusionMatrix({ numClasses: C, ignoreIndex: ignore });
        m.update(p as never, t as never);
        expect(m.compute()).to.deep.equal(want);
      }
    }
  });

  it("reports the first bad row as a row-by-row reading does, whatever comes after it; state unchanged", () => {
    const rand = prng(9);
    const bads: [string, (row: number[], t: number[], s: number, C: number) => RegExp][] = [
      ["NaN score", (row) => ((row[1] = NaN), /must be a finite number, got NaN$/)],
      [
        "Infinity score",
        (row, _t, _s, C) => ((row[C - 1] = Infinity), /must be a finite number, got Infinity$/),
      ],
      ["target C", (_row, t, s, C) => ((t[s] = C), new RegExp(`must be a class in \\[0, ${C}\\)`))],
      ["target 0.5", (_row, t, s) => ((t[s] = 0.5), /must be a class in .*got 0\.5$/)],
    ];
    for (let trial = 0; trial < 100; trial++) {
      const C = 2 + Math.floor(rand() * 5);
      const N = 2 + Math.floor(rand() * 30);
      const scores = Array.from({ length: N }, () => Array.from({ length: C }, () => rand()));
      const target = Array.from({ length: N }, () => Math.floor(rand() * C));
      const s = Math.floor(rand() * N);
      const [, spoil] = bads[Math.floor(rand() * bads.length)];
      const tail = bads[Math.floor(rand() * bads.length)][1];
      const message = spoil(scores[s], target, s, C);
      if (s + 1 < N) tail(scores[N - 1], target, N - 1, C); // a later bad row must not be the one reported
      const position = message.source.includes("class in") ? `target\\[${s}\\]` : `preds\\[${s}\\]\\[\\d\\]`;
      const m = new MulticlassAccuracy({ numClasses: C, average: "micro" });
      m.update([[1, ...new Array<number>(C - 1).fill(0)]], [0]);
      const before = JSON.stringify(m.toJSON());
      expect(() => m.update(scores, target)).to.throw(
        MetricInputError,
        new RegExp(`^${position} ${message.source}`),
      );
      expect(JSON.stringify(m.toJSON())).to.equal(before);
    }
  });

  it("still requires the scores of an ignored row to be finite", () => {
    const m = new MulticlassAccuracy({ numClasses: 3, ignoreIndex: -1 });
    expect(() =>
      m.update(
        [
          [0.1, 0.2, 0.7],
          [0.1, NaN, 0.7],
        ],
        [2, -1],
      ),
    ).to.throw(MetricInputError, /^preds\[1\]\[1\] must be a finite number, got NaN$/);
    m.update([[0.1, 0.2, 0.7]], [-1]);
    m.update([[0.1, 0.2, 0.7]], [2]);
    expect(m.compute()).to.equal(1);
  });
});
