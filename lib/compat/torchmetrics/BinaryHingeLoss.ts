import { MetricInputError, MetricStateError } from "../../errors/index.js";
import { HingeLoss as CoreHingeLoss, HingeLossMetric } from "../../metrics/index.js";
import { registerMetric } from "../../metrics/registry.js";
import { asFacadeState, checkGivenOptions, isCoreState } from "./coreState.js";
import { resolveBinaryOptions, type BinaryHingeLossOptions, type ResolvedBinaryOptions } from "./options.js";
import { prepareBinary } from "./prepare.js";

function noWeights(weights: unknown, owner: string): void {
  if (weights !== undefined) {
    throw new MetricInputError(
      `${owner} takes no sample weights (torchmetrics has none); use HingeLoss from "streammetrics" for weighted samples`,
    );
  }
}

/**
 * torchmetrics 1.x `BinaryHingeLoss` on the streammetrics kernels: preds and target of the same shape
 * `(N, ...)` (flattened), targets 0/1, an optional `ignoreIndex`, `squared`, and torchmetrics' per-batch
 * sigmoid (`inputTransform: "auto"`). Everything else is the core {@link CoreHingeLoss}: exact sums, `merge`,
 * `toJSON`, `clone`, atomic updates.
 *
 * With `inputTransform: "auto"` (torchmetrics' behaviour) the sigmoid is decided per batch: a batch whose
 * values all lie in [0, 1] is read as probabilities, any other batch as logits. The result then depends on
 * how the data is batched (torchmetrics issues #1604, #2195). Pass `"sigmoid"` for logits or `"none"` for
 * probabilities to get the same answer however the stream is cut.
 *
 * @example
 * ```ts
 * import { BinaryHingeLoss } from "streammetrics/torchmetrics";
 * const metric = new BinaryHingeLoss();
 * metric.update([0.25, 0.25, 0.55, 0.75, 0.75], [0, 0, 1, 1, 1]);
 * metric.compute(); // => 0.69
 * ```
 */
export class BinaryHingeLoss extends HingeLossMetric<Record<never, never>> {
  /** The kind written into states: its own, so a state reads back as this facade with its options. */
  static override readonly kind = "torchmetrics.BinaryHingeLoss";
  /** The state format version. */
  static override readonly version = 1;
  /** The resolved torchmetrics options (`squared`, `ignoreIndex`, `validateArgs`, `inputTransform`). */
  readonly torchOptions: Readonly<ResolvedBinaryOptions>;

  /**
   * @param options - {@link BinaryHingeLossOptions}
   * @throws {@link InvalidOptionsError} for an unknown key or a bad value (torchmetrics' messages)
   */
  constructor(options?: BinaryHingeLossOptions) {
    const resolved = resolveBinaryOptions(options);
    super({ squared: resolved.squared, ignoreIndex: resolved.ignoreIndex ?? undefined });
    this.torchOptions = Object.freeze(resolved);
  }

  /**
   * Accumulates a batch (torchmetrics' `update`). Returns `this`.
   *
   * @param preds - probabilities or logits, shape `(N, ...)`, in any accepted tensor form
   * @param target - 0/1 labels (or the ignore index), the same shape
   * @returns this metric
   * @throws {@link MetricInputError} naming the argument, the first bad position and what was expected; the
   * state is then unchanged
   * @example
   * ```ts
   * new BinaryHingeLoss({ inputTransform: "none" }).update([0.5, 0.7, 0.1], [0, 1, 1]).compute(); // => 0.9
   * ```
   */
  override update(preds: unknown, target: unknown, ...rest: unknown[]): this {
    noWeights(rest[0], "BinaryHingeLoss");
    const batch = prepareBinary(preds, target, this.torchOptions);
    return super.update(batch.preds, batch.target);
  }

  /**
   * The value of this batch alone (torchmetrics' `forward` / `__call__`); the batch is also accumulated.
   *
   * @param preds - probabilities or logits, shape `(N, ...)`
   * @param target - 0/1 labels, the same shape
   * @returns the batch value
   * @throws {@link MetricInputError} for a bad batch; {@link MetricStateError} for a batch with no sample left
   * after `ignoreIndex` (torchmetrics returns NaN there). Nothing is accumulated when it throws.
   * @example
   * ```ts
   * const metric = new BinaryHingeLoss();
   * metric.forward([0.2, 0.8], [0, 1]); // => 0.7
   * metric.forward([-3, 2], [0, 1]); // => 0.5833143975998423 (sigmoid applied to this batch only)
   * ```
   */
  override forward(preds: unknown, target: unknown, ...rest: unknown[]): number {
    noWeights(rest[0], "BinaryHingeLoss");
    const batch = prepareBinary(preds, target, this.torchOptions);
    if (batch.samples === 0) {
      throw new MetricStateError(
        "BinaryHingeLoss.forward(): the batch has no sample left after removing ignoreIndex, so it has no value " +
          "(torchmetrics returns NaN); nothing was accumulated",
      );
    }
    return super.forward(batch.preds, batch.target) as number;
  }

  /**
   * The hinge loss over everything accumulated (torchmetrics' `compute`).
   *
   * @returns the mean hinge loss
   * @throws {@link MetricStateError} when nothing was accumulated (torchmetrics warns and returns NaN)
   * @example
   * ```ts
   * new BinaryHingeLoss().update([1, 0], [1, 0]).compute(); // => 0.5
   * ```
   */
  override compute(): number {
    return super.compute() as number;
  }

  /**
   * torchmetrics' state names: Σ hinge (`measures`), as a float64.
   *
   * @example
   * ```ts
   * new BinaryHingeLoss().update([0.5], [1]).measures; // => 0.5
   * ```
   */
  get measures(): number {
    return this.measure as number;
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
   * Rebuilds a metric from a JSON state: its own (kind `"torchmetrics.BinaryHingeLoss"`, options included),
   * or a core binary `HingeLoss` state (then `options` gives the torchmetrics-only options).
   *
   * @param json - the state (untrusted: validated)
   * @param options - `validateArgs`, `inputTransform` for a core state (a facade state carries them: any given must agree)
   * @returns the metric
   * @throws {@link MetricStateError} for a malformed state, a multiclass one, or `options` that disagree with a facade state
   * @example
   * ```ts
   * const json = new BinaryHingeLoss({ inputTransform: "sigmoid" }).update([1, 0], [1, 0]).toJSON();
   * BinaryHingeLoss.fromJSON(json).torchOptions.inputTransform; // => "sigmoid"
   * ```
   */
  static override fromJSON(
    json: unknown,
    options?: Pick<BinaryHingeLossOptions, "validateArgs" | "inputTransform">,
  ): BinaryHingeLoss {
    if (!isCoreState(json)) {
      const metric = super.fromJSON(json) as BinaryHingeLoss;
      checkGivenOptions(metric.torchOptions, options);
      return metric;
    }

    const core = CoreHingeLoss.fromJSON(json);
    if (core.options.numClasses !== null || core.task === "multiclass") {
      throw new MetricStateError("expected a binary HingeLoss state, got a multiclass one");
    }
    const metric = new BinaryHingeLoss({
      ...options,
      squared: core.options.squared,
      ignoreIndex: core.options.ignoreIndex,
    });
    return metric.merge(asFacadeState(core, metric));
  }
}

registerMetric(BinaryHingeLoss);
