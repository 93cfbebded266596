import { clone, type KObject, type StoredEvent } from '../../model/objects';
import type { Deployment, Node, Pod } from '../../model/kinds';
import { lintCheck, type LintFinding, type LintObjectRef } from '../../model/lint';
import type { ClusterShape } from '../../sim/cluster-shape';
import { makeNode, KUBELET_STOPPED } from '../../api/kinds/node';
import { createObject, updateObject } from '../../api/server';
import { checkEviction, apiErrorText } from '../../api/eviction';
import { resolveManifestKind } from '../../api/registry';
import { ApiError, CliError } from '../../util/errors';
import { toRFC3339 } from '../../util/duration';
import { fromLabelSelector, matches } from '../../api/labels';
import { resolveFenceposts } from '../../controllers/deployment';
import { oneMoreFits, workloadOf as capacityWorkload } from '../../scheduler/capacity';
import { nextActivation, parseCron } from '../../api/cron';
import { Session } from '../session';
import { waitInVirtualTime } from '../wait';
import { objectRef, type LintInput } from './static-checks';
import type { FieldPath } from '../../util/yaml-positions';

export interface SimulationOptions {
  shape: ClusterShape;
  /** the current cluster's nodes, copied onto the scratch cluster (else the shape's nodes) */
  nodes?: Node[];
  defaultNamespace: string;
}

const MINUTE = 60_000;
/** how long the manifests run before the cluster is read: pods start, PDBs and HPAs sync (HPA: every 15 s) */
const SETTLE_MS = MINUTE;
/** node-lifecycle: NotReady after 50 s, pods evicted after the 300 s not-ready toleration */
const ZONE_FAILURE_MS = 7 * MINUTE;
/** cron runs watched for an overlap, and the longest interval worth watching */
const CRON_RUNS = 3;
const CRON_HORIZON_MS = 6 * 60 * MINUTE;

/**
 * Controllers whose work no check reads (Service endpoints, load balancer addresses, API
 * priority and fairness, aggregated APIs and roles, certificates): the scratch cluster does not
 * run them, since every pass of the simulation would pay for them.
 */
const UNREAD_CONTROLLERS = [
  'endpointslice',
  'endpoints-cleanup',
  'service-lb',
  'ingress-status',
  'apiservice-availability',
  'apf-bootstrap-ensurer',
  'apf-configuration',
  'clusterrole-aggregation',
  'csrsigning',
];

/**
 * The checks only a run can make: the input applied to a scratch cluster in memory (the shape
 * of the current cluster or --cluster-shape, seeded), run in virtual time with the engine, the
 * scheduler and the controllers, then disturbed as a cluster's life would (a rolling update, a
 * node drain's evictions, a zone failure, cron runs). Each finding carries what proved it: the
 * event or the condition, as `kubectl describe` would show it.
 */
export function simulatedFindings(inputs: LintInput[], opts: SimulationOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  const byRef = new Map<string, LintInput>();
  const key = (kind: string, namespace: string | undefined, name: string) => `${kind}/${namespace ?? ''}/${name}`;
  for (const input of inputs) {
    const r = objectRef(input.object, opts.defaultNamespace);
    byRef.set(key(r.kind, r.namespace, r.name), input);
  }
  const finding: Report = (check, object, message, evidence, path, related) => {
    const input = byRef.get(key(object.kind, object.namespace, object.name));
    const pos = input?.locator?.locate(path);
    findings.push({
      check,
      severity: lintCheck(check).severity,
      object,
      message,
      ...(related?.length ? { related } : {}),
      ...(input?.file !== undefined ? { file: input.file } : {}),
      ...(pos ? { line: pos.line, column: pos.column } : {}),
      evidence,
    });
  };

  const shape = opts.nodes ? { ...opts.shape, nodes: 0 } : opts.shape;
  Session.scratch(shape, (s) => {
    s.engine.dropControllers(UNREAD_CONTROLLERS);
    if (opts.nodes) opts.nodes.forEach((n, i) => createObject(s.api, scratchNode(n, i, s.now), { trusted: true }));
    apply(s, inputs, opts.defaultNamespace, finding);
    s.advance(SETTLE_MS);
    const unschedulable = neverSchedulable(s, finding);
    pdbsBlockingDrains(s, inputs, opts.defaultNamespace, finding);
    inertHpas(s, inputs, opts.defaultNamespace, finding);
    // read: from here on PDB status and autoscaling would only change what the disturbances test
    s.engine.dropControllers(['disruption', 'horizontal-pod-autoscaler']);
    stalledRollouts(s, inputs, opts.defaultNamespace, unschedulable, finding);
    forbidOverlaps(s, inputs, opts.defaultNamespace, finding);
    zoneFailure(s, inputs, opts.defaultNamespace, unschedulable, finding);
  });
  return findings;
}

type Report = (
  check: string,
  object: LintObjectRef,
  message: string,
  evidence: string[],
  path: FieldPath,
  related?: LintObjectRef[],
) => void;

/** A node of the current cluster as a new, Ready node of the scratch one (its name, labels, taints and capacity). */
function scratchNode(node: Node, index: number, now: number): KObject {
  const capacity = node.status?.allocatable ?? node.status?.capacity ?? {};
  const fresh = makeNode(
    node.metadata.name,
    index,
    { cpu: capacity.cpu ?? '4', memory: capacity.memory ?? '16Gi', pods: Number(capacity.pods ?? 110), labels: node.metadata.labels ?? {} },
    now,
  );
  if (node.spec?.taints?.length) fresh.spec!.taints = node.spec.taints;
  if (node.spec?.unschedulable) fresh.spec!.unschedulable = true;
  return fresh;
}

/** kubectl apply of the input, Namespaces first; the API server's refusals are findings (an HPA's is an inert HPA). */
function apply(s: Session, inputs: LintInput[], defaultNamespace: string, report: Report): void {
  const ordered = [...inputs.filter((i) => i.object.kind === 'Namespace'), ...inputs.filter((i) => i.object.kind !== 'Namespace')];
  for (const input of ordered) {
    // a kind this cluster does not serve (a CRD's that is not in the input): nothing to run
    const info = resolveManifestKind(input.object.apiVersion, input.object.kind);
    if (!info) continue;
    const obj = clone(input.object);
    if (info.namespaced) {
      const namespace = obj.metadata.namespace ?? defaultNamespace;
      obj.metadata.namespace = namespace;
      if (!s.store.get('Namespace', undefined, namespace))
        createObject(s.api, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { trusted: true });
    }
    try {
      const existing = s.store.get(obj.kind, info.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
      if (existing) updateObject(s.api, appliedOver(existing, obj));
      else createObject(s.api, obj);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      const ref = objectRef(input.object, defaultNamespace);
      const text = e instanceof ApiError ? apiErrorText(e) : e.message;
      // the first field the API server names (`spec.ports[0].port`), where the finding points
      const field = e instanceof ApiError ? e.details?.causes[0]?.path : undefined;
      const path = field ? fieldPath(field) : ['spec'];
      if (input.object.kind === 'HorizontalPodAutoscaler')
        report('hpa-inert', ref, 'the API server refuses it, so it never runs', [`create: ${text}`], path);
      else report('api-rejected', ref, 'the API server refuses it', [`create: ${text}`], path);
    }
  }
  s.engine.settle();
}

/**
 * What `kubectl apply` makes of an object the cluster already has (the default Namespace, the
 * kubernetes Service): the input's fields over it, its labels and annotations added to the ones there.
 */
function appliedOver(existing: KObject, input: KObject): KObject {
  const next = { ...clone(existing), ...clone(input), status: existing.status } as KObject;
  next.metadata = {
    ...existing.metadata,
    labels: { ...existing.metadata.labels, ...input.metadata.labels },
    annotations: { ...existing.metadata.annotations, ...input.metadata.annotations },
  };
  return next;
}

/** `spec.ports[0].port` as ['spec', 'ports', 0, 'port']. */
function fieldPath(field: string): FieldPath {
  return field
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((step) => (/^\[\d+\]$/.test(step) ? Number(step.slice(1, -1)) : step.replace(/^\[|\]$/g, '')));
}

/** The workload a pod belongs to: its controller, and the Deployment above a ReplicaSet, or the Job's CronJob. */
function workloadOf(s: Session, obj: KObject): KObject {
  const owner = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
  if (!owner) return obj;
  const parent = s.store.get(owner.kind, obj.metadata.namespace, owner.name);
  return parent ? workloadOf(s, parent) : obj;
}

function eventLine(e: StoredEvent): string {
  const count = e.count > 1 ? ` (x${e.count})` : '';
  return `${e.type} ${e.reason} ${e.involved.kind.toLowerCase()}/${e.involved.name}${count}: ${e.message}`;
}

function lastEvent(s: Session, kind: string, namespace: string | undefined, name: string, reason: string): StoredEvent | undefined {
  return s
    .events({ kind, name, ...(namespace ? { namespace } : {}) })
    .filter((e) => e.reason === reason)
    .pop();
}

function pendingUnschedulable(s: Session): Pod[] {
  return s.store
    .list('Pod')
    .filter(
      (p) =>
        p.status?.phase === 'Pending' &&
        !p.spec?.nodeName &&
        (p.status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable'),
    ) as Pod[];
}

/** Where a workload's pod template's spec sits in its manifest. */
function podSpecPath(kind: string): FieldPath {
  if (kind === 'Pod') return ['spec'];
  if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return ['spec', 'template', 'spec'];
}

/** Pods still Pending after the run, with the scheduler's FailedScheduling; returns the workloads reported. */
function neverSchedulable(s: Session, report: Report): Set<string> {
  const byWorkload = new Map<string, { workload: KObject; pods: Pod[] }>();
  for (const pod of pendingUnschedulable(s)) {
    const workload = workloadOf(s, pod);
    const k = `${workload.kind}/${workload.metadata.namespace}/${workload.metadata.name}`;
    const entry = byWorkload.get(k) ?? { workload, pods: [] };
    entry.pods.push(pod);
    byWorkload.set(k, entry);
  }
  for (const { workload, pods } of byWorkload.values()) {
    const pod = pods[0];
    const event = lastEvent(s, 'Pod', pod.metadata.namespace, pod.metadata.name, 'FailedScheduling');
    const condition = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    report(
      'never-schedulable',
      { kind: workload.kind, name: workload.metadata.name, namespace: workload.metadata.namespace },
      `${pods.length} ${pods.length === 1 ? 'pod stays' : 'pods stay'} Pending: ${condition?.message ?? 'unschedulable'}`,
      event ? [eventLine(event)] : [`condition PodScheduled=False (Unschedulable): ${condition?.message ?? ''}`],
      podSpecPath(workload.kind),
    );
  }
  return new Set(byWorkload.keys());
}

/** A PDB that allows no disruption with every pod healthy: the eviction API refuses each eviction of a drain. */
function pdbsBlockingDrains(s: Session, inputs: LintInput[], defaultNamespace: string, report: Report): void {
  for (const input of inputs.filter((i) => i.object.kind === 'PodDisruptionBudget')) {
    const ref = objectRef(input.object, defaultNamespace);
    const pdb = s.store.get('PodDisruptionBudget', ref.namespace, ref.name);
    const status = pdb?.status;
    if (!pdb || !status || status.expectedPods <= 0) continue;
    if (status.currentHealthy < status.expectedPods || status.disruptionsAllowed > 0) continue;
    const selector = fromLabelSelector(pdb.spec?.selector ?? null);
    const pods = s.store
      .list('Pod', ref.namespace)
      .filter((p) => selector && matches(selector, p.metadata.labels) && p.status?.phase === 'Running');
    const pod = pods[0];
    if (!pod) continue;
    let refusal: string | undefined;
    try {
      checkEviction(s.api, pod.metadata.namespace!, pod.metadata.name);
    } catch (e) {
      if (e instanceof ApiError) refusal = apiErrorText(e);
      else throw e;
    }
    if (!refusal) continue;
    const condition = (status.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
    const field = pdb.spec?.minAvailable !== undefined ? 'minAvailable' : 'maxUnavailable';
    report(
      'pdb-blocks-drain',
      ref,
      `${status.currentHealthy} of ${status.expectedPods} pods healthy and ${status.desiredHealthy} required: no pod can be evicted, so no node running one can be drained`,
      [
        `status: disruptionsAllowed=0, currentHealthy=${status.currentHealthy}, desiredHealthy=${status.desiredHealthy}, expectedPods=${status.expectedPods}`,
        ...(condition ? [`condition DisruptionAllowed=${condition.status} (${condition.reason})`] : []),
        `eviction of pod/${pod.metadata.name}: ${refusal}`,
      ],
      ['spec', field],
      [...new Set(pods.map((p) => workloadOf(s, p)))].map((w) => ({
        kind: w.kind,
        name: w.metadata.name,
        namespace: w.metadata.namespace,
      })),
    );
  }
}

/** An HPA whose controller reports it cannot get the scale or compute a replica count. */
function inertHpas(s: Session, inputs: LintInput[], defaultNamespace: string, report: Report): void {
  for (const input of inputs.filter((i) => i.object.kind === 'HorizontalPodAutoscaler')) {
    const ref = objectRef(input.object, defaultNamespace);
    const hpa = s.store.get('HorizontalPodAutoscaler', ref.namespace, ref.name);
    if (!hpa) continue; // refused: reported when applied
    const conditions = hpa.status?.conditions ?? [];
    const failed = conditions.find((c) => (c.type === 'AbleToScale' || c.type === 'ScalingActive') && c.status === 'False');
    if (!failed) continue;
    const event = lastEvent(s, 'HorizontalPodAutoscaler', ref.namespace, ref.name, failed.reason ?? '');
    const target = hpa.spec?.scaleTargetRef;
    report(
      'hpa-inert',
      ref,
      `${failed.type}=False (${failed.reason}): ${failed.message ?? ''}`,
      [`condition ${failed.type}=False (${failed.reason}): ${failed.message ?? ''}`, ...(event ? [eventLine(event)] : [])],
      failed.reason === 'FailedGetScale' ? ['spec', 'scaleTargetRef'] : ['spec', 'metrics'],
      target ? [{ kind: target.kind, name: target.name, namespace: ref.namespace }] : undefined,
    );
  }
}

/**
 * The next rolling update of each Deployment that keeps every old pod (maxUnavailable 0) and
 * whose surge pod does not fit on the cluster as it runs: its template changes as `kubectl
 * rollout restart` changes it, and the rollout runs until it is done or past its progress deadline.
 */
function stalledRollouts(s: Session, inputs: LintInput[], defaultNamespace: string, skip: Set<string>, report: Report): void {
  const rolling: { ref: LintObjectRef; before: Deployment; replicas: number }[] = [];
  for (const input of inputs.filter((i) => i.object.kind === 'Deployment')) {
    const ref = objectRef(input.object, defaultNamespace);
    if (skip.has(`Deployment/${ref.namespace}/${ref.name}`)) continue;
    const d = s.store.get('Deployment', ref.namespace, ref.name);
    if (!d || d.spec?.paused || (d.spec?.strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') continue;
    const replicas = d.spec?.replicas ?? 1;
    if (replicas === 0 || resolveFenceposts(d).maxUnavailable !== 0) continue;
    if ((d.status?.availableReplicas ?? 0) < replicas) continue;
    // a surge pod that fits now frees its room again when an old pod goes: only one that does
    // not fit can stall the update, and only those updates are run (to their progress deadline)
    const surge = capacityWorkload(d);
    if (typeof surge === 'string' || oneMoreFits(s.store, surge) === undefined) continue;
    rolling.push({ ref, before: d, replicas });
  }
  if (!rolling.length) return;
  for (const { before } of rolling) {
    const next = clone(before);
    const template = next.spec!.template;
    template.metadata = {
      ...template.metadata,
      annotations: { ...template.metadata?.annotations, 'kubectl.kubernetes.io/restartedAt': toRFC3339(s.now) },
    };
    updateObject(s.api, next);
  }
  const current = (ref: LintObjectRef) => s.store.get('Deployment', ref.namespace, ref.name) as Deployment;
  const progressing = (ref: LintObjectRef) => (current(ref).status?.conditions ?? []).find((c) => c.type === 'Progressing');
  const settled = (ref: LintObjectRef, replicas: number) => {
    const st = current(ref).status;
    const done = (st?.updatedReplicas ?? 0) >= replicas && (st?.replicas ?? 0) === replicas && (st?.availableReplicas ?? 0) >= replicas;
    return done || progressing(ref)?.reason === 'ProgressDeadlineExceeded';
  };
  const deadlineMs = Math.max(...rolling.map(({ before }) => before.spec?.progressDeadlineSeconds ?? 600)) * 1000 + MINUTE;
  waitInVirtualTime(s.engine, () => rolling.every(({ ref, replicas }) => settled(ref, replicas)), deadlineMs);
  for (const { ref, before, replicas } of rolling) {
    const condition = progressing(ref);
    if (condition?.reason !== 'ProgressDeadlineExceeded') continue;
    const pending = pendingUnschedulable(s).find((p) => workloadOf(s, p).metadata.uid === before.metadata.uid);
    const event = pending && lastEvent(s, 'Pod', pending.metadata.namespace, pending.metadata.name, 'FailedScheduling');
    const { maxSurge } = resolveFenceposts(before);
    report(
      'rollout-stalls',
      ref,
      `a rolling update with maxUnavailable 0 and maxSurge ${maxSurge} never finishes: ${current(ref).status?.updatedReplicas ?? 0} of ${replicas} replicas updated`,
      [`condition Progressing=${condition.status} (${condition.reason}): ${condition.message ?? ''}`, ...(event ? [eventLine(event)] : [])],
      ['spec', 'strategy'],
    );
  }
}

/** A Forbid CronJob whose runs outlast its interval: the controller skips run after run (JobAlreadyActive). */
function forbidOverlaps(s: Session, inputs: LintInput[], defaultNamespace: string, report: Report): void {
  const cronJobs = inputs
    .filter((i) => i.object.kind === 'CronJob')
    .map((i) => objectRef(i.object, defaultNamespace))
    .map((ref) => ({ ref, cronJob: s.store.get('CronJob', ref.namespace, ref.name) }))
    .filter(({ cronJob }) => cronJob && cronJob.spec?.concurrencyPolicy === 'Forbid' && !cronJob.spec.suspend);
  if (!cronJobs.length) return;
  // long enough for CRON_RUNS runs of the slowest schedule (bounded: a daily job is not watched for days)
  let until = s.now;
  for (const { cronJob } of cronJobs) {
    let t = s.now;
    const schedule = parseCron(cronJob!.spec!.schedule);
    for (let i = 0; i <= CRON_RUNS; i++) t = nextActivation(schedule, t, cronJob!.spec!.timeZone ?? undefined) ?? t;
    until = Math.max(until, Math.min(t + MINUTE, s.now + CRON_HORIZON_MS));
  }
  s.advance(until - s.now);
  for (const { ref } of cronJobs) {
    const event = lastEvent(s, 'CronJob', ref.namespace, ref.name, 'JobAlreadyActive');
    if (!event || event.count < 2) continue;
    const cronJob = s.store.get('CronJob', ref.namespace, ref.name)!;
    const active = cronJob.status?.active ?? [];
    report(
      'cronjob-forbid-overlap',
      ref,
      `schedule "${cronJob.spec!.schedule}" starts runs before the last one ends: ${event.count} of its runs were skipped`,
      [eventLine(event), ...(active.length ? [`status.active: job/${active.map((a) => a.name).join(', job/')}`] : [])],
      ['spec', 'schedule'],
    );
  }
}

/**
 * A zone fails (every node's kubelet stops): the node lifecycle controller evicts its pods after
 * their not-ready toleration, and the replacements of workloads spread with DoNotSchedule on the
 * zone key stay Pending. The zone that fails is the first, in name order, that runs such pods.
 */
function zoneFailure(s: Session, inputs: LintInput[], defaultNamespace: string, skip: Set<string>, report: Report): void {
  const ZONE = 'topology.kubernetes.io/zone';
  const spread = inputs
    .map((i) => objectRef(i.object, defaultNamespace))
    .map((ref) => s.store.get(ref.kind, ref.namespace, ref.name))
    .filter((w): w is KObject => !!w && !skip.has(`${w.kind}/${w.metadata.namespace}/${w.metadata.name}`))
    .filter((w) => {
      const spec = (w.spec as { template?: { spec?: Pod['spec'] } } | undefined)?.template?.spec;
      return (spec?.topologySpreadConstraints ?? []).some((c) => c.topologyKey === ZONE && c.whenUnsatisfiable === 'DoNotSchedule');
    });
  if (!spread.length) return;
  const nodes = s.store.list('Node') as Node[];
  const zoneOf = (nodeName: string | undefined) => nodes.find((n) => n.metadata.name === nodeName)?.metadata.labels?.[ZONE];
  const uids = new Set(spread.map((w) => w.metadata.uid));
  const podsOfSpread = () => s.store.list('Pod').filter((p) => uids.has(workloadOf(s, p).metadata.uid));
  const zones = [
    ...new Set(
      podsOfSpread()
        .map((p) => zoneOf(p.spec?.nodeName))
        .filter((z): z is string => !!z),
    ),
  ].sort();
  const zone = zones[0];
  if (!zone || new Set(nodes.map((n) => n.metadata.labels?.[ZONE]).filter(Boolean)).size < 2) return;
  const failed = nodes.filter((n) => n.metadata.labels?.[ZONE] === zone);
  for (const node of failed) {
    const next = clone(node);
    next.metadata.annotations = { ...next.metadata.annotations, [KUBELET_STOPPED]: toRFC3339(s.now) };
    updateObject(s.api, next);
  }
  s.advance(ZONE_FAILURE_MS);
  const pending = pendingUnschedulable(s).filter((p) => uids.has(workloadOf(s, p).metadata.uid));
  const seen = new Set<string>();
  for (const pod of pending) {
    const w = workloadOf(s, pod);
    if (seen.has(w.metadata.uid!)) continue;
    seen.add(w.metadata.uid!);
    const count = pending.filter((p) => workloadOf(s, p).metadata.uid === w.metadata.uid).length;
    const event = lastEvent(s, 'Pod', pod.metadata.namespace, pod.metadata.name, 'FailedScheduling');
    report(
      'zone-failure-pending',
      { kind: w.kind, name: w.metadata.name, namespace: w.metadata.namespace },
      `when zone ${zone} fails (${failed.map((n) => `node/${n.metadata.name}`).join(', ')}), ${count} ${count === 1 ? 'replica stays' : 'replicas stay'} Pending`,
      [
        `zone ${zone} failed: ${failed.map((n) => n.metadata.name).join(', ')} NotReady, pods evicted`,
        ...(event ? [eventLine(event)] : []),
      ],
      [...podSpecPath(w.kind), 'topologySpreadConstraints'],
    );
  }
}
