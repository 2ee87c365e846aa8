/** GitHub's slug of a heading. */
export declare function githubSlug(text: string): string;
/** typedoc's slug of a heading. */
export declare function typedocSlug(text: string): string;
/** The anchors of a markdown text, one per heading. */
export declare function anchorsOf(text: string): { github: string; typedoc: string; heading: string }[];
/** Dead links of markdown files (repository-relative), as `file:line: …` messages. */
export declare function deadLinks(files: string[], read?: (file: string) => string): string[];
