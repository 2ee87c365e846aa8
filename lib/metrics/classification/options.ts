import { z } from "zod";
import { parseOptions } from "../../options/index.js";

/**
 * How a multiclass score is reduced over classes (torchmetrics' `average`): `"micro"` from counts summed over
 * classes, `"macro"` the mean over classes present, `"weighted"` the mean weighted by each class's support,
 * `"none"` one value per class.
 *
 * @example
 * ```ts
 * const average: Average = "none";
 * ```
 */
export type Average = "micro" | "macro" | "weighted" | "none";

/**
 * How a confusion matrix is normalised: over targets (`"true"`, each row sums to 1), over predictions
 * (`"pred"`, each column), over all cells (`"all"`), or not at all (`"none"`, integer counts).
 *
 * @example
 * ```ts
 * const normalize: Normalize = "true";
 * ```
 */
export type Normalize = "true" | "pred" | "all" | "none";

const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

const threshold = z
  .number({ error: (i) => `threshold must be a number in [0, 1], got ${show(i.input)}` })
  .min(0, { error: (i) => `threshold must be a number in [0, 1], got ${show(i.input)}` })
  .max(1, { error: (i) => `threshold must be a number in [0, 1], got ${show(i.input)}` })
  .default(0.5);

const ignoreIndex = z
  .number({ error: (i) => `ignoreIndex must be an integer, got ${show(i.input)}` })
  .int({ error: (i) => `ignoreIndex must be an integer, got ${show(i.input)}` })
  .nullish()
  .transform((v) => v ?? null);

const inputTransform = z
  .enum(["none", "sigmoid"], {
    error: (i) => `inputTransform must be "none" (probabilities) or "sigmoid" (logits), got ${show(i.input)}`,
  })
  .default("none");

const zeroDivision = z
  .union([z.literal(0), z.literal(1)], {
    error: (i) => `zeroDivision must be 0 or 1, got ${show(i.input)}`,
  })
  .default(0);

const beta = z
  .number({ error: (i) => `beta must be a positive finite number, got ${show(i.input)}` })
  .positive({ error: (i) => `beta must be a positive finite number, got ${show(i.input)}` });

const normalize = z
  .preprocess(
    (v: unknown) => (v === null ? "none" : v),
    z.enum(["true", "pred", "all", "none"], {
      error: (i) => `normalize must be "true", "pred", "all" or "none", got ${show(i.input)}`,
    }),
  )
  .default("none");

const average = z
  .preprocess(
    (v: unknown) => (v === null ? "none" : v),
    z.enum(["micro", "macro", "weighted", "none"], {
      error: (i) => `average must be "micro", "macro", "weighted" or "none", got ${show(i.input)}`,
    }),
  )
  .default("macro");

function numClasses(max: number) {
  const msg = (input: unknown): string =>
    input === undefined
      ? "numClasses is required: the number of classes, an integer ≥ 2"
      : `numClasses must be an integer in [2, ${max}], got ${show(input)}`;
  return z
    .number({ error: (i) => msg(i.input) })
    .int({ error: (i) => msg(i.input) })
    .min(2, { error: (i) => msg(i.input) })
    .max(max, { error: (i) => msg(i.input) });
}

const topK = z
  .number({ error: (i) => `topK must be an integer ≥ 1, got ${show(i.input)}` })
  .int({ error: (i) => `topK must be an integer ≥ 1, got ${show(i.input)}` })
  .min(1, { error: (i) => `topK must be an integer ≥ 1, got ${show(i.input)}` })
  .default(1);

const binaryShape = { threshold, ignoreIndex, inputTransform };
const multiclassShape = { numClasses: numClasses(1 << 20), average, topK, ignoreIndex };

function withTopK<S extends z.ZodRawShape & typeof multiclassShape>(shape: S) {
  return z.strictObject(shape).superRefine((value, ctx) => {
    const o = value as { topK: number; numClasses: number };
    if (o.topK > o.numClasses) {
      ctx.addIssue({
        code: "custom",
        path: ["topK"],
        message: `topK must be at most numClasses (${o.numClasses}), got ${o.topK}`,
      });
    }
  });
}

/**
 * The zod schemas of the classification options, by metric (strict: an unknown key is an error). The binary
 * ones take `threshold`, `ignoreIndex`, `inputTransform`; the multiclass ones `numClasses` (required),
 * `average`, `topK`, `ignoreIndex`; Precision, Recall and the F-scores add `zeroDivision`, the F-beta score
 * `beta` (required), the confusion matrices `normalize`.
 *
 * @example
 * ```ts
 * classificationSchemas.binary.parse({}).threshold; // => 0.5
 * ```
 */
export const classificationSchemas = {
  /** BinaryAccuracy, BinarySpecificity, BinaryStatScores. */
  binary: z.strictObject(binaryShape),
  /** BinaryPrecision, BinaryRecall, BinaryF1Score. */
  binaryZeroDivision: z.strictObject({ ...binaryShape, zeroDivision }),
  /** BinaryFBetaScore. */
  binaryFBeta: z.strictObject({ ...binaryShape, beta, zeroDivision }),
  /** BinaryConfusionMatrix. */
  binaryConfusion: z.strictObject({ threshold, ignoreIndex, inputTransform, normalize }),
  /** MulticlassAccuracy, MulticlassSpecificity, MulticlassStatScores. */
  multiclass: withTopK(multiclassShape),
  /** MulticlassPrecision, MulticlassRecall, MulticlassF1Score. */
  multiclassZeroDivision: withTopK({ ...multiclassShape, zeroDivision }),
  /** MulticlassFBetaScore. */
  multiclassFBeta: withTopK({ ...multiclassShape, beta, zeroDivision }),
  /** MulticlassConfusionMatrix (its state holds C × C counts: at most 8192 classes). */
  multiclassConfusion: z.strictObject({ numClasses: numClasses(8192), ignoreIndex, normalize }),
};

/**
 * The type of {@link classificationSchemas}: the schema names are the keys of {@link Resolved}.
 *
 * @example
 * ```ts
 * const name: keyof ClassificationSchemas = "multiclassFBeta";
 * ```
 */
export type ClassificationSchemas = typeof classificationSchemas;

/**
 * Options of the binary metrics (`BinaryAccuracy`, `BinarySpecificity`, `BinaryStatScores`, and the base of
 * the others).
 *
 * @example
 * ```ts
 * const options: BinaryOptions = { threshold: 0.7, ignoreIndex: -1 };
 * ```
 */
export interface BinaryOptions {
  /** A probability above it (strictly) is a positive prediction. Default 0.5; in [0, 1]. */
  threshold?: number;
  /** Samples whose target equals it are skipped (their preds must still be finite numbers). */
  ignoreIndex?: number | null;
  /**
   * `"none"` (default): float preds are probabilities in [0, 1], and a value outside is an error.
   * `"sigmoid"`: float preds are logits, mapped through a sigmoid before the threshold (every batch alike).
   */
  inputTransform?: "none" | "sigmoid";
}

/**
 * Options of `BinaryPrecision`, `BinaryRecall` and `BinaryF1Score`.
 *
 * @example
 * ```ts
 * const options: BinaryZeroDivisionOptions = { zeroDivision: 1 };
 * ```
 */
export interface BinaryZeroDivisionOptions extends BinaryOptions {
  /** The value of a score whose denominator is 0 although samples were counted: 0 (default) or 1. */
  zeroDivision?: 0 | 1;
}

/**
 * Options of `BinaryFBetaScore`.
 *
 * @example
 * ```ts
 * const options: BinaryFBetaOptions = { beta: 2 };
 * ```
 */
export interface BinaryFBetaOptions extends BinaryZeroDivisionOptions {
  /** The weight of recall against precision (required, > 0). */
  beta: number;
}

/**
 * Options of `BinaryConfusionMatrix`.
 *
 * @example
 * ```ts
 * const options: BinaryConfusionMatrixOptions = { normalize: "true" };
 * ```
 */
export interface BinaryConfusionMatrixOptions extends BinaryOptions {
  /** See {@link Normalize}; default `"none"` (integer counts). */
  normalize?: Normalize | null;
}

/**
 * Options of the multiclass metrics (`MulticlassAccuracy`, `MulticlassSpecificity`, `MulticlassStatScores`,
 * and the base of the others).
 *
 * @typeParam A - the `average`, which fixes the type of the value
 * @example
 * ```ts
 * const options: MulticlassOptions = { numClasses: 3, average: "micro" };
 * ```
 */
export interface MulticlassOptions<A extends Average = Average> {
  /** The number of classes (required, an integer ≥ 2). */
  numClasses: number;
  /** See {@link Average}; default `"macro"` (torchmetrics 1.x). `null` is `"none"`. */
  average?: A | null;
  /**
   * With (N, C) scores: a sample whose target is among its `topK` best scores counts as a hit on its target;
   * any other predicts its best class (torchmetrics 1.9). Default 1; at most `numClasses`.
   */
  topK?: number;
  /** Samples whose target equals it are skipped (their preds must still be finite numbers). */
  ignoreIndex?: number | null;
}

/**
 * Options of `MulticlassPrecision`, `MulticlassRecall` and `MulticlassF1Score`.
 *
 * @typeParam A - the `average`
 * @example
 * ```ts
 * const options: MulticlassZeroDivisionOptions = { numClasses: 3, zeroDivision: 1 };
 * ```
 */
export interface MulticlassZeroDivisionOptions<A extends Average = Average> extends MulticlassOptions<A> {
  /** The value of a class's score whose denominator is 0: 0 (default) or 1. */
  zeroDivision?: 0 | 1;
}

/**
 * Options of `MulticlassFBetaScore`.
 *
 * @typeParam A - the `average`
 * @example
 * ```ts
 * const options: MulticlassFBetaOptions = { numClasses: 3, beta: 0.5 };
 * ```
 */
export interface MulticlassFBetaOptions<
  A extends Average = Average,
> extends MulticlassZeroDivisionOptions<A> {
  /** The weight of recall against precision (required, > 0). */
  beta: number;
}

/**
 * Options of `MulticlassConfusionMatrix`.
 *
 * @example
 * ```ts
 * const options: MulticlassConfusionMatrixOptions = { numClasses: 4, normalize: "pred" };
 * ```
 */
export interface MulticlassConfusionMatrixOptions {
  /** The number of classes (required, an integer in [2, 8192]). */
  numClasses: number;
  /** Samples whose target equals it are skipped. */
  ignoreIndex?: number | null;
  /** See {@link Normalize}; default `"none"` (integer counts). */
  normalize?: Normalize | null;
}

/**
 * The resolved options of a classification metric: every key present, as stored in its JSON state.
 *
 * @typeParam K - which schema of {@link classificationSchemas}
 * @example
 * ```ts
 * const resolved: Resolved<"binary"> = { threshold: 0.5, ignoreIndex: null, inputTransform: "none" };
 * ```
 */
export type Resolved<K extends keyof ClassificationSchemas> = z.output<ClassificationSchemas[K]>;

/**
 * Validates classification options against one of {@link classificationSchemas} and fills in defaults.
 *
 * @param which - the schema's name
 * @param options - as given
 * @param owner - the metric's name, for messages
 * @returns the resolved options
 * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing required option
 * @example
 * ```ts
 * resolveClassificationOptions("multiclass", { numClasses: 3 }, "MulticlassAccuracy");
 * // => { numClasses: 3, average: "macro", topK: 1, ignoreIndex: null }
 * ```
 */
export function resolveClassificationOptions<K extends keyof ClassificationSchemas>(
  which: K,
  options: unknown,
  owner: string,
): Resolved<K> {
  return parseOptions(classificationSchemas[which] as z.ZodObject, options, owner) as Resolved<K>;
}

/**
 * The value of a multiclass score metric: one number, or one per class when `average` is `"none"`.
 *
 * @typeParam A - the `average`
 * @example
 * ```ts
 * const perClass: Averaged<"none"> = [0.5, 1, 1];
 * ```
 */
export type Averaged<A extends Average> = A extends "none" ? number[] : number;

/**
 * The task of a task wrapper (`Accuracy({ task })`, …). torchmetrics' `"multilabel"` is not supported yet.
 *
 * @example
 * ```ts
 * const task: Task = "multiclass";
 * ```
 */
export type Task = "binary" | "multiclass";
