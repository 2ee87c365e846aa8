// Child process for examples/processes.ts: evaluates samples [start, end) and prints the JSON state on stdout.
// Run alone: npx tsx examples/processes.child.ts 0 1000
import { shardState } from "./shards.js";

const start = Number(process.argv[2]);
const end = Number(process.argv[3]);
process.stdout.write(JSON.stringify(shardState(start, end)) + "\n");
