/**
 * Keras `circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
 * margin=0.4)` (Sun et al. 2020), computed as Keras computes it in a dtype.
 *
 * @module
 */
import { MetricInputError } from "../../errors/index.js";
import { readDense, shapeText, type Dense } from "./dense.js";
import { checkFinite, readCast, readLabels, type Call, type PerSample } from "./kernels.js";

/**
 * The arguments of `circle` besides `y_true` and `y_pred`.
 *
 * @example
 * ```ts
 * const args: CircleArgs = { gamma: 80, margin: 0.4, removeDiagonal: true };
 * ```
 */
export interface CircleArgs {
  /** Scaling factor. */
  readonly gamma: number;
  /** Relaxation margin. */
  readonly margin: number;
  /** Drop the pairs (i, i) from the positives. */
  readonly removeDiagonal: boolean;
  /** Reference labels (default `y_true`). */
  readonly refLabels?: unknown;
  /** Reference embeddings (default `y_pred`). */
  readonly refEmbeddings?: unknown;
}

/** Integer labels of shape `(N)` or `(N, 1)` (Keras casts them to int32; a fraction is an error here). */
function labelsOf(d: Dense, name: string, who: string): Float64Array {
  if (!(d.shape.length === 1 || (d.shape.length === 2 && d.shape[1] === 1))) {
    throw new MetricInputError(
      `${who}: ${name} must hold one integer label per embedding (shape [N] or [N, 1]), got shape ${shapeText(d.shape)}`,
    );
  }
  for (let i = 0; i < d.data.length; i++) {
    const v = d.data[i];
    if (!(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31)) {
      throw new MetricInputError(`${name}[${i}] must be an integer label (int32), got ${v}`);
    }
  }
  return d.data;
}

function embeddingsOf(d: Dense, name: string, who: string): [number, number] {
  if (d.shape.length !== 2) {
    throw new MetricInputError(
      `${who}: ${name} must have shape (N, D) (L2-normalised embeddings), got shape ${shapeText(d.shape)}`,
    );
  }
  return [d.shape[0], d.shape[1]];
}

/** logsumexp over the values, as Keras's backends compute it (max-shifted), with each step rounded. */
function logSumExp(values: number[], call: Call): number {
  if (values.length === 0) return -Infinity;
  const { r, sum } = call.ar;
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  let s = 0;
  for (const v of values) s += r(Math.exp(r(v - max)));
  return r(r(Math.log(sum(s))) + max);
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/**
 * Per-sample Circle losses of `y_pred` against the reference set (`refEmbeddings` with `refLabels`, by
 * default the batch itself), and Keras's mask `loss > 0`. As in Keras, `removeDiagonal` drops the pairs
 * (i, i) by position, also when the references are not the batch.
 *
 * @param yTrue - integer labels `(N)` or `(N, 1)`
 * @param yPred - embeddings `(N, D)`
 * @param args - gamma, margin, removeDiagonal and the optional references
 * @param call - who calls, alignment, arithmetic
 * @returns per-sample losses `(N)` and the mask
 * @throws {@link MetricInputError} for bad labels or embeddings, or references that do not match
 * @example
 * ```ts
 * import { arithmetic } from "./dtype.js";
 * const call = { who: "circle", align: false, ar: arithmetic("float64") };
 * circleKernel([0, 1], [[1, 0], [0, 1]], { gamma: 80, margin: 0.4, removeDiagonal: true }, call).values.data;
 * // => Float64Array [0, 0]
 * ```
 */
export function circleKernel(yTrue: unknown, yPred: unknown, args: CircleArgs, call: Call): PerSample {
  const who = call.who;
  const t = readLabels(yTrue, "yTrue", call.ar);
  const p = readCast(yPred, "yPred", call.ar);
  const [n, D] = embeddingsOf(p, "yPred", who);
  const labels = labelsOf(t, "yTrue", who);
  if (labels.length !== n) {
    throw new MetricInputError(`${who}: yTrue has ${labels.length} labels but yPred has ${n} embeddings`);
  }
  const refE = args.refEmbeddings === undefined ? p : readCast(args.refEmbeddings, "refEmbeddings", call.ar);
  const [m, De] = embeddingsOf(refE, "refEmbeddings", who);
  if (De !== D) {
    throw new MetricInputError(
      `${who}: refEmbeddings has ${De} dimensions but yPred has ${D} (shape ${shapeText(refE.shape)})`,
    );
  }
  const refL =
    args.refLabels === undefined
      ? labels
      : labelsOf(readDense(args.refLabels, "refLabels"), "refLabels", who);
  if (refL.length !== m) {
    const lName = args.refLabels === undefined ? "yTrue (the default refLabels)" : "refLabels";
    const eName = args.refEmbeddings === undefined ? "yPred (the default refEmbeddings)" : "refEmbeddings";
    throw new MetricInputError(
      `${who}: ${lName} has ${refL.length} labels but ${eName} has ${m} embeddings: give one label per reference embedding`,
    );
  }
  const { r, sum } = call.ar;
  const mg = r(args.margin);
  const optimNeg = r(1 + args.margin);
  const deltaNeg = r(1 - args.margin);
  const negGamma = r(-args.gamma);
  const gamma = r(args.gamma);
  const out = new Float64Array(n);
  const mask = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let k = 0; k < m; k++) {
      let dot = 0;
      for (let d = 0; d < D; d++) dot += r(p.data[i * D + d] * refE.data[k * D + d]);
      const dist = Math.max(r(1 - sum(dot)), 0);
      if (labels[i] === refL[k]) {
        if (args.removeDiagonal && i === k) continue;
        const w = Math.max(r(mg + dist), 0);
        pos.push(r(r(negGamma * w) * r(mg - dist)));
      } else {
        const w = Math.max(r(optimNeg - dist), 0);
        neg.push(r(r(gamma * w) * r(deltaNeg - dist)));
      }
    }
    const v = r(softplus(r(logSumExp(pos, call) + logSumExp(neg, call))));
    out[i] = v;
    mask[i] = v > 0 ? 1 : 0;
  }
  checkFinite(out, [n], "circle", call.ar);
  return { values: { data: out, shape: [n], name: "values" }, mask };
}
