import { DEMO_DEFAULTS } from "./demo.js";
import { DEFAULT_MAX_LINE_BYTES } from "./lines.js";

/**
 * The memory one group of `--by` costs at the peak of a run (while the results and the states are written),
 * measured with 200,000 binary groups (744 MB of RSS against 94 MB for one group; about 2 KB per group while
 * reading). See docs/cli.md, "Groups and memory".
 *
 * @example
 * ```ts
 * BYTES_PER_GROUP; // => 3500
 * ```
 */
export const BYTES_PER_GROUP = 3500;

/**
 * What a one-vs-all group adds per class, measured as {@link BYTES_PER_GROUP} (10 classes).
 *
 * @example
 * ```ts
 * BYTES_PER_CLASS; // => 160
 * ```
 */
export const BYTES_PER_CLASS = 160;

/**
 * `streammetrics --help`.
 *
 * @example
 * ```ts
 * MAIN_HELP.startsWith("streammetrics"); // => true
 * ```
 */
export const MAIN_HELP = `streammetrics — streaming, exactly mergeable metrics

Usage:
  streammetrics hinge [FILE ...] [options]   evaluate predictions (NDJSON or CSV; stdin when no FILE or -)
  streammetrics eval [FILE ...] --metric M   accuracy, f1, mse, … (any of the metric families), together
  streammetrics merge STATE ... [options]    merge states written by --state-out and print the value
  streammetrics demo [options]               evaluate the bundled sample data set, per epoch
  streammetrics collect --redis URL --key KEY merge the states workers published to Redis
  streammetrics help [COMMAND]               show help (also: COMMAND --help)
  streammetrics --version

Exit codes: 0 success; 1 bad data, a bad state, or a file that cannot be read or written (one line:
"file:line: message"); 2 usage error (bad flag or option). The guide: docs/cli.md.

Examples:
  streammetrics hinge preds.ndjson --by epoch
  streammetrics eval preds.csv --metric accuracy --metric f1 --num-classes 3 --by epoch
`;

/**
 * `streammetrics hinge --help`.
 *
 * @example
 * ```ts
 * HINGE_HELP.includes("--target-col"); // => true
 * ```
 */
export const HINGE_HELP = `Usage: streammetrics hinge [FILE ...] [options]

Evaluates the hinge loss of predictions streamed from files (or stdin when no FILE or -), in constant memory.

Input formats (by extension .ndjson/.jsonl/.json or .csv, else from the first line; --format to force;
a .gz file is decompressed as it streams):
  NDJSON  one object per line: {"preds": …, "target": …, "weights"?: …, "epoch"?: …}
          a scalar target is one sample (preds: a number, or C scores); an array target is a batch
  CSV     a header, then one sample per line: target, pred (binary) or pred_0 … pred_{C-1},
          optional weight, any other columns (e.g. epoch). A number cell is a decimal number
          (1, -0.5, 2e-3; spaces around it are ignored); 0x10, Infinity, NaN or an empty cell is a bad line.

Column names (CSV columns or NDJSON keys):
  --target-col NAME              the labels (default: target)
  --pred-col NAME                one score column: a binary task (default: pred; NDJSON: preds)
  --pred-cols A,B,…              one score column per class, in class order: a multiclass task
                                 (default: pred_0 … pred_{C-1})
  --weight-col NAME              per-sample weights (default: weight; NDJSON: weights)

Options:
  --squared                      square each sample's hinge measure
  --multiclass-mode MODE         crammer-singer (default) or one-vs-all (one value per class)
  --num-classes C                pin the task to multiclass with C classes
  --ignore-index K               skip samples whose target is K
  --by FIELD                     one result per value of FIELD (e.g. epoch), in order of appearance;
                                 a key is the field's text (NDJSON numbers as JavaScript prints them, so
                                 1, 1.0 and "1" are one group; CSV cells as written, so 1 and 1.0 are two).
                                 Any number of groups that fits in memory: a group costs about
                                 ${BYTES_PER_GROUP} bytes at the peak (one-vs-all: ${BYTES_PER_CLASS} more per class),
                                 so 1,000,000 groups need about ${BYTES_PER_GROUP / 1000} GB
  --json                         print one JSON object instead of a table
  --format ndjson|csv            input format (default: from the file extension)
  --skip-invalid                 skip bad lines and count them instead of stopping at the first
  --max-line-bytes N             the longest line read (default ${DEFAULT_MAX_LINE_BYTES} = 16M; suffixes K, M, G);
                                 a longer line is "file:line: line longer than N bytes"
  --state-out FILE               write the final state (JSON; with --by, one state per group)
  --plot FILE.svg                write an SVG line chart of the value per group (needs --by)
  -h, --help                     show this help

Output files are checked before any input is read, and written whole (to a temporary file, then renamed).
Results go to stdout; messages and the progress bar (only on a terminal, and only when CI is unset) go to
stderr. A bad line stops with "file:line: message" and exit code 1.

Examples:
  streammetrics hinge preds.csv --by epoch --multiclass-mode one-vs-all --state-out worker1.json
  streammetrics hinge scores.csv --target-col label --pred-col score
`;

/**
 * `streammetrics merge --help`.
 *
 * @example
 * ```ts
 * MERGE_HELP.startsWith("Usage: streammetrics merge"); // => true
 * ```
 */
export const MERGE_HELP = `Usage: streammetrics merge STATE ... [options]   (- reads one state from stdin)

Merges states written by "streammetrics hinge --state-out" or "eval --state-out" (e.g. on several machines;
each state is restored by its kind) and prints the value:
bit-identical to one run over all the data. Grouped states (--by) merge group by group; a grouped state file
that names a group twice, or that has keys other than kind, version, by and groups, is refused.

Options:
  --json                         print one JSON object instead of a table
  --state-out FILE               write the merged state
  --plot FILE.svg                write an SVG line chart of the value per group (grouped hinge states)
  -h, --help                     show this help

Any number of groups that fits in memory: a group costs about ${BYTES_PER_GROUP} bytes, as for "hinge --by".

Example:
  streammetrics merge worker1.json worker2.json --json
`;

/**
 * `streammetrics demo --help`.
 *
 * @example
 * ```ts
 * DEMO_HELP.includes("--seed"); // => true
 * ```
 */
export const DEMO_HELP = `Usage: streammetrics demo [options]

Evaluates a bundled sample: ${DEMO_DEFAULTS.epochs} epochs × ${DEMO_DEFAULTS.perEpoch} samples of a ${DEMO_DEFAULTS.classes}-class classifier that improves every epoch,
generated reproducibly from a seeded PRNG, and prints the hinge loss per epoch.

Options:
  --squared, --multiclass-mode MODE, --json, --state-out FILE, --plot FILE.svg   as for "hinge"
  --seed N                       PRNG seed (default ${DEMO_DEFAULTS.seed})
  --save FILE                    also write the sample data (.csv, or .ndjson) to try "hinge" on it
  -h, --help                     show this help

Example:
  streammetrics demo --multiclass-mode one-vs-all --plot demo.svg
`;

/**
 * `streammetrics eval --help`.
 *
 * @example
 * ```ts
 * EVAL_HELP.includes("--metric accuracy"); // => true
 * ```
 */
export const EVAL_HELP = `Usage: streammetrics eval [FILE ...] --metric NAME [--metric NAME ...] [options]

Evaluates several metrics at once over predictions streamed from files (or stdin), in constant memory: one
MetricCollection per group, fed every line (a line that any metric refuses changes none of them and stops
the run with "file:line: message", exit code 1). Input formats and column flags as for "hinge"
(streammetrics hinge --help); a CSV reads target, pred (or pred_0 … pred_{C-1}) and optional weight.

Metrics (--metric NAME, repeated or comma-separated; the classes of the library, named as torchmetrics):
  classification  accuracy, precision, recall, f1, fbeta, specificity, stat-scores, confusion-matrix
                  (Binary… or Multiclass… by --task)
  regression      mse, rmse, mae, r2       (pred against target)
  aggregation     mean, sum, max, min      (of the pred column; mean weighted by the weight column)
  hinge           the hinge loss           (weighted)
Classification and regression metrics take no weights: a line with a weight is refused for them.

Task:
  --task binary|multiclass       default: multiclass when --num-classes is given, else binary
  --num-classes C                the number of classes (multiclass; required for it)

Metric options (each goes to every chosen metric that takes it; a flag none takes is an error; values
are checked by each class's own option schema):
  --threshold P                  binary: a probability above P is positive (default 0.5)
  --input-transform none|sigmoid binary: preds are probabilities (default) or logits
  --average micro|macro|weighted|none   multiclass reduction over classes (default macro)
  --top-k K                      multiclass: a hit when the target is among the K best scores
  --ignore-index K               skip samples whose target is K
  --zero-division 0|1            precision, recall, f1, fbeta: the value of 0/0 (default 0)
  --beta B                       fbeta: the weight of recall (required for fbeta)
  --normalize true|pred|all|none confusion-matrix normalisation (default none)
  --multioutput uniform_average|raw_values|variance_weighted   r2
  --adjusted N                   r2: adjusted for N regressors
  --squared, --multiclass-mode MODE   hinge, as for "hinge"

Options:
  --by FIELD                     one result per value of FIELD, in order of appearance, and "all"
  --json                         print one JSON object instead of a table
  --state-out FILE               write the final state (a MetricCollection state; with --by, one per group)
  --format, --skip-invalid, --max-line-bytes, --target-col, --pred-col, --pred-cols, --weight-col
                                 as for "hinge"
  -h, --help                     show this help

Values are printed in full (the shortest text that reads back to the same float64); per-class values and
matrices as JSON arrays; "-" for a metric with nothing to compute from (e.g. a group of ignored samples).
"streammetrics merge" merges the state files of several runs: bit-identical to one run over all the data.

Examples:
  streammetrics eval preds.csv --metric accuracy --metric f1 --metric confusion-matrix --num-classes 3
  streammetrics eval scores.csv --metric accuracy,precision,recall --threshold 0.7 --by epoch --json
  streammetrics eval part1.csv --metric mse,mae,r2 --state-out part1.json   (then: merge part1.json part2.json)
`;
