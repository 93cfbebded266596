/**
 * A small ASCII line chart (in the style of asciichart): a y axis with labels and a line
 * drawn with box-drawing characters. Series longer than `width` are bucketed, keeping each
 * bucket's maximum so that short peaks (a p99 spike) stay visible.
 */
export interface ChartOptions {
  /** rows of plot area */
  height?: number;
  /** columns of plot area */
  width?: number;
  /** formats axis labels */
  format?: (v: number) => string;
}

export function downsample(values: number[], width: number): number[] {
  if (values.length <= width) return values;
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const from = Math.floor((i * values.length) / width);
    const to = Math.max(from + 1, Math.floor(((i + 1) * values.length) / width));
    let max = -Infinity;
    for (let j = from; j < to; j++) if (values[j] > max) max = values[j];
    out.push(max);
  }
  return out;
}

export function lineChart(series: number[], opts: ChartOptions = {}): string[] {
  const height = Math.max(1, opts.height ?? 8);
  const values = downsample(
    series.map((v) => (Number.isFinite(v) ? v : 0)),
    opts.width ?? 60,
  );
  if (!values.length) return [];
  const format = opts.format ?? ((v: number) => (Math.abs(v) >= 100 || Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)));
  const min = Math.min(0, ...values);
  let max = Math.max(...values);
  if (max === min) max = min + 1;
  // a value above the minimum never rounds down onto the minimum's row: 21% beside a 300% peak
  // still shows above the zero line
  const rowOf = (v: number) => {
    const row = Math.round(((v - min) / (max - min)) * (height - 1));
    return row === 0 && v > min && height > 1 ? 1 : row;
  };
  const labels = Array.from({ length: height }, (_, r) => format(min + ((max - min) * (height - 1 - r)) / (height - 1 || 1)));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const grid: string[][] = Array.from({ length: height }, () => Array.from({ length: values.length }, () => ' '));
  const put = (row: number, col: number, ch: string) => {
    grid[height - 1 - row][col] = ch;
  };
  for (let x = 0; x < values.length; x++) {
    const y0 = rowOf(values[x]);
    const y1 = x + 1 < values.length ? rowOf(values[x + 1]) : y0;
    if (y0 === y1) {
      put(y0, x, '─');
      continue;
    }
    // the step happens in this column: a corner at each end and a bar between
    put(y0, x, y1 > y0 ? '╯' : '╮');
    put(y1, x, y1 > y0 ? '╭' : '╰');
    for (let y = Math.min(y0, y1) + 1; y < Math.max(y0, y1); y++) put(y, x, '│');
  }
  return grid.map((row, r) => `${labels[r].padStart(labelWidth)} ┤${row.join('')}`);
}
