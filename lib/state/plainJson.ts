import { MetricStateError } from "../errors/index.js";

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Checks that an untrusted value is plain JSON data before any schema reads it: only plain objects (prototype
 * `Object.prototype` or `null`), arrays, strings, finite numbers, booleans and null; no `__proto__`,
 * `constructor` or `prototype` keys (even as own keys, as `JSON.parse` makes them); no getters; bounded depth.
 *
 * @param value - the untrusted value
 * @param what - how to name it in messages (e.g. `"state"`)
 * @throws {@link MetricStateError} naming the first offending path
 * @example
 * ```ts
 * assertPlainJson(JSON.parse('{"a": [1, 2]}'), "state"); // passes
 * assertPlainJson(JSON.parse('{"__proto__": {}}'), "state"); // throws MetricStateError
 * ```
 */
export function assertPlainJson(value: unknown, what: string): void {
  try {
    walk(value, what, 0);
  } catch (error) {
    // A hostile object (a Proxy whose getPrototypeOf / ownKeys / get trap throws, a throwing getter on an
    // array index) is still a bad state: never a raw error, so `onInvalid: "skip"` can skip it.
    if (error instanceof MetricStateError) throw error;
    throw new MetricStateError(
      `${what} could not be read as JSON data: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function walk(value: unknown, path: string, depth: number): void {
  if (depth > 8) throw new MetricStateError(`${path} is nested too deeply for a metric state`);
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new MetricStateError(`${path} must be a finite number, got ${value}`);
    return;
  }
  if (typeof value !== "object")
    throw new MetricStateError(`${path} must be JSON data, got a ${typeof value}`);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype)
      throw new MetricStateError(`${path} must be a plain array`);
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, depth + 1);
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new MetricStateError(`${path} must be a plain object (no custom prototype)`);
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== "string") throw new MetricStateError(`${path} must not have symbol keys`);
    if (FORBIDDEN_KEYS.has(key)) throw new MetricStateError(`${path} must not have a "${key}" key`);
    const desc = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor;
    if (!("value" in desc))
      throw new MetricStateError(`${path}.${key} must be a data property, not a getter`);
    walk(desc.value, `${path}.${key}`, depth + 1);
  }
}
