import { expect } from "chai";
import { NEVER, from, take, type Observable } from "rxjs";
import {
  HingeLoss,
  HingeLossMetric,
  InvalidOptionsError,
  MetricInputError,
  type HingeLossOptions,
} from "../../lib/index.js";
import {
  accumulate,
  hingeLoss,
  type Batch,
  type EpochResult,
  type StreamMetric,
} from "../../lib/rx/index.js";
import { FLUSH_EVERY } from "../../lib/state/index.js";
import { scheduler } from "./marbles.js";

// The torchmetrics docstring example (binary target [0,1,1], preds [-2.2,2.4,0.1] → 0.3) split in batches.
const a: Batch = { preds: [-2.2], target: [0] }; // measure 0
const b: Batch = { preds: [2.4], target: [1] }; // measure 0
const c: Batch = { preds: [0.1], target: [1] }; // measure 0.9
const d: Batch = { preds: [-0.5, 1.5], target: [1, 0] }; // measures 1.5, 2.5
const bad: Batch = { preds: [0.5], target: [2] };
const BAD_MESSAGE = "target[0] must be 0, 1 or -1 for a binary HingeLoss, got 2";

/** The value of one HingeLoss over the batches, in one pass (the reference for bit equality). */
function onePass(batches: Batch[], options?: HingeLossOptions): number | number[] {
  const metric = new HingeLoss(options);
  for (const x of batches) metric.update(x.preds, x.target, x.weights);
  return metric.compute();
}

function epochResult(
  epoch: number,
  batches: Batch[],
  extra: Partial<EpochResult<number>> = {},
): EpochResult<number | number[]> {
  const metric = new HingeLoss();
  for (const x of batches) metric.update(x.preds, x.target, x.weights);
  return {
    epoch,
    value: metric.compute(),
    samples: metric.samples,
    batches: batches.length,
    skipped: 0,
    final: true,
    ...extra,
  };
}

function tagged(batch: Batch, epoch: number): Batch {
  return { ...batch, epoch };
}

describe("rx accumulate / hingeLoss: running value", () => {
  it("emits the running value after every batch: 0, 0, 0.3 for the torchmetrics example", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-|", { a, b, c });
      expectObservable(source.pipe(hingeLoss())).toBe("-x-y-z-|", { x: 0, y: 0, z: 0.3 });
      expectSubscriptions(source.subscriptions).toBe("^------!");
    });
  });

  it("running values are bit-identical to one HingeLoss over the prefix", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-d-c-|", { a, d, c });
      expectObservable(source.pipe(hingeLoss({ squared: true }))).toBe("-x-y-z-|", {
        x: onePass([a], { squared: true }),
        y: onePass([a, d], { squared: true }),
        z: onePass([a, d, c], { squared: true }),
      });
    });
  });

  it("one-vs-all emits one value per class, as HingeLoss computes them", () => {
    const p1: Batch = { preds: [[-1.0, 0.9, 0.2]], target: [0] };
    const p2: Batch = {
      preds: [
        [0.5, -1.1, 0.8],
        [2.2, -0.5, 0.3],
      ],
      target: [1, 2],
    };
    const options: HingeLossOptions = { multiclassMode: "one-vs-all" };
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-p-q-|", { p: p1, q: p2 }).pipe(hingeLoss(options))).toBe("-x-y-|", {
        x: onePass([p1], options),
        y: onePass([p1, p2], options),
      });
    });
    const whole = onePass([p1, p2], options) as number[];
    [7 / 3 - 0.1, 1.5, 3.7 / 3].forEach((e, i) => expect(whole[i]).to.be.closeTo(e, 1e-12));
  });

  it('emit: "complete" emits once at completion', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-a-b-c-|", { a, b, c }).pipe(hingeLoss(undefined, { emit: "complete" }))).toBe(
        "-------(z|)",
        { z: 0.3 },
      );
    });
  });

  it("an empty stream completes without a value, in every mode", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold<Batch>("|").pipe(hingeLoss())).toBe("|");
      expectObservable(cold<Batch>("---|").pipe(hingeLoss(undefined, { emit: "complete" }))).toBe("---|");
      expectObservable(cold<Batch>("--|").pipe(hingeLoss(undefined, { epochs: cold("-n") }))).toBe("--|");
      expectObservable(cold<Batch>("--|").pipe(hingeLoss(undefined, { epochs: "tagged" }))).toBe("--|");
    });
  });

  it("emits nothing while nothing is accumulated (all samples ignored, all weights 0)", () => {
    const ignored: Batch = { preds: [1, 2], target: [-1, -1] };
    const zeroWeight: Batch = { preds: [0.5], target: [1], weights: [0] };
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-i-a-|", { i: ignored, a: c }).pipe(hingeLoss({ ignoreIndex: -1 }))).toBe(
        "---x-|",
        { x: 0.9 },
      );
      expectObservable(cold("-w-c-|", { w: zeroWeight, c }).pipe(hingeLoss())).toBe("---x-|", {
        x: onePass([zeroWeight, c]),
      });
      expectObservable(cold("-w-|", { w: zeroWeight }).pipe(hingeLoss(undefined, { emit: "complete" }))).toBe(
        "---|",
      );
    });
    expect(onePass([zeroWeight, c])).to.equal(0.9);
  });

  it("single-sample typed batches (one updateAndCompute call each) give the values of update + compute, across flushes", () => {
    const n = FLUSH_EVERY + 2000;
    const batches: Batch[] = [];
    for (let i = 0; i < n; i++) {
      batches.push({
        preds: new Float32Array([Math.sin(i) * 2]),
        target: new Int32Array([i % 3 === 0 ? 1 : 0]),
      });
    }
    const seen: number[] = [];
    from(batches)
      .pipe(hingeLoss())
      .subscribe((v) => seen.push(v as number));
    expect(seen).to.have.length(n);
    const reference = new HingeLoss();
    batches.forEach((batch, i) => {
      reference.update(batch.preds, batch.target);
      if (i % 53 === 0 || i >= FLUSH_EVERY - 2) {
        const expected = reference.compute();
        expect(Object.is(seen[i], expected), `batch ${i}: ${seen[i]} !== ${expected}`).to.equal(true);
      }
    });
  });

  it("the running mode calls updateAndCompute once per batch when the metric has it (update + compute otherwise)", () => {
    let fused = 0;
    let plain = 0;
    class Counting extends HingeLossMetric {
      override updateAndCompute(...args: Parameters<HingeLoss["updateAndCompute"]>): number | number[] {
        fused += 1;
        return super.updateAndCompute(...args);
      }
    }
    const bare: () => StreamMetric<number | number[]> = () => {
      const metric = new HingeLoss();
      return {
        update: (p, t, w) => metric.update(p, t, w),
        compute: () => ((plain += 1), metric.compute()),
        reset: () => metric.reset(),
        get samples() {
          return metric.samples;
        },
      };
    };
    const run = (factory: () => StreamMetric<number | number[]>, config?: object): unknown[] => {
      const out: unknown[] = [];
      from([a, b, c])
        .pipe(accumulate(factory, config))
        .subscribe((v) => out.push(v));
      return out;
    };
    expect(run(() => new Counting())).to.deep.equal([0, 0, 0.3]);
    expect(fused).to.equal(3);
    expect(run(bare)).to.deep.equal([0, 0, 0.3]);
    expect(plain).to.equal(3);
    expect(run(() => new Counting(), { emit: "complete" })).to.deep.equal([0.3]);
    expect(fused).to.equal(3); // no running values: update() only
  });

  it("a batch accumulated with nothing to compute from yet (updateAndCompute's MetricStateError) still counts", () => {
    const ignored: Batch = { preds: [1, 2], target: [-1, -1] };
    const out: EpochResult<number | number[]>[] = [];
    from([ignored, c])
      .pipe(hingeLoss({ ignoreIndex: -1 }, { epochs: NEVER, emit: "batch" }))
      .subscribe((r) => out.push(r));
    expect(out.map((r) => [r.value, r.batches, r.final])).to.deep.equal([
      [0.9, 2, false],
      [0.9, 2, true],
    ]);
  });

  it("two concurrent subscribers to the same piped observable get independent results", () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const piped = cold("-a-b-c-|", { a, b, c }).pipe(hingeLoss());
      expectObservable(piped).toBe("-x-y-z-|", { x: 0, y: 0, z: 0.3 });
      expectObservable(piped, "--^").toBe("---x-y-z-|", { x: 0, y: 0, z: 0.3 });

      const live = hot("-a-b-c-|", { a, b, c }).pipe(hingeLoss());
      expectObservable(live).toBe("-x-y-z-|", { x: 0, y: 0, z: 0.3 });
      expectObservable(live, "----^").toBe("-----z-|", { z: 0.9 });
    });
  });

  it("calls the factory once per subscription", () => {
    let built = 0;
    const factory = (): HingeLoss => {
      built += 1;
      return new HingeLoss();
    };
    const piped = from([a, b, c]).pipe(accumulate(factory, { emit: "complete" }));
    expect(built).to.equal(0);
    const seen: unknown[] = [];
    piped.subscribe((v) => seen.push(v));
    piped.subscribe((v) => seen.push(v));
    expect(built).to.equal(2);
    expect(seen).to.deep.equal([0.3, 0.3]);
  });
});

describe("rx accumulate / hingeLoss: errors and bad batches", () => {
  it("a bad batch errors the stream with the MetricInputError; earlier values stand; state unchanged", () => {
    const created: HingeLoss[] = [];
    const factory = (): HingeLoss => {
      const metric = new HingeLoss();
      created.push(metric);
      return metric;
    };
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-d-x-c-|", { a, d, x: bad, c });
      expectObservable(source.pipe(accumulate(factory))).toBe(
        "-p-q-#",
        { p: 0, q: onePass([a, d]) },
        { name: "MetricInputError", message: `batches[2]: ${BAD_MESSAGE}` },
      );
      expectSubscriptions(source.subscriptions).toBe("^----!");
    });
    expect(created).to.have.length(1);
    expect(created[0].toJSON()).to.deep.equal(
      new HingeLoss().update([-2.2], [0]).update(d.preds, d.target).toJSON(),
    );
  });

  it("the error is a MetricInputError naming the batch, with the metric's error as cause", () => {
    let caught: unknown;
    from([a, bad])
      .pipe(hingeLoss())
      .subscribe({ error: (e: unknown) => (caught = e) });
    expect(caught).to.be.instanceOf(MetricInputError);
    expect((caught as Error).message).to.equal(`batches[1]: ${BAD_MESSAGE}`);
    expect((caught as Error).cause).to.be.instanceOf(MetricInputError);
    expect(((caught as Error).cause as Error).message).to.equal(BAD_MESSAGE);
  });

  it("a batch that is not an object is a MetricInputError", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-a-n-|", { a, n: null as unknown as Batch }).pipe(hingeLoss())).toBe(
        "-x-#",
        { x: 0 },
        {
          name: "MetricInputError",
          message: "batches[1]: batch must be an object { preds, target, weights?, epoch? }, got null",
        },
      );
    });
  });

  it("a source error passes through after the values emitted so far", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const boom = new Error("upstream failed");
      expectObservable(cold("-a-c-#", { a, c }, boom).pipe(hingeLoss())).toBe(
        "-x-y-#",
        { x: 0, y: 0.45 },
        boom,
      );
    });
  });

  it('onInvalid: "skip" drops bad batches as if they never came and reports them', () => {
    const skippedBatches: unknown[] = [];
    const messages: string[] = [];
    const config = {
      onInvalid: "skip" as const,
      onSkip: (error: MetricInputError, batch: unknown) => {
        messages.push(error.message);
        skippedBatches.push(batch);
      },
    };
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold("-a-x-c-y-|", { a, x: bad, c, y: { preds: [NaN], target: [1] } }).pipe(
          hingeLoss(undefined, config),
        ),
      ).toBe("-p---q---|", { p: 0, q: onePass([a, c]) });
    });
    expect(onePass([a, c])).to.equal(0.45);
    expect(messages).to.deep.equal([
      `batches[1]: ${BAD_MESSAGE}`,
      "batches[3]: preds[0] must be a finite number, got NaN",
    ]);
    expect(skippedBatches[0]).to.equal(bad);
  });

  it("a throwing onSkip errors the stream with what it threw", () => {
    const thrown = new Error("onSkip failed");
    scheduler().run(({ cold, expectObservable }) => {
      const config = {
        onInvalid: "skip" as const,
        onSkip: () => {
          throw thrown;
        },
      };
      expectObservable(cold("-a-x-c-|", { a, x: bad, c }).pipe(hingeLoss(undefined, config))).toBe(
        "-p-#",
        { p: 0 },
        thrown,
      );
    });
  });

  it("errors that are not MetricInputError are never skipped", () => {
    const broken: StreamMetric<number> = {
      update() {
        throw new TypeError("broken metric");
      },
      compute: () => 0,
      reset: () => undefined,
    };
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("-a-|", { a }).pipe(accumulate(() => broken, { onInvalid: "skip" }))).toBe(
        "-#",
        undefined,
        {
          name: "TypeError",
          message: "broken metric",
        },
      );
    });
  });
});

describe("rx accumulate / hingeLoss: epochs from a notifier", () => {
  it("emits { epoch, value, samples, batches, skipped } per epoch, numbered by notification; empty epochs emit nothing", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b---c-d---|", { a, b, c, d });
      const notifier = cold("-----n-----n-n--");
      expectObservable(source.pipe(hingeLoss(undefined, { epochs: notifier }))).toBe("-----x-----y-|", {
        x: epochResult(0, [a, b]),
        y: epochResult(1, [c, d]),
      });
      expectSubscriptions(notifier.subscriptions).toBe("^------------!");
    });
    expect(epochResult(1, [c, d]).value).to.equal(onePass([c, d]));
    expect(epochResult(1, [c, d]).samples).to.equal(3);
  });

  it("completion ends the last epoch; an empty epoch still uses its number", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const notifier = cold("--n-n---");
      expectObservable(cold("-a----b-|", { a, b: c }).pipe(hingeLoss(undefined, { epochs: notifier }))).toBe(
        "--x-----(z|)",
        { x: epochResult(0, [a]), z: epochResult(2, [c]) },
      );
    });
  });

  it('emit: "batch" adds running results (final: false) of the epoch in progress', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const notifier = cold("----n---");
      expectObservable(
        cold("-a-b-c-|", { a, b, c }).pipe(hingeLoss(undefined, { epochs: notifier, emit: "batch" })),
      ).toBe("-p-qrs-(t|)", {
        p: epochResult(0, [a], { final: false }),
        q: epochResult(0, [a, b], { final: false }),
        r: epochResult(0, [a, b]),
        s: epochResult(1, [c], { final: false }),
        t: epochResult(1, [c]),
      });
    });
  });

  it("skipped batches are counted in the epoch they came in", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const notifier = cold("------n---");
      const config = { epochs: notifier, onInvalid: "skip" as const };
      expectObservable(cold("-a-x-b-x-x-c-|", { a, b, c, x: bad }).pipe(hingeLoss(undefined, config))).toBe(
        "------p------(q|)",
        { p: epochResult(0, [a, b], { skipped: 1 }), q: epochResult(1, [c], { skipped: 2 }) },
      );
    });
  });

  it("a notifier error errors the stream; unsubscribing ends source and notifier", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-|", { a, b, c });
      const notifier = cold("--n-#", undefined, new Error("notifier failed"));
      expectObservable(source.pipe(hingeLoss(undefined, { epochs: notifier }))).toBe(
        "--x-#",
        { x: epochResult(0, [a]) },
        new Error("notifier failed"),
      );
      expectSubscriptions(source.subscriptions).toBe("^---!");
      expectSubscriptions(notifier.subscriptions).toBe("^---!");
    });
  });
});

describe("rx accumulate / hingeLoss: epochs from batch tags", () => {
  it("a change of tag ends the epoch; completion ends the last", () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-b-c-d-|", {
        a: tagged(a, 0),
        b: tagged(b, 0),
        c: tagged(c, 1),
        d: tagged(d, 7),
      });
      expectObservable(source.pipe(hingeLoss(undefined, { epochs: "tagged" }))).toBe("-----x-y-(z|)", {
        x: epochResult(0, [a, b]),
        y: epochResult(1, [c]),
        z: epochResult(7, [d]),
      });
    });
  });

  it("an epoch whose samples are all ignored emits nothing", () => {
    const ignored: Batch = { preds: [1], target: [-1], epoch: 1 };
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-i-c-|", { a: tagged(a, 0), i: ignored, c: tagged(c, 2) });
      expectObservable(source.pipe(hingeLoss({ ignoreIndex: -1 }, { epochs: "tagged" }))).toBe(
        "---x---(z|)",
        {
          x: epochResult(0, [a]),
          z: epochResult(2, [c]),
        },
      );
    });
  });

  it("a skipped bad batch with a new tag does not end the epoch", () => {
    const seen: string[] = [];
    const config = {
      epochs: "tagged" as const,
      onInvalid: "skip" as const,
      onSkip: (e: MetricInputError) => seen.push(e.message),
    };
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold("-a-b-x-c-d-|", {
        a: tagged(a, 0),
        b: tagged(b, 0),
        x: tagged(bad, 1),
        c: tagged(c, 0),
        d: tagged(d, 1),
      });
      expectObservable(source.pipe(hingeLoss(undefined, config))).toBe("---------p-(q|)", {
        p: epochResult(0, [a, b, c], { skipped: 1 }),
        q: epochResult(1, [d]),
      });
    });
    expect(seen).to.deep.equal([`batches[2]: ${BAD_MESSAGE}`]);
  });

  it("a batch without a numeric tag is a MetricInputError", () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(
        cold("-a-b-|", { a: tagged(a, 0), b }).pipe(hingeLoss(undefined, { epochs: "tagged" })),
      ).toBe("---#", undefined, {
        name: "MetricInputError",
        message: 'batches[1]: batch.epoch must be a finite number when epochs is "tagged", got undefined',
      });
    });
  });
});

describe("rx accumulate / hingeLoss: teardown", () => {
  it("unsubscribing unsubscribes the source and emits nothing after", () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("-a-b-c-|", { a, b, c });
      expectObservable(source.pipe(hingeLoss()), "^--!").toBe("-x-", { x: 0 });
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });

  it("take(1) on a synchronous source stops accumulating", () => {
    let metric: HingeLoss | undefined;
    const seen: unknown[] = [];
    from([a, b, c, d])
      .pipe(
        accumulate(() => (metric = new HingeLoss())),
        take(1),
      )
      .subscribe((v) => seen.push(v));
    expect(seen).to.deep.equal([0]);
    expect(metric?.samples).to.equal(1);
  });

  it("unsubscribing downstream stops a synchronous source at once (nothing more is pulled from it)", () => {
    let pulled = 0;
    function* batches(): Generator<Batch> {
      for (const batch of [a, b, c, d]) {
        pulled += 1;
        yield batch;
      }
    }
    const seen: unknown[] = [];
    from(batches())
      .pipe(hingeLoss(), take(2))
      .subscribe((v) => seen.push(v));
    expect(seen).to.have.length(2);
    expect(pulled).to.equal(2);
  });
});

describe("rx accumulate / hingeLoss: configuration", () => {
  it("bad options and config throw InvalidOptionsError when the operator is made", () => {
    expect(() => hingeLoss({ multiclass_mode: "one-vs-all" } as never)).to.throw(
      InvalidOptionsError,
      "multiclassMode",
    );
    expect(() => hingeLoss(undefined, { on_invalid: "skip" } as never)).to.throw(
      InvalidOptionsError,
      'unknown option "on_invalid" for accumulate: did you mean "onInvalid"?',
    );
    // issue 12: the message is a plain sentence (the ✖ form is prettyOptionsError's, for the CLI)
    expect(() => hingeLoss(undefined, { emit: "epoch" } as never)).to.throw(
      InvalidOptionsError,
      /^option emit "epoch" needs the epochs option \(an Observable or "tagged"\)$/,
    );
    expect(() => hingeLoss(undefined, { epochs: "tagged", emit: "complete" } as never)).to.throw(
      InvalidOptionsError,
      /^option emit "complete" does not go with the epochs option: use "epoch" \(the default\) or "batch"$/,
    );
    expect(() => hingeLoss(undefined, { epochs: 3 } as never)).to.throw(InvalidOptionsError, "epochs");
    expect(() => hingeLoss(undefined, { onSkip: "log" } as never)).to.throw(
      InvalidOptionsError,
      "onSkip must be a function",
    );
    expect(() => accumulate(null as never)).to.throw(TypeError, "factory must be a function");
  });

  it("types: epochs give EpochResult, otherwise the metric's value", () => {
    const values: Observable<number | number[]> = from([a]).pipe(hingeLoss());
    const epochs: Observable<EpochResult<number | number[]>> = from([tagged(a, 0)]).pipe(
      hingeLoss(undefined, { epochs: "tagged" }),
    );
    const out: unknown[] = [];
    values.subscribe((v) => out.push(v));
    epochs.subscribe((v) => out.push(v.epoch));
    expect(out).to.deep.equal([0, 0]);
  });
});
