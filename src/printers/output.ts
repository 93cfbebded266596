import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import { kindInfo, qualifiedName, type KindInfo, type PrintContext } from '../api/registry';
import type { KObject } from '../model/objects';
import { formatLabels } from '../api/labels';
import { renderTable } from './table';
import '../api/kinds/index';
import { asList, toJson, toYaml } from './serialize';
import * as jp from './jsonpath';
import * as cc from './custom-columns';

export interface OutputOptions {
  output?: string;
  noHeaders?: boolean;
  showLabels?: boolean;
  /** -L: extra label columns */
  labelColumns?: string[];
  /** -A: a NAMESPACE column first */
  withNamespace?: boolean;
  /** several kinds in one listing: names are kind-qualified (`pod/x`) */
  withKind?: boolean;
}

/** every -o format the printers know (shell completion offers them) */
export const FORMATS = [
  'json',
  'yaml',
  'name',
  'wide',
  'jsonpath',
  'jsonpath-file',
  'custom-columns',
  'custom-columns-file',
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
  'jsonpath-as-json',
];

/** Checks -o before anything runs (kubectl refuses an unknown format up front). */
export function validateOutputFormat(output: string | undefined): void {
  if (!output) return;
  const name = output.split('=')[0];
  if (name.startsWith('go-template') || name.startsWith('template')) {
    throw new CliError(`${name} output is not supported by kubesim; use -o jsonpath=… or -o json (with jq)`);
  }
  if (!FORMATS.includes(name)) {
    throw new CliError(
      `unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
    );
  }
  // kubectl builds the printer before it asks the server: a bad template is the only error
  const arg = output.slice(name.length + 1);
  if (name === 'jsonpath' || name === 'jsonpath-as-json') jp.parseJsonPath(jp.jsonPathFromFlag(arg));
  if (name === 'custom-columns') cc.parseCustomColumns(arg);
}

/** Formats objects for -o json|yaml|name|jsonpath|custom-columns; undefined for table formats. */
export function formatStructured(
  objects: KObject[],
  output: string | undefined,
  opts: { single?: boolean; cwd?: string; noHeaders?: boolean } = {},
): string | undefined {
  if (!output || output === 'wide') return undefined;
  const [format, ...rest] = output.split('=');
  const arg = rest.join('=');
  const data = opts.single && objects.length === 1 ? objects[0] : asList(objects);
  switch (format) {
    case 'json':
      return toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return objects.map((o) => `${qualifiedName(kindInfo(o.kind)!, o.metadata.name)}\n`).join('');
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json': {
      const text = format === 'jsonpath-file' ? readFile(arg, opts.cwd) : arg;
      const template = jp.parseJsonPath(jp.jsonPathFromFlag(text));
      return jp.executeJsonPath(template, JSON.parse(JSON.stringify(data)), {
        allowMissingKeys: true,
        outputJson: format === 'jsonpath-as-json',
      });
    }
    case 'custom-columns':
    case 'custom-columns-file': {
      // kubectl honours --no-headers for custom-columns but not for the file form
      if (format === 'custom-columns-file') return cc.renderCustomColumns(cc.parseCustomColumnsFile(readFile(arg, opts.cwd)), objects, {});
      return cc.renderCustomColumns(cc.parseCustomColumns(arg), objects, { noHeaders: opts.noHeaders });
    }
    default:
      validateOutputFormat(output);
      return undefined;
  }
}

function readFile(file: string, cwd = process.cwd()): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new CliError(`error reading template ${file}, open ${file}: no such file or directory`);
  }
}

/** What kubectl says on stderr when a list comes back empty (no namespace: cluster-scoped or all namespaces). */
export function noResourcesFound(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
}

/** kubectl's table for one kind: declared columns, wide columns with -o wide, labels, namespace. */
export function tableRows(objects: KObject[], ctx: PrintContext, opts: OutputOptions): string[][] {
  if (!objects.length) return [];
  return tableRowsOf(kindInfo(objects[0].kind)!, objects, ctx, opts);
}

/** The same table from objects of a known kind read one at a time (the header comes first, even for none). */
export function tableRowsOf(info: KindInfo, objects: Iterable<KObject>, ctx: PrintContext, opts: OutputOptions): string[][] {
  const wide = opts.output === 'wide';
  const columns = info.columns.filter((c) => wide || !c.wide);
  const header = columns.map((c) => c.header);
  if (opts.withNamespace && info.namespaced) header.unshift('NAMESPACE');
  for (const l of opts.labelColumns ?? []) header.push(l.split('/').pop()!.toUpperCase());
  if (opts.showLabels) header.push('LABELS');
  const rows: string[][] = opts.noHeaders ? [] : [header];
  for (const obj of objects) {
    const row = columns.map((c) => {
      const v = c.value(obj, ctx);
      return c === columns[0] && c.header === 'NAME' && opts.withKind ? `${qualifiedName(info, obj.metadata.name)}` : v;
    });
    if (opts.withNamespace && info.namespaced) row.unshift(obj.metadata.namespace ?? '');
    for (const l of opts.labelColumns ?? []) row.push(obj.metadata.labels?.[l] ?? '');
    if (opts.showLabels) row.push(formatLabels(obj.metadata.labels));
    rows.push(row);
  }
  return rows;
}

export function renderObjectsTable(objects: KObject[], ctx: PrintContext, opts: OutputOptions): string {
  return renderTable(tableRows(objects, ctx, opts));
}
