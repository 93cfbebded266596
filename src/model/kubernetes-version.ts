/** The Kubernetes release kubesim simulates: the API server's and kubelet's version (and kubectl's in user agents). */
export const KUBERNETES_VERSION = 'v1.32.0';
