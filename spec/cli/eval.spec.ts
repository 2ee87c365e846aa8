import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BinaryAccuracy,
  BinaryConfusionMatrix,
  BinaryF1Score,
  BinaryFBetaScore,
  BinaryPrecision,
  BinaryRecall,
  BinarySpecificity,
  BinaryStatScores,
  HingeLoss,
  MaxMetric,
  MeanAbsoluteError,
  MeanMetric,
  MeanSquaredError,
  MetricCollection,
  MinMetric,
  MulticlassAccuracy,
  MulticlassConfusionMatrix,
  MulticlassF1Score,
  MulticlassPrecision,
  MulticlassStatScores,
  R2Score,
  SumMetric,
} from "../../lib/index.js";
import { EvalCollection, evalMetrics } from "../../lib/cli/evalMetrics.js";
import { cli, cliIn, ensureBuilt, prng, tempDir } from "./support.js";

/** Deep equality with Object.is on every number: the same bits. */
function sameBits(actual: unknown, expected: unknown, path = "value"): void {
  if (Array.isArray(expected)) {
    expect(actual, path).to.be.an("array").with.length(expected.length);
    expected.forEach((e, i) => sameBits((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  expect(Object.is(actual, expected), `${path}: ${String(actual)} is not ${String(expected)}`).to.equal(true);
}

interface EvalJson {
  metrics: Record<string, { kind: string; options: Record<string, unknown> }>;
  value: Record<string, unknown>;
  lines?: number;
  by?: string;
  groups?: { group: string; value: Record<string, unknown> }[];
}

async function evalJson(args: string[]): Promise<EvalJson> {
  const r = await cliIn(["eval", ...args, "--json"]);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as EvalJson;
}

/** Binary samples: probabilities (rounded to 3 decimals, as a CSV holds them) and 0/1 targets. */
function binaryData(n: number, seed: number): { preds: number[]; target: number[]; epoch: number[] } {
  const rand = prng(seed);
  const preds: number[] = [];
  const target: number[] = [];
  const epoch: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = rand() < 0.4 ? 1 : 0;
    preds.push(Number(Math.min(1, Math.max(0, 0.3 * t + 0.7 * rand())).toFixed(3)));
    target.push(t);
    epoch.push(1 + Math.floor((3 * i) / n));
  }
  return { preds, target, epoch };
}

function multiclassData(n: number, C: number, seed: number): { scores: number[][]; target: number[] } {
  const rand = prng(seed);
  const scores: number[][] = [];
  const target: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(rand() * C);
    scores.push(Array.from({ length: C }, (_, c) => Number((rand() + (c === t ? 0.4 : 0)).toFixed(4))));
    target.push(t);
  }
  return { scores, target };
}

describe("streammetrics eval (issue 15)", () => {
  let dir = "";
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bin = binaryData(300, 15);
  const binCsv = (rows: number[]) =>
    ["epoch,target,pred", ...rows.map((i) => `${bin.epoch[i]},${bin.target[i]},${bin.preds[i]}`)].join("\n") +
    "\n";
  const all = bin.preds.map((_, i) => i);
  let binPath = "";
  before(() => {
    dir = tempDir();
    binPath = file("bin.csv", binCsv(all));
  });

  describe("values equal the library's own classes on the same data (Object.is)", () => {
    it("every binary, regression, aggregation metric and the hinge loss, in one run", async () => {
      const { preds, target } = bin;
      const out = await evalJson([
        binPath,
        "--metric",
        "accuracy,precision,recall,f1,fbeta,specificity,stat-scores,confusion-matrix",
        "--metric",
        "mse,rmse,mae,r2,mean,sum,max,min,hinge",
        "--beta",
        "2",
      ]);
      const expected: Record<string, unknown> = {
        accuracy: new BinaryAccuracy().update(preds, target).compute(),
        precision: new BinaryPrecision().update(preds, target).compute(),
        recall: new BinaryRecall().update(preds, target).compute(),
        f1: new BinaryF1Score().update(preds, target).compute(),
        fbeta: new BinaryFBetaScore({ beta: 2 }).update(preds, target).compute(),
        specificity: new BinarySpecificity().update(preds, target).compute(),
        "stat-scores": new BinaryStatScores().update(preds, target).compute(),
        "confusion-matrix": new BinaryConfusionMatrix().update(preds, target).compute(),
        mse: new MeanSquaredError().update(preds, target).compute(),
        rmse: new MeanSquaredError({ squared: false }).update(preds, target).compute(),
        mae: new MeanAbsoluteError().update(preds, target).compute(),
        r2: new R2Score().update(preds, target).compute(),
        mean: new MeanMetric().update(preds).compute(),
        sum: new SumMetric().update(preds).compute(),
        max: new MaxMetric().update(preds).compute(),
        min: new MinMetric().update(preds).compute(),
        hinge: new HingeLoss().update(preds, target).compute(),
      };
      expect(Object.keys(out.value)).to.deep.equal(Object.keys(expected));
      for (const [name, value] of Object.entries(expected)) sameBits(out.value[name], value, name);
      expect(out.metrics.fbeta.kind).to.equal("BinaryFBetaScore");
      expect(out.metrics.fbeta.options.beta).to.equal(2);
      expect(out.metrics.rmse).to.deep.equal({
        kind: "MeanSquaredError",
        options: { squared: false, numOutputs: 1 },
      });
    });

    it("options as flags: --threshold, --input-transform sigmoid on logits (without it, a logit is a bad line)", async () => {
      const logits = bin.preds.map((p) => Number((8 * p - 4).toFixed(3)));
      const path = file(
        "logits.csv",
        ["target,pred", ...logits.map((p, i) => `${bin.target[i]},${p}`)].join("\n") + "\n",
      );
      const out = await evalJson([
        path,
        "--metric",
        "accuracy,precision",
        "--input-transform",
        "sigmoid",
        "--threshold",
        "0.3",
      ]);
      const o = { inputTransform: "sigmoid", threshold: 0.3 } as const;
      sameBits(out.value.accuracy, new BinaryAccuracy(o).update(logits, bin.target).compute());
      sameBits(out.value.precision, new BinaryPrecision(o).update(logits, bin.target).compute());
      // without the transform, a logit outside [0, 1] is a bad line naming the option to use
      const r = await cliIn(["eval", path, "--metric", "accuracy"]);
      expect(r.code).to.equal(1);
      const line = logits.findIndex((p) => p < 0 || p > 1) + 2;
      expect(
        r.stderr.startsWith(`${path}:${line}: metric "accuracy": pred must be a probability`),
        r.stderr,
      ).to.equal(true);
      expect(r.stderr).to.include("inputTransform");
    });

    it("multiclass from pred_0 … pred_{C-1} (CSV) and from NDJSON batches: --num-classes, --average, --top-k, --normalize", async () => {
      const C = 4;
      const { scores, target } = multiclassData(200, C, 7);
      const csv = file(
        "mc.csv",
        ["target,pred_0,pred_1,pred_2,pred_3", ...scores.map((s, i) => `${target[i]},${s.join(",")}`)].join(
          "\n",
        ) + "\n",
      );
      const lines: string[] = [];
      for (let i = 0; i < 200; i += 50)
        lines.push(JSON.stringify({ preds: scores.slice(i, i + 50), target: target.slice(i, i + 50) }));
      const ndjson = file("mc.ndjson", lines.join("\n") + "\n");
      for (const path of [csv, ndjson]) {
        const out = await evalJson([
          path,
          "--metric",
          "accuracy,precision,f1,stat-scores,confusion-matrix",
          "--num-classes",
          String(C),
          "--average",
          "none",
          "--top-k",
          "2",
          "--normalize",
          "true",
        ]);
        const o = { numClasses: C, average: "none", topK: 2 } as const;
        sameBits(out.value.accuracy, new MulticlassAccuracy(o).update(scores, target).compute(), "accuracy");
        sameBits(
          out.value.precision,
          new MulticlassPrecision(o).update(scores, target).compute(),
          "precision",
        );
        sameBits(out.value.f1, new MulticlassF1Score(o).update(scores, target).compute(), "f1");
        sameBits(
          out.value["stat-scores"],
          new MulticlassStatScores(o).update(scores, target).compute(),
          "stat-scores",
        );
        const cm = new MulticlassConfusionMatrix({ numClasses: C, normalize: "true" }).update(scores, target);
        sameBits(out.value["confusion-matrix"], cm.compute(), "confusion-matrix");
        expect(out.metrics.accuracy.kind).to.equal("MulticlassAccuracy");
      }
    });

    it("column names chosen by the user (--target-col, --pred-col), and labels as multiclass preds", async () => {
      const path = file("named.csv", "id,label,guess\n1,2,2\n2,0,1\n3,1,1\n4,2,0\n");
      const out = await evalJson([
        path,
        "--metric",
        "accuracy,f1",
        "--num-classes",
        "3",
        "--target-col",
        "label",
        "--pred-col",
        "guess",
      ]);
      sameBits(
        out.value.accuracy,
        new MulticlassAccuracy({ numClasses: 3 }).update([2, 1, 1, 0], [2, 0, 1, 2]).compute(),
      );
      sameBits(
        out.value.f1,
        new MulticlassF1Score({ numClasses: 3 }).update([2, 1, 1, 0], [2, 0, 1, 2]).compute(),
      );
    });
  });

  describe("--by, the table, --json", () => {
    it("one result per group, each equal to the library on that group; all = the whole", async () => {
      const out = await evalJson([binPath, "--metric", "accuracy,f1,mse", "--by", "epoch"]);
      expect(out.by).to.equal("epoch");
      expect(out.groups?.map((g) => g.group)).to.deep.equal(["1", "2", "3"]);
      for (const g of out.groups ?? []) {
        const rows = all.filter((i) => String(bin.epoch[i]) === g.group);
        const p = rows.map((i) => bin.preds[i]);
        const t = rows.map((i) => bin.target[i]);
        sameBits(g.value.accuracy, new BinaryAccuracy().update(p, t).compute());
        sameBits(g.value.f1, new BinaryF1Score().update(p, t).compute());
        sameBits(g.value.mse, new MeanSquaredError().update(p, t).compute());
      }
      sameBits(out.value.accuracy, new BinaryAccuracy().update(bin.preds, bin.target).compute());
    });

    it("prints a table: metric → value, arrays as JSON; with --by one row per group and an all row", async () => {
      const path = file("small.csv", "epoch,target,pred\n1,0,0.2\n1,1,0.7\n1,1,0.4\n2,0,0.6\n2,1,0.9\n");
      const plain = await cliIn(["eval", path, "--metric", "accuracy,stat-scores,confusion-matrix"]);
      expect(plain.code).to.equal(0);
      expect(plain.stdout).to.equal(
        "metric            value\n" +
          "accuracy          0.6\n" +
          "stat-scores       [2,1,1,1,3]\n" +
          "confusion-matrix  [[1,1],[1,2]]\n",
      );
      const grouped = await cliIn(["eval", path, "--metric", "accuracy,recall", "--by", "epoch"]);
      expect(grouped.stdout).to.equal(
        "epoch  accuracy            recall\n" +
          "1      0.6666666666666666  0.5\n" +
          "2      0.5                 1\n" +
          "all    0.6                 0.6666666666666666\n",
      );
    });

    it("a group with nothing to compute from shows - (null in JSON)", async () => {
      const path = file("ignored.csv", "g,target,pred\na,1,0.9\nb,-1,0.2\n");
      const out = await evalJson([path, "--metric", "accuracy", "--ignore-index", "-1", "--by", "g"]);
      expect(out.groups?.map((g) => g.value.accuracy)).to.deep.equal([1, null]);
      const r = await cliIn(["eval", path, "--metric", "accuracy", "--ignore-index", "-1", "--by", "g"]);
      expect(r.stdout.split("\n")[2]).to.equal("b    -");
    });
  });

  describe("--state-out and merge", () => {
    const half = Math.floor(all.length / 2);
    const metrics = ["--metric", "accuracy,f1,confusion-matrix,mse,r2,mean,max,hinge"];
    for (const by of [[], ["--by", "epoch"]]) {
      it(`two shards merged = one pass, bit for bit (values and state file)${by.length > 0 ? ", by group" : ""}`, async () => {
        const tag = by.length > 0 ? "g" : "p";
        const a = file(`a${tag}.csv`, binCsv(all.slice(0, half)));
        const b = file(`b${tag}.csv`, binCsv(all.slice(half)));
        const [sa, sb, sw, sm] = ["a", "b", "whole", "merged"].map((n) => join(dir, `${n}${tag}.json`));
        for (const [input, out] of [
          [a, sa],
          [b, sb],
          [binPath, sw],
        ]) {
          const r = await cliIn(["eval", input, ...metrics, ...by, "--state-out", out]);
          expect(r.code, r.stderr).to.equal(0);
          expect(r.stderr).to.equal(`state written to ${out}\n`);
        }
        const whole = await evalJson([binPath, ...metrics, ...by]);
        const r = await cliIn(["merge", sa, sb, "--json", "--state-out", sm]);
        expect(r.code, r.stderr).to.equal(0);
        const merged = JSON.parse(r.stdout) as EvalJson;
        sameBits(JSON.stringify(merged.value), JSON.stringify(whole.value));
        for (const name of Object.keys(whole.value)) sameBits(merged.value[name], whole.value[name], name);
        expect(merged.metrics).to.deep.equal(whole.metrics);
        expect(merged.groups).to.deep.equal(whole.groups);
        expect(readFileSync(sm, "utf8")).to.equal(readFileSync(sw, "utf8"));
        const state = JSON.parse(readFileSync(sw, "utf8")) as { kind: string };
        expect(state.kind).to.equal(by.length > 0 ? "MetricGroups" : "MetricCollection");
        if (by.length === 0) {
          // the library reads it: a MetricCollection state, restored by kind
          sameBits(MetricCollection.fromJSON(state).compute().accuracy, whole.value.accuracy);
        }
      });
    }

    it("refuses to merge eval states with other metrics or options, or with hinge states (exit 1, one line)", async () => {
      const x = join(dir, "x.json");
      const y = join(dir, "y.json");
      const h = join(dir, "h.json");
      await cliIn(["eval", binPath, "--metric", "accuracy", "--state-out", x]);
      await cliIn(["eval", binPath, "--metric", "accuracy", "--threshold", "0.7", "--state-out", y]);
      await cliIn(["hinge", binPath, "--state-out", h]);
      const cases: [string[], string][] = [
        [
          [x, y],
          `${y}: metric "accuracy": cannot merge BinaryAccuracy states with different options: threshold is 0.7 there and 0.5 here`,
        ],
        [[x, h], `${h}: expected a MetricCollection state, got kind "HingeLoss"`],
        [[h, x], `${x}: expected a HingeLoss state, got kind "MetricCollection"`],
      ];
      for (const [files, message] of cases) {
        const r = await cliIn(["merge", ...files]);
        expect(r.code).to.equal(1);
        expect(r.stderr).to.equal(`${message}\n`);
      }
    });
  });

  describe("bad flags, options and lines", () => {
    const usage = async (args: string[], message: string) => {
      const r = await cliIn(["eval", binPath, ...args]);
      expect(r.code, r.stderr).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.equal(
        `streammetrics eval: ${message}\nRun "streammetrics eval --help" for usage.\n`,
      );
    };
    it("no metric, an unknown metric, a metric twice, a bad --task: exit 2 and a clear line", async () => {
      await usage(
        [],
        "eval needs at least one --metric NAME (accuracy, precision, recall, f1, fbeta, specificity, stat-scores, confusion-matrix, mse, rmse, mae, r2, mean, sum, max, min, hinge)",
      );
      await usage(
        ["--metric", "acc"],
        'unknown metric "acc" for --metric: known metrics are accuracy, precision, recall, f1, fbeta, specificity, stat-scores, confusion-matrix, mse, rmse, mae, r2, mean, sum, max, min, hinge',
      );
      await usage(["--metric", "f1", "--metric", "f1"], "--metric f1 is given twice");
      await usage(
        ["--metric", "f1", "--task", "multilabel"],
        '--task must be binary or multiclass, got "multilabel"',
      );
      await usage(
        ["--metric", "accuracy", "--beta", "2"],
        "--beta is not an option of the chosen metrics for --task binary (it is an option of fbeta)",
      );
      await usage(
        ["--metric", "accuracy", "--top-k", "2"],
        "--top-k is not an option of the chosen metrics for --task binary (it is an option of accuracy, precision, recall, f1, fbeta, specificity, stat-scores for --task multiclass)",
      );
    });
    it("option values are checked by the classes' own schemas (the ✖ form, as hinge)", async () => {
      await usage(
        ["--metric", "accuracy", "--threshold", "2"],
        "invalid options for --metric accuracy\n✖ option threshold must be a number in [0, 1], got 2\n  → at threshold",
      );
      await usage(
        ["--metric", "f1", "--task", "multiclass"],
        "invalid options for --metric f1\n✖ option numClasses is required: the number of classes, an integer ≥ 2\n  → at numClasses",
      );
      await usage(
        ["--metric", "f1", "--num-classes", "3", "--average", "mean"],
        'invalid options for --metric f1\n✖ option average must be "micro", "macro", "weighted" or "none", got "mean"\n  → at average',
      );
      await usage(
        ["--metric", "fbeta", "--beta", "-1"],
        "invalid options for --metric fbeta\n✖ option beta must be a positive finite number, got -1\n  → at beta",
      );
      await usage(
        ["--metric", "accuracy", "--num-classes", "3", "--top-k", "4"],
        "invalid options for --metric accuracy\n✖ option topK must be at most numClasses (3), got 4\n  → at topK",
      );
      // the same message as the class gives
      expect(() => evalMetrics({ metric: ["accuracy"], threshold: "2" })).to.throw(
        /threshold must be a number in \[0, 1\], got 2/,
      );
    });
    it("a bad line stops the run with file:line: metric: message, exit 1, and no member changes", async () => {
      const path = file("bad.csv", "target,pred\n1,0.9\n0,0.1\n2,0.4\n1,0.8\n");
      const r = await cliIn(["eval", path, "--metric", "mse,accuracy"]);
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal("");
      expect(r.stderr).to.match(
        new RegExp(`^${path.replace(/[.\\/]/g, "\\$&")}:4: metric "accuracy": target`),
      );
      expect(r.stderr.split("\n")).to.have.length(2);
      // --skip-invalid: the other lines, every member alike (mse did not count line 4 either)
      const out = await evalJson([path, "--metric", "mse,accuracy", "--skip-invalid"]);
      sameBits(out.value.mse, new MeanSquaredError().update([0.9, 0.1, 0.8], [1, 0, 1]).compute());
      sameBits(out.value.accuracy, 1);
    });
    it("the collection is atomic: a batch one member refuses changes none", () => {
      const { collection } = evalMetrics({ metric: ["mse", "accuracy"] });
      collection.update([0.5], [1]);
      const before = JSON.stringify(collection.toJSON());
      expect(() => collection.update([0.5, 0.2], [1, 3])).to.throw(/metric "accuracy"/);
      expect(JSON.stringify(collection.toJSON())).to.equal(before);
      expect(collection).to.be.instanceOf(EvalCollection);
    });
    it("weights: mean and hinge use them, the others refuse a weighted line", async () => {
      const path = file("w.csv", "target,pred,weight\n1,0.9,2\n0,0.3,1\n");
      const out = await evalJson([path, "--metric", "mean,hinge"]);
      sameBits(out.value.mean, new MeanMetric().update([0.9, 0.3], [2, 1]).compute());
      sameBits(out.value.hinge, new HingeLoss().update([0.9, 0.3], [1, 0], [2, 1]).compute());
      const r = await cliIn(["eval", path, "--metric", "accuracy"]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include(`${path}:2: metric "accuracy": BinaryAccuracy takes no weights`);
    });
  });

  describe("inputs", () => {
    it("--pred-cols names the score keys of NDJSON lines (multiclass); with --task binary it is a usage error", async () => {
      const path = file(
        "keys.ndjson",
        '{"y":0,"a":0.7,"b":0.3}\n{"y":1,"a":0.6,"b":0.4}\n{"y":1,"a":0.1,"b":0.9}\n',
      );
      const out = await evalJson([
        path,
        "--metric",
        "accuracy",
        "--num-classes",
        "2",
        "--target-col",
        "y",
        "--pred-cols",
        "a,b",
      ]);
      const scores = [
        [0.7, 0.3],
        [0.6, 0.4],
        [0.1, 0.9],
      ];
      sameBits(
        out.value.accuracy,
        new MulticlassAccuracy({ numClasses: 2 }).update(scores, [0, 1, 1]).compute(),
      );
      const r = await cliIn(["eval", path, "--metric", "accuracy", "--pred-cols", "a,b"]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include("--pred-cols names one score column per class: it needs --task multiclass");
    });
    it("an empty input: exit 1, nothing to evaluate", async () => {
      const path = file("empty.csv", "");
      const r = await cliIn(["eval", path, "--metric", "accuracy"]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.equal("nothing to evaluate: no sample was read\n");
    });
  });

  it("--help documents eval with an example; the built bin runs it (smoke)", async () => {
    const help = await cliIn(["eval", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include("streammetrics eval preds.csv --metric accuracy --metric f1");
    ensureBuilt();
    const r = cli(["eval", binPath, "--metric", "accuracy", "--json"]);
    expect(r.code, r.stderr).to.equal(0);
    sameBits(
      (JSON.parse(r.stdout) as EvalJson).value.accuracy,
      new BinaryAccuracy().update(bin.preds, bin.target).compute(),
    );
  });
});
