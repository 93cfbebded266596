import { allKinds } from '../api/registry';
import { quotaUsed } from '../api/resource-quota';
import { update } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';

/** The resource quota controller: keeps status.hard and status.used current. */
export const resourceQuotaController: Controller<'ResourceQuota'> = {
  name: 'resourcequota',
  kind: 'ResourceQuota',
  reconcile(quota, { store, now }) {
    const hard = { ...(quota.spec?.hard ?? {}) };
    const used = quotaUsed(store, quota, allKinds(), now);
    if (
      JSON.stringify(quota.status?.hard ?? {}) === JSON.stringify(hard) &&
      JSON.stringify(quota.status?.used ?? {}) === JSON.stringify(used)
    )
      return [];
    return [update({ ...quota, status: { hard, used } })];
  },
};
