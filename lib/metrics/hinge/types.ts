/**
 * The types of the hinge-loss metric: its JSON state, and the value type and constructor signatures that
 * make `compute()` typed by the options.
 *
 * @module
 */
import type { HingeLossOptions, ResolvedHingeLossOptions } from "../../options/index.js";
import type { MetricStateJSON } from "../Metric.js";
import type { HingeTask, HingeValue } from "./functional.js";
import type { HingeLoss } from "./HingeLoss.js";

/**
 * The JSON state of a {@link HingeLoss}. `measure` (Σ w·m, one entry per class for one-vs-all) and `total`
 * (Σ w) are exact sums written as hex-float strings (`"0x1.8p+1"` is 3).
 *
 * @example
 * ```ts
 * const json: HingeLossStateJSON = new HingeLoss().update([-2.2, 2.4, 0.1], [0, 1, 1]).toJSON();
 * json.samples; // => 3
 * ```
 */
export interface HingeLossStateJSON extends MetricStateJSON {
  /** Always `"HingeLoss"`. */
  readonly kind: "HingeLoss";
  /** Format version, 1. */
  readonly version: 1;
  /** The resolved options. */
  readonly options: ResolvedHingeLossOptions;
  /** Fixed by the first non-empty batch; `null` while empty. */
  readonly task: HingeTask | null;
  /** C for a multiclass state, else `null`. */
  readonly numClasses: number | null;
  /** Exact Σ w·m: one entry, or C for one-vs-all (empty while nothing was accumulated). */
  readonly measure: string[];
  /** Exact Σ w. */
  readonly total: string;
  /** Samples counted (ignored samples excluded). */
  readonly samples: number;
}

/**
 * The value type of a {@link HingeLoss} built with options `O`: `number` unless the options ask for one-vs-all
 * (then `number | number[]`: one value per class once the task is multiclass, one number for a binary task).
 *
 * @typeParam O - the options as given
 * @example
 * ```ts
 * const v: HingeValueFor<{ squared: true }> = new HingeLoss({ squared: true }).update([0.5], [1]).compute(); // number
 * ```
 */
export type HingeValueFor<O> = O extends { multiclassMode: "one-vs-all" }
  ? HingeValue
  : O extends { multiclassMode?: "crammer-singer" }
    ? number
    : HingeValue;

/**
 * The constructor of {@link HingeLoss}, typed so that the value follows the options: `new HingeLoss()` and
 * Crammer–Singer options give a metric whose `compute()` is a `number`; `multiclassMode: "one-vs-all"` gives
 * `number | number[]`; options only known as {@link HingeLossOptions} give `number | number[]`.
 *
 * @example
 * ```ts
 * const m = new HingeLoss();
 * const v: number = m.update([0.5], [1]).compute(); // => 0.5
 * ```
 */
export interface HingeLossConstructor {
  /** A binary or Crammer–Singer metric: `compute()` is a number. */
  new (): HingeLoss<Record<never, never>>;
  /** A metric of these options. */
  new <const O extends HingeLossOptions>(options: O): HingeLoss<O>;
  /** The kind written into states. */
  readonly kind: string;
  /** The state format version. */
  readonly version: number;
  /** See {@link HingeLossMetric.fromJSON}. */
  fromJSON(json: unknown): HingeLoss;
}
