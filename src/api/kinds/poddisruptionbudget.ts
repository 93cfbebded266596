import type { LabelSelector } from '../../model/k8s';
import type { FieldError } from '../../util/errors';
import { registerKind } from './register';
import type { KObject } from '../../model/objects';
import type { ReadonlyObjectStore } from '../../store/object-store';
import { fromLabelSelector, matches } from '../labels';
import { ageColumn, expectType, nameColumn, validateLabels, validateMeta } from './common';
import { validateIntOrPercent } from './workload-common';
import type { Pod, PodDisruptionBudget } from '../../model/kinds';

/** IntOrString as kubectl prints it (intstr.String()): `2`, `50%`; unset is `N/A`. */
function intOrStringText(v: unknown): string {
  return v === undefined || v === null ? 'N/A' : String(v);
}

export const UNHEALTHY_POD_EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

registerKind('PodDisruptionBudget', {
  columns: [
    nameColumn,
    { header: 'MIN AVAILABLE', value: (o) => intOrStringText(o.spec?.minAvailable) },
    { header: 'MAX UNAVAILABLE', value: (o) => intOrStringText(o.spec?.maxUnavailable) },
    { header: 'ALLOWED DISRUPTIONS', value: (o) => String(o.status?.disruptionsAllowed ?? 0) },
    ageColumn,
  ],
  defaults(obj) {
    obj.spec ??= {};
    // the API server starts status at zero until the disruption controller has looked
    obj.status ??= { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  },
  validate(obj) {
    const errs: FieldError[] = [...validateMeta(obj)];
    const spec = obj.spec ?? {};
    validatePdbValue(spec.minAvailable, 'spec.minAvailable', errs);
    validatePdbValue(spec.maxUnavailable, 'spec.maxUnavailable', errs);
    if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
      errs.push({
        path: 'spec',
        type: 'Invalid value',
        value: `minAvailable: ${spec.minAvailable}, maxUnavailable: ${spec.maxUnavailable}`,
        detail: 'minAvailable and maxUnavailable cannot be both set',
      });
    }
    if (spec.selector !== undefined && expectType(spec.selector, 'object', 'spec.selector', errs)) {
      errs.push(...validateLabels(spec.selector.matchLabels, 'spec.selector.matchLabels'));
    }
    if (spec.unhealthyPodEvictionPolicy !== undefined && !UNHEALTHY_POD_EVICTION_POLICIES.includes(spec.unhealthyPodEvictionPolicy)) {
      errs.push({
        path: 'spec.unhealthyPodEvictionPolicy',
        type: 'Unsupported value',
        value: spec.unhealthyPodEvictionPolicy,
        detail: 'supported values: "AlwaysAllow", "IfHealthyBudget"',
      });
    }
    return errs;
  },
});

function validatePdbValue(value: unknown, path: string, errs: FieldError[]): void {
  if (typeof value === 'string' && /^\d+$/.test(value)) {
    errs.push({
      path,
      type: 'Invalid value',
      value,
      detail:
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
    });
    return;
  }
  validateIntOrPercent(value, path, errs);
}

/** policy/v1: an empty selector selects every pod in the namespace, a missing one none. */
export function pdbSelects(pdb: KObject<{ selector?: LabelSelector }>, pod: KObject): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  const selector = fromLabelSelector(pdb.spec?.selector);
  return selector !== null && matches(selector, pod.metadata.labels);
}

/** Pods a PDB covers (all phases; health is decided by the disruption controller). */
export function podsForPdb(pdb: PodDisruptionBudget, ctx: { store: ReadonlyObjectStore }): Pod[] {
  // the selector read once, and the pods walked in the store's cached namespace/name order
  // rather than listed and sorted: the disruption controller runs this for every PDB each pass
  const selector = fromLabelSelector(pdb.spec?.selector);
  if (selector === null) return [];
  const namespace = pdb.metadata.namespace;
  const pods: Pod[] = [];
  for (const slot of ctx.store.sortedSlots('Pod'))
    if (!slot.removed && slot.obj.metadata.namespace === namespace && matches(selector, slot.obj.metadata.labels))
      pods.push(slot.obj as Pod);
  return pods;
}

/** Every PDB whose selector matches the pod (the eviction API refuses more than one). */
export function pdbsForPod(pod: KObject, ctx: { store: ReadonlyObjectStore }): PodDisruptionBudget[] {
  return ctx.store.list('PodDisruptionBudget', pod.metadata.namespace).filter((pdb) => pdbSelects(pdb, pod));
}
