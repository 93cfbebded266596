import type { Node, Pod } from '../model/kinds';
import type { Toleration as TolerationSpec } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { isWaitingForScheduling, schedulerProfiles, SCHEDULER_NAME } from './controller';
import { cycleNow } from './explain';
import type { Profile } from './framework';
import type { NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';
import { evaluatedNodes } from './scheduler';
import { isDoNotScheduleTaint, tolerationsTolerateTaint } from './taints';
import { naturalCompare } from './snapshot';

/**
 * The cheapest single change that would let a Pending pod fit, for `describe pod`: "would fit on
 * node-2 if it tolerated dedicated=gpu:NoSchedule". The filter that rejected each node suggests
 * the change it asks for; a suggestion is made only when a scheduling cycle run with the
 * change in place (the pod or the node changed, nothing else) finds the node feasible.
 */

interface Candidate {
  /** cheaper first: uncordon < toleration < node label < smaller requests */
  cost: number;
  node: string;
  text: string;
  pod?: Pod;
  nodeObject?: Node;
}

/** TaintNodeUnschedulable: what a cordoned node carries besides spec.unschedulable */
const UNSCHEDULABLE_TAINT = 'node.kubernetes.io/unschedulable';

/** At most this many suggestions are checked with a cycle each (cheapest first). */
const MAX_CHECKED = 8;

export function fitHint(store: ReadonlyObjectStore, pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return undefined;
  const profiles = schedulerProfiles(store);
  const profile = profiles.get(pod.spec?.schedulerName || SCHEDULER_NAME);
  if (!profile || !isWaitingForScheduling(pod, profiles)) return undefined;
  const nodes = [...store.values('Node')];
  const { record, result, snapshot, info } = cycleNow(store, profile, pod, nodes);
  if (result.kind !== 'unschedulable') return undefined;
  const candidates: Candidate[] = [];
  // the first filter that rejected each node (kube-scheduler stops there): the check below
  // finds out whether that change is the only one the node needs
  for (const { node, status } of evaluatedNodes(record)) {
    const candidate = status && changeFor(status.plugin, snapshot.nodeByName.get(node.name) ?? node, info, pod);
    if (candidate) candidates.push(candidate);
  }
  candidates.sort((a, b) => a.cost - b.cost || naturalCompare(a.node, b.node));
  for (const c of candidates.slice(0, MAX_CHECKED))
    if (fitsWith(store, profile, c, pod, nodes)) return `would fit on ${c.node} if ${c.text}`;
  return undefined;
}

/** The change a plugin's rejection asks for, if it is one change kubesim can name. */
function changeFor(plugin: string, node: NodeInfo, info: PodInfo, pod: Pod): Candidate | undefined {
  const name = node.name;
  switch (plugin) {
    case 'NodeUnschedulable': {
      // uncordon: spec.unschedulable goes, and with it the taint the node lifecycle controller adds for it
      const taints = (node.node.spec?.taints ?? []).filter((t) => t.key !== UNSCHEDULABLE_TAINT);
      return {
        cost: 1,
        node: name,
        text: `${name} were uncordoned`,
        nodeObject: { ...node.node, spec: { ...node.node.spec, unschedulable: false, taints } },
      };
    }
    case 'TaintToleration': {
      const untolerated = node.taints.filter((t) => isDoNotScheduleTaint(t) && !tolerationsTolerateTaint(info.tolerations, t));
      if (!untolerated.length) return undefined;
      const added: TolerationSpec[] = untolerated.map((t) => ({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect }));
      const text = untolerated.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ');
      return {
        cost: 2,
        node: name,
        text: `it tolerated ${text}`,
        pod: { ...pod, spec: { ...pod.spec, tolerations: [...(pod.spec.tolerations ?? []), ...added] } },
      };
    }
    case 'NodeAffinity': {
      // a nodeSelector the node's labels miss (required node affinity terms are not second-guessed)
      const selector = pod.spec.nodeSelector ?? {};
      const missing = Object.entries(selector).filter(([k, v]) => node.labels[k] !== v);
      if (!missing.length) return undefined;
      const labels = { ...(node.node.metadata.labels ?? {}), ...Object.fromEntries(missing) };
      return {
        cost: 3,
        node: name,
        text: `${name} had the label${missing.length > 1 ? 's' : ''} ${missing.map(([k, v]) => `${k}=${v}`).join(', ')}`,
        nodeObject: { ...node.node, metadata: { ...node.node.metadata, labels } },
      };
    }
    case 'NodeResourcesFit':
      return smallerRequests(node, info, pod);
    default:
      return undefined;
  }
}

/** Requests cut to what the node has free, for cpu and memory (the resources a user tunes). */
function smallerRequests(node: NodeInfo, info: PodInfo, pod: Pod): Candidate | undefined {
  const freeCpu = node.allocMilliCpu - node.reqMilliCpu;
  const freeMemory = node.allocMemory - node.reqMemory;
  const limits: string[] = [];
  const cut: Record<string, string> = {};
  if (info.requests.milliCpu > freeCpu) {
    if (freeCpu <= 0) return undefined;
    cut.cpu = `${freeCpu}m`;
    limits.push(`${formatMilliCpu(freeCpu)} cpu`);
  }
  if (info.requests.memory > freeMemory) {
    if (freeMemory <= 0) return undefined;
    const text = formatBytes(freeMemory);
    cut.memory = text;
    limits.push(`${text} memory`);
  }
  if (!limits.length || (pod.spec.containers ?? []).length !== 1) return undefined;
  const [container] = pod.spec.containers;
  const requests = { ...(container.resources?.requests ?? {}), ...cut };
  return {
    cost: 4,
    node: node.name,
    text: `it requested at most ${limits.join(' and ')}`,
    pod: { ...pod, spec: { ...pod.spec, containers: [{ ...container, resources: { ...container.resources, requests } }] } },
  };
}

function formatMilliCpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** Bytes rounded down to the largest binary unit that keeps three significant figures. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['Gi', 2 ** 30],
    ['Mi', 2 ** 20],
    ['Ki', 2 ** 10],
  ] as const)
    if (bytes >= size * 10 || bytes % size === 0) return `${Math.floor(bytes / size)}${unit}`;
  return String(bytes);
}

/** Whether a cycle with the change in place finds the node feasible. */
function fitsWith(store: ReadonlyObjectStore, profile: Profile, c: Candidate, pod: Pod, nodes: Node[]): boolean {
  const changedNodes = c.nodeObject ? nodes.map((n) => (n.metadata.name === c.node ? c.nodeObject! : n)) : nodes;
  const { record } = cycleNow(store, profile, c.pod ?? pod, changedNodes);
  const evaluated = evaluatedNodes(record).find((e) => e.node.name === c.node);
  return !!evaluated && evaluated.status === null;
}
