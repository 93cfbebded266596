import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const status = async (c: Cluster, name: string) => JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout).status;
const advance = advanceSeconds;

describe('containers run their commands', () => {
  // https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-command
  it('liveness-exec: the probe fails once /tmp/healthy is removed and the container is restarted after ~35s', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    image: registry.k8s.io/busybox
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600
    livenessProbe:
      exec:
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5
      periodSeconds: 5
`);
    await advance(c, 30);
    expect((await status(c, 'liveness-exec')).containerStatuses[0].restartCount).toBe(0);
    // started at 1s (image pull); rm at 31s; the probes at 31, 36 and 41 fail: killed at 41
    await advance(c, 10);
    expect((await status(c, 'liveness-exec')).containerStatuses[0].state.running).toBeDefined();
    await advance(c, 1);
    const s = (await status(c, 'liveness-exec')).containerStatuses[0];
    expect(s.state.waiting?.reason ?? s.state.running).toBeTruthy();
    expect(s.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    const events = (await c.run('get', 'events', '--field-selector', 'involvedObject.name=liveness-exec', '-o', 'json')).stdout;
    expect(events).toContain("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory");
    expect(events).toContain('Container liveness failed liveness probe, will be restarted');
  });

  it('exit codes: a container that exits 3 under restartPolicy Never fails with Error; exit 0 completes', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: fails
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo working; sleep 5; exit 3']
---
apiVersion: v1
kind: Pod
metadata:
  name: works
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 5']
`);
    await advance(c, 5);
    expect((await status(c, 'fails')).phase).toBe('Running');
    await advance(c, 2);
    const failed = await status(c, 'fails');
    expect(failed.phase).toBe('Failed');
    expect(failed.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    const worked = await status(c, 'works');
    expect(worked.phase).toBe('Succeeded');
    expect(worked.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  it('restartPolicy Always: a command that exits goes into CrashLoopBackOff with lastState.terminated', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: crashy
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exit 2']
`);
    await advance(c, 3);
    const s = await status(c, 'crashy');
    expect(s.containerStatuses[0].state.waiting.reason).toBe('CrashLoopBackOff');
    expect(s.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect((await c.run('get', 'pod', 'crashy')).stdout).toMatch(/crashy\s+0\/1\s+CrashLoopBackOff/);
  });

  it('a server loop keeps running; annotations still decide when they are set', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: loop
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'while true; do echo tick; sleep 1; done']
---
apiVersion: v1
kind: Pod
metadata:
  name: scripted
  annotations:
    sim.kubesim.io/crash-after-seconds: "20"
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'exit 0']
`);
    await advance(c, 3600);
    const loop = await status(c, 'loop');
    expect(loop.containerStatuses[0]).toMatchObject({ restartCount: 0, ready: true });
    expect((await status(c, 'scripted')).containerStatuses[0].restartCount).toBeGreaterThan(0);
    expect((await status(c, 'scripted')).containerStatuses[0].lastState.terminated.exitCode).toBe(1);
  });
});

describe('kubesim logs and exec', () => {
  const twoContainers = `apiVersion: v1
kind: Pod
metadata:
  name: duo
  labels: {app: duo}
spec:
  containers:
  - name: ticker
    image: busybox
    command: [sh, -c, 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 10; done']
  - name: web
    image: nginx
`;

  it('prints a container log with --tail, --timestamps, --since and --prefix; defaults to the first container', async () => {
    const c = await start(twoContainers);
    await advance(c, 35);
    const r = await c.run('logs', 'duo');
    expect(r.stderr).toBe('Defaulted container "ticker" out of: ticker, web\n');
    expect(r.stdout).toBe('tick 0\ntick 1\ntick 2\ntick 3\n');
    expect((await c.run('logs', 'duo', '-c', 'ticker', '--tail', '1', '--timestamps')).stdout).toBe('2025-01-01T00:00:31Z tick 3\n');
    expect((await c.run('logs', 'duo', '-c', 'ticker', '--since', '15s')).stdout).toBe('tick 2\ntick 3\n');
    expect((await c.run('logs', 'pod/duo', '-c', 'ticker', '--prefix', '--tail=2')).stdout).toBe(
      '[pod/duo/ticker] tick 2\n[pod/duo/ticker] tick 3\n',
    );
    const nginx = (await c.run('logs', 'duo', '-c', 'web')).stdout;
    expect(nginx).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    const all = (await c.run('logs', '-l', 'app=duo', '--all-containers', '--prefix')).stdout;
    expect(all).toContain('[pod/duo/ticker] tick 3\n');
    expect(all).toContain('[pod/duo/web] /docker-entrypoint.sh: Configuration complete');
  });

  it("kubectl's errors: unknown container, no previous instance, waiting container, bad flags", async () => {
    const c = await start(twoContainers);
    expect(await c.run('logs', 'duo', '-c', 'nope')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): container nope is not valid for pod duo\n',
    });
    expect((await c.run('logs', 'duo', '-c', 'ticker')).stderr).toBe(
      'Error from server (BadRequest): container "ticker" in pod "duo" is waiting to start: ContainerCreating\n',
    );
    await advance(c, 5);
    expect(await c.run('logs', 'duo', '-c', 'ticker', '-p')).toMatchObject({
      code: 1,
      stderr: 'Error from server (BadRequest): previous terminated container "ticker" in pod "duo" not found\n',
    });
    expect((await c.run('logs')).stderr).toBe(
      "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubesim logs -h' for help and examples\n",
    );
    expect((await c.run('logs', 'duo', '--since', '1m', '--since-time', '2025-01-01T00:00:00Z')).stderr).toBe(
      'error: at most one of `sinceTime` or `sinceSeconds` may be specified\n',
    );
    expect((await c.run('logs', 'duo', '--tail', '-2')).stderr).toBe('error: --tail must be greater than or equal to -1\n');
    expect((await c.run('logs', 'duo', '--all-containers', '-c', 'web')).stderr).toBe(
      'error: --all-containers=true should not be specified with container name web\n',
    );
    // cmdutil.GetPodRunningTimeoutFlag in Complete (kubectl v1.32: a plain error, not a usage error, for logs)
    expect(await c.run('logs', 'duo', '--pod-running-timeout=0')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: --pod-running-timeout must be higher than zero\n',
    });
    expect((await c.run('logs', 'duo', '--pod-running-timeout=abc')).stderr).toBe(
      'error: invalid argument "abc" for "--pod-running-timeout" flag: time: invalid duration "abc"\nSee \'kubesim logs --help\' for usage.\n',
    );
  });

  it('--previous shows the run that crashed; the current run starts afresh', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: crashy
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo "started at $(date +%s)"; sleep 5; echo "giving up" >&2; exit 1']
`);
    await advance(c, 20);
    const previous = (await c.run('logs', 'crashy', '-p')).stdout;
    expect(previous).toBe(`started at ${Date.UTC(2025, 0, 1, 0, 0, 1) / 1000}\ngiving up\n`);
    const current = (await c.run('logs', 'crashy')).stdout;
    // exited at 6s, back-off 10s, then busybox:latest is pulled again (imagePullPolicy Always, 1s)
    expect(current).toBe(`started at ${Date.UTC(2025, 0, 1, 0, 0, 17) / 1000}\n`);
  });

  it('-f follows in virtual time until the container ends', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: counter
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'for i in 1 2 3; do echo $i; sleep 60; done']
`);
    await advance(c, 2);
    expect((await c.run('logs', '-f', 'counter')).stdout).toBe('1\n2\n3\n');
    expect((await c.run('get', 'pod', 'counter')).stdout).toMatch(/Completed/);
  });

  it('downward API volume: the kubernetes.io example prints its labels in logs', async () => {
    // https://kubernetes.io/docs/tasks/inject-data-application/downward-api-volume-expose-pod-information/
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: kubernetes-downwardapi-volume-example
  labels:
    zone: us-est-coast
    cluster: test-cluster1
    rack: rack-22
  annotations:
    build: two
    builder: john-doe
spec:
  containers:
    - name: client-container
      image: registry.k8s.io/busybox
      command: ["sh", "-c"]
      args:
      - while true; do
          if [[ -e /etc/podinfo/labels ]]; then
            echo -en '\\n\\n'; cat /etc/podinfo/labels; fi;
          if [[ -e /etc/podinfo/annotations ]]; then
            echo -en '\\n\\n'; cat /etc/podinfo/annotations; fi;
          sleep 5;
        done;
      volumeMounts:
        - name: podinfo
          mountPath: /etc/podinfo
  volumes:
    - name: podinfo
      downwardAPI:
        items:
          - path: "labels"
            fieldRef:
              fieldPath: metadata.labels
          - path: "annotations"
            fieldRef:
              fieldPath: metadata.annotations
`);
    await advance(c, 12);
    const out = (await c.run('logs', 'kubernetes-downwardapi-volume-example')).stdout;
    expect(out).toContain('cluster="test-cluster1"\nrack="rack-22"\nzone="us-est-coast"');
    expect(out).toContain('build="two"\nbuilder="john-doe"');
    expect(out.split('rack="rack-22"').length - 1).toBe(3);
  });

  it('exec runs a command in the container: its files, env, service account volume and exit code', async () => {
    const c = await start(`apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  greeting: hello
---
apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'echo ready > /tmp/state; sleep 3600']
    env:
    - name: GREETING
      valueFrom: {configMapKeyRef: {name: cfg, key: greeting}}
    - name: MY_POD
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    volumeMounts:
    - {name: cfg, mountPath: /etc/cfg}
  volumes:
  - name: cfg
    configMap: {name: cfg}
`);
    await advance(c, 5);
    expect((await c.run('exec', 'box', '--', 'cat', '/tmp/state', '/etc/cfg/greeting')).stdout).toBe('ready\nhello');
    expect((await c.run('exec', 'box', '--', 'sh', '-c', 'echo $GREETING $MY_POD $(hostname)')).stdout).toBe('hello box box\n');
    expect((await c.run('exec', 'box', '--', 'cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace')).stdout).toBe('default');
    expect(await c.run('exec', 'box', '--', 'sh', '-c', 'exit 3')).toMatchObject({
      code: 3,
      stderr: 'command terminated with exit code 3\n',
    });
    expect(await c.run('exec', 'box', '--', 'touch', '/etc/cfg/x')).toMatchObject({
      code: 1,
      stderr: 'touch: /etc/cfg/x: Read-only file system\ncommand terminated with exit code 1\n',
    });
    expect((await c.run('exec', 'box')).stderr).toBe(
      "error: you must specify at least one command for the container\nSee 'kubesim exec -h' for help and examples\n",
    );
  });
});

describe('Job exit codes', () => {
  // https://kubernetes.io/docs/tasks/job/pod-failure-policy/#using-pod-failure-policy-to-avoid-unnecessary-pod-retries
  it('pod-failure-policy example: exit 42 matches the FailJob rule and fails the Job', async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata:
  name: job-pod-failure-policy-failjob
spec:
  completions: 8
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: docker.io/library/bash:5
        command: ["bash"]
        args:
        - -c
        - echo "Hello world! I'm going to exit with 42 to simulate a software bug." && sleep 30 && exit 42
  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes:
        containerName: main
        operator: In
        values: [42]
`);
    await advance(c, 20);
    expect((await c.run('get', 'job', 'job-pod-failure-policy-failjob', '-o', 'jsonpath={.status.active}')).stdout).toBe('2');
    await advance(c, 15);
    const job = JSON.parse((await c.run('get', 'job', 'job-pod-failure-policy-failjob', '-o', 'json')).stdout);
    const failed = job.status.conditions.find((x: { type: string }) => x.type === 'Failed');
    expect(failed).toMatchObject({ status: 'True', reason: 'PodFailurePolicy' });
    expect(failed.message).toMatch(
      /^Container main for pod default\/job-pod-failure-policy-failjob-\w+ failed with exit code 42 matching FailJob rule at index 0$/,
    );
    const logs = (await c.run('logs', 'job/job-pod-failure-policy-failjob')).stdout;
    expect(logs).toBe("Hello world! I'm going to exit with 42 to simulate a software bug.\n");
  });
});
