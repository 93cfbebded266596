import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import { type AdmissionContext } from '../registry';
import { orEmpty, type KObject } from '../../model/objects';
import type { ServiceLike } from '../../model/kinds';
import { ageColumn, nameColumn, selectorColumn, validateMeta, isOneOf } from './common';
import { fromMatchLabels, selectorString } from '../labels';

const NODE_PORT_MIN = 30000;
const NODE_PORT_MAX = 32767;

function usedClusterIPs(ctx: AdmissionContext): Set<string> {
  const used = new Set<string>();
  for (const s of ctx.store.values('Service')) if (s.spec?.clusterIP && s.spec.clusterIP !== 'None') used.add(s.spec.clusterIP);
  return used;
}

function usedNodePorts(ctx: AdmissionContext, except?: KObject): Set<number> {
  const used = new Set<number>();
  for (const s of ctx.store.values('Service')) {
    if (except && s.metadata.uid === except.metadata.uid) continue;
    for (const p of s.spec?.ports ?? []) if (p.nodePort) used.add(p.nodePort);
  }
  return used;
}

/** Service CIDR 10.96.0.0/12 like kube-apiserver's default; picks a seeded free address. */
function allocateClusterIP(ctx: AdmissionContext): string {
  const used = usedClusterIPs(ctx);
  for (;;) {
    const offset = 10 + ctx.random.int((1 << 20) - 20);
    const ip = `10.${96 + (offset >>> 16)}.${(offset >>> 8) & 255}.${offset & 255}`;
    if (!used.has(ip)) return ip;
  }
}

function allocateNodePort(ctx: AdmissionContext, used: Set<number>): number {
  for (;;) {
    const port = NODE_PORT_MIN + ctx.random.int(NODE_PORT_MAX - NODE_PORT_MIN + 1);
    if (!used.has(port)) {
      used.add(port);
      return port;
    }
  }
}

export function servicePortsText(svc: ServiceLike): string {
  const ports = svc.spec?.ports ?? [];
  if (!ports.length) return '<none>';
  return ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export function serviceExternalIP(svc: ServiceLike): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  const external = svc.spec?.externalIPs ?? [];
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  if (type === 'LoadBalancer') {
    const ingress = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname);
    const all = [...ingress, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

registerKind('Service', {
  columns: [
    nameColumn,
    { header: 'TYPE', value: (o) => o.spec?.type ?? 'ClusterIP' },
    { header: 'CLUSTER-IP', value: (o) => (o.spec?.type === 'ExternalName' ? '<none>' : (o.spec?.clusterIP ?? '<none>')) },
    { header: 'EXTERNAL-IP', value: serviceExternalIP },
    { header: 'PORT(S)', value: servicePortsText },
    ageColumn,
    { ...selectorColumn, value: (o) => (o.spec?.selector ? selectorString(fromMatchLabels(o.spec.selector)) : '<none>') },
  ],
  defaults(obj, ctx) {
    const spec = (obj.spec ??= {});
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    // SetDefaults_Service: ClientIP affinity sticks for 3 hours unless told otherwise
    if (spec.sessionAffinity === 'ClientIP') spec.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
    if (spec.type === 'ExternalName') return;
    spec.internalTrafficPolicy ??= 'Cluster';
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    if (!Array.isArray(spec.ports)) return;
    for (const p of spec.ports) {
      if (!p || typeof p !== 'object') continue;
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
    if (!spec.clusterIP) {
      const existing = ctx.store.get('Service', obj.metadata.namespace, obj.metadata.name);
      spec.clusterIP = existing?.spec?.clusterIP ?? allocateClusterIP(ctx);
    }
    spec.clusterIPs = [spec.clusterIP];
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      const existing = ctx.store.get('Service', obj.metadata.namespace, obj.metadata.name);
      const used = usedNodePorts(ctx, existing);
      for (const p of spec.ports) {
        if (p && typeof p === 'object' && !p.nodePort) {
          const before = (existing?.spec?.ports ?? []).find((q) => q.port === p.port && q.protocol === p.protocol)?.nodePort;
          p.nodePort = before ?? allocateNodePort(ctx, used);
        }
      }
      spec.externalTrafficPolicy ??= 'Cluster';
    }
    obj.status ??= { loadBalancer: {} };
  },
  validate(obj, old, ctx) {
    const errs: FieldError[] = validateMeta(obj, { nameIsDns1035Label: true });
    const spec = orEmpty(obj.spec);
    if (!isOneOf(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], spec.type)) {
      errs.push({
        path: 'spec.type',
        type: 'Unsupported value',
        value: spec.type,
        detail: 'supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      });
    }
    if (spec.type === 'ExternalName') {
      if (!spec.externalName) errs.push({ path: 'spec.externalName', type: 'Required value' });
      return errs;
    }
    if (!Array.isArray(spec.ports) || spec.ports.length === 0) {
      if (spec.clusterIP !== 'None') errs.push({ path: 'spec.ports', type: 'Required value' });
      return errs;
    }
    const used = usedNodePorts(ctx, old);
    const ports = spec.ports;
    ports.forEach((p, i) => {
      const path = `spec.ports[${i}]`;
      if (ports.length > 1 && !p.name) errs.push({ path: `${path}.name`, type: 'Required value' });
      if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)
        errs.push({ path: `${path}.port`, type: 'Invalid value', value: p.port, detail: 'must be between 1 and 65535, inclusive' });
      if (p.nodePort !== undefined) {
        if (spec.type === 'ClusterIP')
          errs.push({ path: `${path}.nodePort`, type: 'Forbidden', detail: "may not be used when `type` is 'ClusterIP'" });
        else if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX)
          errs.push({
            path: `${path}.nodePort`,
            type: 'Invalid value',
            value: p.nodePort,
            detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`,
          });
        else if (used.has(p.nodePort) && !(old?.spec?.ports ?? []).some((q) => q.nodePort === p.nodePort))
          errs.push({ path: `${path}.nodePort`, type: 'Invalid value', value: p.nodePort, detail: 'provided port is already allocated' });
      }
    });
    return errs;
  },
});
