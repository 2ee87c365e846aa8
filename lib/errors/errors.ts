/**
 * Thrown when a metric is constructed with options that do not fit its schema.
 *
 * The message is a plain sentence per problem (joined by `; `) naming the option, the value and what is
 * allowed; the CLI renders the same problems as `✖ message → at key` lines.
 *
 * @example
 * ```ts
 * import { HingeLoss, InvalidOptionsError } from "streammetrics";
 * try {
 *   new HingeLoss({ multiclass_mode: "one-vs-all" } as never);
 * } catch (error) {
 *   error instanceof InvalidOptionsError; // => true
 *   // error.message => 'unknown option "multiclass_mode" for HingeLoss: did you mean "multiclassMode"?'
 * }
 * ```
 */
export class InvalidOptionsError extends Error {
  /** @param message - what was wrong, naming the option and what was expected */
  constructor(message: string) {
    super(message);
    this.name = "InvalidOptionsError";
  }
}

/**
 * Thrown when `preds`, `target` or `weights` passed to `update` / `forward` are invalid: wrong shape,
 * length mismatch, non-finite scores, a target outside the allowed labels, a negative weight, ...
 *
 * The message names the argument, the first bad position and what was expected. The metric that threw is
 * exactly as it was before the call.
 *
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics";
 * new HingeLoss().update([0.5, -1], [1, 2]);
 * // throws MetricInputError: target[1] must be 0, 1 or -1 for a binary HingeLoss, got 2
 * ```
 */
export class MetricInputError extends Error {
  /** @param message - what was wrong, naming the argument, the position and what was expected */
  constructor(message: string) {
    super(message);
    this.name = "MetricInputError";
  }
}

/**
 * Thrown when a metric's state cannot serve the request: `compute()` with nothing accumulated, a state
 * (JSON) that fails validation, or a merge of incompatible states (another kind, version, options, task or
 * class count). The receiving metric is unchanged.
 *
 * @example
 * ```ts
 * import { HingeLoss } from "streammetrics";
 * new HingeLoss().compute();
 * // throws MetricStateError: HingeLoss.compute() called with nothing accumulated: update() it with at least one sample first
 * ```
 */
export class MetricStateError extends Error {
  /** @param message - what was wrong with the state */
  constructor(message: string) {
    super(message);
    this.name = "MetricStateError";
  }
}
