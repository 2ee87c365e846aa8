// The job streammetrics exists for, on real data: a linear multiclass SVM learns to tell the three Palmer
// penguin species apart from four body measurements, and after every training epoch its validation
// predictions stream in batches through the `accumulate` operator of `streammetrics/rx` into a
// `MetricCollection`, which gives one line per epoch. Then the validation set is split across two worker
// threads, whose JSON states merge into exactly (bit for bit) the single pass's values, and an SVG chart of
// the curves is written.
// Run: npm run demo   (or: npx tsx examples/penguins.ts [chart.svg])
//
// The library comes in as a user's code gets it: "streammetrics" and "streammetrics/rx", which resolve (the
// package importing itself by name) to the built dist/ that `npm install` makes (the `prepare` script); after
// changing lib/, `npm run build`. The seeded PRNG and the SVG chart are the CLI's own helpers (lib/cli/demo.ts,
// lib/cli/plot.ts), not library API.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Observable, Subject, lastValueFrom, map, tap, toArray } from "rxjs";
import { HingeLoss } from "streammetrics";
import { accumulate, type Batch } from "streammetrics/rx";
import { mulberry32 } from "../lib/cli/demo.js";
import { lineChartSvg, type PlotSeries } from "../lib/cli/plot.js";
import { FEATURES, loadPenguins, shuffle, type Split } from "./penguins/data.js";
import { CLASSES, numbers, validationMetrics, type ValidationValues } from "./penguins/metrics.js";
import { LinearSvm, type SgdSettings } from "./penguins/svm.js";
import { validateOnWorkers } from "./penguins/workers.js";

/** Settings of {@link main}; every one has a default. */
export interface DemoOptions {
  /** Training epochs (default 20). */
  readonly epochs?: number;
  /** Seed of the split and of the shuffles (default 7). */
  readonly seed?: number;
  /** Where the SVG chart goes (default `.tmp/penguins.svg` under the working directory). */
  readonly svgPath?: string;
  /** Where the lines go (default `console.log`). */
  readonly log?: (line: string) => void;
}

/** One epoch's figures. */
export interface EpochRow {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Crammer–Singer hinge loss over the training split at the end of the epoch. */
  readonly trainLoss: number;
  /** The validation metrics at the end of the epoch. */
  readonly validation: ValidationValues;
}

/** What {@link main} found. */
export interface DemoResult {
  /** One row per epoch. */
  readonly rows: EpochRow[];
  /** The last epoch's validation values (one pass, in the main thread). */
  readonly single: ValidationValues;
  /** The same, merged from the workers' JSON states. */
  readonly merged: ValidationValues;
  /** Where the chart was written (absolute). */
  readonly svgPath: string;
  /** Rows in the training and validation splits. */
  readonly sizes: { readonly train: number; readonly validation: number };
}

const EPOCHS = 20;
const SEED = 7;
const VALIDATION_SHARE = 0.3;
const BATCH = 16;
const WORKERS = 2;
const SGD: SgdSettings = { rate: 0.002, lambda: 0.01 };

/** Columns of the per-epoch line: validation member → header. */
const COLUMNS: Record<string, string> = { loss: "val loss", accuracy: "val accuracy", f1: "val F1" };

/** Validation members drawn on the chart (with the training loss). */
const CHARTED: string[] = ["loss", "accuracy"];

/** The batches of one validation pass: `{ preds: (n, C) scores, target }`, `size` rows each. */
function batchesOf(scores: Float64Array, target: Int32Array, size: number): Batch[] {
  const batches: Batch[] = [];
  for (let start = 0; start < target.length; start += size) {
    const end = Math.min(start + size, target.length);
    batches.push({
      preds: { data: scores.subarray(start * CLASSES, end * CLASSES), shape: [end - start, CLASSES] },
      target: target.subarray(start, end),
    });
  }
  return batches;
}

/** The model's Crammer–Singer hinge loss over a split. */
function lossOn(svm: LinearSvm, split: Split): number {
  const scores = svm.scores(split.x, split.rows);
  return new HingeLoss({ numClasses: CLASSES })
    .update({ data: scores, shape: [split.rows, CLASSES] }, split.y)
    .compute() as number;
}

/** A table line: the epoch, then right-aligned columns. */
function cells(first: string, rest: string[]): string {
  return first.padStart(5) + rest.map((cell) => cell.padStart(14)).join("");
}

function header(names: string[]): string {
  return cells("epoch", ["train loss", ...names.map((n) => COLUMNS[n] ?? n)]);
}

function line(row: EpochRow): string {
  const values = Object.values(row.validation) as number[];
  return cells(
    String(row.epoch),
    [row.trainLoss, ...values].map((v) => v.toFixed(4)),
  );
}

/**
 * Trains the model for `epochs` epochs, validating after each through the rx epoch operator; then validates
 * the final model on two worker threads and merges their states; then writes the chart.
 *
 * @param options - {@link DemoOptions}
 * @returns the per-epoch rows, the single-pass and merged validation values, and the chart's path
 */
export async function main(options: DemoOptions = {}): Promise<DemoResult> {
  const { epochs = EPOCHS, seed = SEED, log = console.log } = options;
  const svgPath = resolve(options.svgPath ?? ".tmp/penguins.svg");
  const { train, validation, rowsInFile } = loadPenguins(seed, VALIDATION_SHARE);
  log(
    `Palmer penguins: ${rowsInFile} rows, ${train.rows + validation.rows} complete; ` +
      `${train.rows} to train, ${validation.rows} to validate (seed ${seed})`,
  );
  log(`linear SVM on ${FEATURES.length} standardised measurements, SGD on the Crammer–Singer hinge loss`);

  const svm = new LinearSvm(CLASSES, FEATURES.length);
  const rand = mulberry32(seed + 1);
  const order = Int32Array.from({ length: train.rows }, (_, i) => i);
  const trainLoss: number[] = [];
  const epochEnd = new Subject<void>();
  // The training loop as a stream: each epoch trains on the shuffled training split, then emits the
  // validation predictions in batches and signals the end of the epoch.
  const predictions = new Observable<Batch>((subscriber) => {
    for (let epoch = 0; epoch < epochs && !subscriber.closed; epoch++) {
      shuffle(order, rand);
      svm.trainEpoch(train.x, train.y, order, SGD);
      trainLoss.push(lossOn(svm, train));
      const scores = svm.scores(validation.x, validation.rows);
      for (const batch of batchesOf(scores, validation.y, BATCH)) subscriber.next(batch);
      epochEnd.next();
    }
    subscriber.complete();
  });

  log(header(validationMetrics().names));
  const rows: EpochRow[] = await lastValueFrom(
    predictions.pipe(
      accumulate(validationMetrics, { epochs: epochEnd }),
      map(({ epoch, value }) => ({
        epoch: epoch + 1,
        trainLoss: trainLoss[epoch],
        validation: numbers(value),
      })),
      tap((row) => log(line(row))),
      toArray(),
    ),
  );

  const single = rows[rows.length - 1].validation;
  const { states, rows: shares } = await validateOnWorkers(
    validationMetrics().toJSON(),
    svm.scores(validation.x, validation.rows),
    validation.y,
    CLASSES,
    WORKERS,
    BATCH,
  );
  const merged = numbers(
    validationMetrics()
      .merge(...states)
      .compute(),
  );
  const names = Object.keys(single) as (keyof ValidationValues)[];
  log(
    `validation on ${WORKERS} worker threads (${shares.join(" + ")} rows), JSON states merged: ` +
      names.map((k) => `${COLUMNS[k] ?? k} ${merged[k]}`).join(", "),
  );
  log(`bit-identical to the single pass: ${names.every((k) => Object.is(single[k], merged[k]))}`);

  const series: PlotSeries[] = [{ name: "train loss", values: rows.map((r) => r.trainLoss) }];
  for (const k of names.filter((n) => CHARTED.includes(n))) {
    series.push({ name: COLUMNS[k] ?? k, values: rows.map((r) => r.validation[k]) });
  }
  const labels = rows.map((r) => String(r.epoch));
  mkdirSync(dirname(svgPath), { recursive: true });
  writeFileSync(svgPath, lineChartSvg("Palmer penguins: linear SVM, per epoch", "epoch", labels, series));
  log(`chart: ${svgPath}`);
  return { rows, single, merged, svgPath, sizes: { train: train.rows, validation: validation.rows } };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main({ svgPath: process.argv[2] });
}
