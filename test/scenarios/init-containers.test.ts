import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const advance = advanceSeconds;
/** READY and STATUS of `get pod NAME` (kubectl's printPod). */
const row = async (c: Cluster, name: string) => {
  const line = (await c.run('get', 'pod', name, '--no-headers')).stdout.trim().split(/\s+/);
  return `${line[1]} ${line[2]}`;
};
const podStatus = async (c: Cluster, name: string) => JSON.parse((await c.run('get', 'pod', name, '-o', 'json')).stdout).status;
const condition = (status: { conditions: { type: string }[] }, type: string) => status.conditions.find((x) => x.type === type);

describe('init containers', () => {
  // https://kubernetes.io/docs/concepts/workloads/pods/init-containers/#init-containers-in-use
  it('the kubernetes.io example: Init:0/2 until both Services exist, then the app runs', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`);
    expect(await row(c, 'myapp-pod')).toBe('0/1 Init:0/2');
    await advance(c, 30);
    expect(await row(c, 'myapp-pod')).toBe('0/1 Init:0/2');
    let s = await podStatus(c, 'myapp-pod');
    expect(s.phase).toBe('Pending');
    expect(condition(s, 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init-myservice init-mydb]',
    });
    expect(s.initContainerStatuses[1].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect((await c.run('logs', 'myapp-pod', '-c', 'init-myservice', '--tail', '1')).stdout).toBe('waiting for myservice\n');
    // the first Service lets the first init container finish; the second still waits
    c.file(
      'svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: myservice}\nspec:\n  ports: [{protocol: TCP, port: 80, targetPort: 9376}]\n',
    );
    await c.run('apply', '-f', 'svc.yaml');
    await advance(c, 3);
    expect(await row(c, 'myapp-pod')).toBe('0/1 Init:1/2');
    s = await podStatus(c, 'myapp-pod');
    expect(s.initContainerStatuses[0]).toMatchObject({ ready: true, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(s.initContainerStatuses[1].state.running).toBeDefined();
    c.file(
      'db.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: mydb}\nspec:\n  ports: [{protocol: TCP, port: 80, targetPort: 9377}]\n',
    );
    await c.run('apply', '-f', 'db.yaml');
    await advance(c, 5);
    expect(await row(c, 'myapp-pod')).toBe('1/1 Running');
    s = await podStatus(c, 'myapp-pod');
    expect(condition(s, 'Initialized')).toMatchObject({ status: 'True' });
    expect((await c.run('logs', 'myapp-pod')).stdout).toBe('The app is running!\n');
    // the kubelet's events name each init container by its field path
    const events = JSON.parse((await c.run('get', 'events', '-o', 'json')).stdout).items as {
      reason: string;
      involvedObject: { fieldPath?: string };
    }[];
    expect(events.filter((e) => e.reason === 'Started').map((e) => e.involvedObject.fieldPath)).toEqual([
      'spec.initContainers{init-myservice}',
      'spec.initContainers{init-mydb}',
      'spec.containers{myapp-container}',
    ]);
  });

  it('Init:Error under restartPolicy Never fails the pod; Init:CrashLoopBackOff restarts it otherwise', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: never}
spec:
  restartPolicy: Never
  initContainers:
  - {name: check, image: busybox, command: [sh, -c, 'echo checking; sleep 3; exit 2']}
  containers:
  - {name: app, image: nginx}
---
apiVersion: v1
kind: Pod
metadata: {name: always}
spec:
  initContainers:
  - {name: ok, image: busybox, command: [sh, -c, 'true']}
  - {name: check, image: busybox, command: [sh, -c, 'echo checking; exit 1']}
  containers:
  - {name: app, image: nginx}
`);
    await advance(c, 2);
    expect(await row(c, 'never')).toBe('0/1 Init:0/1');
    expect(await row(c, 'always')).toBe('0/1 Init:CrashLoopBackOff');
    await advance(c, 3);
    expect(await row(c, 'never')).toBe('0/1 Init:Error');
    const s = await podStatus(c, 'never');
    expect(s.phase).toBe('Failed');
    expect(s.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(s.containerStatuses[0].state).toEqual({ waiting: { reason: 'PodInitializing' } });
    await advance(c, 30);
    const out = (await c.run('get', 'pod', 'always', '--no-headers')).stdout;
    expect(out).toMatch(/^always\s+0\/1\s+Init:CrashLoopBackOff\s+2 \(\d+s ago\)/);
    const always = await podStatus(c, 'always');
    expect(always.phase).toBe('Pending');
    expect(always.initContainerStatuses[1].lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
  });

  it('PodInitializing while the app image is pulled after the init containers', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations: {sim.kubesim.io/image-pull-seconds: "5"}
spec:
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, 'sleep 2']}
  containers:
  - {name: app, image: nginx}
`);
    // busybox pulled 0-5 s, runs 5-7 s; nginx pulled 7-12 s
    await advance(c, 6);
    expect(await row(c, 'p')).toBe('0/1 Init:0/1');
    await advance(c, 3);
    expect(await row(c, 'p')).toBe('0/1 PodInitializing');
    await advance(c, 6);
    expect(await row(c, 'p')).toBe('1/1 Running');
    const pulls = (await c.run('events', '--for', 'pod/p')).stdout.split('\n').filter((l) => /Pulling|Pulled/.test(l));
    expect(pulls.map((l) => l.replace(/^\S+\s+/, '').replace(/\s+/g, ' '))).toEqual([
      'Normal Pulling Pod/p Pulling image "busybox"',
      'Normal Pulled Pod/p Successfully pulled image "busybox" in 5s (5s including waiting). Image size: 30567800 bytes.',
      'Normal Pulling Pod/p Pulling image "nginx"',
      'Normal Pulled Pod/p Successfully pulled image "nginx" in 5s (5s including waiting). Image size: 25901005 bytes.',
    ]);
  });
});

describe('files init containers leave in an emptyDir', () => {
  // https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-initialization/ (a local page instead of wget)
  it('are there for the next init container and the app containers', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: init-demo
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
    volumeMounts:
    - name: workdir
      mountPath: /usr/share/nginx/html
  initContainers:
  - name: install
    image: busybox:1.28
    command: [sh, -c, 'mkdir -p /work-dir/sub && echo "<h1>made by init</h1>" > /work-dir/index.html && echo two > /work-dir/sub/b']
    volumeMounts:
    - name: workdir
      mountPath: "/work-dir"
  - name: second
    image: busybox:1.28
    command: [sh, -c, 'cat /data/index.html >> /data/log; echo second >> /data/log']
    volumeMounts:
    - name: workdir
      mountPath: "/data"
  volumes:
  - name: workdir
    emptyDir: {}
`);
    await advance(c, 5);
    expect(await row(c, 'init-demo')).toBe('1/1 Running');
    const r = await c.run(
      'exec',
      'init-demo',
      '--',
      'cat',
      '/usr/share/nginx/html/index.html',
      '/usr/share/nginx/html/log',
      '/usr/share/nginx/html/sub/b',
    );
    expect(r.stdout).toBe('<h1>made by init</h1>\n<h1>made by init</h1>\nsecond\ntwo\n');
  });
});

describe('native sidecars (initContainers with restartPolicy: Always)', () => {
  it('start before the next init container and the app, keep running, count in READY', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: sidecar}
spec:
  initContainers:
  - {name: log, image: busybox, restartPolicy: Always, command: [sh, -c, 'while true; do echo shipping; sleep 5; done']}
  - {name: setup, image: busybox, command: [sh, -c, 'echo setup; sleep 4']}
  containers:
  - {name: app, image: nginx}
`);
    expect(await row(c, 'sidecar')).toBe('0/2 Init:0/2');
    await advance(c, 1);
    expect(await row(c, 'sidecar')).toBe('0/2 Init:1/2');
    await advance(c, 3);
    // the sidecar is ready (2 s start-up) while setup still runs
    expect(await row(c, 'sidecar')).toBe('1/2 Init:1/2');
    await advance(c, 6);
    expect(await row(c, 'sidecar')).toBe('2/2 Running');
    const s = await podStatus(c, 'sidecar');
    expect(s.initContainerStatuses.map((x: { name: string; started: boolean; ready: boolean }) => [x.name, x.started, x.ready])).toEqual([
      ['log', true, true],
      ['setup', false, true],
    ]);
    expect((await c.run('logs', 'sidecar', '-c', 'log')).stdout).toBe('shipping\nshipping\n');
  });

  it("a Job's pod completes when its app container does: the sidecar is stopped after it", async () => {
    const c = await start(`apiVersion: batch/v1
kind: Job
metadata: {name: sc}
spec:
  template:
    spec:
      restartPolicy: Never
      initContainers:
      - {name: proxy, image: busybox, restartPolicy: Always, command: [sh, -c, 'sleep infinity']}
      containers:
      - {name: work, image: busybox, command: [sh, -c, 'echo working; sleep 5; echo done']}
`);
    await advance(c, 4);
    const before = (await c.run('get', 'pods', '--no-headers')).stdout;
    expect(before).toMatch(/^sc-\w+\s+2\/2\s+Running\s/);
    await advance(c, 5);
    const pod = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items[0];
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.initContainerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect((await c.run('get', 'pods', '--no-headers')).stdout).toMatch(/^sc-\w+\s+0\/2\s+Completed\s/);
    expect((await c.run('get', 'job', 'sc', '-o', 'jsonpath={.status.succeeded}')).stdout).toBe('1');
    const killing = (await c.run('events', '--for', `pod/${pod.metadata.name}`)).stdout;
    expect(killing).toContain('Stopping container proxy');
  });
});
