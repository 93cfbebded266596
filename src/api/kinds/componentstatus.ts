import { registerKind } from './register';
import type { ComponentStatus } from '../../model/kinds';
import { nameColumn } from './common';
import { ApiError } from '../../util/errors';

/**
 * ComponentStatus (v1, deprecated in v1.19): the health of the control plane's components, which
 * kube-apiserver's componentstatus.REST probes on each request and stores nowhere. kubesim's
 * control plane is the simulation itself, which runs whenever a command does: the scheduler, the
 * controller manager and the one etcd member (the state file) answer healthy, with the message a
 * healthy probe returns ("ok"; the etcd check's since the storage health check replaced its HTTP
 * probe). kube's List collects the probes as they finish, in no set order: kubesim lists by name, as
 * it lists everything.
 */
const COMPONENTS = ['controller-manager', 'etcd-0', 'scheduler'];

function componentStatus(name: string): ComponentStatus {
  return {
    apiVersion: 'v1',
    kind: 'ComponentStatus',
    // a made-up object: no uid, resourceVersion nor creation time (creationTimestamp null, as the server encodes it)
    metadata: { name, creationTimestamp: null } as unknown as ComponentStatus['metadata'],
    conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
  };
}

/** printComponentStatus (kubernetes pkg/printers/internalversion/printers.go): the Healthy condition, no age. */
function healthy(o: ComponentStatus) {
  return (o.conditions ?? []).find((c) => c.type === 'Healthy');
}

registerKind('ComponentStatus', {
  columns: [
    nameColumn,
    { header: 'STATUS', value: (o) => (healthy(o) ? (healthy(o)!.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown') },
    { header: 'MESSAGE', value: (o) => healthy(o)?.message ?? '' },
    { header: 'ERROR', value: (o) => healthy(o)?.error ?? '' },
  ],
  computedObjects: () => COMPONENTS.map(componentStatus),
  // rest.go Get: a plain error, which the API server answers as a 500 with no reason
  missing: (name) => new ApiError('', 500, `Error from server: Component not found: ${name}`),
});
