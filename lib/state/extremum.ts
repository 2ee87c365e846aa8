import { z } from "zod";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { StateField, StateValue } from "./field.js";

/**
 * A state field value holding a running maximum or minimum (of `size` values; one for a scalar field).
 * Merge takes the max (min). Empty, it holds -Infinity (+Infinity), written `null` in JSON. Declare it with
 * {@link maxOf} or {@link minOf}.
 *
 * @example
 * ```ts
 * const m = maxOf().empty();
 * m.update(3); m.update(-1);
 * m.value(); // => 3
 * ```
 */
export class Extremum implements StateValue {
  /** `"max"` or `"min"`. */
  readonly which: "max" | "min";
  /** True for a vector field (JSON: an array). */
  readonly vector: boolean;
  /** The current extremes (read them; write through {@link Extremum.update}). */
  values: Float64Array;

  /**
   * @param which - max or min
   * @param size - how many values
   * @param vector - whether the field was declared with a size
   */
  constructor(which: "max" | "min", size: number, vector: boolean) {
    this.which = which;
    this.vector = vector;
    this.values = new Float64Array(size).fill(which === "max" ? -Infinity : Infinity);
  }

  /**
   * Takes `x` into extreme `k`.
   *
   * @param x - a number (NaN is refused)
   * @param k - which value (default 0)
   * @throws {@link MetricInputError} for NaN
   * @example
   * ```ts
   * const m = minOf().empty();
   * m.update(2); m.update(5);
   * m.value(); // => 2
   * ```
   */
  update(x: number, k = 0): void {
    if (x !== x) throw new MetricInputError("cannot take NaN into a running max/min");
    const v = this.values;
    if (this.which === "max" ? x > v[k] : x < v[k]) v[k] = x;
  }

  /**
   * Extreme `k` (-Infinity for an empty max, +Infinity for an empty min).
   *
   * @param k - which value (default 0)
   * @returns the extreme
   * @example
   * ```ts
   * maxOf().empty().value(); // => -Infinity
   * ```
   */
  value(k = 0): number {
    return this.values[k];
  }

  /**
   * True when nothing was taken into value `k`.
   *
   * @param k - which value (default 0)
   * @returns whether it is empty
   * @example
   * ```ts
   * maxOf().empty().isEmpty(); // => true
   * ```
   */
  isEmpty(k = 0): boolean {
    return this.values[k] === (this.which === "max" ? -Infinity : Infinity);
  }

  /** {@inheritDoc StateValue.copy} */
  copy(): this {
    const out = new Extremum(this.which, 0, this.vector) as this;
    out.values = this.values.slice();
    return out;
  }

  /** {@inheritDoc StateValue.checkMerge} */
  checkMerge(other: this, name: string): void {
    if (other.which !== this.which || other.values.length !== this.values.length) {
      throw new MetricStateError(
        `cannot merge ${name}: ${other.values.length} ${other.which} values there and ${this.values.length} ${this.which} values here`,
      );
    }
  }

  /** {@inheritDoc StateValue.mergeFrom} */
  mergeFrom(other: this): void {
    for (let k = 0; k < other.values.length; k++) this.update(other.values[k], k);
  }

  /** {@inheritDoc StateValue.snapshot} */
  snapshot(reuse: unknown): unknown {
    const saved = reuse instanceof Float64Array && reuse.length === this.values.length ? reuse : null;
    if (saved === null) return this.values.slice();
    saved.set(this.values);
    return saved;
  }

  /** {@inheritDoc StateValue.restore} */
  restore(saved: unknown): void {
    this.values.set(saved as Float64Array);
  }

  /**
   * The JSON form: the number, or `null` while empty (an array of them for a vector field).
   *
   * @returns the JSON form
   * @example
   * ```ts
   * const m = maxOf().empty();
   * const before = m.toJSON();
   * m.update(1.5);
   * [before, m.toJSON()]; // => [null, 1.5]
   * ```
   */
  toJSON(): number | null | (number | null)[] {
    const out = Array.from(this.values, (v, k) => (this.isEmpty(k) ? null : v));
    return this.vector ? out : out[0];
  }
}

const finite = z.number().refine(Number.isFinite).nullable();

function extremum(which: "max" | "min", size: number | undefined): StateField<Extremum> {
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 1 && size <= 1 << 24)) {
    throw new RangeError(`${which}Of(size): size must be an integer in [1, 2^24], got ${String(size)}`);
  }
  return {
    kind: `${which}Of`,
    empty: () => new Extremum(which, size ?? 1, size !== undefined),
    decode(json, path) {
      const parsed = (size === undefined ? finite : z.array(finite).length(size)).safeParse(json);
      if (!parsed.success) {
        throw new MetricStateError(
          `${path} must be ${size === undefined ? "a finite number or null" : `an array of ${size} finite numbers or nulls`}`,
        );
      }
      const list = size === undefined ? [parsed.data as number | null] : (parsed.data as (number | null)[]);
      const out = new Extremum(which, list.length, size !== undefined);
      list.forEach((v, k) => {
        if (v !== null) out.values[k] = v;
      });
      return out;
    },
  };
}

/**
 * Declares a running-maximum state field (merge = max; empty = -Infinity, `null` in JSON).
 *
 * @param size - omit for one value; a length for a vector
 * @returns the field declaration
 * @example
 * ```ts
 * const m = maxOf(2).empty();
 * m.update(4, 1);
 * m.toJSON(); // => [null, 4]
 * ```
 */
export function maxOf(size?: number): StateField<Extremum> {
  return extremum("max", size);
}

/**
 * Declares a running-minimum state field (merge = min; empty = +Infinity, `null` in JSON).
 *
 * @param size - omit for one value; a length for a vector
 * @returns the field declaration
 * @example
 * ```ts
 * const m = minOf().empty();
 * m.update(-2);
 * m.value(); // => -2
 * ```
 */
export function minOf(size?: number): StateField<Extremum> {
  return extremum("min", size);
}
