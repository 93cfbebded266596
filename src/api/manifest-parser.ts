import type { KObject } from '../model/objects';
import { yamlStreamToJson, type YamlDialect, type YamlStream } from '../util/yaml-to-json';

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
  /** a syntax error: reading stopped there, after the manifests above */
  fatal?: string;
  /** the decoder's own words for it (kustomize words it differently) */
  decodeError?: string;
  /** the text read (not for a kustomization build): lint finds its objects' fields in it */
  text?: string;
}

/**
 * Parses multi-document YAML or JSON; `kind: List` is flattened into its items. A syntax error
 * stops reading at the broken document: the ones before it are still returned (kubectl's
 * builder hands them over with the error).
 */
export function parseManifestText(text: string, source: string, dialect: YamlDialect = 'kubectl'): ManifestFile {
  const file: ManifestFile = { source, manifests: [], documentErrors: [], text };
  const { docs, error } = parseDocuments(text, dialect);
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      // the builder's first look at a document reads only its apiVersion and kind; the others go on
      file.documentErrors.push(
        `unable to decode "${source}": json: cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc === 'boolean' ? 'bool' : typeof doc} into Go value of type unstructured.detector`,
      );
      continue;
    }
    // decoded YAML: a List's items are objects to read as the others are
    const fields = doc as Record<string, unknown>;
    const items: unknown = fields.items;
    if (fields.kind === 'List' && Array.isArray(items)) {
      for (const item of items) addObject(file, item as KObject);
    } else addObject(file, doc as KObject);
  }
  if (error) {
    file.fatal = `error parsing ${source}: ${error}`;
    file.decodeError = error;
  }
  return file;
}

/** What a file could not give: per-document errors, then the syntax error that stopped it. */
export function fileErrors(file: ManifestFile): string[] {
  return file.fatal ? [...file.documentErrors, file.fatal] : file.documentErrors;
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

/** The documents of a YAML or JSON stream, read as kubectl reads them, and why reading stopped early. */
export function parseDocuments(text: string, dialect: YamlDialect = 'kubectl'): YamlStream {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return { docs: [JSON.parse(text)] };
    } catch {
      // fall through: YAML flow syntax is a superset, and its error has a line number
    }
  }
  return yamlStreamToJson(text, dialect);
}
