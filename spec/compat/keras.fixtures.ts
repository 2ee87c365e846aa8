// Shared data of the Keras facade specs: the keras.io Hinge page's inputs (also losses_test.py's), and a
// tolerance check over nested values.
import { expect } from "chai";

/** y_true of the keras.io Hinge page and of losses_test.py HingeTest. */
export const docYTrue = [
  [0, 1],
  [0, 0],
];
/** y_pred of the same. */
export const docYPred = [
  [0.6, 0.4],
  [0.4, 0.6],
];

/** Every element of `actual` (nested) within `atol` of `expected`. */
export function near(actual: unknown, expected: unknown, atol: number): void {
  const a = (Array.isArray(actual) ? actual.flat(Infinity) : [actual]) as number[];
  const e = (Array.isArray(expected) ? expected.flat(Infinity) : [expected]) as number[];
  expect(a.length, `length of ${JSON.stringify(actual)}`).to.equal(e.length);
  a.forEach((x, i) => expect(Math.abs(x - e[i]), `${x} vs ${e[i]}`).to.be.at.most(atol));
}
