import { z } from "zod";
import { InvalidOptionsError } from "../errors/index.js";

function camelCase(key: string): string {
  return key.replace(/[_-]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** One problem with an options object: the option's path (`""` for the object itself) and a sentence. */
interface OptionsProblem {
  readonly path: string;
  readonly text: string;
}

const PROBLEMS = Symbol("streammetrics.optionsProblems");

function expectedText(issue: z.core.$ZodIssue): string | null {
  switch (issue.code) {
    case "invalid_value":
      return `one of ${issue.values.map((v) => (typeof v === "string" ? JSON.stringify(v) : String(v))).join(", ")}`;
    case "invalid_type":
      return issue.expected === "int" ? "an integer" : `a ${issue.expected}`;
    case "too_small":
      return `${issue.inclusive === false ? ">" : "≥"} ${String(issue.minimum)}`;
    case "too_big":
      return `${issue.inclusive === false ? "<" : "≤"} ${String(issue.maximum)}`;
    default:
      return null;
  }
}

/** zod's own (English locale) messages start so; a schema's custom message is kept as written. */
const ZOD_DEFAULT = /^(Invalid( input| option| value| type)?: |Too (small|big): )/;

function problemsOf(issues: readonly z.core.$ZodIssue[], allowed: string[], owner: string): OptionsProblem[] {
  const out: OptionsProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const hint = allowed.includes(camelCase(key))
          ? `did you mean "${camelCase(key)}"?`
          : `allowed keys: ${allowed.join(", ")}`;
        out.push({ path: key, text: `unknown option "${key}" for ${owner}: ${hint}` });
      }
      continue;
    }
    const expected = expectedText(issue);
    let text: string;
    if (path === "") text = `${owner} options: ${issue.message}`;
    else if (issue.message.startsWith(`${path} `)) text = `option ${issue.message}`;
    else if (expected !== null && ZOD_DEFAULT.test(issue.message))
      text = `option ${path} must be ${expected}, got ${describe(issue.input)}`;
    else text = `option ${path}: ${issue.message}`;
    out.push({ path, text });
  }
  return out;
}

/**
 * The options' own enumerable keys, read once into a null-prototype object: an inherited key is not an
 * option, a getter runs once (zod then sees the same value everywhere), and a throwing getter or Proxy trap
 * becomes an {@link InvalidOptionsError} instead of escaping as the caller's own error.
 */
function ownSnapshot(input: unknown, owner: string, allowed: string[]): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  if (input === undefined) return out;
  try {
    // an option found only on the prototype (a class getter, Object.create(defaults)) would be ignored here
    // and read by zod before: refuse it rather than change its meaning silently
    const inherited = allowed.find((key) => key in (input as object) && !Object.hasOwn(input as object, key));
    if (inherited !== undefined) {
      throw new InvalidOptionsError(
        `option ${inherited} of ${owner} is inherited from the options' prototype: pass a plain object with its own keys`,
      );
    }
    for (const key of Object.keys(input as object)) {
      Object.defineProperty(out, key, {
        value: (input as Record<string, unknown>)[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw error;
    let text: string;
    try {
      text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    } catch {
      text = "an exception";
    }
    throw new InvalidOptionsError(`${owner} options could not be read: reading them threw ${text}`);
  }
  return out;
}

/**
 * Parses untrusted options with a zod strict-object schema and turns any failure into an
 * {@link InvalidOptionsError} whose message is a plain sentence per problem (joined by `; `), naming the
 * option, the value and what is allowed, e.g.
 * `option multiclassMode must be "crammer-singer" or "one-vs-all", got "x"`. An unknown key names the allowed
 * keys, and a snake_case key such as `multiclass_mode` names its camelCase form. The terminal rendering
 * (`✖ … → at …`) is {@link prettyOptionsError}'s, for the CLI.
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
  const result = schema.safeParse(ownSnapshot(input, owner, Object.keys(schema.shape)), {
    reportInput: true,
  });
  if (result.success) return result.data;
  const problems = problemsOf(result.error.issues, Object.keys(schema.shape), owner);
  const error = new InvalidOptionsError(problems.map((p) => p.text).join("; "));
  Object.defineProperty(error, PROBLEMS, { value: problems, enumerable: false });
  throw error;
}

/**
 * An {@link InvalidOptionsError} for one problem found outside a schema (e.g. two options that do not go
 * together): `error.message` is the plain sentence, and {@link prettyOptionsError} renders it as
 * `✖ text` with `→ at path` under it, like the problems {@link parseOptions} finds.
 *
 * @param path - the option the problem is about (`""` for the options as a whole)
 * @param text - the plain sentence, naming the option, the value and what is allowed
 * @returns the error, to throw
 * @example
 * ```ts
 * const error = invalidOption("emit", 'option emit "epoch" needs the epochs option');
 * error.message; // => 'option emit "epoch" needs the epochs option'
 * prettyOptionsError(error); // => '✖ option emit "epoch" needs the epochs option\n  → at emit'
 * ```
 */
export function invalidOption(path: string, text: string): InvalidOptionsError {
  const error = new InvalidOptionsError(text);
  Object.defineProperty(error, PROBLEMS, { value: [{ path, text }], enumerable: false });
  return error;
}

/**
 * The terminal rendering of an options error: one `✖ problem` line per problem, with `  → at option` under
 * it (zod's `prettifyError` grammar). For the CLI; programs read `error.message`, a plain sentence.
 *
 * @param error - an error thrown by {@link parseOptions} (any other error gives `✖ ` and its message)
 * @returns the lines, joined by newlines
 * @example
 * ```ts
 * try {
 *   parseOptions(hingeLossOptionsSchema, { squared: 1 }, "HingeLoss");
 * } catch (error) {
 *   prettyOptionsError(error as Error);
 *   // => "✖ option squared must be a boolean, got 1\n  → at squared"
 * }
 * ```
 */
export function prettyOptionsError(error: Error): string {
  const problems = (error as Error & { [PROBLEMS]?: OptionsProblem[] })[PROBLEMS];
  if (problems === undefined) return `✖ ${error.message}`;
  return problems.map((p) => (p.path === "" ? `✖ ${p.text}` : `✖ ${p.text}\n  → at ${p.path}`)).join("\n");
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
