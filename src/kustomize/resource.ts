// the kinds register themselves on import: `kubesim kustomize` loads nothing else that imports them
import '../api/kinds/index';
import { kindInfo } from '../api/registry';
import type { KObject } from '../model/objects';
import type { Origin } from './build-metadata';

/**
 * An object's top-level fields as the user wrote them: kustomize walks any kind's JSON, so what it
 * reads there is unknown until narrowed (a ConfigMap's data may be anything before validation).
 */
export function topLevel(obj: KObject): Record<string, unknown> {
  return obj;
}

/** An object on its way through a kustomization, with the names it had (for references to it). */
export interface Resource {
  obj: KObject;
  /** every name it has had, the first one written down first (references may use any) */
  names: string[];
  /** the namespace it was read with ("default" when it had none): service account subjects match it */
  originalNamespace?: string;
  /** the file it was read from or the generator that made it (buildMetadata's originAnnotations) */
  origin?: Origin;
  /** the transformers that changed it (buildMetadata's transformerAnnotations) */
  transformations?: Origin[];
  /** generated ConfigMaps and Secrets get a content hash appended at the end of the build */
  needsHash: boolean;
  /** generated here: a later generator of the same name may merge into it or replace it */
  generated: boolean;
}

export function gvk(obj: { apiVersion?: unknown; kind?: unknown }): { group: string; version: string; kind: string } {
  const apiVersion = String(obj.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind: String(obj.kind ?? '') }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind: String(obj.kind ?? '') };
}

/** Kinds kustomize knows are cluster-scoped besides those kubesim serves. */
const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'CSIDriver',
  'CSINode',
  'RuntimeClass',
  'PodSecurityPolicy',
  'CertificateSigningRequest',
  'VolumeAttachment',
  'ComponentStatus',
]);

export function isClusterScoped(kind: string): boolean {
  const info = kindInfo(kind);
  return info ? !info.namespaced : CLUSTER_SCOPED.has(kind);
}

/** kustomize's id of a resource: Kind.version.group/name.namespace, in its error messages. */
export function resourceId(obj: KObject): string {
  const { group, version, kind } = gvk(obj);
  return `${kind}.${version || '[noVer]'}.${group || '[noGrp]'}/${obj.metadata?.name ?? ''}.${obj.metadata?.namespace || '[noNs]'}`;
}

export function rename(res: Resource, name: string): void {
  res.obj.metadata.name = name;
  if (!res.names.includes(name)) res.names.push(name);
}

/**
 * Walks `path` (slash-separated) and calls `at` on each map holding the last field. A list on
 * the way is walked element by element, whether the path marks it with `[]` or not (kustomize's
 * field specs, as users write them in `configurations`, leave the marks out).
 */
export function visitField(
  obj: unknown,
  path: string,
  create: boolean,
  at: (holder: Record<string, unknown>, field: string) => void,
): void {
  const parts = path.split('/');
  const walk = (node: unknown, i: number): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, i);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const map = node as Record<string, unknown>;
    const part = parts[i];
    const isList = part.endsWith('[]');
    const field = isList ? part.slice(0, -2) : part;
    if (i === parts.length - 1) {
      at(map, field);
      return;
    }
    if (isList) {
      if (Array.isArray(map[field])) for (const item of map[field] as unknown[]) walk(item, i + 1);
      return;
    }
    if (map[field] === undefined || map[field] === null) {
      if (!create) return;
      map[field] = {};
    }
    walk(map[field], i + 1);
  };
  walk(obj, 0);
}

/** A field spec: where a transformer writes, on which kinds (group and version only when given). */
export interface FieldSpec {
  path: string;
  kind?: string;
  group?: string;
  version?: string;
  create?: boolean;
}

export function specApplies(spec: FieldSpec, obj: KObject): boolean {
  const id = gvk(obj);
  return (
    (spec.kind === undefined || spec.kind === id.kind) &&
    (spec.group === undefined || spec.group === id.group) &&
    (spec.version === undefined || spec.version === id.version)
  );
}
