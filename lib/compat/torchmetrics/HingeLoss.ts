import { InvalidOptionsError } from "../../errors/index.js";
import { asInputError } from "../../input/index.js";
import { describe, invalidOption } from "../../options/index.js";
import { BinaryHingeLoss } from "./BinaryHingeLoss.js";
import { MulticlassHingeLoss } from "./MulticlassHingeLoss.js";
import type { BinaryTaskOptions, HingeLossTaskOptions, MulticlassTaskOptions } from "./options.js";

/**
 * The type of the task wrapper {@link HingeLoss}: callable with or without `new`, it returns the task
 * class (`BinaryHingeLoss` or `MulticlassHingeLoss`), like torchmetrics' `HingeLoss.__new__`.
 *
 * @example
 * ```ts
 * const make: HingeLossWrapper = HingeLoss;
 * make({ task: "binary" }) instanceof BinaryHingeLoss; // => true
 * ```
 */
export interface HingeLossWrapper {
  /** Returns a {@link BinaryHingeLoss}. */
  new (options: BinaryTaskOptions): BinaryHingeLoss;
  /** Returns a {@link MulticlassHingeLoss}. */
  new (options: MulticlassTaskOptions): MulticlassHingeLoss;
  /** Returns the task class. */
  new (options: HingeLossTaskOptions): BinaryHingeLoss | MulticlassHingeLoss;
  /** Returns a {@link BinaryHingeLoss}. */
  (options: BinaryTaskOptions): BinaryHingeLoss;
  /** Returns a {@link MulticlassHingeLoss}. */
  (options: MulticlassTaskOptions): MulticlassHingeLoss;
  /** Returns the task class. */
  (options: HingeLossTaskOptions): BinaryHingeLoss | MulticlassHingeLoss;
  /** `x instanceof HingeLoss` is true for both task classes. */
  [Symbol.hasInstance](value: unknown): boolean;
}

function fail(message: string, key: string): never {
  throw invalidOption(key, message);
}

function makeHingeLoss(options: HingeLossTaskOptions): BinaryHingeLoss | MulticlassHingeLoss {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionsError(
      `HingeLoss options must be an object with a task ("binary" or "multiclass"), got ${describe(options)}`,
    );
  }
  let task: unknown;
  let rest: Record<string, unknown>;
  try {
    // read once: a throwing getter or Proxy trap is an options error, not the caller's own Error
    ({ task, ...rest } = options as unknown as Record<string, unknown>);
  } catch (error) {
    throw invalidOption("", asInputError(error, "HingeLoss options").message);
  }
  const name = typeof task === "string" ? task.toLowerCase() : task;
  if (name === "binary") {
    const { numClasses, multiclassMode, ...binary } = rest;
    // Accepted and ignored for the binary task, as in torchmetrics; nonsense values are still refused.
    if (
      numClasses !== undefined &&
      numClasses !== null &&
      !(Number.isInteger(numClasses) && (numClasses as number) >= 2)
    ) {
      fail(
        `Expected argument \`numClasses\` to be an integer larger than 1, but got ${describe(numClasses)}`,
        "numClasses",
      );
    }
    if (
      multiclassMode !== undefined &&
      multiclassMode !== "crammer-singer" &&
      multiclassMode !== "one-vs-all"
    ) {
      fail(
        `\`multiclassMode\` is expected to be one of 'crammer-singer' or 'one-vs-all' but ${describe(multiclassMode)} was passed`,
        "multiclassMode",
      );
    }
    return new BinaryHingeLoss(binary);
  }
  if (name === "multiclass") {
    if (typeof rest.numClasses !== "number" || !Number.isInteger(rest.numClasses)) {
      fail(
        `\`numClasses\` is expected to be an integer for task "multiclass", but ${describe(rest.numClasses)} was passed`,
        "numClasses",
      );
    }
    if (
      rest.multiclassMode !== undefined &&
      rest.multiclassMode !== "crammer-singer" &&
      rest.multiclassMode !== "one-vs-all"
    ) {
      fail(
        `\`multiclassMode\` is expected to be one of 'crammer-singer' or 'one-vs-all' but ${describe(rest.multiclassMode)} was passed`,
        "multiclassMode",
      );
    }
    return new MulticlassHingeLoss(rest as unknown as MulticlassTaskOptions);
  }
  return fail(
    `Invalid Classification: expected one of ['binary', 'multiclass'], but got ${describe(task)}`,
    "task",
  );
}

/**
 * torchmetrics 1.x's task wrapper `HingeLoss(task=...)`: returns a {@link BinaryHingeLoss} for
 * `task: "binary"` and a {@link MulticlassHingeLoss} for `task: "multiclass"` (which needs `numClasses`).
 * Works with or without `new`. The task name is matched without regard to case, as torchmetrics does.
 *
 * @param options - `task` plus the options of the task class
 * @returns the task metric
 * @throws {@link InvalidOptionsError} for an unknown task, a missing `numClasses` for multiclass, or any
 * invalid option of the task class
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics/torchmetrics";
 * new HingeLoss({ task: "binary" }).update([0.5, 0.7, 0.1], [0, 1, 1]).compute(); // => 0.9
 * const preds = [[-1, 0.9, 0.2], [0.5, -1.1, 0.8], [2.2, -0.5, 0.3]];
 * HingeLoss({ task: "multiclass", numClasses: 3 }).update(preds, [0, 1, 2]).compute(); // => 1.5551372490645232
 * ```
 */
export const HingeLoss = function HingeLoss(options: HingeLossTaskOptions) {
  return makeHingeLoss(options);
} as unknown as HingeLossWrapper;

Object.defineProperty(HingeLoss, Symbol.hasInstance, {
  value: (value: unknown) => value instanceof BinaryHingeLoss || value instanceof MulticlassHingeLoss,
});
