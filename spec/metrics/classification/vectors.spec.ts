import { expect } from "chai";
import {
  InvalidOptionsError,
  MetricInputError,
  MetricStateError,
  isRegistered,
  metricClass,
  type Metric,
} from "../../../lib/index.js";
import { isErrorCase, type VectorCase } from "../../support/vectors.js";
import { cases, expectClose, expectSameBits, ourOptions, ourPreds, ourTarget } from "./support.js";

type AnyMetric = Metric<unknown>;
type Batch = VectorCase["batches"][number];

function make(c: VectorCase, extra: Record<string, unknown> = {}): AnyMetric {
  return new (metricClass(c.api) as unknown as new (o: unknown) => AnyMetric)({
    ...ourOptions(c.options),
    ...extra,
  });
}

function feed(m: AnyMetric, c: VectorCase, b: Batch): AnyMetric {
  return m.update(ourPreds(c, b.preds), ourTarget(b.target));
}

const isRatio = (c: VectorCase): boolean => !/StatScores|ConfusionMatrix/.test(c.api);

function fullyIgnored(c: VectorCase, b: Batch): boolean {
  const ignore = c.options.ignore_index;
  const t = (b.target as unknown[]).flat(Infinity);
  return ignore !== undefined && t.every((y) => y === ignore);
}

function outside01(b: Batch): boolean {
  return (b.preds as unknown[]).flat(Infinity).some((x) => !((x as number) >= 0 && (x as number) <= 1));
}

function expectRefused(c: VectorCase, error: new (m: string) => Error, pattern: RegExp): void {
  const m = make(c);
  let threw = false;
  for (const b of c.batches) {
    const before = JSON.stringify(m.toJSON());
    try {
      feed(m, c, b);
    } catch (e) {
      expect(e, String(e)).to.be.instanceOf(error);
      expect((e as Error).message).to.match(pattern);
      expect(JSON.stringify(m.toJSON()), "state unchanged").to.equal(before);
      threw = true;
      break;
    }
  }
  expect(threw, "some batch is refused").to.equal(true);
}

/** compute() after every batch, per-batch forward(), and the merge of groups, against the reference. */
function expectMatches(c: VectorCase, extra: Record<string, unknown> = {}): void {
  const whole = make(c, extra);
  for (const b of c.batches) feed(whole, c, b);
  const expected = c.expectedFloat64 ?? c.expected;
  if (c.batches.length === 0 || c.batches.every((b) => fullyIgnored(c, b))) {
    if (isRatio(c)) expect(() => whole.compute()).to.throw(MetricStateError);
    else expectClose(whole.compute(), expected, "compute");
  } else expectClose(whole.compute(), expected, "compute");

  if (c.perBatch !== undefined) {
    const perBatch = (c.perBatchFloat64 ?? c.perBatch) as unknown[];
    const m = make(c, extra);
    c.batches.forEach((b, i) => {
      if (isRatio(c) && fullyIgnored(c, b)) {
        const before = JSON.stringify(m.toJSON());
        expect(() => m.forward(ourPreds(c, b.preds), ourTarget(b.target))).to.throw(MetricStateError);
        expect(JSON.stringify(m.toJSON())).to.equal(before);
      } else {
        expectClose(m.forward(ourPreds(c, b.preds), ourTarget(b.target)), perBatch[i], `forward[${i}]`);
      }
    });
    expectSameBits(m.compute(), whole.compute(), "compute after forwards");
  }

  if (c.merge !== undefined) {
    const groups = c.merge as number[][];
    const parts = groups.map((g) => {
      const m = make(c, extra);
      for (const i of g) feed(m, c, c.batches[i]);
      return m;
    });
    const [first, ...rest] = parts;
    first.merge(...rest.map((m, i) => (i % 2 === 0 ? (JSON.parse(JSON.stringify(m)) as never) : m)));
    expectClose(first.compute(), expected, "merged");
    expectSameBits(first.compute(), whole.compute(), "merged vs one metric");
  }
}

describe("classification: torchmetrics 1.9.0 vectors", () => {
  it("every api of the vectors is a registered class", () => {
    for (const api of new Set(cases.map((c) => c.api))) expect(isRegistered(api), api).to.equal(true);
  });

  for (const c of cases) {
    const title = `${c.api} ${c.id}${c.oddity ? ` (${String(c.oddity)})` : ""}`;
    if (isErrorCase(c)) {
      const { phase } = c.expected as { phase: string };
      if (phase === "init") {
        it(`${title}: refuses the options`, () => {
          expect(() => make(c)).to.throw(InvalidOptionsError);
        });
      } else {
        it(`${title}: refuses the batch, naming the position, state unchanged`, () => {
          expectRefused(c, MetricInputError, /(preds|target)(\[\d+\])+ |shape/);
        });
      }
      continue;
    }
    switch (c.oddity) {
      case "unchecked-class-index":
        it(`${title}: a class index outside [0, C) is a MetricInputError`, () => {
          expectRefused(c, MetricInputError, /(preds|target)\[\d+\] must be a class/);
        });
        break;
      case "nan-input":
        it(`${title}: NaN preds are a MetricInputError`, () => {
          expectRefused(c, MetricInputError, /preds\[\d+\] must be a finite number, got NaN/);
        });
        break;
      case "logits-auto-sigmoid":
        it(`${title}: preds outside [0, 1] are refused unless inputTransform says "sigmoid"`, () => {
          if (c.options.ignore_index !== undefined) {
            // the only such pred is ignored: no error (see oddities.spec.ts for the value)
            expect(() => c.batches.forEach((b) => feed(make(c), c, b))).not.to.throw();
            return;
          }
          expectRefused(c, MetricInputError, /must be a probability in \[0, 1\].*inputTransform: "sigmoid"/);
        });
        if (c.options.ignore_index === undefined && c.batches.every(outside01)) {
          it(`${title}: with inputTransform "sigmoid", torchmetrics' values`, () => {
            expectMatches(c, { inputTransform: "sigmoid" });
          });
        }
        break;
      default:
        it(`${title}: compute, forward per batch${c.merge ? ", merge" : ""}`, () => expectMatches(c));
    }
  }
});
