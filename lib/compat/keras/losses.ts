/**
 * Keras 3 loss classes: `Hinge`, `SquaredHinge`, `CategoricalHinge`, `CategoricalGeneralizedCrossEntropy`,
 * `Circle`, with Keras's reductions, `sample_weight` broadcasting, mask handling, `name`, `dtype` and
 * `get_config` / `from_config`.
 *
 * @module
 */
import { z } from "zod";
import { parseOptions } from "../../options/index.js";
import { toNested, type Nested, type DenseLike } from "./dense.js";
import { arithmetic, kerasDtypeSchema, type Arithmetic, type KerasDtype } from "./dtype.js";
import { checkQ, circleShape, perSample } from "./functions.js";
import type { KerasLossKind } from "./kernels.js";
import { reduceWeighted, type KerasReduction } from "./reduce.js";

export type { KerasReduction } from "./reduce.js";
export type { KerasDtype } from "./dtype.js";

/**
 * Options shared by every Keras loss class.
 *
 * @example
 * ```ts
 * new Hinge({ reduction: "sum", name: "my_hinge", dtype: "float64" });
 * ```
 */
export interface KerasLossOptions {
  /** Reduction (default `"sum_over_batch_size"`). */
  reduction?: KerasReduction;
  /** Name (default the Keras name, e.g. `"hinge"`). */
  name?: string;
  /** `"float32"` (default, Keras's floatx), `"float16"`, `"bfloat16"` or `"float64"`. */
  dtype?: KerasDtype;
}

const REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"] as const;

/** Keras `standardize_reduction`: the same information as Keras's `ValueError`, in our error class. */
const reductionSchema = z
  .enum(REDUCTIONS, {
    error: (issue) =>
      `Invalid value for argument \`reduction\`: expected one of ${REDUCTIONS.map((x) => JSON.stringify(x)).join(", ")} ` +
      `or null (Keras's None), received ${JSON.stringify(issue.input) ?? String(issue.input)}`,
  })
  .nullable();

const baseShape = {
  reduction: reductionSchema.default("sum_over_batch_size"),
  name: z.string().optional(),
  dtype: kerasDtypeSchema.default("float32"),
};

/**
 * The JSON config of a Keras loss (`getConfig()`), accepted back by `fromConfig()`.
 *
 * @example
 * ```ts
 * new Hinge().getConfig(); // => { name: "hinge", reduction: "sum_over_batch_size", dtype: "float32" }
 * ```
 */
export interface KerasLossConfig {
  /** The loss name. */
  name: string;
  /** The reduction. */
  reduction: KerasReduction;
  /** The dtype. */
  dtype: KerasDtype;
  /** Further arguments (`q`, `gamma`, `margin`, `removeDiagonal`). */
  [key: string]: unknown;
}

/**
 * Base class of the Keras loss facades (Keras `keras.losses.Loss`): `compute(yTrue, yPred, sampleWeight?)`
 * is Keras's `loss(y_true, y_pred, sample_weight)`; `call(yTrue, yPred)` gives the unreduced per-sample
 * values.
 *
 * Reductions (Keras `reduce_values`): `"sum"` = Σ w·l; `"sum_over_batch_size"` and `"mean"` = Σ w·l / number
 * of values (the batch size, **not** Σ w); `"mean_with_sample_weight"` = Σ w·l / Σ w; `"none"` / `null` = the
 * weighted values. A scalar result (1-D inputs) or an empty batch is returned as is.
 *
 * dtype, as Keras's `Loss.__call__`: `yTrue` and `yPred` are cast to the dtype and the loss is computed in
 * it, each operation rounded (`"float32"` by default; `"float16"`, `"bfloat16"`). With `"float64"` the sums
 * are exact and each quotient is rounded once.
 *
 * `sampleWeight` (finite, ≥ 0): a scalar, one weight per sample, or the full shape of the per-sample values;
 * Keras squeezes or expands a trailing size-1 axis and then broadcasts as NumPy does. Pitfall kept from
 * Keras: with 1-D inputs the loss is one scalar before weighting, so a weight vector scales it by mean(w).
 *
 * @example
 * ```ts
 * new Hinge().compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => 1.2999999523162842 (float32)
 * new Hinge({ dtype: "bfloat16" }).compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => 1.296875
 * ```
 */
export abstract class Loss {
  /** The loss name. */
  readonly name: string;
  /** The reduction. */
  readonly reduction: KerasReduction;
  /** The dtype the loss is computed in, and of its results. */
  readonly dtype: KerasDtype;
  /** Which Keras function this loss wraps. */
  protected abstract readonly kind: KerasLossKind;
  /** The Keras class name, for messages and `serialize`. */
  abstract readonly className: string;
  private readonly ar: Arithmetic;

  /** @param options - reduction, name, dtype (already parsed) */
  protected constructor(options: { reduction: KerasReduction; name: string; dtype: KerasDtype }) {
    this.reduction = options.reduction;
    this.name = options.name;
    this.dtype = options.dtype;
    this.ar = arithmetic(options.dtype);
  }

  /** Extra arguments of the wrapped function. */
  protected args(): { q?: number; gamma?: number; margin?: number; removeDiagonal?: boolean } {
    return {};
  }

  private values(yTrue: DenseLike, yPred: DenseLike) {
    return perSample(this.kind, yTrue, yPred, this.args(), { who: this.className, align: true, ar: this.ar });
  }

  /**
   * The unreduced per-sample losses (Keras `Loss.call`), in the dtype.
   *
   * @param yTrue - targets
   * @param yPred - predictions
   * @returns per-sample values (shape of the inputs without the last axis)
   * @throws {@link MetricInputError} for bad inputs
   * @example
   * ```ts
   * new Hinge().call([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => [1.100000023841858, 1.5]
   * ```
   */
  call(yTrue: DenseLike, yPred: DenseLike): Nested {
    const { values } = this.values(yTrue, yPred);
    return toNested(values.data, values.shape);
  }

  /**
   * The loss of a batch, reduced (Keras `loss(y_true, y_pred, sample_weight)`).
   *
   * @param yTrue - targets
   * @param yPred - predictions
   * @param sampleWeight - optional weights: a number, per sample, or the full shape of the per-sample values
   * @returns a number, or the weighted per-sample values for `"none"`
   * @throws {@link MetricInputError} for bad inputs or weights that do not broadcast
   * @example
   * ```ts
   * new Hinge({ dtype: "float64" }).compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], [1, 0]); // => 0.55
   * ```
   */
  compute(yTrue: DenseLike, yPred: DenseLike, sampleWeight?: DenseLike): Nested {
    const { values, mask } = this.values(yTrue, yPred);
    return reduceWeighted(values, mask, sampleWeight, this.reduction, this.ar);
  }

  /**
   * The config (Keras `get_config()`, plus the dtype), enough to rebuild the loss with `fromConfig`.
   *
   * @returns name, reduction, dtype and the loss's own arguments
   * @example
   * ```ts
   * new SquaredHinge({ reduction: "sum" }).getConfig(); // => { name: "squared_hinge", reduction: "sum", dtype: "float32" }
   * ```
   */
  getConfig(): KerasLossConfig {
    return { name: this.name, reduction: this.reduction, dtype: this.dtype, ...this.args() };
  }
}

function parseBase<T extends z.ZodRawShape>(extra: T, options: unknown, owner: string, defaultName: string) {
  const parsed = parseOptions(z.strictObject({ ...baseShape, ...extra }), options, owner) as {
    reduction: KerasReduction;
    name?: string;
    dtype: KerasDtype;
  } & z.output<z.ZodObject<T>>;
  return { ...parsed, name: parsed.name ?? defaultName };
}

/**
 * Keras `keras.losses.Hinge`: `max(1 - y·p, 0)` averaged over the last axis, labels 0/1 converted to -1/1
 * when every label of the call is 0 or 1.
 *
 * @example
 * ```ts
 * const yTrue = [[0, 1], [0, 0]];
 * const yPred = [[0.6, 0.4], [0.4, 0.6]];
 * new Hinge({ dtype: "float64" }).compute(yTrue, yPred); // => 1.3
 * new Hinge({ reduction: "sum", dtype: "float64" }).compute(yTrue, yPred); // => 2.6
 * new Hinge({ reduction: "none", dtype: "float64" }).compute(yTrue, yPred); // => [1.1, 1.5]
 * ```
 */
export class Hinge extends Loss {
  /** The Keras class name. */
  readonly className = "Hinge";
  protected readonly kind = "hinge";
  /**
   * @param options - {@link KerasLossOptions}
   * @throws {@link InvalidOptionsError} for an unknown key or a bad reduction / dtype
   */
  constructor(options?: KerasLossOptions) {
    super(parseBase({}, options, "Hinge", "hinge"));
  }
  /**
   * Rebuilds a loss from {@link Loss.getConfig}.
   *
   * @param config - a config object
   * @returns the loss
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * Hinge.fromConfig(new Hinge({ reduction: "sum" }).getConfig()).reduction; // => "sum"
   * ```
   */
  static fromConfig(config: KerasLossOptions): Hinge {
    return new Hinge(config);
  }
}

/**
 * Keras `keras.losses.SquaredHinge`: `max(1 - y·p, 0)²` averaged over the last axis, same label rule as
 * {@link Hinge}.
 *
 * @example
 * ```ts
 * new SquaredHinge({ dtype: "float64" }).compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => 1.8600000000000003
 * ```
 */
export class SquaredHinge extends Loss {
  /** The Keras class name. */
  readonly className = "SquaredHinge";
  protected readonly kind = "squared_hinge";
  /**
   * @param options - {@link KerasLossOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasLossOptions) {
    super(parseBase({}, options, "SquaredHinge", "squared_hinge"));
  }
  /**
   * Rebuilds a loss from its config.
   *
   * @param config - a config object
   * @returns the loss
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * SquaredHinge.fromConfig({ name: "sq" }).name; // => "sq"
   * ```
   */
  static fromConfig(config: KerasLossOptions): SquaredHinge {
    return new SquaredHinge(config);
  }
}

/**
 * Keras `keras.losses.CategoricalHinge`: `max(neg - pos + 1, 0)` with one-hot `yTrue`, `pos = Σ y·p`,
 * `neg = max((1 - y)·p)` (the true class enters the max as 0: see {@link categoricalHinge}).
 *
 * @example
 * ```ts
 * new CategoricalHinge({ dtype: "float64" }).compute([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => 1.4
 * ```
 */
export class CategoricalHinge extends Loss {
  /** The Keras class name. */
  readonly className = "CategoricalHinge";
  protected readonly kind = "categorical_hinge";
  /**
   * @param options - {@link KerasLossOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: KerasLossOptions) {
    super(parseBase({}, options, "CategoricalHinge", "categorical_hinge"));
  }
  /**
   * Rebuilds a loss from its config.
   *
   * @param config - a config object
   * @returns the loss
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * CategoricalHinge.fromConfig({ reduction: "none" }).reduction; // => "none"
   * ```
   */
  static fromConfig(config: KerasLossOptions): CategoricalHinge {
    return new CategoricalHinge(config);
  }
}

/**
 * Options of {@link CategoricalGeneralizedCrossEntropy}.
 *
 * @example
 * ```ts
 * const o: CategoricalGeneralizedCrossEntropyOptions = { q: 0.7, reduction: "sum" };
 * ```
 */
export interface CategoricalGeneralizedCrossEntropyOptions extends KerasLossOptions {
  /** In (0, 1); default 0.5. */
  q?: number;
}

/**
 * Keras `keras.losses.CategoricalGeneralizedCrossEntropy(q=0.5)` (Zhang & Sabuncu 2018): `(1 - p^q) / q`
 * with `p` the predicted probability of the true class; `yTrue` holds integer class indices.
 *
 * @example
 * ```ts
 * new CategoricalGeneralizedCrossEntropy({ q: 0.5, dtype: "float64" }).compute([0, 1], [[0.25, 0.75], [0.36, 0.64]]);
 * // => 0.7
 * ```
 */
export class CategoricalGeneralizedCrossEntropy extends Loss {
  /** The Keras class name. */
  readonly className = "CategoricalGeneralizedCrossEntropy";
  protected readonly kind = "categorical_generalized_cross_entropy";
  /** The exponent q. */
  readonly q: number;
  /**
   * @param options - {@link CategoricalGeneralizedCrossEntropyOptions}
   * @throws {@link InvalidOptionsError} for q outside (0, 1) or other bad options
   */
  constructor(options?: CategoricalGeneralizedCrossEntropyOptions) {
    const o = parseBase(
      { q: z.number().default(0.5) },
      options,
      "CategoricalGeneralizedCrossEntropy",
      "categorical_generalized_cross_entropy",
    );
    super(o);
    this.q = checkQ(o.q);
  }
  protected override args(): { q: number } {
    return { q: this.q };
  }
  /**
   * Rebuilds a loss from its config.
   *
   * @param config - a config object
   * @returns the loss
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * CategoricalGeneralizedCrossEntropy.fromConfig({ q: 0.7 }).q; // => 0.7
   * ```
   */
  static fromConfig(config: CategoricalGeneralizedCrossEntropyOptions): CategoricalGeneralizedCrossEntropy {
    return new CategoricalGeneralizedCrossEntropy(config);
  }
}

/**
 * Options of {@link Circle}.
 *
 * @example
 * ```ts
 * const o: CircleLossOptions = { gamma: 80, margin: 0.4, removeDiagonal: true };
 * ```
 */
export interface CircleLossOptions extends KerasLossOptions {
  /** Scaling factor (default 80). */
  gamma?: number;
  /** Relaxation margin (default 0.4). */
  margin?: number;
  /** Drop self-pairs from the positives (default true). */
  removeDiagonal?: boolean;
}

/**
 * Keras `keras.losses.Circle(gamma=80, margin=0.4, remove_diagonal=True)`: Circle loss between integer
 * labels and L2-normalised embeddings (see {@link circle}). As in Keras, samples whose loss is 0 are masked:
 * `"sum_over_batch_size"` / `"mean"` divide by the number of samples with a positive loss.
 *
 * @example
 * ```ts
 * new Circle({ gamma: 1, dtype: "float64" }).compute([0, 0, 1], [[1, 0], [1, 0], [0, 1]]);
 * // => 0.5458929371800754 (the mean over the two samples with a positive loss)
 * ```
 */
export class Circle extends Loss {
  /** The Keras class name. */
  readonly className = "Circle";
  protected readonly kind = "circle";
  /** Scaling factor. */
  readonly gamma: number;
  /** Relaxation margin. */
  readonly margin: number;
  /** Whether self-pairs are dropped from the positives. */
  readonly removeDiagonal: boolean;
  /**
   * @param options - {@link CircleLossOptions}
   * @throws {@link InvalidOptionsError} for bad options
   */
  constructor(options?: CircleLossOptions) {
    const o = parseBase(circleShape, options, "Circle", "circle");
    super(o);
    this.gamma = o.gamma;
    this.margin = o.margin;
    this.removeDiagonal = o.removeDiagonal;
  }
  protected override args(): { gamma: number; margin: number; removeDiagonal: boolean } {
    return { gamma: this.gamma, margin: this.margin, removeDiagonal: this.removeDiagonal };
  }
  /**
   * Rebuilds a loss from its config.
   *
   * @param config - a config object
   * @returns the loss
   * @throws {@link InvalidOptionsError} for a bad config
   * @example
   * ```ts
   * Circle.fromConfig({ gamma: 64 }).gamma; // => 64
   * ```
   */
  static fromConfig(config: CircleLossOptions): Circle {
    return new Circle(config);
  }
}
