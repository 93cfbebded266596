import { matches, parseSelector } from '../api/labels';
import { resolveGoYaml } from '../util/go-yaml-resolve';
import { CliError } from '../util/errors';
import type { KObject } from '../model/objects';
import { gvk, type Resource } from './resource';

/** A resource selector as kustomize writes it in replacements (types.Selector). */
export interface ReplacementSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface Replacement {
  /** a file holding one replacement or a list of them, instead of source and targets */
  path?: string;
  source?: ReplacementSelector & { fieldPath?: string; options?: FieldOptions };
  targets?: { select?: ReplacementSelector; reject?: ReplacementSelector[]; fieldPaths?: string[]; options?: FieldOptions }[];
}

const DEFAULT_FIELD_PATH = 'metadata.name';

/** kustomize's ResId text of a selector: Kind.version.group/name.namespace, with [noX] for what is unset. */
function selectorId(s: ReplacementSelector): string {
  return `${s.kind || '[noKind]'}.${s.version || '[noVer]'}.${s.group || '[noGrp]'}/${s.name || '[noName]'}.${s.namespace || '[noNs]'}`;
}

/** resid.IsSelectedBy plus the label and annotation selectors; a resource is selected by any name it has had. */
function selects(s: ReplacementSelector, res: Resource): boolean {
  const id = gvk(res.obj);
  if (s.group && s.group !== id.group) return false;
  if (s.version && s.version !== id.version) return false;
  if (s.kind && s.kind !== id.kind) return false;
  if (s.name && !res.names.includes(s.name)) return false;
  // an unset namespace and "default" are the same namespace to kustomize
  if (s.namespace && (s.namespace || 'default') !== (res.obj.metadata.namespace || 'default')) return false;
  if (s.labelSelector && !matches(parseSelector(s.labelSelector), res.obj.metadata.labels ?? {})) return false;
  if (s.annotationSelector && !matches(parseSelector(s.annotationSelector), res.obj.metadata.annotations ?? {})) return false;
  return true;
}

const isEmpty = (s: ReplacementSelector) => !s.group && !s.version && !s.kind && !s.name && !s.namespace;

/** kustomize's SmarterPathSplitter: dots separate fields except inside `[key=value]`. */
export function splitFieldPath(fieldPath: string): string[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of fieldPath) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

type Container = Record<string, unknown> | unknown[];
interface Slot {
  holder: Container;
  key: string | number;
}
const read = (s: Slot): unknown => (s.holder as Record<string | number, unknown>)[s.key];
const write = (s: Slot, v: unknown) => ((s.holder as Record<string | number, unknown>)[s.key] = v);
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The places a field path names in an object (kyaml's Lookup/LookupCreate): map fields, list
 * elements by index or by `[field=value]`, `*` for every element. With `create`, missing maps,
 * lists and `[field=value]` elements are made on the way.
 */
function lookup(obj: Record<string, unknown>, parts: string[], create: boolean): Slot[] {
  let slots: Slot[] = [{ holder: { root: obj }, key: 'root' }];
  for (const part of parts) {
    const next: Slot[] = [];
    const keyed = /^\[([^=]+)=(.*)\]$/.exec(part);
    for (const slot of slots) {
      let node = read(slot);
      if (node === undefined || node === null) {
        if (!create) continue;
        node = keyed ? [] : {};
        write(slot, node);
      }
      if (Array.isArray(node)) {
        if (part === '*') node.forEach((_, i) => next.push({ holder: node as unknown[], key: i }));
        else if (/^\d+$/.test(part) && Number(part) < node.length) next.push({ holder: node, key: Number(part) });
        else if (keyed) {
          const [, field, value] = keyed;
          const found = node.flatMap((item, i) => (isMap(item) && String(item[field]) === value ? [i] : []));
          if (!found.length && create) found.push(node.push({ [field]: value }) - 1);
          for (const i of found) next.push({ holder: node, key: i });
        }
      } else if (isMap(node)) {
        if (part === '*') for (const key of Object.keys(node)) next.push({ holder: node, key });
        else if (!keyed) next.push({ holder: node, key: part });
      }
    }
    slots = next;
  }
  return create ? slots : slots.filter((s) => read(s) !== undefined);
}

/** The value at a dotted field path (`spec.ports[0].port`, `spec.containers.[name=web].image`), or undefined. */
export function fieldValue(obj: KObject, fieldPath: string): unknown {
  const parts = splitFieldPath(fieldPath).flatMap((part) => {
    const indexed = /^([^[]+)\[(\d+)\]$/.exec(part);
    return indexed ? [indexed[1], indexed[2]] : [part];
  });
  const [slot] = lookup(obj as Record<string, unknown>, parts, false);
  return slot ? read(slot) : undefined;
}

const isScalar = (v: unknown) => v === null || typeof v !== 'object';
/** the text of a scalar as YAML holds it */
const scalarText = (v: unknown) => (v === null ? 'null' : String(v));

/**
 * A scalar target keeps its YAML tag and takes the source's text (kyaml sets the node's value):
 * "3" into an int field is 3, into a string field "3"; text the tag cannot hold is go-yaml's
 * decode error. A created or non-scalar target takes the source as it is.
 */
function scalarInto(current: unknown, text: string): unknown {
  if (typeof current === 'string') return text;
  const resolved = resolveGoYaml(text, 'v3');
  const tag =
    typeof current === 'boolean' ? 'bool' : typeof current === 'number' ? (Number.isInteger(current) ? 'int' : 'float') : undefined;
  if (tag === undefined) return resolved.tag === 'timestamp' ? text : resolved.value;
  const fits = resolved.tag === tag || (tag === 'float' && resolved.tag === 'int');
  if (!fits) throw new CliError(`map[string]interface {}(nil): yaml: cannot decode !!${resolved.tag} \`${text}\` as a !!${tag}`);
  return resolved.value;
}

/** SourceSelector.String(): the id, the field path and the options (delimiter(index), create=...) when set, joined by ':'. */
function sourceDescription(source: NonNullable<Replacement['source']>): string {
  const parts = [selectorId(source)];
  if (source.fieldPath) parts.push(source.fieldPath);
  const o = source.options;
  if (o && (o.delimiter || o.create)) parts.push(`${o.delimiter ?? ''}(${o.index ?? 0}), create=${!!o.create}`);
  return parts.join(':');
}

function sourceValue(resources: Resource[], source: NonNullable<Replacement['source']>): unknown {
  const found = resources.filter((r) => selects(source, r));
  const described = sourceDescription(source);
  if (found.length > 1) throw new CliError(`multiple matches for selector ${described}`);
  if (!found.length) throw new CliError(`nothing selected by ${described}`);
  const fieldPath = source.fieldPath || DEFAULT_FIELD_PATH;
  const [slot] = lookup(found[0].obj as Record<string, unknown>, splitFieldPath(fieldPath), false);
  if (!slot) throw new CliError(`fieldPath \`${fieldPath}\` is missing for replacement source ${selectorId(source)}`);
  const value = structuredClone(read(slot));
  const { delimiter, index = 0 } = source.options ?? {};
  if (!delimiter) return value;
  if (!isScalar(value)) throw new CliError('delimiter option can only be used with scalar nodes');
  const pieces = scalarText(value).split(delimiter);
  if (index < 0 || index >= pieces.length) throw new CliError(`options.index ${index} is out of bounds for value ${scalarText(value)}`);
  return pieces[index];
}

function setTarget(slot: Slot, value: unknown, options: FieldOptions | undefined): void {
  const current = read(slot);
  let text = isScalar(value) ? scalarText(value) : undefined;
  if (options?.delimiter) {
    if (!isScalar(current)) throw new CliError('delimiter option can only be used with scalar nodes');
    const pieces = scalarText(current).split(options.delimiter);
    const index = options.index ?? 0;
    if (index < 0) pieces.unshift(text ?? '');
    else if (index >= pieces.length) pieces.push(text ?? '');
    else pieces[index] = text ?? '';
    text = pieces.join(options.delimiter);
  }
  if (text === undefined || !isScalar(current) || current === undefined) {
    write(slot, text !== undefined && current === undefined ? scalarInto(undefined, text) : value);
    return;
  }
  write(slot, scalarInto(current, text));
}

/** kustomize's ReplacementTransformer: each replacement copies one source field into its targets' fields. */
export function applyReplacements(resources: Resource[], replacements: Replacement[]): void {
  for (const r of replacements) {
    if (!r.source || !r.targets) throw new CliError('replacements must specify a source and at least one target');
    const value = sourceValue(resources, r.source);
    for (const target of r.targets) {
      if (!target.select) throw new CliError('target must specify resources to select');
      const fieldPaths = target.fieldPaths?.length ? target.fieldPaths : [DEFAULT_FIELD_PATH];
      for (const res of resources) {
        if (!selects(target.select, res) || (target.reject ?? []).some((rej) => !isEmpty(rej) && selects(rej, res))) continue;
        for (const fieldPath of fieldPaths) {
          const slots = lookup(res.obj as Record<string, unknown>, splitFieldPath(fieldPath), !!target.options?.create);
          if (!slots.length) throw new CliError(`unable to find field "${fieldPath}" in replacement target`);
          for (const slot of slots) setTarget(slot, value, target.options);
        }
      }
    }
  }
}
