import { z } from "zod";
import { describe, invalidOption, parseOptions } from "../../options/index.js";

/**
 * How predictions are turned into the scores the hinge is taken of:
 *
 * - `"auto"` (default) reproduces torchmetrics 1.x: when any (non-ignored) value of a batch lies outside
 *   [0, 1], a sigmoid (binary) or a softmax over the classes (multiclass) is applied to the whole batch;
 *   otherwise the batch is used as it is. The decision is taken **per batch**, so the same data batched
 *   differently can give another result (torchmetrics issues #1604, #2195);
 * - `"none"`: scores are used as given (decision values, the hinge loss of scikit-learn and of legacy
 *   torchmetrics);
 * - `"sigmoid"` (binary) / `"softmax"` (multiclass): always applied, whatever the range of the batch.
 *
 * @example
 * ```ts
 * const transform: InputTransform = "sigmoid";
 * ```
 */
export type InputTransform = "auto" | "none" | "sigmoid" | "softmax";

/**
 * Options of {@link BinaryHingeLoss} (torchmetrics 1.x `BinaryHingeLoss(squared, ignore_index, validate_args)`).
 *
 * @example
 * ```ts
 * const options: BinaryHingeLossOptions = { squared: true, ignoreIndex: -1, inputTransform: "sigmoid" };
 * ```
 */
export interface BinaryHingeLossOptions {
  /** Square each sample's hinge (`squared=True`). Default `false`. */
  squared?: boolean;
  /** Targets equal to this integer are removed before the transform decision and before counting. */
  ignoreIndex?: number | null;
  /**
   * torchmetrics' `validate_args`. Default `true`. With `false`, integer-typed preds are accepted (and never
   * transformed, as in torch). Targets, shapes and finiteness are checked either way: where torch computes
   * nonsense without validation (a target of 2 or -1 read as positive), we raise an error.
   */
  validateArgs?: boolean;
  /** `"auto"` (default), `"none"` or `"sigmoid"`; see {@link InputTransform}. */
  inputTransform?: "auto" | "none" | "sigmoid";
}

/**
 * Options of {@link MulticlassHingeLoss} (torchmetrics 1.x
 * `MulticlassHingeLoss(num_classes, squared, multiclass_mode, ignore_index, validate_args)`).
 *
 * @example
 * ```ts
 * const options: MulticlassHingeLossOptions = { numClasses: 3, multiclassMode: "one-vs-all" };
 * ```
 */
export interface MulticlassHingeLossOptions {
  /** The number of classes C (integer ≥ 2); preds have shape `(N, C, ...)`. Required. */
  numClasses: number;
  /** Square each sample's hinge (`squared=True`). Default `false`. */
  squared?: boolean;
  /** `"crammer-singer"` (default) or `"one-vs-all"` (one value per class). */
  multiclassMode?: "crammer-singer" | "one-vs-all";
  /** Samples whose target equals this integer are removed before the transform decision and counting. */
  ignoreIndex?: number | null;
  /** torchmetrics' `validate_args`; see {@link BinaryHingeLossOptions.validateArgs}. Default `true`. */
  validateArgs?: boolean;
  /** `"auto"` (default), `"none"` or `"softmax"`; see {@link InputTransform}. */
  inputTransform?: "auto" | "none" | "softmax";
}

/**
 * Options of the task wrapper {@link HingeLoss} (torchmetrics 1.x `HingeLoss(task=...)`): the options of
 * the task class plus `task`.
 *
 * @example
 * ```ts
 * const options: HingeLossTaskOptions = { task: "multiclass", numClasses: 3, squared: true };
 * ```
 */
export type HingeLossTaskOptions = BinaryTaskOptions | MulticlassTaskOptions;

/**
 * `HingeLoss({ task: "binary", ... })`. As in torchmetrics, `numClasses` and `multiclassMode` are accepted
 * and ignored for the binary task.
 *
 * @example
 * ```ts
 * const options: BinaryTaskOptions = { task: "binary", squared: true };
 * ```
 */
export interface BinaryTaskOptions extends BinaryHingeLossOptions {
  /** The task. */
  task: "binary";
  /** Ignored for the binary task (as in torchmetrics). */
  numClasses?: number | null;
  /** Ignored for the binary task (as in torchmetrics). */
  multiclassMode?: "crammer-singer" | "one-vs-all";
}

/**
 * `HingeLoss({ task: "multiclass", numClasses, ... })`.
 *
 * @example
 * ```ts
 * const options: MulticlassTaskOptions = { task: "multiclass", numClasses: 3 };
 * ```
 */
export interface MulticlassTaskOptions extends MulticlassHingeLossOptions {
  /** The task. */
  task: "multiclass";
}

/**
 * {@link BinaryHingeLossOptions} after validation: every key present, `null` where unset.
 *
 * @example
 * ```ts
 * const o: ResolvedBinaryOptions = { squared: false, ignoreIndex: null, validateArgs: true, inputTransform: "auto" };
 * ```
 */
export interface ResolvedBinaryOptions {
  /** See {@link BinaryHingeLossOptions.squared}. */
  squared: boolean;
  /** See {@link BinaryHingeLossOptions.ignoreIndex}; `null` when unset. */
  ignoreIndex: number | null;
  /** See {@link BinaryHingeLossOptions.validateArgs}. */
  validateArgs: boolean;
  /** See {@link BinaryHingeLossOptions.inputTransform}. */
  inputTransform: "auto" | "none" | "sigmoid";
}

/**
 * {@link MulticlassHingeLossOptions} after validation: every key present, `null` where unset.
 *
 * @example
 * ```ts
 * resolveMulticlassOptions({ numClasses: 3 });
 * // => { numClasses: 3, squared: false, multiclassMode: "crammer-singer", ignoreIndex: null,
 * //      validateArgs: true, inputTransform: "auto" }
 * ```
 */
export interface ResolvedMulticlassOptions {
  /** See {@link MulticlassHingeLossOptions.numClasses}. */
  numClasses: number;
  /** See {@link MulticlassHingeLossOptions.squared}. */
  squared: boolean;
  /** See {@link MulticlassHingeLossOptions.multiclassMode}. */
  multiclassMode: "crammer-singer" | "one-vs-all";
  /** See {@link MulticlassHingeLossOptions.ignoreIndex}; `null` when unset. */
  ignoreIndex: number | null;
  /** See {@link MulticlassHingeLossOptions.validateArgs}. */
  validateArgs: boolean;
  /** See {@link MulticlassHingeLossOptions.inputTransform}. */
  inputTransform: "auto" | "none" | "softmax";
}

const squared = z
  .boolean({ error: (i) => `Expected argument \`squared\` to be an bool but got ${describe(i.input)}` })
  .default(false);

const ignoreMessage = (i: { input: unknown }): string =>
  `Expected argument \`ignoreIndex\` to either be \`null\` or an integer, but got ${describe(i.input)}`;
const ignoreIndex = z
  .number({ error: ignoreMessage })
  .int({ error: ignoreMessage })
  .nullish()
  .transform((v) => v ?? null);

const validateArgs = z
  .boolean({ error: (i) => `Expected argument \`validateArgs\` to be a bool but got ${describe(i.input)}` })
  .default(true);

const classesMessage = (i: { input: unknown }): string =>
  `Expected argument \`numClasses\` to be an integer larger than 1, but got ${describe(i.input)}`;
const numClasses = z
  .number({ error: classesMessage })
  .int({ error: classesMessage })
  .min(2, { error: classesMessage })
  .max(1 << 24, { error: classesMessage });

const multiclassMode = z
  .enum(["crammer-singer", "one-vs-all"], {
    error: (i) =>
      `Expected argument \`multiclassMode\` to be one of ('crammer-singer', 'one-vs-all'), but got ${describe(i.input)}`,
  })
  .default("crammer-singer");

const binarySchema = z.strictObject({
  squared,
  ignoreIndex,
  validateArgs,
  inputTransform: z
    .enum(["auto", "none", "sigmoid"], {
      error: (i) =>
        `Expected argument \`inputTransform\` to be one of ('auto', 'none', 'sigmoid') for a binary hinge loss, but got ${describe(i.input)}`,
    })
    .default("auto"),
});

const multiclassSchema = z.strictObject({
  numClasses,
  squared,
  multiclassMode,
  ignoreIndex,
  validateArgs,
  inputTransform: z
    .enum(["auto", "none", "softmax"], {
      error: (i) =>
        `Expected argument \`inputTransform\` to be one of ('auto', 'none', 'softmax') for a multiclass hinge loss, but got ${describe(i.input)}`,
    })
    .default("auto"),
});

/**
 * Validates {@link BinaryHingeLossOptions} with torchmetrics' messages.
 *
 * @param options - as given
 * @returns the resolved options
 * @throws {@link InvalidOptionsError} for an unknown key or a bad value
 * @example
 * ```ts
 * resolveBinaryOptions({}).inputTransform; // => "auto"
 * ```
 */
export function resolveBinaryOptions(options: unknown): ResolvedBinaryOptions {
  return parseOptions(binarySchema, options, "BinaryHingeLoss");
}

/**
 * Validates {@link MulticlassHingeLossOptions} with torchmetrics' messages.
 *
 * @param options - as given (`numClasses` is required)
 * @returns the resolved options
 * @throws {@link InvalidOptionsError} for an unknown key, a missing `numClasses` or a bad value
 * @example
 * ```ts
 * resolveMulticlassOptions({ numClasses: 3 }).multiclassMode; // => "crammer-singer"
 * ```
 */
export function resolveMulticlassOptions(options: unknown): ResolvedMulticlassOptions {
  if (options === undefined) {
    throw invalidOption(
      "numClasses",
      "Expected argument `numClasses` to be an integer larger than 1, but got undefined",
    );
  }
  return parseOptions(multiclassSchema, options, "MulticlassHingeLoss");
}
