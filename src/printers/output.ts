import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import { kindInfo, kindInfoOfObject, qualifiedName, type KindInfo, type PrintContext } from '../api/registry';
import type { KObject } from '../model/objects';
import { formatLabels } from '../api/labels';
import { renderTable } from './table';
import '../api/kinds/index';
import { ageColumn, nameColumn } from '../api/kinds/common';
import { asList, toJson, toYaml, watchEventJson } from './serialize';
import { goQuote } from './go-fmt';
import type { GoTemplate } from './go-template/template';
import { onDemand } from '../util/on-demand';

// the Go template engine, loaded only for -o go-template
/* eslint-disable @typescript-eslint/no-require-imports */
// JSONPath, custom columns and a CRD's printer columns, loaded for the outputs that use them
const jsonPath = onDemand('printers/jsonpath', () => require('./jsonpath') as typeof import('./jsonpath'));
const customColumns = onDemand('printers/custom-columns', () => require('./custom-columns') as typeof import('./custom-columns'));
// the managed-fields code (field sets, typed schemas, merge), only for --show-managed-fields
const clusterManagers = onDemand(
  'api/managed-fields/cluster-managers',
  () => require('../api/managed-fields/cluster-managers') as typeof import('../api/managed-fields/cluster-managers'),
);
const crdColumns = onDemand('printers/crd-columns', () => require('./crd-columns') as typeof import('./crd-columns'));
const goTemplate = onDemand(
  'printers/go-template/template',
  () => require('./go-template/template') as typeof import('./go-template/template'),
);
const goTemplateFmt = onDemand('printers/go-template/fmt', () => require('./go-template/fmt') as typeof import('./go-template/fmt'));
const goTemplateValues = onDemand(
  'printers/go-template/values',
  () => require('./go-template/values') as typeof import('./go-template/values'),
);
/* eslint-enable @typescript-eslint/no-require-imports */

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
  /** --server-print=false: the client's generic columns (NAME, AGE) instead of the kind's */
  genericColumns?: boolean;
}

const GENERIC_COLUMNS = [nameColumn, ageColumn];

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

/** The formats whose template --template can give (cli-runtime's templateFormats and jsonFormats). */
const TEMPLATE_FORMATS = ['go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-file', 'jsonpath-as-json'];

function noPrinterFor(output: string): CliError {
  return new CliError(
    `unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`,
  );
}

/**
 * -o as PrintFlags.ToPrinter reads it with --template: the template alone means go-template; with
 * a bare template format it is that format's argument; a format that carries its own template
 * (`-o go-template=…`) matches no printer; json, yaml, name and the table formats ignore it.
 */
export function outputWithTemplate(output: string | undefined, template: string | undefined): string | undefined {
  if (!template) return output;
  if (!output) return `go-template=${template}`;
  if (TEMPLATE_FORMATS.includes(output)) return `${output}=${template}`;
  if (TEMPLATE_FORMATS.includes(output.split('=')[0])) throw noPrinterFor(output);
  return output;
}

/** Checks -o before anything runs (kubectl refuses an unknown format up front). */
export function validateOutputFormat(output: string | undefined): void {
  if (!output) return;
  const name = output.split('=')[0];
  if (!FORMATS.includes(name)) throw noPrinterFor(output);
  // kubectl builds the printer before it asks the server: a bad template is the only error
  const arg = output.slice(name.length + 1);
  if (name === 'jsonpath' || name === 'jsonpath-as-json') jsonPath().parseJsonPath(jsonPath().jsonPathFromFlag(arg));
  if (name === 'go-template' || name === 'template') goTemplateFromFlag(arg);
  if (name === 'custom-columns') customColumns().parseCustomColumns(arg);
}

function goTemplateFromFlag(text: string): GoTemplate {
  if (text === '') throw new CliError('template format specified but no template given');
  try {
    return goTemplate().parseGoTemplate(text);
  } catch (e) {
    if (e instanceof goTemplate().TemplateParseError) throw new CliError(`error parsing template ${text}, ${e.message}`);
    throw e;
  }
}

/**
 * GoTemplatePrinter.PrintObj: the template over the object as JSON decodes it. On a failure kubectl
 * writes what the template printed and a dump of the data to stdout, then fails with the error.
 */
function printGoTemplate(template: GoTemplate, data: unknown, allowMissingKeys: boolean): string {
  const { output, error } = goTemplate().executeGoTemplate(template, data, { allowMissingKeys });
  if (!error) return output;
  const dump =
    `Error executing template: ${error.message}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template.source}\n` +
    `\traw data was:\n\t\t${jsonPath().goJson(data)}\n` +
    `\tobject given to template engine was:\n\t\t${goTemplateFmt().formatValue(goTemplateValues().fromData(data))}\n\n`;
  throw new CliError(`error executing template ${goQuote(template.source)}: ${error.message}`, { stdout: output + dump });
}

/** Formats objects for -o json|yaml|name|jsonpath|go-template|custom-columns; undefined for table formats. */
export function formatStructured(
  objects: KObject[],
  output: string | undefined,
  opts: {
    single?: boolean;
    cwd?: string;
    noHeaders?: boolean;
    showManagedFields?: boolean;
    allowMissingTemplateKeys?: boolean;
    /** a watch's later event: custom-columns printed their header already (the printer's lastType) */
    headerShown?: boolean;
    /** get -w --output-watch-events: the object is printed as a metav1.WatchEvent of this type */
    watchEvent?: string;
    /** the objects are prepared (printable) and decoded as JSON already (streamStructured collected them so) */
    asJson?: boolean;
  } = {},
): string | undefined {
  if (!output || output === 'wide') return undefined;
  if (!opts.asJson) objects = objects.map(printable(opts.showManagedFields));
  const [format, ...rest] = output.split('=');
  const arg = rest.join('=');
  // the name printer names the event's object; every other printer sees {type, object}
  if (opts.watchEvent !== undefined && format !== 'name')
    objects = objects.map((object) => ({ type: opts.watchEvent, object }) as unknown as KObject);
  const data = opts.single && objects.length === 1 ? objects[0] : asList(objects);
  switch (format) {
    case 'json':
      // JSONPrinter marshals a WatchEvent compactly, one line each
      return opts.watchEvent !== undefined
        ? watchEventJson(opts.watchEvent, (data as unknown as { object: unknown }).object)
        : toJson(data);
    case 'yaml':
      return toYaml(data);
    case 'name':
      return objects.map(resourceNameLine).join('');
    case 'jsonpath':
    case 'jsonpath-file':
    case 'jsonpath-as-json': {
      const text = format === 'jsonpath-file' ? readFile(arg, opts.cwd) : arg;
      const template = jsonPath().parseJsonPath(jsonPath().jsonPathFromFlag(text));
      return jsonPath().executeJsonPath(template, opts.asJson ? data : asJson(data), {
        allowMissingKeys: opts.allowMissingTemplateKeys ?? true,
        outputJson: format === 'jsonpath-as-json',
      });
    }
    case 'go-template':
    case 'go-template-file':
    case 'template':
    case 'templatefile': {
      const text = format.endsWith('file') ? readFile(arg, opts.cwd) : arg;
      return printGoTemplate(goTemplateFromFlag(text), opts.asJson ? data : asJson(data), opts.allowMissingTemplateKeys ?? true);
    }
    case 'custom-columns':
    case 'custom-columns-file': {
      // kubectl honours --no-headers for custom-columns but not for the file form
      if (format === 'custom-columns-file')
        return customColumns().renderCustomColumns(customColumns().parseCustomColumnsFile(readFile(arg, opts.cwd, 'template')), objects, {
          noHeaders: opts.headerShown,
        });
      return customColumns().renderCustomColumns(customColumns().parseCustomColumns(arg), objects, {
        noHeaders: opts.noHeaders || opts.headerShown,
      });
    }
    default:
      validateOutputFormat(output);
      return undefined;
  }
}

/**
 * What the printers show of an object: kubectl drops metadata.managedFields unless
 * --show-managed-fields (and with it, the cluster's own writers' entries, made when shown:
 * managed-fields/cluster-managers).
 */
function printable(showManagedFields: boolean | undefined): (o: KObject) => KObject {
  return showManagedFields ? (o) => clusterManagers().withClusterManagers(o) : withoutManagedFields;
}

/**
 * The data as the template printers see it, decoded from its JSON (undefined fields gone). A
 * List is copied item by item: one JSON text of 150k pods would be longer than V8 lets a string be.
 */
function asJson(data: KObject): unknown {
  const list = data as unknown as { kind: string; items?: unknown[] };
  if (list.kind === 'List' && Array.isArray(list.items)) return { ...list, items: list.items.map(jsonCopy) };
  return jsonCopy(data);
}

function jsonCopy(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Where streamStructured puts its text, a piece at a time. */
export type Write = (text: string) => void;

/** The formats streamStructured writes item by item (the others need every object before they print). */
const STREAMED = ['yaml', 'json', 'name', 'custom-columns', 'custom-columns-file'];

/**
 * formatStructured of a List (never a single object), written as it is made: -o yaml|json and
 * name print each item as it is reached, and nothing of it is kept (150k pods as one List's
 * text would not fit in memory); custom columns keep only each item's row (the columns' widths
 * need them all); jsonpath and go-template keep each item's JSON data, not the object read.
 * The text is byte for byte formatStructured's. Undefined for the table formats (nothing written).
 */
export function streamStructured(
  objects: Iterable<KObject>,
  output: string | undefined,
  opts: { cwd?: string; noHeaders?: boolean; showManagedFields?: boolean; allowMissingTemplateKeys?: boolean },
  write: Write,
): boolean {
  if (!output || output === 'wide') return false;
  const format = output.split('=')[0];
  const arg = output.slice(format.length + 1);
  const prepare = printable(opts.showManagedFields);
  const items = (function* () {
    for (const o of objects) yield prepare(o);
  })();
  if (!STREAMED.includes(format)) {
    const data: KObject[] = [];
    for (const o of items) data.push(jsonCopy(o) as KObject);
    const text = formatStructured(data, output, { ...opts, asJson: true });
    if (text !== undefined) write(text);
    return text !== undefined;
  }
  switch (format) {
    case 'yaml': {
      // the List's own fields around the items, as toYaml(asList(…)) lays them out (sorted keys)
      write('apiVersion: v1\n');
      let n = 0;
      // each item as the one item of a sequence: laid out in the List's own context (a key the
      // YAML library quotes at the top level only, `---x`, stays as the List prints it)
      for (const o of items) write((n++ ? '' : 'items:\n') + toYaml([o]));
      write(`${n ? '' : 'items: []\n'}kind: List\nmetadata:\n  resourceVersion: ""\n`);
      return true;
    }
    case 'json': {
      write('{\n    "apiVersion": "v1",\n');
      let n = 0;
      for (const o of items) write((n++ ? ',\n' : '    "items": [\n') + indentLines(toJson(o).slice(0, -1), '        '));
      write(`${n ? '\n    ],\n' : '    "items": [],\n'}    "kind": "List",\n    "metadata": {\n        "resourceVersion": ""\n    }\n}\n`);
      return true;
    }
    case 'name':
      for (const o of items) write(resourceNameLine(o));
      return true;
    default: {
      // custom-columns: kubectl honours --no-headers for custom-columns but not for the file form
      const file = format === 'custom-columns-file';
      const columns = file
        ? customColumns().parseCustomColumnsFile(readFile(arg, opts.cwd, 'template'))
        : customColumns().parseCustomColumns(arg);
      write(customColumns().renderCustomColumns(columns, items, { noHeaders: !file && opts.noHeaders }));
      return true;
    }
  }
}

/** Each line of `text` (no trailing newline) indented by `by`. */
function indentLines(text: string, by: string): string {
  return by + text.replace(/\n/g, `\n${by}`);
}

/** -o name: `pod/x`; a subresource read's Scale is named by its own kind (scale.autoscaling/NAME). */
function resourceNameLine(o: KObject): string {
  return `${o.kind === 'Scale' && !kindInfo('Scale') ? `scale.autoscaling/${o.metadata.name}` : qualifiedName(kindInfoOfObject(o)!, o.metadata.name)}\n`;
}

function withoutManagedFields(o: KObject): KObject {
  if (!o.metadata || !('managedFields' in o.metadata)) return o;
  const { managedFields: _dropped, ...metadata } = o.metadata as KObject['metadata'] & { managedFields?: unknown };
  return { ...o, metadata: metadata as KObject['metadata'] };
}

/** A template file's text; `what` is how kubectl names it when it cannot be read. */
function readFile(file: string, cwd = process.cwd(), what = '--template'): string {
  if (file === '') throw new CliError('template format specified but no template given');
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new CliError(`error reading ${what} ${file}, open ${file}: no such file or directory`);
  }
}

/** What kubectl says on stderr when a list comes back empty (no namespace: cluster-scoped or all namespaces). */
export function noResourcesFound(namespace: string | undefined): string {
  return namespace === undefined ? 'No resources found' : `No resources found in ${namespace} namespace.`;
}

/** kubectl's table for one kind: declared columns, wide columns with -o wide, labels, namespace. */
export function tableRows(objects: KObject[], ctx: PrintContext, opts: OutputOptions): string[][] {
  if (!objects.length) return [];
  return tableRowsOf(kindInfoOfObject(objects[0])!, objects, ctx, opts);
}

/** The same table from objects of a known kind read one at a time (the header comes first, even for none). */
export function tableRowsOf(info: KindInfo, objects: Iterable<KObject>, ctx: PrintContext, opts: OutputOptions): string[][] {
  const wide = opts.output === 'wide';
  const columns = opts.genericColumns ? GENERIC_COLUMNS : info.columns.filter((c) => wide || !c.wide);
  const header = columns.map((c) => c.header);
  if (opts.withNamespace && info.namespaced) header.unshift('NAMESPACE');
  for (const l of opts.labelColumns ?? []) header.push(l.split('/').pop()!.toUpperCase());
  if (opts.showLabels) header.push('LABELS');
  const rows: string[][] = opts.noHeaders ? [] : [header];
  for (const obj of objects) {
    const row = columns.map((c) => {
      const v = c.jsonPath ? crdColumns().customColumnCell(c.jsonPath, obj, ctx.now) : c.value(obj, ctx);
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
