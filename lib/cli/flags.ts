import { parseArgs, type ParseArgsConfig } from "node:util";
import { InvalidOptionsError } from "../errors/index.js";
import {
  prettyOptionsError,
  resolveHingeLossOptions,
  type ResolvedHingeLossOptions,
} from "../options/index.js";
import { UsageError } from "./errors.js";
import { DEFAULT_MAX_LINE_BYTES, MAX_LINE_BYTES_LIMIT } from "./lines.js";
import { checkOutputPath } from "./outputs.js";
import type { Columns } from "./records.js";

/** A numeric flag as a number when it reads as one, else the text (so zod's message shows what was given). */
function numberFlag(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : text;
}

/**
 * The metric flags (`--squared`, `--multiclass-mode`, `--num-classes`, `--ignore-index`) as validated options.
 *
 * @param values - the parsed flags
 * @returns the resolved hinge-loss options
 * @throws {@link UsageError} with the ✖ lines of the options error
 * @example
 * ```ts
 * resolveFlags({ squared: true }).squared; // => true
 * ```
 */
export function resolveFlags(values: Record<string, unknown>): ResolvedHingeLossOptions {
  const options: Record<string, unknown> = {};
  if (values.squared === true) options.squared = true;
  if (values["multiclass-mode"] !== undefined) options.multiclassMode = values["multiclass-mode"];
  const numClasses = numberFlag(values["num-classes"] as string | undefined);
  if (numClasses !== undefined) options.numClasses = numClasses;
  const ignoreIndex = numberFlag(values["ignore-index"] as string | undefined);
  if (ignoreIndex !== undefined) options.ignoreIndex = ignoreIndex;
  try {
    return resolveHingeLossOptions(options);
  } catch (error) {
    if (error instanceof InvalidOptionsError)
      throw new UsageError(`invalid options\n${prettyOptionsError(error)}`);
    throw error;
  }
}

/**
 * The metric flags, for `parseArgs`.
 *
 * @example
 * ```ts
 * METRIC_FLAGS.squared.type; // => "boolean"
 * ```
 */
export const METRIC_FLAGS = {
  squared: { type: "boolean" },
  "multiclass-mode": { type: "string" },
  "num-classes": { type: "string" },
  "ignore-index": { type: "string" },
} as const;

/**
 * The output flags, for `parseArgs`.
 *
 * @example
 * ```ts
 * OUTPUT_FLAGS["state-out"].type; // => "string"
 * ```
 */
export const OUTPUT_FLAGS = {
  json: { type: "boolean" },
  "state-out": { type: "string" },
  plot: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Checks the output files (`--state-out`, `--plot`, `--save`) before any input is read: each can be
 * written, and no two name the same file.
 *
 * @param values - the parsed flags
 * @throws {@link DataError} for a path that cannot be written; {@link UsageError} for one path given twice
 * @example
 * ```ts
 * checkOutputs({ "state-out": "/nonexistent-folder/s.json" });
 * // throws DataError: cannot write /nonexistent-folder/s.json (--state-out): the folder /nonexistent-folder does not exist
 * ```
 */
export function checkOutputs(values: Record<string, unknown>): void {
  const outputs: [string, string][] = [];
  for (const flag of ["state-out", "plot", "save"]) {
    const path = values[flag];
    if (typeof path === "string") outputs.push([path, `--${flag}`]);
  }
  for (const [path, flag] of outputs) checkOutputPath(path, flag);
  for (let i = 1; i < outputs.length; i++) {
    const same = outputs.find(([path], j) => j < i && path === outputs[i][0]);
    if (same !== undefined)
      throw new UsageError(`${same[1]} and ${outputs[i][1]} name the same file ${outputs[i][0]}`);
  }
}

/**
 * `--max-line-bytes N`: an integer, optionally with K, M or G (powers of 1024), from 1 to
 * {@link MAX_LINE_BYTES_LIMIT}.
 *
 * @param text - the flag's value, or `undefined` for the default
 * @returns the limit in bytes
 * @throws {@link UsageError} for anything else
 * @example
 * ```ts
 * maxLineBytesFlag("64M"); // => 67108864
 * ```
 */
export function maxLineBytesFlag(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_LINE_BYTES;
  const m = /^(\d+)([KMG]?)$/i.exec(text.trim());
  const scale = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m?.[2] ?? "").toUpperCase()] ?? 1;
  const value = m === null ? NaN : Number(m[1]) * scale;
  if (!(value >= 1 && value <= MAX_LINE_BYTES_LIMIT)) {
    throw new UsageError(
      `--max-line-bytes must be an integer from 1 to ${MAX_LINE_BYTES_LIMIT} (suffixes K, M, G), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/**
 * The column flags (`--target-col`, `--pred-col`, `--pred-cols`, `--weight-col`).
 *
 * @param values - the parsed flags
 * @returns the chosen names (`null` for a default)
 * @throws {@link UsageError} for an empty name, fewer than two `--pred-cols`, a name given twice, or both
 *   `--pred-col` and `--pred-cols`
 * @example
 * ```ts
 * columnsFlag({ "pred-cols": "a,b" }).preds; // => ["a", "b"]
 * ```
 */
export function columnsFlag(values: Record<string, unknown>): Columns {
  const name = (flag: string): string | null => {
    const v = values[flag];
    if (v === undefined) return null;
    if (typeof v !== "string" || v.trim() === "") throw new UsageError(`--${flag} needs a column name`);
    return v.trim();
  };
  const pred = name("pred-col");
  const list = values["pred-cols"];
  let preds: string[] | null = null;
  if (list !== undefined) {
    if (pred !== null)
      throw new UsageError("--pred-col (binary) and --pred-cols (multiclass) exclude each other");
    preds = String(list)
      .split(",")
      .map((c) => c.trim());
    if (preds.length < 2 || preds.some((c) => c === "")) {
      throw new UsageError(
        `--pred-cols needs two or more comma-separated column names (one per class), got ${JSON.stringify(list)}`,
      );
    }
    const twice = preds.find((c, i) => preds?.indexOf(c) !== i);
    if (twice !== undefined)
      throw new UsageError(`--pred-cols names the column ${JSON.stringify(twice)} twice`);
  }
  return {
    target: name("target-col"),
    pred,
    preds,
    weight: name("weight-col"),
  };
}

/**
 * `--plot` draws one point per group: it needs grouped results.
 *
 * @param values - the parsed flags
 * @param grouped - whether the results are grouped
 * @throws {@link UsageError} for `--plot` without groups
 * @example
 * ```ts
 * checkPlot({}, false); // => undefined
 * ```
 */
export function checkPlot(values: Record<string, unknown>, grouped: boolean): void {
  if (values.plot !== undefined && !grouped) {
    throw new UsageError("--plot draws the value per group: it needs --by FIELD (or grouped states)");
  }
}

/**
 * `parseArgs` with the CLI's rules: positionals allowed, unknown flags refused with a hint (`did you mean
 * --num-classes?`, or the known flags), and a negative number taken as a string flag's value
 * (`--ignore-index -100`).
 *
 * @param args - the arguments after the command
 * @param options - the flags, as for `parseArgs`
 * @returns `{ values, positionals }`
 * @throws {@link UsageError} for an unknown flag or a missing value
 * @example
 * ```ts
 * parseFlags(["a.csv", "--ignore-index", "-1"], { "ignore-index": { type: "string" } }).values["ignore-index"];
 * // => "-1"
 * ```
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  options: T,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  // `--ignore-index -100`: a negative number is the flag's value, not another flag
  const opts = (options ?? {}) as Record<string, { type: string }>;
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : null;
    if (name !== null && opts[name]?.type === "string" && /^-\.?\d/.test(args[i + 1] ?? "")) {
      joined.push(`${args[i]}=${args[i + 1]}`);
      i++;
    } else joined.push(args[i]);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(--[^']+)'/.exec(message);
    if (unknown !== null) {
      const kebab = unknown[1].replace(/_/g, "-").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
      const known = Object.keys(options ?? {})
        .filter((name) => name !== "debug-memory")
        .map((name) => `--${name}`);
      const hint = known.includes(kebab) ? `did you mean ${kebab}?` : `known options: ${known.join(", ")}`;
      throw new UsageError(`unknown option ${unknown[1]}: ${hint}`);
    }
    throw new UsageError(message);
  }
}
