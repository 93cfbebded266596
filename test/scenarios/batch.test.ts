import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

const job = (name: string, spec: string, annotations = "{sim.kubesim.io/run-seconds: '10'}", restartPolicy = 'Never') => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}  template:
    metadata: {annotations: ${annotations}}
    spec:
      nodeName: node-1
      restartPolicy: ${restartPolicy}
      containers: [{name: work, image: busybox:1.36}]
`;

const json = async (c: Cluster, ...args: string[]) => JSON.parse((await c.run(...args, '-o', 'json')).stdout);

describe('Job', () => {
  it('runs pods to completion and shows kubectl job columns while running and after', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('pi', ''));
    expect((await c.run('apply', '-f', 'job.yaml')).stdout).toBe('job.batch/pi created\n');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'jobs')).stdout).toBe('NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           5s         5s\n');
    await c.run('clock', 'advance', '20s');
    // pull 1 s + run 10 s: done 11 s after creation
    expect((await c.run('get', 'jobs')).stdout).toBe('NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           11s        25s\n');
    const j = await json(c, 'get', 'job', 'pi');
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed' });
    expect(j.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(j.metadata.uid);
    expect(j.status.conditions.map((x: { type: string }) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(j.status.conditions[1]).toMatchObject({ status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' });
    expect(j.status.succeeded).toBe(1);
    const pods = (await c.run('get', 'pods', '-l', 'job-name=pi')).stdout;
    expect(pods).toMatch(/^pi-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s+25s$/m);
    const events = (await c.run('events', '--for', 'job/pi')).stdout;
    expect(events).toMatch(/SuccessfulCreate\s+Job\/pi\s+Created pod: pi-/);
    expect(events).toMatch(/Completed\s+Job\/pi\s+Job completed/);
  });

  it('runs completions with parallelism and never more pods at once', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('batch', '  completions: 5\n  parallelism: 2\n'));
    await c.run('apply', '-f', 'job.yaml');
    await c.run('clock', 'advance', '1s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(2);
    await c.run('clock', 'advance', '12s');
    expect((await c.run('get', 'job', 'batch')).stdout).toContain('Running   2/5');
    await c.run('clock', 'advance', '60s');
    expect((await c.run('get', 'job', 'batch')).stdout).toContain('Complete   5/5         33s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(5);
  });

  it('fails after backoffLimit pod failures, backing off 10 s, 20 s, 40 s between retries', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('flaky', '  backoffLimit: 2\n', "{sim.kubesim.io/run-seconds: '5', sim.kubesim.io/exit-code: '1'}"));
    await c.run('apply', '-f', 'job.yaml');
    // pod 1 fails at 6 s; pod 2 created at 16 s, fails at 22 s; pod 3 at 42 s fails at 48 s
    await c.run('clock', 'advance', '15s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(1);
    await c.run('clock', 'advance', '1s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(2);
    await c.run('clock', 'advance', '25s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(2);
    await c.run('clock', 'advance', '1s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(3);
    expect((await c.run('get', 'job', 'flaky')).stdout).toContain('Running');
    await c.run('clock', 'advance', '30s');
    const j = await json(c, 'get', 'job', 'flaky');
    expect(j.status.failed).toBe(3);
    expect(j.status.conditions.map((x: { type: string }) => x.type)).toEqual(['FailureTarget', 'Failed']);
    expect(j.status.conditions[1]).toMatchObject({ reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
    expect((await c.run('get', 'job', 'flaky')).stdout).toMatch(/flaky\s+Failed\s+0\/1\s+/);
    expect((await c.run('events', '--for', 'job/flaky')).stdout).toMatch(/Warning\s+BackoffLimitExceeded\s+Job\/flaky\s+Job has reached the specified backoff limit/);
    // nothing more is created after the job failed
    await c.run('clock', 'advance', '10m');
    expect((await json(c, 'get', 'pods')).items.length).toBe(3);
  });

  it('stops a job that runs past activeDeadlineSeconds and deletes its pods', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('slow', '  activeDeadlineSeconds: 30\n', "{sim.kubesim.io/run-seconds: '600'}"));
    await c.run('apply', '-f', 'job.yaml');
    await c.run('clock', 'advance', '29s');
    expect((await c.run('get', 'job', 'slow')).stdout).toContain('Running');
    await c.run('clock', 'advance', '5s');
    const j = await json(c, 'get', 'job', 'slow');
    expect(j.status.conditions.find((x: { type: string }) => x.type === 'Failed')).toMatchObject({ reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
    expect((await json(c, 'get', 'pods')).items).toEqual([]);
  });

  it('deletes a finished job ttlSecondsAfterFinished later, with its pods', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('short', '  ttlSecondsAfterFinished: 60\n'));
    await c.run('apply', '-f', 'job.yaml');
    await c.run('clock', 'advance', '70s');
    expect((await c.run('get', 'job', 'short')).code).toBe(0);
    await c.run('clock', 'advance', '2s');
    const r = await c.run('get', 'job', 'short');
    expect(r.stderr).toBe('Error from server (NotFound): jobs.batch "short" not found\n');
    expect((await json(c, 'get', 'pods')).items).toEqual([]);
  });

  it('gives each pod of an Indexed job its completion index and hostname', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n'));
    await c.run('apply', '-f', 'job.yaml');
    await c.run('clock', 'advance', '1s');
    const pods = (await json(c, 'get', 'pods')).items as { metadata: { name: string; annotations: Record<string, string> }; spec: { hostname: string } }[];
    const byIndex = pods.map((p) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p.spec.hostname, p.metadata.name.slice(0, 6)]).sort();
    expect(byIndex).toEqual([['0', 'idx-0', 'idx-0-'], ['1', 'idx-1', 'idx-1-'], ['2', 'idx-2', 'idx-2-']]);
    await c.run('clock', 'advance', '20s');
    const j = await json(c, 'get', 'job', 'idx');
    expect(j.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('rejects a job whose pods would restart Always, naming the field', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('bad', '', '{}', 'Always'));
    const r = await c.run('apply', '-f', 'job.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('The Job "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"\n');
    expect((await c.run('get', 'jobs')).stderr).toBe('No resources found in default namespace.\n');
  });
});
