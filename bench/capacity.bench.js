'use strict';
/*
 * `kubesim capacity` (issue #24): how many replicas of a 1,000-replica Deployment fit on a
 * 5,000-node cluster, and how many nodes of a shape to add for all of it. Target ≤ 2 s for the
 * whole command (a process of its own, as a user runs it), against `node -e 0` measured here.
 */
const fs = require('node:fs');
const path = require('node:path');

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: batch}
spec:
  replicas: 1000
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec:
      containers:
      - name: c
        image: nginx:1.27
        resources: {requests: {cpu: "2", memory: 4Gi}}
`;

/** @type {import('./bench').Benches} */
module.exports = {
  capacity({ kubesim, timed, report, timeCommand, tmp }) {
    const state = path.join(tmp, 'capacity.db');
    kubesim(state, ['cluster', 'create', '--nodes', '5000']);
    const file = path.join(tmp, 'capacity.yaml');
    fs.writeFileSync(file, WORKLOAD);
    const args = ['capacity', '-f', file, '--node-shape', 'cpu=8,memory=32Gi,pods=110', '-o', 'json'];
    const out = JSON.parse(kubesim(state, args)); // warm the file cache; the answer is checked below
    if (!JSON.stringify(out).includes('batch')) throw new Error(`capacity printed no row for the workload: ${JSON.stringify(out)}`);
    const baseline = timeCommand(process.execPath, ['-e', '0'], 5);
    const runs = [0, 1, 2].map(() => timed(() => kubesim(state, args)).ms).sort((a, b) => a - b);
    report('kubesim capacity, 1,000-replica Deployment on 5,000 nodes (median of 3)', runs[1], 'ms', baseline, 'node -e 0', '≤ 2000 ms');
  },
};
