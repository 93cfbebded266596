import { tabwrite, tabwriteCells } from './tabwriter';

/**
 * kubectl's table writer (printers.GetNewTabWriter): minwidth 6, padding 3, space padded;
 * the last column is not padded.
 */
export function renderTable(rows: string[][]): string {
  if (!rows.length) return '';
  const opts = { minwidth: 6, padding: 3 };
  // rows are the writer's lines and cells unless a cell holds a tab or a newline, or a row none
  // (then the text is split as the writer splits it): not joined and split again for 150k pods
  if (rows.every((r) => r.length && r.every((c) => !BREAKS.test(c)))) return tabwriteCells(rows, opts).join('\n') + '\n';
  return tabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''), opts);
}

const BREAKS = /[\t\n]/;
