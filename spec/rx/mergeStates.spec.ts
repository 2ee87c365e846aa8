import { expect } from "chai";
import { from } from "rxjs";
import {
  HingeLoss,
  InvalidOptionsError,
  MetricStateError,
  type HingeLossOptions,
  type HingeLossStateJSON,
  type MetricStateJSON,
} from "../../lib/index.js";
import { mergeStates } from "../../lib/rx/index.js";
import { scheduler } from "./marbles.js";
import { prng } from "../support/prng.js";

interface Data {
  preds: number[][];
  target: number[];
  weights: number[];
}

function dataset(seed: number, n: number, classes: number): Data {
  const rand = prng(seed);
  const preds: number[][] = [];
  const target: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    preds.push(Array.from({ length: classes }, () => (rand() - 0.5) * 6));
    target.push(Math.floor(rand() * classes));
    weights.push(rand() * 3);
  }
  return { preds, target, weights };
}

/** JSON states of the parts of `data` cut at `cuts`, through a JSON round trip (as from a worker). */
function workerStates(data: Data, cuts: number[], options?: HingeLossOptions): HingeLossStateJSON[] {
  const bounds = [0, ...cuts, data.target.length];
  return bounds.slice(1).map((end, k) => {
    const start = bounds[k];
    const metric = new HingeLoss(options).update(
      data.preds.slice(start, end),
      data.target.slice(start, end),
      data.weights.slice(start, end),
    );
    return JSON.parse(JSON.stringify(metric.toJSON())) as HingeLossStateJSON;
  });
}

function whole(data: Data, end: number, options?: HingeLossOptions): number | number[] {
  return new HingeLoss(options)
    .update(data.preds.slice(0, end), data.target.slice(0, end), data.weights.slice(0, end))
    .compute();
}

const half1 = new HingeLoss().update([-2.2], [0]).toJSON();
const half2 = new HingeLoss().update([2.4, 0.1], [1, 1]).toJSON();

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("rx mergeStates", () => {
  it("merges worker states of the torchmetrics example into 0, then 0.3", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-a--b-|", { a: half1, b: half2 }).pipe(mergeStates())).toBe("-x--y-|", {
        x: 0,
        y: 0.3,
      });
    });
  });

  it("running merged values are bit-identical to one pass over the same samples (random splits)", () => {
    const rand = prng(7);
    for (const options of [{}, { squared: true }, { multiclassMode: "one-vs-all" as const }]) {
      const data = dataset(11, 120, 4);
      for (let trial = 0; trial < 5; trial++) {
        const cuts = [0, 0, 0].map(() => Math.floor(rand() * 121)).sort((x, y) => x - y);
        if (trial === 0) cuts.splice(0, 3, 0, 50, 50); // an empty first part and an empty middle part
        const states = workerStates(data, cuts, options);
        const seen: unknown[] = [];
        from(states)
          .pipe(mergeStates())
          .subscribe((v) => seen.push(v));
        // A value after each state once something is merged (an empty part repeats the value before it; an
        // empty first part emits nothing): the prefix ends are the positive cut points and the end.
        const ends = [...cuts, 120].filter((end) => end > 0);
        expect(seen).to.deep.equal(ends.map((end) => whole(data, end, options)));
        expect(seen[seen.length - 1]).to.deep.equal(whole(data, 120, options));
      }
    }
  });

  it("the order of the states does not change the bits", () => {
    const data = dataset(3, 90, 3);
    const states = workerStates(data, [10, 40, 41, 77]);
    const values: unknown[] = [];
    for (const order of [
      states,
      [...states].reverse(),
      [states[2], states[0], states[4], states[1], states[3]],
    ]) {
      from(order)
        .pipe(mergeStates({ emit: "complete" }))
        .subscribe((v) => values.push(v));
    }
    const expected = whole(data, 90);
    expect(values).to.deep.equal([expected, expected, expected]);
  });

  it("accepts metrics as well as JSON states and leaves them unchanged", () => {
    const left = new HingeLoss().update([-2.2], [0]);
    const before = left.toJSON();
    const seen: unknown[] = [];
    from([left, half2])
      .pipe(mergeStates())
      .subscribe((v) => seen.push(v));
    expect(seen).to.deep.equal([0, 0.3]);
    expect(left.toJSON()).to.deep.equal(before);
  });

  it("emits nothing for empty states and for an empty stream", () => {
    const empty = new HingeLoss().toJSON();
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-e-a-|", { e: empty, a: half2 }).pipe(mergeStates())).toBe("---x-|", {
        x: 0.45,
      });
      expectObservable(cold<MetricStateJSON>("--|").pipe(mergeStates())).toBe("--|");
      expectObservable(cold("-e-|", { e: empty }).pipe(mergeStates({ emit: "complete" }))).toBe("---|");
    });
  });

  it("a bad state errors the stream with a MetricStateError naming its index; earlier values stand", () => {
    const forged = { ...half2, total: "three" };
    const squared = new HingeLoss({ squared: true }).update([0.1], [1]).toJSON();
    const forgedMessage = errorOf(() => new HingeLoss().merge(forged as never)).message;
    const squaredMessage = errorOf(() => new HingeLoss().merge(squared)).message;
    expect(squaredMessage).to.contain("different options");
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-f-b-|", { a: half1, f: forged as MetricStateJSON, b: half2 });
      expectObservable(source.pipe(mergeStates())).toBe(
        "-x-#",
        { x: 0 },
        {
          name: "MetricStateError",
          message: `states[1]: ${forgedMessage}`,
        },
      );
      expectSubscriptions(source.subscriptions).toBe("^--!");
      expectObservable(cold("-a-s-|", { a: half1, s: squared }).pipe(mergeStates())).toBe(
        "-x-#",
        { x: 0 },
        {
          name: "MetricStateError",
          message: `states[1]: ${squaredMessage}`,
        },
      );
    });
  });

  it("an unknown kind is a MetricStateError", () => {
    let caught: unknown;
    from([{ kind: "NoSuchMetric", version: 1, options: {} }])
      .pipe(mergeStates())
      .subscribe({ error: (e: unknown) => (caught = e) });
    expect(caught).to.be.instanceOf(MetricStateError);
    expect((caught as Error).message).to.match(
      /^states\[0\] has unknown kind "NoSuchMetric" \(known: [^)]*HingeLoss/,
    );
  });

  it('onInvalid: "skip" drops bad states as if they never came and reports them', () => {
    const forged = { ...half2, samples: -1 };
    const reported: [string, unknown][] = [];
    const seen: unknown[] = [];
    from([half1, forged as MetricStateJSON, half2])
      .pipe(mergeStates({ onInvalid: "skip", onSkip: (e, s) => reported.push([e.message, s]) }))
      .subscribe((v) => seen.push(v));
    expect(seen).to.deep.equal([0, 0.3]);
    expect(reported).to.have.length(1);
    expect(reported[0][0]).to.match(/^states\[1\]: /);
    expect(reported[0][1]).to.equal(forged);
  });

  it("each subscription merges into its own metric", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const piped = cold("-a-b-|", { a: half1, b: half2 }).pipe(mergeStates());
      expectObservable(piped).toBe("-x-y-|", { x: 0, y: 0.3 });
      expectObservable(piped, "---^").toBe("----x-y-|", { x: 0, y: 0.3 });
    });
  });

  it("unsubscribing unsubscribes the source", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-|", { a: half1, b: half2 });
      expectObservable(source.pipe(mergeStates()), "^-!").toBe("-x-", { x: 0 });
      expectSubscriptions(source.subscriptions).toBe("^-!");
    });
  });

  it("a custom fromJSON builds the metric from the first state", () => {
    let calls = 0;
    const seen: unknown[] = [];
    from([half1, half2])
      .pipe(
        mergeStates({
          fromJSON: (json) => {
            calls += 1;
            return HingeLoss.fromJSON(json);
          },
        }),
      )
      .subscribe((v) => seen.push(v));
    expect([calls, seen]).to.deep.equal([1, [0, 0.3]]);
  });

  it("a bad config is an InvalidOptionsError", () => {
    expect(() => mergeStates({ emit: "epoch" } as never)).to.throw(InvalidOptionsError, "emit");
    expect(() => mergeStates({ from_json: () => null } as never)).to.throw(
      InvalidOptionsError,
      'unknown option "from_json" for mergeStates: allowed keys: emit, onInvalid, onSkip, fromJSON',
    );
  });
});
