import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KObject } from '../model/objects';
import { parseManifestText } from '../api/manifest-parser';
import { CliError } from '../util/errors';
import { contentHash, runGenerators } from './generators';
import { DEPRECATED, kustomizationFile, loadKustomization } from './kustomization';
import { fixNameReferences } from './name-references';
import { applyJson6902Patches, applyPatches, applyStrategicMergeFiles } from './patches';
import { gvk, rename, resourceId, type Resource } from './resource';
import {
  COMMON_ANNOTATIONS,
  COMMON_LABELS,
  ONLY_METADATA_LABELS,
  TEMPLATE_AND_METADATA_LABELS,
  affixNames,
  setImages,
  setMapEntries,
  setNamespace,
  setReplicas,
} from './transformers';

export interface Build {
  objects: KObject[];
  /** kustomize's deprecation warnings, for stderr */
  warnings: string[];
}

/**
 * `kubectl kustomize DIR`: the kustomization's resources, each layer's generators and
 * transformers in kustomize's order, then (once, at the top) the generated objects' hash
 * suffixes, references updated to the new names, and kustomize's legacy output order.
 */
/**
 * --load-restrictor: by default (LoadRestrictionsRootOnly) a kustomization reads resource files
 * only in or below its own directory; LoadRestrictionsNone lifts that.
 */
export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

export function buildKustomization(dir: string, cwd: string, loadRestrictor: LoadRestrictor = 'LoadRestrictionsRootOnly'): Build {
  const full = path.resolve(cwd, dir);
  if (!fs.existsSync(full))
    throw new CliError(
      `must build at directory: not a valid directory: evalsymlink failure on '${dir}' : lstat ${full}: no such file or directory`,
    );
  if (!fs.statSync(full).isDirectory()) throw new CliError(`must build at directory: '${dir}': file is not directory`);
  const warnings: string[] = [];
  const resources = accumulate(full, warnings, [], loadRestrictor);
  for (const res of resources) if (res.needsHash) rename(res, `${res.obj.metadata.name}-${contentHash(res.obj)}`);
  fixNameReferences(resources);
  return { objects: legacyOrder(resources).map((r) => r.obj), warnings: [...new Set(warnings)] };
}

function accumulate(dir: string, warnings: string[], stack: string[], loadRestrictor: LoadRestrictor): Resource[] {
  if (stack.includes(dir)) throw new CliError(`cycle detected: ${[...stack, dir].join(' -> ')}`);
  const k = loadKustomization(dir);
  for (const field of Object.keys(DEPRECATED)) if ((k as Record<string, unknown>)[field] !== undefined) warnings.push(DEPRECATED[field]);
  const resources: Resource[] = [];
  const add = (res: Resource) => {
    const id = resourceId(res.obj);
    if (resources.some((r) => resourceId(r.obj) === id))
      throw new CliError(`accumulating resources: may not add resource with an already registered id: ${id}`);
    resources.push(res);
  };
  for (const entry of [...(k.resources ?? []), ...(k.bases ?? [])]) {
    if (/^[a-z]+:\/\//.test(entry) || entry.startsWith('github.com/'))
      throw new CliError(`accumulating resources: remote resource ${entry} is not fetched by kubesim`);
    const full = path.resolve(dir, entry);
    if (!fs.existsSync(full)) {
      const why = `evalsymlink failure on '${full}' : lstat ${full}: no such file or directory`;
      throw new CliError(
        `accumulating resources: accumulation err='accumulating resources from '${entry}': ${why}': must build at directory: not a valid directory: ${why}`,
      );
    }
    if (fs.statSync(full).isDirectory()) {
      if (!kustomizationFile(full))
        throw new CliError(
          `accumulating resources: accumulation err='accumulating resources from '${entry}': unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${full}'`,
        );
      for (const res of accumulate(full, warnings, [...stack, dir], loadRestrictor)) add(res);
      continue;
    }
    const relative = path.relative(dir, full);
    if (loadRestrictor === 'LoadRestrictionsRootOnly' && (relative.startsWith('..') || path.isAbsolute(relative)))
      throw new CliError(
        `accumulating resources: accumulation err='accumulating resources from '${entry}': security; file '${full}' is not in or below '${dir}'': must build at directory: '${full}': file is not directory`,
      );
    const file = parseManifestText(fs.readFileSync(full, 'utf8'), entry, 'kustomize');
    if (file.decodeError !== undefined) throw new CliError(malformedResource(entry, file.decodeError));
    if (file.documentErrors.length) throw new CliError(`accumulating resources: ${file.documentErrors[0]}`);
    for (const m of file.manifests)
      add({
        obj: m.object,
        names: [m.object.metadata.name],
        originalNamespace: m.object.metadata.namespace || 'default',
        needsHash: false,
        generated: false,
      });
  }
  runGenerators(resources, 'ConfigMap', k.configMapGenerator ?? [], k.generatorOptions, dir, k.namespace);
  runGenerators(resources, 'Secret', k.secretGenerator ?? [], k.generatorOptions, dir, k.namespace);
  transform(resources, k, dir);
  return resources;
}

/** kustomize's words for a resource file kyaml cannot read (kubectl kustomize v1.32) */
function malformedResource(entry: string, error: string): string {
  const syntax = /^error converting YAML to JSON: (yaml: .*)$/.exec(error);
  if (syntax) return `accumulating resources: accumulating resources from '${entry}': MalformedYAMLError: ${syntax[1]} in File: ${entry}`;
  // an object encoding/json refuses (a non-string key, .inf) fails with its own text alone
  return error;
}

function transform(resources: Resource[], k: ReturnType<typeof loadKustomization>, dir: string): void {
  applyStrategicMergeFiles(resources, k.patchesStrategicMerge ?? [], dir);
  applyPatches(resources, k.patches ?? [], dir);
  if (k.namespace) setNamespace(resources, k.namespace);
  if (k.namePrefix || k.nameSuffix) affixNames(resources, k.namePrefix ?? '', k.nameSuffix ?? '');
  if (k.commonLabels) setMapEntries(resources, COMMON_LABELS, k.commonLabels);
  for (const l of k.labels ?? []) {
    const specs = l.includeSelectors ? COMMON_LABELS : l.includeTemplates ? TEMPLATE_AND_METADATA_LABELS : ONLY_METADATA_LABELS;
    if (l.pairs) setMapEntries(resources, specs, l.pairs);
  }
  if (k.commonAnnotations) setMapEntries(resources, COMMON_ANNOTATIONS, k.commonAnnotations);
  applyJson6902Patches(resources, k.patchesJson6902 ?? [], dir);
  for (const r of k.replicas ?? []) if (r.name !== undefined && r.count !== undefined) setReplicas(resources, r.name, r.count);
  for (const image of k.images ?? []) setImages(resources, image);
}

/** kustomize's orders for kinds that go first and last (legacy sort); others between, by group, version, kind. */
const FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const first = FIRST.indexOf(kind);
  if (first >= 0) return first - FIRST.length;
  const last = LAST.indexOf(kind);
  return last >= 0 ? last + 1 : 0;
}

function legacyOrder(resources: Resource[]): Resource[] {
  const gvkKey = (o: KObject) => {
    const id = gvk(o);
    return `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;
  };
  const idKey = (o: KObject) => {
    const id = gvk(o);
    return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}|${o.metadata.namespace || '~X'}|${o.metadata.name || '~N'}`;
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...resources].sort((x, y) => {
    const a = x.obj;
    const b = y.obj;
    if (gvkKey(a) !== gvkKey(b)) {
      const ra = rank(String(a.kind));
      const rb = rank(String(b.kind));
      if (ra !== rb) return ra - rb;
      return cmp(gvkKey(a), gvkKey(b));
    }
    return cmp(idKey(a), idKey(b));
  });
}
