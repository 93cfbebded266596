import { CliError } from '../util/errors';
import { compileJsonPath, findJsonPathResults, formatGoValue, relaxedJsonPathExpression, type JsonPathTemplate } from './jsonpath';
import { renderTable } from './table';

/**
 * `-o custom-columns=NAME:.metadata.name,…` and `-o custom-columns-file=FILE`, after
 * kubectl's CustomColumnsPrinter (kubectl/pkg/cmd/get/customcolumn.go).
 */

export interface CustomColumn {
  header: string;
  path: JsonPathTemplate;
}

/** `NAME:.metadata.name,IMAGE:.spec.containers[*].image`; paths may drop the braces and the leading dot. */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec === '') throw new CliError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CliError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return column(part.slice(0, colon), part.slice(colon + 1));
  });
}

const TEMPLATE_HINT = 'Expected format is one line of space separated headers, one line of space separated column specs.';

/** A custom-columns file: one line of headers, one line of paths, both whitespace separated. */
export function parseCustomColumnsFile(text: string): CustomColumn[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 1) throw new CliError(`invalid template, missing header line. ${TEMPLATE_HINT}`);
  if (lines.length < 2) throw new CliError(`invalid template, missing spec line. ${TEMPLATE_HINT}`);
  const headers = words(lines[0]);
  const specs = words(lines[1]);
  if (headers.length !== specs.length) {
    throw new CliError(`number of headers (${headers.length}) and field specifications (${specs.length}) don't match`);
  }
  return headers.map((header, i) => column(header, specs[i]));
}

function words(line: string): string[] {
  return line.split(/\s+/u).filter(Boolean);
}

function column(header: string, path: string): CustomColumn {
  // kubectl reports a bad template in the parser's own words (`error: unterminated array`)
  return { header, path: compileJsonPath(relaxedJsonPathExpression(path)) };
}

/**
 * The table: a header row (unless noHeaders), then one row per object; several values in
 * one cell are joined with ",", no value at all is `<none>`. Values print as Go's fmt
 * does (`map[app:web]`), with terminal escapes defused.
 */
export function renderCustomColumns(columns: CustomColumn[], objects: Iterable<unknown>, opts: { noHeaders?: boolean } = {}): string {
  const rows: string[][] = opts.noHeaders ? [] : [columns.map((c) => c.header)];
  for (const obj of objects) rows.push(columns.map((c) => cell(c.path, obj)));
  return renderTable(rows);
}

function cell(path: JsonPathTemplate, obj: unknown): string {
  const results = findJsonPathResults(path, obj, { allowMissingKeys: true });
  const values = results.length === 0 || results[0].length === 0 ? ['<none>'] : [];
  for (const part of results) for (const value of part) values.push(escapeTerminal(formatGoValue(value)));
  return values.join(',');
}

/** cli-runtime's EscapeTerminal: an ESC or CR in data must not drive the terminal. */
function escapeTerminal(text: string): string {
  return text.replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
}
