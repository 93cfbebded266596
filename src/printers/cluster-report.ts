import { intValue, milliValue } from '../api/quantity';
import type {
  ClusterSnapshot,
  ReportChart,
  ReportEvent,
  ReportModel,
  ReportNode,
  ReportPod,
  ReportWorkload,
  ResourceAmounts,
} from '../model/report';
import type { CoreEvent, DaemonSet, Deployment, HorizontalPodAutoscaler, Node, Pod, ReplicaSet, StatefulSet } from '../model/kinds';
import type { PodTemplateSpec } from '../model/k8s';

type ResourceList = NonNullable<Node['status']>['allocatable'];

/**
 * Builds the report model's parts from objects as the API serves them (JSON). The same code runs
 * in the dashboard (bundled into the page, on what its lists and watches deliver) and in
 * `kubesim report` / `traffic run --report` (on a session's objects), so a report and the live page
 * agree. It reads only what it shows, defensively: a watch may deliver any version of an object.
 */

export interface ClusterObjects {
  nodes: Node[];
  pods: Pod[];
  deployments: Deployment[];
  statefulSets: StatefulSet[];
  daemonSets: DaemonSet[];
  replicaSets: ReplicaSet[];
}

const ZONE_LABEL = 'topology.kubernetes.io/zone';

function amounts(list: ResourceList | undefined): ResourceAmounts {
  return { cpu: milliValue(list?.cpu), memory: intValue(list?.memory), pods: intValue(list?.pods) };
}

/** A pod's requests as the scheduler counts them: the sum of its containers', or an init container's if larger. */
function podRequests(pod: Pod): ResourceAmounts {
  const sum = { cpu: 0, memory: 0, pods: 1 };
  for (const c of pod.spec?.containers ?? []) {
    sum.cpu += milliValue(c.resources?.requests?.cpu);
    sum.memory += intValue(c.resources?.requests?.memory);
  }
  for (const c of pod.spec?.initContainers ?? []) {
    sum.cpu = Math.max(sum.cpu, milliValue(c.resources?.requests?.cpu));
    sum.memory = Math.max(sum.memory, intValue(c.resources?.requests?.memory));
  }
  return sum;
}

/** A pod that no longer holds its node's resources. */
const finished = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** The STATUS column of `kubectl get pods`, in short: a container's waiting or terminated reason, else the phase. */
function podStatus(pod: Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  let status = pod.status?.reason ?? pod.status?.phase ?? 'Pending';
  for (const c of pod.status?.containerStatuses ?? []) {
    const waiting = c.state?.waiting?.reason;
    const terminated = c.state?.terminated?.reason;
    if (waiting) status = waiting;
    else if (terminated && status === 'Running') status = terminated;
  }
  if (status === 'Pending' && pod.spec?.nodeName) status = 'ContainerCreating';
  return status;
}

function podReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function nodeOf(node: Node, pods: Pod[]): ReportNode {
  const requested = { cpu: 0, memory: 0, pods: 0 };
  for (const p of pods) {
    if (p.spec?.nodeName !== node.metadata.name || finished(p)) continue;
    const r = podRequests(p);
    requested.cpu += r.cpu;
    requested.memory += r.memory;
    requested.pods += 1;
  }
  const taints = (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`);
  const out: ReportNode = {
    name: node.metadata.name,
    ready: (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: !!node.spec?.unschedulable,
    taints,
    allocatable: amounts(node.status?.allocatable ?? node.status?.capacity),
    requested,
  };
  const zone = node.metadata.labels?.[ZONE_LABEL];
  if (zone) out.zone = zone;
  return out;
}

function podOf(pod: Pod): ReportPod {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  const labels = pod.metadata.labels ?? {};
  const out: ReportPod = {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    phase: pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending'),
    ready: podReady(pod),
    status: podStatus(pod),
  };
  if (pod.spec?.nodeName) out.node = pod.spec.nodeName;
  if (owner) out.owner = `${owner.kind}/${owner.name}`;
  const revision = labels['pod-template-hash'] ?? labels['controller-revision-hash'];
  if (revision) out.revision = revision;
  return out;
}

const byName = (a: { namespace?: string; name: string }, b: { namespace?: string; name: string }) =>
  `${a.namespace ?? ''}/${a.name}`.localeCompare(`${b.namespace ?? ''}/${b.name}`);

function images(template: PodTemplateSpec | undefined): string[] {
  return (template?.spec?.containers ?? []).map((c) => String(c.image));
}

/** A Deployment's or StatefulSet's row: spec.replicas and the replica counts of its status. */
function replicatedWorkload(kind: string, w: Deployment | StatefulSet, revision: string | undefined): ReportWorkload {
  const out: ReportWorkload = {
    kind,
    namespace: w.metadata.namespace ?? 'default',
    name: w.metadata.name,
    desired: w.spec?.replicas ?? 1,
    updated: w.status?.updatedReplicas ?? 0,
    ready: w.status?.readyReplicas ?? 0,
    available: w.status?.availableReplicas ?? 0,
    images: images(w.spec?.template),
  };
  if (revision) out.revision = revision;
  return out;
}

/** Workloads with their rollout progress: a Deployment's current revision is its newest ReplicaSet's hash. */
function workloadsOf(objs: ClusterObjects): ReportWorkload[] {
  const out: ReportWorkload[] = [];
  for (const d of objs.deployments) {
    const owned = objs.replicaSets.filter(
      (rs) =>
        rs.metadata.namespace === d.metadata.namespace &&
        (rs.metadata.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.uid === d.metadata.uid),
    );
    const newest = owned
      .slice()
      .sort(
        (a, b) =>
          Number(b.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) -
          Number(a.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
      )[0];
    out.push(replicatedWorkload('Deployment', d, newest?.metadata.labels?.['pod-template-hash']));
  }
  for (const s of objs.statefulSets) {
    const revision = s.status?.updateRevision ? String(s.status.updateRevision).slice(s.metadata.name.length + 1) : undefined;
    out.push(replicatedWorkload('StatefulSet', s, revision));
  }
  for (const ds of objs.daemonSets) {
    out.push({
      kind: 'DaemonSet',
      namespace: ds.metadata.namespace ?? 'default',
      name: ds.metadata.name,
      desired: ds.status?.desiredNumberScheduled ?? 0,
      updated: ds.status?.updatedNumberScheduled ?? 0,
      ready: ds.status?.numberReady ?? 0,
      available: ds.status?.numberAvailable ?? 0,
      images: images(ds.spec?.template),
    });
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || byName(a, b));
}

/** The cluster at `time`: nodes by name, pods by namespace and name, workloads by kind and name. */
export function clusterSnapshot(objs: ClusterObjects, time: number): ClusterSnapshot {
  return {
    time,
    nodes: objs.nodes.map((n) => nodeOf(n, objs.pods)).sort(byName),
    pods: objs.pods.map(podOf).sort(byName),
    workloads: workloadsOf(objs),
  };
}

/** RFC 3339 on the wire → virtual ms (`offset`: what serve moved timestamps by, wall − virtual). */
function timeOf(text: unknown, offset: number): number | undefined {
  if (typeof text !== 'string' || !text) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t - offset;
}

/** core/v1 Events as the timeline's entries, oldest first. */
export function reportEvents(events: CoreEvent[], offset = 0): ReportEvent[] {
  const out: ReportEvent[] = [];
  for (const e of events) {
    const time = timeOf(e.lastTimestamp, offset) ?? timeOf(e.eventTime, offset) ?? timeOf(e.metadata?.creationTimestamp, offset);
    if (time === undefined) continue;
    const ev: ReportEvent = {
      time,
      type: e.type ?? 'Normal',
      reason: e.reason ?? '',
      object: `${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''}`,
      message: e.message ?? '',
      count: e.count ?? 1,
    };
    if (e.involvedObject?.namespace) ev.namespace = e.involvedObject.namespace;
    out.push(ev);
  }
  // stable: events of one instant keep the order they were listed in (the recording order)
  return out
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
    .map(({ e }) => e);
}

/** The deployment controller's words (pkg/controller/deployment/sync.go scaleReplicaSet): "Scaled up replica set %s from %d to %d". */
const SCALED = /^Scaled (?:up|down) replica set (\S+) from (\d+) to (\d+)$/;
/** The HPA's (pkg/controller/podautoscaler/horizontal.go): "New size: %d; reason: %s". */
const RESCALED = /^New size: (\d+);/;

/** A step chart: each series keeps its last value until its next point. */
function stepChart(title: string, points: Map<string, { time: number; value: number; before?: number }[]>): ReportChart | undefined {
  if (!points.size) return undefined;
  const x = [...new Set([...points.values()].flatMap((ps) => ps.map((p) => p.time)))].sort((a, b) => a - b);
  const series = [...points.keys()].sort().map((label) => {
    const ps = points.get(label)!;
    let i = 0;
    let value: number | null = ps[0].before ?? null;
    const values = x.map((t) => {
      while (i < ps.length && ps[i].time <= t) value = ps[i++].value;
      return value;
    });
    return { label, values };
  });
  return { title, x, series };
}

/**
 * Charts the events themselves tell: each ReplicaSet's replicas over time (ScalingReplicaSet), each
 * HorizontalPodAutoscaler's size (SuccessfulRescale). Aggregated events keep only their last
 * occurrence, as `kubectl get events` does.
 */
export function eventCharts(events: ReportEvent[]): ReportChart[] {
  const replicas = new Map<string, { time: number; value: number; before?: number }[]>();
  const hpa = new Map<string, { time: number; value: number }[]>();
  for (const e of events) {
    const scaled = e.reason === 'ScalingReplicaSet' && SCALED.exec(e.message);
    if (scaled) {
      const list = replicas.get(scaled[1]) ?? [];
      list.push({ time: e.time, value: Number(scaled[3]), before: Number(scaled[2]) });
      replicas.set(scaled[1], list);
    }
    const rescaled = e.reason === 'SuccessfulRescale' && RESCALED.exec(e.message);
    if (rescaled) {
      const name = e.object.replace(/^[^/]*\//, '');
      const list = hpa.get(name) ?? [];
      list.push({ time: e.time, value: Number(rescaled[1]) });
      hpa.set(name, list);
    }
  }
  return [stepChart('Replicas by ReplicaSet', replicas), stepChart('HorizontalPodAutoscaler size', hpa)].filter(
    (c): c is ReportChart => !!c,
  );
}

/** A report of the cluster as it is now (one snapshot), its events and the charts they tell, plus any given. */
export function reportModel(input: {
  title: string;
  now: number;
  objects: ClusterObjects;
  events: CoreEvent[];
  charts?: ReportChart[];
  summary?: string[];
  /** earlier snapshots (a traffic run's), oldest first */
  earlier?: ClusterSnapshot[];
}): ReportModel {
  const events = reportEvents(input.events);
  const model: ReportModel = {
    title: input.title,
    now: input.now,
    snapshots: [...(input.earlier ?? []), clusterSnapshot(input.objects, input.now)],
    events,
    charts: [...(input.charts ?? []), ...eventCharts(events)],
  };
  if (input.summary) model.summary = input.summary;
  return model;
}

// ---- HorizontalPodAutoscalers and traffic, live ------------------------------------------------

/** One HPA's status at an instant: what the dashboard samples each time it reads the HPAs. */
export interface HpaSample {
  time: number;
  /** namespace/name */
  hpa: string;
  current: number;
  desired: number;
  /** each metric of the spec: its current value (null before the controller measured it) and its target */
  metrics: { label: string; current: number | null; target: number }[];
}

type MetricTargetLike = { averageUtilization?: number; averageValue?: string; value?: string };
type MetricSourceLike = { name?: string; metric?: { name?: string }; target?: MetricTargetLike; current?: MetricTargetLike };

/** The metric's source by its type (`Resource` → `resource`, `ContainerResource` → `containerResource`, …). */
function metricSource(m: Record<string, unknown> & { type: string }): MetricSourceLike | undefined {
  return m[m.type.charAt(0).toLowerCase() + m.type.slice(1)] as MetricSourceLike | undefined;
}

/** what the target compares (`kubectl get hpa`'s TARGETS: a utilization in %, else the value) */
function targetValue(t: MetricTargetLike | undefined): { value: number; unit: string } | undefined {
  if (!t) return undefined;
  if (t.averageUtilization !== undefined) return { value: t.averageUtilization, unit: '%' };
  if (t.averageValue !== undefined) return { value: milliValue(t.averageValue) / 1000, unit: '' };
  if (t.value !== undefined) return { value: milliValue(t.value) / 1000, unit: '' };
  return undefined;
}

/** An HPA's status as a sample: current/desired replicas, and each spec metric against its target. */
export function hpaSample(hpa: HorizontalPodAutoscaler, time: number): HpaSample {
  const current = (hpa.status?.currentMetrics ?? []) as (Record<string, unknown> & { type: string })[];
  const metrics: HpaSample['metrics'] = [];
  for (const spec of (hpa.spec?.metrics ?? []) as (Record<string, unknown> & { type: string })[]) {
    const src = metricSource(spec);
    const target = targetValue(src?.target);
    if (!src || !target) continue;
    const name = src.name ?? src.metric?.name ?? spec.type;
    // the status of the same metric: same type and name (the controller writes them in the spec's order)
    const status = current.find((c) => c.type === spec.type && (metricSource(c)?.name ?? metricSource(c)?.metric?.name ?? c.type) === name);
    const cur = metricSource(status ?? { type: spec.type });
    const got =
      target.unit === '%'
        ? cur?.current?.averageUtilization
        : cur?.current?.averageValue !== undefined
          ? milliValue(cur.current.averageValue) / 1000
          : cur?.current?.value !== undefined
            ? milliValue(cur.current.value) / 1000
            : undefined;
    metrics.push({ label: `${name}${target.unit ? ` (${target.unit})` : ''}`, current: got ?? null, target: target.value });
  }
  return {
    time,
    hpa: `${hpa.metadata.namespace ?? 'default'}/${hpa.metadata.name}`,
    current: hpa.status?.currentReplicas ?? 0,
    desired: hpa.status?.desiredReplicas ?? 0,
    metrics,
  };
}

/** Samples equal but for their time: the dashboard keeps a sample only when the status changed. */
export function sameHpaSample(a: HpaSample, b: HpaSample): boolean {
  return JSON.stringify({ ...a, time: 0 }) === JSON.stringify({ ...b, time: 0 });
}

/**
 * Two charts per HPA from its samples, oldest first: replicas (current and desired, as
 * `kubectl get hpa` REPLICAS and the controller's desiredReplicas) and each metric against its target.
 * A sample holds until the next one; `now` extends the last to the present.
 */
export function hpaCharts(samples: HpaSample[], now: number): ReportChart[] {
  const byHpa = new Map<string, HpaSample[]>();
  for (const s of samples) byHpa.set(s.hpa, [...(byHpa.get(s.hpa) ?? []), s]);
  const charts: ReportChart[] = [];
  for (const name of [...byHpa.keys()].sort()) {
    const list = byHpa.get(name)!;
    const last = list[list.length - 1];
    const points = last.time < now ? [...list, { ...last, time: now }] : list;
    const x = points.map((p) => p.time);
    charts.push({
      title: `HorizontalPodAutoscaler ${name} replicas`,
      x,
      series: [
        { label: 'current', values: points.map((p) => p.current) },
        { label: 'desired', values: points.map((p) => p.desired) },
      ],
    });
    const labels = [...new Set(points.flatMap((p) => p.metrics.map((m) => m.label)))];
    if (labels.length)
      charts.push({
        title: `HorizontalPodAutoscaler ${name} metrics`,
        x,
        series: labels.flatMap((label) => [
          { label: `${label} current`, values: points.map((p) => p.metrics.find((m) => m.label === label)?.current ?? null) },
          { label: `${label} target`, values: points.map((p) => p.metrics.find((m) => m.label === label)?.target ?? null) },
        ]),
      });
  }
  return charts;
}
