'use strict';
/*
 * End-to-end scale: 5,000 nodes and 150,000 pods from Deployments, apply → all Running.
 * Baselines: kube-scheduler's CI floor at 5,000 nodes (~270 pods/s) and KWOK (~20 pods/s).
 */
const fs = require('node:fs');
const path = require('node:path');

function deployments(count, replicas, extra = '') {
  const docs = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:${extra}
      containers:
      - name: app
        image: registry.example/app:${i % 20}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
`);
  }
  return docs.join('---\n');
}

function endToEnd({ kubesim, timed, report, tmp, takePeakRss }, name, nodes, deploys, replicas) {
  takePeakRss();
  const state = path.join(tmp, `${name}.db`);
  const created = timed(() =>
    kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', String(nodes), '--cpu', '16', '--memory', '64Gi']),
  );
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(file, deployments(deploys, replicas));
  const pods = deploys * replicas;
  const applied = timed(() => kubesim(state, ['apply', '-f', file]));
  const running = timed(() => kubesim(state, ['clock', 'advance', '10s']));
  const check = kubesim(state, ['get', 'pods', '-A', '--field-selector', 'status.phase!=Running', '-o', 'name']);
  const notRunning = check.trim() ? check.trim().split('\n').length : 0;
  const total = applied.ms + running.ms;
  report(`cluster create --nodes ${nodes}`, created.ms, 'ms', undefined, undefined, nodes >= 5000 ? '≤ 1000 ms' : undefined);
  report(`${pods} pods on ${nodes} nodes: apply (schedule + start)`, applied.ms, 'ms');
  report(
    `${pods} pods on ${nodes} nodes: apply → all Running`,
    total,
    'ms',
    undefined,
    undefined,
    nodes >= 5000 ? '≤ 15000 ms' : undefined,
  );
  const podsPerSecond = (pods / total) * 1000;
  report(`  end-to-end pods/s vs kube-scheduler floor (270 pods/s)`, podsPerSecond, 'pods/s', 270, 'kube-scheduler');
  report(`  end-to-end pods/s vs KWOK (20 pods/s)`, podsPerSecond, 'pods/s', 20, 'KWOK');
  report('  peak RSS of one kubesim command', takePeakRss(), 'MB', undefined, undefined, nodes >= 5000 ? '≤ 1024 MB' : undefined);
  if (notRunning) console.log(`  WARNING: ${notRunning} pods not Running`);
  // reads on the settled cluster (read-only commands: no catch-up, only the kinds they show)
  for (const args of [
    ['get', 'deployments'],
    ['get', 'pods', '-A'],
    ['describe', 'node', 'node-1'],
  ]) {
    const read = timed(() => kubesim(state, args));
    report(`  kubesim ${args.join(' ')} on ${pods} pods`, read.ms, 'ms');
    report('    its peak RSS', takePeakRss(), 'MB');
  }
}

module.exports = {
  scale1k(ctx) {
    endToEnd(ctx, 'scale1k', 1000, 300, 100);
  },
  scale5k(ctx) {
    endToEnd(ctx, 'scale5k', 5000, 1500, 100);
  },
};
