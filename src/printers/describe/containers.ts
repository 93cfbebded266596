import type { DescribeWriter } from '../describe';
import type { Pod } from '../../model/kinds';
import type * as t from '../../model/k8s';
import { canonicalQuantity, parseQuantityExact, quantityMilli, quantityValue } from '../../api/quantity-exact';
import { formatLabelSelector, goBool, rfc1123z } from './format';

/**
 * The container, volume and probe sections of describe.go, shared by the Pod describer
 * and DescribePodTemplate. `space` is describe.go's extra indent: '' for a pod, '  ' inside
 * a Pod Template (where container and volume names get one more space, as kubectl does).
 */

const SORT = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** describeContainers: one block per container; statuses only for a pod. */
export function describeContainers(
  w: DescribeWriter,
  label: string,
  containers: t.Container[] | undefined,
  statuses: t.ContainerStatus[] | undefined,
  pod: Pod | undefined,
  space: string,
): void {
  const list = containers ?? [];
  const byName = new Map<string, t.ContainerStatus>();
  for (const s of statuses ?? []) byName.set(s.name, s);
  w.write(0, `${space}${label}:${list.length ? '' : ' <none>'}\n`);
  for (const container of list) {
    const status = byName.get(container.name);
    describeContainerBasicInfo(w, container, status, space);
    describeContainerCommand(w, container);
    if (status) describeContainerState(w, status);
    describeResources(w, container.resources, 2);
    describeContainerProbes(w, container);
    if ((container.envFrom ?? []).length) describeContainerEnvFrom(w, container);
    describeContainerEnvVars(w, container, pod);
    describeContainerVolumes(w, container);
  }
}

function describeContainerBasicInfo(w: DescribeWriter, c: t.Container, status: t.ContainerStatus | undefined, space: string): void {
  w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports = c.ports ?? [];
  const named = (text: string, p: t.ContainerPort) => (p.name ? `${text} (${p.name})` : text);
  const portString = ports.map((p) => named(`${p.containerPort}/${p.protocol ?? 'TCP'}`, p)).join(', ');
  if (portString.includes(',')) w.write(2, `Ports:\t${portString}\n`);
  else w.write(2, `Port:\t${portString || '<none>'}\n`);
  const hostPortString = ports.map((p) => named(`${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`, p)).join(', ');
  if (hostPortString.includes(',')) w.write(2, `Host Ports:\t${hostPortString}\n`);
  else w.write(2, `Host Port:\t${hostPortString || '<none>'}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function describeContainerCommand(w: DescribeWriter, c: t.Container): void {
  for (const [title, items] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!Array.isArray(items) || !items.length) continue;
    w.write(2, `${title}:\n`);
    for (const item of items) for (const s of String(item).split('\n')) w.write(3, `${s}\n`);
  }
}

/** describeResources: Limits then Requests, resource names sorted. */
export function describeResources(w: DescribeWriter, resources: t.ResourceRequirements | undefined, level: number): void {
  if (!resources) return;
  for (const [title, list = {}] of [
    ['Limits', resources.limits],
    ['Requests', resources.requests],
  ] as const) {
    const names = Object.keys(list).sort(SORT);
    if (names.length) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${canonicalQuantity(list[name])}\n`);
  }
}

function describeContainerState(w: DescribeWriter, status: t.ContainerStatus): void {
  describeState(w, 'State', status.state ?? {});
  if (status.lastState?.terminated) describeState(w, 'Last State', status.lastState);
  w.write(2, `Ready:\t${goBool(status.ready)}\n`);
  w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function describeState(w: DescribeWriter, stateName: string, state: t.ContainerState): void {
  if (state.running) {
    w.write(2, `${stateName}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${stateName}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${stateName}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${stateName}:\tWaiting\n`);
}

function describeContainerProbes(w: DescribeWriter, c: t.Container): void {
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

/** net.JoinHostPort */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * DescribeProbe: `http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3`.
 * Unset fields read as the API server's probe defaults (SetDefaults_Probe, _HTTPGetAction).
 */
export function describeProbe(probe: t.Probe): string {
  const attrs = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 1}s period=${probe.periodSeconds ?? 10}s #success=${probe.successThreshold ?? 1} #failure=${probe.failureThreshold ?? 3}`;
  if (probe.exec) return `exec [${(probe.exec.command ?? []).join(' ')}] ${attrs}`;
  if (probe.httpGet) {
    const h = probe.httpGet;
    const port = h.port === undefined || h.port === null ? '' : String(h.port);
    const host = port ? joinHostPort(h.host ?? '', port) : (h.host ?? '');
    let path: string = h.path ?? '/';
    if (path && !path.startsWith('/') && host) path = `/${path}`;
    return `http-get ${String(h.scheme ?? 'HTTP').toLowerCase()}://${host}${path} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket ${probe.tcpSocket.host ?? ''}:${probe.tcpSocket.port ?? ''} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${probe.grpc.port} ${probe.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeContainerEnvFrom(w: DescribeWriter, c: t.Container): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    let from = '';
    let name = '';
    let optional = false;
    if (e.configMapRef) {
      from = 'ConfigMap';
      name = e.configMapRef.name ?? '';
      optional = e.configMapRef.optional === true;
    } else if (e.secretRef) {
      from = 'Secret';
      name = e.secretRef.name ?? '';
      optional = e.secretRef.optional === true;
    }
    if (!e.prefix) w.write(3, `${name}\t${from}\tOptional: ${optional}\n`);
    else w.write(3, `${name}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeContainerEnvVars(w: DescribeWriter, c: t.Container, pod: Pod | undefined): void {
  const env = c.env ?? [];
  w.write(2, `Environment:${env.length ? '' : '\t<none>'}\n`);
  for (const e of env) {
    if (!e.valueFrom) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
      continue;
    }
    const from = e.valueFrom;
    if (from.fieldRef) {
      // only a pod resolves field references; a template shows the reference alone
      const value = pod ? resolveFieldPath(pod, from.fieldRef.fieldPath ?? '') : '';
      w.write(3, `${e.name}:\t${value} (${from.fieldRef.apiVersion ?? 'v1'}:${from.fieldRef.fieldPath ?? ''})\n`);
    } else if (from.resourceFieldRef) {
      const resource: string = from.resourceFieldRef.resource ?? '';
      let value = containerResourceValue(resource, from.resourceFieldRef.divisor, c);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(
        3,
        `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${from.secretKeyRef.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      w.write(
        3,
        `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${from.configMapKeyRef.optional === true}\n`,
      );
    }
  }
}

/** fieldpath.ExtractFieldPathAsString for the paths the downward API allows in env. */
function resolveFieldPath(pod: Pod, path: string): string {
  const mapKey = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (mapKey) return pod.metadata[mapKey[1] as 'labels' | 'annotations']?.[mapKey[2]] ?? '';
  const ips = (list: { ip?: string }[] | undefined) => (list ?? []).map((i) => i.ip).join(',');
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.hostIPs':
      return ips(pod.status?.hostIPs);
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return ips(pod.status?.podIPs);
    default:
      return '';
  }
}

/** resource.ExtractContainerResourceValue: the value divided by the divisor, rounded up. */
function containerResourceValue(resource: string, divisor: unknown, c: t.Container): string {
  const [kind, name] = resource.split('.', 2);
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) return '';
  const quantity = parseQuantityExact(c.resources?.[kind]?.[name]);
  const by = parseQuantityExact((divisor as string | number | undefined) || '1');
  if (name === 'cpu') return String(Math.ceil(quantityMilli(quantity) / quantityMilli(by)));
  return String(Math.ceil(quantityValue(quantity) / quantityValue(by)));
}

function describeContainerVolumes(w: DescribeWriter, c: t.Container): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => SORT(a.mountPath ?? '', b.mountPath ?? ''));
  const none = mounts.length ? '' : '\t<none>';
  w.write(2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices = [...(c.volumeDevices ?? [])].sort((a, b) => SORT(a.devicePath ?? '', b.devicePath ?? ''));
  if (devices.length) {
    w.write(2, `Devices:${none}\n`);
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

/** describeVolumes with the printers for the volume sources kubesim users write. */
export function describeVolumes(w: DescribeWriter, volumes: t.Volume[] | undefined, space: string): void {
  const list = volumes ?? [];
  if (!list.length) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of list) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`);
    describeVolumeSource(w, v);
  }
}

function describeVolumeSource(w: DescribeWriter, v: t.Volume): void {
  const optional = (o: unknown) => String(o === true);
  const lines = (...rows: string[]) => w.write(2, `${rows.join('\n    ')}\n`);
  if (v.hostPath) {
    lines(
      'Type:\tHostPath (bare host directory volume)',
      `Path:\t${v.hostPath.path ?? ''}`,
      `HostPathType:\t${v.hostPath.type || '<none>'}`,
    );
  } else if (v.emptyDir) {
    const size =
      v.emptyDir.sizeLimit !== undefined && parseQuantityExact(v.emptyDir.sizeLimit).nano > 0n
        ? canonicalQuantity(v.emptyDir.sizeLimit)
        : '<unset>';
    lines(
      "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)",
      `Medium:\t${v.emptyDir.medium ?? ''}`,
      `SizeLimit:\t${size}`,
    );
  } else if (v.secret) {
    lines(
      'Type:\tSecret (a volume populated by a Secret)',
      `SecretName:\t${v.secret.secretName ?? ''}`,
      `Optional:\t${optional(v.secret.optional)}`,
    );
  } else if (v.configMap) {
    lines(
      'Type:\tConfigMap (a volume populated by a ConfigMap)',
      `Name:\t${v.configMap.name ?? ''}`,
      `Optional:\t${optional(v.configMap.optional)}`,
    );
  } else if (v.nfs) {
    lines(
      'Type:\tNFS (an NFS mount that lasts the lifetime of a pod)',
      `Server:\t${v.nfs.server ?? ''}`,
      `Path:\t${v.nfs.path ?? ''}`,
      `ReadOnly:\t${v.nfs.readOnly === true}`,
    );
  } else if (v.persistentVolumeClaim) {
    lines(
      'Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)',
      `ClaimName:\t${v.persistentVolumeClaim.claimName ?? ''}`,
      `ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}`,
    );
  } else if (v.downwardAPI) {
    w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
    for (const item of v.downwardAPI.items ?? []) {
      if (item.fieldRef) w.write(3, `${item.fieldRef.fieldPath} -> ${item.path}\n`);
      if (item.resourceFieldRef) w.write(3, `${item.resourceFieldRef.resource} -> ${item.path}\n`);
    }
  } else if (v.projected) {
    w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
    // kubectl v1.32 prints the optional pointers with %v: `<nil>` when unset
    const pointer = (o: unknown) => (o === undefined || o === null ? '<nil>' : String(o));
    for (const source of v.projected.sources ?? []) {
      if (source.secret) lines(`SecretName:\t${source.secret.name ?? ''}`, `SecretOptionalName:\t${pointer(source.secret.optional)}`);
      else if (source.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
      else if (source.configMap)
        lines(`ConfigMapName:\t${source.configMap.name ?? ''}`, `ConfigMapOptional:\t${pointer(source.configMap.optional)}`);
      else if (source.serviceAccountToken) w.write(2, `TokenExpirationSeconds:\t${source.serviceAccountToken.expirationSeconds ?? 3600}\n`);
    }
  } else if (v.csi) {
    lines(
      'Type:\tCSI (a Container Storage Interface (CSI) volume source)',
      `Driver:\t${v.csi.driver ?? ''}`,
      `FSType:\t${v.csi.fsType ?? ''}`,
      `ReadOnly:\t${v.csi.readOnly === true}`,
    );
    const attributes = v.csi.volumeAttributes ?? {};
    const keys = Object.keys(attributes).sort(SORT);
    if (!keys.length) w.write(2, 'VolumeAttributes:\t<none>\n');
    // describe.go writes each attribute with the level prefix again
    keys.forEach((k, i) => w.write(2, `${i === 0 ? 'VolumeAttributes:' : '    '}\t    ${k}=${attributes[k]}\n`));
  } else if (v.ephemeral) {
    w.write(2, 'Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n');
  } else w.write(1, '<unknown>\n');
}

/** describeTopologySpreadConstraints, sorted by topology key. */
export function describeTopologySpreadConstraints(
  w: DescribeWriter,
  constraints: t.TopologySpreadConstraint[] | undefined,
  space: string,
): void {
  const list = [...(constraints ?? [])].sort((a, b) => SORT(a.topologyKey ?? '', b.topologyKey ?? ''));
  list.forEach((c, i) => {
    const head = i === 0 ? `${space}Topology Spread Constraints:\t` : `${space}\t`;
    const selector = c.labelSelector ? ` for selector ${formatLabelSelector(c.labelSelector)}` : '';
    w.write(0, `${head}${c.topologyKey}:${c.whenUnsatisfiable ?? ''} when max skew ${c.maxSkew} is exceeded${selector}\n`);
  });
}
