import { MetricInputError, MetricStateError } from "../../errors/index.js";
import { HingeLoss as CoreHingeLoss, HingeLossMetric } from "../../metrics/index.js";
import { registerMetric } from "../../metrics/registry.js";
import { asFacadeState, checkGivenOptions, isCoreState } from "./coreState.js";
import {
  resolveMulticlassOptions,
  type MulticlassHingeLossOptions,
  type ResolvedMulticlassOptions,
} from "./options.js";
import { prepareMulticlass } from "./prepare.js";

/**
 * torchmetrics 1.x `MulticlassHingeLoss` on the streammetrics kernels: preds `(N, C, ...)` and class-index
 * targets `(N, ...)` (flattened as `movedim(1, -1).reshape(-1, C)`), Crammer–Singer or one-vs-all,
 * `squared`, `ignoreIndex`, and torchmetrics' per-batch softmax (`inputTransform: "auto"`). Everything else is
 * the core {@link CoreHingeLoss}: exact sums, `merge`, `toJSON`, `clone`, atomic updates.
 *
 * With `inputTransform: "auto"` the softmax is decided per batch (any value outside [0, 1] → softmax over the
 * classes of the whole batch), so the result depends on how the data is batched (torchmetrics issues #1604,
 * #2195). Pass `"softmax"` for logits or `"none"` for scores used as given.
 *
 * @example
 * ```ts
 * import { MulticlassHingeLoss } from "streammetrics/torchmetrics";
 * const preds = [[0.25, 0.2, 0.55], [0.55, 0.05, 0.4], [0.1, 0.3, 0.6], [0.9, 0.05, 0.05]];
 * new MulticlassHingeLoss({ numClasses: 3 }).update(preds, [0, 1, 2, 0]).compute(); // => 0.9125
 * new MulticlassHingeLoss({ numClasses: 3, multiclassMode: "one-vs-all" }).update(preds, [0, 1, 2, 0]).compute();
 * // => [0.875, 1.125, 1.1]
 * ```
 */
export class MulticlassHingeLoss extends HingeLossMetric {
  /** The kind written into states: its own, so a state reads back as this facade with its options. */
  static override readonly kind = "torchmetrics.MulticlassHingeLoss";
  /** The state format version. */
  static override readonly version = 1;
  /** The resolved torchmetrics options. */
  readonly torchOptions: Readonly<ResolvedMulticlassOptions>;

  /**
   * @param options - {@link MulticlassHingeLossOptions} (`numClasses` is required)
   * @throws {@link InvalidOptionsError} for an unknown key or a bad value (torchmetrics' messages)
   */
  constructor(options: MulticlassHingeLossOptions) {
    const resolved = resolveMulticlassOptions(options);
    super({
      squared: resolved.squared,
      multiclassMode: resolved.multiclassMode,
      numClasses: resolved.numClasses,
      ignoreIndex: resolved.ignoreIndex ?? undefined,
    });
    this.torchOptions = Object.freeze(resolved);
  }

  /**
   * Accumulates a batch (torchmetrics' `update`). Returns `this`.
   *
   * @param preds - scores `(N, C, ...)` (probabilities or logits)
   * @param target - class indices `(N, ...)` in [0, C) (or the ignore index)
   * @returns this metric
   * @throws {@link MetricInputError} naming the argument, the first bad position and what was expected; the
   * state is then unchanged
   * @example
   * ```ts
   * new MulticlassHingeLoss({ numClasses: 2 }).update([[0.75, 0.25]], [0]).compute(); // => 0.5
   * ```
   */
  override update(preds: unknown, target: unknown, ...rest: unknown[]): this {
    noWeights(rest[0]);
    const batch = prepareMulticlass(preds, target, this.torchOptions);
    return super.update(batch.preds, batch.target);
  }

  /**
   * The value of this batch alone (torchmetrics' `forward` / `__call__`); the batch is also accumulated.
   *
   * @param preds - scores `(N, C, ...)`
   * @param target - class indices `(N, ...)`
   * @returns the batch value (one per class for one-vs-all)
   * @throws {@link MetricInputError} for a bad batch; {@link MetricStateError} for a batch with no sample left
   * after `ignoreIndex` (torchmetrics returns NaN or raises). Nothing is accumulated when it throws.
   * @example
   * ```ts
   * new MulticlassHingeLoss({ numClasses: 2 }).forward([[0.75, 0.25]], [0]); // => 0.5
   * ```
   */
  override forward(preds: unknown, target: unknown, ...rest: unknown[]): number | number[] {
    noWeights(rest[0]);
    const batch = prepareMulticlass(preds, target, this.torchOptions);
    if (batch.samples === 0) {
      throw new MetricStateError(
        "MulticlassHingeLoss.forward(): the batch has no sample left after removing ignoreIndex, so it has no " +
          "value (torchmetrics returns NaN); nothing was accumulated",
      );
    }
    return super.forward(batch.preds, batch.target);
  }

  /**
   * torchmetrics' state name for Σ hinge: `measures` (one per class for one-vs-all), as float64.
   *
   * @example
   * ```ts
   * new MulticlassHingeLoss({ numClasses: 2 }).update([[0.75, 0.25]], [0]).measures; // => 0.5
   * ```
   */
  get measures(): number | number[] {
    return this.measure;
  }

  /**
   * The options written into states: the torchmetrics options (`inputTransform`, `validateArgs`, …), so
   * that `fromJSON`, `mergeStates` and `MetricCollection.fromJSON` give back this facade, transform included.
   *
   * @returns the resolved torchmetrics options
   */
  override stateOptions(): object {
    return this.torchOptions;
  }

  /**
   * Rebuilds a metric from a JSON state: its own (kind `"torchmetrics.MulticlassHingeLoss"`, options
   * included), or a core multiclass `HingeLoss` state with `numClasses` set (then `options` gives the
   * torchmetrics-only options).
   *
   * @param json - the state (untrusted: validated)
   * @param options - `validateArgs`, `inputTransform` for a core state (a facade state carries them: any given must agree)
   * @returns the metric
   * @throws {@link MetricStateError} for a malformed state, one without `options.numClasses`, or `options`
   * with a facade state
   * @example
   * ```ts
   * const json = new MulticlassHingeLoss({ numClasses: 2 }).update([[0.75, 0.25]], [0]).toJSON();
   * MulticlassHingeLoss.fromJSON(json).compute(); // => 0.5
   * ```
   */
  static override fromJSON(
    json: unknown,
    options?: Pick<MulticlassHingeLossOptions, "validateArgs" | "inputTransform">,
  ): MulticlassHingeLoss {
    if (!isCoreState(json)) {
      const metric = super.fromJSON(json) as MulticlassHingeLoss;
      checkGivenOptions(metric.torchOptions, options);
      return metric;
    }
    const core = CoreHingeLoss.fromJSON(json);
    const C = core.options.numClasses;
    if (C === null) {
      throw new MetricStateError(
        "expected a multiclass HingeLoss state with options.numClasses set, got numClasses null",
      );
    }
    const metric = new MulticlassHingeLoss({
      ...options,
      numClasses: C,
      squared: core.options.squared,
      multiclassMode: core.options.multiclassMode,
      ignoreIndex: core.options.ignoreIndex,
    });
    return metric.merge(asFacadeState(core, metric));
  }
}

function noWeights(weights: unknown): void {
  if (weights !== undefined) {
    throw new MetricInputError(
      `MulticlassHingeLoss takes no sample weights (torchmetrics has none); use HingeLoss from "streammetrics" for weighted samples`,
    );
  }
}

registerMetric(MulticlassHingeLoss);
