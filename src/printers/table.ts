import { tabwrite } from './tabwriter';

/**
 * kubectl's table writer (printers.GetNewTabWriter): minwidth 6, padding 3, space padded;
 * the last column is not padded.
 */
export function renderTable(rows: string[][]): string {
  if (!rows.length) return '';
  return tabwrite(rows.map((r) => `${r.join('\t')}\n`).join(''), { minwidth: 6, padding: 3 });
}
