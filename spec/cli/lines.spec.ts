import { expect } from "chai";
import { Readable } from "node:stream";
import { forEachLine, LineTooLongError } from "../../lib/cli/lines.js";

async function lines(
  chunks: (string | Buffer)[],
): Promise<{ seen: [string, number][]; count: number; bytes: number }> {
  const seen: [string, number][] = [];
  let bytes = 0;
  const count = await forEachLine(
    Readable.from(chunks, { objectMode: true }),
    (line, n) => seen.push([line, n]),
    { onChunk: (b) => (bytes += b) },
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

describe("cli/lines: the line-length limit (issue 12, item 9)", () => {
  const read = async (chunks: (string | Buffer)[], maxLineBytes: number, skip = false) => {
    const seen: [string, number][] = [];
    const long: number[] = [];
    const count = await forEachLine(
      Readable.from(chunks, { objectMode: true }),
      (l, n) => seen.push([l, n]),
      {
        maxLineBytes,
        onLongLine: skip ? (n) => long.push(n) : undefined,
      },
    );
    return { seen, long, count };
  };
  it("a line of exactly the limit passes; one byte more throws LineTooLongError with its line number", async () => {
    expect((await read(["ab\n", "abcd\n"], 4)).seen).to.deep.equal([
      ["ab", 1],
      ["abcd", 2],
    ]);
    let error: unknown;
    await read(["ab\nabc", "de\nx\n"], 4).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(LineTooLongError);
    expect((error as LineTooLongError).line).to.equal(2);
    expect((error as Error).message).to.equal("line longer than 4 bytes");
  });
  it("counts bytes, not characters (é is 2 bytes), a \\r before the \\n included", async () => {
    expect((await read(["éé\n"], 4)).seen).to.deep.equal([["éé", 1]]);
    expect(await read(["éé\r\n"], 4, true)).to.deep.include({ long: [1], count: 1 });
    expect(await read(["ééé\n"], 5, true)).to.deep.include({ long: [1], count: 1 });
  });
  it("with onLongLine the long line is dropped (in one chunk, across chunks, last) and reading goes on", async () => {
    const r = await read(["a\nxxxxxx", "xxxx", "xx\nb\nyyyyyyyy\n", "c\nzzzzzzzzz"], 4, true);
    expect(r.seen).to.deep.equal([
      ["a", 1],
      ["b", 3],
      ["c", 5],
    ]);
    expect(r.long).to.deep.equal([2, 4, 6]);
    expect(r.count).to.equal(6);
  });
  it("holds at most the limit: a 64 MiB line under a 1 MiB limit is refused after reading 1 MiB + a chunk", async () => {
    let produced = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      for (let i = 0; i < 1024; i++) {
        produced += chunk.length;
        yield chunk;
      }
    }
    let error: unknown;
    await forEachLine(endless(), () => undefined, { maxLineBytes: 1024 * 1024 }).catch(
      (e: unknown) => (error = e),
    );
    expect(error).to.be.instanceOf(LineTooLongError);
    expect(produced).to.equal(17 * 64 * 1024);
  });
});
