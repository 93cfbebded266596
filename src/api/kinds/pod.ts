import type { FieldError } from '../../util/errors';
import { withExpandedRecord } from '../scheduling-annotations';
import { fromRFC3339 } from '../../util/duration';
import { registerKind } from './register';
import type { PrintContext } from '../registry';
import { isJsonObject, type JsonObject, type KObject } from '../../model/objects';
import type { PodCondition, PodSchedulingGate, PodSpec, PodStatus, ServicePort } from '../../model/k8s';
import type { Pod, PodLike } from '../../model/kinds';
import { ageColumn, nameColumn, orNone, validateMeta, validateResources, expectType, validateLabels, zeroValue } from './common';
import { isDns1123Label } from '../labels';
import { validateEphemeralContainers } from '../ephemeral-containers';
import { podPrintFacts, restartsText } from '../../store/pod-print';

/** podutil.FindPort: a numeric targetPort as is; a name looked up in the pod's container ports. */
export function resolveTargetPort(pod: PodLike, svcPort: Pick<ServicePort, 'port' | 'targetPort' | 'protocol'>): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(String(target))) return Number(target);
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (svcPort.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

/**
 * Pod spec defaults the API server applies wherever a PodSpec appears, pod templates included
 * (SetDefaults_PodSpec, SetDefaults_Container). What only Pods get is in the Pod kind's defaults.
 */
export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const volume of Array.isArray(spec.volumes) ? spec.volumes : []) {
    // SetDefaults_Volume: a volume with no source is an emptyDir
    if (
      volume &&
      typeof volume === 'object' &&
      Object.entries(volume).every(([key, value]) => key === 'name' || value === undefined || value === null)
    )
      volume.emptyDir = {};
    // SetDefaults_{ConfigMap,Secret,DownwardAPI,Projected}VolumeSource: 0644
    for (const kind of ['configMap', 'secret', 'downwardAPI', 'projected'] as const) {
      const source = volume?.[kind];
      if (source && typeof source === 'object') source.defaultMode ??= 0o644;
    }
  }
  // (SetDefaults_EphemeralContainer: an ephemeral container is defaulted as a container)
  for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers as PodSpec['containers'] | undefined]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!c || typeof c !== 'object') continue;
      c.imagePullPolicy ??= imagePullPolicyFor(c.image);
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      c.resources ??= {};
      // limits without requests: requests default to the limits
      if (c.resources.limits && typeof c.resources.limits === 'object') {
        c.resources.requests = { ...c.resources.limits, ...(c.resources.requests ?? {}) };
      }
      for (const p of c.ports ?? []) if (p && typeof p === 'object') p.protocol ??= 'TCP';
    }
  }
}

/** `:latest` or no tag → Always, otherwise IfNotPresent (a digest counts as a tag). */
export function imagePullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagAt = image.indexOf(':', lastSlash + 1);
  if (tagAt < 0) return 'Always';
  return image.slice(tagAt + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** core validation's fileModeErrorMsg: the API server allows file modes 0 to 0777 (511) */
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

/**
 * The file modes of configMap, secret, downwardAPI and projected volumes and their items
 * (validateConfigMapVolumeSource, validateSecretVolumeSource, validateKeyToPath,
 * validateDownwardAPIVolumeFile, validateProjectedVolumeSource).
 */
function validateVolumeFileModes(volumes: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const checkMode = (value: unknown, at: string) => {
    if (typeof value === 'number' && (value < 0 || value > 0o777))
      errs.push({ path: at, type: 'Invalid value', value, detail: FILE_MODE_ERROR });
  };
  const checkItems = (source: JsonObject, at: string) => {
    if (!Array.isArray(source.items)) return;
    source.items.forEach((item, i) => isJsonObject(item) && checkMode(item.mode, `${at}.items[${i}].mode`));
  };
  if (!Array.isArray(volumes)) return errs;
  volumes.forEach((volume: unknown, i: number) => {
    if (!isJsonObject(volume)) return;
    const at = `${path}[${i}]`;
    for (const kind of ['configMap', 'secret', 'downwardAPI'] as const) {
      const source = volume[kind];
      if (!isJsonObject(source)) continue;
      checkMode(source.defaultMode, `${at}.${kind}.defaultMode`);
      checkItems(source, `${at}.${kind}`);
    }
    const projected = volume.projected;
    if (!isJsonObject(projected)) return;
    checkMode(projected.defaultMode, `${at}.projected.defaultMode`);
    if (!Array.isArray(projected.sources)) return;
    projected.sources.forEach((source, j) => {
      if (!isJsonObject(source)) return;
      for (const kind of ['configMap', 'secret', 'downwardAPI'] as const) {
        const items = source[kind];
        if (isJsonObject(items)) checkItems(items, `${at}.projected.sources[${j}].${kind}`);
      }
    });
  });
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  if (!spec || typeof spec !== 'object') return [{ path: `${path}.containers`, type: 'Required value' }];
  // volumes are validated before containers (ValidatePodSpec)
  const errs: FieldError[] = validateVolumeFileModes(spec.volumes, `${path}.volumes`);
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    if (spec.containers !== undefined && !Array.isArray(spec.containers)) expectType(spec.containers, 'array', `${path}.containers`, errs);
    else errs.push({ path: `${path}.containers`, type: 'Required value' });
    return errs;
  }
  const names = new Set<string>();
  const checkContainers = (list: PodSpec['containers'], field: string) => {
    list.forEach((c, i) => {
      const p = `${path}.${field}[${i}]`;
      if (!c || typeof c !== 'object') {
        errs.push({ path: p, type: 'Invalid value', value: c, detail: 'must be an object' });
        return;
      }
      if (!c.name) errs.push({ path: `${p}.name`, type: 'Required value' });
      else if (typeof c.name !== 'string' || !isDns1123Label(c.name))
        errs.push({
          path: `${p}.name`,
          type: 'Invalid value',
          value: c.name,
          detail:
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        });
      else if (names.has(c.name)) errs.push({ path: `${p}.name`, type: 'Duplicate value', value: c.name });
      else names.add(c.name);
      if (!c.image) errs.push({ path: `${p}.image`, type: 'Required value' });
      else expectType(c.image, 'string', `${p}.image`, errs);
      (Array.isArray(c.ports) ? c.ports : []).forEach((port, j) => {
        const pp = `${p}.ports[${j}]`;
        if (
          typeof port.containerPort !== 'number' ||
          !Number.isInteger(port.containerPort) ||
          port.containerPort < 1 ||
          port.containerPort > 65535
        ) {
          if (port.containerPort === undefined) errs.push({ path: `${pp}.containerPort`, type: 'Required value' });
          else
            errs.push({
              path: `${pp}.containerPort`,
              type: 'Invalid value',
              value: port.containerPort,
              detail: 'must be between 1 and 65535, inclusive',
            });
        }
        if (port.protocol && !['TCP', 'UDP', 'SCTP'].includes(port.protocol))
          errs.push({
            path: `${pp}.protocol`,
            type: 'Unsupported value',
            value: port.protocol,
            detail: 'supported values: "SCTP", "TCP", "UDP"',
          });
      });
      validateResources(c.resources, `${p}.resources`, errs);
    });
  };
  checkContainers(spec.containers, 'containers');
  if (Array.isArray(spec.initContainers)) checkContainers(spec.initContainers, 'initContainers');
  if (spec.restartPolicy && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    errs.push({
      path: `${path}.restartPolicy`,
      type: 'Unsupported value',
      value: spec.restartPolicy,
      detail: 'supported values: "Always", "OnFailure", "Never"',
    });
  }
  if (spec.nodeSelector !== undefined) errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  return errs;
}

// ---- status helpers shared by printers, controllers and the kubelet ----
// (a pod is KObject<unknown, PodStatus>: a typed Pod and a not-yet-typed KObject both pass)

export function podCondition(pod: KObject<unknown, PodStatus>, type: string): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

export function isPodReady(pod: KObject<unknown, PodStatus>): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (podutil.IsPodAvailable). */
export function isPodAvailable(pod: KObject<unknown, PodStatus>, minReadySeconds: number, now: number): boolean {
  const c = podCondition(pod, 'Ready');
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  return fromRFC3339(c.lastTransitionTime) + minReadySeconds * 1000 <= now;
}

export function isPodTerminating(pod: KObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isPodTerminal(pod: KObject<unknown, PodStatus>): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** kubectl's printPod: READY, STATUS, RESTARTS exactly as `kubectl get pods` shows them. */
export function podStatusColumns(pod: PodLike, now: number): { ready: string; status: string; restarts: string } {
  const facts = podPrintFacts(pod);
  return { ready: facts.ready, status: facts.status, restarts: restartsText(facts, now) };
}

registerKind('Pod', {
  columns: [
    nameColumn,
    { header: 'READY', value: (o) => podPrintFacts(o).ready },
    { header: 'STATUS', value: (o) => podPrintFacts(o).status },
    { header: 'RESTARTS', value: (o, c: PrintContext) => restartsText(podPrintFacts(o), c.now) },
    ageColumn,
    { header: 'IP', wide: true, value: (o) => orNone(o.status?.podIP) },
    { header: 'NODE', wide: true, value: (o) => orNone(o.spec?.nodeName) },
    { header: 'NOMINATED NODE', wide: true, value: (o) => orNone(o.status?.nominatedNodeName) },
    {
      header: 'READINESS GATES',
      wide: true,
      value: (o) => podPrintFacts(o).gates,
    },
  ],
  defaults(obj) {
    obj.spec ??= zeroValue();
    defaultPodSpec(obj.spec);
    // SetDefaults_Pod and the Priority admission plugin: Pods only, never templates
    obj.spec.enableServiceLinks ??= true;
    obj.spec.preemptionPolicy ??= 'PreemptLowerPriority';
    const status = (obj.status ??= {});
    status.phase ??= 'Pending';
    status.qosClass ??= qosClass(obj);
    applySchedulingGatedCondition(obj);
  },
  validate(obj, old) {
    const errs = [...validateMeta(obj), ...validatePodSpec(obj.spec, 'spec'), ...validateEphemeralContainers(obj, old)];
    if (old) errs.push(...validateOnlyDeletedSchedulingGates(obj.spec?.schedulingGates, old.spec?.schedulingGates));
    if (old && old.spec?.nodeName && obj.spec?.nodeName !== old.spec.nodeName) {
      errs.push({
        path: 'spec',
        type: 'Forbidden',
        detail:
          'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      });
    }
    return errs;
  },
  // a recorded scheduling cycle is kept compact and served as kube-scheduler-simulator's annotations
  served: (obj) => withExpandedRecord(obj),
});

/**
 * The pod strategy's applySchedulingGatedCondition (PrepareForCreate): a pod created with
 * scheduling gates gets PodScheduled=False/SchedulingGated until the gates are removed and
 * the scheduler takes it. (Gates can only be removed, so a gated pod on update has it already.)
 */
function applySchedulingGatedCondition(pod: Pod): void {
  if (!Array.isArray(pod.spec.schedulingGates) || pod.spec.schedulingGates.length === 0) return;
  const conditions = ((pod.status ??= {}).conditions ??= []);
  if (conditions.some((c) => c.type === 'PodScheduled')) return;
  conditions.push({
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: null,
    reason: 'SchedulingGated',
    message: 'Scheduling is blocked due to non-empty scheduling gates',
  });
}

/** validateOnlyDeletedSchedulingGates: an update may remove scheduling gates, never add one. */
function validateOnlyDeletedSchedulingGates(
  gates: PodSchedulingGate[] | undefined,
  oldGates: PodSchedulingGate[] | undefined,
): FieldError[] {
  const before = new Set((oldGates ?? []).map((g) => g?.name));
  return (gates ?? []).flatMap((g, i) =>
    before.has(g?.name)
      ? []
      : [
          {
            path: `spec.schedulingGates[${i}].name`,
            type: 'Forbidden' as const,
            detail: `only deletion is allowed, but found new scheduling gate '${g?.name}'`,
          },
        ],
  );
}

/** v1.PodQOSClass: Guaranteed when every container has equal cpu+memory requests and limits. */
export function qosClass(pod: PodLike): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) anySet = true;
    for (const r of ['cpu', 'memory']) {
      if (lim[r] === undefined || (req[r] !== undefined && String(req[r]) !== String(lim[r]))) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
