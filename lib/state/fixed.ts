import type { z } from "zod";
import { MetricInputError, MetricStateError } from "../errors/index.js";
import type { StateField, StateValue } from "./field.js";

function same(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);
}

function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v);
}

/**
 * A state field value set by the first batch and fixed from then on (a task, a class count): a later batch
 * or a merged state with another value is an error. `null` while unset. Declare it with {@link fixed}.
 *
 * @typeParam T - the value type (JSON data)
 * @example
 * ```ts
 * import { z } from "zod";
 * const task = fixed(z.enum(["binary", "multiclass"])).empty();
 * task.set("binary", "task");
 * task.value; // => "binary"
 * ```
 */
export class Fixed<T> implements StateValue {
  /** The value, or `null` while no batch has set it. */
  value: T | null = null;
  /** How merge messages name it (default: the field name). */
  readonly label: string | undefined;

  /** @param label - how merge messages name it (default: the field name) */
  constructor(label?: string) {
    this.label = label;
  }

  /**
   * Sets the value, or checks that it equals the value set before.
   *
   * @param value - the value this batch needs
   * @param what - how to name it in the message (e.g. `"the class count"`)
   * @throws {@link MetricInputError} when an earlier batch set another value (nothing is changed)
   * @example
   * ```ts
   * import { z } from "zod";
   * const c = fixed(z.number()).empty();
   * c.set(3, "the class count");
   * c.set(3, "the class count");
   * c.value; // => 3
   * ```
   */
  set(value: T, what: string): void {
    if (this.value === null) this.value = value;
    else if (!same(this.value, value)) {
      throw new MetricInputError(
        `${what} was fixed to ${show(this.value)} by an earlier batch, got ${show(value)}`,
      );
    }
  }

  /** {@inheritDoc StateValue.copy} */
  copy(): this {
    const out = new Fixed<T>(this.label) as this;
    out.value = this.value;
    return out;
  }

  /** {@inheritDoc StateValue.checkMerge} */
  checkMerge(other: this, name: string): void {
    if (this.value !== null && other.value !== null && !same(this.value, other.value)) {
      throw new MetricStateError(
        `cannot merge states with different ${this.label ?? name}: ${show(other.value)} there and ${show(this.value)} here`,
      );
    }
  }

  /** {@inheritDoc StateValue.mergeFrom} */
  mergeFrom(other: this): void {
    if (this.value === null) this.value = other.value;
  }

  /** {@inheritDoc StateValue.snapshot} */
  snapshot(): unknown {
    return this.value;
  }

  /** {@inheritDoc StateValue.restore} */
  restore(saved: unknown): void {
    this.value = saved as T | null;
  }

  /**
   * The JSON form: the value, or `null` while unset.
   *
   * @returns the JSON form
   * @example
   * ```ts
   * import { z } from "zod";
   * fixed(z.number()).empty().toJSON(); // => null
   * ```
   */
  toJSON(): T | null {
    return this.value;
  }
}

/**
 * Declares a field set by the first batch (a task, a class count, a shape); merge requires equality, and an
 * unset side takes the other's value.
 *
 * @typeParam T - the value type (JSON data)
 * @param schema - a zod schema for the value (it decodes untrusted states)
 * @param label - how merge messages name it (e.g. `"class count"`; default: the field name)
 * @returns the field declaration
 * @example
 * ```ts
 * import { z } from "zod";
 * const width = fixed(z.number().int().min(1)).empty();
 * width.set(4, "the row width");
 * width.toJSON(); // => 4
 * ```
 */
export function fixed<T>(schema: z.ZodType<T>, label?: string): StateField<Fixed<T>> {
  return {
    kind: "fixed",
    empty: () => new Fixed<T>(label),
    decode(json, path) {
      const out = new Fixed<T>(label);
      if (json === null) return out;
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new MetricStateError(`${path}: ${issue.message}`);
      }
      out.value = parsed.data;
      return out;
    },
  };
}
