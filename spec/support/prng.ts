// A small seeded PRNG for generated spec data (mulberry32, the one the CLI demo uses): specs never use
// Math.random. lib/cli/demo.ts imports nothing, so this loads no other library code.
export { mulberry32 as prng } from "../../lib/cli/demo.js";
