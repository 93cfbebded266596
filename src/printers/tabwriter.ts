/**
 * Go's text/tabwriter (no flags, space padding), so kubectl's layouts come out the same:
 * cells end with '\t'; a column's width is set per block of consecutive lines that
 * have a cell in that column; the last cell of a line is never padded.
 */
export function tabwrite(text: string, opts: { minwidth: number; padding: number }): string {
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  return (
    tabwriteCells(
      lines.map((l) => l.split('\t')),
      opts,
    ).join('\n') + (trailingNewline ? '\n' : '')
  );
}

/** a cell's width in runes (Go counts runes; a surrogate pair is one) */
function width(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** runs of spaces by length, made once (a 150k-pod table pads ~600k cells) */
const spaces: string[] = [];
function pad(n: number): string {
  if (n <= 0) return '';
  return (spaces[n] ??= ' '.repeat(n));
}

/** tabwrite of lines already split into cells (a line's cells as text/tabwriter splits it at '\t'), one text per line */
export function tabwriteCells(cells: readonly (readonly string[])[], opts: { minwidth: number; padding: number }): string[] {
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const line = cells[i];
      let s = '';
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        if (j < widths.length && j < line.length - 1) s += c + pad(widths[j] - width(c));
        else s += c;
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let current = line0; current < line1; current++) {
      if (column >= cells[current].length - 1) continue;
      writeLines(line0, current);
      line0 = current;
      let w = opts.minwidth;
      for (; current < line1; current++) {
        const line = cells[current];
        if (column >= line.length - 1) break;
        w = Math.max(w, width(line[column]) + opts.padding);
      }
      widths.push(w);
      format(line0, current);
      widths.pop();
      line0 = current;
      current--; // the outer loop's increment re-examines the line that ended the block
    }
    writeLines(line0, line1);
  };
  format(0, cells.length);
  return out;
}
