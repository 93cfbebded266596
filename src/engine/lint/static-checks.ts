import type { KObject } from '../../model/objects';
import type { Container, PodSpec, PodTemplateSpec, Probe } from '../../model/k8s';
import { lintCheck, type LintFinding, type LintObjectRef } from '../../model/lint';
import { fromLabelSelector, fromMatchLabels, matches, type LabelSelectorSpec, type Labels } from '../../api/labels';
import { evaluatePodSecurity, podSecurityLevels } from '../../api/admission/pod-security';
import { KNOB, knobNumber } from '../../sim/knobs';
import type { FieldPath, ObjectLocator } from '../../util/yaml-positions';

/** One object of the input, and where it came from. */
export interface LintInput {
  object: KObject;
  /** the file as the user named it (none for a kustomization build) */
  file?: string;
  locator?: ObjectLocator;
}

/** A finding before it is placed: the field it is about. */
interface Draft {
  check: string;
  input: LintInput;
  path: FieldPath;
  message: string;
  related?: LintObjectRef[];
}

/** A workload's pod template and the path to it (the pod spec is `[...path, 'spec']`). */
interface PodTemplateAt {
  input: LintInput;
  path: FieldPath;
  template: PodTemplateSpec;
  /** replicas the workload asks for (undefined: not a replicated kind) */
  replicas?: number;
}

/** Where each workload kind keeps its pod template (a Pod is its own). */
const TEMPLATE_PATHS: Record<string, FieldPath> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

const REPLICATED = new Set(['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet']);

function dig(obj: unknown, path: FieldPath): unknown {
  let node = obj;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}

export function objectRef(obj: KObject, defaultNamespace: string): LintObjectRef {
  const namespaced = obj.kind !== 'Namespace' && obj.kind !== 'Node' && obj.kind !== 'PersistentVolume' && !obj.kind.startsWith('Cluster');
  return {
    kind: obj.kind,
    name: obj.metadata?.name ?? '',
    ...(namespaced ? { namespace: obj.metadata?.namespace ?? defaultNamespace } : {}),
  };
}

function podTemplate(input: LintInput): PodTemplateAt | undefined {
  const obj = input.object;
  if (obj.kind === 'Pod') {
    const pod = obj as KObject<PodSpec>;
    return { input, path: [], template: { metadata: pod.metadata, spec: pod.spec } };
  }
  const path = TEMPLATE_PATHS[obj.kind];
  if (!path) return undefined;
  const template = dig(obj, path);
  if (!template || typeof template !== 'object') return undefined;
  const replicas = REPLICATED.has(obj.kind) ? ((dig(obj, ['spec', 'replicas']) as number | undefined) ?? 1) : undefined;
  return { input, path, template: template as PodTemplateSpec, replicas };
}

function containersOf(spec: PodSpec | undefined): { container: Container; path: FieldPath }[] {
  const out: { container: Container; path: FieldPath }[] = [];
  for (const field of ['initContainers', 'containers'] as const)
    (spec?.[field] ?? []).forEach((container, i) => {
      if (container && typeof container === 'object') out.push({ container, path: ['spec', field, i] });
    });
  return out;
}

/** `nginx`, `nginx:latest` (no tag or the moving tag) — a digest pins it whatever the tag says. */
function imageIsFloating(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return 'has no tag (it pulls :latest)';
  return lastSegment.slice(colon + 1) === 'latest' ? 'uses the :latest tag' : undefined;
}

/** initialDelaySeconds + periodSeconds × failureThreshold with v1.Probe's defaults (0, 10, 3). */
function probeBudget(probe: Probe): number {
  return (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

function selectorOf(spec: LabelSelectorSpec | undefined): ReturnType<typeof fromLabelSelector> {
  return fromLabelSelector(spec ?? null);
}

const namespaceOf = (input: LintInput, defaultNamespace: string) => input.object.metadata?.namespace ?? defaultNamespace;

/** The checks that read the manifests alone, in LINT_CHECKS order. */
export function staticFindings(inputs: LintInput[], defaultNamespace: string): LintFinding[] {
  const drafts: Draft[] = [];
  const templates = inputs.map(podTemplate).filter((t): t is PodTemplateAt => !!t);
  const ofKind = (kind: string) => inputs.filter((i) => i.object.kind === kind);
  const ref = (input: LintInput) => objectRef(input.object, defaultNamespace);
  const sameNamespace = (a: LintInput, b: LintInput) => namespaceOf(a, defaultNamespace) === namespaceOf(b, defaultNamespace);
  const services = ofKind('Service');
  // templates of pods something runs (a PodTemplate object is a template for others, not a workload)
  const running = templates.filter((t) => t.input.object.kind !== 'PodTemplate');
  const servedBy = (t: PodTemplateAt) =>
    services.filter((svc) => {
      const selector = dig(svc.object, ['spec', 'selector']) as Labels | undefined;
      return (
        !!selector &&
        Object.keys(selector).length > 0 &&
        sameNamespace(svc, t.input) &&
        matches(fromMatchLabels(selector), t.template.metadata?.labels)
      );
    });

  for (const t of running) {
    const containers = containersOf(t.template.spec);
    for (const { container, path } of containers) {
      const at = [...t.path, ...path];
      const requests = container.resources?.requests ?? {};
      const limits = container.resources?.limits ?? {};
      const noRequests = ['cpu', 'memory'].filter((r) => requests[r] === undefined && limits[r] === undefined);
      if (noRequests.length)
        drafts.push({
          check: 'missing-requests',
          input: t.input,
          path: [...at, 'resources'],
          message: `container "${container.name}" has no ${noRequests.join(' or ')} request`,
        });
      if (limits.memory === undefined)
        drafts.push({
          check: 'missing-limits',
          input: t.input,
          path: [...at, 'resources'],
          message: `container "${container.name}" has no memory limit`,
        });
      const image = typeof container.image === 'string' ? container.image : '';
      const floating = image ? imageIsFloating(image) : undefined;
      if (floating)
        drafts.push({
          check: 'latest-tag',
          input: t.input,
          path: [...at, 'image'],
          message: `image "${image}" of container "${container.name}" ${floating}`,
        });
      if (image.includes('@') && container.imagePullPolicy === 'Always')
        drafts.push({
          check: 'pull-always-digest',
          input: t.input,
          path: [...at, 'imagePullPolicy'],
          message: `container "${container.name}" pulls its digest-pinned image "${image}" on every start (imagePullPolicy: Always)`,
        });
      // the start-up time the pod declares (kubesim's knob, as the kubelet simulates it)
      const declared = knobNumber({ metadata: t.template.metadata ?? {} } as KObject, KNOB.startupSeconds);
      const liveness = container.livenessProbe;
      if (declared !== undefined && liveness && path[1] === 'containers') {
        const gate = container.startupProbe;
        const budget = probeBudget(gate ?? liveness);
        if (budget < declared)
          drafts.push({
            check: 'probe-restart-storm',
            input: t.input,
            path: [...at, gate ? 'startupProbe' : 'livenessProbe'],
            message: `container "${container.name}" starts in ${declared}s (${KNOB.startupSeconds}) but its ${gate ? 'startup' : 'liveness'} probe gives up after ${budget}s (initialDelaySeconds ${(gate ?? liveness).initialDelaySeconds ?? 0} + periodSeconds ${(gate ?? liveness).periodSeconds ?? 10} × failureThreshold ${(gate ?? liveness).failureThreshold ?? 3})`,
          });
      }
    }
    // probes on served Deployments
    if (t.input.object.kind === 'Deployment') {
      const served = servedBy(t);
      if (served.length)
        for (const { container, path } of containers.filter((c) => c.path[1] === 'containers')) {
          const missing = [!container.readinessProbe && 'readiness', !container.livenessProbe && 'liveness'].filter(Boolean);
          if (missing.length)
            drafts.push({
              check: 'missing-probes',
              input: t.input,
              path: [...t.path, ...path],
              message: `container "${container.name}" has no ${missing.join(' or ')} probe, and Service "${served[0].object.metadata.name}" sends it traffic`,
              related: served.map(ref),
            });
        }
      // a PVC shared by replicas
      const claims = (t.template.spec?.volumes ?? []).map((v, i) => ({ v, i })).filter(({ v }) => v?.persistentVolumeClaim);
      if ((t.replicas ?? 1) > 1)
        for (const { v, i } of claims)
          drafts.push({
            check: 'pvc-in-deployment',
            input: t.input,
            path: [...t.path, 'spec', 'volumes', i],
            message: `${t.replicas} replicas mount PersistentVolumeClaim "${v.persistentVolumeClaim!.claimName}" (volume "${v.name}")`,
            related: [
              {
                kind: 'PersistentVolumeClaim',
                name: v.persistentVolumeClaim!.claimName,
                namespace: namespaceOf(t.input, defaultNamespace),
              },
            ],
          });
    }
    // a PDB for every multi-replica workload
    if ((t.replicas ?? 0) > 1) {
      const pdbs = ofKind('PodDisruptionBudget').filter((p) => {
        const selector = selectorOf(dig(p.object, ['spec', 'selector']) as LabelSelectorSpec | undefined);
        return sameNamespace(p, t.input) && !!selector && selector.length > 0 && matches(selector, t.template.metadata?.labels);
      });
      if (!pdbs.length)
        drafts.push({
          check: 'missing-pdb',
          input: t.input,
          path: ['spec', 'replicas'],
          message: `${t.replicas} replicas and no PodDisruptionBudget in the input selects their pods`,
        });
    }
  }

  // Services whose selector matches no pod template
  for (const svc of services) {
    const selector = dig(svc.object, ['spec', 'selector']) as Labels | undefined;
    if (!selector || !Object.keys(selector).length) continue; // no selector: endpoints are managed by hand
    if (dig(svc.object, ['spec', 'type']) === 'ExternalName') continue;
    const sel = fromMatchLabels(selector);
    if (!running.some((t) => sameNamespace(svc, t.input) && matches(sel, t.template.metadata?.labels)))
      drafts.push({
        check: 'service-selector-mismatch',
        input: svc,
        path: ['spec', 'selector'],
        message: `selector ${Object.entries(selector)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')} matches no pod template in the input`,
      });
  }

  // Ingress and HTTPRoute backends
  const serviceNamed = (from: LintInput, name: string, namespace?: string) =>
    services.find(
      (s) => s.object.metadata.name === name && namespaceOf(s, defaultNamespace) === (namespace ?? namespaceOf(from, defaultNamespace)),
    );
  const checkBackend = (
    from: LintInput,
    path: FieldPath,
    name: string,
    port: { number?: number; name?: string } | undefined,
    namespace?: string,
  ) => {
    const svc = serviceNamed(from, name, namespace);
    const target = { kind: 'Service', name, namespace: namespace ?? namespaceOf(from, defaultNamespace) };
    if (!svc) {
      drafts.push({
        check: 'ingress-backend-missing',
        input: from,
        path,
        message: `backend Service "${name}" is not in the input`,
        related: [target],
      });
      return;
    }
    const ports = (dig(svc.object, ['spec', 'ports']) as { port?: number; name?: string }[] | undefined) ?? [];
    const wanted = port?.number ?? port?.name;
    if (wanted === undefined) return;
    if (!ports.some((p) => (port?.number !== undefined ? p.port === port.number : p.name === port?.name)))
      drafts.push({
        check: 'ingress-backend-missing',
        input: from,
        path,
        message: `backend Service "${name}" has no port ${typeof wanted === 'number' ? wanted : `named "${wanted}"`} (it has ${ports.map((p) => p.name ?? p.port).join(', ') || 'none'})`,
        related: [target],
      });
  };
  for (const ing of ofKind('Ingress')) {
    type Backend = { service?: { name?: string; port?: { number?: number; name?: string } } };
    const def = dig(ing.object, ['spec', 'defaultBackend']) as Backend | undefined;
    if (def?.service?.name) checkBackend(ing, ['spec', 'defaultBackend', 'service'], def.service.name, def.service.port);
    const rules = (dig(ing.object, ['spec', 'rules']) as { http?: { paths?: { backend?: Backend }[] } }[] | undefined) ?? [];
    rules.forEach((rule, r) =>
      (rule?.http?.paths ?? []).forEach((p, i) => {
        const svc = p?.backend?.service;
        if (svc?.name) checkBackend(ing, ['spec', 'rules', r, 'http', 'paths', i, 'backend', 'service'], svc.name, svc.port);
      }),
    );
  }
  for (const route of ofKind('HTTPRoute')) {
    type BackendRef = { name?: string; namespace?: string; port?: number; kind?: string; group?: string };
    const rules = (dig(route.object, ['spec', 'rules']) as { backendRefs?: BackendRef[] }[] | undefined) ?? [];
    rules.forEach((rule, r) =>
      (rule?.backendRefs ?? []).forEach((b, i) => {
        // Gateway API: kind defaults to Service in the core group
        if (!b?.name || (b.kind ?? 'Service') !== 'Service' || (b.group ?? '') !== '') return;
        checkBackend(
          route,
          ['spec', 'rules', r, 'backendRefs', i],
          b.name,
          b.port !== undefined ? { number: b.port } : undefined,
          b.namespace,
        );
      }),
    );
  }

  // Pod Security Standards, with the admission plugin's checks: the level the input's Namespace
  // enforces (refused: an error), or baseline when the input does not say (a warning)
  const namespaces = new Map(ofKind('Namespace').map((n) => [n.object.metadata.name, n.object.metadata.labels ?? {}]));
  for (const t of running) {
    const labels = namespaces.get(namespaceOf(t.input, defaultNamespace));
    const levels = labels ? podSecurityLevels(labels) : undefined;
    const level = levels?.enforce ?? levels?.warn ?? { level: 'baseline' as const, version: 'latest' };
    const violations = evaluatePodSecurity(level.level, t.template.metadata ?? {}, t.template.spec ?? {});
    if (violations)
      drafts.push({
        check: 'pod-security',
        input: t.input,
        path: [...t.path, 'spec'],
        message: `${levels?.enforce ? 'violates' : 'would violate'} PodSecurity "${level.level}:${level.version}": ${violations}`,
      });
  }

  return drafts.map((d) => place(d, defaultNamespace, d.check === 'pod-security' && !!namespaceEnforces(d, namespaces, defaultNamespace)));
}

function namespaceEnforces(d: Draft, namespaces: Map<string, Labels>, defaultNamespace: string): boolean {
  const labels = namespaces.get(namespaceOf(d.input, defaultNamespace));
  return !!(labels && podSecurityLevels(labels).enforce);
}

/** A draft with its check's severity (a refused object is an error) and its place in the file. */
function place(d: Draft, defaultNamespace: string, refused = false): LintFinding {
  const check = lintCheck(d.check);
  const pos = d.input.locator?.locate(d.path);
  return {
    check: d.check,
    severity: refused ? 'error' : check.severity,
    object: objectRef(d.input.object, defaultNamespace),
    message: d.message,
    ...(d.related ? { related: d.related } : {}),
    ...(d.input.file !== undefined ? { file: d.input.file } : {}),
    ...(pos ? { line: pos.line, column: pos.column } : {}),
  };
}
