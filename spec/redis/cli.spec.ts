// `streammetrics collect` (lib/cli/collect.ts) against a real redis-server, run in-process through runCli.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HingeLoss, MetricCollection } from "../../lib/index.js";
import { publishState } from "../../lib/redis/index.js";
import { cli, ensureBuilt } from "../cli/support.js";
import { freePort, redisSuite } from "../support/redisServer.js";
import { batches, fed, useClient, type Client } from "./data.js";

/**
 * Runs the built bin, as a user does. Not runCli in-process: collect loads lib/redis with import(), which
 * under mocha's tsx (CommonJS) loader would be a second copy of the library, and its coverage would be
 * mixed up with the first.
 */
async function run(args: string[], env: Record<string, string> = {}) {
  const r = cli(args, { env: { REDIS_URL: "", ...env } });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

describe("streammetrics collect", function () {
  const server = redisSuite();
  const use = useClient(server);
  let client: Client;
  let dir: string;
  const data = batches(61, 6);
  const shards = [data.slice(0, 2), data.slice(2, 5), data.slice(5)];

  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });
  beforeEach(function () {
    client = use();
    dir = mkdtempSync(join(tmpdir(), "streammetrics-collect-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  async function publishShards(factory: () => HingeLoss | MetricCollection) {
    const files: string[] = [];
    for (const [i, shard] of shards.entries()) {
      const metric = fed(factory() as HingeLoss, shard);
      await publishState(client, { key: "run", worker: `w${i}`, seq: shard.length }, metric);
      files.push(join(dir, `w${i}.json`));
      writeFileSync(files.at(-1)!, JSON.stringify(metric.toJSON()));
    }
    return files;
  }

  it("prints what `streammetrics merge` prints for the same states (table and JSON)", async function () {
    const files = await publishShards(() => new HingeLoss({ multiclassMode: "one-vs-all" }));
    const collected = await run(["collect", "--redis", server().url, "--key", "run"]);
    const merged = await run(["merge", ...files]);
    expect(collected.code).to.equal(0);
    expect(collected.stdout).to.equal(merged.stdout);
    expect(collected.stdout).to.match(/^hinge loss · multiclass, 3 classes, one-vs-all\n/);

    const json = await run(["collect", "--redis", server().url, "--key", "run", "--json"]);
    const mergedJson = JSON.parse((await run(["merge", ...files, "--json"])).stdout) as Record<
      string,
      unknown
    >;
    const out = JSON.parse(json.stdout) as Record<string, unknown>;
    delete mergedJson.states; // merge counts its files, collect its workers
    expect(out).to.deep.equal({ ...mergedJson, key: "run", workers: 3, skipped: 0 });
    const single = fed(new HingeLoss({ multiclassMode: "one-vs-all" }), data).compute() as number[];
    (out.value as number[]).forEach((v, c) => expect(Object.is(v, single[c])).to.equal(true));
  });

  it("takes the URL from REDIS_URL, writes the merged state with --state-out", async function () {
    await publishShards(() => new HingeLoss());
    const path = join(dir, "merged.json");
    const r = await run(["collect", "--key", "run", "--state-out", path], { REDIS_URL: server().url });
    expect(r.code).to.equal(0);
    expect(r.stderr).to.equal(`state written to ${path}\n`);
    expect(JSON.parse(readFileSync(path, "utf8"))).to.deep.equal(fed(new HingeLoss(), data).toJSON());
  });

  it("prints a MetricCollection's value by member", async function () {
    const factory = () => new MetricCollection({ cs: new HingeLoss(), sq: new HingeLoss({ squared: true }) });
    await publishShards(factory);
    const r = await run(["collect", "--redis", server().url, "--key", "run", "--json"]);
    expect(r.code).to.equal(0);
    const single = fed(factory() as never as HingeLoss, data).compute() as unknown as Record<string, number>;
    expect(JSON.parse(r.stdout)).to.deep.equal({
      metric: "MetricCollection",
      value: single,
      key: "run",
      workers: 3,
      skipped: 0,
    });
  });

  it("stops at a bad state naming the worker (exit 1), or skips and reports it with --skip-invalid", async function () {
    await publishShards(() => new HingeLoss());
    await client.hSet("run", "w9", "1 {}");
    const bad = await run(["collect", "--redis", server().url, "--key", "run"]);
    expect(bad.code).to.equal(1);
    expect(bad.stdout).to.equal("");
    expect(bad.stderr).to.match(/^streammetrics collect: run: worker "w9": .+\n$/);
    const skipped = await run([
      "collect",
      "--redis",
      server().url,
      "--key",
      "run",
      "--skip-invalid",
      "--json",
    ]);
    expect(skipped.code).to.equal(0);
    expect(skipped.stderr).to.match(/^skipped worker "w9": .+\n$/);
    const out = JSON.parse(skipped.stdout) as { value: number; workers: number; skipped: number };
    expect([out.workers, out.skipped]).to.deep.equal([3, 1]);
    expect(Object.is(out.value, fed(new HingeLoss(), data).compute())).to.equal(true);
  });

  it("exits 1 with no state or no Redis, 2 for a usage error", async function () {
    const none = await run(["collect", "--redis", server().url, "--key", "nothing"]);
    expect([none.code, none.stderr]).to.deep.equal([
      1,
      'streammetrics collect: no worker has published a valid state under key "nothing"\n',
    ]);
    const url = `redis://127.0.0.1:${await freePort()}`;
    const down = await run(["collect", "--redis", url, "--key", "run"]);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.match(
      new RegExp(`^streammetrics collect: cannot connect to Redis at ${url}: .*ECONNREFUSED`),
    );
    const usage: [string[], string][] = [
      [["--key", "run"], "--redis URL is required (or set REDIS_URL)"],
      [["--redis", server().url], "--key KEY is required"],
      [
        ["--redis", "localhost", "--key", "k"],
        '--redis must be a redis:// or rediss:// URL, got "localhost"',
      ],
      [
        ["--redis", server().url, "--key", "k", "--by", "x"],
        "unknown option --by: known options: --redis, --key",
      ],
    ];
    for (const [args, message] of usage) {
      const r = await run(["collect", ...args]);
      expect(r.code, args.join(" ")).to.equal(2);
      expect(r.stderr, args.join(" ")).to.contain(`streammetrics collect: ${message}`);
    }
    const help = await run(["help", "collect"]);
    expect(help.stdout).to.match(/^Usage: streammetrics collect --redis URL --key KEY/);
  });
});
