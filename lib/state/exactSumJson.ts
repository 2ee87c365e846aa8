/**
 * The JSON side of an exact-sum field's decoder: hex-float strings (untrusted) to exact scaled sums.
 *
 * @module
 */
import { z } from "zod";
import { MetricStateError } from "../errors/index.js";
import { parseHexFloat } from "./exactSum.js";

/** A decoded sum may not exceed 2^1024 · 2^64 in magnitude: no run of fewer than 2^64 finite additions can. */
const MAX_EXACT = 1n << (1074n + 1024n + 64n);
const hexSchema = z.string().max(800);

/**
 * Reads the JSON form of an exact-sum field (a hex-float string for a scalar field, an array of them for a
 * vector field) into exact sums scaled by 2^1074, as untrusted input.
 *
 * @param json - a hex-float string or an array of them
 * @param path - where it is, for messages
 * @param size - the declared size (undefined for a scalar field; 0 for a field sized by its first batch)
 * @returns one scaled sum per entry
 * @throws {@link MetricStateError} naming `path` (and the entry)
 * @example
 * ```ts
 * decodeExactSums("0x1.8p+1", "state.total", undefined); // => [3n << 1074n]
 * ```
 */
export function decodeExactSums(json: unknown, path: string, size: number | undefined): bigint[] {
  const texts = size === undefined ? [json] : json;
  const parsed = z
    .array(hexSchema)
    .max(1 << 24)
    .safeParse(texts);
  if (!parsed.success) {
    throw new MetricStateError(
      `${path} must be ${size === undefined ? 'a hex-float string such as "0x1.8p+1"' : "an array of hex-float strings"}`,
    );
  }
  const list = parsed.data;
  if (size !== undefined && size !== 0 && list.length !== size) {
    throw new MetricStateError(`${path} must have ${size} entries, got ${list.length}`);
  }
  return list.map((text, k) => {
    const where = size === undefined ? path : `${path}[${k}]`;
    const value = parseHexFloat(text);
    if (value === undefined) {
      throw new MetricStateError(
        `${where} must be an exact hex-float string such as "0x1.8p+1", got ${JSON.stringify(text)}`,
      );
    }
    if (value >= MAX_EXACT || -value >= MAX_EXACT) {
      throw new MetricStateError(`${where} is impossibly large for a sum of finite doubles: ${text}`);
    }
    return value;
  });
}
