import type { Taint as TaintSpec, Toleration as TolerationSpec } from '../model/k8s';

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

/** A node's taints with the optional fields filled in (empty strings, as Go's zero values). */
export function parseTaints(list: TaintSpec[] | undefined): Taint[] {
  return (list ?? []).map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect }));
}

/** A pod's tolerations with the optional fields filled in (empty strings, as Go's zero values). */
export function parseTolerations(list: TolerationSpec[] | undefined): Toleration[] {
  return (list ?? []).map((t) => ({ key: t.key ?? '', operator: t.operator ?? '', value: t.value ?? '', effect: t.effect ?? '' }));
}

/** v1.Toleration.ToleratesTaint: empty effect matches all effects, empty key with Exists matches all keys. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator) {
    case '':
    case 'Equal':
      return t.value === taint.value;
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

/** NoSchedule and NoExecute keep pods off a node (helper.DoNotScheduleTaintsFilterFunc). */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** v1helper.FindMatchingUntoleratedTaint with the DoNotSchedule filter: the first such taint, in node order. */
export function firstUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) {
    if (isDoNotScheduleTaint(taint) && !tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** The taint kubectl cordon's node.spec.unschedulable stands for (v1.TaintNodeUnschedulable). */
export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };
