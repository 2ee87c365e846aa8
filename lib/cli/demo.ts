/**
 * mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). The same seed gives the same sequence on
 * every platform (32-bit integer arithmetic only).
 *
 * @param seed - any 32-bit integer
 * @returns a function returning the next float in [0, 1)
 * @example
 * ```ts
 * const rand = mulberry32(7);
 * rand() === mulberry32(7)(); // => true
 * ```
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Settings of the bundled sample data set.
 *
 * @example
 * ```ts
 * const s: DemoSettings = { seed: 7, epochs: 5, perEpoch: 1000, classes: 4 };
 * ```
 */
export interface DemoSettings {
  /** PRNG seed. */
  seed: number;
  /** Number of epochs. */
  epochs: number;
  /** Samples per epoch. */
  perEpoch: number;
  /** Number of classes. */
  classes: number;
}

/**
 * The default sample: 5 epochs × 1000 samples of a 4-class classifier that gets better every epoch.
 *
 * @example
 * ```ts
 * DEMO_DEFAULTS.epochs * DEMO_DEFAULTS.perEpoch; // => 5000
 * ```
 */
export const DEMO_DEFAULTS: DemoSettings = { seed: 7, epochs: 5, perEpoch: 1000, classes: 4 };

/**
 * The bundled sample data set as CSV lines (header first): `epoch,target,pred_0,…,pred_{C-1}`. Scores are
 * Gaussian noise plus ±margin/2 (+ on the true class) where the margin grows with the epoch (a model that learns), rounded
 * to 4 decimals so that the CSV text is the data exactly. Reproducible: the same settings give the same
 * lines.
 *
 * @param settings - seed and sizes
 * @returns the CSV lines, without newlines
 * @example
 * ```ts
 * const lines = demoCsvLines({ seed: 7, epochs: 2, perEpoch: 3, classes: 3 });
 * lines[0]; // => "epoch,target,pred_0,pred_1,pred_2"
 * lines.length; // => 7
 * ```
 */
export function demoCsvLines(settings: DemoSettings = DEMO_DEFAULTS): string[] {
  const { seed, epochs, perEpoch, classes } = settings;
  const rand = mulberry32(seed);
  const gauss = (): number => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const header = ["epoch", "target", ...Array.from({ length: classes }, (_, c) => `pred_${c}`)].join(",");
  const lines = [header];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const margin = 0.3 + (1.8 * (epoch - 1)) / Math.max(1, epochs - 1);
    for (let i = 0; i < perEpoch; i++) {
      const target = Math.floor(rand() * classes);
      const cells: string[] = [String(epoch), String(target)];
      for (let c = 0; c < classes; c++) {
        const score = 0.8 * gauss() + (c === target ? margin : -margin) / 2;
        cells.push(score.toFixed(4));
      }
      lines.push(cells.join(","));
    }
  }
  return lines;
}
