import type { FieldError } from '../../util/errors';
import type { KObject } from '../../model/objects';
import { isKind, type Lease, type Node } from '../../model/kinds';
import { fromRFC3339 } from '../../util/duration';
import { stableHex } from '../../util/hash';
import { registerKind } from './register';
import { type ServeContext } from '../registry';
import { ageColumn, nameColumn, validateMeta } from './common';
import { kubeletStoppedAt, nodeCondition } from './node';

/** Where kubelets keep their heartbeat Leases (one per node, named after it). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
/** The kubelet's lease: 40 s long (nodeLeaseDurationSeconds), renewed every 10 s (a quarter of it). */
export const NODE_LEASE_DURATION_SECONDS = 40;
export const NODE_LEASE_RENEW_MS = 10_000;

/** The last tick of a `period` clock started at `since`, at or before `until`. */
export function lastBeat(since: number, until: number, period: number): number {
  return until <= since ? since : since + Math.floor((until - since) / period) * period;
}

/**
 * When the node's kubelet last renewed its Lease. kubesim writes no heartbeats (at 5k nodes a
 * write per node every 10 s would dominate every command): the kubelet beats every 10 s from
 * its last recorded heartbeat (the Ready condition's) until now, or until it stopped.
 */
export function nodeLeaseRenewTime(node: Node, now: number): number | undefined {
  const start = fromRFC3339(nodeCondition(node, 'Ready')?.lastHeartbeatTime) || fromRFC3339(node.metadata.creationTimestamp);
  if (!start) return undefined;
  return lastBeat(start, Math.min(now, kubeletStoppedAt(node) ?? now), NODE_LEASE_RENEW_MS);
}

/** metav1.MicroTime as it serializes: RFC 3339 with microseconds. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The node whose kubelet holds this lease, when it is a node heartbeat lease. */
function heartbeatNode(lease: KObject<{ holderIdentity?: string }>, ctx: ServeContext): Node | undefined {
  if (lease.metadata.namespace !== NODE_LEASE_NAMESPACE) return undefined;
  const owner = lease.metadata.ownerReferences?.find((r) => r.kind === 'Node');
  const node = owner && ctx.store.get('Node', undefined, owner.name);
  return node && isKind(node, 'Node') && node.metadata.uid === owner.uid && lease.spec?.holderIdentity === node.metadata.name
    ? node
    : undefined;
}

/** A version-4-shaped uuid from a seed (stableHex), for objects derived from another. */
function uuidFrom(seed: string): string {
  const h = stableHex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The kubelet's Lease for a node (nodelease.newLease): owned by the node, so it goes with it. */
export function nodeLease(node: Node, now: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: node.metadata.name,
      namespace: NODE_LEASE_NAMESPACE,
      uid: uuidFrom(`${node.metadata.uid}/lease`),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name, uid: node.metadata.uid! }],
    },
    spec: {
      holderIdentity: node.metadata.name,
      leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS,
      renewTime: microTime(nodeLeaseRenewTime(node, now) ?? now),
    },
  };
}

/** Lease (coordination.k8s.io/v1): leader election and node heartbeats. */
registerKind('Lease', {
  columns: [nameColumn, { header: 'HOLDER', value: (o) => o.spec?.holderIdentity ?? '' }, ageColumn],
  defaults(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    const errs: FieldError[] = validateMeta(obj);
    const spec = obj.spec ?? {};
    const duration = spec.leaseDurationSeconds;
    if (duration !== undefined && duration !== null && !(duration > 0))
      errs.push({ path: 'spec.leaseDurationSeconds', type: 'Invalid value', value: duration, detail: 'must be greater than 0' });
    const transitions = spec.leaseTransitions;
    if (transitions !== undefined && transitions !== null && transitions < 0)
      errs.push({ path: 'spec.leaseTransitions', type: 'Invalid value', value: transitions, detail: 'must be greater than or equal to 0' });
    if (spec.preferredHolder && !spec.strategy)
      errs.push({ path: 'spec.preferredHolder', type: 'Forbidden', detail: 'may only be specified if `strategy` is defined' });
    return errs;
  },
  served(lease, ctx) {
    const node = heartbeatNode(lease, ctx);
    const renewed = node && nodeLeaseRenewTime(node, ctx.now);
    if (renewed === undefined) return lease;
    const renewTime = microTime(renewed);
    return renewTime === lease.spec?.renewTime ? lease : { ...lease, spec: { ...lease.spec, renewTime } };
  },
});
