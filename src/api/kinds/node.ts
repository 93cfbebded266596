import { registerKind } from '../registry';
import type { KObject } from '../../model/objects';
import { ageColumn, nameColumn, orNone, validateMeta } from './common';
import { makeNode } from '../../sim/cluster-shape';

export function nodeCondition(node: KObject, type: string): KObject | undefined {
  return (node.status?.conditions ?? []).find((c: KObject) => c.type === type);
}

export function isNodeReady(node: KObject): boolean {
  return nodeCondition(node, 'Ready')?.status === 'True';
}

/** kubectl's node STATUS: Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusText(node: KObject): string {
  const ready = nodeCondition(node, 'Ready');
  const parts = [!ready || ready.status === 'Unknown' ? (ready ? 'NotReady' : 'Unknown') : ready.status === 'True' ? 'Ready' : 'NotReady'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

export function nodeRoles(node: KObject): string {
  const roles: string[] = [];
  for (const [k, v] of Object.entries((node.metadata.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.push(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.push(v);
  }
  return roles.length ? roles.sort().join(',') : '<none>';
}

export function nodeAddress(node: KObject, type: string): string | undefined {
  return (node.status?.addresses ?? []).find((a: KObject) => a.type === type)?.address;
}

registerKind({
  kind: 'Node',
  group: '',
  version: 'v1',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  columns: [
    nameColumn,
    { header: 'STATUS', value: nodeStatusText },
    { header: 'ROLES', value: nodeRoles },
    ageColumn,
    { header: 'VERSION', value: (o) => o.status?.nodeInfo?.kubeletVersion ?? '' },
    { header: 'INTERNAL-IP', wide: true, value: (o) => orNone(nodeAddress(o, 'InternalIP')) },
    { header: 'EXTERNAL-IP', wide: true, value: (o) => orNone(nodeAddress(o, 'ExternalIP')) },
    { header: 'OS-IMAGE', wide: true, value: (o) => o.status?.nodeInfo?.osImage ?? '' },
    { header: 'KERNEL-VERSION', wide: true, value: (o) => o.status?.nodeInfo?.kernelVersion ?? '' },
    { header: 'CONTAINER-RUNTIME', wide: true, value: (o) => o.status?.nodeInfo?.containerRuntimeVersion ?? '' },
  ],
  defaults(obj, ctx) {
    obj.spec ??= {};
    obj.status ??= {};
    // a Node applied from a manifest registers like a kubelet would: defaults for what it omits
    if (!obj.status.allocatable || !obj.status.conditions || !obj.status.nodeInfo) {
      const index = ctx.store.count('Node');
      const cap = obj.status.capacity ?? obj.status.allocatable ?? {};
      const template = makeNode(
        obj.metadata.name,
        index,
        { cpu: cap.cpu ?? '4', memory: cap.memory ?? '16Gi', pods: Number(cap.pods ?? 110) },
        ctx.now,
      );
      obj.metadata.labels = { ...template.metadata.labels, ...(obj.metadata.labels ?? {}) };
      obj.spec = { ...template.spec, ...obj.spec };
      obj.status = {
        ...template.status,
        ...obj.status,
        allocatable: obj.status.allocatable ?? obj.status.capacity ?? template.status!.allocatable,
        capacity: obj.status.capacity ?? obj.status.allocatable ?? template.status!.capacity,
      };
    }
  },
  validate(obj) {
    return validateMeta(obj);
  },
  specFields: [],
});
