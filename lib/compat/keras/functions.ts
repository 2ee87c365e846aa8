/**
 * Keras 3 loss functions (`keras.losses.hinge`, `squared_hinge`, `categorical_hinge`,
 * `categorical_generalized_cross_entropy`, `circle`): per-sample values, computed in float64.
 *
 * The per-element formulas of Keras that the core kernels do not have live here, small and documented:
 * the label auto-conversion of `hinge` / `squared_hinge`, the `neg = max((1 - y)·p)` formula of
 * `categorical_hinge`, and the mean over the last axis.
 *
 * @module
 */
import { z } from "zod";
import { describe, invalidOption, parseOptions } from "../../options/index.js";
import { circleKernel, type CircleArgs } from "./circle.js";
import { toNested, type Nested, type DenseLike } from "./dense.js";
import { arithmetic } from "./dtype.js";
import { gce, hingeFamily, type Call, type KerasLossKind, type PerSample } from "./kernels.js";

export type { KerasLossKind } from "./kernels.js";

/** A bare call (no alignment), in float64 as Keras computes on float64 NumPy arrays. */
function bare(who: string): Call {
  return { who, align: false, ar: arithmetic("float64") };
}

/**
 * Per-sample values of one of the Keras loss functions.
 *
 * @param kind - which function
 * @param yTrue - labels
 * @param yPred - predictions
 * @param args - `q` for categorical GCE; gamma, margin, removeDiagonal, refLabels, refEmbeddings for circle
 * @param call - who calls, whether Keras's loss wrapper aligns ranks, and the arithmetic
 * @returns per-sample values and the Keras mask (circle only)
 * @throws {@link MetricInputError} for bad inputs and shapes Keras would broadcast across samples
 * @example
 * ```ts
 * perSample("hinge", [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], {}).values.data; // => Float64Array [1.1, 1.5]
 * ```
 */
export function perSample(
  kind: KerasLossKind,
  yTrue: unknown,
  yPred: unknown,
  args: { q?: number } & Partial<CircleArgs>,
  call: Call = bare(kind),
): PerSample {
  if (kind === "categorical_generalized_cross_entropy") return gce(yTrue, yPred, args.q ?? 0.5, call);
  if (kind === "circle") {
    return circleKernel(
      yTrue,
      yPred,
      {
        gamma: args.gamma ?? 80,
        margin: args.margin ?? 0.4,
        removeDiagonal: args.removeDiagonal ?? true,
        refLabels: args.refLabels,
        refEmbeddings: args.refEmbeddings,
      },
      call,
    );
  }
  return hingeFamily(kind, yTrue, yPred, call);
}

/**
 * Validates the `q` of the generalized cross-entropy: Keras requires `0 < q < 1`.
 *
 * @param q - the exponent
 * @returns q
 * @throws {@link InvalidOptionsError} outside (0, 1)
 * @example
 * ```ts
 * checkQ(0.5); // => 0.5
 * ```
 */
export function checkQ(q: number): number {
  if (!(typeof q === "number" && q > 0 && q < 1)) {
    throw invalidOption("q", `option q must be a number in the interval (0, 1), got ${describe(q)}`);
  }
  return q;
}

/**
 * Keras `hinge(y_true, y_pred)`: `mean(max(1 - y·p, 0), axis=-1)`, after the binary-label rule (if every
 * label of this call is 0 or 1, it becomes `2y - 1`; otherwise labels are used as given). Computed in
 * float64.
 *
 * A 1-D input is one sample (a number comes back); an `(N, 1)` column is N samples. Labels that broadcast
 * to the shape of `yPred` are broadcast, as Keras does. A `yTrue` of shape `(N)` with `yPred` `(N, 1)` is an
 * error: Keras's function would broadcast it to `(N, N)` and average every prediction against every label
 * (its loss class `Hinge` aligns the two; so does {@link Hinge} here).
 *
 * @param yTrue - labels, -1/1 or 0/1
 * @param yPred - decision values, same shape
 * @returns per-sample losses: a number for 1-D input, else nested arrays of the shape without the last axis
 * @throws {@link MetricInputError} for non-finite values, or shapes Keras would broadcast across samples
 * @example
 * ```ts
 * hinge([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => [1.1, 1.5]
 * hinge([-1, 1, 1], [0.6, -0.7, -0.5]); // => 1.5999999999999999
 * ```
 */
export function hinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("hinge", yTrue, yPred, {}, bare("hinge"));
  return toNested(values.data, values.shape);
}

/**
 * Keras `squared_hinge(y_true, y_pred)`: `mean(max(1 - y·p, 0)², axis=-1)`, with the same binary-label rule
 * and shape rules as {@link hinge}.
 *
 * @param yTrue - labels, -1/1 or 0/1
 * @param yPred - decision values, same shape
 * @returns per-sample losses (a number for 1-D input)
 * @throws {@link MetricInputError} for non-finite values, or shapes Keras would broadcast across samples
 * @example
 * ```ts
 * squaredHinge([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]); // => [1.4600000000000002, 2.2600000000000002]
 * ```
 */
export function squaredHinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("squared_hinge", yTrue, yPred, {}, bare("squaredHinge"));
  return toNested(values.data, values.shape);
}

/**
 * Keras `categorical_hinge(y_true, y_pred)`: `max(neg - pos + 1, 0)` with `pos = Σ y·p` and
 * `neg = max((1 - y)·p)` over the last axis. `yTrue` is one-hot (no label conversion).
 *
 * Keras quirk, kept on purpose: the true class enters the max as `(1 - 1)·p = 0`, so `neg ≥ 0`. When every
 * wrong-class score is negative this is larger than Crammer–Singer's `max(0, 1 - (p_t - max_{j≠t} p_j))`
 * (keras#8083); use `HingeLoss` from `streammetrics` for Crammer–Singer.
 *
 * @param yTrue - one-hot targets `(N, C)`
 * @param yPred - scores `(N, C)`
 * @returns per-sample losses
 * @throws {@link MetricInputError} for non-finite values, or shapes Keras would broadcast across samples
 * @example
 * ```ts
 * categoricalHinge([[0, 0, 1]], [[-1, -2, -0.5]]); // => [1.5] (Crammer–Singer: 0.5)
 * ```
 */
export function categoricalHinge(yTrue: DenseLike, yPred: DenseLike): Nested {
  const { values } = perSample("categorical_hinge", yTrue, yPred, {}, bare("categoricalHinge"));
  return toNested(values.data, values.shape);
}

/**
 * Keras `categorical_generalized_cross_entropy(y_true, y_pred, q)`: `(1 - p^q) / q` with `p` the predicted
 * probability of the true class, for `yPred` of any shape `(..., C)`: a batch `(N, C)` with labels `(N)`,
 * an image batch `(N, H, W, C)` with labels `(N, H, W)` (one loss per pixel), ...
 *
 * Labels of shape `(N, 1)` with `yPred` `(N, C)` are an error: Keras one-hot encodes them to `(N, 1, C)` and
 * broadcasts that to `(N, N, C)`, returning an N×N matrix instead of the N values its docstring promises.
 *
 * @param yTrue - integer class indices, of the shape of `yPred` without its last axis
 * @param yPred - class probabilities in [0, 1]
 * @param q - in (0, 1); towards 0 it behaves like cross-entropy, towards 1 like the mean absolute error
 * @returns per-prediction losses, of the shape of `yPred` without its last axis
 * @throws {@link InvalidOptionsError} for q outside (0, 1); {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * categoricalGeneralizedCrossEntropy([0, 1], [[0.25, 0.75], [0.36, 0.64]], 0.5); // => [1, 0.3999999999999999]
 * categoricalGeneralizedCrossEntropy([[0, 1]], [[[1, 0], [0.36, 0.64]]], 0.5); // => [[0, 0.3999999999999999]]
 * ```
 */
export function categoricalGeneralizedCrossEntropy(yTrue: DenseLike, yPred: DenseLike, q: number): Nested {
  const { values } = perSample(
    "categorical_generalized_cross_entropy",
    yTrue,
    yPred,
    { q: checkQ(q) },
    bare("categoricalGeneralizedCrossEntropy"),
  );
  return toNested(values.data, values.shape);
}

/**
 * Options of the {@link circle} function.
 *
 * @example
 * ```ts
 * const options: CircleOptions = { gamma: 80, margin: 0.4, removeDiagonal: true };
 * ```
 */
export interface CircleOptions {
  /** Scaling factor (default 80). */
  gamma?: number;
  /** Relaxation margin (default 0.4). */
  margin?: number;
  /** Drop the pairs (i, i) from the positives (default true); by position, also with references. */
  removeDiagonal?: boolean;
  /** Integer labels of the reference embeddings, `(M)` (default `yTrue`). */
  refLabels?: DenseLike;
  /** L2-normalised reference embeddings `(M, D)` (default `yPred`). */
  refEmbeddings?: DenseLike;
}

const finite = (what: string) => z.number().refine(Number.isFinite, `${what} must be a finite number`);

/**
 * The zod shape of the Circle options shared by the circle function and class (each wraps it in a strict
 * object: unknown keys are errors).
 *
 * @example
 * ```ts
 * Object.keys(circleShape); // => ["gamma", "margin", "removeDiagonal"]
 * ```
 */
export const circleShape = {
  gamma: finite("gamma").default(80),
  margin: finite("margin").default(0.4),
  removeDiagonal: z.boolean().default(true),
};

const circleOptionsSchema = z.strictObject({
  ...circleShape,
  refLabels: z.unknown().optional(),
  refEmbeddings: z.unknown().optional(),
});

/**
 * Keras `circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
 * margin=0.4)` (Sun et al. 2020): each embedding against a reference set (by default the batch itself).
 * With cosine distances `d = max(1 - p_i·r_k, 0)`, positives (same label) weigh `max(margin + d, 0)` at
 * `-γ·w·(margin - d)`, negatives `max(1 + margin - d, 0)` at `γ·w·(1 - margin - d)`, and the loss is
 * `softplus(logsumexp(pos) + logsumexp(neg))`. Computed in float64.
 *
 * @param yTrue - integer labels `(N)`
 * @param yPred - L2-normalised embeddings `(N, D)`
 * @param options - {@link CircleOptions}; unknown keys are errors
 * @returns per-sample losses
 * @throws {@link InvalidOptionsError} for bad options; {@link MetricInputError} for bad inputs
 * @example
 * ```ts
 * circle([0, 1], [[1, 0], [0, 1]]); // => [0, 0] (no positive pairs)
 * circle([0], [[1, 0]], { refLabels: [0, 1], refEmbeddings: [[0, 1], [0, 1]], removeDiagonal: false, gamma: 1 });
 * // => [1.0898667349636622]
 * ```
 */
export function circle(yTrue: DenseLike, yPred: DenseLike, options: CircleOptions = {}): number[] {
  const o = parseOptions(circleOptionsSchema, options, "circle");
  const { values } = perSample("circle", yTrue, yPred, o, bare("circle"));
  return Array.from(values.data);
}
