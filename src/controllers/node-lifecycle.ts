import { event, quiet, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller, ReconcileContext } from '../reconcile/controller';
import { clone } from '../model/objects';
import type { Node } from '../model/kinds';
import type { NodeCondition, Taint, Toleration } from '../model/k8s';
import { fromRFC3339, toRFC3339 } from '../util/duration';
import { podCondition } from '../api/kinds/pod';
import { KUBELET_STOPPED, kubeletStoppedAt } from '../api/kinds/node';
import { taintEvictions } from './taint-eviction';

const SOURCE = 'node-controller';
/** kube-controller-manager --node-monitor-grace-period (v1.32 default) */
export const NODE_MONITOR_GRACE_MS = 50_000;

export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';

/** v1.Toleration.ToleratesTaint */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (!toleration.key && toleration.operator !== 'Exists') return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

export function toleratesAll(tolerations: Toleration[] | undefined, taints: Taint[]): boolean {
  return taints.every((taint) => (tolerations ?? []).some((t) => toleratesTaint(t, taint)));
}

function readyCondition(node: Node): NodeCondition | undefined {
  return (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
}

/**
 * Node lifecycle (pkg/controller/nodelifecycle, v1.32) plus the node's own kubelet status:
 * a node whose kubelet stopped posting status for the grace period goes Ready=Unknown
 * (kubectl shows NotReady), gets the unreachable NoExecute/NoSchedule taints, and its pods
 * are marked Ready=False; a recovered node reports Ready again and loses the taints.
 * Cordoned nodes carry the unschedulable NoSchedule taint. The taint-eviction controller
 * then deletes pods that do not tolerate a NoExecute taint, after their tolerationSeconds.
 */
export const nodeLifecycleController: Controller<'Node'> = {
  name: 'node-lifecycle',
  kind: 'Node',
  reconcile(node, ctx) {
    // most nodes, most passes: nothing to change, only NoExecute taints to act on
    if (isSteady(node)) {
      const taints = node.spec.taints ?? [];
      const actions = taintEvictions(node, taints, ctx);
      // without a NoExecute taint and no eviction pending (no action) what this reads is the
      // node alone, not the time nor its pods: quiet until the node is written, in later
      // commands too (the engine's queue), instead of a visit of every node per command
      if (!actions.length && !taints.some((t) => t.effect === 'NoExecute')) return [quiet(Infinity)];
      return actions;
    }
    const actions: Action[] = [];
    const stoppedAt = kubeletStoppedAt(node);
    const next = clone(node);
    const conditions = next.status?.conditions ?? [];
    const ready = readyCondition(next);
    const now = ctx.now;
    let taints: Taint[] = [...(next.spec?.taints ?? [])];
    const hasTaint = (key: string, effect: string) => taints.some((t) => t.key === key && t.effect === effect);
    const addTaint = (key: string, effect: string) => {
      if (!hasTaint(key, effect)) taints.push(effect === 'NoExecute' ? { key, effect, timeAdded: toRFC3339(now) } : { key, effect });
    };
    const dropTaint = (key: string, effect?: string) => {
      taints = taints.filter((t) => !(t.key === key && (!effect || t.effect === effect)));
    };

    if (stoppedAt !== undefined) {
      const lastHeartbeat = Math.max(stoppedAt, fromRFC3339(ready?.lastHeartbeatTime));
      const unknownAt = lastHeartbeat + NODE_MONITOR_GRACE_MS;
      if (now < unknownAt) actions.push(requeueAt(unknownAt));
      else {
        if (ready && ready.status !== 'Unknown') {
          for (const c of conditions) {
            if (!['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].includes(c.type)) continue;
            c.status = 'Unknown';
            c.reason = 'NodeStatusUnknown';
            c.message = 'Kubelet stopped posting node status.';
            c.lastTransitionTime = toRFC3339(now);
          }
          actions.push(event(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, SOURCE));
          actions.push(...markPodsNotReady(node, ctx));
        }
        dropTaint(TAINT_NOT_READY);
        addTaint(TAINT_UNREACHABLE, 'NoExecute');
        addTaint(TAINT_UNREACHABLE, 'NoSchedule');
      }
    } else if (ready && ready.status !== 'True') {
      // the kubelet is back: it posts a fresh status and the controller lifts the taints
      const ts = toRFC3339(now);
      const healthy: Record<string, [string, string, string]> = {
        MemoryPressure: ['False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        DiskPressure: ['False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        PIDPressure: ['False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        Ready: ['True', 'KubeletReady', 'kubelet is posting ready status'],
      };
      for (const c of conditions) {
        const h = healthy[c.type];
        if (!h || (c.type !== 'Ready' && c.status !== 'Unknown')) continue;
        [c.status, c.reason, c.message] = h;
        c.lastHeartbeatTime = ts;
        c.lastTransitionTime = ts;
      }
      actions.push(event(node, 'Normal', 'NodeReady', `Node ${node.metadata.name} status is now: NodeReady`, SOURCE));
      dropTaint(TAINT_UNREACHABLE);
      dropTaint(TAINT_NOT_READY);
    }
    // TaintNodesByCondition: pressure conditions keep new pods off the node
    const memoryPressure = conditions.find((c) => c.type === 'MemoryPressure')?.status === 'True';
    if (memoryPressure) addTaint(TAINT_MEMORY_PRESSURE, 'NoSchedule');
    else dropTaint(TAINT_MEMORY_PRESSURE);
    if (next.spec?.unschedulable) addTaint(TAINT_UNSCHEDULABLE, 'NoSchedule');
    else dropTaint(TAINT_UNSCHEDULABLE);

    next.spec ??= {};
    if (taints.length) next.spec.taints = taints;
    else delete next.spec.taints;
    if (JSON.stringify(next) !== JSON.stringify(node)) actions.unshift(update(next));
    actions.push(...taintEvictions(node, taints, ctx));
    return actions;
  },
};

/**
 * A node the reconcile above would leave as it is: its kubelet posts status, it reports
 * Ready (or no Ready yet), and its condition taints already match its conditions.
 */
function isSteady(node: Node): boolean {
  if (!node.spec || node.metadata.annotations?.[KUBELET_STOPPED] !== undefined) return false;
  const taints = node.spec.taints;
  if (taints && taints.length === 0) return false;
  const conditions = node.status?.conditions ?? [];
  let memoryPressure = false;
  for (const c of conditions) {
    if (c.type === 'Ready' && c.status !== 'True') return false;
    if (c.type === 'MemoryPressure' && c.status === 'True') memoryPressure = true;
  }
  return hasOnly(taints, TAINT_MEMORY_PRESSURE, memoryPressure) && hasOnly(taints, TAINT_UNSCHEDULABLE, !!node.spec.unschedulable);
}

/** whether the taint with this key is exactly `key:NoSchedule` when wanted, and absent when not */
function hasOnly(taints: Taint[] | undefined, key: string, wanted: boolean): boolean {
  let noSchedule = 0;
  let other = 0;
  for (const t of taints ?? []) {
    if (t.key !== key) continue;
    if (t.effect === 'NoSchedule') noSchedule++;
    else other++;
  }
  return wanted ? noSchedule === 1 && other === 0 : noSchedule + other === 0;
}

/** MarkPodsNotReady: every pod on the node gets Ready=False and a NodeNotReady event. */
function markPodsNotReady(node: Node, ctx: ReconcileContext): Action[] {
  const actions: Action[] = [];
  const pods = [...ctx.store.podsOnNode(node.metadata.name)].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  for (const pod of pods) {
    const ready = podCondition(pod, 'Ready');
    if (!ready || ready.status === 'False') continue;
    const next = clone(pod);
    for (const c of next.status?.conditions ?? []) {
      if (c.type === 'Ready') {
        c.status = 'False';
        c.lastTransitionTime = toRFC3339(ctx.now);
      }
    }
    actions.push(update(next));
    actions.push(event(pod, 'Warning', 'NodeNotReady', 'Node is not ready', SOURCE));
  }
  return actions;
}
