/**
 * A usage error (a bad flag or option value): printed with a hint to `--help`, exit code 2.
 *
 * @example
 * ```ts
 * new UsageError("merge needs at least one STATE file").name; // => "UsageError"
 * ```
 */
export class UsageError extends Error {
  /** @param message - what is wrong with the command line */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * A failure of the data, of a state file, or of reading or writing a file: printed as one line, exit code 1.
 *
 * @example
 * ```ts
 * new DataError("cannot read a.csv: ENOENT").name; // => "DataError"
 * ```
 */
export class DataError extends Error {
  /** @param message - the whole line to print */
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/**
 * A short, one-line rendering of a text taken from the input (a header, a cell, a field name) for a message:
 * at most `max` characters, with `…` and the full length when cut, so a huge line is never echoed whole.
 *
 * @param text - the text
 * @param max - the most characters to show (default 60)
 * @returns the text, JSON-quoted, cut if needed
 * @example
 * ```ts
 * clip("target"); // => '"target"'
 * clip("x".repeat(100), 5); // => '"xxxxx…" (100 characters)'
 * ```
 */
export function clip(text: string, max = 60): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max) + "…")} (${text.length} characters)`;
}

/**
 * The reason of a failed file operation as words: the errno code (`ENOENT`, `EACCES`, …) with a short
 * explanation, or the message.
 *
 * @param error - what the operation threw
 * @returns e.g. `"no such file or directory (ENOENT)"`
 * @example
 * ```ts
 * ioReason(Object.assign(new Error("x"), { code: "EACCES" })); // => "permission denied (EACCES)"
 * ```
 */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const words: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a directory",
    ENOTDIR: "a part of the path is not a directory",
    ENOSPC: "no space left on the device",
    EROFS: "read-only file system",
    EMFILE: "too many open files",
    Z_BUF_ERROR: "unexpected end of gzip data: the file is empty or truncated",
    Z_DATA_ERROR: "not gzip data, or corrupt gzip data",
  };
  if (typeof code === "string") return words[code] !== undefined ? `${words[code]} (${code})` : code;
  return error instanceof Error ? error.message : String(error);
}
