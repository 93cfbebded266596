import * as fs from 'node:fs';
import * as path from 'node:path';
import { yamlStreamToJson, type YamlDialect, type YamlStream } from '../util/yaml-to-json';
import { CliError } from '../util/errors';
import type { KObject } from '../model/objects';
import type { IO } from './io';
import { buildKustomization } from '../kustomize/build';

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
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Expands -f arguments (files, directories, `-`) like kubectl's FilenameOptions. */
/** kubectl's -k: the same commands take a kustomization directory */
export const KUSTOMIZE_FLAG = [
  '-k, --kustomize <dir>',
  'Process the kustomization directory (as kubesim kustomize DIR builds it)',
] as const;

export function loadManifestFiles(filenames: string[], opts: { recursive?: boolean; kustomize?: string; io: IO }): ManifestFile[] {
  if (opts.kustomize !== undefined) {
    if (filenames.length) throw new CliError('only one of -f or -k can be specified');
    const build = buildKustomization(opts.kustomize, opts.io.cwd);
    for (const w of build.warnings) opts.io.err(`${w}\n`);
    return [
      { source: opts.kustomize, manifests: build.objects.map((object) => ({ source: opts.kustomize!, object })), documentErrors: [] },
    ];
  }
  if (!filenames.length) throw new CliError('must specify one of -f and -k');
  const files: ManifestFile[] = [];
  for (const f of filenames) {
    if (f === '-') {
      files.push(parseManifestText(opts.io.readStdin(), 'STDIN'));
      continue;
    }
    const abs = path.resolve(opts.io.cwd, f);
    if (!fs.existsSync(abs)) throw new CliError(`the path "${f}" does not exist`);
    if (fs.statSync(abs).isDirectory()) {
      for (const file of listDir(abs, !!opts.recursive))
        files.push(parseManifestText(fs.readFileSync(file, 'utf8'), path.relative(opts.io.cwd, file) || file));
    } else {
      files.push(parseManifestText(fs.readFileSync(abs, 'utf8'), f));
    }
  }
  return files;
}

function listDir(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listDir(full, true));
    } else if (EXTENSIONS.has(path.extname(entry.name))) out.push(full);
  }
  return out;
}

/**
 * Parses multi-document YAML or JSON; `kind: List` is flattened into its items. A syntax error
 * stops reading at the broken document: the ones before it are still returned (kubectl's
 * builder hands them over with the error).
 */
export function parseManifestText(text: string, source: string, dialect: YamlDialect = 'kubectl'): ManifestFile {
  const file: ManifestFile = { source, manifests: [], documentErrors: [] };
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
    const obj = doc as KObject;
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      for (const item of obj.items) addObject(file, item as KObject);
    } else addObject(file, obj);
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
