// A linear multiclass SVM trained by stochastic subgradient descent on the Crammer–Singer hinge loss, in plain
// TypeScript: the model of examples/penguins.ts.

/** Training settings of {@link LinearSvm.trainEpoch}. */
export interface SgdSettings {
  /** Step size at the first step, η₀. */
  readonly rate: number;
  /** L2 regularisation strength λ (biases are not regularised). */
  readonly lambda: number;
}

/**
 * A linear multiclass SVM: one weight vector and bias per class, score `s_c = w_c · x + b_c`, predicted
 * class `argmax_c s_c`. Trained on the Crammer–Singer hinge loss
 * `max(0, 1 - (s_t - max_{j≠t} s_j))` plus `λ/2 ‖W‖²`, one sample at a time.
 *
 * @example
 * ```ts
 * const svm = new LinearSvm(3, 2);
 * Array.from(svm.scores(new Float64Array([1, 2]), 1)); // => [0, 0, 0]
 * ```
 */
export class LinearSvm {
  /** Number of classes C. */
  readonly classes: number;
  /** Number of features D. */
  readonly features: number;
  /** Row-major `C × (D + 1)` parameters: each class's weights, then its bias. */
  readonly params: Float64Array;
  /** SGD steps taken so far (drives the step-size schedule). */
  private steps = 0;

  /**
   * @param classes - number of classes C ≥ 2
   * @param features - number of features D ≥ 1
   * @param params - optional starting parameters (`C × (D + 1)`, copied); zeros by default
   */
  constructor(classes: number, features: number, params?: Float64Array) {
    this.classes = classes;
    this.features = features;
    this.params = new Float64Array(classes * (features + 1));
    if (params !== undefined) this.params.set(params);
  }

  /**
   * The decision values of `rows` samples: a row-major `rows × C` matrix, as the metrics take it.
   *
   * @param x - row-major features, D per row
   * @param rows - number of rows
   * @returns the scores
   */
  scores(x: Float64Array, rows: number): Float64Array {
    const out = new Float64Array(rows * this.classes);
    for (let i = 0; i < rows; i++) this.scoreRow(x, i, out, i * this.classes);
    return out;
  }

  /** Writes the C scores of row `i` of `x` into `out` from `at` on. */
  private scoreRow(x: Float64Array, i: number, out: Float64Array, at: number): void {
    const { classes: c, features: d, params: p } = this;
    for (let k = 0; k < c; k++) {
      const w = k * (d + 1);
      let s = p[w + d];
      for (let f = 0; f < d; f++) s += p[w + f] * x[i * d + f];
      out[at + k] = s;
    }
  }

  /**
   * One epoch of SGD: every sample once, in the order given. Step size `η₀ / (1 + η₀·λ·t)` at step t; each
   * step shrinks the weights by `(1 - η·λ)` and, when the sample's margin is below 1, moves the true class's
   * weights towards it and the most violating other class's weights away from it.
   *
   * @param x - row-major features, D per row
   * @param y - class index of each row
   * @param order - row indices, in the order to visit them
   * @param settings - step size and regularisation
   */
  trainEpoch(x: Float64Array, y: Int32Array, order: ArrayLike<number>, settings: SgdSettings): void {
    const { classes: c, features: d, params: p } = this;
    const { rate, lambda } = settings;
    const scores = new Float64Array(c);
    for (let n = 0; n < order.length; n++) {
      const i = order[n];
      const eta = rate / (1 + rate * lambda * this.steps++);
      const t = y[i];
      this.scoreRow(x, i, scores, 0);
      let rival = -1;
      for (let k = 0; k < c; k++) if (k !== t && (rival < 0 || scores[k] > scores[rival])) rival = k;
      const violated = scores[t] - scores[rival] < 1;
      const shrink = 1 - eta * lambda;
      for (let k = 0; k < c; k++) {
        const w = k * (d + 1);
        for (let f = 0; f < d; f++) p[w + f] *= shrink;
      }
      if (!violated) continue;
      const wt = t * (d + 1);
      const wr = rival * (d + 1);
      for (let f = 0; f < d; f++) {
        p[wt + f] += eta * x[i * d + f];
        p[wr + f] -= eta * x[i * d + f];
      }
      p[wt + d] += eta;
      p[wr + d] -= eta;
    }
  }
}
