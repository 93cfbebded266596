'use strict';
/*
 * `kubesim traffic run`: a 1-hour, 1,000-pod traffic simulation at 1 s ticks (3,600 ticks,
 * an HPA syncing every 15 s over all 1,000 pods). Target ≤ 5 s wall. Baseline: a
 * 10-minute run on 10 pods in the same process set-up (what the CLI costs without scale).
 */
const fs = require('node:fs');
const path = require('node:path');

/** @param {import('./bench').BenchContext['kubesim']} kubesim @param {string} tmp @param {string} name @param {number} replicas */
function cluster(kubesim, tmp, name, replicas) {
  const state = path.join(tmp, `${name}.db`);
  // nodes that hold the 1,000 pods' requests (100m each): the scheduler spreads them, none is pinned
  kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', '12', '--cpu', '16', '--memory', '64Gi']);
  const manifest = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    manifest,
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 100m}, limits: {cpu: 500m}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`,
  );
  kubesim(state, ['apply', '-f', manifest]);
  kubesim(state, [
    'autoscale',
    'deployment/web',
    '--min',
    String(Math.ceil(replicas / 2)),
    '--max',
    String(replicas),
    '--cpu-percent',
    '50',
  ]);
  kubesim(state, ['clock', 'advance', '30s']);
  return state;
}

/** @type {import('./bench').Benches} */
module.exports = {
  traffic({ kubesim, timed, report, tmp }) {
    const small = cluster(kubesim, tmp, 'traffic-small', 10);
    const base = timed(() =>
      kubesim(small, ['traffic', 'run', '--service', 'web', '--rps', '400', '--spike', '600@2m-4m', '--duration', '10m', '-o', 'json']),
    );
    const big = cluster(kubesim, tmp, 'traffic-big', 1000);
    const run = timed(() =>
      kubesim(big, ['traffic', 'run', '--service', 'web', '--rps', '40000', '--spike', '60000@10m-20m', '--duration', '1h', '-o', 'json']),
    );
    const ticks = JSON.parse(run.result).ticks.length;
    report('traffic run 10 min, 10 pods (baseline)', base.ms, 'ms');
    report(`traffic run 1 h at 1 s ticks (${ticks} ticks), 1,000 pods + HPA`, run.ms, 'ms', base.ms, 'baseline', '≤ 5000 ms');
  },
};
