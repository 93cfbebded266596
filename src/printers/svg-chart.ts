import type { ReportChart } from '../model/report';

/**
 * Charts as one SVG image, without a browser (`traffic run --plot FILE.svg`): the report's charts
 * stacked, each with its y axis labelled at round steps, x as time since the first point, and a
 * legend. Lines are steps between points, as the dashboard draws them (a value holds until the next
 * tick). Plain text, byte for byte the same for the same input.
 */
const WIDTH = 800;
const PANEL = 200;
const MARGIN = { left: 56, right: 16, top: 28, bottom: 28 };
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** coordinates to 0.1 px: enough for a chart, and stable text */
const n = (v: number) => String(Math.round(v * 10) / 10);

/** A round step for about five gridlines over 0..max (1, 2 or 5 times a power of ten). */
export function niceStep(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

function label(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 2 : 1);
}

/** Seconds as Go's short durations on the x axis: 0s, 90s → 1m30s. */
function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  return `${Math.floor(m / 60)}h${m % 60 ? `${m % 60}m` : ''}`;
}

function panel(chart: ReportChart, top: number): string[] {
  const out: string[] = [];
  const x0 = MARGIN.left;
  const x1 = WIDTH - MARGIN.right;
  const y0 = top + MARGIN.top;
  const y1 = top + PANEL - MARGIN.bottom;
  const values = chart.series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const step = niceStep(Math.max(0, ...values));
  const max = Math.max(step, Math.ceil(Math.max(0, ...values) / step) * step);
  const first = chart.x[0] ?? 0;
  const last = chart.x[chart.x.length - 1] ?? first;
  const spanMs = Math.max(1, last - first);
  const px = (t: number) => x0 + ((t - first) / spanMs) * (x1 - x0);
  const py = (v: number) => y1 - (v / max) * (y1 - y0);
  out.push(`<text x="${x0}" y="${top + 18}" class="title">${esc(chart.title)}</text>`);
  for (let v = 0; v <= max + 1e-9; v += step) {
    out.push(`<line x1="${x0}" x2="${x1}" y1="${n(py(v))}" y2="${n(py(v))}" class="grid"/>`);
    out.push(`<text x="${x0 - 6}" y="${n(py(v) + 4)}" class="ylabel">${label(Math.round(v * 1e6) / 1e6)}</text>`);
  }
  const xStep = niceStep(spanMs / 1000);
  for (let s = 0; s <= spanMs / 1000 + 1e-9; s += xStep)
    out.push(`<text x="${n(px(first + s * 1000))}" y="${y1 + 16}" class="xlabel">${duration(s)}</text>`);
  out.push(`<line x1="${x0}" x2="${x1}" y1="${y1}" y2="${y1}" class="axis"/>`);
  let legendX = x1;
  chart.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const d: string[] = [];
    let pen = false;
    s.values.forEach((v, k) => {
      if (v === null || !Number.isFinite(v)) return void (pen = false);
      const x = px(chart.x[k]);
      const y = py(v);
      if (!pen) d.push(`M${n(x)} ${n(y)}`);
      else d.push(`V${n(y)}`);
      const next = chart.x[k + 1];
      if (next !== undefined) d.push(`H${n(px(next))}`);
      pen = true;
    });
    if (d.length) out.push(`<path d="${d.join('')}" stroke="${color}" class="line"/>`);
    // legend, right-aligned, in series order
    legendX -= 14 + s.label.length * 7;
    out.push(`<rect x="${n(legendX)}" y="${top + 9}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${n(legendX + 14)}" y="${top + 18}" class="legend">${esc(s.label)}</text>`);
    legendX -= 14;
  });
  return out;
}

export function svgCharts(charts: ReportChart[]): string {
  const height = Math.max(1, charts.length) * PANEL;
  const parts = charts.flatMap((c, i) => panel(c, i * PANEL));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">
<style>.title{font-weight:bold;font-size:13px}.grid{stroke:#e5e7eb}.axis{stroke:#6b7280}.ylabel{text-anchor:end;fill:#6b7280}.xlabel{text-anchor:middle;fill:#6b7280}.legend{fill:#374151}.line{fill:none;stroke-width:2}</style>
<rect width="100%" height="100%" fill="#fff"/>
${parts.join('\n')}
</svg>
`;
}
