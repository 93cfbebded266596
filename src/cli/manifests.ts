import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import type { ManifestFile } from '../api/manifest-parser';
import type { IO } from './io';
import { onDemand } from '../util/on-demand';

// loaded only for -k: every verb that takes -f would otherwise load the kustomize build at start-up
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kustomize = onDemand('kustomize/build', () => require('../kustomize/build') as typeof import('../kustomize/build'));

// the manifest parser (YAML) is loaded when a first file is read: the verbs that take -f import
// this module for their flags
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = onDemand('api/manifest-parser', () => require('../api/manifest-parser') as typeof import('../api/manifest-parser'));

/** A file's document errors, then what stopped reading it. */
export function fileErrors(file: ManifestFile): string[] {
  return parser().fileErrors(file);
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** kubectl's -k: the same commands take a kustomization directory */
export const KUSTOMIZE_FLAG = [
  '-k, --kustomize <dir>',
  'Process the kustomization directory (as kubesim kustomize DIR builds it)',
] as const;

/** Expands -f arguments (files, directories, `-`) like kubectl's FilenameOptions, or builds -k. */
export function loadManifestFiles(filenames: string[], opts: { recursive?: boolean; kustomize?: string; io: IO }): ManifestFile[] {
  if (opts.kustomize !== undefined) {
    if (filenames.length) throw new CliError('only one of -f or -k can be specified');
    const build = kustomize().buildKustomization(opts.kustomize, opts.io.cwd);
    for (const w of build.warnings) opts.io.err(`${w}\n`);
    return [
      { source: opts.kustomize, manifests: build.objects.map((object) => ({ source: opts.kustomize!, object })), documentErrors: [] },
    ];
  }
  if (!filenames.length) throw new CliError('must specify one of -f and -k');
  const files: ManifestFile[] = [];
  for (const f of filenames) {
    if (f === '-') {
      files.push(parser().parseManifestText(opts.io.readStdin(), 'STDIN'));
      continue;
    }
    const abs = path.resolve(opts.io.cwd, f);
    if (!fs.existsSync(abs)) throw new CliError(`the path "${f}" does not exist`);
    if (fs.statSync(abs).isDirectory()) {
      for (const file of listDir(abs, !!opts.recursive))
        files.push(parser().parseManifestText(fs.readFileSync(file, 'utf8'), path.relative(opts.io.cwd, file) || file));
    } else {
      files.push(parser().parseManifestText(fs.readFileSync(abs, 'utf8'), f));
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
