import { z } from "zod";
import { describe, parseOptions } from "./parseOptions.js";

/**
 * Options of {@link HingeLoss} and of the functional `hingeLoss`.
 *
 * @example
 * ```ts
 * const options: HingeLossOptions = { squared: true, multiclassMode: "one-vs-all", numClasses: 3 };
 * ```
 */
export interface HingeLossOptions {
  /** Square each sample's hinge measure (`max(0, 1 - margin)²`). Default `false`. */
  squared?: boolean;
  /**
   * How a multiclass sample is scored: `"crammer-singer"` (default) uses the margin of the true class over
   * the best other class; `"one-vs-all"` scores each class as its own binary problem and gives one value per
   * class.
   */
  multiclassMode?: "crammer-singer" | "one-vs-all";
  /** Pins the task to multiclass with this many classes (integer ≥ 2). */
  numClasses?: number;
  /** Samples whose target equals this integer are skipped and not counted. */
  ignoreIndex?: number;
}

/**
 * Options after parsing: every key present, `null` where unset. This is the form stored in a state.
 *
 * @example
 * ```ts
 * const resolved: ResolvedHingeLossOptions = {
 *   squared: false, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: null,
 * };
 * ```
 */
export interface ResolvedHingeLossOptions {
  /** See {@link HingeLossOptions.squared}. */
  squared: boolean;
  /** See {@link HingeLossOptions.multiclassMode}. */
  multiclassMode: "crammer-singer" | "one-vs-all";
  /** See {@link HingeLossOptions.numClasses}; `null` when not pinned. */
  numClasses: number | null;
  /** See {@link HingeLossOptions.ignoreIndex}; `null` when unset. */
  ignoreIndex: number | null;
}

/**
 * The zod schema of {@link HingeLossOptions} (strict: an unknown key is an error).
 *
 * @example
 * ```ts
 * hingeLossOptionsSchema.parse({}).multiclassMode; // => "crammer-singer"
 * ```
 */
export const hingeLossOptionsSchema = z.strictObject({
  squared: z.boolean({ error: (i) => `squared must be a boolean, got ${describe(i.input)}` }).default(false),
  multiclassMode: z
    // Case-insensitive, as torchmetrics' MulticlassMode ("ONE-VS-ALL" is accepted there too).
    .preprocess(
      (v) => (typeof v === "string" ? v.toLowerCase() : v),
      z.enum(["crammer-singer", "one-vs-all"], {
        error: (i) => `multiclassMode must be "crammer-singer" or "one-vs-all", got ${describe(i.input)}`,
      }),
    )
    .default("crammer-singer"),
  numClasses: z
    .number({ error: (i) => `numClasses must be an integer ≥ 2, got ${describe(i.input)}` })
    .int({ error: (i) => `numClasses must be an integer ≥ 2, got ${describe(i.input)}` })
    .min(2, { error: (i) => `numClasses must be an integer ≥ 2, got ${describe(i.input)}` })
    .max(1 << 24, { error: "numClasses must be at most 16777216" })
    .nullish()
    .transform((v) => v ?? null),
  ignoreIndex: z
    .number({ error: (i) => `ignoreIndex must be an integer, got ${describe(i.input)}` })
    .int({ error: (i) => `ignoreIndex must be an integer, got ${describe(i.input)}` })
    .nullish()
    .transform((v) => v ?? null),
});

/**
 * Validates hinge-loss options and fills in the defaults.
 *
 * @param options - as given by the caller
 * @returns the resolved options
 * @throws {@link InvalidOptionsError} on an unknown key or a bad value
 * @example
 * ```ts
 * resolveHingeLossOptions({ squared: true });
 * // => { squared: true, multiclassMode: "crammer-singer", numClasses: null, ignoreIndex: null }
 * ```
 */
export function resolveHingeLossOptions(options: unknown): ResolvedHingeLossOptions {
  return parseOptions(hingeLossOptionsSchema, options, "HingeLoss");
}
