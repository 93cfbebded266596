import { registerAdmissionPlugin } from '../admission';
import { forbidden } from './forbidden';
import { isKind, type PriorityClass } from '../../model/kinds';
import type { ReadonlyObjectStore } from '../../store/object-store';

/** The first global default PriorityClass by name (without sorting every class for every pod). */
function globalDefaultClass(store: ReadonlyObjectStore): PriorityClass | undefined {
  let found: PriorityClass | undefined;
  for (const pc of store.values('PriorityClass')) if (pc.globalDefault && (!found || pc.metadata.name < found.metadata.name)) found = pc;
  return found;
}

/**
 * Priority (plugin/pkg/admission/priority): a pod's spec.priority comes from its
 * PriorityClass (or the global default class, else 0); an unknown class is refused.
 */
registerAdmissionPlugin({
  name: 'Priority',
  admit(ctx, info, obj, old) {
    if (!isKind(obj, 'Pod') || old) return;
    const spec = obj.spec;
    let priority = 0;
    let preemptionPolicy: string | undefined;
    if (spec.priorityClassName) {
      const pc = ctx.store.get('PriorityClass', undefined, spec.priorityClassName);
      if (!pc) throw forbidden(info, obj, `no PriorityClass with name ${spec.priorityClassName} was found`, 'mutating');
      priority = pc.value ?? 0;
      preemptionPolicy = pc.preemptionPolicy;
    } else {
      const def = globalDefaultClass(ctx.store);
      if (def) {
        spec.priorityClassName = def.metadata.name;
        priority = def.value ?? 0;
        preemptionPolicy = def.preemptionPolicy;
      }
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
      throw forbidden(
        info,
        obj,
        `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
        'mutating',
      );
    }
    spec.priority = priority;
    if (preemptionPolicy) spec.preemptionPolicy = preemptionPolicy;
  },
  // spec.priority (and class, policy) from the spec's class or the global default
  templatePods: { reads: ['PriorityClass'], same: () => true },
});
