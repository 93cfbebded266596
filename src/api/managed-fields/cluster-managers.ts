/**
 * The managedFields entries of the cluster's own writers, made when an object is shown
 * (get -o yaml --show-managed-fields) rather than on every write: the controllers and the
 * kubelet write status at every step of a pod's life, and at 150k pods recording field sets
 * on each of those writes would cost more than the rest of the write. What is shown is what a
 * cluster shows: the controller that created an object (kube-controller-manager,
 * endpointslice-controller.k8s.io) owning what it set, and the status writer (the kubelet for
 * pods and nodes, kube-scheduler for a pod it could not place, kube-controller-manager for the
 * workloads) owning status through the status subresource. Fields a stored entry owns stay
 * with it.
 */
import { orEmpty, type KObject } from '../../model/objects';
import { isKind } from '../../model/kinds';
import { kindInfo } from '../registry';
import { FieldSet, type Path } from './fieldset';
import { apiVersionOf, typeRefFor, type ManagedFieldsEntry } from './managed-fields';
import { compare } from './typed';

const KCM = 'kube-controller-manager';
const REVISION = 'deployment.kubernetes.io/revision';

/** Kinds whose status the controller manager keeps. */
const KCM_STATUS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'ReplicationController',
]);

/** Who wrote an object's status on a cluster, or undefined when no one does. */
function statusWriter(obj: KObject): string | undefined {
  if (isKind(obj, 'Pod')) {
    if (obj.spec?.nodeName) return 'kubelet';
    const conditions = obj.status?.conditions ?? [];
    return conditions.some((c) => c.type === 'PodScheduled' && c.status === 'False') ? 'kube-scheduler' : undefined;
  }
  if (obj.kind === 'Node') return 'kubelet';
  return KCM_STATUS.has(obj.kind) ? KCM : undefined;
}

/** Who created an object no user made: its controller, by its controller reference. */
function creator(obj: KObject): string | undefined {
  if (obj.kind === 'EndpointSlice') return 'endpointslice-controller.k8s.io';
  if (obj.kind === 'Node' || (obj.kind === 'Lease' && obj.metadata.namespace === 'kube-node-lease')) return 'kubelet';
  return obj.metadata.ownerReferences?.some((r) => r.controller) ? KCM : undefined;
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The last time found in a status (conditions' transitions, containers' starts): when its writer last wrote. */
function lastStatusTime(status: unknown, fallback: string): string {
  let latest = fallback;
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (RFC3339.test(v) && v > latest) latest = v;
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(status);
  return latest;
}

/** The object with its cluster writers' entries added to the stored ones. */
export function withClusterManagers(obj: KObject): KObject {
  const info = kindInfo(obj.kind);
  if (!info || !obj.metadata) return obj;
  const stored = ((obj.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? []) as ManagedFieldsEntry[];
  const owned = stored.reduce((s, e) => s.union(FieldSet.fromFieldsV1(e.fieldsV1)), new FieldSet());
  const ref = typeRefFor(info);
  const created = obj.metadata.creationTimestamp ?? '';
  const added: ManagedFieldsEntry[] = [];
  const entry = (manager: string, set: FieldSet, time: string, subresource?: string): ManagedFieldsEntry => ({
    manager,
    operation: 'Update',
    apiVersion: apiVersionOf(info),
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: set.toFieldsV1(),
    ...(subresource ? { subresource } : {}),
  });
  const madeBy = stored.length ? undefined : creator(obj);
  if (madeBy) {
    const { status: _s, ...rest } = obj;
    const { managedFields: _m, ...metadata } = obj.metadata as KObject['metadata'] & { managedFields?: unknown };
    const set = withoutAdmitted(obj, fieldsFromZero({ ...rest, metadata }, ref)).difference(owned);
    if (!set.empty()) added.push(entry(madeBy, set, created));
  }
  const writer = obj.status !== undefined ? statusWriter(obj) : undefined;
  if (writer) {
    let set = fieldsFromZero({ status: obj.status }, ref).onlyUnder(['f:status']).difference(owned);
    // the deployment controller's revision annotation goes with its status writes
    if (obj.kind === 'Deployment' && obj.metadata.annotations?.[REVISION]) {
      const annotations: Path = ['f:metadata', 'f:annotations'];
      if (!owned.hasUnder(annotations)) set.insert(annotations);
      set.insert([...annotations, `f:${REVISION}`]);
    }
    // a pod's PodScheduled=True comes with its binding, which records no manager
    if (writer === 'kubelet' && obj.kind === 'Pod') set = set.withoutPrefixes([['f:status', 'f:conditions', 'k:{"type":"PodScheduled"}']]);
    if (!set.empty()) added.push(entry(writer, set, lastStatusTime(obj.status, created), 'status'));
  }
  if (!added.length) return obj;
  const all = [...stored, ...added].sort(
    (a, b) => cmp(a.operation, b.operation) || cmp(a.time, b.time) || cmp(a.manager, b.manager) || cmp(a.apiVersion, b.apiVersion),
  );
  return { ...obj, metadata: { ...obj.metadata, managedFields: all } as KObject['metadata'] };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What the binding and admission (ServiceAccount, Priority, DefaultTolerationSeconds) add to a pod: no manager's. */
function withoutAdmitted(obj: KObject, set: FieldSet): FieldSet {
  if (!isKind(obj, 'Pod')) return set;
  const spec = orEmpty(obj.spec);
  const drop = [
    ['f:spec', 'f:nodeName'],
    ['f:spec', 'f:priority'],
    ['f:spec', 'f:preemptionPolicy'],
  ];
  if (spec.serviceAccountName === 'default') drop.push(['f:spec', 'f:serviceAccountName'], ['f:spec', 'f:serviceAccount']);
  const tolerations = spec.tolerations ?? [];
  if (tolerations.every((t) => t.tolerationSeconds === 300 && /^node\.kubernetes\.io\/(not-ready|unreachable)$/.test(t.key ?? '')))
    drop.push(['f:spec', 'f:tolerations']);
  return set.withoutPrefixes(drop);
}

const STRIPPED = ['f:apiVersion', 'f:kind'];
const STRIPPED_META = [
  'f:name',
  'f:namespace',
  'f:creationTimestamp',
  'f:uid',
  'f:resourceVersion',
  'f:generation',
  'f:deletionTimestamp',
  'f:deletionGracePeriodSeconds',
];

/** What an Update that created `value` owns: everything it added to the zero-valued object. */
function fieldsFromZero(value: unknown, ref: ReturnType<typeof typeRefFor>): FieldSet {
  const c = compare({}, value, ref);
  return c.added.union(c.modified).withoutPrefixes([...STRIPPED.map((f) => [f]), ...STRIPPED_META.map((f) => ['f:metadata', f])]);
}
