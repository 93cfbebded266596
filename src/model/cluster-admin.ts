/**
 * Who kubesim's command line acts as without other credentials: kubectl's user in a
 * kubeadm/kind v1.29+ cluster, bound to cluster-admin through the kubeadm:cluster-admins group.
 * The authenticator and the CSR strategy (a request's requestor) both need it.
 */
export const CLUSTER_ADMIN: { readonly name: string; readonly groups: readonly string[] } = {
  name: 'kubernetes-admin',
  groups: ['kubeadm:cluster-admins', 'system:authenticated'],
};
