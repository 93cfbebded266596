/** Manifests the scenario tests share: a one-container `app: NAME` Deployment in flow style. */
export function deploymentYaml(
  opts: { name?: string; replicas?: number; image?: string; container?: string; resources?: string; podSpec?: string } = {},
): string {
  const name = opts.name ?? 'web';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${opts.replicas ?? 1}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: ${opts.container ?? name}
        image: ${opts.image ?? 'nginx:1.27'}
${opts.resources ? `        resources: ${opts.resources}\n` : ''}${opts.podSpec ? `      ${opts.podSpec}\n` : ''}`;
}

/** A bare `app: web` pod bound to a node (a ReplicaSet named web adopts it). */
export function pinnedWebPodYaml(name: string, node: string): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web}}
spec: {nodeName: ${node}, containers: [{name: app, image: nginx:1.27}]}
---
`;
}

/** ReplicaSet `web` (3 replicas) and a PodDisruptionBudget over it with the given rule. */
export function webReplicaSetWithPdbYaml(pdbRule = 'minAvailable: 2'): string {
  return `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: nginx:1.27}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  ${pdbRule}
  selector: {matchLabels: {app: web}}
`;
}
