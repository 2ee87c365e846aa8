/**
 * Keras 3 stateful metrics `keras.metrics.Hinge`, `SquaredHinge`, `CategoricalHinge` (a
 * `MeanMetricWrapper` each): the weighted mean `total / count` of per-sample losses, with Keras's
 * `update_state` weighting, kept exactly and mergeable.
 *
 * @module
 */
import { z } from "zod";
import { MetricStateError } from "../../errors/index.js";
import { Metric, registerMetric, type MetricStateJSON } from "../../metrics/index.js";
import { parseOptions } from "../../options/index.js";
import { exactSum, formatHexFloat, type ExactSum } from "../../state/index.js";
import { divideNoNan, type DenseLike } from "./dense.js";
import { arithmetic, kerasDtypeSchema, type KerasDtype } from "./dtype.js";
import type { KerasLossKind } from "./kernels.js";
import { updateMean } from "./reduce.js";

/**
 * Options of the Keras metric facades.
 *
 * @example
 * ```ts
 * new Hinge({ name: "val_hinge", dtype: "float64" });
 * ```
 */
export interface KerasMetricOptions {
  /** Name (default the Keras name, e.g. `"hinge"`). */
  name?: string;
  /** `"float32"` (default, Keras's floatx) rounds `result()` to float32; `"float64"` does not. */
  dtype?: KerasDtype;
}

/**
 * The config of a Keras metric (`getConfig()`), as Keras's `get_config()`: `{ name, dtype }`.
 *
 * @example
 * ```ts
 * const config: KerasMetricConfig = { name: "val_hinge", dtype: "float32" };
 * ```
 */
export interface KerasMetricConfig {
  /** The metric name. */
  name: string;
  /** The dtype. */
  dtype: KerasDtype;
}

/** Resolved options: only the dtype is part of the state's identity (names may differ across workers). */
interface ResolvedOptions {
  readonly dtype: KerasDtype;
}

/**
 * The JSON state of a Keras metric facade: `total` (Σ w·l) and `count` (Σ w) as exact hex-float strings.
 *
 * @example
 * ```ts
 * new Hinge().updateState([[0, 1]], [[0.6, 0.4]]).toJSON();
 * // => { kind: "keras.metrics.Hinge", version: 1, options: { dtype: "float32" }, total: "0x1.19999ap+0", count: "0x1p+0" }
 * ```
 */
export interface KerasMetricStateJSON extends MetricStateJSON {
  /** `"keras.metrics.Hinge"`, `"keras.metrics.SquaredHinge"` or `"keras.metrics.CategoricalHinge"`. */
  readonly kind: string;
  /** Format version, 1. */
  readonly version: 1;
  /** `{ dtype }`. */
  readonly options: ResolvedOptions;
  /** Exact Σ w·l. */
  readonly total: string;
  /** Exact Σ w (the number of samples without weights). */
  readonly count: string;
}

/** The state: exact Σ w·l and Σ w. */
interface KerasState {
  readonly total: ExactSum;
  readonly count: ExactSum;
}

const optionsSchema = z.strictObject({
  name: z.string().optional(),
  dtype: kerasDtypeSchema.default("float32"),
});

/**
 * Base of the Keras metric facades (Keras `MeanMetricWrapper`). `updateState(yTrue, yPred, sampleWeight?)`
 * adds a batch; `result()` is `total / count` (0 when empty, as Keras); `resetState()` empties it. The
 * per-sample values use the Keras label rule **per batch** (as Keras does). Totals are exact: the result
 * does not depend on batching or merge order, unlike Keras's float32 `total` / `count` variables.
 *
 * Inherited from {@link Metric}: `toJSON()`, `merge(...metricsOrStates)`, `clone()`, and `update(yPred,
 * yTrue, w)` / `forward(yPred, yTrue, w)` in the streammetrics argument order (predictions first).
 *
 * @example
 * ```ts
 * const m = new Hinge({ dtype: "float64" });
 * m.updateState([[0, 1]], [[0.6, 0.4]]).result(); // => 1.1
 * m.updateState([[0, 0]], [[0.4, 0.6]]).result(); // => 1.3
 * ```
 */
export abstract class KerasMeanMetric extends Metric<
  number,
  KerasState,
  ResolvedOptions,
  KerasMetricStateJSON
> {
  /** The metric name. */
  readonly name: string;
  /** Which Keras function gives the per-sample values. */
  private readonly lossKind: KerasLossKind;
  /** The Keras class name, for messages. */
  private readonly className: string;
  /** True while the base's atomic `update` / `forward` runs (then `updateState` is its hook). */
  private inUpdate = false;

  /** @param lossKind - the Keras function; @param options - raw options; @param className - Keras class name; @param defaultName - Keras name */
  protected constructor(lossKind: KerasLossKind, options: unknown, className: string, defaultName: string) {
    const o = parseOptions(optionsSchema, options, `metrics.${className}`);
    super({ dtype: o.dtype });
    this.addState("total", exactSum());
    this.addState("count", exactSum());
    this.name = o.name ?? defaultName;
    this.lossKind = lossKind;
    this.className = className;
  }

  /**
   * Adds a batch (Keras `update_state`).
   *
   * @param yTrue - targets
   * @param yPred - predictions, same shape
   * @param sampleWeight - optional: a number, or one finite weight ≥ 0 per sample
   * @returns this metric
   * @throws {@link MetricInputError} for bad inputs; the state is then unchanged
   * @example
   * ```ts
   * new Hinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0]).result(); // => 1.1
   * ```
   */
  override updateState(yTrue: DenseLike, yPred: DenseLike, sampleWeight?: DenseLike): this {
    if (!this.inUpdate) return this.update(yPred, yTrue, sampleWeight);
    // The base's hook, called inside its atomic update with the streammetrics order: (preds, target, weights).
    const [preds, target] = [yTrue, yPred];
    updateMean(this.state, this.lossKind, this.className, this.options.dtype, target, preds, sampleWeight);
    return this;
  }

  /**
   * Adds a batch in the streammetrics argument order (predictions first); Keras's is {@link KerasMeanMetric.updateState}.
   *
   * @param yPred - predictions
   * @param yTrue - targets, same shape
   * @param sampleWeight - optional weights
   * @returns this metric
   * @throws {@link MetricInputError} for bad inputs; the state is then unchanged
   * @example
   * ```ts
   * new Hinge({ dtype: "float64" }).update([[0.6, 0.4]], [[0, 1]]).result(); // => 1.1
   * ```
   */
  override update(yPred: DenseLike, yTrue: DenseLike, sampleWeight?: DenseLike): this {
    return this.hooked(() => super.update(yPred, yTrue, sampleWeight));
  }

  /**
   * The value of this batch alone, which is also accumulated (predictions first).
   *
   * @param yPred - predictions
   * @param yTrue - targets, same shape
   * @param sampleWeight - optional weights
   * @returns the batch's weighted mean
   * @throws {@link MetricInputError} for bad inputs; nothing is then accumulated
   * @example
   * ```ts
   * const m = new Hinge({ dtype: "float64" });
   * m.forward([[0.6, 0.4]], [[0, 1]]); // => 1.1
   * m.forward([[0.4, 0.6]], [[0, 0]]); // => 1.5
   * m.result(); // => 1.3
   * ```
   */
  override forward(yPred: DenseLike, yTrue: DenseLike, sampleWeight?: DenseLike): number {
    return this.hooked(() => super.forward(yPred, yTrue, sampleWeight));
  }

  /** Runs the base's update or forward with `updateState` as its hook. */
  private hooked<T>(run: () => T): T {
    const was = this.inUpdate;
    this.inUpdate = true;
    try {
      return run();
    } finally {
      this.inUpdate = was;
    }
  }

  /** Keras: divide_no_nan(total, count), rounded to the dtype (once: the facade's sums are exact). */
  protected override computeValue(): number {
    const { total, count } = this.state;
    if (this.options.dtype === "float64") return divideNoNan(total.exact(), count.exact());
    const { r } = arithmetic(this.options.dtype);
    const n = r(count.value());
    return n === 0 ? 0 : r(r(total.value()) / n);
  }

  /** A decoded state: sums not negative, and a total only with a count. */
  protected override validateState(): void {
    const fail = (message: string): never => {
      throw new MetricStateError(`invalid ${this.kind} state: ${message}`);
    };
    for (const name of ["total", "count"] as const) {
      const v = this.state[name].exact();
      if (v < 0n) fail(`${name} must not be negative, got ${formatHexFloat(v)}`);
    }
    if (this.state.count.isZero() && !this.state.total.isZero()) fail("total is positive while count is 0");
  }

  /**
   * The weighted mean so far (Keras `result()`): `total / count`, 0 when nothing was accumulated.
   *
   * @returns the metric value
   * @example
   * ```ts
   * new Hinge().result(); // => 0
   * ```
   */
  result(): number {
    return this.compute();
  }

  /**
   * Empties the metric (Keras `reset_state()`).
   *
   * @returns this metric
   * @example
   * ```ts
   * new Hinge().updateState([[1]], [[0]]).resetState().result(); // => 0
   * ```
   */
  resetState(): this {
    return this.reset();
  }

  /**
   * The config (Keras `get_config()`).
   *
   * @returns `{ name, dtype }`, accepted by the class's `fromConfig`
   * @example
   * ```ts
   * new Hinge().getConfig(); // => { name: "hinge", dtype: "float32" }
   * ```
   */
  getConfig(): KerasMetricConfig {
    return { name: this.name, dtype: this.options.dtype };
  }

  /**
   * The dtype of the metric's results (Keras `metric.dtype`).
   *
   * @example
   * ```ts
   * new Hinge({ dtype: "bfloat16" }).dtype; // => "bfloat16"
   * ```
   */
  get dtype(): KerasDtype {
    return this.options.dtype;
  }

  /**
   * Σ w·l so far, rounded once to float64.
   *
   * @example
   * ```ts
   * new Hinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).total; // => 2.6
   * ```
   */
  get total(): number {
    return this.state.total.value();
  }

  /**
   * Σ w so far (the number of samples without weights), rounded once to float64.
   *
   * @example
   * ```ts
   * new Hinge().updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).count; // => 2
   * ```
   */
  get count(): number {
    return this.state.count.value();
  }
}

/**
 * Keras `keras.metrics.Hinge`: the weighted mean of `hinge(yTrue, yPred)`.
 *
 * @example
 * ```ts
 * new Hinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).result(); // => 1.3
 * ```
 */
export class Hinge extends KerasMeanMetric {
  /** The kind written into states (the registry's key). */
  static readonly kind = "keras.metrics.Hinge";
  /** The state format version. */
  static readonly version = 1;
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super("hinge", options, "Hinge", "hinge");
  }
  /**
   * A fresh metric from a config (Keras `from_config`): same name and dtype, empty state.
   *
   * @param config - from `getConfig()` (unknown keys are errors)
   * @returns the metric
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * Hinge.fromConfig(new Hinge({ name: "val_hinge", dtype: "float16" }).getConfig()).getConfig();
   * // => { name: "val_hinge", dtype: "float16" }
   * ```
   */
  static fromConfig(config: KerasMetricOptions): Hinge {
    return new Hinge(config);
  }

  /**
   * Rebuilds a metric from a JSON state (validated).
   *
   * @param json - from `toJSON()`, possibly via `JSON.parse`
   * @returns the metric
   * @throws {@link MetricStateError} for a malformed state
   * @example
   * ```ts
   * Hinge.fromJSON(JSON.parse(JSON.stringify(new Hinge().updateState([[1]], [[0.5]])))).result(); // => 0.5
   * ```
   */
  static override fromJSON(json: unknown): Hinge {
    return super.fromJSON(json) as Hinge;
  }
}

/**
 * Keras `keras.metrics.SquaredHinge`: the weighted mean of `squaredHinge(yTrue, yPred)`.
 *
 * @example
 * ```ts
 * new SquaredHinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).result(); // => 1.8600000000000003
 * ```
 */
export class SquaredHinge extends KerasMeanMetric {
  /** The kind written into states (the registry's key). */
  static readonly kind = "keras.metrics.SquaredHinge";
  /** The state format version. */
  static readonly version = 1;
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super("squared_hinge", options, "SquaredHinge", "squared_hinge");
  }
  /**
   * A fresh metric from a config (Keras `from_config`): same name and dtype, empty state.
   *
   * @param config - from `getConfig()` (unknown keys are errors)
   * @returns the metric
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * SquaredHinge.fromConfig({ name: "sq", dtype: "float64" }).dtype; // => "float64"
   * ```
   */
  static fromConfig(config: KerasMetricOptions): SquaredHinge {
    return new SquaredHinge(config);
  }

  /**
   * Rebuilds a metric from a JSON state (validated).
   *
   * @param json - from `toJSON()`
   * @returns the metric
   * @throws {@link MetricStateError} for a malformed state
   * @example
   * ```ts
   * SquaredHinge.fromJSON(new SquaredHinge().toJSON()).result(); // => 0
   * ```
   */
  static override fromJSON(json: unknown): SquaredHinge {
    return super.fromJSON(json) as SquaredHinge;
  }
}

/**
 * Keras `keras.metrics.CategoricalHinge`: the weighted mean of `categoricalHinge(yTrue, yPred)`.
 *
 * @example
 * ```ts
 * new CategoricalHinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).result(); // => 1.4
 * ```
 */
export class CategoricalHinge extends KerasMeanMetric {
  /** The kind written into states (the registry's key). */
  static readonly kind = "keras.metrics.CategoricalHinge";
  /** The state format version. */
  static readonly version = 1;
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super("categorical_hinge", options, "CategoricalHinge", "categorical_hinge");
  }
  /**
   * A fresh metric from a config (Keras `from_config`): same name and dtype, empty state.
   *
   * @param config - from `getConfig()` (unknown keys are errors)
   * @returns the metric
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * CategoricalHinge.fromConfig({ name: "cat_hinge", dtype: "float32" }).name; // => "cat_hinge"
   * ```
   */
  static fromConfig(config: KerasMetricOptions): CategoricalHinge {
    return new CategoricalHinge(config);
  }

  /**
   * Rebuilds a metric from a JSON state (validated).
   *
   * @param json - from `toJSON()`
   * @returns the metric
   * @throws {@link MetricStateError} for a malformed state
   * @example
   * ```ts
   * CategoricalHinge.fromJSON(new CategoricalHinge().toJSON()).result(); // => 0
   * ```
   */
  static override fromJSON(json: unknown): CategoricalHinge {
    return super.fromJSON(json) as CategoricalHinge;
  }
}

registerMetric(Hinge);
registerMetric(SquaredHinge);
registerMetric(CategoricalHinge);
