import { z } from "zod";
import { InvalidOptionsError } from "../errors/index.js";

function camelCase(key: string): string {
  return key.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parses untrusted options with a zod strict-object schema and turns any failure into an
 * {@link InvalidOptionsError} with one `✖ message → at key` line per problem (zod's grammar). An unknown
 * key names the allowed keys, and a snake_case key such as `multiclass_mode` names its camelCase form.
 *
 * @param schema - a `z.strictObject(...)` schema
 * @param input - the options as given (`undefined` means all defaults)
 * @param owner - who takes the options, for the message (e.g. `"HingeLoss"`)
 * @returns the parsed options with defaults filled in
 * @throws {@link InvalidOptionsError} when the input does not fit the schema
 * @example
 * ```ts
 * parseOptions(hingeLossOptionsSchema, { squared: true }, "HingeLoss").squared; // => true
 * ```
 */
export function parseOptions<S extends z.ZodObject>(schema: S, input: unknown, owner: string): z.output<S> {
  if (input !== undefined && (input === null || typeof input !== "object" || Array.isArray(input))) {
    throw new InvalidOptionsError(`${owner} options must be an object, got ${describe(input)}`);
  }
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const allowed = Object.keys(schema.shape);
  const lines: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const hint = allowed.includes(camelCase(key))
          ? `did you mean "${camelCase(key)}"?`
          : `allowed keys: ${allowed.join(", ")}`;
        lines.push(`✖ unknown option "${key}" for ${owner}: ${hint}`);
      }
    } else {
      const path = issue.path.length > 0 ? `\n  → at ${issue.path.join(".")}` : "";
      lines.push(`✖ ${issue.message}${path}`);
    }
  }
  throw new InvalidOptionsError(lines.join("\n"));
}

/**
 * A short description of a value for error messages: its JSON text for primitives and short arrays, or its
 * type for everything else.
 *
 * @param value - anything
 * @returns e.g. `2`, `"a"`, `null`, `undefined`, `an object`, `NaN`
 * @example
 * ```ts
 * describe("x"); // => '"x"'
 * ```
 */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return "an object";
}
