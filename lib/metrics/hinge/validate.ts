/**
 * The consistency checks of a decoded hinge-loss state (what `HingeLoss.fromJSON` and `merge` of JSON refuse
 * beyond the field decoders): a state that no sequence of updates could have written.
 *
 * @module
 */
import { MetricStateError } from "../../errors/index.js";
import type { ResolvedHingeLossOptions } from "../../options/index.js";
import { formatHexFloat } from "../../state/index.js";
import { hingeLossCompute, hingeSumCount, type HingeState } from "./functional.js";

/** 2^1024 scaled by 2^1074: every weight, and every contribution w·m, is a finite double below this. */
const MAX_DOUBLE_SCALED = 1n << 2098n;

function fail(message: string): never {
  throw new MetricStateError(`invalid HingeLoss state: ${message}`);
}

/**
 * Refuses a decoded hinge-loss state that updates could not have written: a task without its class count
 * (or the reverse), a class count or measure length at odds with the options, negative sums, a positive
 * measure or total without samples, and any state whose getters (`measure`, `total`) or value would not be
 * finite (a mean just under 2^1024 rounds to Infinity; a total above `samples` finite weights).
 *
 * @param state - the decoded fields
 * @param options - the resolved options
 * @throws {@link MetricStateError} naming what is wrong
 * @example
 * ```ts
 * validateHingeState(new HingeLoss().update([1], [1]).toJSON() && emptyHingeState(), resolveHingeLossOptions()); // passes
 * ```
 */
export function validateHingeState(state: HingeState, options: ResolvedHingeLossOptions): void {
  const task = state.task.value;
  const numClasses = state.numClasses.value;
  const { measure, total } = state;
  const samples = state.samples.value();
  if (task === null) {
    if (numClasses !== null || measure.size !== 0 || !total.isZero() || samples !== 0) {
      fail("a state without a task must be empty (numClasses null, measure [], total 0x0p+0, samples 0)");
    }
    return;
  }
  if (task === "binary" && numClasses !== null) fail("a binary state has numClasses null");
  if (task === "binary" && options.numClasses !== null) fail("options.numClasses pins a multiclass task");
  if (task === "multiclass" && numClasses === null) fail("a multiclass state needs numClasses");
  if (task === "multiclass" && options.numClasses !== null && options.numClasses !== numClasses) {
    fail(`numClasses ${numClasses} disagrees with options.numClasses ${options.numClasses}`);
  }
  const size = hingeSumCount(task, numClasses, options);
  if (measure.size !== size) fail(`measure must have ${size} entries, got ${measure.size}`);
  const t = total.exact();
  if (t < 0n) fail(`total must not be negative, got ${formatHexFloat(t)}`);
  for (let k = 0; k < size; k++) {
    const m = measure.exact(k);
    if (m < 0n) fail(`measure[${k}] must not be negative, got ${formatHexFloat(m)}`);
    if (t === 0n && m !== 0n) fail("a measure is positive while total is 0");
    // Every contribution w·m is a finite double, so Σ w·m / Σ w < 2^1024: a larger ratio cannot be genuine.
    if (m > 0n && m >= t << 1024n) fail(`measure[${k}] is impossibly large for total ${formatHexFloat(t)}`);
    if (!Number.isFinite(measure.value(k))) fail(`measure[${k}] would not be finite as a float64`);
  }
  if (t > 0n && samples === 0) fail("total is positive but samples is 0: every counted sample adds to both");
  if (t >= BigInt(samples) * MAX_DOUBLE_SCALED) {
    fail(`total is impossibly large for ${samples} samples: each weight is a finite float64`);
  }
  if (!Number.isFinite(total.value())) fail("total would not be finite as a float64");
  if (t === 0n) return;
  const value = hingeLossCompute(state, options);
  if (!(typeof value === "number" ? [value] : value).every(Number.isFinite)) {
    fail("its value would not be finite");
  }
}
