import * as path from 'node:path';
import type { ReplicaSet } from '../../src/model/kinds';
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const fixtures = path.resolve(__dirname, '../../fixtures');

function deployment(replicas: number, image = 'nginx:1.27', extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}${extra}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${image}
`;
}

type Pod = { metadata: { name: string; deletionTimestamp?: string }; status: { conditions?: { type: string; status: string }[] } };
const podsOf = async (c: Awaited<ReturnType<typeof manualCluster>>): Promise<Pod[]> =>
  JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items;
const ready = (p: Pod) =>
  !p.metadata.deletionTimestamp && (p.status.conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True');

describe('rolling updates', () => {
  it('keep at least 8 of 10 available and at most 13 pods at every second, and complete', async () => {
    const c = await manualCluster(['--nodes', '4']);
    c.file('web.yaml', deployment(10));
    await c.run('apply', '-f', 'web.yaml');
    expect((await c.run('rollout', 'status', 'deployment/web')).code).toBe(0);
    expect((await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.28')).stdout).toBe('deployment.apps/web image updated\n');
    let done = false;
    for (let second = 0; second < 120 && !done; second++) {
      const pods = await podsOf(c);
      const available = pods.filter(ready).length;
      expect(available, `second ${second}`).toBeGreaterThanOrEqual(8);
      expect(pods.filter((p) => !p.metadata.deletionTimestamp).length, `second ${second}`).toBeLessThanOrEqual(13);
      const d = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout);
      done = d.status.updatedReplicas === 10 && d.status.availableReplicas === 10 && d.status.replicas === 10;
      await c.run('clock', 'advance', '1s');
    }
    expect(done).toBe(true);
    const images = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items.map(
      (p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0].image,
    );
    expect(new Set(images)).toEqual(new Set(['nginx:1.28']));
  });

  it("prints kubectl's progress lines while jumping virtual time", async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    expect((await c.run('rollout', 'status', 'deployment/web')).stdout).toBe(
      'Waiting for deployment "web" rollout to finish: 0 of 3 updated replicas are available...\ndeployment "web" successfully rolled out\n',
    );
    await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    const r = await c.run('rollout', 'status', 'deployment/web');
    expect(r.stdout).toBe(
      [
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 2 out of 3 new replicas have been updated...',
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
        'deployment "web" successfully rolled out',
        '',
      ].join('\n'),
    );
    expect((await c.run('rollout', 'status', 'deployment/web', '--watch=false')).stdout).toBe('deployment "web" successfully rolled out\n');
  });

  it('with an unpullable image: stalls, times out, exceeds its deadline, and rolls back to revision 3', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment(3));
    await c.run('apply', '-f', 'web.yaml');
    await c.run('rollout', 'status', 'deployment/web');
    c.file('bad.yaml', deployment(3, 'nginx:doesnotexist'));
    expect((await c.run('apply', '-f', 'bad.yaml')).stdout).toBe('deployment.apps/web configured\n');
    const timeout = await c.run('rollout', 'status', 'deployment/web', '--timeout=30s');
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toBe('error: timed out waiting for the condition\n');
    const pods = (await c.run('get', 'pods', '--no-headers')).stdout;
    expect(pods.match(/1\/1\s+Running/g)).toHaveLength(3);
    expect(pods).toMatch(/0\/1\s+(ImagePullBackOff|ErrImagePull)/);
    const deadline = await c.run('rollout', 'status', 'deployment/web');
    expect(deadline).toMatchObject({ code: 1, stderr: 'error: deployment "web" exceeded its progress deadline\n' });
    const d = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout);
    expect(d.status.conditions.find((x: { type: string }) => x.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
    });
    expect((await c.run('rollout', 'undo', 'deployment/web')).stdout).toBe('deployment.apps/web rolled back\n');
    expect((await c.run('rollout', 'status', 'deployment/web')).code).toBe(0);
    expect((await c.run('rollout', 'history', 'deployment/web')).stdout).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n',
    );
    expect((await c.run('rollout', 'undo', 'deployment/web', '--to-revision=3')).stdout).toBe(
      'deployment.apps/web skipped rollback (current template already matches revision 3)\n',
    );
    expect(await c.run('rollout', 'undo', 'deployment/web', '--to-revision=9')).toMatchObject({
      code: 1,
      stderr: 'error: unable to find specified revision 9 in history\n',
    });
  });

  it('after a finished rollout, undo scales the earlier ReplicaSet back up as the newest revision', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment(3));
    await c.run('apply', '-f', 'web.yaml');
    await c.run('rollout', 'status', 'deployment/web');
    c.file('v2.yaml', deployment(3, 'nginx:1.28'));
    await c.run('apply', '-f', 'v2.yaml');
    expect((await c.run('rollout', 'status', 'deployment/web')).code).toBe(0);
    // the old ReplicaSet is at 0: the controller renumbers it (revision 3), then scales it
    expect(await c.run('rollout', 'undo', 'deployment/web')).toEqual({ code: 0, stdout: 'deployment.apps/web rolled back\n', stderr: '' });
    expect((await c.run('rollout', 'status', 'deployment/web')).stdout).toMatch(/deployment "web" successfully rolled out\n$/);
    const rs = JSON.parse((await c.run('get', 'rs', '-o', 'json')).stdout).items as ReplicaSet[];
    expect(
      rs.map((r) => [
        r.spec.template?.spec?.containers[0].image,
        r.spec.replicas,
        r.metadata.annotations?.['deployment.kubernetes.io/revision'],
      ]),
    ).toEqual(
      expect.arrayContaining([
        [expect.not.stringMatching(/1\.28/), 3, '3'],
        ['nginx:1.28', 0, '2'],
      ]),
    );
  });

  it('with no earlier revision, undo says there is no history', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment(1));
    await c.run('apply', '-f', 'web.yaml');
    expect(await c.run('rollout', 'undo', 'deployment/web')).toMatchObject({
      code: 1,
      stderr: 'error: no rollout history found for deployment "web"\n',
    });
  });

  it('Recreate scales the old pods to zero before starting new ones', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment(3, 'nginx:1.27', '\n  strategy:\n    type: Recreate'));
    await c.run('apply', '-f', 'web.yaml');
    await c.run('rollout', 'status', 'deployment/web');
    await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    const pods = await podsOf(c);
    expect(pods.every((p) => p.metadata.deletionTimestamp)).toBe(true);
    expect(pods).toHaveLength(3);
    expect((await c.run('rollout', 'status', 'deployment/web')).stdout).toMatch(/deployment "web" successfully rolled out\n$/);
  });

  it('records change-cause and keeps revisionHistoryLimit old ReplicaSets', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment(1, 'nginx:1.0', '\n  revisionHistoryLimit: 2'));
    await c.run('apply', '-f', 'web.yaml');
    for (const v of ['1.1', '1.2', '1.3']) {
      // as in kube, the cause annotated on the deployment is copied to its current revision
      await c.run('set', 'image', 'deployment/web', `nginx=nginx:${v}`);
      await c.run('annotate', 'deployment', 'web', `kubernetes.io/change-cause=image ${v}`, '--overwrite');
      await c.run('rollout', 'status', 'deployment/web');
    }
    expect((await c.run('get', 'rs', '--no-headers')).stdout.trim().split('\n')).toHaveLength(3);
    expect((await c.run('rollout', 'history', 'deployment/web')).stdout).toBe(
      'deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image 1.1\n3         image 1.2\n4         image 1.3\n\n',
    );
    const rev = await c.run('rollout', 'history', 'deployment/web', '--revision=3');
    expect(rev.stdout).toMatch(/^deployment\.apps\/web with revision #3\nPod Template:\n/);
    expect(rev.stdout).toMatch(/Image:\s+nginx:1\.2\n/);
  });

  it('changing only replicas makes no new revision', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    await c.run('scale', 'deployment/web', '--replicas=5');
    expect((await c.run('get', 'rs', '--no-headers')).stdout.trim().split('\n')).toHaveLength(1);
    expect(
      (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).stdout,
    ).toBe('1');
  });
});

describe('scale, set, pause, restart, wait', () => {
  it('scales with a --current-replicas precondition', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    expect((await c.run('scale', 'deployment/web', '--replicas=5')).stdout).toBe('deployment.apps/web scaled\n');
    expect(await c.run('scale', 'deployment', 'web', '--replicas=2', '--current-replicas=3')).toMatchObject({
      code: 1,
      stderr: 'error: Expected replicas to be 3, was 5\n',
    });
    expect((await c.run('get', 'pods', '--no-headers')).stdout.trim().split('\n')).toHaveLength(5);
    const rs = (await c.run('get', 'rs', '-o', 'name')).stdout.trim();
    expect((await c.run('scale', rs, '--replicas=5')).stdout).toBe(`${rs} scaled\n`);
  });

  it('sets resources and env on the pod template', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    expect((await c.run('set', 'resources', 'deployment', 'web', '--limits=cpu=500m,memory=256Mi')).stdout).toBe(
      'deployment.apps/web resource requirements updated\n',
    );
    expect((await c.run('set', 'env', 'deployment/web', 'MODE=prod', 'DEBUG=1')).stdout).toBe('deployment.apps/web env updated\n');
    expect((await c.run('set', 'env', 'deployment/web', 'DEBUG-')).stdout).toBe('deployment.apps/web env updated\n');
    const d = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout);
    const container = d.spec.template.spec.containers[0];
    expect(container.resources.limits).toEqual({ cpu: '500m', memory: '256Mi' });
    expect(container.env).toEqual([{ name: 'MODE', value: 'prod' }]);
    expect(await c.run('set', 'image', 'deployment/web', 'sidecar=busybox')).toMatchObject({
      code: 1,
      stderr: 'error: unable to find container named "sidecar"\n',
    });
  });

  it('pauses a rollout until resumed, and restarts with a restartedAt annotation', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    await c.run('rollout', 'status', 'deployment/web');
    expect((await c.run('rollout', 'pause', 'deployment/web')).stdout).toBe('deployment.apps/web paused\n');
    expect(await c.run('rollout', 'pause', 'deployment/web')).toMatchObject({
      code: 1,
      stderr: 'error: deployments.apps "web" is already paused\n',
    });
    await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.28');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'rs', '--no-headers')).stdout.trim().split('\n')).toHaveLength(1);
    expect((await c.run('rollout', 'resume', 'deployment/web')).stdout).toBe('deployment.apps/web resumed\n');
    await c.run('rollout', 'status', 'deployment/web');
    expect((await c.run('get', 'rs', '--no-headers')).stdout.trim().split('\n')).toHaveLength(2);
    expect((await c.run('rollout', 'restart', 'deployment/web')).stdout).toBe('deployment.apps/web restarted\n');
    expect(
      (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}'))
        .stdout,
    ).toMatch(/^2025-01-01T00:0\d:\d\dZ$/);
  });

  it('waits for conditions, deletion and jsonpath values in virtual time', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    expect((await c.run('wait', '--for=condition=Available', 'deployment/web', '--timeout=60s')).stdout).toBe(
      'deployment.apps/web condition met\n',
    );
    expect((await c.run('wait', '--for=jsonpath={.status.readyReplicas}=3', 'deployment/web')).stdout).toBe(
      'deployment.apps/web condition met\n',
    );
    const pods = (await c.run('wait', '--for=condition=Ready', 'pod', '-l', 'app=web')).stdout.trim().split('\n');
    expect(pods).toHaveLength(3);
    expect(pods.every((l) => /^pod\/web-\S+ condition met$/.test(l))).toBe(true);
    const never = await c.run('wait', '--for=condition=Ready=False', 'deployment/web', '--timeout=10s');
    expect(never).toMatchObject({ code: 1, stderr: 'error: timed out waiting for the condition on deployments/web\n' });
    const name = pods[0].split(' ')[0];
    await c.run('delete', name, '--wait=false');
    expect((await c.run('wait', '--for=delete', name, '--timeout=60s')).stdout).toBe(`${name} condition met\n`);
  });
});

describe('self-healing', () => {
  it('replaces a deleted pod with a new name, but a bare pod stays gone', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    await c.run('rollout', 'status', 'deployment/web');
    const before = (await podsOf(c)).map((p) => p.metadata.name);
    await c.run('delete', 'pod', before[0]);
    const after = (await podsOf(c)).map((p) => p.metadata.name);
    expect(after).toHaveLength(3);
    expect(after).not.toContain(before[0]);
    const events = (await c.run('get', 'events')).stdout;
    expect(events).toMatch(/SuccessfulCreate\s+replicaset\/web-\S+\s+Created pod: /);
  });

  it('shows ImagePullBackOff for an unpullable image and never becomes Ready', async () => {
    const c = await manualCluster();
    await c.run('run', 'bad', '--image=nginx:bad');
    await c.run('clock', 'advance', '1s');
    expect((await c.run('get', 'pod', 'bad', '--no-headers')).stdout).toMatch(/^bad\s+0\/1\s+ErrImagePull\s+0\s+1s\n$/);
    await c.run('clock', 'advance', '1s');
    expect((await c.run('get', 'pod', 'bad', '--no-headers')).stdout).toMatch(/^bad\s+0\/1\s+ImagePullBackOff\s+0\s+2s\n$/);
    await c.run('clock', 'advance', '10m');
    expect((await c.run('get', 'pod', 'bad', '--no-headers')).stdout).toMatch(/0\/1\s+(ImagePullBackOff|ErrImagePull)/);
  });

  it('shows Terminating during the grace period', async () => {
    const c = await manualCluster();
    c.file(
      'slow.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: slow\n  annotations:\n    sim.kubesim.io/shutdown-seconds: "20"\nspec:\n  containers:\n  - name: app\n    image: nginx\n',
    );
    await c.run('apply', '-f', 'slow.yaml');
    await c.run('clock', 'advance', '5s');
    await c.run('delete', 'pod', 'slow', '--wait=false');
    expect((await c.run('get', 'pod', 'slow', '--no-headers')).stdout).toMatch(/^slow\s+1\/1\s+Terminating\s/);
    await c.run('clock', 'advance', '19s');
    expect((await c.run('get', 'pod', 'slow')).code).toBe(0);
    await c.run('clock', 'advance', '1s');
    expect((await c.run('get', 'pod', 'slow')).code).toBe(1);
  });
});

describe('workload columns', () => {
  it('prints deploy, rs and pods like kubectl', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    await c.run('rollout', 'status', 'deployment/web');
    expect((await c.run('get', 'deploy')).stdout).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           3s\n',
    );
    expect((await c.run('get', 'rs')).stdout).toMatch(/^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb-[4-9bcdf]+\s+3\s+3\s+3\s+3s\n$/);
    expect((await c.run('get', 'deploy', '-o', 'wide')).stdout).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\nweb    3/3     3            3           3s    nginx        nginx:1.27   app=web\n',
    );
    const d = (await c.run('describe', 'deployment', 'web')).stdout;
    expect(d).toMatch(/Replicas:\s+3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable\n/);
    expect(d).toMatch(/StrategyType:\s+RollingUpdate\n/);
    expect(d).toMatch(/RollingUpdateStrategy:\s+25% max unavailable, 25% max surge\n/);
    expect(d).toMatch(/NewReplicaSet:\s+web-[4-9bcdf]+ \(3\/3 replicas created\)\n/);
  });
});
