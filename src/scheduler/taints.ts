import type { Fields } from '../model/objects';

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

export function parseTaints(list: unknown): Taint[] {
  if (!Array.isArray(list)) return [];
  return list.map((t: Fields) => ({ key: String(t?.key ?? ''), value: String(t?.value ?? ''), effect: String(t?.effect ?? '') }));
}

export function parseTolerations(list: unknown): Toleration[] {
  if (!Array.isArray(list)) return [];
  return list.map((t: Fields) => ({
    key: String(t?.key ?? ''),
    operator: String(t?.operator ?? ''),
    value: String(t?.value ?? ''),
    effect: String(t?.effect ?? ''),
  }));
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
