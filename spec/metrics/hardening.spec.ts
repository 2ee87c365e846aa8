// Issue 12 items 5, 10 and 11: forged states that would not be finite, one class-count limit for update
// and fromJSON, and hostile Proxies given to every state entry point.
import { expect } from "chai";
import { from, lastValueFrom, toArray } from "rxjs";

import { HingeLoss, MetricInputError, MetricStateError, mergeStates } from "../../lib/index.js";
import { CategoricalHinge, Hinge, SquaredHinge } from "../../lib/compat/keras/metrics.js";
import { MAX_CLASSES } from "../../lib/metrics/hinge/index.js";
import { mergeStates as mergeStates$ } from "../../lib/rx/index.js";
import { formatHexFloat } from "../../lib/state/index.js";

const hex = (scaled: bigint): string => formatHexFloat(scaled);
const ONE = 1n << 1074n;

function binaryState(measure: string, total: string, samples: number): object {
  return {
    kind: "HingeLoss",
    version: 1,
    options: { squared: false, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: null },
    task: "binary",
    numClasses: null,
    measure: [measure],
    total,
    samples,
  };
}

function hostileProxies(): [string, object][] {
  const boom = (): never => {
    throw new Error("trap");
  };
  const good = new HingeLoss().update([0.5], [1]).toJSON();
  return [
    ["getPrototypeOf", new Proxy({ ...good }, { getPrototypeOf: boom })],
    ["ownKeys", new Proxy({ ...good }, { ownKeys: boom })],
    ["getOwnPropertyDescriptor", new Proxy({ ...good }, { getOwnPropertyDescriptor: boom })],
    ["get", new Proxy({ ...good }, { get: boom })],
  ];
}

describe("hardening: forged states, class counts, hostile Proxies (issue 12 items 5, 10, 11)", function () {
  describe("item 5: a forged state whose value or getters would not be finite is refused", function () {
    it("a mean just under 2^1024 (it rounds to Infinity)", function () {
      const measure = hex(((1n << 1024n) - (1n << 969n)) * ONE);
      const json = binaryState(measure, hex(ONE), 1);
      expect(() => HingeLoss.fromJSON(json)).to.throw(MetricStateError, /finite/);
      expect(() => new HingeLoss().merge(json as never)).to.throw(MetricStateError);
      expect(() => mergeStates([json as never])).to.throw(MetricStateError);
    });

    it("a total of 2^1099 with samples 1", function () {
      const json = binaryState("0x0p+0", "0x1p+1099", 1);
      expect(() => HingeLoss.fromJSON(json)).to.throw(MetricStateError, /total/);
    });

    it("a finite total no sample count can reach: 2^1023·1.5 with samples 0 and 1 refused / accepted", function () {
      expect(() => HingeLoss.fromJSON(binaryState("0x0p+0", "0x1.8p+1023", 0))).to.throw(MetricStateError);
      expect(HingeLoss.fromJSON(binaryState("0x0p+0", "0x1.8p+1023", 1)).compute()).to.equal(0);
    });

    it("one-vs-all: one class's mean rounding to Infinity", function () {
      const json = {
        kind: "HingeLoss",
        version: 1,
        options: { squared: false, multiclassMode: "one-vs-all", numClasses: null, ignoreIndex: null },
        task: "multiclass",
        numClasses: 2,
        measure: ["0x1p+0", hex(((1n << 1024n) - (1n << 969n)) * ONE)],
        total: "0x1p+0",
        samples: 1,
      };
      expect(() => HingeLoss.fromJSON(json)).to.throw(MetricStateError, /finite/);
    });

    it("genuine states near the limits still read back", function () {
      const m = new HingeLoss().update([-1.7e308], [1]);
      expect(HingeLoss.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).compute()).to.equal(m.compute());
    });
  });

  describe("item 10: one class-count limit for update and fromJSON", function () {
    it(`update refuses more than ${MAX_CLASSES} columns with a clear error, state unchanged`, function () {
      const m = new HingeLoss().update([[1, 2]], [0]);
      const before = JSON.stringify(m.toJSON());
      const C = MAX_CLASSES + 1;
      expect(() => m.update({ data: new Float32Array(C), shape: [1, C] }, [0])).to.throw(
        MetricInputError,
        /at most 16777216 classes/,
      );
      expect(JSON.stringify(m.toJSON())).to.equal(before);
    });

    it("fromJSON accepts exactly the same limit (numClasses 2^24 + 1 refused)", function () {
      const json = {
        kind: "HingeLoss",
        version: 1,
        options: { squared: false, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: null },
        task: "multiclass",
        numClasses: MAX_CLASSES + 1,
        measure: ["0x0p+0"],
        total: "0x0p+0",
        samples: 0,
      };
      expect(() => HingeLoss.fromJSON(json)).to.throw(MetricStateError);
      expect(() => new HingeLoss({ numClasses: MAX_CLASSES + 1 })).to.throw(/at most 16777216/);
    });
  });

  describe("item 11: a hostile Proxy is a MetricStateError at every entry point", function () {
    for (const [trap, proxy] of hostileProxies()) {
      it(`a throwing ${trap} trap: merge, mergeStates, Keras fromJSON/merge`, function () {
        const m = new HingeLoss().update([0.5], [1]);
        const before = JSON.stringify(m.toJSON());
        expect(() => m.merge(proxy as never)).to.throw(MetricStateError);
        expect(JSON.stringify(m.toJSON())).to.equal(before);
        expect(() => mergeStates([proxy as never])).to.throw(MetricStateError);
        expect(() => mergeStates([m, proxy as never])).to.throw(MetricStateError);
        for (const Cls of [Hinge, SquaredHinge, CategoricalHinge]) {
          expect(() => Cls.fromJSON(proxy)).to.throw(MetricStateError);
          expect(() => new Cls().merge(proxy as never)).to.throw(MetricStateError);
        }
      });

      it(`a throwing ${trap} trap: the rx mergeStates() skips it with onInvalid "skip"`, async function () {
        const a = new HingeLoss().update([0.5], [1]).toJSON();
        const b = new HingeLoss().update([2], [0]).toJSON();
        const skipped: string[] = [];
        const out = await lastValueFrom(
          from([a, proxy as never, b]).pipe(
            mergeStates$({
              emit: "complete",
              onInvalid: "skip",
              onSkip: (e: Error) => skipped.push(e.constructor.name),
            }),
            toArray(),
          ),
        );
        expect(out).to.deep.equal([new HingeLoss().update([0.5, 2], [1, 0]).compute()]);
        expect(skipped).to.deep.equal(["MetricStateError"]);
        const first = await lastValueFrom(
          from([proxy as never, a]).pipe(mergeStates$({ emit: "complete", onInvalid: "skip" }), toArray()),
        );
        expect(first).to.deep.equal([0.5]);
      });
    }
  });
});
