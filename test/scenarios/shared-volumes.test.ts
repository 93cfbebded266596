import { describe, it, expect } from 'vitest';
import { advanceSeconds, clusterWith, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const ready = async (c: Cluster, pod: string, container: string) =>
  (await c.run('get', 'pod', pod, '-o', `jsonpath={.status.containerStatuses[?(@.name=="${container}")].ready}`)).stdout;

describe("an emptyDir's files, as the pod's other containers see them over time", () => {
  it('an exec readiness probe reads what a sidecar writes to the shared volume, from the instant it is written', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  nodeName: node-1
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 100000']
    volumeMounts: [{name: shared, mountPath: /shared}]
    readinessProbe:
      exec: {command: [cat, /shared/ready]}
      periodSeconds: 5
  - name: sidecar
    image: busybox
    command: [sh, -c, 'sleep 30; touch /data/ready; sleep 30; rm /data/ready; sleep 100000']
    volumeMounts: [{name: shared, mountPath: /data}]
`);
    await advanceSeconds(c, 20);
    expect(await ready(c, 'gated', 'app')).toBe('false');
    expect((await c.run('get', 'pod', 'gated', '--no-headers')).stdout).toMatch(/^gated\s+1\/2\s+Running/);
    await advanceSeconds(c, 20);
    // the file appeared at 30 s; the probe every 5 s saw it (the sidecar started at 00:00:00.x)
    expect(await ready(c, 'gated', 'app')).toBe('true');
    expect((await c.run('get', 'pod', 'gated', '--no-headers')).stdout).toMatch(/^gated\s+2\/2\s+Running/);
    // removed at 60 s: three failures later it is not ready again
    await advanceSeconds(c, 40);
    expect(await ready(c, 'gated', 'app')).toBe('false');
    const events = (await c.run('get', 'events', '--field-selector', 'involvedObject.name=gated')).stdout;
    expect(events).toContain("Readiness probe failed: cat: can't open '/shared/ready': No such file or directory");
  });

  it('the kubernetes.io "two containers sharing a volume" example: nginx serves what debian wrote before it ended', async () => {
    // https://kubernetes.io/docs/tasks/access-application-cluster/communicate-containers-same-pod-shared-volume/
    const c = await start(`apiVersion: v1
kind: Pod
metadata:
  name: two-containers
spec:
  restartPolicy: Never
  volumes:
  - name: shared-data
    emptyDir: {}
  containers:
  - name: nginx-container
    image: nginx
    volumeMounts:
    - name: shared-data
      mountPath: /usr/share/nginx/html
  - name: debian-container
    image: debian
    volumeMounts:
    - name: shared-data
      mountPath: /pod-data
    command: ["/bin/sh"]
    args: ["-c", "echo Hello from the debian container > /pod-data/index.html"]
`);
    await advanceSeconds(c, 10);
    const status = JSON.parse((await c.run('get', 'pod', 'two-containers', '-o', 'json')).stdout).status;
    expect(status.containerStatuses.find((s: { name: string }) => s.name === 'debian-container').state.terminated.reason).toBe('Completed');
    // the debian container has ended; what it wrote stays in the volume
    expect(await c.run('exec', 'two-containers', '-c', 'nginx-container', '--', 'curl', '-s', 'localhost')).toMatchObject({
      code: 0,
      stdout: 'Hello from the debian container\n',
    });
    expect((await c.run('exec', 'two-containers', '-c', 'nginx-container', '--', 'cat', '/usr/share/nginx/html/index.html')).stdout).toBe(
      'Hello from the debian container\n',
    );
    // nginx's 404 for a file that is not there; wget fails on it
    expect((await c.run('exec', 'two-containers', '-c', 'nginx-container', '--', 'curl', '-s', 'localhost/missing.html')).stdout).toContain(
      '<head><title>404 Not Found</title></head>',
    );
    expect(
      (await c.run('exec', 'two-containers', '-c', 'nginx-container', '--', 'wget', '-qO-', 'http://127.0.0.1/missing.html')).code,
    ).toBe(1);
  });

  it('localhost in a pod: an nginx container serves its image index page; a declared port answers; nothing listening is refused', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: local}
spec:
  nodeName: node-1
  containers:
  - name: web
    image: nginx:1.27
  - name: api
    image: busybox
    command: [sh, -c, 'sleep 100000']
    ports: [{containerPort: 8080}]
`);
    await advanceSeconds(c, 10);
    expect((await c.run('exec', 'local', '-c', 'api', '--', 'curl', '-s', 'localhost')).stdout).toContain('<h1>Welcome to nginx!</h1>');
    expect((await c.run('exec', 'local', '-c', 'web', '--', 'curl', '-s', 'localhost:8080/x')).stdout).toBe(
      'Hostname: local\nIP: ' +
        JSON.parse((await c.run('get', 'pod', 'local', '-o', 'json')).stdout).status.podIP +
        '\nGET /x HTTP/1.1\nHost: localhost:8080\n',
    );
    expect(await c.run('exec', 'local', '-c', 'web', '--', 'curl', '-s', 'localhost:9090')).toMatchObject({ code: 7 });
  });

  it("a container's own process sees what another writes there, when it is written: a handshake through files", async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: waiter}
spec:
  nodeName: node-1
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'until [ -f /shared/ready ]; do sleep 1; done; echo go $(cat /shared/ready); echo ack > /shared/ack; sleep 100000']
    volumeMounts: [{name: shared, mountPath: /shared}]
  - name: sidecar
    image: busybox
    command: [sh, -c, 'sleep 30; echo token > /data/ready; until [ -f /data/ack ]; do sleep 2; done; echo acked; rm /data/ready; sleep 100000']
    volumeMounts: [{name: shared, mountPath: /data}]
`);
    await advanceSeconds(c, 20);
    // still waiting: nothing written yet
    expect((await c.run('logs', 'waiter', '-c', 'app')).stdout).toBe('');
    await advanceSeconds(c, 40);
    // the sidecar started at 00:00:01 and wrote at 00:00:31; the app's next look (every second) saw it
    expect((await c.run('logs', 'waiter', '-c', 'app', '--timestamps')).stdout).toBe('2025-01-01T00:00:31Z go token\n');
    // the app's answer, seen by the sidecar's next look two seconds later
    expect((await c.run('logs', 'waiter', '-c', 'sidecar', '--timestamps')).stdout).toBe('2025-01-01T00:00:33Z acked\n');
    // the sidecar's removal is seen in the app's container too
    expect((await c.run('exec', 'waiter', '-c', 'app', '--', 'ls', '/shared')).stdout).toBe('ack\n');
    expect((await c.run('exec', 'waiter', '-c', 'sidecar', '--', 'ls', '/data')).stdout).toBe('ack\n');
  });

  it('a preStop hook reads what another container wrote to the shared volume', async () => {
    const c = await start(`apiVersion: v1
kind: Pod
metadata: {name: drain}
spec:
  nodeName: node-1
  terminationGracePeriodSeconds: 30
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 100000']
    volumeMounts: [{name: shared, mountPath: /shared}]
    lifecycle:
      preStop:
        exec: {command: [sh, -c, 'test -f /shared/token']}
  - name: writer
    image: busybox
    command: [sh, -c, 'sleep 5; echo t > /w/token; sleep 100000']
    volumeMounts: [{name: shared, mountPath: /w}]
`);
    await advanceSeconds(c, 10);
    await c.run('delete', 'pod', 'drain', '--wait=false');
    await advanceSeconds(c, 40);
    const events = (await c.run('get', 'events', '--field-selector', 'involvedObject.name=drain')).stdout;
    expect(events).not.toContain('FailedPreStopHook');
  });
});
