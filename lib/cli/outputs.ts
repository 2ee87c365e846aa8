import {
  accessSync,
  closeSync,
  constants,
  openSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { DataError, ioReason, UsageError } from "./errors.js";

/**
 * Checks, before any input is read, that a file can be written where a flag says: not a directory, in a
 * folder that exists and is writable, and writable itself if it exists. Nothing is created or truncated
 * here (a previous state file survives a run that fails).
 *
 * @param path - the path given to the flag
 * @param flag - the flag's name, for the message (`--state-out`)
 * @throws {@link DataError} (exit 1) naming the flag, the path and why it cannot be written
 * @example
 * ```ts
 * checkOutputPath("/nonexistent-folder/state.json", "--state-out");
 * // throws DataError: cannot write /nonexistent-folder/state.json (--state-out): the folder /nonexistent-folder does not exist
 * ```
 */
export function checkOutputPath(path: string, flag: string): void {
  if (path === "") throw new UsageError(`${flag} needs a file name`);
  const fail = (why: string): never => {
    throw new DataError(`cannot write ${path} (${flag}): ${why}`);
  };
  let isFile = false;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) fail("it is a directory");
    isFile = true;
  } catch (error) {
    if (error instanceof DataError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") fail(ioReason(error));
  }
  try {
    accessSync(isFile ? path : dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    const dir = dirname(resolve(path));
    if (!isFile && (error as NodeJS.ErrnoException).code === "ENOENT")
      fail(`the folder ${dir} does not exist`);
    fail(ioReason(error));
  }
  if (!isFile && !statSync(dirname(resolve(path))).isDirectory()) {
    fail(`${dirname(resolve(path))} is not a folder`);
  }
}

/**
 * Pieces of text joined into strings of about a megabyte (fewer writes than one per piece, and never one
 * string of everything).
 *
 * @param pieces - the text in pieces
 * @param size - the size to reach before a string is given out
 * @returns the joined strings, in order
 * @example
 * ```ts
 * [...inPieces(["a", "b", "c"], 2)]; // => ["ab", "c"]
 * ```
 */
export function* inPieces(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let buffer: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    length += piece.length;
    if (length >= size) {
      yield buffer.join("");
      buffer = [];
      length = 0;
    }
  }
  if (length > 0 || buffer.length > 0) yield buffer.join("");
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it (a failure never
 * leaves a truncated state file).
 *
 * @param path - where to write
 * @param text - the content, whole or in pieces (written about a megabyte at a time)
 * @param flag - the flag's name, for the message
 * @throws {@link DataError} (exit 1) when the file cannot be written
 * @example
 * ```ts
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * writeOutputFile(join(tmpdir(), "state.json"), "{}\n", "--state-out"); // => undefined
 * ```
 */
export function writeOutputFile(path: string, text: string | Iterable<string>, flag: string): void {
  const temp = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(temp, "w");
    for (const piece of inPieces(typeof text === "string" ? [text] : text)) writeSync(fd, piece);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw new DataError(`cannot write ${path} (${flag}): ${ioReason(error)}`);
  }
}
