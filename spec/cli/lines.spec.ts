import { expect } from "chai";
import { Readable } from "node:stream";
import { forEachLine } from "../../lib/cli/lines.js";

async function lines(
  chunks: (string | Buffer)[],
): Promise<{ seen: [string, number][]; count: number; bytes: number }> {
  const seen: [string, number][] = [];
  let bytes = 0;
  const count = await forEachLine(
    Readable.from(chunks, { objectMode: true }),
    (line, n) => seen.push([line, n]),
    (b) => (bytes += b),
  );
  return { seen, count, bytes };
}

describe("cli/lines: forEachLine", () => {
  it("splits lines across chunk boundaries, drops \\r and a leading BOM, keeps empty lines", async () => {
    const r = await lines(["\ufeffa,b\r\n1,", "2\r", "\n\n3,4"]);
    expect(r.seen).to.deep.equal([
      ["a,b", 1],
      ["1,2", 2],
      ["", 3],
      ["3,4", 4],
    ]);
    expect(r.count).to.equal(4);
  });

  it("decodes a UTF-8 character split between two byte chunks and counts bytes", async () => {
    const bytes = Buffer.from('{"k":"é€"}\nx\n', "utf8");
    const r = await lines([bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9)]);
    expect(r.seen).to.deep.equal([
      ['{"k":"é€"}', 1],
      ["x", 2],
    ]);
    expect(r.bytes).to.equal(bytes.length);
  });

  it("stops at the first exception of the callback", async () => {
    let calls = 0;
    const run = forEachLine(Readable.from(["a\nb\nc\n"]), (line) => {
      calls++;
      if (line === "b") throw new Error("bad b");
    });
    let message = "";
    await run.catch((e: Error) => (message = e.message));
    expect(message).to.equal("bad b");
    expect(calls).to.equal(2);
  });
});
