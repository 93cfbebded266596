import { registerAdmissionPlugin } from '../admission';
import type { KObject, ObjectMeta } from '../../model/objects';
import { isKind } from '../../model/kinds';
import type { Container, EphemeralContainer, PodSpec, PodTemplateSpec } from '../../model/k8s';
import { addWarning } from '../warnings';
import { forbidden } from './forbidden';

/**
 * Pod Security admission (k8s.io/pod-security-admission) for the `baseline` and
 * `restricted` levels, driven by the namespace labels
 * `pod-security.kubernetes.io/{enforce,warn,audit}[-version]`.
 * Pods that fail the enforce level are refused; workload resources (Deployment,
 * ReplicaSet, …) are only warned about, their pods are refused when the controller
 * creates them. The `warn` level adds `Warning: would violate PodSecurity …`.
 */
const LABEL_PREFIX = 'pod-security.kubernetes.io/';
type Level = 'privileged' | 'baseline' | 'restricted';
const LEVELS: Level[] = ['privileged', 'baseline', 'restricted'];

interface CheckResult {
  reason: string;
  detail: string;
}

interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  /** baseline checks a restricted check replaces */
  overrides?: string;
  run(meta: Partial<ObjectMeta>, spec: CheckedSpec): CheckResult | undefined;
}

/** A pod spec as PSA reads it: a workload's template may leave any field out. */
type CheckedSpec = Partial<PodSpec>;

function containersOf(spec: CheckedSpec): (Container | EphemeralContainer)[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

function pluralize(one: string, many: string, n: number): string {
  return n === 1 ? one : many;
}

function joinQuote(items: string[]): string {
  return items.map((i) => `"${i}"`).join(', ');
}

function containerList(names: string[]): string {
  return `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** The checks, sorted by ID as policy.DefaultChecks() reports them. */
const CHECKS: Check[] = [
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    run(_m, spec) {
      const bad = containersOf(spec)
        .filter((c) => c.securityContext?.allowPrivilegeEscalation !== false)
        .map((c) => c.name);
      return bad.length
        ? {
            reason: 'allowPrivilegeEscalation != false',
            detail: `${containerList(bad)} must set securityContext.allowPrivilegeEscalation=false`,
          }
        : undefined;
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    run(_m, spec) {
      const badNames: string[] = [];
      const badCaps = new Set<string>();
      for (const c of containersOf(spec)) {
        const added = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
        if (added.length) {
          badNames.push(c.name);
          added.forEach((a) => badCaps.add(a));
        }
      }
      return badNames.length
        ? {
            reason: 'non-default capabilities',
            detail: `${containerList(badNames)} must not include ${joinQuote([...badCaps].sort())} in securityContext.capabilities.add`,
          }
        : undefined;
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    overrides: 'capabilities_baseline',
    run(_m, spec) {
      const noDrop: string[] = [];
      const badAdd: string[] = [];
      const badCaps = new Set<string>();
      for (const c of containersOf(spec)) {
        const caps = c.securityContext?.capabilities ?? {};
        if (!(caps.drop ?? []).includes('ALL')) noDrop.push(c.name);
        const added = (caps.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
        if (added.length) {
          badAdd.push(c.name);
          added.forEach((a) => badCaps.add(a));
        }
      }
      const details: string[] = [];
      if (noDrop.length) details.push(`${containerList(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (badAdd.length)
        details.push(`${containerList(badAdd)} must not include ${joinQuote([...badCaps].sort())} in securityContext.capabilities.add`);
      return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    run(_m, spec) {
      const bad = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => spec[f] === true).map((f) => `${f}=true`);
      return bad.length ? { reason: 'host namespaces', detail: bad.join(', ') } : undefined;
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    run(_m, spec) {
      const bad = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
      return bad.length
        ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)}` }
        : undefined;
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    run(_m, spec) {
      const names: string[] = [];
      const ports: string[] = [];
      for (const c of containersOf(spec)) {
        const used = (c.ports ?? []).filter((p) => p.hostPort).map((p) => String(p.hostPort));
        if (used.length) {
          names.push(c.name);
          ports.push(...used);
        }
      }
      if (!names.length) return undefined;
      return {
        reason: 'hostPort',
        detail: `${containerList(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('hostPort', 'hostPorts', ports.length)} ${ports.join(', ')}`,
      };
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    run(_m, spec) {
      const bad = containersOf(spec)
        .filter((c) => c.securityContext?.privileged === true)
        .map((c) => c.name);
      return bad.length
        ? { reason: 'privileged', detail: `${containerList(bad)} must not set securityContext.privileged=true` }
        : undefined;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: 'hostPathVolumes',
    run(_m, spec) {
      const bad: string[] = [];
      const types = new Set<string>();
      for (const v of spec.volumes ?? []) {
        const type = Object.keys(v).find((k) => k !== 'name');
        if (type && !RESTRICTED_VOLUME_TYPES.has(type)) {
          bad.push(v.name);
          types.add(type);
        }
      }
      if (!bad.length) return undefined;
      return {
        reason: 'restricted volume types',
        detail: `${pluralize('volume', 'volumes', bad.length)} ${joinQuote(bad)} ${pluralize('uses', 'use', bad.length)} restricted volume ${pluralize('type', 'types', types.size)} ${joinQuote([...types].sort())}`,
      };
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    run(_m, spec) {
      const setters: string[] = [];
      const podValue = spec.securityContext?.runAsNonRoot;
      if (podValue === false) setters.push('pod');
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containersOf(spec)) {
        const v = c.securityContext?.runAsNonRoot;
        if (v === false) explicit.push(c.name);
        else if (v === undefined && podValue !== true) implicit.push(c.name);
      }
      if (explicit.length) setters.push(containerList(explicit));
      if (setters.length)
        return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
      if (implicit.length)
        return { reason: 'runAsNonRoot != true', detail: `pod or ${containerList(implicit)} must set securityContext.runAsNonRoot=true` };
      return undefined;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    run(_m, spec) {
      const setters: string[] = [];
      if (spec.securityContext?.runAsUser === 0) setters.push('pod');
      const bad = containersOf(spec)
        .filter((c) => c.securityContext?.runAsUser === 0)
        .map((c) => c.name);
      if (bad.length) setters.push(containerList(bad));
      return setters.length ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : undefined;
    },
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    run(_m, spec) {
      const setters: string[] = [];
      if (spec.securityContext?.seccompProfile?.type === 'Unconfined') setters.push('pod');
      const bad = containersOf(spec)
        .filter((c) => c.securityContext?.seccompProfile?.type === 'Unconfined')
        .map((c) => c.name);
      if (bad.length) setters.push(containerList(bad));
      return setters.length
        ? { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"` }
        : undefined;
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    overrides: 'seccompProfile_baseline',
    run(_m, spec) {
      const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
      const podType = spec.securityContext?.seccompProfile?.type;
      const setters: string[] = [];
      if (podType !== undefined && !ok(podType)) setters.push('pod');
      const explicit: string[] = [];
      const implicit: string[] = [];
      for (const c of containersOf(spec)) {
        const t = c.securityContext?.seccompProfile?.type;
        if (t !== undefined && !ok(t)) explicit.push(c.name);
        else if (t === undefined && !ok(podType)) implicit.push(c.name);
      }
      if (explicit.length) setters.push(containerList(explicit));
      if (setters.length)
        return {
          reason: 'seccompProfile',
          detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote([...new Set([podType, ...containersOf(spec).map((c) => c.securityContext?.seccompProfile?.type)].filter((t) => t !== undefined && !ok(t)) as string[])])}`,
        };
      if (implicit.length)
        return {
          reason: 'seccompProfile',
          detail: `pod or ${containerList(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        };
      return undefined;
    },
  },
];

/** The pod template of a workload kind, as PSA's default PodSpecExtractor finds it. */
function podSpecOf(obj: KObject): { meta: Partial<ObjectMeta>; spec: CheckedSpec } | undefined {
  if (isKind(obj, 'Pod')) return { meta: obj.metadata, spec: obj.spec ?? {} };
  if (isKind(obj, 'CronJob')) return fromTemplate(obj.spec?.jobTemplate?.spec?.template);
  // a PodTemplate's template is top-level (DefaultPodSpecExtractor: extractPodSpecFromTemplate(&o.Template))
  if (isKind(obj, 'PodTemplate')) return fromTemplate(obj.template);
  if (TEMPLATED_KINDS.has(obj.kind)) return fromTemplate((obj as KObject<{ template?: PodTemplateSpec }>).spec?.template);
  return undefined;
}

/** The kinds whose spec.template is a pod template. */
const TEMPLATED_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

function fromTemplate(template: PodTemplateSpec | undefined): { meta: Partial<ObjectMeta>; spec: CheckedSpec } | undefined {
  return template ? { meta: template.metadata ?? {}, spec: template.spec ?? {} } : undefined;
}

/** `restricted:latest` violations in PSA's words, or undefined when the pod passes. */
export function evaluatePodSecurity(level: Level, meta: Partial<ObjectMeta>, spec: CheckedSpec): string | undefined {
  if (level === 'privileged') return undefined;
  const active = CHECKS.filter((c) => c.level === 'baseline' || level === 'restricted');
  const overridden = new Set(active.map((c) => c.overrides).filter(Boolean));
  const failures = active
    .filter((c) => !overridden.has(c.id))
    .map((c) => c.run(meta, spec))
    .filter((r): r is CheckResult => !!r);
  return failures.length ? failures.map((f) => `${f.reason} (${f.detail})`).join(', ') : undefined;
}

/** The levels a namespace's labels enforce and warn at (kubesim lint reads the input's Namespaces with it). */
export function podSecurityLevels(labels: Record<string, string>): {
  enforce?: { level: Level; version: string };
  warn?: { level: Level; version: string };
} {
  return { enforce: levelFor(labels, 'enforce'), warn: levelFor(labels, 'warn') };
}

function levelFor(labels: Record<string, string>, mode: 'enforce' | 'warn' | 'audit'): { level: Level; version: string } | undefined {
  const level = labels[`${LABEL_PREFIX}${mode}`] as Level | undefined;
  if (!level || !LEVELS.includes(level)) return undefined;
  return { level, version: labels[`${LABEL_PREFIX}${mode}-version`] || 'latest' };
}

registerAdmissionPlugin({
  name: 'PodSecurity',
  admit(ctx, info, obj, old, opts) {
    const target = podSpecOf(obj);
    if (!target || !obj.metadata.namespace) return;
    // updates that leave the pod spec alone are not re-evaluated (metadata, status)
    if (old && JSON.stringify(podSpecOf(old)) === JSON.stringify(target)) return;
    const ns = ctx.store.get('Namespace', undefined, obj.metadata.namespace);
    const labels = ns?.metadata.labels ?? {};
    const enforce = levelFor(labels, 'enforce');
    const warn = levelFor(labels, 'warn');
    if (enforce) {
      const violations = evaluatePodSecurity(enforce.level, target.meta, target.spec);
      if (violations) {
        if (info.kind === 'Pod') throw forbidden(info, obj, `violates PodSecurity "${enforce.level}:${enforce.version}": ${violations}`);
        if (!opts.trusted) addWarning(ctx.store, `would violate PodSecurity "${enforce.level}:${enforce.version}": ${violations}`);
      }
    }
    if (warn && !opts.trusted) {
      const violations = evaluatePodSecurity(warn.level, target.meta, target.spec);
      if (violations) addWarning(ctx.store, `would violate PodSecurity "${warn.level}:${warn.version}": ${violations}`);
    }
  },
  // a controller's pod is refused or let through on its spec, metadata and namespace labels alone
  // (no warnings: those go to a user's request); a pod that passed lets equal pods pass
  templatePods: { reads: ['Namespace'], same: () => true },
});
