import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

const job = (
  name: string,
  spec: string,
  annotations = "{sim.kubesim.io/run-seconds: '10'}",
  restartPolicy = 'Never',
) => `apiVersion: batch/v1
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
    expect((await c.run('get', 'jobs')).stdout).toBe(
      'NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           5s         5s\n',
    );
    await c.run('clock', 'advance', '20s');
    // pull 1 s + run 10 s: done 11 s after creation
    expect((await c.run('get', 'jobs')).stdout).toBe(
      'NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           11s        25s\n',
    );
    const j = await json(c, 'get', 'job', 'pi');
    expect(j.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed' });
    expect(j.spec.selector.matchLabels['batch.kubernetes.io/controller-uid']).toBe(j.metadata.uid);
    expect(j.status.conditions.map((x: { type: string }) => x.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    expect(j.status.conditions[1]).toMatchObject({
      status: 'True',
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    expect(j.status.succeeded).toBe(1);
    const pods = (await c.run('get', 'pods', '-l', 'job-name=pi')).stdout;
    expect(pods).toMatch(/^pi-[a-z0-9]{5}\s+0\/1\s+Completed\s+0\s+25s$/m);
    const events = (await c.run('events', '--for', 'job/pi')).stdout;
    expect(events).toMatch(/SuccessfulCreate\s+Job\/pi\s+Created pod: pi-/);
    expect(events).toMatch(/Completed\s+Job\/pi\s+Job completed/);
    const described = (await c.run('describe', 'job', 'pi')).stdout;
    expect(described).toContain(
      'Parallelism:      1\nCompletions:      1\nCompletion Mode:  NonIndexed\nSuspend:          false\nBackoff Limit:    6\nStart Time:       Wed, 01 Jan 2025 00:00:00 +0000\nCompleted At:     Wed, 01 Jan 2025 00:00:11 +0000\nDuration:         11s\nPods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\nPod Template:\n',
    );
    expect(described).toMatch(/Normal +Completed +\d+s +job-controller +Job completed/);
  });

  it('completes a Job whose pods say nothing about their run time (kubectl create job): its work takes 10 s', async () => {
    const c = await manualCluster();
    expect((await c.run('create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)')).stdout).toBe(
      'job.batch/pi created\n',
    );
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'jobs')).stdout).toBe(
      'NAME   STATUS    COMPLETIONS   DURATION   AGE\npi     Running   0/1           10s        10s\n',
    );
    await c.run('clock', 'advance', '5s');
    // pull 1 s + run 10 s
    expect((await c.run('get', 'jobs')).stdout).toBe(
      'NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   1/1           11s        15s\n',
    );
    const [pod] = (await json(c, 'get', 'pods', '-l', 'job-name=pi')).items;
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    // a bare pod that never exits on its own still runs on
    await c.run('run', 'sleeper', '--image=busybox:1.36', '--restart=Never');
    await c.run('clock', 'advance', '1h');
    expect((await c.run('get', 'pod', 'sleeper', '--no-headers')).stdout).toMatch(/^sleeper\s+1\/1\s+Running\s/);
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
    expect((await c.run('get', 'job', 'batch')).stdout).toContain('Complete   5/5           31s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(5);
  });

  it('fails after backoffLimit pod failures, backing off 10 s, 20 s, 40 s between retries', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('flaky', '  backoffLimit: 2\n', "{sim.kubesim.io/run-seconds: '5', sim.kubesim.io/exit-code: '1'}"));
    await c.run('apply', '-f', 'job.yaml');
    // pod 1 fails at 6 s (1 s pull + 5 s); pod 2 at 16 s fails at 21 s (image present); pod 3 at 41 s fails at 46 s
    await c.run('clock', 'advance', '15s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(1);
    await c.run('clock', 'advance', '1s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(2);
    await c.run('clock', 'advance', '24s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(2);
    await c.run('clock', 'advance', '1s');
    expect((await json(c, 'get', 'pods')).items.length).toBe(3);
    expect((await c.run('get', 'job', 'flaky')).stdout).toContain('Running');
    await c.run('clock', 'advance', '30s');
    const j = await json(c, 'get', 'job', 'flaky');
    expect(j.status.failed).toBe(3);
    expect(j.status.conditions.map((x: { type: string }) => x.type)).toEqual(['FailureTarget', 'Failed']);
    expect(j.status.conditions[1]).toMatchObject({
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    });
    expect((await c.run('get', 'job', 'flaky')).stdout).toMatch(/flaky\s+Failed\s+0\/1\s+/);
    expect((await c.run('events', '--for', 'job/flaky')).stdout).toMatch(
      /Warning\s+BackoffLimitExceeded\s+Job\/flaky\s+Job has reached the specified backoff limit/,
    );
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
    expect(j.status.conditions.find((x: { type: string }) => x.type === 'Failed')).toMatchObject({
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    });
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
    const pods = (await json(c, 'get', 'pods')).items as {
      metadata: { name: string; annotations: Record<string, string> };
      spec: { hostname: string };
    }[];
    const byIndex = pods
      .map((p) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p.spec.hostname, p.metadata.name.slice(0, 6)])
      .sort();
    expect(byIndex).toEqual([
      ['0', 'idx-0', 'idx-0-'],
      ['1', 'idx-1', 'idx-1-'],
      ['2', 'idx-2', 'idx-2-'],
    ]);
    await c.run('clock', 'advance', '20s');
    const j = await json(c, 'get', 'job', 'idx');
    expect(j.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
  });

  it('counts container restarts against backoffLimit when pods restart OnFailure', async () => {
    const c = await manualCluster();
    c.file(
      'job.yaml',
      job('crashy', '  backoffLimit: 2\n', "{sim.kubesim.io/run-seconds: '5', sim.kubesim.io/exit-code: '2'}", 'OnFailure'),
    );
    await c.run('apply', '-f', 'job.yaml');
    // exits at 6 s, restarts at 16 s, exits at 21 s, restarts at 41 s: two restarts reach the limit
    await c.run('clock', 'advance', '40s');
    expect((await c.run('get', 'job', 'crashy')).stdout).toContain('Running');
    await c.run('clock', 'advance', '5s');
    const j = await json(c, 'get', 'job', 'crashy');
    expect(j.status.conditions.find((x: { type: string }) => x.type === 'Failed')).toMatchObject({ reason: 'BackoffLimitExceeded' });
    expect((await json(c, 'get', 'pods')).items).toEqual([]);
  });

  it('creates no pods while suspended and starts when resumed', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('later', '  suspend: true\n'));
    await c.run('apply', '-f', 'job.yaml');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'job', 'later')).stdout).toMatch(/^later\s+Suspended\s+0\/1\s+30s$/m);
    expect((await json(c, 'get', 'pods')).items).toEqual([]);
    await c.run('patch', 'job', 'later', '-p', '{"spec":{"suspend":false}}');
    await c.run('clock', 'advance', '15s');
    expect((await c.run('get', 'job', 'later')).stdout).toMatch(/^later\s+Complete\s+1\/1\s+11s\s+45s$/m);
  });

  it('rejects a job whose pods would restart Always, naming the field', async () => {
    const c = await manualCluster();
    c.file('job.yaml', job('bad', '', '{}', 'Always'));
    const r = await c.run('apply', '-f', 'job.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The Job "bad" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"\n',
    );
    expect((await c.run('get', 'jobs')).stderr).toBe('No resources found in default namespace.\n');
  });
});

const cronJob = (name: string, schedule: string, extra = '', runSeconds = '30') => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: '${schedule}'
${extra}  jobTemplate:
    metadata: {labels: {team: batch}}
    spec:
      template:
        metadata: {annotations: {sim.kubesim.io/run-seconds: '${runSeconds}'}}
        spec:
          nodeName: node-2
          restartPolicy: OnFailure
          containers: [{name: tick, image: busybox:1.36}]
`;

// the manual clock starts at 2025-01-01T00:00:00Z
const EPOCH_MINUTES = Date.UTC(2025, 0, 1) / 60_000;

describe('CronJob', () => {
  it('creates a job per schedule time named after the unix minute, keeping 3 successful jobs', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('tick', '*/15 * * * *'));
    expect((await c.run('apply', '-f', 'cj.yaml')).stdout).toBe('cronjob.batch/tick created\n');
    await c.run('clock', 'advance', '24h');
    const events = (await c.run('events', '--for', 'cronjob/tick')).stdout;
    const created = events.split('\n').filter((line) => /SuccessfulCreate\s+CronJob\/tick\s+Created job tick-/.test(line));
    const last = EPOCH_MINUTES + 24 * 60;
    // each quarter hour its own job; events last an hour (--event-ttl), so the last four are listed
    expect(created.map((line) => /Created job (tick-\d+)/.exec(line)![1])).toEqual([
      `tick-${last - 45}`,
      `tick-${last - 30}`,
      `tick-${last - 15}`,
      `tick-${last}`,
    ]);
    const jobs = (await json(c, 'get', 'jobs')).items as {
      metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
    }[];
    // three finished jobs kept (history limit) plus the one that just started
    expect(jobs.map((j) => j.metadata.name)).toEqual([`tick-${last - 45}`, `tick-${last - 30}`, `tick-${last - 15}`, `tick-${last}`]);
    expect(jobs[3].metadata.labels.team).toBe('batch');
    expect(jobs[3].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-02T00:00:00Z');
    expect((await c.run('get', 'cronjobs')).stdout).toBe(
      'NAME   SCHEDULE       TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\ntick   */15 * * * *   <none>     False     1        0s              24h\n',
    );
    await c.run('clock', 'advance', '1m');
    const cj = await json(c, 'get', 'cj', 'tick');
    expect(cj.status.lastScheduleTime).toBe('2025-01-02T00:00:00Z');
    expect(cj.status.lastSuccessfulTime).toBe('2025-01-02T00:00:30Z');
    expect(cj.status.active).toBeUndefined();
  });

  it('stores the job template as the API server defaults it: pod template defaults only, JobSpec defaults on each Job', async () => {
    const c = await manualCluster();
    await c.run('create', 'cronjob', 'hello', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'date');
    const template = (await json(c, 'get', 'cj', 'hello')).spec.jobTemplate;
    expect(Object.keys(template.spec)).toEqual(['template']);
    expect(template.spec.template.spec).toEqual({
      containers: [
        {
          command: ['date'],
          image: 'busybox:1.36',
          name: 'hello',
          resources: {},
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
      restartPolicy: 'OnFailure',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    });
    expect((await c.run('describe', 'cj', 'hello')).stdout).toMatch(/\nParallelism: +<unset>\nCompletions: +<unset>\n/);
    await c.run('clock', 'advance', '5m');
    const [run] = (await json(c, 'get', 'jobs')).items;
    expect(run.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false });
  });

  it('runs @hourly in the CronJob time zone', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('report', '0 9 * * *', '  timeZone: America/New_York\n'));
    await c.run('apply', '-f', 'cj.yaml');
    await c.run('clock', 'advance', '13h59m');
    expect((await json(c, 'get', 'jobs')).items).toEqual([]);
    await c.run('clock', 'advance', '1m');
    const jobs = (await json(c, 'get', 'jobs')).items;
    // 09:00 New York in January is 14:00 UTC
    expect(jobs.map((j: { metadata: { name: string } }) => j.metadata.name)).toEqual([`report-${EPOCH_MINUTES + 14 * 60}`]);
    expect(jobs[0].metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe('2025-01-01T09:00:00-05:00');
    c.file('h.yaml', cronJob('hourly', '@hourly', '  successfulJobsHistoryLimit: 100\n'));
    await c.run('apply', '-f', 'h.yaml');
    await c.run('clock', 'advance', '10h');
    expect(
      (await json(c, 'get', 'jobs', '-l', 'team=batch')).items.filter((j: { metadata: { name: string } }) =>
        j.metadata.name.startsWith('hourly-'),
      ).length,
    ).toBe(10);
  });

  it('follows the CronJob controller across daylight saving: a skipped time does not run, a repeated time runs twice', async () => {
    const c = await manualCluster();
    const zone = '  timeZone: America/New_York\n  successfulJobsHistoryLimit: 10\n';
    c.file('spring.yaml', cronJob('spring', '30 2 9,10 3 *', zone));
    c.file('fall.yaml', cronJob('fall', '30 1 2,3 11 *', zone));
    await c.run('apply', '-f', 'spring.yaml');
    await c.run('apply', '-f', 'fall.yaml');
    // to 2025-11-04T00:00:00Z
    expect((await c.run('clock', 'advance', `${(Date.UTC(2025, 10, 4) - Date.UTC(2025, 0, 1)) / 3_600_000}h`)).stdout).toBe(
      '2025-11-04T00:00:00Z\n',
    );
    const scheduled = (prefix: string, jobs: { metadata: { name: string; annotations: Record<string, string> } }[]) =>
      jobs
        .filter((j) => j.metadata.name.startsWith(prefix))
        .map((j) => j.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp'])
        .sort();
    const jobs = (await json(c, 'get', 'jobs')).items;
    // 02:30 does not exist on 9 March (robfig/cron: "jobs scheduled during daylight-savings
    // leap-ahead transitions will not be run"); 01:30 happens twice on 2 November
    expect(scheduled('spring-', jobs)).toEqual(['2025-03-10T02:30:00-04:00']);
    expect(scheduled('fall-', jobs)).toEqual(['2025-11-02T01:30:00-04:00', '2025-11-02T01:30:00-05:00', '2025-11-03T01:30:00-05:00']);
  });

  it('skips a run while the previous job is active with concurrencyPolicy Forbid', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('slow', '*/10 * * * *', '  concurrencyPolicy: Forbid\n', '900'));
    await c.run('apply', '-f', 'cj.yaml');
    await c.run('clock', 'advance', '25m');
    // 00:10 ran (until 00:25:01); 00:20 was skipped; the missed 00:20 starts once it finished
    const names = (await json(c, 'get', 'jobs')).items.map((j: { metadata: { name: string } }) => j.metadata.name);
    expect(names).toEqual([`slow-${EPOCH_MINUTES + 10}`]);
    expect((await c.run('events', '--for', 'cronjob/slow')).stdout).toContain(
      'JobAlreadyActive   CronJob/slow   Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    await c.run('clock', 'advance', '2m');
    expect((await json(c, 'get', 'jobs')).items.map((j: { metadata: { name: string } }) => j.metadata.name)).toEqual([
      `slow-${EPOCH_MINUTES + 10}`,
      `slow-${EPOCH_MINUTES + 20}`,
    ]);
  });

  it('is described as kubectl describes a CronJob: policy, limits, job template, last schedule, active jobs', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('slow', '*/10 * * * *', '  concurrencyPolicy: Forbid\n', '900'));
    await c.run('apply', '-f', 'cj.yaml');
    await c.run('clock', 'advance', '12m');
    const d = (await c.run('describe', 'cronjob', 'slow')).stdout;
    expect(d).toMatch(/^Name: +slow\nNamespace: +default\nLabels: +<none>\nAnnotations: +<none>\n/);
    expect(d).toMatch(
      /\nSchedule: +\*\/10 \* \* \* \*\nConcurrency Policy: +Forbid\nSuspend: +False\nSuccessful Job History Limit: +3\nFailed Job History Limit: +1\nStarting Deadline Seconds: +<unset>\nSelector: +<unset>\n/,
    );
    expect(d).toMatch(/\nPod Template:\n/);
    expect(d).toMatch(/\nLast Schedule Time: +Wed, 01 Jan 2025 00:10:00 \+0000\nActive Jobs: +slow-\d+\nEvents:\n/);
    expect(d).toMatch(/SuccessfulCreate +2m +cronjob-controller +Created job slow-\d+\n/);
  });

  it('replaces the running job with concurrencyPolicy Replace', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('swap', '*/10 * * * *', '  concurrencyPolicy: Replace\n', '900'));
    await c.run('apply', '-f', 'cj.yaml');
    await c.run('clock', 'advance', '21m');
    expect((await json(c, 'get', 'jobs')).items.map((j: { metadata: { name: string } }) => j.metadata.name)).toEqual([
      `swap-${EPOCH_MINUTES + 20}`,
    ]);
    expect((await c.run('events', '--for', 'cronjob/swap')).stdout).toContain(`Deleted job swap-${EPOCH_MINUTES + 10}`);
  });

  it('creates nothing while suspended and skips times older than startingDeadlineSeconds', async () => {
    const c = await manualCluster();
    c.file('cj.yaml', cronJob('late', '0 * * * *', '  suspend: true\n  startingDeadlineSeconds: 300\n'));
    await c.run('apply', '-f', 'cj.yaml');
    await c.run('clock', 'advance', '3h10m');
    expect((await c.run('get', 'cj')).stdout).toContain('late   0 * * * *   <none>     True      0        <none>');
    await c.run('patch', 'cronjob', 'late', '-p', '{"spec":{"suspend":false}}');
    await c.run('clock', 'advance', '1m');
    // 03:00 is 10 minutes ago, outside the 5-minute deadline: nothing until 04:00
    expect((await json(c, 'get', 'jobs')).items).toEqual([]);
    await c.run('clock', 'advance', '50m');
    expect((await json(c, 'get', 'jobs')).items.map((j: { metadata: { name: string } }) => j.metadata.name)).toEqual([
      `late-${EPOCH_MINUTES + 240}`,
    ]);
  });

  it('rejects an invalid cron expression or time zone with a validation error naming the field', async () => {
    const c = await manualCluster();
    c.file('a.yaml', cronJob('a', '* * * *'));
    let r = await c.run('apply', '-f', 'a.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The CronJob "a" is invalid: spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]\n',
    );
    c.file('b.yaml', cronJob('b', '61 * * * *'));
    r = await c.run('apply', '-f', 'b.yaml');
    expect(r.stderr).toBe(
      'The CronJob "b" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61\n',
    );
    c.file('c.yaml', cronJob('c', '@fortnightly'));
    expect((await c.run('apply', '-f', 'c.yaml')).stderr).toBe(
      'The CronJob "c" is invalid: spec.schedule: Invalid value: "@fortnightly": unrecognized descriptor: @fortnightly\n',
    );
    c.file('d.yaml', cronJob('d', '0 * * * *', '  timeZone: Mars/Olympus\n'));
    expect((await c.run('apply', '-f', 'd.yaml')).stderr).toBe(
      'The CronJob "d" is invalid: spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus\n',
    );
    expect((await c.run('get', 'cj')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('create job --from=cronjob makes a manual run owned by the CronJob', async () => {
    const c = await manualCluster();
    expect((await c.run('create', 'cronjob', 'nightly', '--image=busybox:1.36', '--schedule=0 2 * * *')).stdout).toBe(
      'cronjob.batch/nightly created\n',
    );
    expect((await c.run('create', 'job', 'manual-1', '--from=cronjob/nightly')).stdout).toBe('job.batch/manual-1 created\n');
    const j = await json(c, 'get', 'job', 'manual-1');
    expect(j.metadata.annotations['cronjob.kubernetes.io/instantiate']).toBe('manual');
    expect(j.metadata.ownerReferences[0]).toMatchObject({ kind: 'CronJob', name: 'nightly', controller: true });
    expect(j.spec.template.spec.restartPolicy).toBe('OnFailure');
    const missing = await c.run('create', 'job', 'x', '--from=cronjob/nope');
    expect([missing.code, missing.stderr]).toEqual([1, 'Error from server (NotFound): cronjobs.batch "nope" not found\n']);
    const neither = await c.run('create', 'job', 'y');
    expect([neither.code, neither.stderr]).toEqual([1, 'error: either --image or --from must be specified\n']);
    expect((await c.run('create', 'job', 'pi', '--image=perl', '--dry-run=client', '-o', 'yaml', '--', 'perl', '-e', '1')).stdout).toBe(
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  creationTimestamp: null\n  name: pi\nspec:\n  template:\n    metadata:\n      creationTimestamp: null\n    spec:\n      containers:\n      - command:\n        - perl\n        - -e\n        - "1"\n        image: perl\n        name: pi\n        resources: {}\n      restartPolicy: Never\nstatus: {}\n',
    );
  });
});
