// A growth chart as server-rendered SVG: no script, no inline style (the CSP allows neither),
// presentation attributes only, scaled by its viewBox to any width. Pure: points in, markup out.
// The page pairs it with a text alternative (a sentence and a table of the same points).

export interface ChartPoint {
  at: Date;
  followers: number;
}

export interface ChartLabels {
  /** The chart's accessible name, e.g. "Followers on Bilibili over time". */
  title: string;
  /** A one-sentence summary read out instead of the picture. */
  summary: string;
  /** Formats an axis date and a follower count in the page's language. */
  date: (at: Date) => string;
  count: (followers: number) => string;
}

const width = 600;
const height = 220;
const pad = { top: 16, right: 16, bottom: 32, left: 64 };

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The SVG markup, or '' when there is nothing to draw. `id` makes the title/desc ids unique. */
export function growthChartSvg(id: string, points: readonly ChartPoint[], labels: ChartLabels): string {
  if (points.length === 0) return '';
  const times = points.map((p) => p.at.getTime());
  const counts = points.map((p) => p.followers);
  const [t0, t1] = [Math.min(...times), Math.max(...times)];
  const top = Math.max(...counts);
  // The axis starts at zero so growth is not exaggerated; a flat zero line still gets a scale.
  const yMax = top > 0 ? top * 1.1 : 1;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (t: number) => pad.left + (t1 === t0 ? plotW / 2 : ((t - t0) / (t1 - t0)) * plotW);
  const y = (n: number) => pad.top + plotH - (n / yMax) * plotH;
  const coords = points.map((p) => `${x(p.at.getTime()).toFixed(1)},${y(p.followers).toFixed(1)}`);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const gridLines = [0, 0.5, 1].map((share) => {
    const value = Math.round(top * share);
    const gy = y(value).toFixed(1);
    return (
      `<line x1="${pad.left}" x2="${width - pad.right}" y1="${gy}" y2="${gy}" stroke="#d5dbe3" stroke-width="1"/>` +
      `<text x="${pad.left - 8}" y="${gy}" text-anchor="end" dominant-baseline="middle">${escapeXml(labels.count(value))}</text>`
    );
  });
  return [
    `<svg class="growth-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${titleId} ${descId}" focusable="false">`,
    `<title id="${titleId}">${escapeXml(labels.title)}</title>`,
    `<desc id="${descId}">${escapeXml(labels.summary)}</desc>`,
    `<g font-family="system-ui,'PingFang SC','Noto Sans CJK SC',sans-serif" font-size="12" fill="#3b4654">`,
    ...gridLines,
    `<text x="${pad.left}" y="${height - 10}" text-anchor="start">${escapeXml(labels.date(first.at))}</text>`,
    points.length > 1
      ? `<text x="${width - pad.right}" y="${height - 10}" text-anchor="end">${escapeXml(labels.date(last.at))}</text>`
      : '',
    `</g>`,
    points.length > 1
      ? `<polyline points="${coords.join(' ')}" fill="none" stroke="#0b4f8a" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>`
      : '',
    ...coords.map((c) => {
      const [cx, cy] = c.split(',');
      return `<circle cx="${cx}" cy="${cy}" r="4" fill="#0b4f8a"/>`;
    }),
    `</svg>`,
  ].join('\n');
}
