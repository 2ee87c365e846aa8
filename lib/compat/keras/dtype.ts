/**
 * Keras dtypes for the facade: correctly rounded conversion of float64 values to `float16`, `bfloat16` and
 * `float32` (round to nearest, ties to even, with subnormals and overflow to ±Infinity as IEEE 754 does),
 * and the arithmetic model of a computation carried out in one of them.
 *
 * @module
 */
import { z } from "zod";

/**
 * The dtype of a Keras loss or metric: `"float32"` (Keras's default floatx), `"float16"`, `"bfloat16"`, or
 * `"float64"`.
 *
 * @example
 * ```ts
 * const d: KerasDtype = "bfloat16";
 * ```
 */
export type KerasDtype = "float16" | "bfloat16" | "float32" | "float64";

/**
 * The accepted dtypes, for option schemas; any other value is an error naming them.
 *
 * @example
 * ```ts
 * kerasDtypeSchema.parse("bfloat16"); // => "bfloat16"
 * ```
 */
export const kerasDtypeSchema = z.enum(["float16", "bfloat16", "float32", "float64"], {
  error: (issue) =>
    `invalid dtype ${JSON.stringify(issue.input)}: expected one of "float16", "bfloat16", "float32", "float64"`,
});

/** Exact exponent `e` with `2^e ≤ a < 2^(e+1)`, for a finite `a > 0`. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return e;
}

/**
 * Rounds a float64 to a binary format with `p` significand bits (hidden bit included), minimum normal
 * exponent `emin` and largest finite value `max`: round to nearest, ties to even; below `2^emin` the
 * spacing is fixed (subnormals); a result above `max` is ±Infinity. NaN, ±Infinity and ±0 pass through.
 */
function roundToFormat(x: number, p: number, emin: number, max: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const a = Math.abs(x);
  const ulp = 2 ** (Math.max(exponentOf(a), emin) - (p - 1));
  const q = a / ulp; // exact: a power-of-two scaling that stays in float64's normal range
  let n = Math.floor(q);
  const rest = q - n; // exact: q < 2^p
  if (rest > 0.5 || (rest === 0.5 && n % 2 === 1)) n += 1;
  const y = n * ulp;
  if (y > max) return x > 0 ? Infinity : -Infinity;
  return x < 0 ? -y : y;
}

/**
 * Largest finite float16: (2 − 2^-10)·2^15.
 *
 * @example
 * ```ts
 * FLOAT16_MAX; // => 65504
 * ```
 */
export const FLOAT16_MAX = 65504;
/**
 * Largest finite bfloat16: (2 − 2^-7)·2^127.
 *
 * @example
 * ```ts
 * BFLOAT16_MAX === 2 ** 128 - 2 ** 120; // => true
 * ```
 */
export const BFLOAT16_MAX = (2 - 2 ** -7) * 2 ** 127;

/**
 * The float16 (IEEE binary16) nearest to `x`, ties to even: 11 significand bits, normal range from
 * 2^-14, subnormals down to 2^-24, largest finite 65504 (from 65520 on the result is Infinity).
 *
 * @param x - a float64 value
 * @returns the float16 value, as a number
 * @example
 * ```ts
 * toFloat16(0.1); // => 0.0999755859375
 * toFloat16(65520); // => Infinity
 * ```
 */
export function toFloat16(x: number): number {
  return roundToFormat(x, 11, -14, FLOAT16_MAX);
}

/**
 * The bfloat16 nearest to `x`, ties to even: 8 significand bits and float32's exponent range (normal from
 * 2^-126, subnormals down to 2^-133), rounded directly from float64 (no double rounding through float32).
 *
 * @param x - a float64 value
 * @returns the bfloat16 value, as a number
 * @example
 * ```ts
 * toBfloat16(1.3); // => 1.296875
 * toBfloat16(0.1); // => 0.10009765625
 * ```
 */
export function toBfloat16(x: number): number {
  return roundToFormat(x, 8, -126, BFLOAT16_MAX);
}

const identity = (x: number): number => x;

/**
 * The rounding function of a dtype: `Math.fround` for float32, {@link toFloat16}, {@link toBfloat16}, and
 * the identity for float64.
 *
 * @param dtype - a dtype
 * @returns `x ↦ x` rounded to the dtype
 * @example
 * ```ts
 * roundTo("float32")(0.1); // => 0.10000000149011612
 * ```
 */
export function roundTo(dtype: KerasDtype): (x: number) => number {
  if (dtype === "float32") return Math.fround;
  if (dtype === "float16") return toFloat16;
  if (dtype === "bfloat16") return toBfloat16;
  return identity;
}

/**
 * How a computation in a dtype rounds, as Keras's backends carry it out:
 * - `r`: every elementwise operation (`+ − × ÷`, `pow`, `exp`, …) is rounded to the dtype. For `+ − × ÷`
 *   on values of the dtype, computing in float64 and rounding once equals the dtype's own correctly rounded
 *   operation (float64 has more than twice the bits plus two of float32, float16 and bfloat16);
 * - `sum`: a sum or mean over an axis accumulates in float32 at least (JAX and PyTorch upcast float16 and
 *   bfloat16 reductions to float32), then rounds to the dtype. The facade sums exactly in float64-or-better,
 *   rounds the sum to the accumulator's precision and divides there (a mean), then rounds to the dtype.
 *
 * @example
 * ```ts
 * arithmetic("bfloat16").mean(1.6015625 + 0.59765625, 2); // => 1.1015625
 * ```
 */
export interface Arithmetic {
  /** The dtype. */
  readonly dtype: KerasDtype;
  /** Rounds one elementwise result to the dtype. */
  readonly r: (x: number) => number;
  /** A reduction's result from its exact sum `s`: `r(acc(s))`. */
  readonly sum: (s: number) => number;
  /** A mean's result from the exact sum `s` of `n` values: `r(acc(acc(s) / n))`. */
  readonly mean: (s: number, n: number) => number;
}

/**
 * The {@link Arithmetic} of a dtype.
 *
 * @param dtype - a dtype
 * @returns its rounding model
 * @example
 * ```ts
 * arithmetic("float32").sum(0.1); // => 0.10000000149011612
 * ```
 */
export function arithmetic(dtype: KerasDtype): Arithmetic {
  const r = roundTo(dtype);
  const acc = dtype === "float64" ? identity : Math.fround;
  return {
    dtype,
    r,
    sum: (s) => r(acc(s)),
    mean: (s, n) => r(acc(acc(s) / n)),
  };
}
