import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, manualCluster, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const getJson = async (c: Cluster, ...args: string[]) => JSON.parse((await c.run('get', ...args, '-o', 'json')).stdout);
const conditionsOf = (job: { status: { conditions?: { type: string; reason: string; message: string }[] } }) =>
  (job.status.conditions ?? []).map((x) => `${x.type} ${x.reason}: ${x.message}`);

/** Advances a second at a time until `done` holds (at most `limit` seconds); returns the seconds taken. */
async function until(c: Cluster, done: () => Promise<boolean>, limit = 300): Promise<number> {
  for (let s = 0; s <= limit; s++) {
    if (await done()) return s;
    await advanceSeconds(c, 1);
  }
  throw new Error(`not reached within ${limit}s`);
}

describe('Job successPolicy', () => {
  // https://kubernetes.io/docs/concepts/workloads/controllers/job/#success-policy (job-success-policy.yaml).
  // The example's command is a python3 script, which kubesim does not interpret: the same
  // logic in sh (index 2 exits 0; the others fail, here after 30 s so the success comes first).
  it('job-success-policy example: index 2 succeeding meets the rule, the other pods are stopped, Complete with reason SuccessPolicy', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata:
  name: job-success
spec:
  parallelism: 10
  completions: 10
  completionMode: Indexed # Required for the success policy
  successPolicy:
    rules:
      - succeededIndexes: 0,2-3
        succeededCount: 1
  template:
    spec:
      containers:
      - name: main
        image: python
        command:
          - sh
          - -c
          - |
            if [ "$JOB_COMPLETION_INDEX" = "2" ]; then exit 0; else sleep 30; exit 1; fi
      restartPolicy: Never
`);
    await until(c, async () => (await getJson(c, 'job', 'job-success')).status.conditions !== undefined);
    const met = await getJson(c, 'job', 'job-success');
    expect(conditionsOf(met)).toEqual(['SuccessCriteriaMet SuccessPolicy: Matched rules at index 0']);
    expect(met.status).toMatchObject({ completedIndexes: '2', succeeded: 1 });
    expect((await c.run('get', 'job', 'job-success', '--no-headers')).stdout).toMatch(/^job-success\s+SuccessCriteriaMet\s+1\/10\s/);
    // the other nine pods are being stopped; Complete comes once none is left
    expect(met.status.terminating).toBe(9);
    await until(c, async () => (await getJson(c, 'job', 'job-success')).status.completionTime !== undefined);
    const done = await getJson(c, 'job', 'job-success');
    expect(conditionsOf(done)).toEqual([
      'SuccessCriteriaMet SuccessPolicy: Matched rules at index 0',
      'Complete SuccessPolicy: Matched rules at index 0',
    ]);
    // pods stopped because the Job succeeded are not failures
    expect(done.status.failed).toBeUndefined();
    expect(done.status.active).toBeUndefined();
    expect((await c.run('get', 'job', 'job-success', '--no-headers')).stdout).toMatch(/^job-success\s+Complete\s+1\/10\s/);
    expect((await c.run('events', '--for', 'job/job-success')).stdout).toMatch(/Completed\s+Job\/job-success\s+Job completed/);
  });

  it('a rule with succeededCount alone: two succeeded indexes are enough', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata: {name: two}
spec:
  completions: 5
  parallelism: 1
  completionMode: Indexed
  successPolicy:
    rules: [{succeededCount: 2}]
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: [sh, -c, 'echo index $JOB_COMPLETION_INDEX']}]
`);
    await until(c, async () => (await getJson(c, 'job', 'two')).status.completionTime !== undefined);
    const job = await getJson(c, 'job', 'two');
    expect(job.status).toMatchObject({ completedIndexes: '0,1', succeeded: 2 });
    expect(conditionsOf(job)[1]).toBe('Complete SuccessPolicy: Matched rules at index 0');
    expect((await c.run('logs', 'job/two')).stdout).toBe('index 0\n');
  });

  it('refuses a successPolicy without Indexed mode and malformed rules, in the API server words', async () => {
    const c = await manualCluster();
    const job = (spec: string) => `apiVersion: batch/v1
kind: Job
metadata: {name: bad}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox}]
`;
    const apply = async (spec: string) => {
      c.file('bad.yaml', job(spec));
      return c.run('apply', '-f', 'bad.yaml');
    };
    expect(await apply('  completions: 3\n  successPolicy: {rules: [{succeededCount: 1}]}')).toMatchObject({
      code: 1,
      stderr:
        'The Job "bad" is invalid: spec.successPolicy: Invalid value: batch.SuccessPolicy{Rules:[]batch.SuccessPolicyRule{batch.SuccessPolicyRule{SucceededIndexes:(*string)(nil), SucceededCount:(*int32)(0xc000000000)}}}: requires indexed completion mode\n',
    });
    expect((await apply('  completions: 3\n  completionMode: Indexed\n  successPolicy: {rules: []}')).stderr).toBe(
      'The Job "bad" is invalid: spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified\n',
    );
    expect((await apply('  completions: 3\n  completionMode: Indexed\n  successPolicy: {rules: [{}]}')).stderr).toBe(
      'The Job "bad" is invalid: spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified\n',
    );
    expect((await apply('  completions: 3\n  completionMode: Indexed\n  successPolicy: {rules: [{succeededIndexes: "0,5"}]}')).stderr).toBe(
      'The Job "bad" is invalid: spec.successPolicy.rules[0].succeededIndexes: Invalid value: "0,5": error parsing succeededIndexes: too large index: "5"\n',
    );
    expect((await apply('  completions: 3\n  completionMode: Indexed\n  successPolicy: {rules: [{succeededIndexes: "2,1"}]}')).stderr).toBe(
      'The Job "bad" is invalid: spec.successPolicy.rules[0].succeededIndexes: Invalid value: "2,1": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1\n',
    );
    expect(
      (await apply('  completions: 3\n  completionMode: Indexed\n  successPolicy: {rules: [{succeededIndexes: "0-1", succeededCount: 3}]}'))
        .stderr,
    ).toBe(
      'The Job "bad" is invalid: spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)\n',
    );
    expect((await c.run('get', 'jobs')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('Job backoffLimitPerIndex', () => {
  // https://kubernetes.io/docs/concepts/workloads/controllers/job/#backoff-limit-per-index
  // (job-backoff-limit-per-index-example.yaml; its python3 script as sh: even indexes fail).
  it('job-backoff-limit-per-index example: even indexes fail twice each and the Job fails with FailedIndexes', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata:
  name: job-backoff-limit-per-index-example
spec:
  completions: 10
  parallelism: 3
  completionMode: Indexed  # required for the feature
  backoffLimitPerIndex: 1  # maximal number of failures per index
  maxFailedIndexes: 5      # maximal number of failed indexes before terminating the Job execution
  template:
    spec:
      restartPolicy: Never # required for the feature
      containers:
      - name: example
        image: python
        command:
        - sh
        - -c
        - |
          echo "Hello world"
          if [ $((JOB_COMPLETION_INDEX % 2)) -eq 0 ]; then exit 1; fi
`);
    const name = 'job-backoff-limit-per-index-example';
    const job0 = await getJson(c, 'job', name);
    expect(job0.spec.backoffLimit).toBe(2147483647);
    // the first failure of index 0: its replacement waits out the 10 s back-off and carries the count
    await until(c, async () => (await getJson(c, 'pods', '-l', 'batch.kubernetes.io/job-completion-index=0')).items.length === 2, 60);
    const [first, second] = (await getJson(c, 'pods', '-l', 'batch.kubernetes.io/job-completion-index=0')).items.sort(
      (a: { metadata: { creationTimestamp: string } }, b: { metadata: { creationTimestamp: string } }) =>
        a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp),
    );
    expect(first.metadata.annotations['batch.kubernetes.io/job-index-failure-count']).toBe('0');
    expect(second.metadata.annotations['batch.kubernetes.io/job-index-failure-count']).toBe('1');
    expect(Date.parse(second.metadata.creationTimestamp) - Date.parse(first.status.containerStatuses[0].state.terminated.finishedAt)).toBe(
      10_000,
    );
    await until(c, async () => (await getJson(c, 'job', name)).status.conditions?.some((x: { type: string }) => x.type === 'Failed'));
    const job = await getJson(c, 'job', name);
    expect(job.status).toMatchObject({ completedIndexes: '1,3,5,7,9', failedIndexes: '0,2,4,6,8', succeeded: 5, failed: 10 });
    expect(conditionsOf(job)).toEqual([
      'FailureTarget FailedIndexes: Job has failed indexes',
      'Failed FailedIndexes: Job has failed indexes',
    ]);
    expect((await c.run('get', 'job', name, '--no-headers')).stdout).toMatch(/\s+Failed\s+5\/10\s/);
    expect((await c.run('events', '--for', `job/${name}`)).stdout).toMatch(/Warning\s+FailedIndexes\s+Job\/\S+\s+Job has failed indexes/);
  });

  it('maxFailedIndexes: the Job fails with MaxFailedIndexesExceeded once more indexes failed than allowed, without running the rest', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata: {name: capped}
spec:
  completions: 6
  parallelism: 2
  completionMode: Indexed
  backoffLimitPerIndex: 0
  maxFailedIndexes: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: main, image: busybox, command: [sh, -c, 'exit 1']}]
`);
    await until(
      c,
      async () =>
        (await getJson(c, 'job', 'capped')).status.completionTime !== undefined ||
        (await getJson(c, 'job', 'capped')).status.conditions?.length === 2,
    );
    const job = await getJson(c, 'job', 'capped');
    expect(conditionsOf(job)).toEqual([
      'FailureTarget MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes',
      'Failed MaxFailedIndexesExceeded: Job has exceeded the specified maximal number of failed indexes',
    ]);
    expect(job.status).toMatchObject({ failedIndexes: '0,1', failed: 2 });
    // no index past the first two was started
    expect((await getJson(c, 'pods')).items).toHaveLength(2);
  });

  it('the FailIndex action fails an index at its first failure, with backoffLimitPerIndex retries left', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata: {name: fail-index}
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  backoffLimitPerIndex: 3
  podFailurePolicy:
    rules:
    - action: FailIndex
      onExitCodes: {operator: In, values: [42]}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox
        command: [sh, -c, 'if [ "$JOB_COMPLETION_INDEX" = "1" ]; then exit 42; fi']
`);
    await until(c, async () =>
      (await getJson(c, 'job', 'fail-index')).status.conditions?.some((x: { type: string }) => x.type === 'Failed'),
    );
    const job = await getJson(c, 'job', 'fail-index');
    expect(job.spec.podReplacementPolicy).toBe('Failed');
    expect(job.status).toMatchObject({ completedIndexes: '0,2', failedIndexes: '1', succeeded: 2, failed: 1 });
    expect(conditionsOf(job)[1]).toBe('Failed FailedIndexes: Job has failed indexes');
    expect((await getJson(c, 'pods')).items).toHaveLength(3);
  });

  it('refuses per-index settings outside Indexed mode and FailIndex without backoffLimitPerIndex', async () => {
    const c = await manualCluster();
    const apply = async (spec: string, restartPolicy = 'Never') => {
      c.file(
        'bad.yaml',
        `apiVersion: batch/v1
kind: Job
metadata: {name: bad}
spec:
${spec}
  template:
    spec:
      restartPolicy: ${restartPolicy}
      containers: [{name: main, image: busybox}]
`,
      );
      return (await c.run('apply', '-f', 'bad.yaml')).stderr;
    };
    expect(await apply('  backoffLimitPerIndex: 1')).toBe(
      'The Job "bad" is invalid: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode\n',
    );
    expect(await apply('  completions: 2\n  completionMode: Indexed\n  maxFailedIndexes: 1')).toBe(
      'The Job "bad" is invalid: spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified\n',
    );
    expect(await apply('  completions: 2\n  completionMode: Indexed\n  backoffLimitPerIndex: 1\n  maxFailedIndexes: 3')).toBe(
      'The Job "bad" is invalid: spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions\n',
    );
    expect(await apply('  podFailurePolicy: {rules: [{action: FailIndex, onExitCodes: {operator: In, values: [1]}}]}')).toBe(
      'The Job "bad" is invalid: spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set\n',
    );
    expect(await apply('  podFailurePolicy: {rules: [{action: Retry, onExitCodes: {operator: In, values: [1]}}]}')).toBe(
      'The Job "bad" is invalid: spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry": supported values: "Count", "FailIndex", "FailJob", "Ignore"\n',
    );
    expect(await apply('  podFailurePolicy: {rules: [{action: Ignore, onExitCodes: {operator: In, values: [1]}}]}', 'OnFailure')).toBe(
      'The Job "bad" is invalid: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified\n',
    );
  });
});
