// Executed documentation: every ```ts block of README.md and docs/*.md, and every ```ts block of a TSDoc
// comment under lib/ (the `@example`s), runs as a test; each `// => value` and `// throws …` comment in it is
// an assertion on the statement it follows. The rules are in docs/contributing.md ("Examples are tests"):
//   - `expr; // => value`, or `// => value` on the line after the statement: the statement's value (for
//     `const x = …;` the value of x) deep-strictly equals `value`, a JavaScript expression evaluated in the
//     example's scope (numbers compared with Object.is, so 0.30000000000000004 is not 0.3 and -0 is not 0).
//     A value that does not close its brackets on the line continues on the following `//` lines. After the
//     value, a remark may follow after a top-level comma or in parentheses after a space: `// => 0.5 (mean)`.
//     `{...}` stands for any value and a lone `...` as the last element of an object or array for "and
//     more"; `Float64Array [1, 2]` (as Node prints it) is a typed array.
//   - `expr; // throws Name: message start`: the statement throws (or rejects with) an error whose name is
//     Name and whose message starts with the text given.
//   - a block whose fence is ```ts no-run is shown but not run (the exception: say why next to it).
//   - TSDoc examples may use, without importing them, the exports of their own module and of every public
//     entry point (package.json `exports`); guide examples import what they use, as a reader would. Imports
//     of `streammetrics`, `streammetrics/rx`, … are resolved to lib/ (TypeScript, through tsx).
// Each block becomes an async function in a generated module (one per source file) and they all run in one
// process: `npm run doctest` runs spec/doctest/doctest.spec.ts, which is also part of the whole mocha run.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect, isDeepStrictEqual } from "node:util";
import ts from "typescript";
import { entryPoints, root } from "./entryPoints.mjs";

/**
 * One example block.
 * @typedef {{ file: string, line: number, code: string, noRun: boolean, tsdoc: boolean }} Block
 */

const FENCE = /^\s*(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const TS_LANGS = new Set(["ts", "typescript"]);

/** Markdown files whose blocks run: README.md and docs/*.md (not the generated site). */
export function markdownFiles() {
  const docs = join(root, "docs");
  const names = existsSync(docs) ? readdirSync(docs).filter((n) => n.endsWith(".md")) : [];
  return ["README.md", ...names.sort().map((n) => `docs/${n}`)];
}

/** TypeScript sources under lib/. */
export function sourceFiles(dir = "lib") {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/**
 * The fenced blocks of lines (each `{ text, line }`, line 1-based in the file).
 * @param {{ text: string, line: number }[]} lines
 * @param {string} file
 * @param {boolean} tsdoc
 * @returns {Block[]}
 */
function fenced(lines, file, tsdoc) {
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i].text);
    if (!open) continue;
    const [, fence, lang, info] = open;
    let j = i + 1;
    while (j < lines.length && !lines[j].text.trim().startsWith(fence)) j++;
    if (TS_LANGS.has(lang.toLowerCase())) {
      const body = lines.slice(i + 1, j);
      blocks.push({
        file,
        line: body.length > 0 ? body[0].line : lines[i].line + 1,
        code: body.map((l) => l.text).join("\n"),
        noRun: /(^|\s)no-run(\s|$)/.test(info),
        tsdoc,
      });
    }
    i = j;
  }
  return blocks;
}

/** @param {string} file repository-relative @param {string} [text] the file's text (default: read it) */
export function markdownBlocks(file, text = readFileSync(join(root, file), "utf8")) {
  return fenced(
    text.split("\n").map((t, i) => ({ text: t, line: i + 1 })),
    file,
    false,
  );
}

/** @param {string} file repository-relative @param {string} [text] the file's text (default: read it) */
export function tsdocBlocks(file, text = readFileSync(join(root, file), "utf8")) {
  const blocks = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\*\*/.test(lines[i]) || /\*\/\s*$/.test(lines[i])) continue;
    const comment = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*\*\/|\*\/\s*$/.test(lines[j]); j++)
      comment.push({ text: lines[j].replace(/^\s*\* ?/, ""), line: j + 1 });
    blocks.push(...fenced(comment, file, true));
    i = j;
  }
  return blocks;
}

/** Every block of the repository. @returns {Block[]} */
export function allBlocks() {
  return [
    ...markdownFiles().flatMap((f) => markdownBlocks(f)),
    ...sourceFiles().flatMap((f) => tsdocBlocks(f)),
  ];
}

// ── the expected-value notation ──────────────────────────────────────────────────────────────────────────

/** Bracket depth change and end of the value in a `// =>` text: `{ depth, end }` (end -1: not ended). */
function scanValue(text, depth0) {
  let depth = depth0;
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0 && i > 0 && (c === "," || (/\s/.test(c) && /^\s+\(/.test(text.slice(i)))))
      return { depth, end: i };
  }
  return { depth, end: -1 };
}

/**
 * The JavaScript expression for a written value (see the header): typed arrays, `{...}` and `...`.
 * @param {string} value
 */
export function valueExpression(value) {
  // outside string literals only
  return value
    .trim()
    .replace(/^(\w+Array) \[(.*)\]$/s, "$1.from([$2])")
    .split(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/\{\s*\.\.\.\s*\}/g, "__dt.any").replace(/\.\.\.(?=\s*[,}\]])/g, "...__dt.rest"),
    )
    .join("");
}

// ── instrumenting a block ────────────────────────────────────────────────────────────────────────────────

/** The first syntax error of TypeScript code ("line N: message"), or null. */
function syntaxError(code, offset = 1) {
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const d = sf.parseDiagnostics?.[0];
  if (!d) return null;
  const line = sf.getLineAndCharacterOfPosition(d.start).line;
  return `line ${line + offset}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")} (a written value must be a JavaScript expression)`;
}

/**
 * Rewrites a block's code: assertions become calls on `__dt`, imports become `await import(…)` of resolved
 * URLs. Returns the code and the assertions (their lines in the block, 0-based) or throws a SyntaxError-like
 * Error naming the line when a `// =>` follows no statement.
 * @param {string} code
 * @param {(specifier: string) => string} resolve
 * @returns {{ code: string, asserts: { line: number, text: string }[], imported: Set<string> }}
 */
export function instrument(code, resolve) {
  const syntax = syntaxError(code);
  if (syntax) throw new Error(syntax);
  const sf = ts.createSourceFile("block.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const comments = new Map();
  const statements = [];
  const visit = (node) => {
    for (const r of [
      ...(ts.getLeadingCommentRanges(code, node.pos) ?? []),
      ...(ts.getTrailingCommentRanges(code, node.end) ?? []),
    ])
      if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) comments.set(r.pos, r);
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) statements.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  for (const r of ts.getLeadingCommentRanges(code, sf.endOfFileToken.pos) ?? [])
    if (r.kind === ts.SyntaxKind.SingleLineCommentTrivia) comments.set(r.pos, r);
  const sorted = [...comments.values()].sort((a, b) => a.pos - b.pos);
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
  const edits = [];
  const asserts = [];
  const consumed = new Set();
  for (let k = 0; k < sorted.length; k++) {
    const c = sorted[k];
    if (consumed.has(c.pos)) continue;
    const body = code.slice(c.pos + 2, c.end);
    const m = /^\s*(=>|throws\b)\s?(.*)$/.exec(body);
    if (!m) continue;
    const line = lineOf(c.pos);
    const target = statements
      .filter((s) => s.end <= c.pos && /^\s*$/.test(code.slice(s.end, c.pos).replace(/\/\/[^\n]*/g, "")))
      .sort((a, b) => a.getStart() - b.getStart())[0];
    if (target === undefined)
      throw new Error(`line ${line + 1}: "//${body}" follows no expression statement or declaration`);
    const id = asserts.length;
    asserts.push({ line: lineOf(target.getStart()), text: `//${body}`.trim() });
    const stmt = code.slice(target.getStart(), target.end);
    if (m[1] === "throws") {
      const t = /^\s*([\w.]+)?\s*(?::\s*(.*))?$/.exec(m[2]) ?? [];
      edits.push([
        target.getStart(),
        target.end,
        `await __dt.throws(async () => { ${stmt} }, ${JSON.stringify(t[1] ?? null)}, ${JSON.stringify(t[2]?.trim() || null)}, ${id});`,
      ]);
      continue;
    }
    // the written value, continued on the next `//` lines while its brackets are open
    let text = m[2];
    let scan = scanValue(text, 0);
    let next = k + 1;
    while (
      scan.end < 0 &&
      scan.depth > 0 &&
      next < sorted.length &&
      lineOf(sorted[next].pos) === lineOf(c.pos) + (next - k)
    ) {
      const more = code.slice(sorted[next].pos + 2, sorted[next].end);
      consumed.add(sorted[next].pos);
      const s = scanValue(more, scan.depth);
      text += "\n" + (s.end < 0 ? more : more.slice(0, s.end));
      scan = s.end < 0 ? s : { depth: s.depth, end: text.length };
      next++;
    }
    const value = scan.end < 0 ? text : text.slice(0, scan.end);
    if (value.trim() === "") throw new Error(`line ${line + 1}: "// =>" without a value`);
    const expected = `() => (${valueExpression(value)})`;
    if (ts.isExpressionStatement(target)) {
      edits.push([
        target.getStart(),
        target.end,
        `__dt.check((${target.expression.getText()}), ${expected}, ${id});`,
      ]);
    } else {
      const decls = target.declarationList.declarations;
      if (decls.length !== 1 || !ts.isIdentifier(decls[0].name))
        throw new Error(`line ${line + 1}: "// =>" after a declaration of more than one plain name`);
      edits.push([target.end, target.end, ` __dt.check(${decls[0].name.text}, ${expected}, ${id});`]);
    }
  }
  // imports → dynamic imports of resolved specifiers (blocks share a generated module)
  const imported = new Set();
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s)) continue;
    const spec = resolve(s.moduleSpecifier.text);
    const clause = s.importClause;
    const parts = [];
    if (clause && !clause.isTypeOnly) {
      if (clause.name) {
        imported.add(clause.name.text);
        parts.push(`const ${clause.name.text} = (await import(${JSON.stringify(spec)})).default;`);
      }
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) {
        imported.add(nb.name.text);
        parts.push(`const ${nb.name.text} = await import(${JSON.stringify(spec)});`);
      } else if (nb) {
        const names = nb.elements
          .filter((e) => !e.isTypeOnly)
          .map((e) => {
            imported.add(e.name.text);
            return e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text;
          });
        if (names.length > 0)
          parts.push(`const { ${names.join(", ")} } = await import(${JSON.stringify(spec)});`);
      }
    } else if (!clause) parts.push(`await import(${JSON.stringify(spec)});`);
    edits.push([s.getStart(), s.end, parts.join(" ")]);
  }
  let out = code;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start) + text + out.slice(end);
  const wrong = syntaxError(`async () => {\n${out}\n}`, 0);
  if (wrong) throw new Error(wrong);
  return { code: out, asserts, imported };
}

// ── running ──────────────────────────────────────────────────────────────────────────────────────────────

/** Specifier → URL: the package's entry points to lib/; other bare names stay (the generated modules live in
 * the repository's .tmp/, so they resolve from its node_modules). */
function resolver(file) {
  const map = new Map(entryPoints().map((e) => [e.specifier, pathToFileURL(join(root, e.source)).href]));
  return (spec) => {
    const hit = map.get(spec);
    if (hit) return hit;
    if (spec.startsWith(".") && file.startsWith("lib/"))
      return pathToFileURL(join(root, dirname(file), spec.replace(/\.js$/, ".ts"))).href;
    if (spec.startsWith(".") || spec.startsWith("/")) throw new Error(`relative import "${spec}" in a guide`);
    return spec;
  };
}

/**
 * The names a TSDoc example of `file` may use without importing them: the public entry points' exports, the
 * names the module imports from its relative modules (types included when they exist at run time: a class
 * imported with `import type`), and the module's own exports, later ones winning.
 */
async function tsdocScope(file, publicScope) {
  const text = readFileSync(join(root, file), "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const resolve = resolver(file);
  const scope = { ...publicScope };
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !s.moduleSpecifier.text.startsWith(".")) continue;
    const nb = s.importClause?.namedBindings;
    if (!nb || !ts.isNamedImports(nb)) continue;
    const mod = await import(resolve(s.moduleSpecifier.text));
    for (const e of nb.elements) {
      const name = (e.propertyName ?? e.name).text;
      if (name in mod) scope[e.name.text] = mod[name];
    }
  }
  return Object.assign(scope, await import(pathToFileURL(join(root, file)).href));
}

const ANY = Symbol("any");
const REST = Symbol("rest");
const rest = {
  [REST]: true,
  *[Symbol.iterator]() {
    yield REST;
  },
};

function hasMarkers(v) {
  if (v === ANY || v === REST) return true;
  if (v === null || typeof v !== "object") return false;
  if (Object.getOwnPropertySymbols(v).includes(REST)) return true;
  return Object.values(v).some(hasMarkers);
}

/** Why `actual` does not match `expected` (null when it does), with markers. */
function mismatch(actual, expected, path) {
  if (expected === ANY) return null;
  if (!hasMarkers(expected)) return isDeepStrictEqual(actual, expected) ? null : path || "the value";
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path || "the value"} (not an array)`;
    const open = expected.at(-1) === REST;
    const items = open ? expected.slice(0, -1) : expected;
    if (open ? actual.length < items.length : actual.length !== items.length)
      return `${path || "the value"} (length)`;
    for (let i = 0; i < items.length; i++) {
      const m = mismatch(actual[i], items[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (actual === null || typeof actual !== "object") return `${path || "the value"} (not an object)`;
  const open = Object.getOwnPropertySymbols(expected).includes(REST);
  const keys = Object.keys(expected);
  if (!open && Object.keys(actual).length !== keys.length) return `${path || "the value"} (keys)`;
  for (const k of keys) {
    if (!(k in actual)) return `${path}.${k} (missing)`;
    const m = mismatch(actual[k], expected[k], `${path}.${k}`);
    if (m) return m;
  }
  return null;
}

const show = (v) => inspect(v, { depth: 6, breakLength: 100 });

/** The assertion helper a block gets as `__dt`. */
function helper(where, asserts) {
  const done = new Set();
  return {
    any: ANY,
    rest,
    done,
    check(actual, expected, id) {
      done.add(id);
      let want;
      try {
        want = expected();
      } catch (error) {
        throw new Error(`${where(id)}: the written value does not evaluate: ${error.message}`, {
          cause: error,
        });
      }
      const m = mismatch(actual, want, "");
      if (m !== null)
        throw new Error(
          `${where(id)}: ${asserts[id].text}\n  expected: ${show(want)}\n  got:      ${show(actual)}${m === "the value" ? "" : `\n  (at ${m})`}`,
        );
    },
    async throws(fn, name, message, id) {
      done.add(id);
      try {
        await fn();
      } catch (error) {
        const e = /** @type {Error} */ (error);
        if (name && e?.name !== name && e?.constructor?.name !== name)
          throw new Error(`${where(id)}: ${asserts[id].text}\n  threw ${e?.name}: ${e?.message}`, {
            cause: error,
          });
        if (message && !String(e?.message).startsWith(message))
          throw new Error(`${where(id)}: ${asserts[id].text}\n  the message was: ${e?.message}`, {
            cause: error,
          });
        return;
      }
      throw new Error(`${where(id)}: ${asserts[id].text}\n  nothing was thrown`);
    },
  };
}

const IDENT = /[A-Za-z_$][\w$]*/g;

/**
 * Prepares blocks to run: one generated module per source file in a temporary directory.
 * @param {Block[]} blocks
 * @returns {Promise<{ tests: { block: Block, title: string, run: () => Promise<void> }[], cleanup: () => void }>}
 */
export async function prepare(blocks) {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(root, ".tmp", "doctest-"));
  /** names every TSDoc example may use: the public entry points, the root last so that it wins */
  const publicScope = {};
  for (const e of entryPoints()
    .filter((x) => x.sourceExists)
    .reverse())
    Object.assign(publicScope, await import(pathToFileURL(join(root, e.source)).href));
  const byFile = new Map();
  for (const b of blocks.filter((x) => !x.noRun)) byFile.set(b.file, [...(byFile.get(b.file) ?? []), b]);
  const tests = [];
  for (const [file, list] of byFile) {
    const scope = list[0].tsdoc ? await tsdocScope(file, publicScope) : {};
    const resolve = resolver(file);
    const fns = [];
    const meta = [];
    for (const b of list) {
      let inst;
      try {
        inst = instrument(b.code, resolve);
      } catch (error) {
        const msg = `${file}:${b.line}: ${error.message}`;
        fns.push("async () => {}");
        meta.push({ b, error: msg, asserts: [] });
        continue;
      }
      const used = new Set(b.code.match(IDENT) ?? []);
      const names = Object.keys(scope).filter((n) => used.has(n) && !inst.imported.has(n));
      fns.push(
        `async (__scope: any, __dt: any) => {\nconst { ${names.join(", ")} } = __scope;\n{\n${inst.code}\n}\n}`,
      );
      meta.push({ b, asserts: inst.asserts });
    }
    const out = join(dir, relative(root, file).replace(/[/\\.]/g, "_") + ".ts");
    mkdirSync(dir, { recursive: true });
    writeFileSync(out, `// generated from ${file}\nexport const blocks = [\n${fns.join(",\n")},\n];\n`);
    const mod = await import(pathToFileURL(out).href);
    meta.forEach(({ b, error, asserts }, i) => {
      const where = (id) => `${file}:${b.line + asserts[id].line}`;
      tests.push({
        block: b,
        title: `${file}:${b.line}`,
        run: async () => {
          if (error) throw new Error(error);
          const dt = helper(where, asserts);
          await mod.blocks[i](scope, dt);
          const missed = asserts.filter((_, id) => !dt.done.has(id));
          if (missed.length > 0)
            throw new Error(`${file}:${b.line + missed[0].line}: ${missed[0].text} was never reached`);
        },
      });
    });
  }
  return { tests, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
