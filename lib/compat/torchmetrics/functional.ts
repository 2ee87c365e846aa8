import { BinaryHingeLoss } from "./BinaryHingeLoss.js";
import { HingeLoss } from "./HingeLoss.js";
import { MulticlassHingeLoss } from "./MulticlassHingeLoss.js";
import type { BinaryHingeLossOptions, HingeLossTaskOptions, MulticlassHingeLossOptions } from "./options.js";

/**
 * torchmetrics 1.x `binary_hinge_loss(preds, target, ...)`: the one-shot value of a batch. As in
 * torchmetrics, the functional form defaults to `validateArgs: false` (which only lets integer-typed preds
 * through here: targets are always checked).
 *
 * @param preds - probabilities or logits `(N, ...)`
 * @param target - 0/1 labels, the same shape
 * @param options - {@link BinaryHingeLossOptions}
 * @returns the mean hinge loss
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} (no sample)
 * @example
 * ```ts
 * binaryHingeLoss([0.25, 0.25, 0.55, 0.75, 0.75], [0, 0, 1, 1, 1], { squared: true }); // => 0.6905
 * ```
 */
export function binaryHingeLoss(preds: unknown, target: unknown, options?: BinaryHingeLossOptions): number {
  return new BinaryHingeLoss({ validateArgs: false, ...options }).update(preds, target).compute();
}

/**
 * torchmetrics 1.x `multiclass_hinge_loss(preds, target, num_classes, ...)`: the one-shot value of a batch
 * (defaults to `validateArgs: false`, as torchmetrics' functional form).
 *
 * @param preds - scores `(N, C, ...)`
 * @param target - class indices `(N, ...)`
 * @param options - {@link MulticlassHingeLossOptions} (`numClasses` required)
 * @returns the mean hinge loss (one per class for one-vs-all)
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} (no sample)
 * @example
 * ```ts
 * const preds = [[0.25, 0.2, 0.55], [0.55, 0.05, 0.4], [0.1, 0.3, 0.6], [0.9, 0.05, 0.05]];
 * multiclassHingeLoss(preds, [0, 1, 2, 0], { numClasses: 3 }); // => 0.9125
 * ```
 */
export function multiclassHingeLoss(
  preds: unknown,
  target: unknown,
  options: MulticlassHingeLossOptions,
): number | number[] {
  return new MulticlassHingeLoss({ validateArgs: false, ...options }).update(preds, target).compute();
}

/**
 * torchmetrics 1.x `hinge_loss(preds, target, task, ...)`: the one-shot value of a batch for the given task
 * (`validateArgs` defaults to `true` here, as in torchmetrics).
 *
 * @param preds - binary `(N, ...)` or multiclass `(N, C, ...)` scores
 * @param target - labels
 * @param options - `task` plus the options of the task class
 * @returns the mean hinge loss (one per class for one-vs-all)
 * @throws {@link InvalidOptionsError}, {@link MetricInputError}, {@link MetricStateError} (no sample)
 * @example
 * ```ts
 * hingeLoss([0.5, 0.7, 0.1], [0, 1, 1], { task: "binary" }); // => 0.9
 * ```
 */
export function hingeLoss(preds: unknown, target: unknown, options: HingeLossTaskOptions): number | number[] {
  return HingeLoss(options).update(preds, target).compute();
}
