/**
 * Keras 3 stateful metrics `keras.metrics.Hinge`, `SquaredHinge`, `CategoricalHinge` (a
 * `MeanMetricWrapper` each): the weighted mean `total / count` of per-sample losses, with Keras's
 * `update_state` weighting, kept exactly and mergeable.
 *
 * @module
 */
import { z } from "zod";
import { MetricStateError } from "../../errors/index.js";
import { asInputError } from "../../input/index.js";
import { Metric, type MetricStateJSON, type StateSpec } from "../../metrics/index.js";
import { parseOptions } from "../../options/index.js";
import { ExactSums, assertPlainJson, formatHexFloat, parseHexFloat } from "../../state/index.js";
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

/** State: exact sums, [0] = total, [1] = count. */
type State = ExactSums;

const stateSchema = z.strictObject({
  kind: z.string(),
  version: z.literal(1),
  options: z.strictObject({ dtype: kerasDtypeSchema }),
  total: z.string().max(800),
  count: z.string().max(800),
});

function makeSpec(
  kind: KerasLossKind,
  className: string,
): StateSpec<State, number, ResolvedOptions, KerasMetricStateJSON> {
  const fullKind = `keras.metrics.${className}`;
  const fail = (message: string): never => {
    throw new MetricStateError(`invalid ${fullKind} state: ${message}`);
  };
  const parseSum = (text: string, where: string): bigint => {
    const v = parseHexFloat(text);
    if (v === undefined)
      fail(`${where} must be an exact hex-float string such as "0x1.8p+1", got ${JSON.stringify(text)}`);
    if ((v as bigint) < 0n) fail(`${where} must not be negative, got ${text}`);
    return v as bigint;
  };
  return {
    kind: fullKind,
    version: 1,
    empty: () => new ExactSums(2),
    emptyLike: () => new ExactSums(2),
    copy(from, into) {
      const out = into ?? new ExactSums(2);
      out.copyFrom(from);
      return out;
    },
    update: (state, preds, target, weights, options) =>
      updateMean(state, kind, className, options.dtype, target, preds, weights),
    merge: (into, from) => into.addAll(from),
    compute(state, options) {
      if (options.dtype === "float64") return divideNoNan(state.scaled(0), state.scaled(1));
      // Keras: divide_no_nan(total, count) with both variables in the dtype. The facade's total and count
      // are exact; they are rounded to the dtype here, once (Keras rounds them at every update).
      const { r } = arithmetic(options.dtype);
      const count = r(state.value(1));
      return count === 0 ? 0 : r(r(state.value(0)) / count);
    },
    encode: (state) => ({ total: formatHexFloat(state.scaled(0)), count: formatHexFloat(state.scaled(1)) }),
    decode(json) {
      try {
        return decodeState(json);
      } catch (error) {
        // a getter or a Proxy trap that throws while the state is read: a MetricStateError, so that
        // onInvalid: "skip" skips it
        if (error instanceof MetricStateError) throw error;
        return fail(asInputError(error, "it").message);
      }
    },
    encodeOptions: (options) => ({ dtype: options.dtype }),
  };

  function decodeState(json: unknown): { state: State; options: ResolvedOptions } {
    assertPlainJson(json, "state");
    if (json === null || typeof json !== "object" || Array.isArray(json)) fail("expected an object");
    const raw = json as Record<string, unknown>;
    if (raw.kind !== fullKind) {
      throw new MetricStateError(`expected a ${fullKind} state, got kind ${JSON.stringify(raw.kind)}`);
    }
    const parsed = stateSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(`${issue.path.length > 0 ? issue.path.join(".") + ": " : ""}${issue.message}`);
    }
    const s = parsed.data as z.output<typeof stateSchema>;
    const total = parseSum(s.total, "total");
    const count = parseSum(s.count, "count");
    if (count === 0n && total !== 0n) fail("total is positive while count is 0");
    const state = new ExactSums(2);
    state.setScaled(0, total);
    state.setScaled(1, count);
    return { state, options: { dtype: s.options.dtype } };
  }
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
export abstract class KerasMeanMetric extends Metric<number, State, ResolvedOptions, KerasMetricStateJSON> {
  /** The metric name. */
  readonly name: string;

  /** @param spec - the state declaration; @param options - raw options; @param owner - class name; @param defaultName - Keras name */
  protected constructor(
    spec: StateSpec<State, number, ResolvedOptions, KerasMetricStateJSON>,
    options: unknown,
    owner: string,
    defaultName: string,
  ) {
    const o = parseOptions(optionsSchema, options, owner);
    super(spec, { dtype: o.dtype });
    this.name = o.name ?? defaultName;
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
    return this.update(yPred, yTrue, sampleWeight);
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
    return this.state.value(0);
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
    return this.state.value(1);
  }
}

const hingeSpec = makeSpec("hinge", "Hinge");
const squaredHingeSpec = makeSpec("squared_hinge", "SquaredHinge");
const categoricalHingeSpec = makeSpec("categorical_hinge", "CategoricalHinge");

/**
 * Keras `keras.metrics.Hinge`: the weighted mean of `hinge(yTrue, yPred)`.
 *
 * @example
 * ```ts
 * new Hinge({ dtype: "float64" }).updateState([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).result(); // => 1.3
 * ```
 */
export class Hinge extends KerasMeanMetric {
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super(hingeSpec, options, "metrics.Hinge", "hinge");
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
    const { state, options } = hingeSpec.decode(json);
    const m = new Hinge(options);
    m.state = state;
    return m;
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
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super(squaredHingeSpec, options, "metrics.SquaredHinge", "squared_hinge");
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
    const { state, options } = squaredHingeSpec.decode(json);
    const m = new SquaredHinge(options);
    m.state = state;
    return m;
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
  /**
   * @param options - {@link KerasMetricOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasMetricOptions) {
    super(categoricalHingeSpec, options, "metrics.CategoricalHinge", "categorical_hinge");
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
    const { state, options } = categoricalHingeSpec.decode(json);
    const m = new CategoricalHinge(options);
    m.state = state;
    return m;
  }
}
