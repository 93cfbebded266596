import YAML from 'yaml';
import { yamlStreamToJson } from '../util/yaml-to-json';
import { jsonPatch, strategicMergePatch } from '../api/merge';
import { matches, parseSelector } from '../api/labels';
import type { KObject } from '../model/objects';
import { CliError, errorMessage } from '../util/errors';
import type { Patch, PatchTarget } from './kustomization';
import type { FileLoader } from './loader';
import { gvk, rename, type Resource } from './resource';

/** kustomize's error for a builtin plugin it cannot configure: the config as sigs.k8s.io/yaml writes it (keys sorted). */
export function configError(plugin: string, config: object, reason: string): string {
  const text = YAML.stringify(config, { sortMapEntries: true, indentSeq: false });
  return `trouble configuring builtin ${plugin} with config: \`\n${text}\`: ${reason}`;
}

/** A patch file of a plugin's config, refused in kustomize's words. */
function readPatchFile(loader: FileLoader, file: string, plugin: string, config: object, how = (reason: string) => reason): string {
  return loader.read(file, (reason) => configError(plugin, config, how(reason)));
}

/** A patch's documents as kyaml (go-yaml v3) reads them. */
function parseAll(text: string, source: string): unknown[] {
  const { docs, error } = yamlStreamToJson(text, 'kustomize');
  if (error) throw new CliError(`unable to parse patch ${source}: ${error}`);
  return docs.filter((value) => value !== null && value !== undefined);
}

/** Whether a patch target selects the resource (name and namespace are anchored regular expressions). */
function selected(target: PatchTarget, res: Resource): boolean {
  const { group, version, kind } = gvk(res.obj);
  const anchored = (pattern: string, value: string) => {
    try {
      return new RegExp(`^(?:${pattern})$`).test(value);
    } catch {
      return pattern === value;
    }
  };
  if (target.group !== undefined && target.group !== group) return false;
  if (target.version !== undefined && target.version !== version) return false;
  if (target.kind !== undefined && target.kind !== kind) return false;
  if (target.name !== undefined && !res.names.some((n) => anchored(target.name!, n))) return false;
  if (target.namespace !== undefined && !anchored(target.namespace, res.obj.metadata.namespace ?? '')) return false;
  if (target.labelSelector !== undefined && !matches(parseSelector(target.labelSelector), res.obj.metadata.labels ?? {})) return false;
  if (target.annotationSelector !== undefined && !matches(parseSelector(target.annotationSelector), res.obj.metadata.annotations ?? {}))
    return false;
  return true;
}

/** Applies a strategic-merge patch, keeping the target's name and kind unless the patch's options allow changing them. */
function mergeInto(res: Resource, patch: KObject, options: Patch['options'] = {}): void {
  const { apiVersion, kind, metadata, ...rest } = patch;
  const name = options.allowNameChange && metadata?.name ? metadata.name : res.obj.metadata.name;
  if (options.allowKindChange && kind) res.obj = { ...res.obj, apiVersion: apiVersion ?? res.obj.apiVersion, kind };
  if (name !== res.obj.metadata.name) rename(res, name);
  const meta: Record<string, unknown> = { ...(metadata ?? {}), name };
  if (res.obj.metadata.namespace !== undefined) meta.namespace = res.obj.metadata.namespace;
  else delete meta.namespace;
  const body = { ...rest, metadata: meta };
  try {
    res.obj = strategicMergePatch(res.obj, body, String(res.obj.kind), 'patch-first') as KObject;
  } catch (e) {
    throw new CliError(`unable to apply patch to ${res.obj.kind} ${res.obj.metadata.name}: ${errorMessage(e)}`);
  }
}

/**
 * A strategic-merge patch with no target: it names the object it patches. kustomize's words when
 * none matches: the PatchStrategicMergeTransformer's, which the PatchTransformer prefixes.
 */
function patchByIdentity(resources: Resource[], patch: KObject, fromPatches: boolean): void {
  const name = patch.metadata?.name;
  const found = resources.filter(
    (r) =>
      r.obj.kind === patch.kind &&
      r.names.includes(name) &&
      (patch.metadata?.namespace === undefined || r.obj.metadata.namespace === patch.metadata.namespace),
  );
  if (!found.length) {
    const id = `${patch.kind}.${gvk(patch).version || '[noVer]'}.${gvk(patch).group || '[noGrp]'}/${name}.${patch.metadata?.namespace || '[noNs]'}`;
    const reason = `no matches for Id ${id}; failed to find unique target for patch ${id}`;
    throw new CliError(fromPatches ? `no resource matches strategic merge patch "${id}": ${reason}` : reason);
  }
  for (const res of found) mergeInto(res, patch);
}

function json6902(resources: Resource[], ops: unknown, target: PatchTarget | undefined, source: string): void {
  if (!target) throw new CliError(`${source}: a JSON 6902 patch needs a target`);
  for (const res of resources) {
    if (!selected(target, res)) continue;
    try {
      res.obj = jsonPatch(res.obj, ops) as KObject;
    } catch (e) {
      throw new CliError(`unable to apply JSON 6902 patch to ${res.obj.kind} ${res.obj.metadata.name}: ${errorMessage(e)}`);
    }
  }
}

/** `patches:`: each a strategic-merge or a JSON 6902 patch (a list), inline or in a file, for a target or by identity. */
export function applyPatches(resources: Resource[], patches: Patch[], loader: FileLoader): void {
  for (const p of patches) {
    if (!p.patch === !p.path) throw new CliError('a patch needs exactly one of patch and path');
    const text =
      p.patch ??
      readPatchFile(loader, p.path!, 'PatchTransformer', p, (reason) => `failed to get the patch file from path(${p.path}): ${reason}`);
    const source = p.path ?? 'an inline patch';
    const docs = parseAll(text, source);
    if (docs.length === 1 && Array.isArray(docs[0])) {
      json6902(resources, docs[0], p.target, source);
      continue;
    }
    for (const doc of docs) {
      if (!doc || typeof doc !== 'object' || Array.isArray(doc))
        throw new CliError(`unable to parse patch ${source}: not a map or a list of operations`);
      const patch = doc as KObject;
      if (!p.target) {
        patchByIdentity(resources, patch, true);
        continue;
      }
      for (const res of resources) if (selected(p.target, res)) mergeInto(res, patch, p.options);
    }
  }
}

export function applyStrategicMergeFiles(resources: Resource[], files: string[], loader: FileLoader): void {
  for (const file of files)
    applyStrategicMergeText(resources, readPatchFile(loader, file, 'PatchStrategicMergeTransformer', { paths: files }), file);
}

/** Strategic-merge patches (a YAML stream), each applied to the object it names. */
export function applyStrategicMergeText(resources: Resource[], text: string, source: string): void {
  for (const doc of parseAll(text, source)) {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new CliError(`unable to parse patch ${source}: not a map`);
    patchByIdentity(resources, doc as KObject, false);
  }
}

export function applyJson6902Patches(resources: Resource[], patches: Patch[], loader: FileLoader): void {
  for (const p of patches) {
    const text = p.patch ?? readPatchFile(loader, p.path ?? '', 'PatchJson6902Transformer', p);
    const docs = parseAll(text, p.path ?? 'an inline patch');
    json6902(resources, docs[0] ?? [], p.target, p.path ?? 'an inline patch');
  }
}
