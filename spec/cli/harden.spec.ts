import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { hingeLoss, HingeLoss } from "../../lib/index.js";
import { DataError } from "../../lib/cli/errors.js";
import { mergeStateFiles, readStateFile } from "../../lib/cli/merge.js";
import { inPieces } from "../../lib/cli/outputs.js";
import {
  formatTableLines,
  jsonWithArray,
  stateOut,
  stateOutChunks,
  summarize,
  toJsonChunks,
  toJsonOutput,
} from "../../lib/cli/report.js";
import { runCli } from "../../lib/cli/run.js";
import { cli, ensureBuilt, tempDir } from "./support.js";

/** What an in-process run gave, and whether stdin was read at all. */
interface InRun {
  code: number;
  stdout: string;
  stderr: string;
  stdinRead: boolean;
}

/** Runs the CLI's main function in this process (no spawn), with `input` on stdin. */
async function run(args: string[], input = ""): Promise<InRun> {
  const r: InRun = { code: -1, stdout: "", stderr: "", stdinRead: false };
  const stdin = {
    async *[Symbol.asyncIterator]() {
      r.stdinRead = true;
      if (input !== "") yield Buffer.from(input);
    },
  };
  r.code = await runCli(args, {
    stdin,
    stdout: { write: (t: string) => (r.stdout += t) },
    stderr: { write: (t: string) => (r.stderr += t) },
    env: {},
  });
  return r;
}

const json = async (args: string[], input = "") => {
  const r = await run([...args, "--json"], input);
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    value: number | number[];
    samples: number;
    skipped?: number;
    groups?: { group: string; samples: number }[];
  };
};

/** One line on stderr, no stack trace. */
const oneLine = (r: InRun): string => {
  expect(r.stderr.split("\n"), r.stderr).to.have.length(2);
  expect(r.stderr).to.not.match(/\n\s+at /);
  return r.stderr.trimEnd();
};

describe("streammetrics CLI hardening (issue 12)", () => {
  let dir = "";
  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => {
    dir = tempDir();
  });

  describe("item 4: merge refuses a grouped state that names a group twice, or has extra keys", () => {
    const state = new HingeLoss().update([0.5], [1]).toJSON();
    const grouped = (groups: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ kind: "HingeLossGroups", version: 1, by: "epoch", groups, ...extra });
    it("a group twice: exit 1, one line naming the file, the group and both positions", async () => {
      const path = file(
        "dup.json",
        grouped([
          { group: "1", state },
          { group: "2", state },
          { group: "1", state },
        ]),
      );
      const r = await run(["merge", path]);
      expect(r.code).to.equal(1);
      expect(oneLine(r)).to.equal(
        `${path}: group "1" appears twice (groups[0] and groups[2]): a state file names each group once`,
      );
    });
    it("an extra wrapper key, or an extra key in a group entry: exit 1", async () => {
      const a = file("extra.json", grouped([{ group: "1", state }], { note: "x" }));
      const ra = await run(["merge", a]);
      expect(ra.code).to.equal(1);
      expect(oneLine(ra)).to.equal(
        `${a}: a grouped state has only the keys kind, version, by, groups, got also "note"`,
      );
      const b = file("extra2.json", grouped([{ group: "1", state, weight: 2 }]));
      const rb = await run(["merge", b]);
      expect(rb.code).to.equal(1);
      expect(oneLine(rb)).to.equal(`${b}: groups[0] has only the keys group and state, got also "weight"`);
    });
    it("the same group in two files still merges (that is what merge is for)", async () => {
      const path = file("ok.json", grouped([{ group: "1", state }]));
      const out = await json(["merge", path, path]);
      expect(out.samples).to.equal(2);
      expect(out.groups).to.deep.equal([{ group: "1", value: 0.5, samples: 2, total: 2 }]);
    });
  });

  describe("item 8: output paths are checked before any input is read; I/O errors are one line", () => {
    it("--state-out a directory or in a missing folder, --plot in a missing folder: exit 1, stdin never read", async () => {
      const cases: [string[], string][] = [
        [["--state-out", dir], `cannot write ${dir} (--state-out): it is a directory`],
        [
          ["--state-out", join(dir, "no", "s.json")],
          `cannot write ${join(dir, "no", "s.json")} (--state-out): the folder ${join(dir, "no")} does not exist`,
        ],
        [
          ["--by", "epoch", "--plot", join(dir, "no", "p.svg")],
          `cannot write ${join(dir, "no", "p.svg")} (--plot): the folder ${join(dir, "no")} does not exist`,
        ],
      ];
      for (const [flags, message] of cases) {
        const r = await run(["hinge", "-", ...flags], '{"preds":0.5,"target":1,"epoch":1}\n');
        expect(r.code, message).to.equal(1);
        expect(oneLine(r)).to.equal(message);
        expect(r.stdinRead).to.equal(false);
        expect(r.stdout).to.equal("");
      }
    });
    it("merge checks --state-out before reading its states (a missing state file is not reached)", async () => {
      const r = await run(["merge", join(dir, "missing.json"), "--state-out", join(dir, "no", "m.json")]);
      expect(r.code).to.equal(1);
      expect(oneLine(r)).to.match(/^cannot write .*m\.json \(--state-out\): the folder .* does not exist$/);
    });
    it("a failed run leaves an existing state file as it was; a good run replaces it whole", async () => {
      const out = file("keep.json", "previous\n");
      const bad = await run(["hinge", "-", "--state-out", out], '{"preds":0.5,"target":7}\n');
      expect(bad.code).to.equal(1);
      expect(readFileSync(out, "utf8")).to.equal("previous\n");
      expect((await run(["hinge", "-", "--state-out", out], '{"preds":0.5,"target":1}\n')).code).to.equal(0);
      expect(JSON.parse(readFileSync(out, "utf8"))).to.deep.equal(
        new HingeLoss().update([0.5], [1]).toJSON(),
      );
    });
    it("the same file for --state-out and --plot is a usage error (exit 2)", async () => {
      const r = await run([
        "hinge",
        "-",
        "--by",
        "e",
        "--state-out",
        join(dir, "x"),
        "--plot",
        join(dir, "x"),
      ]);
      expect(r.code).to.equal(2);
      expect(r.stderr).to.contain(`--state-out and --plot name the same file ${join(dir, "x")}`);
    });
    it("a system error while writing results (EPIPE) is one line with exit 1, not a stack trace", async () => {
      let stderr = "";
      const code = await runCli(["hinge", "-"], {
        stdin: [Buffer.from('{"preds":0.5,"target":1}\n')],
        stdout: {
          write: () => {
            throw Object.assign(new Error("write EPIPE"), { code: "EPIPE" });
          },
        },
        stderr: { write: (t: string) => (stderr += t) },
        env: {},
      } as never);
      expect(code).to.equal(1);
      expect(stderr).to.equal("streammetrics hinge: EPIPE\n");
    });
  });

  describe("item 9: the line-length limit", () => {
    it("a line over --max-line-bytes is file:line: line longer than N bytes (exit 1)", async () => {
      const path = file("long.ndjson", `{"preds":0.5,"target":1}\n{"preds":[${"0.5,".repeat(300)}0.5]}\n`);
      const r = await run(["hinge", path, "--max-line-bytes", "1K"]);
      expect(r.code).to.equal(1);
      expect(oneLine(r)).to.equal(
        `${path}:2: line longer than 1024 bytes (--max-line-bytes raises the limit)`,
      );
      expect((await json(["hinge", path, "--max-line-bytes", "1K", "--skip-invalid"])).samples).to.equal(1);
      expect((await run(["hinge", path, "--max-line-bytes", "2K"])).stderr).to.match(/:2: missing "target"/);
    });
    it("--max-line-bytes takes an integer with K, M or G up to 2^29 - 24; else exit 2", async () => {
      for (const bad of ["0", "-1", "1.5", "1T", "x", "1G1", String(2 ** 29)]) {
        const r = await run(["hinge", "-", "--max-line-bytes", bad]);
        expect(r.code, bad).to.equal(2);
        expect(r.stderr, bad).to.contain("--max-line-bytes must be an integer from 1 to 536870888");
      }
      expect(
        (await json(["hinge", "-", "--max-line-bytes", "25"], '{"preds":0.5,"target":1}\n')).samples,
      ).to.equal(1);
    });
  });

  describe("smaller items: number cells, group keys, gzip errors, long headers", () => {
    it("a CSV number cell is a decimal number; spaces around it are ignored (documented)", async () => {
      expect(
        (await json(["hinge", "-", "--format", "csv"], "target,pred\n 1 ,\t0.5 \n0,-2e-1\n")).value,
      ).to.equal(hingeLoss([0.5, -0.2], [1, 0]));
      for (const cell of ["0x10", "0b1", "0o7", "1_000", "Infinity", "NaN", "", " ", "1e", "--1", "1,5"]) {
        const r = await run(["hinge", "-", "--format", "csv"], `target,pred\n1,"${cell}"\n`);
        expect(r.code, cell).to.equal(1);
        expect(oneLine(r), cell).to.equal(
          `<stdin>:2: column "pred" must be a finite decimal number, got ${JSON.stringify(cell)}`,
        );
      }
    });
    it('--by: in NDJSON 1, 1.0 and "1" are one group; in CSV 1 and 1.0 are two (cells as written)', async () => {
      const nd =
        '{"preds":0.5,"target":1,"e":1}\n{"preds":0.5,"target":1,"e":1.0}\n{"preds":0.5,"target":1,"e":"1"}\n';
      expect(
        (await json(["hinge", "-", "--by", "e"], nd)).groups?.map((g) => [g.group, g.samples]),
      ).to.deep.equal([["1", 3]]);
      const csv = "target,pred,e\n1,0.5,1\n1,0.5,1.0\n1,0.5, 1 \n";
      expect(
        (await json(["hinge", "-", "--by", "e"], csv)).groups?.map((g) => [g.group, g.samples]),
      ).to.deep.equal([
        ["1", 2],
        ["1.0", 1],
      ]);
    });
    it("an empty or a truncated .gz says so (not only Z_BUF_ERROR); a non-gzip file says so", async () => {
      const empty = file("empty.csv.gz", "");
      const re = await run(["hinge", empty]);
      expect(re.code).to.equal(1);
      expect(oneLine(re)).to.equal(`cannot read ${empty}: the file is empty (0 bytes), not gzip data`);
      const whole = gzipSync("target,pred\n" + "1,0.5\n".repeat(1000));
      const cut = file("cut.csv.gz", whole.subarray(0, whole.length - 12));
      expect(oneLine(await run(["hinge", cut]))).to.equal(
        `cannot read ${cut}: unexpected end of gzip data: the file is empty or truncated (Z_BUF_ERROR)`,
      );
      const plain = file("plain.csv.gz", "target,pred\n1,0.5\n");
      expect(oneLine(await run(["hinge", plain]))).to.equal(
        `cannot read ${plain}: not gzip data, or corrupt gzip data (Z_DATA_ERROR)`,
      );
    });
    it("a CSV header error shows at most 8 names of 60 characters, not the whole line", async () => {
      const header = Array.from({ length: 5000 }, (_, i) => `column_${i}_${"x".repeat(100)}`).join(",");
      const r = await run(["hinge", "-", "--format", "csv"], header + "\n1,2\n");
      expect(r.code).to.equal(1);
      const line = oneLine(r);
      expect(line).to.match(
        /^<stdin>:1: CSV header has no "target" column, got 5000 columns: "column_0_x{21}…" \(109 characters\), .*, …$/,
      );
      expect(line.length).to.be.lessThan(700);
    });
  });

  describe("column names: --target-col, --pred-col, --pred-cols, --weight-col (CSV and NDJSON)", () => {
    const P = [-2.2, 2.4, 0.1];
    const T = [0, 1, 1];
    const rows = [
      [-1.0, 0.9, 0.2],
      [0.5, -1.1, 0.8],
      [2.2, -0.5, 0.3],
    ];
    it("a label,score CSV (which could not be read before) and its NDJSON twin give the API's value", async () => {
      const csv = "id,label,score\n" + P.map((p, i) => `${i},${T[i]},${p}`).join("\n") + "\n";
      const flags = ["--target-col", "label", "--pred-col", "score"];
      expect((await json(["hinge", "-", ...flags], csv)).value).to.equal(0.3);
      const nd = P.map((p, i) => JSON.stringify({ label: T[i], score: p })).join("\n") + "\n";
      expect((await json(["hinge", "-", ...flags], nd)).value).to.equal(0.3);
      const batch = JSON.stringify({ label: T, score: P }) + "\n";
      expect((await json(["hinge", "-", ...flags], batch)).value).to.equal(0.3);
    });
    it("--pred-cols names one score column per class (CSV and NDJSON), with --weight-col", async () => {
      const w = [1, 0.5, 2];
      const expected = hingeLoss(rows, [0, 1, 2], {}, w);
      const csv = "y,w,a,b,c\n" + rows.map((r, i) => `${i},${w[i]},${r.join(",")}`).join("\n") + "\n";
      const flags = ["--target-col", "y", "--pred-cols", "a, b ,c", "--weight-col", "w"];
      expect((await json(["hinge", "-", ...flags], csv)).value).to.equal(expected);
      const nd = rows.map((r, i) => JSON.stringify({ y: i, w: w[i], a: r[0], b: r[1], c: r[2] })).join("\n");
      expect((await json(["hinge", "-", ...flags], nd + "\n")).value).to.equal(expected);
      const swapped = await json(["hinge", "-", "--target-col", "y", "--pred-cols", "c,b,a"], csv);
      expect(swapped.value).to.equal(
        hingeLoss(
          rows.map((r) => [...r].reverse()),
          [0, 1, 2],
        ),
      );
    });
    it("a missing chosen column names the flag; bad flag combinations exit 2", async () => {
      const r = await run(["hinge", "-", "--pred-col", "score"], "target,pred\n1,0.5\n");
      expect(r.code).to.equal(1);
      expect(oneLine(r)).to.equal(
        `<stdin>:1: CSV header has no "score" column (--pred-col), got 2 columns: "target", "pred"`,
      );
      const nd = await run(["hinge", "-", "--pred-cols", "a,b"], '{"a":1,"target":0}\n');
      expect(oneLine(nd)).to.equal('<stdin>:1: missing "b"');
      const usage: [string[], string][] = [
        [
          ["--pred-col", "a", "--pred-cols", "b,c"],
          "--pred-col (binary) and --pred-cols (multiclass) exclude each other",
        ],
        [["--pred-cols", "a"], "--pred-cols needs two or more comma-separated column names"],
        [["--pred-cols", "a,,b"], "--pred-cols needs two or more"],
        [["--pred-cols", "a,b,a"], '--pred-cols names the column "a" twice'],
        [["--target-col", " "], "--target-col needs a column name"],
        [["--pred-cols", "a,b", "--num-classes", "3"], "--pred-cols names 2 columns but --num-classes is 3"],
      ];
      for (const [flags, message] of usage) {
        const u = await run(["hinge", "-", ...flags]);
        expect(u.code, flags.join(" ")).to.equal(2);
        expect(u.stderr).to.contain(message);
      }
    });
  });

  describe("item 7: output in pieces (no string of every group: V8 caps a string at 2^29 - 24 characters)", () => {
    const groups = Array.from({ length: 5 }, (_, i) => ({
      key: `g"${i}`,
      metric: new HingeLoss({ multiclassMode: "one-vs-all" }).update([[i, -1, 0.5]], [i % 3]),
    }));
    const results = summarize(groups, "epoch");
    it("stateOutChunks and toJsonChunks concatenate to the one-string forms, one piece per group", () => {
      const pieces = [...stateOutChunks(results, groups)];
      expect(pieces).to.have.length(groups.length + 2);
      expect(pieces.join("")).to.equal(JSON.stringify(stateOut(results, groups)));
      const json = [...toJsonChunks(results, { lines: 3 })];
      expect(json.join("")).to.equal(toJsonOutput(results, { lines: 3 }));
      const plain = summarize([{ key: "", metric: groups[0].metric }], null);
      expect([...toJsonChunks(plain, {})].join("")).to.equal(toJsonOutput(plain, {}));
      expect(formatTableLines(results)).to.have.length(2 + groups.length + 1);
    });
    it("inPieces joins pieces into strings of about the size asked, in order", () => {
      expect([...inPieces(["ab", "c", "def", "g"], 3)]).to.deep.equal(["abc", "def", "g"]);
      expect([...inPieces([], 3)]).to.deep.equal([]);
      expect([...jsonWithArray({}, "k", [])].join("")).to.equal('{"k":[]}');
    });
  });

  describe("item 7: a grouped state file larger than a string is read group by group", () => {
    const state = new HingeLoss().update([0.5], [1]).toJSON();
    const grouped = (groups: unknown[], extra: Record<string, unknown> = {}) =>
      JSON.stringify({ kind: "HingeLossGroups", version: 1, by: "e", groups, ...extra }, null, 1);
    const large = (f: string) => readStateFile(f, 0);
    it("the scanned reading merges to the same groups as the whole reading", () => {
      const path = file(
        "big.json",
        grouped([
          { group: 'a"]}', state },
          { group: "b", state },
        ]),
      );
      const whole = mergeStateFiles([path, path]);
      const scanned = mergeStateFiles([path, path], large);
      expect(scanned.by).to.equal("e");
      expect([...scanned.groups.keys()]).to.deep.equal(['a"]}', "b"]);
      for (const [key, metric] of whole.groups) {
        expect(JSON.stringify(scanned.groups.get(key)?.toJSON())).to.equal(JSON.stringify(metric.toJSON()));
      }
    });
    it("and refuses the same: a group twice, an extra key, a key twice, bad JSON, an ungrouped state", () => {
      const cases: [string, RegExp][] = [
        [
          grouped([
            { group: "1", state },
            { group: "1", state },
          ]),
          /group "1" appears twice/,
        ],
        [grouped([{ group: "1", state }], { x: 1 }), /got also "x"/],
        ['{"kind": "HingeLossGroups", "kind": "x"}', /invalid JSON \(the key "kind" appears twice\)/],
        [grouped([{ group: "1", state }]).replace('"state"', '"state" '.repeat(1) + "x"), /invalid JSON/],
        [JSON.stringify(state), /must be a grouped state/],
      ];
      for (const [text, message] of cases) {
        const path = file("bad-big.json", text);
        expect(() => mergeStateFiles([path], large), text.slice(0, 60)).to.throw(DataError, message);
      }
    });
  });

  describe("item 7: any number of groups (the bin with a small stack, so that a few groups suffice)", function () {
    // With --stack-size=80 a call with one argument per group overflows from about 10,000 groups (about
    // 125,000 with the default stack): 12,000 groups fail before the fix, as 150,000 did with the default.
    this.timeout(120_000);
    before(() => ensureBuilt());
    it("hinge --by with 12,000 groups, --state-out and --plot; merge of that grouped state", () => {
      const N = 12_000;
      const lines = ["target,pred,g"];
      for (let i = 0; i < N; i++) lines.push(`${i % 2},${(i % 7) / 4 - 1},${i}`);
      const input = file("groups.csv", lines.join("\n") + "\n");
      const state = join(dir, "groups.json");
      const small = { nodeArgs: ["--stack-size=80"] };
      const h = cli(
        ["hinge", input, "--by", "g", "--state-out", state, "--plot", join(dir, "g.svg"), "--json"],
        small,
      );
      expect(h.stderr).to.not.contain("Maximum call stack");
      expect(h.code, h.stderr).to.equal(0);
      const out = JSON.parse(h.stdout) as { samples: number; groups: unknown[]; value: number };
      expect([out.samples, out.groups.length]).to.deep.equal([N, N]);
      const m = cli(["merge", state, "--json", "--plot", join(dir, "m.svg")], small);
      expect(m.code, m.stderr).to.equal(0);
      const merged = JSON.parse(m.stdout) as { samples: number; groups: unknown[]; value: number };
      expect([merged.samples, merged.groups.length, merged.value]).to.deep.equal([N, N, out.value]);
    });
  });
});
