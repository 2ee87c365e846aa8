// The TypeScript loader of the spec processes (.mocharc.json `node-option`) and of the in-process CLI worker
// (spec/cli/inProcess.worker.mjs): tsx's ESM hooks, registered the same way in both, so that a file loaded
// by both threads is the same code and their coverage adds up.
import { register } from "tsx/esm/api";

register();
