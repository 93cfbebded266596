'use strict';
/*
 * kubesim lint of a 500-object bundle (issue #27: static + simulated ≤ 3 s): 100 apps of a
 * Deployment (3 replicas; a third with maxUnavailable 0, so their next rolling update is
 * simulated; a third spread across zones with DoNotSchedule, so a zone failure is), a Service,
 * an Ingress, a PodDisruptionBudget and an HPA each, linted on a 10-node scratch cluster. Next to
 * it, `kubesim apply` of the same bundle on a new cluster of that shape (what running it once costs).
 */
const fs = require('node:fs');
const path = require('node:path');

/** @param {number} i */
function app(i) {
  const name = `app-${i}`;
  const strategy = i % 3 === 0 ? '  strategy:\n    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n' : '';
  const spread =
    i % 3 === 1
      ? `      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: ${name}}}
`
      : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 3
  selector: {matchLabels: {app: ${name}}}
${strategy}  template:
    metadata: {labels: {app: ${name}}}
    spec:
${spread}      containers:
      - name: app
        image: registry.example/${name}:1.${i}
        ports: [{containerPort: 8080}]
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
        readinessProbe: {httpGet: {path: /ready, port: 8080}}
        livenessProbe: {httpGet: {path: /live, port: 8080}}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  rules:
  - host: ${name}.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: ${name}, port: {name: http}}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${name}}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {app: ${name}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ${name}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${name}}
  minReplicas: 3
  maxReplicas: 6
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
`;
}

/** @type {import('./bench').Benches} */
module.exports = {
  lint({ kubesim, timed, report, tmp }) {
    const file = path.join(tmp, 'lint-bundle.yaml');
    fs.writeFileSync(file, Array.from({ length: 100 }, (_, i) => app(i)).join('---\n'));
    const shape = ['--nodes', '10', '--cpu', '8', '--memory', '32Gi'];
    const state = path.join(tmp, 'lint.db');
    const applyState = path.join(tmp, 'lint-apply.db');
    kubesim(applyState, ['cluster', 'create', '--clock', 'manual', ...shape]);
    const apply = timed(() => kubesim(applyState, ['apply', '-f', file])).ms;
    const lint = timed(() =>
      kubesim(state, [
        'lint',
        '-f',
        file,
        '-o',
        'json',
        '--fail-on',
        'error',
        '--cluster-shape',
        'nodes=10,cpu=8,memory=32Gi,zones=zone-a;zone-b;zone-c',
      ]),
    );
    const findings = JSON.parse(lint.result).findings.length;
    report('apply -f, 500 objects (100 apps)', apply, 'ms', undefined, undefined);
    report(`lint -f, 500 objects, static + simulated (${findings} findings)`, lint.ms, 'ms', apply, 'apply', '≤ 3000 ms');
  },
};
