import { z } from "zod";
import { parseOptions } from "../../options/index.js";

/**
 * What an aggregation metric does with a NaN value: `"error"` (the default) throws a `MetricInputError`
 * naming its position, `"ignore"` drops it (and its weight), a finite number takes its place.
 *
 * @example
 * ```ts
 * const strategy: NanStrategy = "ignore";
 * new SumMetric({ nanStrategy: strategy }).update([1, NaN, 2]).compute(); // => 3
 * ```
 */
export type NanStrategy = "error" | "ignore" | number;

/**
 * Options of `SumMetric`, `MeanMetric`, `MaxMetric` and `MinMetric` (torchmetrics' `nan_strategy`, in
 * camelCase).
 *
 * @example
 * ```ts
 * const options: AggregationOptions = { nanStrategy: 0 };
 * new MaxMetric(options).update([NaN, -1]).compute(); // => 0
 * ```
 */
export interface AggregationOptions {
  /** See {@link NanStrategy}. Default `"error"`. */
  nanStrategy?: NanStrategy;
}

/**
 * The resolved options of an aggregation metric, as written into its states.
 *
 * @example
 * ```ts
 * const resolved: ResolvedAggregationOptions = new SumMetric().options;
 * resolved.nanStrategy; // => "error"
 * ```
 */
export interface ResolvedAggregationOptions {
  /** See {@link AggregationOptions.nanStrategy}. */
  nanStrategy: NanStrategy;
}

const NAN_MESSAGE = 'nanStrategy must be "error", "ignore" or a finite number to put in place of NaN';

function nanMessage(input: unknown): string {
  if (input === "warn") {
    return `${NAN_MESSAGE}, got "warn" (streammetrics prints no warnings: "ignore" drops NaN values silently, as torchmetrics' "warn" does)`;
  }
  if (input === "disable") {
    return `${NAN_MESSAGE}, got "disable" (a NaN would make the value NaN; handle NaN before update)`;
  }
  return `${NAN_MESSAGE}, got ${typeof input === "number" ? String(input) : JSON.stringify(input)}`;
}

/**
 * The zod schema of {@link AggregationOptions} (strict: an unknown key is an error).
 *
 * @example
 * ```ts
 * aggregationOptionsSchema.parse({}); // => { nanStrategy: "error" }
 * ```
 */
export const aggregationOptionsSchema = z.strictObject({
  nanStrategy: z
    .union([z.enum(["error", "ignore"]), z.number().refine(Number.isFinite)], {
      error: (issue) => nanMessage(issue.input),
    })
    .default("error"),
});

/**
 * Validates and resolves aggregation options.
 *
 * @param options - the options as given
 * @param owner - the class name, for messages
 * @returns the resolved options
 * @throws `InvalidOptionsError` naming the option and what is allowed
 * @example
 * ```ts
 * resolveAggregationOptions({ nanStrategy: "ignore" }, "SumMetric"); // => { nanStrategy: "ignore" }
 * ```
 */
export function resolveAggregationOptions(options: unknown, owner: string): ResolvedAggregationOptions {
  return parseOptions(aggregationOptionsSchema, options, owner);
}
