import { isJsonObject, type KObject } from '../model/objects';
import { CliError } from '../util/errors';
import { isClusterScoped, rename, specApplies, topLevel, visitField, type FieldSpec, type Resource } from './resource';

// Where kustomize's transformers write, kind by kind (its builtin field specs, v5).

/** pod template labels of the workload kinds (and the CronJob's job template) */
const TEMPLATE_LABELS: FieldSpec[] = [
  { path: 'spec/template/metadata/labels', kind: 'ReplicationController', version: 'v1', create: true },
  { path: 'spec/template/metadata/labels', kind: 'Deployment', create: true },
  { path: 'spec/template/metadata/labels', kind: 'ReplicaSet', create: true },
  { path: 'spec/template/metadata/labels', kind: 'DaemonSet', create: true },
  { path: 'spec/template/metadata/labels', kind: 'StatefulSet', group: 'apps', create: true },
  { path: 'spec/template/metadata/labels', kind: 'Job', group: 'batch', create: true },
  { path: 'spec/jobTemplate/metadata/labels', kind: 'CronJob', group: 'batch', create: true },
  { path: 'spec/jobTemplate/spec/template/metadata/labels', kind: 'CronJob', group: 'batch', create: true },
];
const METADATA_LABELS: FieldSpec[] = [{ path: 'metadata/labels', create: true }, ...TEMPLATE_LABELS];
const VOLUME_CLAIM_LABELS: FieldSpec = {
  path: 'spec/volumeClaimTemplates[]/metadata/labels',
  kind: 'StatefulSet',
  group: 'apps',
  create: true,
};

/** label selectors in pod affinity and spread constraints: rewritten only where they exist */
const podSelectorPaths = ['podAffinity', 'podAntiAffinity']
  .flatMap((a) => [
    `spec/template/spec/affinity/${a}/preferredDuringSchedulingIgnoredDuringExecution[]/podAffinityTerm/labelSelector/matchLabels`,
    `spec/template/spec/affinity/${a}/requiredDuringSchedulingIgnoredDuringExecution[]/labelSelector/matchLabels`,
  ])
  .concat('spec/template/spec/topologySpreadConstraints[]/labelSelector/matchLabels');

/** commonLabels (and labels with includeSelectors): selectors too */
const SELECTOR_LABELS: FieldSpec[] = [
  { path: 'spec/selector', kind: 'Service', version: 'v1', create: true },
  { path: 'spec/selector', kind: 'ReplicationController', version: 'v1', create: true },
  { path: 'spec/selector/matchLabels', kind: 'Deployment', create: true },
  ...podSelectorPaths.map((path) => ({ path, kind: 'Deployment', group: 'apps' })),
  { path: 'spec/selector/matchLabels', kind: 'ReplicaSet', create: true },
  { path: 'spec/selector/matchLabels', kind: 'DaemonSet', create: true },
  { path: 'spec/selector/matchLabels', kind: 'StatefulSet', group: 'apps', create: true },
  ...podSelectorPaths.map((path) => ({ path, kind: 'StatefulSet', group: 'apps' })),
  { path: 'spec/selector/matchLabels', kind: 'Job', group: 'batch' },
  { path: 'spec/jobTemplate/spec/selector/matchLabels', kind: 'CronJob', group: 'batch' },
  { path: 'spec/selector/matchLabels', kind: 'PodDisruptionBudget', group: 'policy' },
  { path: 'spec/podSelector/matchLabels', kind: 'NetworkPolicy', group: 'networking.k8s.io' },
  { path: 'spec/ingress[]/from[]/podSelector/matchLabels', kind: 'NetworkPolicy', group: 'networking.k8s.io' },
  { path: 'spec/egress[]/to[]/podSelector/matchLabels', kind: 'NetworkPolicy', group: 'networking.k8s.io' },
];
export const COMMON_LABELS: FieldSpec[] = [...SELECTOR_LABELS, ...METADATA_LABELS, VOLUME_CLAIM_LABELS];
export const TEMPLATE_AND_METADATA_LABELS: FieldSpec[] = METADATA_LABELS;
export const ONLY_METADATA_LABELS: FieldSpec[] = [{ path: 'metadata/labels', create: true }];

export const COMMON_ANNOTATIONS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  ...TEMPLATE_LABELS.map((s) => ({ ...s, path: s.path.replace(/labels$/, 'annotations') })),
];

// in kustomize's order: its error message lists them
export const REPLICAS: FieldSpec[] = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'].map((kind) => ({
  path: 'spec/replicas',
  kind,
  create: true,
}));

/** Sets each key of `values` in the maps the specs name (a spec's map is made when `create`). */
export function setMapEntries(resources: Resource[], specs: FieldSpec[], values: Record<string, string>): void {
  // no entries: nothing is written, not even the empty maps `create` would make
  if (!Object.keys(values).length) return;
  for (const res of resources) {
    for (const spec of specs) {
      if (!specApplies(spec, res.obj)) continue;
      visitField(res.obj, spec.path, !!spec.create, (holder, field) => {
        if (holder[field] === undefined || holder[field] === null) {
          if (!spec.create) return;
          holder[field] = {};
        }
        const map = holder[field];
        if (typeof map !== 'object' || Array.isArray(map)) return;
        for (const [k, v] of Object.entries(values)) (map as Record<string, unknown>)[k] = String(v);
      });
    }
  }
}

/** Where `namespace:` writes besides metadata.namespace (kustomize's default namespace config). */
export const NAMESPACE: FieldSpec[] = [
  // only a v1 Namespace is renamed (removeUnneededMetaFieldSpecs)
  { path: 'metadata/name', kind: 'Namespace', version: 'v1' },
  { path: 'spec/service/namespace', group: 'apiregistration.k8s.io', kind: 'APIService', create: true },
  { path: 'spec/conversion/webhook/clientConfig/service/namespace', group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
];

export interface NamespaceOptions {
  /** only fields that are unset or empty get the namespace (SetEntryIfEmpty) */
  unsetOnly?: boolean;
  /** which (Cluster)RoleBinding subjects move into the namespace */
  setRoleBindingSubjects?: string;
}

/** setRoleBindingSubjects' values, in the order kustomize's error lists them */
export const SUBJECT_MODES = ['defaultOnly', 'none', 'allServiceAccounts'];

/**
 * kustomize's namespace transformer (api/filters/namespace): metadata.namespace of namespaced
 * objects, then the specs' fields, and (Cluster)RoleBinding subjects: those named "default"
 * (defaultOnly, the default), those of kind ServiceAccount (allServiceAccounts), or none.
 */
export function setNamespace(
  resources: Resource[],
  namespace: string,
  specs: FieldSpec[] = NAMESPACE,
  options: NamespaceOptions = {},
): void {
  const mode = options.setRoleBindingSubjects || 'defaultOnly';
  const set = (holder: Record<string, unknown>, field: string) => {
    if (!options.unsetOnly || holder[field] === undefined || holder[field] === null || holder[field] === '') holder[field] = namespace;
  };
  for (const res of resources) {
    const obj = res.obj;
    const kind = String(obj.kind);
    if (!isClusterScoped(kind)) set(obj.metadata as unknown as Record<string, unknown>, 'namespace');
    const isBinding = kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
    const { subjects } = topLevel(obj);
    if (isBinding && Array.isArray(subjects) && mode !== 'none') {
      for (const subject of subjects as Array<Record<string, unknown>>) {
        if (!subject || typeof subject !== 'object') continue;
        if (mode === 'defaultOnly' ? subject.name === 'default' : subject.kind === 'ServiceAccount') set(subject, 'namespace');
      }
    }
    for (const spec of specs) {
      if (spec.path === 'metadata/namespace' || (isBinding && spec.path === 'subjects/namespace') || !specApplies(spec, obj)) continue;
      if (spec.path === 'metadata/name') {
        if (obj.apiVersion === 'v1' && !options.unsetOnly) rename(res, namespace);
        continue;
      }
      visitField(obj, spec.path, !!spec.create, (holder, field) => {
        if (spec.create || (holder[field] !== undefined && holder[field] !== null)) set(holder, field);
      });
    }
  }
}

/** kinds whose names prefixes and suffixes leave alone */
const KEEP_NAME = new Set(['Namespace', 'CustomResourceDefinition', 'APIService']);

/** the field spec namePrefix and nameSuffix write (kustomize's default namePrefix config) */
export const NAME: FieldSpec[] = [{ path: 'metadata/name' }];

export function affixNames(resources: Resource[], prefix: string, suffix: string, specs: FieldSpec[] = NAME): void {
  for (const res of resources) {
    if (KEEP_NAME.has(String(res.obj.kind))) continue;
    if (!specs.some((spec) => spec.path === 'metadata/name' && specApplies(spec, res.obj))) continue;
    rename(res, `${prefix}${res.obj.metadata.name}${suffix}`);
  }
}

export function setReplicas(resources: Resource[], name: string, count: number, specs: FieldSpec[] = REPLICAS): void {
  let found = false;
  for (const res of resources) {
    if (!res.names.includes(name)) continue;
    for (const spec of specs) {
      if (!specApplies(spec, res.obj)) continue;
      found = true;
      visitField(res.obj, spec.path, !!spec.create, (holder, field) => (holder[field] = count));
    }
  }
  if (!found) {
    const kinds = specs.map((spec) => `${spec.kind || '[noKind]'}.${spec.version || '[noVer]'}.${spec.group || '[noGrp]'}`).join(' ');
    throw new CliError(`resource with name ${name} does not match a config with the following GVK [${kinds}]`);
  }
}

/**
 * The image fields kustomize's `images:` also rewrites by field spec after its walk over every
 * container list (v5.5's default images config): pod and pod-template containers are changed
 * twice, which only shows with a tagSuffix (appended twice, as kustomize does).
 */
export const IMAGES: FieldSpec[] = ['spec', 'spec/template/spec'].flatMap((podSpec) =>
  ['containers', 'initContainers'].map((list) => ({ path: `${podSpec}/${list}[]/image`, create: true })),
);

export interface ImageChange {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

/** Name, tag and digest of an image reference; a registry port is not a tag. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const from = slash > 0 ? slash : 0;
  const rest = image.slice(from);
  const at = rest.indexOf('@');
  const colon = rest.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) return { name: image.slice(0, from + at), tag: '', digest: image.slice(from + at + 1) };
  if (at >= 0 && colon >= 0)
    return { name: image.slice(0, from + colon), tag: image.slice(from + colon + 1, from + at), digest: image.slice(from + at + 1) };
  return { name: image.slice(0, from + colon), tag: image.slice(from + colon + 1), digest: '' };
}

function imageMatches(image: string, name: string): boolean {
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return false;
  }
  return pattern.test(image);
}

export function changeImage(image: string, change: ImageChange): string {
  if (!change.name || !imageMatches(image, change.name)) return image;
  let { name, tag, digest } = splitImage(image);
  if (change.newName) name = change.newName;
  if (change.newTag && change.digest) [tag, digest] = [change.newTag, change.digest];
  else if (change.newTag) [tag, digest] = [change.newTag, ''];
  else if (change.digest) [tag, digest] = ['', change.digest];
  else if (change.tagSuffix) [tag, digest] = [tag + change.tagSuffix, ''];
  return `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
}

/**
 * Every `containers` and `initContainers` list anywhere in the object, as kustomize's image
 * transformer finds them (its legacy filter), then the image fields the specs name.
 */
export function setImages(resources: Resource[], change: ImageChange, specs: FieldSpec[] = []): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      walk(value);
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
        for (const c of value as unknown[]) if (isJsonObject(c) && typeof c.image === 'string') c.image = changeImage(c.image, change);
      }
    }
  };
  for (const res of resources) {
    if (res.obj.kind !== 'CustomResourceDefinition') walk(res.obj as KObject);
    for (const spec of specs) {
      if (!specApplies(spec, res.obj)) continue;
      visitField(res.obj, spec.path, false, (holder, field) => {
        if (typeof holder[field] === 'string') holder[field] = changeImage(holder[field], change);
      });
    }
  }
}
