#!/usr/bin/env node
/**
 * The `streammetrics` bin: see `streammetrics --help`. Exit code 0 on success, 1 for bad data or state, 2
 * for a usage error.
 *
 * @packageDocumentation
 */
import { runCli } from "./run.js";

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `streammetrics: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 70;
  },
);
