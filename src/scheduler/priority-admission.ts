/**
 * Pod priority comes from the Priority admission plugin (plugin/pkg/admission/priority):
 * on create it resolves spec.priorityClassName (or the globalDefault class) to
 * spec.priority and spec.preemptionPolicy, and refuses an unknown class with
 * `pods "p" is forbidden: no PriorityClass with name foo was found`. It is registered
 * with the API server's other built-in plugins in src/api/admission/priority.ts; this
 * import makes sure it is loaded wherever the scheduler is, so the queue order and
 * preemption always see resolved priorities.
 */
import '../api/admission/priority';

/** The priority the scheduler uses: spec.priority as admission resolved it, else 0. */
export function podPriority(spec: { priority?: unknown } | undefined): number {
  return typeof spec?.priority === 'number' ? spec.priority : 0;
}
