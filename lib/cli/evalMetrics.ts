import { InvalidOptionsError, MetricInputError } from "../errors/index.js";
import { MaxMetric, MeanMetric, MinMetric, SumMetric } from "../metrics/aggregation/index.js";
import {
  BinaryAccuracy,
  BinaryConfusionMatrix,
  BinaryF1Score,
  BinaryFBetaScore,
  BinaryPrecision,
  BinaryRecall,
  BinarySpecificity,
  BinaryStatScores,
  MulticlassAccuracy,
  MulticlassConfusionMatrix,
  MulticlassF1Score,
  MulticlassFBetaScore,
  MulticlassPrecision,
  MulticlassRecall,
  MulticlassSpecificity,
  MulticlassStatScores,
} from "../metrics/classification/index.js";
import { atomically } from "../metrics/collectionParts.js";
import { HingeLoss, MetricCollection, type AnyMetric } from "../metrics/index.js";
import { MeanAbsoluteError, MeanSquaredError, R2Score } from "../metrics/regression/index.js";
import { prettyOptionsError } from "../options/index.js";
import { UsageError } from "./errors.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = new (options: any) => AnyMetric;

/** One `--metric` name: its class for each task, and the options (camelCase) that class takes. */
interface EvalMetricSpec {
  readonly family: "classification" | "regression" | "aggregation" | "hinge";
  readonly binary: Ctor;
  readonly multiclass: Ctor;
  /** Options the class takes for `--task binary` and for `--task multiclass`. */
  readonly keys: { readonly binary: readonly string[]; readonly multiclass: readonly string[] };
  /** Options fixed by the name (`rmse` is `squared: false`). */
  readonly fixed?: Record<string, unknown>;
}

const BIN = ["threshold", "ignoreIndex", "inputTransform"];
const MC = ["numClasses", "average", "topK", "ignoreIndex"];
const ZD = ["zeroDivision"];

function classification(binary: Ctor, multiclass: Ctor, extra: string[] = []): EvalMetricSpec {
  return {
    family: "classification",
    binary,
    multiclass,
    keys: { binary: [...BIN, ...extra], multiclass: [...MC, ...extra] },
  };
}

function taskless(
  family: EvalMetricSpec["family"],
  cls: Ctor,
  keys: string[],
  fixed?: Record<string, unknown>,
): EvalMetricSpec {
  return { family, binary: cls, multiclass: cls, keys: { binary: keys, multiclass: keys }, fixed };
}

/**
 * The metrics `streammetrics eval --metric NAME` knows, by name: the classification ones (their binary or
 * multiclass class by `--task`), the regression ones, the aggregations (of the pred column) and the hinge loss.
 *
 * @example
 * ```ts
 * Object.keys(EVAL_METRICS).includes("f1"); // => true
 * ```
 */
export const EVAL_METRICS: Readonly<Record<string, EvalMetricSpec>> = Object.freeze({
  accuracy: classification(BinaryAccuracy, MulticlassAccuracy),
  precision: classification(BinaryPrecision, MulticlassPrecision, ZD),
  recall: classification(BinaryRecall, MulticlassRecall, ZD),
  f1: classification(BinaryF1Score, MulticlassF1Score, ZD),
  fbeta: classification(BinaryFBetaScore, MulticlassFBetaScore, [...ZD, "beta"]),
  specificity: classification(BinarySpecificity, MulticlassSpecificity),
  "stat-scores": classification(BinaryStatScores, MulticlassStatScores),
  "confusion-matrix": {
    family: "classification",
    binary: BinaryConfusionMatrix,
    multiclass: MulticlassConfusionMatrix,
    keys: { binary: [...BIN, "normalize"], multiclass: ["numClasses", "ignoreIndex", "normalize"] },
  },
  mse: taskless("regression", MeanSquaredError, [], { squared: true }),
  rmse: taskless("regression", MeanSquaredError, [], { squared: false }),
  mae: taskless("regression", MeanAbsoluteError, []),
  r2: taskless("regression", R2Score, ["multioutput", "adjusted"]),
  mean: taskless("aggregation", MeanMetric, []),
  sum: taskless("aggregation", SumMetric, []),
  max: taskless("aggregation", MaxMetric, []),
  min: taskless("aggregation", MinMetric, []),
  hinge: taskless("hinge", HingeLoss, ["squared", "multiclassMode", "numClasses", "ignoreIndex"]),
});

/** The option flags of `eval`: flag → option key, and how the text is read. */
const OPTION_FLAGS: Readonly<Record<string, { key: string; read: "number" | "text" | "boolean" }>> = {
  "num-classes": { key: "numClasses", read: "number" },
  average: { key: "average", read: "text" },
  threshold: { key: "threshold", read: "number" },
  "top-k": { key: "topK", read: "number" },
  "ignore-index": { key: "ignoreIndex", read: "number" },
  beta: { key: "beta", read: "number" },
  "input-transform": { key: "inputTransform", read: "text" },
  normalize: { key: "normalize", read: "text" },
  "zero-division": { key: "zeroDivision", read: "number" },
  multioutput: { key: "multioutput", read: "text" },
  adjusted: { key: "adjusted", read: "number" },
  squared: { key: "squared", read: "boolean" },
  "multiclass-mode": { key: "multiclassMode", read: "text" },
};

/**
 * The flags of `eval` that choose and configure the metrics, for `parseArgs`.
 *
 * @example
 * ```ts
 * EVAL_FLAGS.metric.multiple; // => true
 * ```
 */
export const EVAL_FLAGS = {
  metric: { type: "string", multiple: true },
  task: { type: "string" },
  "num-classes": { type: "string" },
  average: { type: "string" },
  threshold: { type: "string" },
  "top-k": { type: "string" },
  "ignore-index": { type: "string" },
  beta: { type: "string" },
  "input-transform": { type: "string" },
  normalize: { type: "string" },
  "zero-division": { type: "string" },
  multioutput: { type: "string" },
  adjusted: { type: "string" },
  squared: { type: "boolean" },
  "multiclass-mode": { type: "string" },
} as const;

/** A numeric flag as a number when it reads as one, else the text (so zod's message shows what was given). */
function numberFlag(text: string): number | string {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : text;
}

/**
 * The chosen metrics, as an empty collection (one member per `--metric`, named by it) and the task.
 *
 * @example
 * ```ts
 * const chosen: EvalChoice = evalMetrics({ metric: ["accuracy"] });
 * chosen.task; // => "binary"
 * ```
 */
export interface EvalChoice {
  /** `binary` or `multiclass`. */
  readonly task: "binary" | "multiclass";
  /** The empty collection each group starts from. */
  readonly collection: EvalCollection;
}

/**
 * Builds the metrics that the `eval` flags choose. Each option flag goes to every chosen metric that takes it,
 * and each class validates its options with its own schema (its constructor): a bad value is the class's own
 * message. The task is `--task`, else multiclass when `--num-classes` is given, else binary.
 *
 * @param values - the parsed flags
 * @returns the task and the empty collection
 * @throws {@link UsageError} (exit 2) for no or an unknown metric, a metric named twice, a bad `--task`, an
 *   option flag that no chosen metric takes, or options that a class refuses (its ✖ lines)
 * @example
 * ```ts
 * const { collection } = evalMetrics({ metric: ["accuracy", "f1"], "num-classes": "3" });
 * collection.names; // => ["accuracy", "f1"]
 * collection.get("f1").kind; // => "MulticlassF1Score"
 * ```
 */
export function evalMetrics(values: Record<string, unknown>): EvalChoice {
  const listed = ((values.metric as string[] | undefined) ?? [])
    .flatMap((m) => m.split(","))
    .map((m) => m.trim());
  const known = Object.keys(EVAL_METRICS).join(", ");
  if (listed.length === 0) throw new UsageError(`eval needs at least one --metric NAME (${known})`);
  const names: string[] = [];
  for (const name of listed) {
    if (!Object.hasOwn(EVAL_METRICS, name)) {
      throw new UsageError(`unknown metric ${JSON.stringify(name)} for --metric: known metrics are ${known}`);
    }
    if (names.includes(name)) throw new UsageError(`--metric ${name} is given twice`);
    names.push(name);
  }
  const taskFlag = values.task as string | undefined;
  if (taskFlag !== undefined && taskFlag !== "binary" && taskFlag !== "multiclass") {
    throw new UsageError(`--task must be binary or multiclass, got ${JSON.stringify(taskFlag)}`);
  }
  const task = taskFlag ?? (values["num-classes"] !== undefined ? "multiclass" : "binary");
  const given = Object.keys(OPTION_FLAGS).filter((flag) => values[flag] !== undefined);
  for (const flag of given) {
    const key = OPTION_FLAGS[flag].key;
    if (!names.some((name) => EVAL_METRICS[name].keys[task].includes(key))) {
      const takers = (t: "binary" | "multiclass"): string[] =>
        Object.keys(EVAL_METRICS).filter((name) => EVAL_METRICS[name].keys[t].includes(key));
      const other = task === "binary" ? "multiclass" : "binary";
      const hint =
        takers(task).length > 0
          ? `it is an option of ${takers(task).join(", ")}`
          : `it is an option of ${takers(other).join(", ")} for --task ${other}`;
      throw new UsageError(`--${flag} is not an option of the chosen metrics for --task ${task} (${hint})`);
    }
  }
  const members: [string, AnyMetric][] = names.map((name) => {
    const spec = EVAL_METRICS[name];
    const options: Record<string, unknown> = { ...spec.fixed };
    for (const flag of given) {
      const { key, read } = OPTION_FLAGS[flag];
      if (!spec.keys[task].includes(key)) continue;
      const text = values[flag];
      options[key] = read === "boolean" ? text === true : read === "number" ? numberFlag(String(text)) : text;
    }
    try {
      return [name, new spec[task](options)];
    } catch (error) {
      if (error instanceof InvalidOptionsError) {
        throw new UsageError(`invalid options for --metric ${name}\n${prettyOptionsError(error)}`);
      }
      throw error;
    }
  });
  return { task, collection: new EvalCollection(members) };
}

/** Kinds whose `update` takes the value alone (an aggregation of the pred column). */
const VALUE_KINDS = new Set(["SumMetric", "MaxMetric", "MinMetric"]);

/**
 * The collection `eval` feeds: each member gets the arguments its `update` takes — `(preds, target)` for the
 * classification and regression metrics (which take no weights: a weight is an error naming the metric),
 * `(preds, target, weights)` for the hinge loss, `(preds, weights)` for `MeanMetric`, `(preds)` for
 * `SumMetric`, `MaxMetric` and `MinMetric` — atomically across members, like any collection. Its state is a
 * plain `MetricCollection` state (it merges, and restores by kind, as one).
 *
 * @example
 * ```ts
 * const c = new EvalCollection({ mean: new MeanMetric(), mse: new MeanSquaredError() });
 * c.update([1, 2], [1, 4]).compute(); // => { mean: 1.5, mse: 2 }
 * ```
 */
export class EvalCollection extends MetricCollection {
  /**
   * Adds a batch to every member, routed by kind; nothing changes anywhere when a member refuses it.
   *
   * @param preds - predictions (the values, for an aggregation)
   * @param target - targets
   * @param weights - optional weights (for the hinge loss and the mean)
   * @returns this collection
   * @throws {@link MetricInputError} naming the member, when one refuses the batch
   */
  override update(preds: unknown, target?: unknown, weights?: unknown): this {
    // atomic across members, as MetricCollection.update: each member's own undo point, no copy of any state
    atomically(this.state, () => {
      for (const [name, member] of this.state) {
        const kind = member.kind;
        try {
          if (kind === "MeanMetric") member.update(preds, weights);
          else if (VALUE_KINDS.has(kind)) member.update(preds);
          else if (kind === "HingeLoss") member.update(preds, target, weights);
          else if (weights !== undefined) {
            throw new MetricInputError(
              `${kind} takes no weights: drop the weight column (or --weight-col), or evaluate it without weights`,
            );
          } else member.update(preds, target);
        } catch (error) {
          if (error instanceof MetricInputError) {
            throw new MetricInputError(`metric "${name}": ${error.message}`);
          }
          throw error;
        }
      }
    });
    return this;
  }
}
