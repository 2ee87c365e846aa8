import { expect } from "chai";
import { anchorsOf, deadLinks, githubSlug, typedocSlug } from "../../scripts/checkLinks.mjs";
import { markdownFiles } from "../../scripts/doctest.mjs";

// The dead-link check of `npm run check:docs` (scripts/checkLinks.mjs).
describe("links between the pages (scripts/checkLinks.mjs)", () => {
  it("README.md and docs/*.md have no dead link", () => {
    expect(deadLinks(markdownFiles())).to.deep.equal([]);
  });

  it("reports a missing file, a missing heading, and a heading whose anchor differs in the API site", () => {
    const pages: Record<string, string> = {
      "README.md": [
        "# Title",
        "See [a](docs/contributing.md), [b](docs/nowhere.md), [c](#title), [d](#nothing).",
        "[e](docs/contributing.md#the-loop) and [f](docs/contributing.md#no-such-part) and `[g](not/a/link.md)`",
        "```md",
        "[h](inside/a/fence.md)",
        "```",
        "[i](#across-machines---state-out) [j](https://example.com/x.md)",
        "## Across machines: `--state-out`",
      ].join("\n"),
      "docs/contributing.md": "# Contributing\n## The loop\n",
    };
    const problems = deadLinks(["README.md"], (f) => pages[f] ?? "");
    expect(problems).to.deep.equal([
      "README.md:2: docs/nowhere.md: no file docs/nowhere.md",
      "README.md:2: #nothing: no heading #nothing in README.md",
      "README.md:3: docs/contributing.md#no-such-part: no heading #no-such-part in docs/contributing.md",
      'README.md:7: #across-machines---state-out: the heading "Across machines: `--state-out`" has another anchor in the API site (#across-machines): reword it',
    ]);
  });

  it("makes GitHub's and typedoc's slugs", () => {
    expect(githubSlug("Exact state and merging")).to.equal("exact-state-and-merging");
    expect(githubSlug("Any metric: `accumulate`")).to.equal("any-metric-accumulate");
    expect(typedocSlug("Any metric: `accumulate`")).to.equal("any-metric");
    expect(anchorsOf("# A\n## A\n")).to.deep.equal([
      { github: "a", typedoc: "a", heading: "A" },
      { github: "a-1", typedoc: "a-1", heading: "A" },
    ]);
  });
});
