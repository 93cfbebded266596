'use strict';
/* Deployment rollouts and convergence (issue: workloads). Baseline: `node -e 0` in the same run. */
const fs = require('node:fs');
const path = require('node:path');

/** @param {string} name @param {number} replicas @param {string} image */
function deployment(name, replicas, image) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
        resources:
          requests: {cpu: 10m, memory: 16Mi}
`;
}

/** @type {import('./bench').Benches} */
module.exports = {
  rollout100({ kubesim, timed, report, timeCommand, tmp }) {
    const state = path.join(tmp, 'rollout100.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', '10']);
    const file = path.join(tmp, 'r100.yaml');
    fs.writeFileSync(file, deployment('web', 100, 'nginx:1.27'));
    kubesim(state, ['apply', '-f', file]);
    kubesim(state, ['rollout', 'status', 'deployment/web']);
    kubesim(state, ['set', 'image', 'deployment/web', 'app=nginx:1.28']);
    const baseline = timeCommand(process.execPath, ['-e', '0'], 5);
    const t = timed(() => kubesim(state, ['rollout', 'status', 'deployment/web']));
    report('rollout status: 100 replicas through a new image', t.ms, 'ms', baseline, 'node -e 0', '≤ 500 ms');
  },
  converge1000x10({ kubesim, timed, report, tmp }) {
    const state = path.join(tmp, 'converge.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', '100', '--cpu', '32', '--memory', '128Gi']);
    const file = path.join(tmp, 'd1000.yaml');
    fs.writeFileSync(file, Array.from({ length: 1000 }, (_, i) => deployment(`app-${i}`, 10, `nginx:1.${i % 30}`)).join('---\n'));
    const t = timed(() => {
      kubesim(state, ['apply', '-f', file]);
      kubesim(state, ['clock', 'advance', '10s']);
    });
    const notReady = kubesim(state, ['get', 'pods', '--field-selector', 'status.phase!=Running', '-o', 'name']).trim();
    report('1,000 Deployments × 10 replicas: apply → converged', t.ms, 'ms', undefined, undefined, '≤ 5000 ms');
    if (notReady) console.log(`  WARNING: ${notReady.split('\n').length} pods not Running`);
  },
};
