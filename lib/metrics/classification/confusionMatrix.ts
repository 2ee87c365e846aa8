import { MetricStateError } from "../../errors/index.js";
import type { TensorLike } from "../../input/index.js";
import { count, type Count } from "../../state/index.js";
import { Metric } from "../Metric.js";
import { registerMetric } from "../registry.js";
import { BinaryClassificationMetric, noWeights, tooMany } from "./base.js";
import { multiclassUpdateKernel } from "./kernels.js";
import {
  resolveClassificationOptions,
  type BinaryConfusionMatrixOptions,
  type MulticlassConfusionMatrixOptions,
  type Resolved,
} from "./options.js";
import { normalizedConfusion } from "./reduce.js";
import { oneShot, oneShotTask, taskWrapper } from "./task.js";

/**
 * Binary confusion matrix (torchmetrics' `BinaryConfusionMatrix`): `[[tn, fp], [fn, tp]]` (rows are targets,
 * columns predictions), exact counts, or normalised over targets (`"true"`), predictions (`"pred"`) or all
 * (`"all"`); a row or column without samples normalises to zeros.
 *
 * @example
 * ```ts
 * new BinaryConfusionMatrix().update([0.9, 0.8, 0.3, 0.1], [1, 0, 1, 0]).compute(); // => [[1, 1], [1, 1]]
 * new BinaryConfusionMatrix({ normalize: "true" }).update([0.9, 0.8, 0.1], [1, 0, 0]).compute();
 * // => [[0.5, 0.5], [0, 1]]
 * ```
 */
export class BinaryConfusionMatrix extends BinaryClassificationMetric<
  number[][],
  Resolved<"binaryConfusion">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "BinaryConfusionMatrix";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link BinaryConfusionMatrixOptions}
   * @throws {@link InvalidOptionsError} on an unknown key or a bad value
   */
  constructor(options: BinaryConfusionMatrixOptions = {}) {
    super(resolveClassificationOptions("binaryConfusion", options, "BinaryConfusionMatrix"));
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number[][] {
    const [tp, fp, tn, fn] = this.counts();
    return normalizedConfusion([tn, fp, fn, tp], 2, this.options.normalize);
  }
}
registerMetric(BinaryConfusionMatrix);

/**
 * The state of `MulticlassConfusionMatrix`: `C × C` exact counts, row-major (row = target). JSON:
 * `{ confmat: [...] }`.
 *
 * @example
 * ```ts
 * new MulticlassConfusionMatrix({ numClasses: 2 }).update([1], [0]).toJSON().confmat; // => [0, 1, 0, 0]
 * ```
 */
export interface ConfusionState {
  /** The counts, `confmat[target * C + pred]`. */
  confmat: Count;
}

/**
 * Multiclass confusion matrix (torchmetrics' `MulticlassConfusionMatrix`): `C × C` exact counts (rows are
 * targets, columns predictions), or normalised over targets (`"true"`), predictions (`"pred"`) or all
 * (`"all"`); a row or column without samples normalises to zeros. Preds are labels `(N)` or scores `(N, C)`
 * (argmax, first of ties).
 *
 * @example
 * ```ts
 * const m = new MulticlassConfusionMatrix({ numClasses: 3 });
 * m.update([2, 1, 0, 1], [2, 1, 0, 0]).compute(); // => [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
 * ```
 */
export class MulticlassConfusionMatrix extends Metric<
  number[][],
  ConfusionState,
  Resolved<"multiclassConfusion">
> {
  /** The registry key (torchmetrics' class name). */
  static readonly kind = "MulticlassConfusionMatrix";
  /** The state format version. */
  static readonly version = 1;

  /**
   * @param options - {@link MulticlassConfusionMatrixOptions} (`numClasses` required)
   * @throws {@link InvalidOptionsError} on an unknown key, a bad value or a missing `numClasses`
   */
  constructor(options: MulticlassConfusionMatrixOptions) {
    const resolved = resolveClassificationOptions(
      "multiclassConfusion",
      options,
      "MulticlassConfusionMatrix",
    );
    super(resolved);
    this.addState("confmat", count(resolved.numClasses * resolved.numClasses));
  }

  /** {@inheritDoc Metric.updateState} */
  protected override updateState(preds: unknown, target: unknown, weights: unknown): void {
    noWeights(this.kind, weights);
    const counts = this.state.confmat.counts;
    const before = this.total();
    const n = multiclassUpdateKernel({ confmat: counts, tp: null, fp: null, fn: null }, preds, target, {
      ...this.options,
      topK: 1,
    });
    if (before + n > Number.MAX_SAFE_INTEGER) throw tooMany();
  }

  /** {@inheritDoc Metric.computeValue} */
  protected override computeValue(): number[][] {
    return normalizedConfusion(this.state.confmat.counts, this.options.numClasses, this.options.normalize);
  }

  /** {@inheritDoc Metric.validateState} */
  protected override validateState(): void {
    if (this.total() > Number.MAX_SAFE_INTEGER) {
      throw new MetricStateError(`invalid ${this.kind} state: the counts add up past 2^53 - 1`);
    }
  }

  private total(): number {
    let sum = 0;
    for (const v of this.state.confmat.counts) sum += v;
    return sum;
  }
}
registerMetric(MulticlassConfusionMatrix);

/**
 * The constructor type of {@link ConfusionMatrix}: `task` picks the class.
 *
 * @example
 * ```ts
 * const ctor: ConfusionMatrixConstructor = ConfusionMatrix;
 * ```
 */
export interface ConfusionMatrixConstructor {
  /** A {@link BinaryConfusionMatrix}. */
  new (options: { task: "binary" } & BinaryConfusionMatrixOptions): BinaryConfusionMatrix;
  /** A {@link MulticlassConfusionMatrix}. */
  new (options: { task: "multiclass" } & MulticlassConfusionMatrixOptions): MulticlassConfusionMatrix;
}

/**
 * torchmetrics' task wrapper: `new ConfusionMatrix({ task: "binary", … })` is a {@link BinaryConfusionMatrix},
 * `task: "multiclass"` a {@link MulticlassConfusionMatrix}.
 *
 * @example
 * ```ts
 * new ConfusionMatrix({ task: "binary" }) instanceof BinaryConfusionMatrix; // => true
 * ```
 */
export const ConfusionMatrix = taskWrapper(
  "ConfusionMatrix",
  BinaryConfusionMatrix,
  MulticlassConfusionMatrix,
) as ConfusionMatrixConstructor;

/**
 * Binary confusion matrix of one batch (torchmetrics' `binary_confusion_matrix`).
 *
 * @param preds - probabilities, labels, or logits with `inputTransform: "sigmoid"`
 * @param target - 0 or 1
 * @param options - {@link BinaryConfusionMatrixOptions}
 * @returns `[[tn, fp], [fn, tp]]`, normalised as asked
 * @throws {@link MetricInputError} for bad input
 * @example
 * ```ts
 * binaryConfusionMatrix([0.9, 0.2, 0.7], [1, 1, 0]); // => [[0, 1], [1, 1]]
 * ```
 */
export function binaryConfusionMatrix(
  preds: TensorLike,
  target: TensorLike,
  options: BinaryConfusionMatrixOptions = {},
): number[][] {
  return oneShot(BinaryConfusionMatrix, preds, target, options);
}

/**
 * Multiclass confusion matrix of one batch (torchmetrics' `multiclass_confusion_matrix`).
 *
 * @param preds - labels `(N)` or scores `(N, C)`
 * @param target - classes `(N)`
 * @param options - {@link MulticlassConfusionMatrixOptions}
 * @returns `C × C` rows (row = target), normalised as asked
 * @throws {@link InvalidOptionsError}, {@link MetricInputError} as the class
 * @example
 * ```ts
 * multiclassConfusionMatrix([[0.2, 0.8], [0.6, 0.4]], [1, 1], { numClasses: 2, normalize: "all" });
 * // => [[0, 0], [0.5, 0.5]]
 * ```
 */
export function multiclassConfusionMatrix(
  preds: TensorLike,
  target: TensorLike,
  options: MulticlassConfusionMatrixOptions,
): number[][] {
  return oneShot(MulticlassConfusionMatrix, preds, target, options);
}

/**
 * Confusion matrix of one batch for a `task` (torchmetrics' `confusion_matrix`).
 *
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task: "binary" | "multiclass", …the options of that task }`
 * @returns the matrix (row = target)
 * @throws {@link InvalidOptionsError} for a missing or unsupported task, and what the class throws
 * @example
 * ```ts
 * confusionMatrix([2, 0], [2, 1], { task: "multiclass", numClasses: 3 }); // => [[0, 0, 0], [1, 0, 0], [0, 0, 1]]
 * ```
 */
export function confusionMatrix(
  preds: TensorLike,
  target: TensorLike,
  options:
    | ({ task: "binary" } & BinaryConfusionMatrixOptions)
    | ({ task: "multiclass" } & MulticlassConfusionMatrixOptions),
): number[][] {
  return oneShotTask(
    "confusionMatrix",
    BinaryConfusionMatrix,
    MulticlassConfusionMatrix,
    preds,
    target,
    options,
  ) as number[][];
}
