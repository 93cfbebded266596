import { create, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import { DEFAULT_SERVICE_ACCOUNT } from '../api/kinds/serviceaccount';

/**
 * The service account controller (kube-controller-manager's serviceaccount-controller): every
 * active namespace has a `default` ServiceAccount, made again if it is deleted.
 */
export const serviceAccountController: Controller<'Namespace'> = {
  name: 'serviceaccount',
  kind: 'Namespace',
  reconcile(ns, { store }): Action[] {
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return [];
    if (store.get('ServiceAccount', ns.metadata.name, DEFAULT_SERVICE_ACCOUNT)) return [];
    return [create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace: ns.metadata.name } })];
  },
};
