// Every classification class with a valid configuration, for the table-driven specs.
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
  type Metric,
} from "../../../lib/index.js";

/** A class and what it takes. */
export interface Entry {
  readonly name: string;
  readonly task: "binary" | "multiclass";
  readonly make: (extra?: Record<string, unknown>) => Metric<unknown>;
  /** A ratio (MetricStateError with nothing counted) rather than counts (zeros). */
  readonly ratio: boolean;
  /** Option keys beyond the task's base ones. */
  readonly takes: readonly string[];
}

type Ctor = new (o: never) => Metric<unknown>;
const C = 3;

function binary(cls: Ctor, ratio: boolean, takes: string[], base: object = {}): Entry {
  return {
    name: (cls as unknown as { kind: string }).kind,
    task: "binary",
    make: (extra = {}) => new cls({ ...base, ...extra } as never),
    ratio,
    takes,
  };
}

function multiclass(cls: Ctor, ratio: boolean, takes: string[], base: object = {}): Entry {
  return {
    name: (cls as unknown as { kind: string }).kind,
    task: "multiclass",
    make: (extra = {}) => new cls({ numClasses: C, ...base, ...extra } as never),
    ratio,
    takes,
  };
}

/** The 16 classes. */
export const catalog: readonly Entry[] = [
  binary(BinaryAccuracy, true, []),
  binary(BinaryPrecision, true, ["zeroDivision"]),
  binary(BinaryRecall, true, ["zeroDivision"]),
  binary(BinaryF1Score, true, ["zeroDivision"]),
  binary(BinaryFBetaScore, true, ["zeroDivision", "beta"], { beta: 2 }),
  binary(BinarySpecificity, true, []),
  binary(BinaryStatScores, false, []),
  binary(BinaryConfusionMatrix, false, ["normalize"]),
  multiclass(MulticlassAccuracy, true, ["average", "topK"]),
  multiclass(MulticlassPrecision, true, ["average", "topK", "zeroDivision"]),
  multiclass(MulticlassRecall, true, ["average", "topK", "zeroDivision"]),
  multiclass(MulticlassF1Score, true, ["average", "topK", "zeroDivision"]),
  multiclass(MulticlassFBetaScore, true, ["average", "topK", "zeroDivision", "beta"], { beta: 0.5 }),
  multiclass(MulticlassSpecificity, true, ["average", "topK"]),
  multiclass(MulticlassStatScores, false, ["average", "topK"]),
  multiclass(MulticlassConfusionMatrix, false, ["normalize"]),
];

/** The number of classes the multiclass entries use. */
export const numClasses = C;
