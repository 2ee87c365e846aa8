/** One public entry point of the package, from package.json `exports`. */
export interface EntryPoint {
  /** The `exports` key, e.g. `"./rx"`. */
  subpath: string;
  /** The import specifier, e.g. `"streammetrics/rx"`. */
  specifier: string;
  /** The built file, e.g. `"./dist/rx/index.js"`. */
  dist: string;
  /** The declaration file, if `exports` names one. */
  types: string | undefined;
  /** The TypeScript source, e.g. `"lib/rx/index.ts"`. */
  source: string;
  /** Whether the source file exists yet. */
  sourceExists: boolean;
  /** Peers it needs that only run on Node (e.g. `redis`): left out of a browser bundle. */
  nodeOnlyPeers: string[];
}
/** The repository root. */
export declare const root: string;
/** Lists the code subpaths of `exports` (not `./package.json`). */
export declare function entryPoints(): EntryPoint[];
