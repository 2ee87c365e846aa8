/**
 * The contract between a metric's declared state and the `Metric` base: a *field* (declared once with
 * `addState(name, field)`) makes the field's *value*, and decodes it from JSON; the value knows how to copy,
 * merge, save and restore itself and how to write itself as JSON. The base derives reset, atomic update,
 * forward, clone, merge, toJSON and fromJSON from these alone (as torchmetrics derives them from `add_state`).
 *
 * @module
 */

/**
 * A field's live value, as a metric's `this.state.<name>` holds it.
 *
 * @example
 * ```ts
 * const sum = exactSum().empty();
 * sum.add(0.5);
 * sum.toJSON(); // => "0x1p-1"
 * ```
 */
export interface StateValue {
  /**
   * An independent copy.
   *
   * @returns the copy
   */
  copy(): this;
  /**
   * Throws a `MetricStateError` (naming `name`) when `other` cannot be merged into this value; writes nothing.
   *
   * @param other - a value of the same field kind
   * @param name - the field name, for messages
   */
  checkMerge(other: this, name: string): void;
  /**
   * Merges `other` into this value, exactly; call {@link StateValue.checkMerge} first. `other` is unchanged.
   *
   * @param other - a value of the same field kind
   */
  mergeFrom(other: this): void;
  /**
   * Saves what an update can change, into `reuse` when it is a snapshot of this value made earlier.
   *
   * @param reuse - an earlier snapshot to overwrite, or undefined
   * @returns the snapshot
   */
  snapshot(reuse: unknown): unknown;
  /**
   * Puts the value back exactly as {@link StateValue.snapshot} saw it.
   *
   * @param saved - a snapshot of this value
   */
  restore(saved: unknown): void;
  /**
   * The exact, JSON-safe form of the value.
   *
   * @returns plain JSON data
   */
  toJSON(): unknown;
}

/**
 * A declared state field: makes the empty value and decodes untrusted JSON into a value.
 *
 * @typeParam T - the value type
 * @example
 * ```ts
 * const field: StateField<ExactSum> = exactSum(2);
 * field.empty().size; // => 2
 * ```
 */
export interface StateField<T extends StateValue> {
  /** The field kind, e.g. `"exactSum"`, for messages. */
  readonly kind: string;
  /**
   * A fresh, empty value (what `reset()` gives).
   *
   * @returns the value
   */
  empty(): T;
  /**
   * Decodes untrusted JSON (already checked to be plain JSON data) into a value.
   *
   * @param json - the field's JSON form
   * @param path - where it is, for messages (e.g. `"state.total"`)
   * @returns the value
   * @throws `MetricStateError` naming `path` when the JSON is not a valid value of this field
   */
  decode(json: unknown, path: string): T;
}
