import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { kubesim, manualCluster, tempCluster } from '../support/cli';
import { Session } from '../../src/engine/session';

/**
 * How much work catching up costs a command: none when the last command left the cluster
 * quiescent with nothing due yet (its pass would change nothing), and a bounded amount when a
 * wall-clock cluster was left alone for days (not one pass per wake-up it slept through).
 */

/** The engine's pass and wake-up counts when a command's own work starts (after loading and catching up). */
function catchUpWork(state: string): { passes: number; wakeups: number } {
  return Session.run({ statePath: state }, (s) => ({ passes: s.engine.passes, wakeups: s.engine.wakeups }));
}

function forgetMark(state: string): void {
  const db = new Database(state);
  db.prepare("DELETE FROM meta WHERE key = 'quiescent'").run();
  db.close();
}

const APPS = (n: number, replicas = 2) =>
  Array.from(
    { length: n },
    (_, i) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}}
spec:
  replicas: ${replicas}
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
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
`,
  ).join('---\n');

const CRONJOB = (name: string, schedule: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "${schedule}"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
            command: [sh, -c, "echo hi"]
`;

describe('catching up before a command', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs no pass when the last command left the cluster quiescent, and writes what catching up first writes', async () => {
    const c = await manualCluster(['--nodes', '3']);
    expect((await c.run('apply', '-f', c.file('apps.yaml', `${APPS(3)}---\n${CRONJOB('tick', '*/5 * * * *')}`))).code).toBe(0);
    expect((await c.run('clock', 'advance', '2m')).code).toBe(0);
    // the same cluster without the mark: the next command catches up as before
    const other = path.join(c.dir, 'other.db');
    fs.copyFileSync(c.state, other);
    forgetMark(other);
    expect(catchUpWork(c.state).passes).toBe(0);
    expect(catchUpWork(other).passes).toBeGreaterThan(0);
    // a write then a wait through the next CronJob run: the same objects, events and output either way
    for (const args of [
      ['scale', 'deployment/web-1', '--replicas=4'],
      ['rollout', 'status', 'deployment/web-1'],
      ['clock', 'advance', '5m'],
    ]) {
      const [a, b] = [await kubesim(c.state, args), await kubesim(other, args)];
      expect(a).toEqual(b);
    }
    const everything = ['get', 'all,events,hpa', '-A', '-o', 'yaml'];
    expect((await kubesim(c.state, everything)).stdout).toEqual((await kubesim(other, everything)).stdout);
    // a mark whose next wake-up is due now does not hold: the catch-up runs
    const db = new Database(c.state);
    const mark = JSON.parse(db.prepare("SELECT value FROM meta WHERE key = 'quiescent'").pluck().get() as string) as { clock: string };
    const due = { ...mark, next: (JSON.parse(mark.clock) as { virtualNow: number }).virtualNow };
    db.prepare("UPDATE meta SET value = ? WHERE key = 'quiescent'").run(JSON.stringify(due));
    db.close();
    expect(catchUpWork(c.state).passes).toBeGreaterThan(0);
  });

  it('a wall-clock cluster left alone for 7 days catches up in a bounded number of passes, not one per wake-up', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2026, 0, 5, 9, 0, 0);
    vi.setSystemTime(start);
    const t = tempCluster();
    expect((await kubesim(t.state, ['cluster', 'create', '--nodes', '3'])).code).toBe(0);
    const manifest = t.file('apps.yaml', `${APPS(10)}---\n${CRONJOB('hourly', '0 * * * *')}---\n${CRONJOB('daily', '30 2 * * *')}`);
    expect((await kubesim(t.state, ['apply', '-f', manifest])).code).toBe(0);
    vi.setSystemTime(start + 60_000);
    expect((await kubesim(t.state, ['get', 'pods'])).code).toBe(0);
    vi.setSystemTime(start + 7 * 24 * 3600_000);
    // 7 days hold 40,320 HPA syncs (15 s), 168 hourly and 7 daily schedules
    const work = catchUpWork(t.state);
    expect(work.wakeups).toBeLessThanOrEqual(5);
    expect(work.passes).toBeLessThanOrEqual(20);
    // and it caught up: each CronJob last ran at its latest schedule
    const last = await kubesim(t.state, [
      'get',
      'cronjobs',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.status.lastScheduleTime}{"\\n"}{end}',
    ]);
    expect(last.stdout).toBe('daily=2026-01-12T02:30:00Z\nhourly=2026-01-12T09:00:00Z\n');
  });
});
