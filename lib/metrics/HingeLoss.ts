import { z } from "zod";
import { MetricStateError } from "../errors/index.js";
import { addOneTyped, stepOneTyped } from "../functional/hingeKernels.js";
import {
  emptyHingeState,
  hingeLossCompute,
  hingeLossUpdate,
  hingeSumCount,
  type HingeState,
  type HingeTask,
  type HingeValue,
} from "../functional/index.js";
import type { TensorLike } from "../input/index.js";
import {
  resolveHingeLossOptions,
  type HingeLossOptions,
  type ResolvedHingeLossOptions,
} from "../options/index.js";
import { ExactSums, assertPlainJson, formatHexFloat, parseHexFloat } from "../state/index.js";
import { Metric, type MetricStateJSON, type StateSpec } from "./Metric.js";
import { registerMetric } from "./registry.js";

/**
 * The JSON state of a {@link HingeLoss}. `measure` (Σ w·m, one entry per class for one-vs-all) and `total`
 * (Σ w) are exact sums written as hex-float strings (`"0x1.8p+1"` is 3).
 *
 * @example
 * ```ts
 * const json: HingeLossStateJSON = new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).toJSON();
 * json.samples; // => 3
 * ```
 */
export interface HingeLossStateJSON extends MetricStateJSON {
  /** Always `"HingeLoss"`. */
  readonly kind: "HingeLoss";
  /** Format version, 1. */
  readonly version: 1;
  /** The resolved options. */
  readonly options: ResolvedHingeLossOptions;
  /** Fixed by the first non-empty batch; `null` while empty. */
  readonly task: HingeTask | null;
  /** C for a multiclass state, else `null`. */
  readonly numClasses: number | null;
  /** Exact Σ w·m: one entry, or C for one-vs-all (empty while nothing was accumulated). */
  readonly measure: string[];
  /** Exact Σ w. */
  readonly total: string;
  /** Samples counted (ignored samples excluded). */
  readonly samples: number;
}

const MAX_CLASSES = 1 << 24;
const hexSum = z.string().max(800);
const classes = z.number().int().min(2).max(MAX_CLASSES);

const stateSchema = z.strictObject({
  kind: z.literal("HingeLoss"),
  version: z.literal(1),
  options: z.strictObject({
    squared: z.boolean(),
    multiclassMode: z.enum(["crammer-singer", "one-vs-all"]),
    numClasses: classes.nullable(),
    ignoreIndex: z.number().int().nullable(),
  }),
  task: z.enum(["binary", "multiclass"]).nullable(),
  numClasses: classes.nullable(),
  measure: z.array(hexSum).max(MAX_CLASSES),
  total: hexSum,
  samples: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

function fail(message: string): never {
  throw new MetricStateError(`invalid HingeLoss state: ${message}`);
}

function parseSum(text: string, where: string): bigint {
  const value = parseHexFloat(text);
  if (value === undefined)
    fail(`${where} must be an exact hex-float string such as "0x1.8p+1", got ${JSON.stringify(text)}`);
  if (value < 0n) fail(`${where} must not be negative, got ${text}`);
  return value;
}

function decodeHingeState(json: unknown): { state: HingeState; options: ResolvedHingeLossOptions } {
  try {
    return decodeChecked(json);
  } catch (error) {
    // A hostile object (a Proxy whose traps throw, say) must still surface as a state error.
    if (error instanceof MetricStateError) throw error;
    throw new MetricStateError(
      `invalid HingeLoss state: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function decodeChecked(json: unknown): { state: HingeState; options: ResolvedHingeLossOptions } {
  assertPlainJson(json, "state");
  if (json === null || typeof json !== "object" || Array.isArray(json)) fail("expected an object");
  const raw = json as Record<string, unknown>;
  if (raw.kind !== "HingeLoss") {
    throw new MetricStateError(`expected a HingeLoss state, got kind ${JSON.stringify(raw.kind)}`);
  }
  if (raw.version !== 1) {
    throw new MetricStateError(
      `HingeLoss state version ${JSON.stringify(raw.version)} is not supported (expected 1)`,
    );
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(`${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message}`);
  }
  const s = parsed.data;
  const options = s.options as ResolvedHingeLossOptions;
  const total = parseSum(s.total, "total");
  if (s.task === null) {
    if (s.numClasses !== null || s.measure.length !== 0 || total !== 0n || s.samples !== 0) {
      fail("a state without a task must be empty (numClasses null, measure [], total 0x0p+0, samples 0)");
    }
    return { state: emptyHingeState(), options };
  }
  if (s.task === "binary" && s.numClasses !== null) fail("a binary state has numClasses null");
  if (s.task === "binary" && options.numClasses !== null) fail("options.numClasses pins a multiclass task");
  if (s.task === "multiclass" && s.numClasses === null) fail("a multiclass state needs numClasses");
  if (s.task === "multiclass" && options.numClasses !== null && options.numClasses !== s.numClasses) {
    fail(`numClasses ${s.numClasses} disagrees with options.numClasses ${options.numClasses}`);
  }
  const size = hingeSumCount(s.task, s.numClasses, options);
  if (s.measure.length !== size - 1) fail(`measure must have ${size - 1} entries, got ${s.measure.length}`);
  const sums = new ExactSums(size);
  s.measure.forEach((text, k) => sums.setScaled(k, parseSum(text, `measure[${k}]`)));
  sums.setScaled(size - 1, total);
  if (total === 0n && s.measure.some((_, k) => sums.big[k] !== 0n))
    fail("a measure is positive while total is 0");
  if (total > 0n && s.samples === 0)
    fail("total is positive but samples is 0: every counted sample adds to both");
  // Every contribution w·m is a finite double, so Σ w·m / Σ w < 2^1024: a larger ratio cannot be genuine.
  s.measure.forEach((_, k) => {
    if (sums.big[k] > 0n && sums.big[k] >= total << 1024n)
      fail(`measure[${k}] is impossibly large for total ${s.total}`);
  });
  return { state: { task: s.task, numClasses: s.numClasses, sums, samples: s.samples }, options };
}

/** What an update may change in a hinge state, saved so that a failed update can be undone exactly. */
class HingeSnapshot {
  task: HingeTask | null = null;
  numClasses: number | null = null;
  samples = 0;
  sums: ExactSums | null = null;
  bins = new Float64Array(6);
  big: bigint[] = [];
  pending = 0;

  save(state: HingeState): void {
    this.task = state.task;
    this.numClasses = state.numClasses;
    this.samples = state.samples;
    const sums = state.sums;
    this.sums = sums;
    if (sums === null) return;
    const from = sums.bins;
    if (this.bins.length !== from.length) this.bins = new Float64Array(from.length);
    const bins = this.bins;
    for (let i = 0; i < from.length; i++) bins[i] = from[i]; // faster than set() for a few elements
    const big = this.big;
    if (big.length !== sums.size) big.length = sums.size;
    for (let k = 0; k < sums.size; k++) big[k] = sums.big[k];
    this.pending = sums.pending;
  }

  restore(state: HingeState): void {
    state.task = this.task;
    state.numClasses = this.numClasses;
    state.samples = this.samples;
    state.sums = this.sums;
    const sums = this.sums;
    if (sums === null) return;
    const bins = sums.bins;
    for (let i = 0; i < bins.length; i++) bins[i] = this.bins[i];
    for (let k = 0; k < sums.size; k++) sums.big[k] = this.big[k];
    sums.bigChanged();
    sums.pending = this.pending;
  }
}

const hingeSpec: StateSpec<HingeState, HingeValue, ResolvedHingeLossOptions, HingeLossStateJSON> = {
  kind: "HingeLoss",
  version: 1,
  empty: () => emptyHingeState(),
  emptyLike: (like) => ({ task: like.task, numClasses: like.numClasses, sums: null, samples: 0 }),
  copy(from, into) {
    const out = into ?? emptyHingeState();
    out.task = from.task;
    out.numClasses = from.numClasses;
    out.samples = from.samples;
    if (from.sums === null) out.sums = null;
    else if (out.sums !== null && out.sums.size === from.sums.size) out.sums.copyFrom(from.sums);
    else out.sums = from.sums.clone();
    return out;
  },
  update: (state, preds, target, weights, options) => hingeLossUpdate(state, preds, target, weights, options),
  merge(into, from) {
    if (from.task === null || from.sums === null) return;
    if (into.task !== null && into.task !== from.task) {
      throw new MetricStateError(
        `cannot merge a ${from.task} HingeLoss state into a ${into.task} one: the tasks differ`,
      );
    }
    if (into.task !== null && into.numClasses !== from.numClasses) {
      throw new MetricStateError(
        `cannot merge HingeLoss states with different class counts: ${from.numClasses} there and ${into.numClasses} here`,
      );
    }
    if (into.sums === null) {
      into.task = from.task;
      into.numClasses = from.numClasses;
      into.sums = new ExactSums(from.sums.size);
    }
    into.sums.addAll(from.sums);
    into.samples += from.samples;
  },
  compute: (state, options) => hingeLossCompute(state, options),
  snapshot(state, into) {
    const saved = (into as HingeSnapshot | null) ?? new HingeSnapshot();
    saved.save(state);
    return saved;
  },
  restore: (state, saved) => (saved as HingeSnapshot).restore(state),
  encode(state) {
    const sums = state.sums;
    const k = sums === null ? 0 : sums.size - 1;
    return {
      task: state.task,
      numClasses: state.numClasses,
      measure: sums === null ? [] : Array.from({ length: k }, (_, c) => formatHexFloat(sums.scaled(c))),
      total: sums === null ? "0x0p+0" : formatHexFloat(sums.scaled(k)),
      samples: state.samples,
    };
  },
  decode: decodeHingeState,
  encodeOptions: (options) => ({ ...options }),
};

/**
 * The hinge loss as a stateful, streaming metric: binary, multiclass Crammer–Singer and one-vs-all, plain or
 * squared, with optional per-sample weights and an ignore index. Scores are raw decision values (no sigmoid
 * or softmax). Sums are kept exactly, so the value is bit-identical however the stream was batched or
 * split across workers and merged.
 *
 * Task: preds `(N)` or `(N, 1)` are binary (targets 1 positive, 0 or -1 negative); `(N, C)` with C ≥ 2 is
 * multiclass (targets are class indices). The first non-empty batch fixes the task and C.
 *
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics";
 * const metric = new HingeLoss();
 * metric.update([-2.2, 2.4, 0.1], [0, 1, 1]);
 * metric.compute(); // => 0.3
 *
 * const ova = new HingeLoss({ multiclassMode: "one-vs-all" });
 * ova.update([[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]], [0, 1, 2]).compute();
 * // => [2.2333333333333334, 1.5, 1.2333333333333334]
 * ```
 */
export class HingeLoss extends Metric<HingeValue, HingeState, ResolvedHingeLossOptions, HingeLossStateJSON> {
  /** The kind written into states. */
  static readonly kind = "HingeLoss";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link HingeLossOptions}; validated (an unknown key is an error)
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: HingeLossOptions) {
    super(hingeSpec, resolveHingeLossOptions(options));
  }

  /**
   * Accumulates a batch of decision values and labels.
   *
   * @param preds - `(N)` / `(N, 1)` binary scores or `(N, C)` multiclass scores, in any {@link TensorLike} form
   * @param target - `(N)` labels: 0/1 (or -1) for binary, class indices in [0, C) for multiclass
   * @param weights - optional `(N)` finite, non-negative per-sample weights
   * @returns this metric
   * @throws {@link MetricInputError} naming the argument, the first bad position and what was expected; the
   * state is then unchanged
   * @example
   * ```ts
   * new HingeLoss().update(new Float32Array([0.5, -1]), new Int32Array([1, 0])).compute(); // => 0.25
   * ```
   */
  override update(preds: TensorLike, target: TensorLike, weights?: TensorLike): this {
    // One binary sample in typed arrays (the streaming case): checked before anything is written, so it
    // needs no snapshot. The first batch, weights, an ignore index, a bad or awkward sample (slow path) and
    // a due flush all take the general path, which also builds the error message.
    if (
      weights === undefined &&
      this.options.ignoreIndex === null &&
      addOneTyped(this.state, preds, target, this.options.squared)
    ) {
      return this;
    }
    return super.update(preds, target, weights);
  }

  /**
   * Accumulates a batch and returns the running value, as `update(...)` then `compute()` (bit-identical; same
   * errors, see {@link Metric.updateAndCompute}). One binary sample in typed arrays (the running value of a
   * prediction stream) is added and divided in one pass, faster than the two calls.
   *
   * @param preds - `(N)` / `(N, 1)` binary scores or `(N, C)` multiclass scores, in any {@link TensorLike} form
   * @param target - `(N)` labels
   * @param weights - optional `(N)` per-sample weights
   * @returns the value over everything accumulated, this batch included
   * @throws {@link MetricInputError} for a bad batch (state unchanged), {@link MetricStateError} when nothing
   * can be computed yet (every sample so far ignored or weighted 0)
   * @example
   * ```ts
   * const m = new HingeLoss().update([0.5], [1]);
   * m.updateAndCompute(new Float32Array([2]), new Int32Array([0])); // => 1.75
   * ```
   */
  override updateAndCompute(preds: TensorLike, target: TensorLike, weights?: TensorLike): HingeValue {
    if (weights === undefined && this.options.ignoreIndex === null) {
      const value = stepOneTyped(this.state, preds, target, this.options.squared);
      if (value === value) return value;
    }
    // Not the single-sample form: the general update (its fast-path checks just failed here) and compute().
    super.update(preds, target, weights);
    return this.compute();
  }

  /**
   * Rebuilds a metric from a JSON state (untrusted input is validated with zod).
   *
   * @param json - a state from {@link HingeLoss.toJSON}, possibly via `JSON.parse`
   * @returns a metric with that state and its options
   * @throws {@link MetricStateError} for a malformed or forged state
   * @example
   * ```ts
   * const json = JSON.parse(JSON.stringify(new HingeLoss().update([0.5], [1])));
   * HingeLoss.fromJSON(json).compute(); // => 0.5
   * ```
   */
  static override fromJSON(json: unknown): HingeLoss {
    const { state, options } = decodeHingeState(json);
    const metric = new HingeLoss({
      squared: options.squared,
      multiclassMode: options.multiclassMode,
      numClasses: options.numClasses ?? undefined,
      ignoreIndex: options.ignoreIndex ?? undefined,
    });
    metric.state = state;
    return metric;
  }

  /**
   * Σ w·m so far, rounded once to float64 (one per class for one-vs-all); 0 before any sample.
   *
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).measure; // => 0.9
   * ```
   */
  get measure(): number | number[] {
    const sums = this.state.sums;
    if (sums === null) return 0;
    const k = sums.size - 1;
    if (this.state.task === "multiclass" && this.options.multiclassMode === "one-vs-all") {
      return Array.from({ length: k }, (_, c) => sums.value(c));
    }
    return sums.value(0);
  }

  /**
   * Σ w so far (the number of samples when unweighted), rounded once to float64.
   *
   * @example
   * ```ts
   * new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).total; // => 3
   * ```
   */
  get total(): number {
    const sums = this.state.sums;
    return sums === null ? 0 : sums.value(sums.size - 1);
  }

  /**
   * Samples counted so far (ignored samples excluded).
   *
   * @example
   * ```ts
   * new HingeLoss({ ignoreIndex: -1 }).update([1, 2], [1, -1]).samples; // => 1
   * ```
   */
  get samples(): number {
    return this.state.samples;
  }

  /**
   * The task fixed by the first non-empty batch, or `null`.
   *
   * @example
   * ```ts
   * new HingeLoss().update([[1, 2]], [0]).task; // => "multiclass"
   * ```
   */
  get task(): HingeTask | null {
    return this.state.task;
  }

  /**
   * C for a multiclass metric once known, else `null`.
   *
   * @example
   * ```ts
   * new HingeLoss().update([[1, 2, 3]], [0]).numClasses; // => 3
   * ```
   */
  get numClasses(): number | null {
    return this.state.numClasses;
  }
}

registerMetric(HingeLoss);
