/**
 * Keras `keras.losses.get` / `serialize` / `deserialize` for the hinge family: look a loss up by name, and
 * turn a loss into a Keras-style serialized dict and back.
 *
 * @module
 */
import { InvalidOptionsError } from "../../errors/index.js";
import { describe } from "../../options/index.js";
import {
  categoricalGeneralizedCrossEntropy,
  categoricalHinge,
  circle,
  hinge,
  squaredHinge,
} from "./functions.js";
import {
  CategoricalGeneralizedCrossEntropy,
  CategoricalHinge,
  Circle,
  Hinge,
  Loss,
  SquaredHinge,
  type KerasLossOptions,
} from "./losses.js";

/**
 * A Keras loss function of the facade.
 *
 * @example
 * ```ts
 * const fn: KerasLossFunction = hinge;
 * ```
 */
export type KerasLossFunction =
  | typeof hinge
  | typeof squaredHinge
  | typeof categoricalHinge
  | typeof circle
  | typeof categoricalGeneralizedCrossEntropy;

/**
 * A serialized loss, as Keras's `serialize_keras_object` writes it: a class with its config, or a function
 * by name.
 *
 * @example
 * ```ts
 * const s: SerializedLoss = { module: "keras.losses", class_name: "Hinge", config: { name: "hinge" }, registered_name: null };
 * ```
 */
export interface SerializedLoss {
  /** `"keras.losses"`. */
  module?: string;
  /** The Keras class name, or `"function"`. */
  class_name: string;
  /** The class's config (Keras's snake_case keys), or the function's name. */
  config: Record<string, unknown> | string;
  /** `null` for Keras built-ins. */
  registered_name?: string | null;
}

type LossClass = {
  new (options?: KerasLossOptions): Loss;
  fromConfig(config: Record<string, unknown>): Loss;
};

/** Keras's `ALL_OBJECTS_DICT` restricted to the hinge page, plus the tfjs-layers names of the functions. */
function functionsByName(): Record<string, KerasLossFunction> {
  return {
    hinge,
    squared_hinge: squaredHinge,
    categorical_hinge: categoricalHinge,
    circle,
    squaredHinge,
    categoricalHinge,
  };
}
function classesByName(): Record<string, LossClass> {
  return {
    Hinge,
    SquaredHinge,
    CategoricalHinge,
    Circle,
  } as unknown as Record<string, LossClass>;
}
/** Classes `deserialize` also accepts by their module path, as Keras does (its look-up table omits them). */
function deserializableOnly(): Record<string, LossClass> {
  return { CategoricalGeneralizedCrossEntropy } as unknown as Record<string, LossClass>;
}
/** Keras's names of the facade's functions. */
function kerasNameOf(fn: unknown): string | undefined {
  const names: [unknown, string][] = [
    [hinge, "hinge"],
    [squaredHinge, "squared_hinge"],
    [categoricalHinge, "categorical_hinge"],
    [circle, "circle"],
    [categoricalGeneralizedCrossEntropy, "categorical_generalized_cross_entropy"],
  ];
  return names.find(([f]) => f === fn)?.[1];
}

const own = (table: object, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

function unknownName(name: string): InvalidOptionsError {
  const known = [...Object.keys(classesByName()), ...Object.keys(functionsByName())].join(", ");
  const gce =
    name === "CategoricalGeneralizedCrossEntropy" || name === "categorical_generalized_cross_entropy"
      ? ` (Keras's losses.get does not list it either; build it with new CategoricalGeneralizedCrossEntropy() or deserialize its serialized form)`
      : "";
  return new InvalidOptionsError(
    `Could not interpret loss identifier: ${JSON.stringify(name)}${gce}; known names: ${known}`,
  );
}

/** Keras's snake_case config keys that the facade spells in camelCase. */
const CAMEL: Record<string, string> = { remove_diagonal: "removeDiagonal" };
const SNAKE: Record<string, string> = { removeDiagonal: "remove_diagonal" };

/**
 * Serializes a loss class instance or a loss function (Keras `keras.losses.serialize`): a class gives
 * `{ module: "keras.losses", class_name, config, registered_name: null }` with Keras's config keys (plus
 * `dtype`), a function `{ module: "keras.losses", class_name: "function", config: name, registered_name:
 * null }`. Both load in Keras with `keras.losses.deserialize`.
 *
 * @param loss - a loss instance or function of this facade
 * @returns the serialized form (JSON-safe)
 * @throws {@link InvalidOptionsError} for anything else
 * @example
 * ```ts
 * serialize(new Circle({ gamma: 64 }));
 * // => { module: "keras.losses", class_name: "Circle", config: { name: "circle", reduction: "sum_over_batch_size", dtype: "float32", gamma: 64, margin: 0.4, remove_diagonal: true }, registered_name: null }
 * serialize(squaredHinge); // => { module: "keras.losses", class_name: "function", config: "squared_hinge", registered_name: null }
 * ```
 */
export function serialize(loss: Loss | KerasLossFunction): SerializedLoss {
  if (loss instanceof Loss) {
    const config: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(loss.getConfig())) config[SNAKE[k] ?? k] = v;
    return { module: "keras.losses", class_name: loss.className, config, registered_name: null };
  }
  const name = kerasNameOf(loss);
  if (name === undefined) {
    throw new InvalidOptionsError(
      `cannot serialize ${describe(loss)}: expected a Keras loss class instance or function`,
    );
  }
  return { module: "keras.losses", class_name: "function", config: name, registered_name: null };
}

/**
 * Rebuilds a loss from its serialized form (Keras `keras.losses.deserialize`): a dict from
 * {@link serialize} or from Keras (snake_case config keys such as `remove_diagonal` are read), or a function
 * name. A config without `dtype` (Keras's own) gives the default float32.
 *
 * @param config - a serialized loss, or a function name such as `"hinge"`
 * @returns a new loss instance, or the function
 * @throws {@link InvalidOptionsError} for an unknown class, module or function, or a bad config
 * @example
 * ```ts
 * (deserialize({ class_name: "Hinge", config: { name: "h", reduction: "sum" } }) as Hinge).getConfig();
 * // => { name: "h", reduction: "sum", dtype: "float32" }
 * deserialize("categorical_hinge") === categoricalHinge; // => true
 * ```
 */
export function deserialize(config: SerializedLoss | string): Loss | KerasLossFunction {
  if (typeof config === "string") {
    const fns = functionsByName();
    if (own(fns, config)) return fns[config];
    throw unknownName(config);
  }
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new InvalidOptionsError(`a serialized loss must be an object or a name, got ${describe(config)}`);
  }
  const { module, class_name: className, config: inner } = config;
  if (module !== undefined && !(module === "builtins" || module === "keras" || module.startsWith("keras."))) {
    throw new InvalidOptionsError(
      `cannot deserialize a loss from module ${JSON.stringify(module)}: expected a Keras module`,
    );
  }
  if (className === "function") {
    if (typeof inner !== "string") {
      throw new InvalidOptionsError(`a serialized function must name it in config, got ${describe(inner)}`);
    }
    const fns = functionsByName();
    if (own(fns, inner)) return fns[inner];
    if (inner === "categorical_generalized_cross_entropy") return categoricalGeneralizedCrossEntropy;
    throw unknownName(inner);
  }
  const classes = { ...classesByName(), ...deserializableOnly() };
  if (typeof className !== "string" || !own(classes, className)) throw unknownName(String(className));
  if (inner === null || typeof inner !== "object" || Array.isArray(inner)) {
    throw new InvalidOptionsError(
      `the config of a serialized ${className} must be an object, got ${describe(inner)}`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inner)) options[CAMEL[k] ?? k] = v;
  return classes[className].fromConfig(options);
}

/**
 * Retrieves a loss (Keras `keras.losses.get`): a class name gives a new instance with the defaults
 * (`"Hinge"`, `"SquaredHinge"`, `"CategoricalHinge"`, `"Circle"`), a function name the function (`"hinge"`,
 * `"squared_hinge"`, `"categorical_hinge"`, `"circle"`, and tfjs-layers' `"squaredHinge"`,
 * `"categoricalHinge"`), a serialized dict goes through {@link deserialize}, a loss or function is returned
 * as is, and `null` / `undefined` give `null`.
 *
 * @param identifier - a name, a serialized loss, a loss or function, or nothing
 * @returns the loss, the function, or `null`
 * @throws {@link InvalidOptionsError} naming the known names for anything else
 * @example
 * ```ts
 * get("hinge") === hinge; // => true
 * get("SquaredHinge").getConfig(); // => { name: "squared_hinge", reduction: "sum_over_batch_size", dtype: "float32" }
 * ```
 */
export function get(identifier: "Hinge" | "SquaredHinge" | "CategoricalHinge" | "Circle"): Loss;
export function get(identifier: null | undefined): null;
export function get(identifier: unknown): Loss | KerasLossFunction | null;
export function get(identifier: unknown): Loss | KerasLossFunction | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === "string") {
    const classes = classesByName();
    if (own(classes, identifier)) return new classes[identifier]();
    return deserialize(identifier);
  }
  if (identifier instanceof Loss || kerasNameOf(identifier) !== undefined) {
    return identifier as Loss | KerasLossFunction;
  }
  if (typeof identifier === "object" && !Array.isArray(identifier))
    return deserialize(identifier as SerializedLoss);
  throw new InvalidOptionsError(`Could not interpret loss identifier: ${describe(identifier)}`);
}
