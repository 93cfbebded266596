/**
 * The objects a verb acts on when they are named by files (kubectl's resource.Builder visiting
 * paths): -f/-k/-R manifests, filtered by -l as kubectl filters them, looked up by kind, namespace
 * and name. Verbs that also take TYPE NAME arguments refuse both at once, in kubectl's words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../util/errors';
import { apiVersionOf, type KindInfo } from '../api/registry';
import { parseFieldSelector, type FieldRequirement } from '../api/field-selector';
import { matches, parseSelector } from '../api/labels';
import type { KObject } from '../model/objects';
import type { Globals } from './context';
import type { FileNameOptions } from './flag-sets';
import type { IO } from './io';
import { onDemand } from '../util/on-demand';
import type { Manifest } from '../api/manifest-parser';

// only for -f/-k: reading manifests (YAML, kustomize) and mapping them to kinds is not loaded otherwise
/* eslint-disable @typescript-eslint/no-require-imports */
const manifests = onDemand('cli/manifests', () => require('./manifests') as typeof import('./manifests'));
const applyObject = onDemand('cli/apply-object', () => require('./apply-object') as typeof import('./apply-object'));
/* eslint-enable @typescript-eslint/no-require-imports */

export interface Target {
  info: KindInfo;
  namespace?: string;
  name: string;
}

/** --field-selector for one resource type (errors name it as the API server does: `/v1, Resource=pods`). */
export function fieldSelectorFor(info: KindInfo, text: string): FieldRequirement[] {
  const version = apiVersionOf(info);
  return parseFieldSelector(text, info.kind, `${version.includes('/') ? version : `/${version}`}, Resource=${info.plural}`, info.group);
}

/** builder.visitByPaths: paths and resource arguments do not mix */
export function refuseArgsWithFiles(args: string[]): void {
  if (args.length) throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
}

/** The manifests of -f/-k/-R that match -l (a file that does not parse aborts, as kubectl does). */
export function selectedManifests(files: FileNameOptions, selector: string | undefined, io: IO): Manifest[] {
  const sel = selector ? parseSelector(selector) : undefined;
  const out: Manifest[] = [];
  for (const file of manifests().loadManifestFiles(files.filename, { recursive: files.recursive, kustomize: files.kustomize, io })) {
    if (file.fatal) throw new CliError(file.fatal);
    if (file.documentErrors.length) throw new CliError(file.documentErrors[0]);
    for (const m of file.manifests) if (!sel || matches(sel, m.object.metadata.labels)) out.push(m);
  }
  return out;
}

/** Whether a manifest matches -l (apply/create -l: only matching objects are sent). */
export function matchesLabelSelector(obj: KObject, selector: string | undefined): boolean {
  return !selector || matches(parseSelector(selector), obj.metadata.labels);
}

/** The objects -f names: in the manifest's namespace, else the current one. */
export function fileTargets(files: FileNameOptions, selector: string | undefined, io: IO, g: Globals): Target[] {
  return selectedManifests(files, selector, io).map((m) => {
    const { kindForManifest, targetNamespace } = applyObject();
    const info = kindForManifest(m);
    return { info, namespace: targetNamespace(info, m.object, g.namespace, g.namespaceExplicit), name: m.object.metadata.name };
  });
}

/** The builder's singleItemImplied for paths: one -f that is a file, not a directory (its documents may be several). */
export function singleFileImplied(files: FileNameOptions, cwd: string): boolean {
  if (files.filename.length !== 1) return false;
  const file = files.filename[0];
  return file === '-' || !(fs.existsSync(path.resolve(cwd, file)) && fs.statSync(path.resolve(cwd, file)).isDirectory());
}
