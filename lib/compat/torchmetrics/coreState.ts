import { MetricStateError } from "../../errors/index.js";
import { HingeLoss, type MetricStateJSON } from "../../metrics/index.js";

/**
 * True for a core `HingeLoss` state (kind `"HingeLoss"`): the torchmetrics facades read those as well as
 * their own. A value whose `kind` cannot be read (a hostile Proxy) is not one; the facade's own decoder then
 * refuses it with a `MetricStateError`.
 *
 * @param json - an untrusted value
 * @returns whether it claims to be a core HingeLoss state
 * @example
 * ```ts
 * isCoreState(new HingeLoss().toJSON()); // => true
 * ```
 */
export function isCoreState(json: unknown): boolean {
  try {
    return json !== null && typeof json === "object" && (json as MetricStateJSON).kind === HingeLoss.kind;
  } catch {
    return false;
  }
}

/**
 * A core HingeLoss's state relabelled as a facade's (same fields; the facade's kind and options), to merge
 * it into the facade.
 *
 * @param core - a core metric (its options already checked against the facade's)
 * @param facade - the facade metric
 * @returns the relabelled JSON state
 * @example
 * ```ts
 * asFacadeState(new HingeLoss(), new BinaryHingeLoss()).kind; // => "torchmetrics.BinaryHingeLoss"
 * ```
 */
export function asFacadeState(core: HingeLoss, facade: HingeLoss): MetricStateJSON {
  return { ...core.toJSON(), kind: facade.kind, options: facade.stateOptions() };
}

/**
 * Refuses `given` options that disagree with those a facade state carries.
 *
 * @param carried - the restored metric's torchmetrics options
 * @param given - the options passed to `fromJSON`, if any
 * @throws {@link MetricStateError} naming the first option that differs
 * @example
 * ```ts
 * checkGivenOptions({ inputTransform: "auto" }, { inputTransform: "auto" }); // passes
 * ```
 */
export function checkGivenOptions(carried: object, given: object | undefined): void {
  if (given === undefined) return;
  for (const [key, value] of Object.entries(given)) {
    const theirs = (carried as Record<string, unknown>)[key];
    if (value !== undefined && value !== theirs) {
      throw new MetricStateError(
        `fromJSON: the state carries ${key} ${JSON.stringify(theirs)}, but ${JSON.stringify(value)} was given`,
      );
    }
  }
}
