import { InvalidOptionsError } from "../../errors/index.js";
import { describe } from "../../options/index.js";
import type { Task } from "./options.js";

/**
 * Splits a task wrapper's options into the task and the options of the task's class.
 *
 * @param options - `{ task, ...rest }` as given
 * @param owner - the wrapper, for messages
 * @returns the task and the rest
 * @throws {@link InvalidOptionsError} when the options are not an object or the task is not supported
 * @example
 * ```ts
 * splitTask({ task: "binary", threshold: 0.3 }, "Accuracy"); // => { task: "binary", rest: { threshold: 0.3 } }
 * ```
 */
export function splitTask(options: unknown, owner: string): { task: Task; rest: object } {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionsError(
      `${owner} options must be an object with a task ("binary" or "multiclass"), got ${describe(options)}`,
    );
  }
  const { task, ...rest } = options as { task?: unknown };
  if (task !== "binary" && task !== "multiclass") {
    const hint = task === "multilabel" ? " (multilabel is not supported yet)" : "";
    throw new InvalidOptionsError(
      `option task must be "binary" or "multiclass" for ${owner}${hint}, got ${describe(task)}`,
    );
  }
  return { task, rest };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = new (options: any) => object;

/**
 * A torchmetrics-style task wrapper: `new Wrapper({ task, ...options })` returns an instance of the binary
 * or the multiclass class (as torchmetrics' `__new__`), never of the wrapper itself. Its states carry the
 * concrete class's kind, so the wrapper needs no registration.
 *
 * @param owner - the wrapper's name (e.g. `"Accuracy"`)
 * @param binary - the class for `task: "binary"`
 * @param multiclass - the class for `task: "multiclass"`
 * @returns a constructible function (type it with overloaded construct signatures)
 * @example
 * ```ts
 * const Acc = taskWrapper("Acc", BinaryAccuracy, MulticlassAccuracy) as new (o: object) => object;
 * new Acc({ task: "binary" }) instanceof BinaryAccuracy; // => true
 * ```
 */
export function taskWrapper(owner: string, binary: Ctor, multiclass: Ctor): unknown {
  const wrapper = function (options: unknown): object {
    const { task, rest } = splitTask(options, owner);
    return task === "binary" ? new binary(rest) : new multiclass(rest);
  };
  Object.defineProperty(wrapper, "name", { value: owner });
  return wrapper;
}

/**
 * A one-shot value on the same kernels as the class: a fresh metric, one update, its value.
 *
 * @param cls - the metric class
 * @param preds - predictions
 * @param target - targets
 * @param options - the class's options
 * @returns the value
 * @throws what the class's constructor, `update` or `compute` throws
 * @example
 * ```ts
 * oneShot(BinaryAccuracy, [0.9, 0.2], [1, 1], {}); // => 0.5
 * ```
 */
export function oneShot<V>(
  cls: new (options: never) => { update(p: unknown, t: unknown): { compute(): V } },
  preds: unknown,
  target: unknown,
  options: unknown,
): V {
  return new cls(options as never).update(preds, target).compute();
}

/**
 * A task-dispatching functional form (`accuracy(preds, target, { task, … })`).
 *
 * @param owner - the function's name, for messages
 * @param binary - the binary class
 * @param multiclass - the multiclass class
 * @param preds - predictions
 * @param target - targets
 * @param options - `{ task, ...options }`
 * @returns the value
 * @throws {@link InvalidOptionsError} for a bad task or options, and what the class throws
 * @example
 * ```ts
 * oneShotTask("accuracy", BinaryAccuracy, MulticlassAccuracy, [1, 2], [1, 2], { task: "multiclass", numClasses: 3 }); // => 1
 * ```
 */
export function oneShotTask(
  owner: string,
  binary: Ctor,
  multiclass: Ctor,
  preds: unknown,
  target: unknown,
  options: unknown,
): unknown {
  const { task, rest } = splitTask(options, owner);
  const metric = (task === "binary" ? new binary(rest) : new multiclass(rest)) as {
    update(p: unknown, t: unknown): { compute(): unknown };
  };
  return metric.update(preds, target).compute();
}
