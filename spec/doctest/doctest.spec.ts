import { expect } from "chai";
import {
  allBlocks,
  markdownBlocks,
  prepare,
  tsdocBlocks,
  type Block,
  type DocTest,
} from "../../scripts/doctest.mjs";

// Every ```ts block of README.md, docs/*.md and the TSDoc comments under lib/ runs here (scripts/doctest.mjs;
// the rules are in docs/contributing.md). `npm run doctest` runs this file alone.
const blocks = allBlocks();

describe("doctest: every example block runs and its written results hold", () => {
  // the blocks' modules are generated and loaded once, before the first block runs (slow on a busy machine)
  let prepared: { tests: DocTest[]; cleanup: () => void } | undefined;
  before(async function () {
    this.timeout(300_000);
    prepared = await prepare(blocks);
  });
  const run = async (title: string) => {
    const test = prepared?.tests.find((t) => t.title === title);
    if (test === undefined) throw new Error(`no test ${title}`);
    await test.run();
  };
  after(() => prepared?.cleanup());
  const runnable = blocks.filter((b) => !b.noRun);
  for (const file of [...new Set(runnable.map((b) => b.file))])
    describe(file, () => {
      for (const b of runnable.filter((x) => x.file === file)) {
        const title = `${b.file}:${b.line}`;
        it(title, () => run(title));
      }
    });
});

/** Runs a block given as text (as if it were in `file`); resolves to the error it failed with, or null. */
async function outcome(block: Block): Promise<Error | null> {
  const prepared = await prepare([block]);
  try {
    await (prepared.tests[0] as DocTest).run();
    return null;
  } catch (error) {
    return error as Error;
  } finally {
    prepared.cleanup();
  }
}

const md = (code: string): Block => ({ file: "docs/selftest.md", line: 1, code, noRun: false, tsdoc: false });
const doc = (code: string): Block => ({ file: "lib/index.ts", line: 1, code, noRun: false, tsdoc: true });

describe("doctest runner (self-test)", () => {
  it("finds blocks in README.md and in TSDoc, and honours no-run", () => {
    expect(blocks.filter((b) => b.file === "README.md").length).to.be.greaterThan(0);
    expect(blocks.filter((b) => b.tsdoc).length).to.be.greaterThan(50);
    const found = markdownBlocks("x.md", "a\n```ts no-run\nx;\n```\n```ts\ny; // => 1\n```\n```sh\nz\n```\n");
    expect(found.map((b) => [b.line, b.code, b.noRun])).to.deep.equal([
      [3, "x;", true],
      [6, "y; // => 1", false],
    ]);
    const ts = tsdocBlocks("x.ts", "/**\n * Sum.\n * @example\n * ```ts\n * f(1); // => 1\n * ```\n */\n");
    expect(ts.map((b) => [b.line, b.code, b.tsdoc])).to.deep.equal([[5, "f(1); // => 1", true]]);
  });

  it("a changed `// =>` value in a guide makes its block fail", async () => {
    const good =
      'import { HingeLoss } from "streammetrics";\nnew HingeLoss().update([0.5], [1]).compute(); // => 0.5';
    expect(await outcome(md(good))).to.equal(null);
    const bad = await outcome(md(good.replace("=> 0.5", "=> 0.6")));
    expect(bad?.message)
      .to.contain("docs/selftest.md:2")
      .and.contain("expected: 0.6")
      .and.contain("got:      0.5");
  });

  it("a changed `// =>` value in every example with a numeric result (TSDoc, README, guides) makes it fail", async function () {
    this.timeout(120_000);
    // mutate the first numeric result of each block (in memory) and run the mutants in one batch
    const mutants: Block[] = [];
    for (const b of blocks.filter((x) => !x.noRun)) {
      const m = /\/\/ => (-?\d+(\.\d+)?(e-?\d+)?)\b/.exec(b.code);
      if (!m) continue;
      const changed = String(Number(m[1]) + 1);
      mutants.push({
        ...b,
        code: b.code.slice(0, m.index) + `// => ${changed}` + b.code.slice(m.index + m[0].length),
      });
    }
    expect(mutants.filter((b) => !b.tsdoc).length).to.be.greaterThan(10);
    expect(mutants.length).to.be.greaterThan(20);
    const prepared = await prepare(mutants);
    try {
      // each mutant fails on the changed value (not on something else)
      const survivors: string[] = [];
      for (const t of prepared.tests) {
        try {
          await t.run();
          survivors.push(`${t.title} passed`);
        } catch (error) {
          if (!/expected: /.test((error as Error).message))
            survivors.push(`${t.title}: ${(error as Error).message}`);
        }
      }
      expect(survivors).to.deep.equal([]);
    } finally {
      prepared.cleanup();
    }
  });

  it("the value is compared deep-strictly: 0.30000000000000004 is not 0.3, -0 is not 0, an array is not a typed array", async () => {
    expect(await outcome(md("0.1 + 0.2; // => 0.3"))).to.be.an("error");
    expect(await outcome(md("0.1 + 0.2; // => 0.30000000000000004"))).to.equal(null);
    expect(await outcome(md("-0; // => 0"))).to.be.an("error");
    expect(await outcome(md("NaN; // => NaN"))).to.equal(null);
    expect(await outcome(md("Float64Array.of(1, 2); // => [1, 2]"))).to.be.an("error");
    expect(await outcome(md("Float64Array.of(1, 2); // => Float64Array [1, 2]"))).to.equal(null);
    expect(await outcome(md("({ a: 1, b: [2] }); // => { a: 1, b: [2] }"))).to.equal(null);
    expect(await outcome(md("({ a: 1, b: [2] }); // => { a: 1, b: [3] }"))).to.be.an("error");
  });

  it("the result may sit on the next line, continue over several lines, and carry a remark", async () => {
    expect(await outcome(md("const x = [1,\n  2];\nx.length;\n// => 2 (two)"))).to.equal(null);
    expect(await outcome(md("({ a: 1, b: 2 });\n// => { a: 1,\n//      b: 2 }"))).to.equal(null);
    expect(await outcome(md("({ a: 1, b: 2 });\n// => { a: 1,\n//      b: 3 }"))).to.be.an("error");
    expect(await outcome(md("[1, 2].map((v) => v * 2); // => [2, 4], doubled"))).to.equal(null);
    expect(await outcome(md("const y = 2 + 2; // => 4"))).to.equal(null);
    expect(await outcome(md("const y = 2 + 2; // => 5"))).to.be.an("error");
    expect(await outcome(md("const p = Promise.resolve(3);\nawait p; // => 3"))).to.equal(null);
  });

  it("`{...}` is any value and a lone `...` allows more keys or elements", async () => {
    expect(await outcome(md("({ a: 1, b: { c: 2 } }); // => { a: 1, b: {...} }"))).to.equal(null);
    expect(await outcome(md("({ a: 1, b: 2 }); // => { a: 1, ... }"))).to.equal(null);
    expect(await outcome(md("({ a: 2, b: 2 }); // => { a: 1, ... }"))).to.be.an("error");
    expect(await outcome(md("({ a: 1, b: 2 }); // => { a: 1 }"))).to.be.an("error");
    expect(await outcome(md("[1, 2, 3]; // => [1, 2, ...]"))).to.equal(null);
    expect(await outcome(md("[1, 3, 3]; // => [1, 2, ...]"))).to.be.an("error");
  });

  it("`// throws Name: start` asserts the error's name and the start of its message", async () => {
    const code = 'import { HingeLoss } from "streammetrics";\nnew HingeLoss().compute();\n';
    expect(await outcome(md(code + "// throws MetricStateError: HingeLoss.compute() called"))).to.equal(null);
    expect(await outcome(md(code + "// throws MetricInputError"))).to.be.an("error");
    expect(await outcome(md(code + "// throws MetricStateError: something else"))).to.be.an("error");
    expect(await outcome(md("1 + 1; // throws Error"))).to.be.an("error");
  });

  it("TSDoc examples use the exports without importing them; a result that follows nothing, or is never reached, fails", async () => {
    expect(await outcome(doc("new HingeLoss().update([0.5], [1]).compute(); // => 0.5"))).to.equal(null);
    expect((await outcome(md("// => 1")))?.message).to.contain("follows no expression statement");
    expect((await outcome(md("if (false) {\n  1; // => 1\n}")))?.message).to.contain("never reached");
  });
});
