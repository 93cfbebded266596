import { registerAdmissionPlugin } from '../admission';
import { deepEqual } from '../merge';
import { milliValue } from '../quantity';
import { forbidden } from './forbidden';
import { isKind } from '../../model/kinds';
import type { Toleration } from '../../model/k8s';

/** tolerations.isSuperset: `a` tolerates everything `b` does. */
function covers(a: Toleration, b: Toleration): boolean {
  if (a.effect && a.effect !== b.effect) return false;
  if (a.effect === 'NoExecute' && a.tolerationSeconds !== undefined && a.tolerationSeconds !== null) {
    if (b.tolerationSeconds === undefined || b.tolerationSeconds === null || a.tolerationSeconds < b.tolerationSeconds) return false;
  }
  if ((a.operator ?? 'Equal') === 'Exists') return !a.key || a.key === b.key;
  return a.key === b.key && (b.operator ?? 'Equal') === 'Equal' && (a.value ?? '') === (b.value ?? '');
}

/** tolerations.MergeTolerations: the union, without a toleration another already covers. */
function mergeTolerations(first: Toleration[], second: Toleration[]): Toleration[] {
  const all = [...first, ...second.filter((t) => !first.some((f) => deepEqual(f, t)))];
  return all.filter((t, i) => !all.some((other, j) => j !== i && covers(other, t) && !(covers(t, other) && j > i)));
}

/** apiequality.Semantic.DeepEqual of two resource lists: the same names and equal quantities. */
function sameResources(a: Record<string, string>, b: Record<string, string>): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((n) => n in b && milliValue(a[n]) === milliValue(b[n]));
}

/**
 * RuntimeClass (plugin/pkg/admission/runtimeclass): a new pod gets its RuntimeClass's
 * overhead.podFixed as spec.overhead (a different one set by hand is refused, and so is an
 * overhead without a class that defines one) and its scheduling: nodeSelector merged (a
 * conflicting key is refused) and tolerations merged. A class that does not exist passes
 * admission; the kubelet then cannot create the pod's sandbox.
 */
registerAdmissionPlugin({
  name: 'RuntimeClass',
  admit(ctx, info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const spec = obj.spec;
    const runtimeClass = spec.runtimeClassName ? ctx.store.get('RuntimeClass', undefined, spec.runtimeClassName) : undefined;
    const podFixed = runtimeClass?.overhead?.podFixed;
    const hasOverhead = spec.overhead && Object.keys(spec.overhead).length > 0;
    if (podFixed) {
      if (spec.overhead && hasOverhead && !sameResources(podFixed, spec.overhead))
        throw forbidden(info, obj, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead", 'mutating');
      spec.overhead = { ...podFixed };
    } else if (hasOverhead) {
      throw forbidden(info, obj, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
    }
    const scheduling = runtimeClass?.scheduling;
    if (!scheduling) return;
    const selector = scheduling.nodeSelector ?? {};
    if (Object.keys(selector).length) {
      const merged: Record<string, string> = { ...(spec.nodeSelector ?? {}) };
      for (const key of Object.keys(selector).sort()) {
        if (key in merged && merged[key] !== selector[key])
          throw forbidden(
            info,
            obj,
            `conflict: runtimeClass.scheduling.nodeSelector[${key}] = ${selector[key]}; pod.spec.nodeSelector[${key}] = ${merged[key]}`,
            'mutating',
          );
        merged[key] = selector[key];
      }
      spec.nodeSelector = merged;
    }
    if ((scheduling.tolerations ?? []).length) spec.tolerations = mergeTolerations(spec.tolerations ?? [], scheduling.tolerations ?? []);
  },
  // overhead, node selector and tolerations from the spec's RuntimeClass
  templatePods: { reads: ['RuntimeClass'], same: () => true },
});
