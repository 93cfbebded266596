import { quiet, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import type { APIServiceSpec, APIServiceStatus } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { toRFC3339 } from '../util/duration';

interface Availability {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/**
 * kube-aggregator's availability check of v1.32 (status/remote_available_controller.go, which reads
 * Endpoints): a Local APIService is always available; one backed by a Service needs the Service,
 * its port, and a ready address on that port. kubesim cannot run the aggregated server's discovery
 * call, so a ready endpoint counts as "all checks passed".
 */
export function apiServiceAvailability(store: ReadonlyObjectStore, apiService: KObject<APIServiceSpec, APIServiceStatus>): Availability {
  const ref = apiService.spec?.service;
  if (!ref) return { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
  const where = `service/${ref.name} in "${ref.namespace}"`;
  const svc = store.get('Service', ref.namespace, ref.name ?? '');
  if (!svc) return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  if (svc.spec.type === 'ExternalName') return { status: 'True', reason: 'Passed', message: 'all checks passed' };
  const port = ref.port ?? 443;
  const svcPort = (svc.spec.ports ?? []).find((p) => p.port === port);
  if (!svcPort) return { status: 'False', reason: 'ServicePortError', message: `${where} is not listening on port ${port}` };
  const endpoints = store.get('Endpoints', ref.namespace, ref.name ?? '');
  if (!endpoints) return { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpoints for ${where}` };
  const portName = svcPort.name ?? '';
  const active = (endpoints.subsets ?? []).some(
    (ss) => (ss.addresses ?? []).length && (ss.ports ?? []).some((p) => (p.name ?? '') === portName),
  );
  if (!active)
    return {
      status: 'False',
      reason: 'MissingEndpoints',
      message: `endpoints for ${where} have no addresses with port name "${portName}"`,
    };
  return { status: 'True', reason: 'Passed', message: 'all checks passed' };
}

/** The APIService availability controller: keeps each APIService's Available condition. */
export const apiServiceAvailabilityController: Controller<'APIService'> = {
  name: 'apiservice-availability',
  kind: 'APIService',
  dependsOn: ['Service', 'Endpoints'],
  reconcile(apiService, { store, now }): Action[] {
    const want = apiServiceAvailability(store, apiService);
    const conditions = apiService.status?.conditions ?? [];
    const current = conditions.find((c) => c.type === 'Available');
    const actions: Action[] = [];
    if (!current || current.status !== want.status || current.reason !== want.reason || current.message !== want.message) {
      const condition = {
        type: 'Available',
        status: want.status,
        lastTransitionTime: current && current.status === want.status ? current.lastTransitionTime : toRFC3339(now),
        reason: want.reason,
        message: want.message,
      };
      const others = conditions.filter((c) => c.type !== 'Available');
      actions.push(update({ ...apiService, status: { ...apiService.status, conditions: [...others, condition] } }));
    }
    actions.push(quiet(Infinity));
    return actions;
  },
};
