import { z } from "zod";
import { parseOptions } from "../../options/index.js";

const show = (v: unknown): string => (typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v)));

const numOutputs = z
  .number({ error: (i) => `numOutputs must be an integer ≥ 1, got ${show(i.input)}` })
  .int({ error: (i) => `numOutputs must be an integer ≥ 1, got ${show(i.input)}` })
  .min(1, { error: (i) => `numOutputs must be an integer ≥ 1, got ${show(i.input)}` })
  .max(1 << 20, { error: "numOutputs must be at most 1048576" })
  .default(1);

/**
 * Options of `MeanSquaredError` (torchmetrics' `squared`, `num_outputs`).
 *
 * @typeParam K - the number of outputs (1: `compute()` is a number; more: one value per output)
 * @example
 * ```ts
 * const options: MeanSquaredErrorOptions = { squared: false };
 * new MeanSquaredError(options).update([0, 0], [3, 4]).compute(); // => 3.5355339059327378
 * ```
 */
export interface MeanSquaredErrorOptions<K extends number = number> {
  /** `true` (default): the mean squared error; `false`: its square root (RMSE). */
  squared?: boolean;
  /** Outputs (columns) of `(N, numOutputs)` inputs, each with its own value; default 1 (every element pooled). */
  numOutputs?: K;
}

/**
 * Options of `MeanAbsoluteError` (torchmetrics' `num_outputs`).
 *
 * @typeParam K - the number of outputs
 * @example
 * ```ts
 * const options: MeanAbsoluteErrorOptions = { numOutputs: 2 };
 * new MeanAbsoluteError(options).update([[1, 2]], [[0, 0]]).compute(); // => [1, 2]
 * ```
 */
export interface MeanAbsoluteErrorOptions<K extends number = number> {
  /** See {@link MeanSquaredErrorOptions.numOutputs}. */
  numOutputs?: K;
}

/**
 * How `R2Score` combines several outputs (scikit-learn's and torchmetrics' names).
 *
 * @example
 * ```ts
 * const m: Multioutput = "raw_values";
 * new R2Score({ multioutput: m }).update([[1, 2], [2, 3], [3, 5]], [[1, 2], [2, 4], [3, 5]]).compute(); // => [1, 0.7857142857142857]
 * ```
 */
export type Multioutput = "uniform_average" | "raw_values" | "variance_weighted";

/**
 * Options of `R2Score` (torchmetrics' `multioutput`, `adjusted`).
 *
 * @typeParam M - the multioutput mode (`"raw_values"`: `compute()` is one value per output)
 * @example
 * ```ts
 * const options: R2ScoreOptions = { adjusted: 1 };
 * new R2Score(options).update([1, 2, 3, 5], [1, 2, 4, 5]).compute(); // => 0.85
 * ```
 */
export interface R2ScoreOptions<M extends Multioutput = Multioutput> {
  /** `"uniform_average"` (default), `"raw_values"` or `"variance_weighted"`. */
  multioutput?: M;
  /** Independent regressors for the adjusted R² (integer ≥ 0; default 0: the plain R²). */
  adjusted?: number;
}

/**
 * The resolved options of a `MeanSquaredError`, as written into its states.
 *
 * @example
 * ```ts
 * const r: ResolvedMeanSquaredErrorOptions = new MeanSquaredError().options;
 * r; // => { squared: true, numOutputs: 1 }
 * ```
 */
export interface ResolvedMeanSquaredErrorOptions {
  /** See {@link MeanSquaredErrorOptions.squared}. */
  squared: boolean;
  /** See {@link MeanSquaredErrorOptions.numOutputs}. */
  numOutputs: number;
}

/**
 * The resolved options of a `MeanAbsoluteError`.
 *
 * @example
 * ```ts
 * const r: ResolvedMeanAbsoluteErrorOptions = new MeanAbsoluteError().options;
 * r; // => { numOutputs: 1 }
 * ```
 */
export interface ResolvedMeanAbsoluteErrorOptions {
  /** See {@link MeanAbsoluteErrorOptions.numOutputs}. */
  numOutputs: number;
}

/**
 * The resolved options of an `R2Score`.
 *
 * @example
 * ```ts
 * const r: ResolvedR2ScoreOptions = new R2Score().options;
 * r; // => { multioutput: "uniform_average", adjusted: 0 }
 * ```
 */
export interface ResolvedR2ScoreOptions {
  /** See {@link R2ScoreOptions.multioutput}. */
  multioutput: Multioutput;
  /** See {@link R2ScoreOptions.adjusted}. */
  adjusted: number;
}

/**
 * The zod schema of {@link MeanSquaredErrorOptions} (strict).
 *
 * @example
 * ```ts
 * meanSquaredErrorOptionsSchema.parse({ squared: false }); // => { squared: false, numOutputs: 1 }
 * ```
 */
export const meanSquaredErrorOptionsSchema = z.strictObject({
  squared: z.boolean({ error: (i) => `squared must be a boolean, got ${show(i.input)}` }).default(true),
  numOutputs,
});

/**
 * The zod schema of {@link MeanAbsoluteErrorOptions} (strict).
 *
 * @example
 * ```ts
 * meanAbsoluteErrorOptionsSchema.parse({}); // => { numOutputs: 1 }
 * ```
 */
export const meanAbsoluteErrorOptionsSchema = z.strictObject({ numOutputs });

/**
 * The zod schema of {@link R2ScoreOptions} (strict).
 *
 * @example
 * ```ts
 * r2ScoreOptionsSchema.parse({ adjusted: 2 }); // => { multioutput: "uniform_average", adjusted: 2 }
 * ```
 */
export const r2ScoreOptionsSchema = z.strictObject({
  multioutput: z
    .enum(["uniform_average", "raw_values", "variance_weighted"], {
      error: (i) =>
        `multioutput must be "uniform_average", "raw_values" or "variance_weighted", got ${show(i.input)}`,
    })
    .default("uniform_average"),
  adjusted: z
    .number({ error: (i) => `adjusted must be an integer ≥ 0, got ${show(i.input)}` })
    .int({ error: (i) => `adjusted must be an integer ≥ 0, got ${show(i.input)}` })
    .min(0, { error: (i) => `adjusted must be an integer ≥ 0, got ${show(i.input)}` })
    .max(Number.MAX_SAFE_INTEGER, { error: "adjusted must be at most 2^53 - 1" })
    .default(0),
});

/**
 * Validates and resolves `MeanSquaredError` options.
 *
 * @param options - the options as given
 * @returns the resolved options
 * @throws `InvalidOptionsError` naming the option and what is allowed
 * @example
 * ```ts
 * resolveMeanSquaredErrorOptions({ numOutputs: 2 }); // => { squared: true, numOutputs: 2 }
 * ```
 */
export function resolveMeanSquaredErrorOptions(options: unknown): ResolvedMeanSquaredErrorOptions {
  return parseOptions(meanSquaredErrorOptionsSchema, options, "MeanSquaredError");
}

/**
 * Validates and resolves `MeanAbsoluteError` options.
 *
 * @param options - the options as given
 * @returns the resolved options
 * @throws `InvalidOptionsError` naming the option and what is allowed
 * @example
 * ```ts
 * resolveMeanAbsoluteErrorOptions(undefined); // => { numOutputs: 1 }
 * ```
 */
export function resolveMeanAbsoluteErrorOptions(options: unknown): ResolvedMeanAbsoluteErrorOptions {
  return parseOptions(meanAbsoluteErrorOptionsSchema, options, "MeanAbsoluteError");
}

/**
 * Validates and resolves `R2Score` options.
 *
 * @param options - the options as given
 * @returns the resolved options
 * @throws `InvalidOptionsError` naming the option and what is allowed
 * @example
 * ```ts
 * resolveR2ScoreOptions({ multioutput: "raw_values" }); // => { multioutput: "raw_values", adjusted: 0 }
 * ```
 */
export function resolveR2ScoreOptions(options: unknown): ResolvedR2ScoreOptions {
  return parseOptions(r2ScoreOptionsSchema, options, "R2Score");
}
