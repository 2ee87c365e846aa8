// Dead-link check between the pages: every relative link of README.md and docs/*.md must name a file of the
// repository, and a `#anchor` must name a heading of the page it points to. Anchors are the slugs GitHub
// makes; typedoc, which renders the same pages into the site, makes other slugs for some headings (it leaves
// out inline code, drops en dashes and merges the first run of hyphens), so a linked heading must have the
// same slug in both.
// External links (http:, https:, mailto:) are not fetched. Run by `npm run check:docs` (scripts/docs.mjs);
// `node scripts/checkLinks.mjs` runs it alone. Exits non-zero with one line per dead link.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { markdownFiles } from "./doctest.mjs";
import { root } from "./entryPoints.mjs";

/** GitHub's heading slug. @param {string} text */
export function githubSlug(text) {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/**
 * typedoc's heading slug (lib/output/themes/default/Slugger.ts, applied to the heading's text without its
 * inline code). @param {string} text
 */
export function typedocSlug(text) {
  const slug = text
    .replace(/`[^`]*`/g, "")
    .trim()
    .replace(/[\u2000-\u206F\u2E00-\u2E7F\\'!"#$%&()*+,./:;<=>?@[\]^`{|}~]/g, "")
    .replace(/\s/g, "-")
    .replace(/--+/, "-");
  return (slug || "_").toLocaleLowerCase();
}

/** The visible text of a heading (links and inline code reduced to their text). @param {string} heading */
function headingText(heading) {
  return heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
}

/** Lines outside fenced code blocks, with their 1-based numbers. @param {string} text */
function prose(text) {
  const out = [];
  let fence = null;
  text.split("\n").forEach((line, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (fence === null) fence = m[1];
      else if (line.trim().startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ line: i + 1, text: line });
  });
  return out;
}

/** The anchors of a markdown file: `{ github, typedoc }` per heading (duplicates numbered as GitHub does). */
export function anchorsOf(text) {
  const seen = new Map();
  const seenTypedoc = new Map();
  const out = [];
  for (const { text: line } of prose(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const t = headingText(m[1]);
    let github = githubSlug(t);
    const n = seen.get(github) ?? 0;
    seen.set(github, n + 1);
    if (n > 0) github = `${github}-${n}`;
    let typedoc = typedocSlug(t);
    const k = seenTypedoc.get(typedoc) ?? 0;
    seenTypedoc.set(typedoc, k + 1);
    if (k > 0) typedoc = `${typedoc}-${k}`;
    out.push({ github, typedoc, heading: m[1] });
  }
  return out;
}

/**
 * Dead links of the given markdown files (repository-relative), as messages `file:line: …`.
 * @param {string[]} files
 * @param {(file: string) => string} read
 */
export function deadLinks(files, read = (f) => readFileSync(join(root, f), "utf8")) {
  const problems = [];
  const anchorCache = new Map();
  const anchors = (file) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(read(file)));
    return anchorCache.get(file);
  };
  for (const file of files) {
    for (const { line, text } of prose(read(file))) {
      // inline code is not a link
      const clean = text.replace(/`[^`]*`/g, "");
      for (const m of clean.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/g)) {
        const target = m[1] ?? m[2];
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const [path, anchor] = target.split("#", 2);
        const where = `${file}:${line}`;
        const resolved = path === "" ? file : normalize(join(dirname(file), decodeURIComponent(path)));
        if (relative(root, join(root, resolved)).startsWith("..")) {
          problems.push(`${where}: ${target} points outside the repository`);
          continue;
        }
        if (!existsSync(join(root, resolved))) {
          problems.push(`${where}: ${target}: no file ${resolved}`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!resolved.endsWith(".md") || statSync(join(root, resolved)).isDirectory()) {
          problems.push(`${where}: ${target}: an anchor into a file that is not a markdown page`);
          continue;
        }
        const hit = anchors(resolved).find((a) => a.github === anchor);
        if (hit === undefined) problems.push(`${where}: ${target}: no heading #${anchor} in ${resolved}`);
        else if (hit.typedoc !== hit.github)
          problems.push(
            `${where}: ${target}: the heading "${hit.heading}" has another anchor in the API site (#${hit.typedoc}): reword it`,
          );
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = deadLinks(markdownFiles());
  for (const p of problems) console.log(p);
  console.log(problems.length === 0 ? "links: none dead" : `links: ${problems.length} dead`);
  process.exit(problems.length === 0 ? 0 : 1);
}
