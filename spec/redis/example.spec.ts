import { expect } from "chai";
import { execFile } from "node:child_process";
import { requireRedisServer } from "../support/redisServer.js";

// examples/redis-workers.ts as a user runs it (node + tsx, no REDIS_URL: it starts its own redis-server).
describe("examples/redis-workers.ts", function () {
  this.timeout(240_000); // five child processes under tsx: 10-50 s on a loaded 2-core machine

  before(function () {
    requireRedisServer(this);
  });

  it("kills and restarts a worker, and prints the merged value equal to the single pass, bit for bit", async function () {
    // coverage off in the example's processes (an empty value: Node copies a missing one from this process)
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_V8_COVERAGE: "" };
    delete env.REDIS_URL;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "examples/redis-workers.ts"],
        { encoding: "utf8", timeout: 220_000, env },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ),
    );
    expect(out).to.match(/^redis: redis:\/\/127\.0\.0\.1:\d+ \(a redis-server started for this example\)\n/);
    const killedAt = Number(
      /worker w2 killed with SIGKILL \(its last stored seq: (\d+) batches\)/.exec(out)?.[1],
    );
    expect(killedAt).to.be.within(3, 9); // mid-run: 10 batches per worker
    expect(out).to.contain(`worker w2 restarted: resumed after ${killedAt} batches\n`);
    const merged = /merged: +(\S+)\n/.exec(out)?.[1];
    const single = /single pass: +(\S+)\n/.exec(out)?.[1];
    expect(merged).to.match(/^\d+\.\d+$/);
    expect(merged).to.equal(single);
    expect(out).to.contain("bit-identical: true\n");
  });
});
