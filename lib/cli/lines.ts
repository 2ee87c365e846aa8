import { StringDecoder } from "node:string_decoder";

/**
 * Calls `onLine` for every line of a byte stream, in order, holding only one chunk and one partial line in
 * memory (constant memory whatever the stream's size). Lines end at `\n`; a trailing `\r` and a leading UTF-8
 * byte-order mark are dropped. Backpressure follows from awaiting the stream's async iterator.
 *
 * @param stream - a readable byte stream (a file stream, `process.stdin`) or any async iterable of chunks
 * @param onLine - called with each line and its 1-based number; an exception stops the reading
 * @param onChunk - optional, called with each chunk's byte length (for a progress bar)
 * @returns the number of lines read
 * @example
 * ```ts
 * import { Readable } from "node:stream";
 * const seen: string[] = [];
 * await forEachLine(Readable.from(["a\r\nb", "c\n"]), (line) => seen.push(line)); // => 2
 * seen; // => ["a", "bc"]
 * ```
 */
export async function forEachLine(
  stream: AsyncIterable<Buffer | string>,
  onLine: (line: string, lineNo: number) => void,
  onChunk?: (bytes: number) => void,
): Promise<number> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  let lineNo = 0;
  let first = true;
  const emit = (line: string): void => {
    if (first) {
      first = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    lineNo++;
    onLine(line.endsWith("\r") ? line.slice(0, -1) : line, lineNo);
  };
  for await (const chunk of stream) {
    onChunk?.(chunk.length);
    const text = typeof chunk === "string" ? chunk : decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf("\n");
    if (nl >= 0 && rest.length > 0) {
      emit(rest + text.slice(0, nl));
      rest = "";
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    while (nl >= 0) {
      emit(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    rest += text.slice(start);
  }
  rest += decoder.end();
  if (rest.length > 0) emit(rest);
  return lineNo;
}
