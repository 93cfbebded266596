'use strict';
/*
 * A wall-clock cluster left alone for 7 days (issue #22): 100 Deployments with HPAs and 10
 * hourly CronJobs on 10 nodes; the clock's last-command mark is moved back 7 days in the state
 * file (what a week without commands leaves), then the next command is timed. Target ≤ 1 s.
 */
const fs = require('node:fs');
const path = require('node:path');

function manifest() {
  const docs = [];
  for (let i = 0; i < 100; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web-${i}}}
  template:
    metadata: {labels: {app: web-${i}}}
    spec:
      containers:
      - name: c
        image: nginx:1.27
        resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web-${i}}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web-${i}}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}`);
  }
  for (let i = 0; i < 10; i++) {
    docs.push(`apiVersion: batch/v1
kind: CronJob
metadata: {name: cron-${i}}
spec:
  schedule: "${i * 5} * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
            command: [sh, -c, "echo hi"]`);
  }
  return docs.join('\n---\n');
}

/**
 * Moves the cluster's last command back by `ms` of wall time (as if nobody ran a command since).
 * @param {string} root @param {string} state @param {number} ms
 */
function idle(root, state, ms) {
  /** @type {typeof import('better-sqlite3')} */
  const Database = require(path.join(root, 'node_modules', 'better-sqlite3'));
  const db = new Database(state);
  const clock = JSON.parse(/** @type {string} */ (db.prepare("SELECT value FROM meta WHERE key = 'clock'").pluck().get()));
  clock.wallAtLastCommand -= ms;
  db.prepare("UPDATE meta SET value = ? WHERE key = 'clock'").run(JSON.stringify(clock));
  db.close();
}

/** @type {import('./bench').Benches} */
module.exports = {
  idle7days({ kubesim, timed, report, timeCommand, tmp, root }) {
    const state = path.join(tmp, 'idle.db');
    kubesim(state, ['cluster', 'create', '--nodes', '10']);
    const file = path.join(tmp, 'idle.yaml');
    fs.writeFileSync(file, manifest());
    kubesim(state, ['apply', '-f', file]);
    kubesim(state, ['get', 'pods']);
    idle(root, state, 7 * 24 * 3600 * 1000);
    const baseline = timeCommand(process.execPath, ['-e', '0'], 5);
    const t = timed(() => kubesim(state, ['get', 'pods']));
    report(
      'wall-clock cluster (100 Deployments+HPAs, 10 CronJobs) idle 7 days: next get pods',
      t.ms,
      'ms',
      baseline,
      'node -e 0',
      '≤ 1000 ms',
    );
  },
};
