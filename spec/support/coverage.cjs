// Loaded by mocha (.mocharc.json `require`) before any spec, in every process that runs specs. Coverage
// (c8, NODE_V8_COVERAGE) measures the processes that run the specs and the in-process CLI worker
// (spec/cli/support.ts passes the directory on to it), never a spawned child: examples run as a user runs them
// (node + tsx), the bin with node options, worker threads of the examples. Their coverage came out of other
// transforms of the same files and, merged in, made the figure vary from run to run (issue 18).
"use strict";
const dir = process.env.NODE_V8_COVERAGE;
if (dir !== undefined && dir !== "" && require("node:worker_threads").isMainThread) {
  process.env.STREAMMETRICS_SPEC_COVERAGE = dir;
  delete process.env.NODE_V8_COVERAGE;
}
