import YAML from 'yaml';
import type { KObject } from '../model/objects';

/** One object read from a file, with where it came from (for error messages). */
export interface Manifest {
  source: string;
  object: KObject;
}

/** One input file: its objects, or why none of it can be applied (syntax error). */
export interface ManifestFile {
  source: string;
  manifests: Manifest[];
  /** per-document problems that skip only that document (kind not set…) */
  documentErrors: string[];
  /** a syntax error aborts the whole file before anything in it is applied */
  fatal?: string;
}

/** Parses multi-document YAML or JSON; `kind: List` is flattened into its items. */
export function parseManifestText(text: string, source: string): ManifestFile {
  const file: ManifestFile = { source, manifests: [], documentErrors: [] };
  let docs: unknown[];
  try {
    docs = parseDocuments(text);
  } catch (e) {
    file.fatal = `error parsing ${source}: ${(e as Error).message}`;
    return file;
  }
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      file.fatal = `error parsing ${source}: error converting YAML to JSON: yaml: unmarshal errors: cannot unmarshal ${Array.isArray(doc) ? '!!seq' : '!!str'} into map[string]interface {}`;
      return file;
    }
    const obj = doc as KObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      for (const item of obj.items) addObject(file, item as KObject);
    } else addObject(file, obj);
  }
  return file;
}

function addObject(file: ManifestFile, obj: KObject): void {
  if (!obj.kind) {
    file.documentErrors.push(
      `error validating "${file.source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
    return;
  }
  if (!obj.apiVersion) {
    file.documentErrors.push(
      `error validating "${file.source}": error validating data: apiVersion not set; if you choose to ignore these errors, turn validation off with --validate=false`,
    );
    return;
  }
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = { name: '' };
  file.manifests.push({ source: file.source, object: obj });
}

export function parseDocuments(text: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return [JSON.parse(text)];
    } catch {
      // fall through: YAML flow syntax is a superset, and its error has a line number
    }
  }
  const docs = YAML.parseAllDocuments(text, { uniqueKeys: false, version: '1.2' });
  const out: unknown[] = [];
  for (const d of docs as YAML.Document[]) {
    if (d.errors?.length) {
      const err = d.errors[0];
      const line = err.linePos?.[0]?.line ?? 1;
      const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new Error(`error converting YAML to JSON: yaml: line ${line}: ${msg}`);
    }
    out.push(d.toJS({ maxAliasCount: 100 }));
  }
  return out;
}
