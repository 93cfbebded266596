import { quiet, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import { toRFC3339 } from '../util/duration';

/**
 * The API server's priority-and-fairness configuration controller (k8s.io/apiserver
 * pkg/util/flowcontrol/apf_controller.go, presyncFlowSchemaStatus): keeps each FlowSchema's
 * Dangling condition, True when the PriorityLevelConfiguration it names does not exist.
 */
export const apfConfigurationController: Controller<'FlowSchema'> = {
  name: 'apf-configuration',
  kind: 'FlowSchema',
  dependsOn: ['PriorityLevelConfiguration'],
  reconcile(fs, { store, now }): Action[] {
    const plName = String(fs.spec?.priorityLevelConfiguration?.name ?? '');
    const dangling = !store.get('PriorityLevelConfiguration', undefined, plName);
    const want = dangling
      ? {
          status: 'True',
          reason: 'NotFound',
          message: `This FlowSchema references the PriorityLevelConfiguration object named "${plName}" but there is no such object`,
        }
      : {
          status: 'False',
          reason: 'Found',
          message: `This FlowSchema references the PriorityLevelConfiguration object named "${plName}" and it exists`,
        };
    const conditions = fs.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === 'Dangling');
    const actions: Action[] = [];
    if (!current || current.status !== want.status || current.reason !== want.reason || current.message !== want.message) {
      // the controller stamps the time on every change it applies, whether or not the status flips
      const condition = {
        type: 'Dangling',
        status: want.status,
        lastTransitionTime: toRFC3339(now),
        reason: want.reason,
        message: want.message,
      };
      const next = current ? conditions.map((c) => (c.type === 'Dangling' ? condition : c)) : [...conditions, condition];
      actions.push(update({ ...fs, status: { ...fs.status, conditions: next } }));
    }
    actions.push(quiet(Infinity));
    return actions;
  },
};
