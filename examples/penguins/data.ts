// The Palmer penguins data for examples/penguins.ts: load the committed JSON, drop rows with missing values,
// split train/validation with a seeded shuffle and standardise the features on the training split.
import { readFileSync } from "node:fs";
import { mulberry32 } from "../../lib/cli/demo.js";

/** The species, in class-index order (target `c` is `SPECIES[c]`). */
export const SPECIES = ["Adelie", "Chinstrap", "Gentoo"] as const;

/** The measurements used as features, in column order. */
export const FEATURES = [
  "Beak Length (mm)",
  "Beak Depth (mm)",
  "Flipper Length (mm)",
  "Body Mass (g)",
] as const;

/** Samples as a row-major feature matrix (`rows × FEATURES.length`) and class indices. */
export interface Split {
  /** Row-major features, `FEATURES.length` per row. */
  readonly x: Float64Array;
  /** Class index of each row (into {@link SPECIES}). */
  readonly y: Int32Array;
  /** Number of rows. */
  readonly rows: number;
}

/** The data set after the split: training and validation samples. */
export interface PenguinSplits {
  /** Standardised training samples. */
  readonly train: Split;
  /** Validation samples, standardised with the training split's mean and deviation. */
  readonly validation: Split;
  /** Rows in the file, before rows with missing values were dropped. */
  readonly rowsInFile: number;
}

const DATA = new URL("../data/penguins.json", import.meta.url);

/** One record as vega-datasets writes it. */
type Row = Record<string, unknown>;

/** A row is complete when every feature is a finite number, the species is known and the sex is recorded. */
function complete(row: Row): boolean {
  // The source marks a missing sex as null, and once as ".": both count as missing.
  const sexKnown = row.Sex === "MALE" || row.Sex === "FEMALE";
  return (
    sexKnown &&
    SPECIES.includes(row.Species as (typeof SPECIES)[number]) &&
    FEATURES.every((f) => typeof row[f] === "number" && Number.isFinite(row[f]))
  );
}

/**
 * Loads the penguins, drops rows with a missing value, shuffles them with mulberry32(`seed`) (Fisher–Yates)
 * and splits off the first `validationShare` as validation. Features are standardised (z-scores) with the
 * training split's mean and population standard deviation, so nothing of the validation split leaks into
 * training.
 *
 * @param seed - PRNG seed of the shuffle
 * @param validationShare - share of the rows held out for validation, in (0, 1)
 * @returns the two splits
 * @throws Error when the data file is not an array of records
 * @example
 * ```ts
 * const { train, validation } = loadPenguins(7, 0.3);
 * train.rows + validation.rows; // => 333
 * ```
 */
export function loadPenguins(seed: number, validationShare: number): PenguinSplits {
  const raw: unknown = JSON.parse(readFileSync(DATA, "utf8"));
  if (!Array.isArray(raw)) throw new Error(`${DATA.pathname} must hold an array of records`);
  const rows = (raw as Row[]).filter((row) => row !== null && typeof row === "object" && complete(row));
  shuffle(rows, mulberry32(seed));
  const held = Math.round(rows.length * validationShare);
  const validation = toSplit(rows.slice(0, held));
  const train = toSplit(rows.slice(held));
  standardise(train, validation);
  return { train, validation, rowsInFile: raw.length };
}

/**
 * Shuffles `items` in place (Fisher–Yates) with the given uniform [0, 1) source.
 *
 * @param items - the array to shuffle
 * @param rand - e.g. `mulberry32(seed)`
 * @example
 * ```ts
 * const a = [1, 2, 3];
 * shuffle(a, mulberry32(1));
 * a.slice().sort(); // => [1, 2, 3]
 * ```
 */
export function shuffle(items: { [i: number]: unknown; length: number }, rand: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}

function toSplit(rows: Row[]): Split {
  const d = FEATURES.length;
  const x = new Float64Array(rows.length * d);
  const y = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    FEATURES.forEach((f, k) => (x[i * d + k] = row[f] as number));
    y[i] = SPECIES.indexOf(row.Species as (typeof SPECIES)[number]);
  });
  return { x, y, rows: rows.length };
}

/** Z-scores every column of both splits in place, with the training split's mean and deviation. */
function standardise(train: Split, validation: Split): void {
  const d = FEATURES.length;
  for (let k = 0; k < d; k++) {
    let mean = 0;
    for (let i = 0; i < train.rows; i++) mean += train.x[i * d + k];
    mean /= train.rows;
    let variance = 0;
    for (let i = 0; i < train.rows; i++) variance += (train.x[i * d + k] - mean) ** 2;
    const sd = Math.sqrt(variance / train.rows) || 1;
    for (const split of [train, validation]) {
      for (let i = 0; i < split.rows; i++) split.x[i * d + k] = (split.x[i * d + k] - mean) / sd;
    }
  }
}
