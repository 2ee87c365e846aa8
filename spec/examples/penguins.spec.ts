// `npm run demo` (examples/penguins.ts): a linear SVM trained on the Palmer penguins, validated after every
// epoch through the rx epoch operator, the validation split across two worker threads and merged. The spec
// checks what a user of the demo would: the model learns (validation loss falls, accuracy ends high), the
// merged worker states give the single pass's values bit for bit, and the chart is a well-formed SVG.
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DemoResult } from "../../examples/penguins.js";
import { ensureBuilt } from "../cli/support.js";

const ENTITY = /^&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);/;

/**
 * Throws unless `text` is a well-formed XML document: one root element, every tag closed in order, attributes
 * quoted and not repeated, no raw `<` or stray `&` in text or attribute values.
 */
function assertWellFormedXml(text: string): string {
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*"[^"]*")*)\s*(\/?)>/y;
  const stack: string[] = [];
  let roots = 0;
  let root = "";
  const checkText = (chunk: string, where: number): void => {
    if (chunk.includes("<")) throw new Error(`raw "<" at ${where}`);
    for (let k = chunk.indexOf("&"); k >= 0; k = chunk.indexOf("&", k + 1)) {
      if (!ENTITY.test(chunk.slice(k))) throw new Error(`stray "&" at ${where + k}`);
    }
  };
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("<", i);
    const chunk = text.slice(i, open < 0 ? text.length : open);
    checkText(chunk, i);
    if (chunk.trim() !== "" && stack.length === 0) throw new Error(`text outside the root at ${i}`);
    if (open < 0) break;
    if (text.startsWith("<!--", open)) {
      const end = text.indexOf("-->", open);
      if (end < 0) throw new Error(`unclosed comment at ${open}`);
      i = end + 3;
      continue;
    }
    tag.lastIndex = open;
    const m = tag.exec(text);
    if (m === null) throw new Error(`malformed tag at ${open}: ${text.slice(open, open + 40)}`);
    const [, closing, name, attrs, selfClosing] = m;
    const names = [...attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=\s*"([^"]*)"/g)].map(([, n, v]) => {
      checkText(v, open);
      return n;
    });
    if (new Set(names).size !== names.length) throw new Error(`repeated attribute in <${name}> at ${open}`);
    if (closing === "/") {
      if (attrs !== "" || selfClosing === "/") throw new Error(`malformed closing tag at ${open}`);
      const top = stack.pop();
      if (top !== name) throw new Error(`</${name}> at ${open} closes <${top}>`);
    } else {
      if (stack.length === 0) {
        roots += 1;
        root = name;
      }
      if (selfClosing !== "/") stack.push(name);
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
  return root;
}

describe("examples/penguins.ts (npm run demo)", function () {
  // Building dist/ when it is stale, then a few seconds for the demo on a busy machine.
  this.timeout(180_000);
  let dir: string;
  let result: DemoResult;
  let names: string[];
  const lines: string[] = [];

  before(async function () {
    // The example imports "streammetrics" as a user does: the package's own built dist/.
    ensureBuilt();
    // imported only now: the example's "streammetrics" import needs dist/ to exist
    const { main } = await import("../../examples/penguins.js");
    names = (await import("../../examples/penguins/metrics.js")).validationMetrics().names;
    dir = mkdtempSync(join(tmpdir(), "penguins-"));
    result = await main({ svgPath: join(dir, "chart.svg"), log: (line) => lines.push(line) });
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("the well-formedness check rejects broken XML (the checker itself)", function () {
    expect(assertWellFormedXml('<svg a="1"><g><path d="M0,0"/></g><text>a &amp; b</text></svg>')).to.equal(
      "svg",
    );
    for (const bad of [
      "<svg><g></svg>",
      "<svg></svg><svg></svg>",
      '<svg a="1" a="2"/>',
      "<svg>a & b</svg>",
      '<svg a="<"/>',
      "<svg a=1/>",
      "<svg>",
    ]) {
      expect(() => assertWellFormedXml(bad), bad).to.throw();
    }
  });

  it("trains 20 epochs on 233 penguins and validates on 100 (333 complete rows of 344)", function () {
    expect(result.sizes).to.deep.equal({ train: 233, validation: 100 });
    expect(result.rows.map((r) => r.epoch)).to.deep.equal(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(lines[0]).to.equal(
      "Palmer penguins: 344 rows, 333 complete; 233 to train, 100 to validate (seed 7)",
    );
    // one table line per epoch, after the header
    const table = lines.slice(3, 23);
    expect(table.map((l) => Number(l.trim().split(/\s+/)[0]))).to.deep.equal(result.rows.map((r) => r.epoch));
  });

  it("validation and training loss fall from the first epoch to the last", function () {
    const first = result.rows[0];
    const last = result.rows[result.rows.length - 1];
    // measured: validation 0.3615 → 0.0793, training 0.3291 → 0.0521
    expect(last.validation.loss).to.be.lessThan(first.validation.loss / 2);
    expect(last.trainLoss).to.be.lessThan(first.trainLoss / 2);
    expect(last.validation.loss).to.be.lessThan(0.15);
  });

  it("ends with a validation accuracy and F1 above 0.9 (measured: 0.978 both; 0.778 and 0.774 after epoch 1)", function () {
    const first = result.rows[0].validation;
    const last = result.rows[result.rows.length - 1].validation;
    expect(last.accuracy).to.be.greaterThan(0.9);
    expect(last.f1).to.be.greaterThan(0.9);
    expect(last.accuracy).to.be.greaterThan(first.accuracy);
    expect(last.f1).to.be.greaterThan(first.f1);
    for (const row of result.rows) {
      expect(row.validation.accuracy).to.be.within(0, 1);
      expect(row.validation.f1).to.be.within(0, 1);
    }
  });

  it("is seeded: the same numbers on every run and machine", function () {
    const last = result.rows[result.rows.length - 1];
    expect(last.validation.loss.toFixed(4)).to.equal("0.0793");
    expect(result.rows[0].validation.loss.toFixed(4)).to.equal("0.3615");
    expect(last.validation.accuracy.toFixed(4)).to.equal("0.9780");
    expect(last.validation.f1.toFixed(4)).to.equal("0.9780");
  });

  it("the states merged from two workers equal the single pass, bit for bit", function () {
    expect(names).to.deep.equal(["loss", "accuracy", "f1"]);
    expect(Object.keys(result.merged)).to.deep.equal(names);
    expect(Object.keys(result.single)).to.deep.equal(names);
    for (const name of names) {
      const key = name as keyof typeof result.single;
      expect(Object.is(result.merged[key], result.single[key]), name).to.equal(true);
    }
    expect(lines).to.include("bit-identical to the single pass: true");
  });

  it("writes a well-formed SVG chart with the training and validation curves", function () {
    const svg = readFileSync(result.svgPath, "utf8");
    expect(result.svgPath).to.equal(join(dir, "chart.svg"));
    expect(assertWellFormedXml(svg)).to.equal("svg");
    expect(svg).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).to.contain(">train loss</text>");
    expect(svg).to.contain(">val loss</text>");
    // one point (with its tooltip) per epoch and curve
    expect(svg).to.contain(">val accuracy</text>");
    // one point (with its tooltip) per epoch on each of the three curves
    expect(svg.match(/<circle /g)).to.have.length(3 * 20);
  });

  it("docs/demo.md shows this output and docs/penguins.svg is this chart", function () {
    const doc = readFileSync("docs/demo.md", "utf8");
    const shown = /```\n\$ npm run demo\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(shown).to.equal(
      [...lines.slice(0, -1), "chart: /path/to/streammetrics/.tmp/penguins.svg"].join("\n"),
    );
    expect(readFileSync("docs/penguins.svg", "utf8")).to.equal(readFileSync(result.svgPath, "utf8"));
  });

  it("runs as `npm run demo` runs it (tsx, a chart path argument) and prints the same lines", function () {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.demo).to.equal("tsx examples/penguins.ts");
    const svgPath = join(dir, "cli.svg");
    const out = execFileSync(process.execPath, ["--import", "tsx", "examples/penguins.ts", svgPath], {
      encoding: "utf8",
      timeout: 100_000,
    });
    expect(out).to.equal([...lines.slice(0, -1), `chart: ${svgPath}`, ""].join("\n"));
    expect(readFileSync(svgPath, "utf8")).to.equal(readFileSync(result.svgPath, "utf8"));
  });
});
