// The validation metrics of examples/penguins.ts (the workers get them as an empty JSON state).
import { HingeLoss, MetricCollection, MulticlassAccuracy, MulticlassF1Score } from "streammetrics";

/** Number of species (classes). */
export const CLASSES = 3;

/**
 * A fresh collection of the validation metrics: the Crammer–Singer hinge loss (the loss the model is trained
 * on), the accuracy and the F1 score (both macro-averaged over the species, torchmetrics' default).
 *
 * @returns the collection, empty
 * @example
 * ```ts
 * validationMetrics().names; // => ["loss", "accuracy", "f1"]
 * ```
 */
export function validationMetrics() {
  return new MetricCollection({
    loss: new HingeLoss({ numClasses: CLASSES }),
    accuracy: new MulticlassAccuracy({ numClasses: CLASSES }),
    f1: new MulticlassF1Score({ numClasses: CLASSES }),
  });
}

/** The value of {@link validationMetrics}: one number per member. */
export type ValidationValues = {
  readonly [K in keyof ReturnType<ReturnType<typeof validationMetrics>["compute"]>]: number;
};

/**
 * The collection's value with every member checked to be a single number (the hinge loss type also allows
 * one number per class, which the Crammer–Singer mode never gives).
 *
 * @param value - what `validationMetrics().compute()` returned
 * @returns the same values, typed as numbers
 * @throws Error for a member whose value is not a number
 * @example
 * ```ts
 * numbers(validationMetrics().update([[2, 0, 0], [0, 0, 2]], [0, 2]).compute());
 * // => { loss: 0, accuracy: 1, f1: 1 }
 * ```
 */
export function numbers(
  value: ReturnType<ReturnType<typeof validationMetrics>["compute"]>,
): ValidationValues {
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== "number") throw new Error(`validation metric ${name} gave ${String(v)}, not a number`);
  }
  return value as ValidationValues;
}
