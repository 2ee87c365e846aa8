// A dependency-free SVG line chart for the browser demo (pure: a string in, a string out, so Node can test it).

/** One line of the chart. */
export interface Series {
  /** Legend label. */
  readonly name: string;
  /** Stroke colour. */
  readonly color: string;
  /** y values, one per epoch (x = index). */
  readonly values: readonly number[];
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Draws the series as an SVG line chart with axes, one point per epoch (its exact value in a `<title>`
 * tooltip and a `data-value` attribute) and a legend. `epochs` fixes the x range so a partial run keeps its
 * scale.
 */
export function renderChart(series: readonly Series[], epochs: number, width = 640, height = 360): string {
  const left = 56;
  const right = 16;
  const top = 16;
  const bottom = 44;
  const all = series.flatMap((s) => s.values);
  const yMax = all.length > 0 ? Math.max(...all) * 1.08 : 1;
  const x = (i: number): number => left + ((width - left - right) * i) / Math.max(1, epochs - 1);
  const y = (v: number): number => top + (height - top - bottom) * (1 - v / yMax);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="hinge loss per epoch">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#444"/>`,
  ];
  for (let k = 0; k <= 4; k += 1) {
    const v = (yMax * k) / 4;
    parts.push(
      `<line x1="${left - 4}" y1="${y(v)}" x2="${width - right}" y2="${y(v)}" stroke="#eee"/>`,
      `<text x="${left - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  for (let i = 0; i < epochs; i += 1) {
    parts.push(
      `<text x="${x(i)}" y="${height - bottom + 16}" font-size="11" text-anchor="middle">${i}</text>`,
    );
  }
  parts.push(
    `<text x="${(left + width - right) / 2}" y="${height - 6}" font-size="12" text-anchor="middle">epoch</text>`,
  );
  series.forEach((s, n) => {
    const points = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    parts.push(
      `<polyline class="series" data-name="${escape(s.name)}" fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>`,
    );
    s.values.forEach((v, i) => {
      parts.push(
        `<circle class="point" data-series="${escape(s.name)}" data-epoch="${i}" data-value="${String(v)}" cx="${x(i)}" cy="${y(v)}" r="3.5" fill="${s.color}"><title>${escape(s.name)}, epoch ${i}: ${String(v)}</title></circle>`,
      );
    });
    const ly = top + 6 + n * 18;
    parts.push(
      `<rect x="${width - right - 150}" y="${ly - 9}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${width - right - 132}" y="${ly + 1}" font-size="12">${escape(s.name)}</text>`,
    );
  });
  parts.push("</svg>");
  return parts.join("\n");
}
