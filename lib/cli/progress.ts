/**
 * Whether a progress bar may be drawn: only when the stream is a terminal and `CI` is unset (so logs and
 * pipes never receive control characters).
 *
 * @param stream - where the bar would go (stderr)
 * @param env - the environment
 * @returns true when a bar may be drawn
 * @example
 * ```ts
 * progressWanted({ isTTY: false }, {}); // => false
 * progressWanted({ isTTY: true }, { CI: "true" }); // => false
 * ```
 */
export function progressWanted(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined>,
): boolean {
  return stream.isTTY === true && (env.CI === undefined || env.CI === "");
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function timeText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`
    : `${m}:${String(s % 60).padStart(2, "0")}`;
}

/**
 * A one-line progress bar with rate and ETA, redrawn at most ten times a second on a terminal stream:
 * `[██████░░░░░░░░]  43%  51.2 MB/s  ETA 0:07`. Without a known size it shows the bytes read and the rate.
 *
 * @example
 * ```ts
 * const bar = new ProgressBar(process.stderr, 1_000_000);
 * bar.add(65536); // draws when 100 ms have passed since the last drawing
 * bar.done(); // clears the line
 * ```
 */
export class ProgressBar {
  private readonly out: { write(text: string): unknown; columns?: number };
  private readonly totalBytes: number | null;
  private readonly start: number;
  private bytes = 0;
  private lastDraw = 0;
  private drawn = false;

  /**
   * @param out - a terminal stream (stderr)
   * @param totalBytes - the size of all inputs, or `null` when unknown (stdin)
   */
  constructor(out: { write(text: string): unknown; columns?: number }, totalBytes: number | null) {
    this.out = out;
    this.totalBytes = totalBytes;
    this.start = Date.now();
  }

  /**
   * Counts bytes read and redraws if due.
   *
   * @param bytes - bytes just read
   */
  add(bytes: number): void {
    this.bytes += bytes;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** Clears the bar. */
  done(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
  }

  private draw(now: number): void {
    const seconds = Math.max((now - this.start) / 1000, 1e-3);
    const rate = this.bytes / seconds;
    let text: string;
    if (this.totalBytes !== null && this.totalBytes > 0) {
      const frac = Math.min(1, this.bytes / this.totalBytes);
      const width = 24;
      const full = Math.round(frac * width);
      const eta = rate > 0 ? (this.totalBytes - this.bytes) / rate : 0;
      text = `[${"█".repeat(full)}${"░".repeat(width - full)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${bytesText(rate)}/s  ETA ${timeText(eta)}`;
    } else {
      text = `${bytesText(this.bytes)} read  ${bytesText(rate)}/s  ${timeText(seconds)} elapsed`;
    }
    this.out.write(`\r${text}\x1b[K`);
    this.drawn = true;
  }
}
