import { isJsonObject, type KObject } from '../model/objects';
import { gvk, isClusterScoped, specApplies, visitField, type Resource } from './resource';
import type { NameReference } from './transformer-config';

/** Where a pod spec sits in each kind that has one. */
const POD_SPECS: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template/spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

const inContainers = (tail: string) => [`containers[]/${tail}`, `initContainers[]/${tail}`];

/** Fields inside a pod spec that name an object of a kind. */
const POD_SPEC_REFERENCES: Record<string, string[]> = {
  ConfigMap: [
    'volumes[]/configMap/name',
    'volumes[]/projected/sources[]/configMap/name',
    ...inContainers('env[]/valueFrom/configMapKeyRef/name'),
    ...inContainers('envFrom[]/configMapRef/name'),
  ],
  Secret: [
    'volumes[]/secret/secretName',
    'volumes[]/projected/sources[]/secret/name',
    ...inContainers('env[]/valueFrom/secretKeyRef/name'),
    ...inContainers('envFrom[]/secretRef/name'),
    'imagePullSecrets[]/name',
  ],
  PersistentVolumeClaim: ['volumes[]/persistentVolumeClaim/claimName'],
  ServiceAccount: ['serviceAccountName'],
  PriorityClass: ['priorityClassName'],
};

/** Other fields naming an object of a kind, by the kind that holds them. */
const OTHER_REFERENCES: Record<string, Record<string, string[]>> = {
  Secret: { Ingress: ['spec/tls[]/secretName'] },
  Service: {
    StatefulSet: ['spec/serviceName'],
    Ingress: ['spec/rules[]/http/paths[]/backend/service/name', 'spec/defaultBackend/service/name'],
  },
  StorageClass: {
    PersistentVolumeClaim: ['spec/storageClassName'],
    PersistentVolume: ['spec/storageClassName'],
    StatefulSet: ['spec/volumeClaimTemplates[]/spec/storageClassName'],
  },
  PersistentVolume: { PersistentVolumeClaim: ['spec/volumeName'] },
  IngressClass: { Ingress: ['spec/ingressClassName'] },
  Role: { RoleBinding: ['roleRef/name'] },
  ClusterRole: { RoleBinding: ['roleRef/name'], ClusterRoleBinding: ['roleRef/name'] },
};

/**
 * kustomize's roleRefFilter: a roleRef that says its apiGroup names one kind (Role or ClusterRole);
 * without an apiGroup kustomize cannot tell, and either kind's renamed object is taken.
 */
function roleRefAccepts(referrer: Record<string, unknown>, kind: string): boolean {
  const ref = isJsonObject(referrer.roleRef) ? referrer.roleRef : undefined;
  return !ref?.apiGroup || (ref.kind === kind && ref.apiGroup === 'rbac.authorization.k8s.io');
}

/**
 * A (Cluster)RoleBinding's subjects are matched to ServiceAccounts by name and, when the subject
 * has one, namespace (as first read, else as now); the subject takes the account's name and
 * namespace. Like kustomize's nameref (setMapping), this looks at every subject, whatever its kind.
 */
function fixSubjects(referrer: Record<string, unknown>, accounts: Resource[]): void {
  if (!Array.isArray(referrer.subjects)) return;
  for (const subject of referrer.subjects as unknown[]) {
    if (!isJsonObject(subject)) continue;
    const { name, namespace } = subject;
    if (typeof name !== 'string') continue;
    let candidates = accounts;
    if (typeof namespace === 'string') {
      const byOriginal = accounts.filter((a) => a.originalNamespace === namespace);
      candidates = byOriginal.length ? byOriginal : accounts.filter((a) => (a.obj.metadata.namespace || 'default') === namespace);
    }
    const found = candidates.filter((a) => a.names.includes(name));
    if (found.length !== 1) continue;
    const account = found[0].obj;
    if (account.metadata.name === name && !account.metadata.namespace) continue;
    subject.name = account.metadata.name;
    if (account.metadata.namespace) subject.namespace = account.metadata.namespace;
  }
}

/** the kinds an HPA's scaleTargetRef may name (its sibling `kind` says which) */
const SCALE_TARGETS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** Paths in `referrer` that name an object of kind `kind`. */
function referencePaths(kind: string, referrer: KObject, extra: NameReference[]): string[] {
  const holder = String(referrer.kind);
  const paths = [...(OTHER_REFERENCES[kind]?.[holder] ?? [])];
  for (const ref of extra)
    if (ref.kind === kind)
      for (const spec of ref.fieldSpecs) if (specApplies(spec, referrer) && !paths.includes(spec.path)) paths.push(spec.path);
  const podSpec = POD_SPECS[holder];
  if (podSpec) for (const p of POD_SPEC_REFERENCES[kind] ?? []) paths.push(`${podSpec}/${p}`);
  return paths;
}

const REFERENCED_KINDS = [...new Set([...Object.keys(POD_SPEC_REFERENCES), ...Object.keys(OTHER_REFERENCES), ...SCALE_TARGETS])];

/**
 * After names changed (prefix, suffix, hash), references still hold a name the object had:
 * each becomes the object's name now (also in the fields `configurations` name, `extra`). A namespaced object is only referred to from its namespace.
 */
export function fixNameReferences(resources: Resource[], extra: NameReference[] = []): void {
  const referenced = new Set([...REFERENCED_KINDS, ...extra.map((ref) => ref.kind)]);
  const byKind = new Map<string, Resource[]>();
  for (const res of resources) {
    const kind = String(res.obj.kind);
    if (!referenced.has(kind) || res.names.length < 2) continue;
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind)!.push(res);
  }
  // subjects take an account's namespace even when only the namespace changed
  const accounts = resources.filter((r) => r.obj.kind === 'ServiceAccount');
  if (!byKind.size && !accounts.length) return;
  const resolve = (kind: string, referrer: KObject, name: unknown): string | undefined => {
    if (typeof name !== 'string') return undefined;
    const namespace = referrer.metadata.namespace ?? '';
    const found = (byKind.get(kind) ?? []).filter(
      (r) => r.names.includes(name) && (isClusterScoped(kind) || (r.obj.metadata.namespace ?? '') === namespace),
    );
    return found.length === 1 ? found[0].obj.metadata.name : undefined;
  };
  for (const res of resources) {
    const referrer = res.obj;
    for (const kind of byKind.keys()) {
      for (const path of referencePaths(kind, referrer, extra)) {
        if (path === 'roleRef/name' && !roleRefAccepts(referrer, kind)) continue;
        visitField(referrer, path, false, (holder, field) => {
          const renamed = resolve(kind, referrer, holder[field]);
          if (renamed !== undefined) holder[field] = renamed;
        });
      }
    }
    if ((referrer.kind === 'RoleBinding' || referrer.kind === 'ClusterRoleBinding') && accounts.length) fixSubjects(referrer, accounts);
    if (gvk(referrer).kind === 'HorizontalPodAutoscaler') {
      // the user's HPA, not yet known to be valid: its spec read as unknown
      const { spec }: { spec?: unknown } = referrer;
      const ref = isJsonObject(spec) && isJsonObject(spec.scaleTargetRef) ? spec.scaleTargetRef : undefined;
      const targetKind = ref?.kind;
      if (ref && typeof targetKind === 'string' && SCALE_TARGETS.has(targetKind) && byKind.has(targetKind)) {
        const renamed = resolve(targetKind, referrer, ref.name);
        if (renamed !== undefined) ref.name = renamed;
      }
    }
  }
}
