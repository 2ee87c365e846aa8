import { z } from "zod";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { StateField, StateValue } from "./field.js";

/** What {@link Count.snapshot} saves. */
class CountSnapshot {
  counts: Float64Array | null = null;
  saved = new Float64Array(0);
}

/**
 * A state field value holding `size` exact integer counts (one for a scalar field), each below 2^53 (every
 * count is then an exact double). Merge adds. Declare it with {@link count}.
 *
 * @example
 * ```ts
 * const c = count(2).empty();
 * c.add(3, 1); c.add(1, 1);
 * c.values(); // => [0, 4]
 * ```
 */
export class Count implements StateValue {
  /** True for a vector field (JSON: an array), false for a scalar one (JSON: a number). */
  readonly vector: boolean;
  /** The counts (read them; write through {@link Count.add}). */
  counts: Float64Array;

  /**
   * @param size - how many counts (a vector field of size 0 takes its size from {@link Count.resize})
   * @param vector - whether the field was declared with a size
   */
  constructor(size: number, vector: boolean) {
    this.vector = vector;
    this.counts = new Float64Array(size);
  }

  /**
   * How many counts.
   *
   * @example
   * ```ts
   * count(4).empty().size; // => 4
   * ```
   */
  get size(): number {
    return this.counts.length;
  }

  /**
   * Adds `n` (a non-negative integer, 1 by default) to count `k`.
   *
   * @param n - how many
   * @param k - which count (default 0)
   * @throws {@link MetricInputError} when `n` is not a non-negative integer or the count would pass 2^53 - 1
   * (nothing is added)
   * @example
   * ```ts
   * const c = count().empty();
   * c.add(); c.add(2);
   * c.value(); // => 3
   * ```
   */
  add(n = 1, k = 0): void {
    const next = this.counts[k] + n;
    if (!(n >= 0 && n % 1 === 0 && next <= Number.MAX_SAFE_INTEGER)) {
      if (!(n >= 0 && n % 1 === 0)) {
        throw new MetricInputError(`a count grows by a non-negative integer, got ${String(n)}`);
      }
      throw new MetricInputError(`count ${k} would pass 2^53 - 1 and stop being exact`);
    }
    this.counts[k] = next;
  }

  /**
   * Count `k`.
   *
   * @param k - which count (default 0)
   * @returns the count
   * @example
   * ```ts
   * count().empty().value(); // => 0
   * ```
   */
  value(k = 0): number {
    return this.counts[k];
  }

  /**
   * Every count.
   *
   * @returns the counts, as a plain array
   * @example
   * ```ts
   * count(2).empty().values(); // => [0, 0]
   * ```
   */
  values(): number[] {
    return Array.from(this.counts);
  }

  /**
   * Gives a vector field of size 0 its size.
   *
   * @param size - the new size
   * @throws {@link MetricStateError} when the field already has another size
   * @example
   * ```ts
   * const c = count(0).empty();
   * c.resize(2);
   * c.values(); // => [0, 0]
   * ```
   */
  resize(size: number): void {
    if (size === this.counts.length) return;
    if (this.counts.length !== 0) {
      throw new MetricStateError(`cannot resize a count of size ${this.counts.length} to ${size}`);
    }
    this.counts = new Float64Array(size);
  }

  /** {@inheritDoc StateValue.copy} */
  copy(): this {
    const out = new Count(0, this.vector) as this;
    out.counts = this.counts.slice();
    return out;
  }

  /** {@inheritDoc StateValue.checkMerge} */
  checkMerge(other: this, name: string): void {
    const a = this.counts.length;
    const b = other.counts.length;
    if (this.vector !== other.vector || (a !== b && a !== 0 && b !== 0)) {
      throw new MetricStateError(`cannot merge ${name}: ${b} counts there and ${a} here`);
    }
    for (let k = 0; k < b; k++) {
      if ((a === 0 ? 0 : this.counts[k]) + other.counts[k] > Number.MAX_SAFE_INTEGER) {
        throw new MetricStateError(`cannot merge ${name}: count ${k} would pass 2^53 - 1`);
      }
    }
  }

  /** {@inheritDoc StateValue.mergeFrom} */
  mergeFrom(other: this): void {
    if (other.counts.length === 0) return;
    if (this.counts.length === 0) this.counts = new Float64Array(other.counts.length);
    for (let k = 0; k < other.counts.length; k++) this.counts[k] += other.counts[k];
  }

  /** {@inheritDoc StateValue.snapshot} */
  snapshot(reuse: unknown): unknown {
    const saved = reuse instanceof CountSnapshot ? reuse : new CountSnapshot();
    saved.counts = this.counts;
    if (saved.saved.length !== this.counts.length) saved.saved = new Float64Array(this.counts.length);
    const into = saved.saved;
    for (let k = 0; k < into.length; k++) into[k] = this.counts[k];
    return saved;
  }

  /** {@inheritDoc StateValue.restore} */
  restore(saved: unknown): void {
    const s = saved as CountSnapshot;
    this.counts = s.counts as Float64Array;
    for (let k = 0; k < s.saved.length; k++) this.counts[k] = s.saved[k];
  }

  /**
   * The JSON form: a number for a scalar field, an array for a vector field.
   *
   * @returns the JSON form
   * @example
   * ```ts
   * const c = count().empty();
   * c.add(5);
   * c.toJSON(); // => 5
   * ```
   */
  toJSON(): number | number[] {
    return this.vector ? Array.from(this.counts) : this.counts[0];
  }
}

const countSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * Declares an integer-count state field (exact below 2^53; merge adds): `count()` for one, `count(n)` for a
 * vector (a confusion matrix is `count(C * C)`), `count(0)` for a vector sized by the first batch.
 *
 * @param size - omit for a scalar count; a length for a vector of counts
 * @returns the field declaration
 * @example
 * ```ts
 * const c = count().empty();
 * c.add(2);
 * c.value(); // => 2
 * ```
 */
export function count(size?: number): StateField<Count> {
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0 && size <= 1 << 26)) {
    throw new RangeError(`count(size): size must be an integer in [0, 2^26], got ${String(size)}`);
  }
  return {
    kind: "count",
    empty: () => new Count(size ?? 1, size !== undefined),
    decode(json, path) {
      const parsed = (size === undefined ? countSchema : z.array(countSchema).max(1 << 26)).safeParse(json);
      if (!parsed.success) {
        throw new MetricStateError(
          `${path} must be ${size === undefined ? "a non-negative integer below 2^53" : "an array of non-negative integers below 2^53"}`,
        );
      }
      const list = size === undefined ? [parsed.data as number] : (parsed.data as number[]);
      if (size !== undefined && size !== 0 && list.length !== size) {
        throw new MetricStateError(`${path} must have ${size} entries, got ${list.length}`);
      }
      const out = new Count(list.length, size !== undefined);
      out.counts.set(list);
      return out;
    },
  };
}
