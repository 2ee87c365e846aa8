/**
 * One line of a chart: a name (for the legend) and a value per x position (`null` leaves a gap).
 *
 * @example
 * ```ts
 * const s: PlotSeries = { name: "hinge loss", values: [1.2, 0.8, null, 0.5] };
 * ```
 */
export interface PlotSeries {
  /** Legend text. */
  name: string;
  /** One value per label; `null` where there is none. */
  values: (number | null)[];
}

const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let k = Math.floor(lo / step); out.length < 100; k++) {
    const t = Number((k * step).toPrecision(12));
    out.push(t);
    if (t >= hi && out.length >= 2) break;
  }
  return out;
}

/**
 * A small, self-contained SVG line chart (no script, no external font or stylesheet): one polyline per
 * series over the labels, with axes, ticks, a legend and a tooltip (`<title>`) on each point.
 *
 * @param title - the chart's title
 * @param xLabel - the x axis's name (e.g. `epoch`)
 * @param labels - one label per x position
 * @param series - the lines
 * @returns the SVG document
 * @example
 * ```ts
 * lineChartSvg("hinge loss", "epoch", ["1", "2"], [{ name: "loss", values: [1, 0.5] }]).startsWith("<svg");
 * // => true
 * ```
 */
export function lineChartSvg(title: string, xLabel: string, labels: string[], series: PlotSeries[]): string {
  const W = 640;
  const H = 360;
  const left = 64;
  const right = series.length > 1 ? 130 : 24;
  const top = 40;
  const bottom = 56;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  // a loop, not Math.min(...all): one argument per point overflows the stack beyond ~100,000 groups
  const lo0 = all.reduce((m, v) => (v < m ? v : m), 0);
  const hi0 = all.length > 0 ? all.reduce((m, v) => (v > m ? v : m), -Infinity) : 1;
  const yt = ticks(lo0, hi0, 5);
  const lo = yt[0];
  const hi = yt[yt.length - 1];
  const n = labels.length;
  const x = (i: number): number => left + (n <= 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v: number): number => top + ph - ((v - lo) / (hi - lo || 1)) * ph;
  const f = (v: number): string => v.toFixed(1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  for (const t of yt) {
    out.push(
      `<line x1="${left}" x2="${left + pw}" y1="${f(y(t))}" y2="${f(y(t))}" stroke="#e5e5e5"/>`,
      `<text x="${left - 6}" y="${f(y(t) + 4)}" text-anchor="end">${escapeXml(String(t))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(n / 12));
  labels.forEach((label, i) => {
    if (i % every !== 0 && i !== n - 1) return;
    out.push(
      `<line x1="${f(x(i))}" x2="${f(x(i))}" y1="${top + ph}" y2="${top + ph + 4}" stroke="#333"/>`,
      `<text x="${f(x(i))}" y="${top + ph + 18}" text-anchor="middle">${escapeXml(label.length > 12 ? label.slice(0, 11) + "…" : label)}</text>`,
    );
  });
  out.push(
    `<line x1="${left}" x2="${left}" y1="${top}" y2="${top + ph}" stroke="#333"/>`,
    `<line x1="${left}" x2="${left + pw}" y1="${top + ph}" y2="${top + ph}" stroke="#333"/>`,
    `<text x="${left + pw / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    let path = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) {
        pen = false;
        return;
      }
      path += `${pen ? "L" : "M"}${f(x(i))},${f(y(v))}`;
      pen = true;
    });
    if (path !== "") out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      out.push(
        `<circle cx="${f(x(i))}" cy="${f(y(v))}" r="3" fill="${color}"><title>${escapeXml(`${s.name} @ ${xLabel} ${labels[i]}: ${v}`)}</title></circle>`,
      );
    });
    if (series.length > 1) {
      const ly = top + 10 + k * 18;
      out.push(
        `<line x1="${left + pw + 14}" x2="${left + pw + 34}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"/>`,
        `<text x="${left + pw + 40}" y="${ly + 4}">${escapeXml(s.name)}</text>`,
      );
    }
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
