import { create, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import { clusterCA } from '../auth/cluster-ca';
import { stableHex } from '../util/hash';

/** pkg/controller/certificates/rootcacertpublisher: the ConfigMap's name, its one annotation and data key */
export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * The root CA certificate publisher (kube-controller-manager's root-ca-cert-publisher): every
 * active namespace has a kube-root-ca.crt ConfigMap holding the cluster's CA as ca.crt (what a
 * pod's kube-api-access volume projects), made again if deleted, and put back (data and the
 * description annotation; other fields are left alone) if changed.
 */
/**
 * The ConfigMap's uid, made here from the namespace's, the instant and the cluster's last
 * resourceVersion (as the kubelet's node Lease's is made from its inputs), not drawn from the
 * cluster's PRNG: a ConfigMap per namespace would otherwise shift every name and timing drawn
 * after it. The resourceVersion tells one made again at the instant the last was deleted from
 * it: publisher.go's configMapDeleted queues the namespace at once and syncNamespace Creates a
 * new object, whose uid the API server makes anew.
 */
function configMapUid(nsUid: string, now: number, resourceVersion: number): string {
  const h = stableHex(`${ROOT_CA_CONFIGMAP}/${nsUid}/${now}/${resourceVersion}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const rootCACertPublisher: Controller<'Namespace'> = {
  name: 'root-ca-cert-publisher',
  kind: 'Namespace',
  dependsOn: ['ConfigMap'],
  reconcile(ns, { store, now }): Action[] {
    if (ns.metadata.deletionTimestamp || (ns.status?.phase ?? 'Active') !== 'Active') return [];
    const ca = clusterCA(store);
    if (!ca) return [];
    const data = { 'ca.crt': ca.caCert };
    const cm = store.get('ConfigMap', ns.metadata.name, ROOT_CA_CONFIGMAP);
    if (!cm)
      return [
        create({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: {
            name: ROOT_CA_CONFIGMAP,
            namespace: ns.metadata.name,
            uid: configMapUid(ns.metadata.uid ?? ns.metadata.name, now, store.resourceVersion),
            annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
          },
          data,
        }),
      ];
    // the controller compares data and the annotation only (binaryData and labels are the user's)
    const sameData = Object.keys(cm.data ?? {}).length === 1 && cm.data?.['ca.crt'] === ca.caCert;
    if (sameData && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) return [];
    return [
      update({
        ...cm,
        metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
        data,
      }),
    ];
  },
};
