import { MetricStateError } from "../errors/index.js";
import { assertPlainJson } from "../state/index.js";
import type { Metric, MetricStateJSON } from "./Metric.js";

/**
 * A metric class as the registry sees it: constructible from its options, with a `kind` (written into its
 * states) and a state format `version`, and a static `fromJSON` (inherited from {@link Metric}).
 *
 * @typeParam M - the metric type
 * @example
 * ```ts
 * const cls: MetricClass = HingeLoss;
 * cls.kind; // => "HingeLoss"
 * ```
 */
export interface MetricClass<M extends Metric = Metric> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (options?: any): M;
  /** The kind written into states, the registry's key. */
  readonly kind: string;
  /** The state format version. */
  readonly version: number;
  /** Rebuilds a metric from an untrusted JSON state. */
  fromJSON(json: unknown): M;
}

const classes = new Map<string, MetricClass>();

/**
 * Registers a metric class by its `kind`, so that states of that kind can be restored wherever a state is
 * read by kind: {@link mergeStates}, `MetricCollection.fromJSON`, the rx `mergeStates()` operator, the CLI's
 * `merge` and the Redis collector. Every built-in metric registers itself when its module is loaded; call it
 * once for a metric of your own. Registering the same class again is a no-op; another class under a taken
 * kind is an error (no silent overwrite).
 *
 * @param cls - the class (with static `kind` and `version`)
 * @returns the class, for chaining
 * @throws TypeError when `kind` is not a non-empty string, `version` not a positive integer, or the kind is
 * taken by another class
 * @example
 * ```ts
 * isRegistered("HingeLoss"); // => true
 * registerMetric(HingeLoss) === HingeLoss; // => true
 * ```
 */
export function registerMetric<C extends MetricClass>(cls: C): C {
  const kind: unknown = cls?.kind;
  const version: unknown = cls?.version;
  if (typeof cls !== "function" || typeof kind !== "string" || kind.length === 0 || kind.length > 200) {
    throw new TypeError(
      "registerMetric(cls): cls must be a metric class with a static kind (a non-empty string)",
    );
  }
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 1) {
    throw new TypeError(
      `registerMetric(${kind}): the class needs a static version (a positive integer), got ${String(version)}`,
    );
  }
  const taken = classes.get(kind);
  if (taken !== undefined && taken !== cls) {
    throw new TypeError(
      `registerMetric(${kind}): the kind ${JSON.stringify(kind)} is taken by another class`,
    );
  }
  classes.set(kind, cls);
  return cls;
}

/**
 * True when a class is registered under `kind`.
 *
 * @param kind - a metric kind
 * @returns whether states of that kind can be restored
 * @example
 * ```ts
 * isRegistered("NoSuchMetric"); // => false
 * ```
 */
export function isRegistered(kind: string): boolean {
  return classes.has(kind);
}

/**
 * The registered kinds, sorted.
 *
 * @returns every kind that can be restored
 * @example
 * ```ts
 * registeredKinds().includes("MetricCollection"); // => true
 * ```
 */
export function registeredKinds(): string[] {
  return Array.from(classes.keys()).sort();
}

/**
 * The class registered under `kind`.
 *
 * @param kind - a metric kind
 * @returns the class
 * @throws {@link MetricStateError} for an unknown kind (the message lists the known ones)
 * @example
 * ```ts
 * metricClass("HingeLoss") === HingeLoss; // => true
 * ```
 */
export function metricClass(kind: string): MetricClass {
  const cls = classes.get(kind);
  if (cls === undefined) throw new MetricStateError(unknownKind(kind));
  return cls;
}

function unknownKind(kind: unknown): string {
  const hint =
    typeof kind !== "string"
      ? ""
      : kind.startsWith("keras.")
        ? '; import "streammetrics/keras" to register it'
        : kind.startsWith("torchmetrics.")
          ? '; import "streammetrics/torchmetrics" to register it'
          : "; a metric of your own must be registered with registerMetric before its states are read";
  const name = typeof kind === "string" ? JSON.stringify(kind) : String(kind);
  return `unknown kind ${name} (known: ${registeredKinds().join(", ")}${hint})`;
}

/**
 * Restores a metric from an untrusted JSON state by its `kind`, through the registered class's `fromJSON`.
 *
 * @param json - a JSON state (e.g. from another worker)
 * @param what - how to name it in messages (default `"state"`)
 * @returns a new metric with that state and options
 * @throws {@link MetricStateError} for a value that is not a state, an unknown kind, or a malformed or forged
 * state (the message starts with `what`)
 * @example
 * ```ts
 * const json = JSON.parse(JSON.stringify(new HingeLoss().update([0.5], [1])));
 * restoreMetric(json).compute(); // => 0.5
 * ```
 */
export function restoreMetric(json: unknown, what = "state"): Metric {
  try {
    assertPlainJson(json, what);
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new MetricStateError(`${what} must be a metric's JSON state (an object with a kind)`);
    }
    const kind = (json as MetricStateJSON).kind;
    const cls = typeof kind === "string" ? classes.get(kind) : undefined;
    if (cls === undefined) throw new MetricStateError(`${what} has ${unknownKind(kind)}`);
    return cls.fromJSON(json);
  } catch (error) {
    if (error instanceof MetricStateError) {
      throw error.message.startsWith(what) ? error : new MetricStateError(`${what}: ${error.message}`);
    }
    throw new MetricStateError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
