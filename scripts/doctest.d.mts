/** One example block of a markdown file or a TSDoc comment. */
export interface Block {
  /** The repository-relative file. */
  file: string;
  /** The 1-based line of the block's first code line in the file. */
  line: number;
  /** The block's code. */
  code: string;
  /** Whether the fence says `no-run`. */
  noRun: boolean;
  /** Whether the block is in a TSDoc comment (it may then use the exports without importing them). */
  tsdoc: boolean;
}
/** One runnable block. */
export interface DocTest {
  block: Block;
  title: string;
  run(): Promise<void>;
}
/** README.md and docs/*.md. */
export declare function markdownFiles(): string[];
/** The TypeScript sources under a folder (default lib). */
export declare function sourceFiles(dir?: string): string[];
/** The ts blocks of a markdown file. */
export declare function markdownBlocks(file: string, text?: string): Block[];
/** The ts blocks of the TSDoc comments of a source file. */
export declare function tsdocBlocks(file: string, text?: string): Block[];
/** Every block of the repository. */
export declare function allBlocks(): Block[];
/** The JavaScript expression for a written value. */
export declare function valueExpression(value: string): string;
/** Rewrites a block's assertions and imports. */
export declare function instrument(
  code: string,
  resolve: (specifier: string) => string,
): { code: string; asserts: { line: number; text: string }[]; imported: Set<string> };
/** Generates and loads the blocks' modules. */
export declare function prepare(blocks: Block[]): Promise<{ tests: DocTest[]; cleanup: () => void }>;
