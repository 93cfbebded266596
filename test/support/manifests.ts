/** Manifests the scenario tests share: a one-container `app: NAME` Deployment in flow style. */
export function deploymentYaml(opts: { name?: string; replicas?: number; image?: string; container?: string; resources?: string } = {}): string {
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
${opts.resources ? `        resources: ${opts.resources}\n` : ''}`;
}
