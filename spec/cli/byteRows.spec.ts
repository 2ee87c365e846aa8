// The byte readers of the CLI (lib/cli/byteRows.ts, the scanners of lib/cli/numbers.ts): numbers read from
// bytes are Number() / JSON.parse bit for bit, and a whole input read with the byte readers gives exactly what
// the text readers alone give (the same states, the same errors at the same lines, the same skipped lines),
// however the input is cut into chunks.
import { expect } from "chai";
import fc from "fast-check";
import { Readable } from "node:stream";
import { Evaluator, LineError } from "../../lib/cli/evaluate.js";
import { forEachLine } from "../../lib/cli/lines.js";
import { parseDecimal, scanDecimal, scanJson, scanShort } from "../../lib/cli/numbers.js";
import {
  HeaderError,
  NO_COLUMNS,
  recordReader,
  type Columns,
  type InputFormat,
} from "../../lib/cli/records.js";
import type { HingeLoss } from "../../lib/metrics/index.js";

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** What each scanner gives for `text` followed by a comma: [end index or -1, value]. */
function scans(text: string): { short: [number, number]; decimal: [number, number]; json: [number, number] } {
  const bytes = Buffer.from(`${text},`, "latin1");
  const run = (scan: typeof scanShort): [number, number] => {
    const out = new Float64Array([NaN]);
    const stop = scan(bytes, 0, bytes.length, out, 0);
    return [stop, out[0]];
  };
  return { short: run(scanShort), decimal: run(scanDecimal), json: run(scanJson) };
}

/** Checks every scanner on `text` against its oracle. */
function check(text: string): void {
  const { short, decimal, json } = scans(text);
  const whole = text.length;
  // CSV cells: parseDecimal (itself Number() on the grammar, spec/cli/numbers.spec.ts) and finite
  const want = parseDecimal(text, 0, whole);
  if (Number.isFinite(want)) {
    expect(decimal[0], `scanDecimal ${JSON.stringify(text)}`).to.equal(whole);
    expect(Object.is(decimal[1], want), `scanDecimal ${JSON.stringify(text)} value`).to.equal(true);
  } else {
    expect(decimal[0], `scanDecimal ${JSON.stringify(text)} must not take it`).to.not.equal(whole);
  }
  // JSON numbers: JSON.parse, finite
  const isJson = JSON_NUMBER.test(text) && Number.isFinite(JSON.parse(text));
  if (isJson) {
    expect(json[0], `scanJson ${JSON.stringify(text)}`).to.equal(whole);
    expect(Object.is(json[1], JSON.parse(text)), `scanJson ${JSON.stringify(text)} value`).to.equal(true);
  } else {
    expect(json[0], `scanJson ${JSON.stringify(text)} must not take it`).to.not.equal(whole);
  }
  // the short form: a prefix that is a number of both grammars (≤ 15 digits, no exponent), with its value;
  // the caller checks what follows. It takes every such number whole.
  const shortForm = /^-?(0|[1-9]\d*)(\.\d+)?$/;
  if (short[0] >= 0) {
    const prefix = text.slice(0, short[0]);
    expect(shortForm.test(prefix), `scanShort took ${JSON.stringify(prefix)}`).to.equal(true);
    expect(prefix.replace(/\D/g, "").length).to.be.at.most(15);
    expect(/^[\d.eE]/.test(text.slice(short[0])), `scanShort stopped in ${JSON.stringify(text)}`).to.equal(
      false,
    );
    expect(Object.is(short[1], Number(prefix)), `scanShort ${JSON.stringify(text)} value`).to.equal(true);
  } else {
    expect(short[0]).to.equal(-1);
  }
  if (shortForm.test(text) && text.replace(/\D/g, "").length <= 15) expect(short[0]).to.equal(whole);
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max }).map((a) => a.join(""));

const numberText = fc
  .tuple(
    fc.constantFrom("", "", " ", "\t"),
    fc.constantFrom("", "", "-", "+"),
    digits(0, 19),
    fc.constantFrom("", ".", "."),
    digits(0, 19),
    fc.option(fc.tuple(fc.constantFrom("e", "E"), fc.constantFrom("", "-", "+"), digits(0, 4))),
    fc.constantFrom("", "", " "),
  )
  .map(([l, s, a, dot, b, e, r]) => `${l}${s}${a}${dot}${b}${e === null ? "" : e.join("")}${r}`);

describe("cli/numbers: numbers read from bytes", function () {
  this.timeout(60000);

  it("scanShort, scanDecimal and scanJson equal Number() / JSON.parse on generated number texts", () => {
    fc.assert(fc.property(numberText, check), { numRuns: 30000 });
  });

  it("round-trip random doubles (shortest form, toFixed, toExponential) and short decimals", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 0, max: 16 }),
        (x, k) => {
          check(String(x));
          check(x.toExponential(k));
          if (Math.abs(x) < 1e21) check(x.toFixed(k));
        },
      ),
      { numRuns: 20000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 9 }), (m, s) => {
        check((m / 10 ** s).toFixed(s));
        check(String(m).padStart(s + 2, "0"));
      }),
      { numRuns: 20000 },
    );
  });

  it("edge cases: signs of zero, leading zeros, the fast paths' limits, subnormals, overflow, forms", () => {
    for (const text of [
      ...["0", "-0", "+0", "-0.0", "0.0", "00", "01", "-01", "00.5", "0.", "5.", ".5", "-.5", "+1", "+.5e1"],
      ...[
        "123456789012345",
        "1234567890123456",
        "12345678901234567",
        "123456789012345.6",
        "0.123456789012345",
      ],
      ...["0.1234567890123456", "9007199254740992", "9007199254740993", "9007199254740991.5"],
      ...["0.000000000000001", "0.0000000000000000000001", "0.00000000000000000000001", "1e22", "1e23"],
      ...["1e-22", "1e-23", "4.9e-324", "2e-324", "2.4703282292062328e-324", "2.2250738585072014e-308"],
      ...["2.2250738585072011e-308", "1.7976931348623157e308", "1.7976931348623158e308", "1.8e308", "1e400"],
      ...[
        "-1e400",
        "0e999999",
        "1e-999999",
        "1E5",
        "1e+5",
        "1e",
        "1e+",
        "e5",
        "-",
        ".",
        "",
        " ",
        "1 2",
        "--1",
      ],
      ...["0x10", "0b1", "Infinity", "NaN", "1_000", " 1", "1 ", "\t-2.5e-3\t", "1.2.3", "9".repeat(400)],
      ...[`0.${"0".repeat(400)}1`, `${"1".repeat(30)}e-30`, "-9.999999e-1", "-1.999999", "1.000000"],
    ]) {
      check(text);
    }
  });
});

// ------------------------------------------------------------------------------------------------
// Whole inputs: byte readers + text readers against text readers alone

/** Lines the byte readers took, and lines read in all, over a property's runs. */
const taken = { fast: 0, all: 0 };

interface Outcome {
  lines?: number;
  error?: string;
  skipped: number;
  skippedSamples: string[];
  groups: { key: string; state: unknown }[];
}

async function readAll(
  text: string,
  cuts: number[],
  format: InputFormat | null,
  by: string | null,
  skip: boolean,
  fast: boolean,
  maxLineBytes: number,
): Promise<Outcome> {
  const bytes = Buffer.from(text, "utf8");
  const chunks: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts.map((c) => Math.floor(c * bytes.length)).sort((a, b) => a - b), bytes.length]) {
    if (cut > at) chunks.push(bytes.subarray(at, cut));
    at = Math.max(at, cut);
  }
  const evaluator = new Evaluator<HingeLoss>({}, skip, 5);
  evaluator.setFile("x", format === "csv" ? "csv" : "ndjson");
  const reader = recordReader(format, evaluator, by, null);
  const out: Outcome = { skipped: 0, skippedSamples: [], groups: [] };
  const counting = {
    taken: 0,
    take(b: Buffer, start: number, end: number, lineNo: number, limit: number): number {
      const next = reader.fast.take(b, start, end, lineNo, limit);
      this.taken = reader.fast.taken;
      taken.fast += this.taken;
      return next;
    },
  };
  try {
    out.lines = await forEachLine(Readable.from(chunks, { objectMode: true }), reader.onLine, {
      fast: fast ? counting : undefined,
      maxLineBytes,
      onLongLine: (lineNo) => evaluator.invalid(lineNo, "too long"),
    });
    evaluator.finish();
  } catch (error) {
    if (!(error instanceof LineError || error instanceof HeaderError)) throw error;
    out.error = error.message;
  }
  out.skipped = evaluator.skipped;
  out.skippedSamples = evaluator.skippedSamples;
  out.groups = evaluator.groups().map((g) => ({ key: g.key, state: g.metric.toJSON() }));
  return out;
}

/** A good score most of the time (6 decimals), sometimes any decimal text, rarely something odd. */
const score = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: -2e6, max: 2e6 }).map((m) => (m / 1e6).toFixed(6)) },
  { weight: 3, arbitrary: numberText },
  { weight: 2, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom("1e400", "-0", "01", ".5", "5.", "+1", "x", "", '"0.5"', "1 2") },
);
const weight = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 3000 }).map((m) => (m / 1000).toString()) },
  { weight: 1, arbitrary: fc.constantFrom("-1", "1e400", "x", "") },
);
/** A label of C classes (binary for C = 1), rarely a bad or unusual one. */
const label = (C: number) =>
  fc.oneof(
    { weight: 30, arbitrary: fc.integer({ min: 0, max: Math.max(C, 2) - 1 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom("1.0", " 1", "3", "-1", "0.5", "x", "", "1e0", "-0") },
  );
const groupText = fc.constantFrom("a", "a", "b", " a ", "é", "a\u00a0", "", "7", "07", "1.0", "c d");
const ending = fc.constantFrom("\n", "\n", "\n", "\r\n");
const rare = <T>(common: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 30, arbitrary: common }, { weight: 1, arbitrary: odd });

/** A CSV file: its header (C score columns, a weight column or another one), then lines. */
const csvFile = fc.integer({ min: 1, max: 3 }).chain((C) => {
  const preds = C === 1 ? ["pred"] : Array.from({ length: C }, (_, j) => `pred_${j}`);
  const line = rare(
    fc
      .tuple(groupText, label(C), fc.array(score, { minLength: C, maxLength: C }), weight, ending)
      .map(([g, t, p, w, e]) => `${g},${t},${p.join(",")},${w}${e}`),
    fc.constantFrom(
      "\n",
      "  \n",
      '"a",1,0.5,0.1,0.2,1\n',
      'a,"1",0.5,0.1,0.2,1\n',
      "a,1,0.5\n",
      "a\r,1,0,0,0,1\n",
    ),
  );
  return fc.tuple(
    fc.constantFrom(`grp,target,${preds.join(",")},weight\n`, `grp,target,${preds.join(",")},w\n`),
    fc.array(line, { maxLength: 30 }),
  );
});

const jsonNumber = fc.oneof(
  { weight: 30, arbitrary: fc.integer({ min: -2e6, max: 2e6 }).map((m) => (m / 1e6).toFixed(6)) },
  { weight: 3, arbitrary: fc.double({ noNaN: true, min: -1e6, max: 1e6 }).map((x) => JSON.stringify(x)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("1e400", "-0", "01", ".5", "5.", "+1", "1E2", "0.0", '"1"', "null"),
  },
);
const ws = fc.constantFrom("", "", "", "", " ", "\t", " \r ");

/** An NDJSON file: lines of one sample with C scores (a number or an array when C = 1). */
const jsonFile = fc.integer({ min: 1, max: 3 }).chain((C) => {
  const preds = fc
    .array(jsonNumber, { minLength: C, maxLength: C })
    .chain((xs) =>
      fc.constantFrom(
        ...(C === 1 ? [`"preds":${xs[0]}`] : []),
        `"preds":[${xs.join(",")}]`,
        `"preds": [ ${xs.join(" , ")} ]`,
      ),
    );
  const target = label(C).map(
    (t) => `"target":${/^-?\d/.test(t) && !t.includes(" ") ? t : JSON.stringify(t)}`,
  );
  const extra = fc.constantFrom(
    ...['"weights":1.5', '"weights":0', '"grp":"a"', '"grp":"b"', '"grp":7', '"grp":7.0', '"grp":"7"'],
    ...['"id":"x,y"', '"n":3', '"grp":"\\u0061"', '"grp":"é"', '"grp":true', '"grp":null', '"o":{"a":1}'],
    ...['"b":false', '"s":"\\"q"', '"preds":[]', '"target":[1]', '"t\\u0061rget":1', '"weights":[1]'],
  );
  const group = rare(fc.constantFrom('"grp":"a"', '"grp":"b"', '"grp":7', '"grp":-0', '"grp":0'), extra);
  const fields = fc
    .tuple(
      preds,
      target,
      group,
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, fc.array(extra, { maxLength: 1 })),
    )
    .chain(([p, t, g, more]) => fc.shuffledSubarray([p, t, g, ...more], { minLength: 3 + more.length }));
  const line = rare(
    fc
      .tuple(fields, fc.array(ws, { minLength: 8, maxLength: 8 }), ending)
      .map(([fs, w, e]) => `${w[0]}{${w[1]}${fs.join(`${w[2]},${w[3]}`)}${w[4]}}${w[5]}${e}`),
    fc.constantFrom("\n", "{}\n", "[1]\n", '{"preds":0.5,"target":1\n', "{\"preds\":0.5,'target':1}\n"),
  );
  return fc.array(line, { maxLength: 30 });
});

/**
 * An NDJSON file in the usual layouts (`{"preds":…,"target":…}` either way round, no whitespace: the byte
 * reader's quickest path), with C scores (up to 20: more than its scratch holds at first), and the odd line
 * that leaves that path (whitespace, `\r\n`, another field, an empty or a long array, a number in another form).
 */
const usualFile = fc.integer({ min: 1, max: 20 }).chain((C) => {
  const preds = fc
    .array(jsonNumber, { minLength: C, maxLength: C })
    .chain((xs) => fc.constantFrom(...(C === 1 ? [`"preds":${xs[0]}`] : []), `"preds":[${xs.join(",")}]`));
  const target = label(Math.min(C, 3)).map(
    (t) => `"target":${/^-?\d/.test(t) && !t.includes(" ") ? t : JSON.stringify(t)}`,
  );
  const usual = fc
    .tuple(preds, target, fc.boolean())
    .map(([p, t, swap]) => (swap ? `{${t},${p}}\n` : `{${p},${t}}\n`));
  const odd = fc.oneof(
    fc.tuple(preds, target).map(([p, t]) => `{${p}, ${t}}\n`),
    fc.tuple(preds, target).map(([p, t]) => `{${p},${t}}\r\n`),
    fc.tuple(preds, target).map(([p, t]) => `{${p},${t},"weights":0.5}\n`),
    fc.tuple(preds, target).map(([p, t]) => `{${p},${t} }\n`),
    fc.constantFrom(
      '{"preds":[],"target":1}\n',
      '{"preds":1e0,"target":1}\n',
      '{"preds":0.5,"target":1e0}\n',
    ),
    fc.constantFrom(
      '{"preds":0.5,"target":1}',
      '{"preds":0.5,"target":1}}\n',
      '{"preds":[0.5,],"target":1}\n',
    ),
    fc.constantFrom('{"preds":0.5,"preds":1,"target":1}\n', '{"target":1,"preds":0.5,"target":0}\n'),
    fc.constantFrom('{"preds":[0.5 0.25],"target":1}\n', '{"preds":[0.5;0.25],"target":1}\n'),
    fc.constantFrom(
      '{"preds":[0.5,0.25},"target":1}\n',
      '{"preds":0.5;"target":1}\n',
      '{"target":1,"preds":[0.5]]}\n',
    ),
  );
  return fc.array(rare(usual, odd), { maxLength: 30 });
});

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

async function same(
  text: string,
  cutsAt: number[],
  format: InputFormat | null,
  by: string | null,
  skip: boolean,
  maxLineBytes: number,
): Promise<void> {
  const slow = await readAll(text, cutsAt, format, by, skip, false, maxLineBytes);
  const fast = await readAll(text, cutsAt, format, by, skip, true, maxLineBytes);
  expect(fast, JSON.stringify(text)).to.deep.equal(slow);
  taken.all += text.split("\n").length - 1;
}

describe("cli/byteRows: the byte readers read what the text readers read", function () {
  this.timeout(120000);

  beforeEach(() => {
    taken.fast = 0;
    taken.all = 0;
  });

  // the byte readers did take most lines (the rows read on to the first bad line): the test compares them
  const tookMost = () => expect(taken.fast).to.be.above(taken.all * 0.25);

  it("CSV: the same states, errors and skipped lines, in any chunking, with and without --by", async () => {
    await fc.assert(
      fc.asyncProperty(
        csvFile,
        cuts,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1 << 24, 1 << 24, 30),
        async ([header, lines], at, by, skip, limit) =>
          same(header + lines.join(""), at, "csv", by ? "grp" : null, skip, limit),
      ),
      { numRuns: 1000 },
    );
    tookMost();
  });

  it("NDJSON: the same states, errors and skipped lines, in any chunking, with and without --by", async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonFile,
        cuts,
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(1 << 24, 1 << 24, 45),
        async (lines, at, by, skip, limit) => same(lines.join(""), at, null, by ? "grp" : null, skip, limit),
      ),
      { numRuns: 1000 },
    );
    tookMost();
  });

  it("NDJSON in the usual layouts (the quickest path) and the odd line between: the same, in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        usualFile,
        cuts,
        fc.boolean(),
        fc.constantFrom(1 << 24, 1 << 24, 40),
        // (no --by: its rows would lack the group field)
        async (lines, at, skip, limit) => same(lines.join(""), at, null, null, skip, limit),
      ),
      { numRuns: 1000 },
    );
    tookMost();
  });

  it("takes the usual rows from the bytes, and only from the second line on", async () => {
    const evaluator = new Evaluator<HingeLoss>({}, false);
    evaluator.setFile("x.csv", "csv");
    const reader = recordReader("csv", evaluator, null, null);
    const rows = Buffer.from("0,-2.2\n1,2.4\n1,0.1\n");
    expect(reader.fast.take(rows, 0, rows.length, 1, 1 << 24)).to.equal(0); // no header read yet
    reader.onLine("target,pred", 1);
    expect(reader.fast.take(rows, 0, rows.length, 2, 1 << 24)).to.equal(rows.length);
    expect(reader.fast.taken).to.equal(3);
    // a row that does not end in this chunk is left for the next one
    expect(reader.fast.take(rows, 0, rows.length - 1, 5, 1 << 24)).to.equal(13);
    expect(reader.fast.taken).to.equal(2);
  });
});

describe("cli/lines: forEachLine with a byte reader", () => {
  it("gives the byte reader every line but the first, and onLine the lines it declines, numbered in order", async () => {
    // takes the lines that start with "x" (and fit the limit)
    const xs: [string, number][] = [];
    const fast = {
      taken: 0,
      take(bytes: Buffer, start: number, end: number, lineNo: number, limit: number): number {
        let p = start;
        this.taken = 0;
        while (p < end && bytes[p] === 0x78) {
          const nl = bytes.indexOf(0x0a, p);
          if (nl < 0 || nl >= end || nl - p > limit) break;
          xs.push([bytes.toString("latin1", p, nl), lineNo + this.taken]);
          this.taken++;
          p = nl + 1;
        }
        return p;
      },
    };
    const seen: [string, number][] = [];
    const text = "x0\nx1\na2\nx3\nxxxxxxxxxxxx4\nx5\r\nb6\nx7";
    for (const cut of [1, 4, 7, 13, 30]) {
      xs.length = 0;
      seen.length = 0;
      const chunks = [text.slice(0, cut), text.slice(cut)].map((t) => Buffer.from(t));
      const long: number[] = [];
      const count = await forEachLine(
        Readable.from(chunks, { objectMode: true }),
        (l, n) => seen.push([l, n]),
        {
          fast,
          maxLineBytes: 8,
          onLongLine: (n) => long.push(n),
        },
      );
      expect(count).to.equal(8);
      expect(long).to.deep.equal([5]);
      // every line once, in its place: the byte reader's lines as they are (it sees the `\r`)
      const all = [...xs, ...seen].sort((a, b) => a[1] - b[1]);
      expect(all.map(([, n]) => n)).to.deep.equal([1, 2, 3, 4, 6, 7, 8]);
      expect(seen[0]).to.deep.equal(["x0", 1]);
      expect(all.map(([l]) => l.replace("\r", ""))).to.deep.equal(["x0", "x1", "a2", "x3", "x5", "b6", "x7"]);
      expect(xs.length).to.be.above(0);
    }
  });
});

describe("cli/byteRows: where the byte readers stand aside", () => {
  const tried = (format: InputFormat, first: string, columns: Partial<Columns>, by: string | null = null) => {
    const evaluator = new Evaluator<HingeLoss>({}, true); // skips a first line without the fields named
    evaluator.setFile("x", format);
    const reader = recordReader(format, evaluator, by, null, { ...NO_COLUMNS, ...columns });
    reader.onLine(first, 1);
    const rows = Buffer.from(format === "csv" ? "1,0.5,0.5\n" : '{"t":1,"p":0.5,"q":0.5}\n');
    return reader.fast.take(rows, 0, rows.length, 2, 1 << 24);
  };

  it("NDJSON field names that are not plain ASCII, or a field read twice, or --pred-cols: the text reader", () => {
    expect(tried("ndjson", '{"t":1,"p":0.5}', { target: "t", pred: "p" })).to.be.above(0);
    expect(tried("ndjson", '{"t":1,"p":0.5}', { target: 'a"b', pred: "p" })).to.equal(0);
    expect(tried("ndjson", '{"t":1,"p":0.5}', { target: "é", pred: "p" })).to.equal(0);
    expect(tried("ndjson", '{"t":1,"p":0.5}', { target: "t", pred: "p" }, "t")).to.equal(0);
    expect(tried("ndjson", '{"t":1,"p":0.5,"q":0.5}', { target: "t", preds: ["p", "q"] })).to.equal(0);
  });

  it("a CSV column read twice (a score column as --by, or twice in --pred-cols): the text reader", () => {
    expect(tried("csv", "target,a,b", { preds: ["a", "b"] })).to.be.above(0);
    expect(tried("csv", "target,a,b", { preds: ["a", "b"] }, "a")).to.equal(0);
    expect(tried("csv", "target,a,b", { preds: ["a", "a"] })).to.equal(0);
  });
});
