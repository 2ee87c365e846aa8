// `streammetrics merge` restores every registered kind, the facades' too (issue 13): states written by
// torchmetrics' BinaryHingeLoss / MulticlassHingeLoss and the Keras metrics merge to the value of one pass.
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { metrics as keras } from "../../lib/compat/keras/index.js";
import { BinaryHingeLoss, MulticlassHingeLoss } from "../../lib/compat/torchmetrics/index.js";
import { restoreMetric, type Metric } from "../../lib/index.js";
import { cliIn, prng, tempDir } from "./support.js";

describe("cli merge: facade states (torchmetrics.*, keras.metrics.*)", () => {
  const dir = tempDir();
  const rand = prng(7);
  const scores = (n: number) => Array.from({ length: n }, () => Math.round((rand() * 4 - 2) * 1000) / 1000);

  const cases: { name: string; make: () => Metric; batch: (n: number) => [unknown, unknown] }[] = [
    {
      name: "torchmetrics.BinaryHingeLoss (squared)",
      make: () => new BinaryHingeLoss({ squared: true }),
      batch: (n) => [scores(n), Array.from({ length: n }, () => (rand() < 0.5 ? 0 : 1))],
    },
    {
      name: "torchmetrics.MulticlassHingeLoss (one-vs-all)",
      make: () => new MulticlassHingeLoss({ numClasses: 3, multiclassMode: "one-vs-all" }),
      batch: (n) => [
        Array.from({ length: n }, () => scores(3)),
        Array.from({ length: n }, () => Math.floor(rand() * 3)),
      ],
    },
    {
      name: "keras.metrics.SquaredHinge (float64)",
      make: () => new keras.SquaredHinge({ dtype: "float64" }),
      batch: (n) => [
        Array.from({ length: n }, () => scores(2)),
        Array.from({ length: n }, () => [rand() < 0.5 ? -1 : 1, rand() < 0.5 ? -1 : 1]),
      ],
    },
  ];

  for (const { name, make, batch } of cases) {
    it(`${name}: merge of two shards = one pass, and the kind and options are kept`, async () => {
      const parts = [make(), make()];
      const whole = make();
      for (let k = 0; k < 6; k++) {
        const [preds, target] = batch(5 + k);
        parts[k % 2].update(preds, target);
        whole.update(preds, target);
      }
      const files = parts.map((p, i) => {
        const file = join(dir, `${name.replace(/\W+/g, "_")}-${i}.json`);
        writeFileSync(file, JSON.stringify(p.toJSON()));
        return file;
      });
      const out = join(dir, `${name.replace(/\W+/g, "_")}-merged.json`);
      const r = await cliIn(["merge", ...files, "--json", "--state-out", out]);
      expect(r.code, r.stderr).to.equal(0);
      const kind = whole.kind;
      const json = JSON.parse(r.stdout) as {
        metrics: Record<string, { kind: string; options: object }>;
        value: Record<string, unknown>;
      };
      expect(json.metrics[kind]).to.deep.equal({ kind, options: whole.toJSON().options });
      expect(JSON.stringify(json.value[kind])).to.equal(JSON.stringify(whole.compute()));
      // the merged state file is the metric's own state: it reads back by kind as the same metric
      expect(readFileSync(out, "utf8")).to.equal(`${JSON.stringify(whole.toJSON())}\n`);
      const back = restoreMetric(JSON.parse(readFileSync(out, "utf8")));
      expect(back.constructor).to.equal(whole.constructor);
      expect(JSON.stringify(back.compute())).to.equal(JSON.stringify(whole.compute()));
    });
  }
});
