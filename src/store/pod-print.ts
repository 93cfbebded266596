import type { KObject } from '../model/objects';
import type { PodCondition } from '../model/k8s';
import type { PodLike } from '../model/kinds';
import { fromRFC3339, humanDuration } from '../util/duration';
import { quotedRepeated } from './intern';

function condition(pod: PodLike, type: string): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => c.type === type);
}

/**
 * What kubectl's printPod shows of a pod that does not depend on the time: READY, STATUS, the
 * restart count and the last restart (ms, 0: none), the READINESS GATES column. The state file
 * keeps it with each pod row (`print` column) so that `get pods` prints a row without the pod.
 */
export interface PodPrintFacts {
  ready: string;
  status: string;
  restarts: number;
  lastRestart: number;
  gates: string;
}

/**
 * The print facts a table row was made from without its pod (state-file.ts reads them from the
 * row's `print` column and gives the printer a pod of the columns it reads, see podPrintPod).
 */
// (a symbol key, not a WeakMap: 150k entries in a WeakMap cost the collector more than the rows)
const PRINT_FACTS = Symbol('podPrintFacts');

/** A pod as the table printer reads it: name, namespace, labels, creationTimestamp, IP, node, phase, and `facts`. */
export function podPrintPod(
  metadata: { name: string; namespace: string; creationTimestamp?: string; labels?: Record<string, string> },
  status: { phase?: string; podIP?: string; nominatedNodeName?: string },
  nodeName: string | undefined,
  facts: PodPrintFacts,
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: nodeName === undefined ? {} : { nodeName },
    status,
    [PRINT_FACTS]: facts,
  } as KObject;
}

/** A pod's print facts: the stored ones of a podPrintPod, else made from the pod. */
export function podPrintFacts(pod: PodLike): PodPrintFacts {
  return (pod as { [PRINT_FACTS]?: PodPrintFacts })[PRINT_FACTS] ?? makePodPrintFacts(pod);
}

export function restartsText(facts: PodPrintFacts, now: number): string {
  return facts.restarts !== 0 && facts.lastRestart
    ? `${facts.restarts} (${humanDuration(now - facts.lastRestart)} ago)`
    : String(facts.restarts);
}

function readinessGatesColumn(o: PodLike): string {
  const gates = o.spec?.readinessGates ?? [];
  if (!gates.length) return '<none>';
  const ok = gates.filter((g) => condition(o, g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

const NO_NAMES: ReadonlySet<string> = new Set();

export function makePodPrintFacts(pod: PodLike): PodPrintFacts {
  const containers = pod.spec?.containers ?? [];
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  let reason: string = pod.status?.reason || pod.status?.phase || 'Pending';
  // a pod with {type: PodScheduled, reason: SchedulingGated} shows SchedulingGated
  if ((pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';
  let initializing = false;
  const initStatuses = pod.status?.initContainerStatuses ?? [];
  const initSpecs = pod.spec?.initContainers ?? [];
  const initCount = initSpecs.length;
  // native sidecars (restartable init containers) count in READY and their restarts stay in RESTARTS
  // (no Set and two arrays for a pod without init containers: this runs for every pod row written)
  const restartable: ReadonlySet<string> = initCount
    ? new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => c.name))
    : NO_NAMES;
  const totalContainers = containers.length + restartable.size;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    if (c.lastState?.terminated) lastRestart = Math.max(lastRestart, fromRFC3339(c.lastState.terminated.finishedAt));
    const sidecar = restartable.has(c.name);
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastSidecarRestart = Math.max(lastSidecarRestart, fromRFC3339(c.lastState.terminated.finishedAt));
    }
    if (c.state?.terminated && c.state.terminated.exitCode === 0) continue;
    if (sidecar && c.started) {
      if (c.ready) readyContainers++;
      continue;
    }
    if (c.state?.terminated) {
      const t = c.state.terminated;
      reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
      initializing = true;
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`;
      initializing = true;
    } else {
      reason = `Init:${i}/${initCount}`;
      initializing = true;
    }
    break;
  }
  if (!initializing || condition(pod, 'Initialized')?.status === 'True') {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = pod.status?.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      restarts += c.restartCount ?? 0;
      if (c.lastState?.terminated) lastRestart = Math.max(lastRestart, fromRFC3339(c.lastState.terminated.finishedAt));
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason;
      else if (c.state?.terminated)
        reason = c.state.terminated.signal ? `Signal:${c.state.terminated.signal}` : `ExitCode:${c.state.terminated.exitCode}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = condition(pod, 'Ready')?.status === 'True' ? 'Running' : 'NotReady';
  }
  if (pod.metadata.deletionTimestamp && pod.status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') reason = 'Terminating';
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts, lastRestart, gates: readinessGatesColumn(pod) };
}

/**
 * Schema 10's `print` column of a pod (its parts resolved), written with every pod row:
 * `[ready, status, restarts, lastRestart, gates, creationTimestamp, phase, podIP,
 * nominatedNodeName, labels, template id]`, the labels as the row holds them (`{"$shared": id}`
 * or inline), the id of the spec's template row (so that a missing one is still reported).
 */
export function podPrintColumn(pod: PodLike, labels: unknown, templateId: number | undefined): string {
  const f = makePodPrintFacts(pod);
  const { metadata, status } = pod;
  const created: unknown = metadata.creationTimestamp ?? null;
  const phase: unknown = status?.phase ?? null;
  const ip: unknown = status?.podIP ?? null;
  const nominated: unknown = status?.nominatedNodeName ?? null;
  // the text JSON.stringify makes of the array below, from the repeated values' kept texts
  if (
    typeof f.ready === 'string' &&
    typeof f.status === 'string' &&
    typeof f.gates === 'string' &&
    textOrNull(created) &&
    textOrNull(phase) &&
    textOrNull(ip) &&
    textOrNull(nominated) &&
    Number.isFinite(f.restarts) &&
    Number.isFinite(f.lastRestart) &&
    (templateId === undefined || Number.isFinite(templateId))
  )
    return `[${quotedRepeated(f.ready)},${quotedRepeated(f.status)},${f.restarts},${f.lastRestart},${quotedRepeated(f.gates)},${
      quotedRepeated(created) ?? 'null'
    },${quotedRepeated(phase) ?? 'null'},${ip === null ? 'null' : JSON.stringify(ip)},${
      nominated === null ? 'null' : JSON.stringify(nominated)
    },${labelsText(labels)},${templateId ?? 'null'}]`;
  return JSON.stringify([
    f.ready,
    f.status,
    f.restarts,
    f.lastRestart,
    f.gates,
    metadata.creationTimestamp ?? null,
    status?.phase ?? null,
    status?.podIP ?? null,
    status?.nominatedNodeName ?? null,
    labels ?? null,
    templateId ?? null,
  ]);
}

function textOrNull(v: unknown): boolean {
  return v === null || typeof v === 'string';
}

/** The labels as the row holds them (inline or `{"$shared": id}`), as JSON: one text per labels object (a ReplicaSet's pods share one). */
function labelsText(labels: unknown): string {
  if (labels === null || labels === undefined) return 'null';
  if (typeof labels !== 'object') return JSON.stringify(labels) ?? 'null';
  let text = labelTexts.get(labels);
  if (text === undefined) labelTexts.set(labels, (text = JSON.stringify(labels)));
  return text;
}

const labelTexts = new WeakMap<object, string>();

type PrintRow = [
  string,
  string,
  number,
  number | null,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  unknown,
  number | null,
];

/**
 * The pod a `print` column stands for, as the table printer reads it (podPrintPod); `labels`
 * resolves the row's labels, `hasTemplate` says whether a template row is there. undefined when
 * the text is not such a column or what it refers to is missing (the row then says what).
 */
export function podFromPrintColumn(
  text: string,
  namespace: string,
  name: string,
  nodeName: string | null,
  labels: (stored: unknown) => unknown,
  hasTemplate: (id: number) => boolean,
): KObject | undefined {
  let row: PrintRow;
  try {
    row = JSON.parse(text) as PrintRow;
  } catch {
    return undefined;
  }
  if (!Array.isArray(row) || row.length !== 11) return undefined;
  const [ready, status, restarts, lastRestart, gates, creationTimestamp, phase, podIP, nominatedNodeName, stored, templateId] = row;
  if (templateId !== null && !hasTemplate(templateId)) return undefined;
  const metadata: { name: string; namespace: string; creationTimestamp?: string; labels?: Record<string, string> } = { name, namespace };
  if (creationTimestamp !== null) metadata.creationTimestamp = creationTimestamp;
  if (stored !== null) {
    // (a shared row that is missing: the pod is read from its row, which says so)
    const podLabels = labels(stored);
    if (podLabels === null || typeof podLabels !== 'object' || Array.isArray(podLabels)) return undefined;
    metadata.labels = podLabels as Record<string, string>;
  }
  const podStatus: { phase?: string; podIP?: string; nominatedNodeName?: string } = {};
  if (phase !== null) podStatus.phase = phase;
  if (podIP !== null) podStatus.podIP = podIP;
  if (nominatedNodeName !== null) podStatus.nominatedNodeName = nominatedNodeName;
  return podPrintPod(metadata, podStatus, nodeName ?? undefined, { ready, status, restarts, lastRestart: lastRestart ?? 0, gates });
}
