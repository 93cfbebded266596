import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { afterEach, describe, it, expect } from 'vitest';
import * as YAML from 'yaml';
import { kubesim, tempCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import { wallNow } from '../../src/clock/clock';

/**
 * `kubesim serve` driven by the real kubectl v1.32 (installed with the Google Cloud SDK on these
 * machines). Without it these tests are skipped, and say so.
 */
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const haveKubectl = fs.existsSync(KUBECTL);
const bin = path.resolve(__dirname, '../../bin/kubesim');

interface Served {
  state: string;
  dir: string;
  kubeconfig: string;
  url: string;
  child: ChildProcess;
  kubectl(...args: string[]): { code: number | null; stdout: string; stderr: string };
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function serve(extra: string[] = []): Promise<Served> {
  const t = tempCluster('kubesim-serve-');
  const kubeconfig = path.join(t.dir, 'kubeconfig');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--kubeconfig', kubeconfig, ...extra], {
    env: { ...process.env, KUBESIM_STATE: t.state },
  });
  running.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const url = /at (https:\/\/\S+) /.exec(line)![1];
  const cache = path.join(t.dir, 'kube-cache');
  return {
    ...t,
    kubeconfig,
    url,
    child,
    kubectl: (...args: string[]) => {
      const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cache, ...args], { encoding: 'utf8', timeout: 60_000 });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', (code, signal) => resolve({ code, signal }));
        child.kill('SIGTERM');
      }),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- watch events are JSON of any kind
type WatchEvent = { type: string; object: Record<string, any> };

/** A raw HTTPS request with the kubeconfig's client certificate (what client libraries send). */
function clientOf(s: Served) {
  const config = YAML.parse(fs.readFileSync(s.kubeconfig, 'utf8'));
  const user = config.users[0].user;
  const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  const tls = {
    ca: decode(config.clusters[0].cluster['certificate-authority-data']),
    cert: decode(user['client-certificate-data']),
    key: decode(user['client-key-data']),
  };
  return {
    tls,
    /** streams a watch and collects its events until `until` says stop */
    watch(urlPath: string, until: (events: WatchEvent[]) => boolean): Promise<WatchEvent[]> {
      return new Promise((resolve, reject) => {
        const events: WatchEvent[] = [];
        const req = https.get(`${s.url}${urlPath}`, tls, (res) => {
          let buffer = '';
          res.on('data', (d) => {
            buffer += d;
            let nl: number;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              events.push(JSON.parse(buffer.slice(0, nl)));
              buffer = buffer.slice(nl + 1);
            }
            if (until(events)) {
              req.destroy();
              resolve(events);
            }
          });
          res.on('end', () => resolve(events));
        });
        req.on('error', (e) => (events.length ? resolve(events) : reject(e)));
      });
    },
  };
}

describe('kubesim serve, without kubectl', () => {
  it('checks its flags before serving', async () => {
    const t = tempCluster();
    expect((await kubesim(t.state, ['serve', '--port', '70000'])).stderr).toBe(
      'error: invalid argument "70000" for "--port" flag: must be a port number between 0 and 65535\n',
    );
    expect((await kubesim(t.state, ['serve', '--speed', 'fast'])).code).toBe(1);
    expect((await kubesim(t.state, ['serve', '--address', 'example.com'])).stderr).toBe(
      'error: invalid argument "example.com" for "--address" flag: must be an IP address\n',
    );
  });

  it('merges its cluster, user and context into an existing kubeconfig with --merge-kubeconfig', async () => {
    const t = tempCluster('kubesim-serve-');
    const existing = path.join(t.dir, 'config');
    fs.writeFileSync(
      existing,
      YAML.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'prod', cluster: { server: 'https://prod.example:6443' } }],
        users: [{ name: 'prod', user: { token: 'x' } }],
        contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'prod' } }],
        'current-context': 'prod',
      }),
    );
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--merge-kubeconfig'], {
      env: { ...process.env, KUBESIM_STATE: t.state, KUBECONFIG: existing },
    });
    running.push(child);
    const line = await new Promise<string>((resolve) => child.stdout.on('data', (d) => resolve(String(d))));
    expect(line).toMatch(
      new RegExp(`^Serving cluster state at https://127\\.0\\.0\\.1:\\d+ \\(kubeconfig: ${existing.replace(/[.]/g, '\\.')}\\)\\n$`),
    );
    const merged = YAML.parse(fs.readFileSync(existing, 'utf8'));
    expect(merged.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'state']);
    expect(merged['current-context']).toBe('state');
    expect(fs.statSync(existing).mode & 0o777).toBe(0o600);
    child.kill('SIGTERM');
  });
});

describe.skipIf(!haveKubectl)(
  'kubesim serve with the real kubectl v1.32 (skipped when /usr/lib/google-cloud-sdk/bin/kubectl.1.32 is absent)',
  () => {
    it('prints where it serves, writes a kubeconfig, serves get/apply/scale/label/describe/delete, and exits 0 on SIGTERM', async () => {
      const s = await serve();
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const config = YAML.parse(fs.readFileSync(s.kubeconfig, 'utf8'));
      expect(config['current-context']).toBe('state');
      expect(config.clusters[0].cluster.server).toBe(s.url);
      expect(s.kubectl('get', 'nodes').stdout).toMatch(
        /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nnode-1\s+Ready\s+<none>\s+\d+s\s+v1\.32\.0\n/,
      );
      fs.writeFileSync(path.join(s.dir, 'd.yaml'), deploymentYaml({ replicas: 3 }));
      // kubectl finds fieldValidation in the served OpenAPI v3 and leaves strict validation to the server
      fs.writeFileSync(path.join(s.dir, 'typo.yaml'), deploymentYaml({ replicas: 3 }).replace('replicas: 3', 'replcas: 3'));
      expect(s.kubectl('apply', '-f', path.join(s.dir, 'typo.yaml'))).toMatchObject({
        code: 1,
        stderr:
          'Error from server (BadRequest): error when creating "' +
          path.join(s.dir, 'typo.yaml') +
          '": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replcas"\n',
      });
      const applied = s.kubectl('apply', '-f', path.join(s.dir, 'd.yaml'));
      expect(applied).toMatchObject({ code: 0, stdout: 'deployment.apps/web created\n' });
      expect(s.kubectl('explain', 'deployment.spec.replicas').stdout).toBe(
        (await kubesim(s.state, ['explain', 'deployment.spec.replicas'])).stdout,
      );
      expect(s.kubectl('rollout', 'status', 'deployment/web', '--timeout=30s').stdout).toContain(
        'deployment "web" successfully rolled out',
      );
      // kubectl top reads metrics.k8s.io, served from the usage kubesim top prints
      expect(s.kubectl('top', 'pods').stdout).toBe((await kubesim(s.state, ['top', 'pods'])).stdout);
      expect(s.kubectl('top', 'nodes').stdout).toBe((await kubesim(s.state, ['top', 'nodes'])).stdout);
      expect(s.kubectl('scale', 'deployment', 'web', '--replicas=2').stdout).toBe('deployment.apps/web scaled\n');
      expect(s.kubectl('label', 'deployment', 'web', 'tier=fe').stdout).toBe('deployment.apps/web labeled\n');
      // kubectl's table over the API is what kubesim prints from the file (the ages aside)
      const overApi = s.kubectl('get', 'deploy', '-o', 'wide', '--show-labels').stdout;
      const local = (await kubesim(s.state, ['get', 'deploy', '-o', 'wide', '--show-labels'])).stdout;
      const ageless = (text: string) => text.replace(/\s+\d+s\s+/g, ' AGE ');
      expect(ageless(overApi)).toBe(ageless(local));
      expect(s.kubectl('describe', 'deployment', 'web').stdout).toMatch(/Scaled down replica set web-\w+ from 3 to 2/);
      // -A: the NAMESPACE column comes from the rows' PartialObjectMetadata (a scaled-down pod may still be Terminating)
      const all = s.kubectl('get', 'pods', '-A', '--no-headers').stdout.trim().split('\n');
      expect(all.length).toBeGreaterThanOrEqual(2);
      for (const row of all) expect(row).toMatch(/^default\s+web-\w+-\w+\s+/);
      expect(s.kubectl('get', 'pod', 'nope')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
      expect(s.kubectl('get', 'pods', '--as', 'jane')).toMatchObject({
        code: 1,
        stderr:
          'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n',
      });
      // server-side apply (PATCH application/apply-patch+yaml): scale's manager owns spec.replicas now
      const ssa = s.kubectl('apply', '--server-side', '--field-manager=ci', '-f', path.join(s.dir, 'd.yaml'));
      expect(ssa.code).toBe(1);
      expect(ssa.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl".*: \.spec\.replicas\n/);
      const forced = s.kubectl('apply', '--server-side', '--field-manager=ci', '--force-conflicts', '-f', path.join(s.dir, 'd.yaml'));
      expect(forced).toMatchObject({ code: 0, stdout: 'deployment.apps/web serverside-applied\n' });
      expect(s.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout).toBe('3');
      expect(s.kubectl('delete', 'deployment', 'web').stdout).toBe('deployment.apps "web" deleted\n');
      expect(await s.stop()).toEqual({ code: 0, signal: null });
      expect((await kubesim(s.state, ['get', 'deploy'])).stderr).toBe('No resources found in default namespace.\n');
    });

    it('serves componentstatuses (get and list, no storage) with the deprecation warning kubectl prints, as kubesim get cs does, and events.k8s.io Events', async () => {
      const s = await serve();
      const cs = s.kubectl('get', 'cs');
      expect(cs.code).toBe(0);
      expect(cs.stderr).toBe('Warning: v1 ComponentStatus is deprecated in v1.19+\n');
      expect(cs.stdout).toBe((await kubesim(s.state, ['get', 'cs'])).stdout);
      expect(s.kubectl('get', 'cs', 'etcd-0', '-o', 'jsonpath={.conditions[0].message}').stdout).toBe('ok');
      expect(s.kubectl('get', 'cs', 'nope')).toMatchObject({
        code: 1,
        stderr: 'Warning: v1 ComponentStatus is deprecated in v1.19+\nError from server: Component not found: nope\n',
      });
      // events.k8s.io/v1 serves the core Events converted (regarding, note), tabled as the core ones
      s.kubectl('create', 'deployment', 'web', '--image=nginx:1.27');
      const events = s.kubectl('get', 'events.events.k8s.io', '-o', 'jsonpath={range .items[*]}{.regarding.kind}/{.reason} {end}');
      expect(events.stdout).toContain('Deployment/ScalingReplicaSet');
      const tabled = s.kubectl('get', 'events.events.k8s.io').stdout;
      expect(tabled.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
      expect(tabled).toMatch(/Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ from 0 to 1/);
      expect(await s.stop()).toEqual({ code: 0, signal: null });
    });

    it('scales through the scale subresource: a missing spec.replicas reads and writes as 0, a custom resource by its CRD paths', async () => {
      const s = await serve();
      const crd = path.join(s.dir, 'crd.yaml');
      fs.writeFileSync(
        crd,
        `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {plural: widgets, singular: widget, kind: Widget}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.size, statusReplicasPath: .status.ready, labelSelectorPath: .status.sel}
`,
      );
      expect(s.kubectl('apply', '-f', crd).code).toBe(0);
      const w = path.join(s.dir, 'w.yaml');
      fs.writeFileSync(w, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1}\nspec: {}\n');
      expect(s.kubectl('apply', '-f', w).stdout).toBe('widget.example.com/w1 created\n');
      expect(
        s.kubectl('patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"ready":2,"sel":"app=w"}}').code,
      ).toBe(0);
      // scaleFromCustomResource: no spec.size is 0; status replicas and selector from their paths
      const scale = JSON.parse(s.kubectl('get', 'widget', 'w1', '--subresource=scale', '-o', 'json').stdout);
      expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 0 }, status: { replicas: 2, selector: 'app=w' } });
      expect(s.kubectl('scale', 'widget', 'w1', '--replicas=3')).toMatchObject({ code: 0, stdout: 'widget.example.com/w1 scaled\n' });
      expect(s.kubectl('get', 'widget', 'w1', '-o', 'jsonpath={.spec.size}').stdout).toBe('3');
      // autoscaling.Scale's replicas is an int32: a patch that removes it decodes as 0 and scales to 0
      expect(s.kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2').code).toBe(0);
      const zero = s.kubectl('patch', 'deployment', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":null}}');
      expect(zero).toMatchObject({ code: 0, stdout: 'scale.autoscaling/web patched\n' });
      expect(s.kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}').stdout).toBe('0');
      const negative = s.kubectl('patch', 'deployment', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}');
      expect(negative).toMatchObject({
        code: 1,
        stderr:
          'The request is invalid: Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
      });
      await s.stop();
    });

    it('serves pods/log (tail, timestamps, previous, follow as virtual time moves) and exec over WebSocket (v5.channel.k8s.io)', async () => {
      const s = await serve(['--speed', '5']);
      const loop = 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done';
      expect(s.kubectl('run', 'ticker', '--image=busybox', '--', 'sh', '-c', loop).code).toBe(0);
      expect(s.kubectl('run', 'two', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo one; echo two; exit 3').code).toBe(0);
      // 50 virtual seconds (10 s of wall time at --speed 5): still running when the next commands look, on a loaded machine too
      const slow = 'for i in 1 2 3 4 5 6; do echo line $i; sleep 10; done';
      expect(s.kubectl('run', 'slow', '--image=busybox', '--restart=Never', '--', 'sh', '-c', slow).code).toBe(0);
      const brief = 'echo early; sleep 10; echo late; echo oops >&2; sleep 5';
      expect(s.kubectl('run', 'brief', '--image=busybox', '--restart=Never', '--', 'sh', '-c', brief).code).toBe(0);
      expect(s.kubectl('wait', '--for=condition=Ready', 'pod/ticker', 'pod/slow', 'pod/brief', '--timeout=30s').code).toBe(0);
      // attach: what the container prints from then on, until it stops; its stderr on the stderr channel
      const attached = s.kubectl('attach', 'brief');
      expect(attached.code).toBe(0);
      expect(attached.stdout).toBe('late\n');
      expect(attached.stderr).toContain('oops\n');
      // kubectl logs -f reads until the container ends: every line, then exit 0
      expect(s.kubectl('logs', 'slow').stdout).not.toContain('line 6');
      expect(s.kubectl('logs', '-f', 'slow')).toMatchObject({ code: 0, stdout: 'line 1\nline 2\nline 3\nline 4\nline 5\nline 6\n' });
      while (!s.kubectl('logs', 'ticker').stdout.includes('tick 2')) await new Promise((r) => setTimeout(r, 200));
      expect(s.kubectl('logs', 'two')).toMatchObject({ code: 0, stdout: 'one\ntwo\n' });
      expect(s.kubectl('logs', 'two').stdout).toBe((await kubesim(s.state, ['logs', 'two'])).stdout);
      expect(s.kubectl('logs', 'ticker', '--tail=1').stdout).toMatch(/^tick \d+\n$/);
      expect(s.kubectl('logs', 'two', '--limit-bytes=5').stdout).toBe('one\nt');
      // timestamps on the wire are the wall clock's, as the pod's own times are
      const stamped = s.kubectl('logs', 'two', '--timestamps').stdout.split('\n');
      expect(stamped[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z one$/);
      expect(Math.abs(Date.parse(stamped[0].split(' ')[0]) - wallNow())).toBeLessThan(120_000);
      expect(s.kubectl('logs', 'two', '-p')).toMatchObject({
        code: 1,
        stderr: 'Error from server (BadRequest): previous terminated container "two" in pod "two" not found\n',
      });
      expect(s.kubectl('get', '--raw', '/api/v1/namespaces/default/pods/two/log?tailLines=-1')).toMatchObject({
        code: 1,
        stderr:
          'The request is invalid: PodLogOptions "two" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0\n',
      });
      // exec: the command runs in the container's shell; its output and exit code reach kubectl
      expect(s.kubectl('exec', 'ticker', '--', 'echo', 'hi')).toMatchObject({ code: 0, stdout: 'hi\n', stderr: '' });
      expect(s.kubectl('exec', 'ticker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3')).toMatchObject({
        code: 3,
        stdout: 'out\n',
        stderr: 'err\ncommand terminated with exit code 3\n',
      });
      // -i: stdin's end arrives as v5's CLOSE message, then the command runs
      const piped = spawnSync(
        KUBECTL,
        ['--kubeconfig', s.kubeconfig, '--cache-dir', path.join(s.dir, 'c2'), 'exec', '-i', 'ticker', '--', 'wc', '-l'],
        {
          encoding: 'utf8',
          input: 'a\nb\nc\n',
        },
      );
      expect({ code: piped.status, stdout: piped.stdout.trim() }).toEqual({ code: 0, stdout: '3' });
      expect(s.kubectl('exec', 'ticker', '-c', 'nope', '--', 'true')).toMatchObject({
        code: 1,
        stderr: 'Error from server (BadRequest): container nope is not valid for pod ticker\n',
      });
      expect(s.kubectl('exec', 'nope', '--', 'true')).toMatchObject({
        code: 1,
        stderr: 'Error from server (NotFound): pods "nope" not found\n',
      });
      await s.stop();
    });

    it('answers auth can-i, auth whoami and create token (typed clients, protobuf bodies); a token is its service account', async () => {
      const s = await serve();
      expect(s.kubectl('auth', 'can-i', 'create', 'pods')).toMatchObject({ code: 0, stdout: 'yes\n' });
      expect(s.kubectl('auth', 'can-i', 'create', 'pods', '--as', 'jane')).toMatchObject({ code: 1, stdout: 'no\n' });
      expect(s.kubectl('auth', 'whoami').stdout).toMatch(
        /Username\s+kubernetes-admin\nGroups\s+\[kubeadm:cluster-admins system:authenticated\]/,
      );
      const token = s.kubectl('create', 'token', 'default').stdout.trim();
      expect(token).toMatch(/^ey/);
      expect(s.kubectl('get', 'pods', '--token', token).stderr).toBe(
        'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"\n',
      );
      await s.stop();
    });

    it('creates deployments, configmaps, secrets, services and pods sent by the typed clients as protobuf', async () => {
      const s = await serve();
      expect(s.kubectl('create', 'deployment', 'gen', '--image=nginx:1.27', '--replicas=0', '--port=80')).toMatchObject({
        code: 0,
        stdout: 'deployment.apps/gen created\n',
      });
      // the answer comes back in protobuf too (client-go's Accept names it first), and kubectl reads it
      const logged = s.kubectl('create', 'configmap', 'cm', '--from-literal=a=1', '--from-literal=empty=', '-v=8');
      expect(logged.stdout).toBe('configmap/cm created\n');
      expect(logged.stderr.split('Response Status: 201 Created')[1]).toContain('Content-Type: application/vnd.kubernetes.protobuf\n');
      expect(s.kubectl('create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret').stdout).toBe('secret/pw created\n');
      expect(s.kubectl('create', 'service', 'clusterip', 'svc', '--tcp=80:8080').stdout).toBe('service/svc created\n');
      expect(s.kubectl('run', 'one', '--image=busybox', '--labels=app=one', '--env=A=1', '--', 'sleep', '10').stdout).toBe(
        'pod/one created\n',
      );
      const json = (...args: string[]) => JSON.parse(s.kubectl('get', ...args, '-o', 'json').stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const deployment = json('deployment', 'gen');
      // replicas 0 is a pointer's zero: kept, not defaulted to 1
      expect(deployment.spec.replicas).toBe(0);
      expect(deployment.spec.template.spec.containers).toMatchObject([
        { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: {} },
      ]);
      expect(deployment.metadata.labels).toEqual({ app: 'gen' });
      expect(json('configmap', 'cm').data).toEqual({ a: '1', empty: '' });
      expect(json('secret', 'pw')).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('s3cret').toString('base64') } });
      expect(json('service', 'svc').spec.ports).toEqual([{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
      const pod = json('pod', 'one');
      expect(pod.metadata.labels).toEqual({ app: 'one' });
      expect(pod.spec.containers[0]).toMatchObject({
        name: 'one',
        image: 'busybox',
        args: ['sleep', '10'],
        env: [{ name: 'A', value: '1' }],
      });
      // the same objects as kubesim's own create makes them
      expect((await kubesim(s.state, ['get', 'deploy', 'gen', '-o', 'jsonpath={.spec.replicas} {.spec.strategy.type}'])).stdout).toBe(
        '0 RollingUpdate',
      );
      await s.stop();
    });

    it('diffs as kubectl diff does on a cluster: the merged side keeps the old last-applied annotation, timestamps steady', async () => {
      const s = await serve();
      const file = path.join(s.dir, 'cm.yaml');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d1\ndata:\n  a: "1"\n');
      expect(s.kubectl('apply', '-f', file).stdout).toBe('configmap/d1 created\n');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d1\ndata:\n  a: "2"\n');
      // the changed lines of a unified diff, without its file headers
      const changes = (text: string) => text.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) /.test(l));
      // several times: a GET and a dry-run PATCH either side of a clock tick must show one creationTimestamp
      for (let i = 0; i < 3; i++) {
        const viaApi = s.kubectl('diff', '-f', file);
        expect(viaApi.code).toBe(1);
        // diff.go InfoObject.Merged patches with GetModifiedConfiguration(LocalObj, annotate=false): the annotation is not rewritten
        expect(changes(viaApi.stdout)).toEqual(['-  a: "1"', '+  a: "2"']);
        await new Promise((r) => setTimeout(r, 400));
      }
      const own = await kubesim(s.state, ['diff', '-f', file]);
      expect(own.code).toBe(1);
      expect(changes(own.stdout)).toEqual(['-  a: "1"', '+  a: "2"']);
      await s.stop();
    });

    it('drains a node through pods/eviction, retrying while a PodDisruptionBudget answers 429', async () => {
      const s = await serve(['--speed', '20']);
      fs.writeFileSync(path.join(s.dir, 'd.yaml'), deploymentYaml({ replicas: 3 }));
      fs.writeFileSync(
        path.join(s.dir, 'pdb.yaml'),
        'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n',
      );
      expect(s.kubectl('apply', '-f', path.join(s.dir, 'd.yaml'), '-f', path.join(s.dir, 'pdb.yaml')).code).toBe(0);
      expect(s.kubectl('rollout', 'status', 'deployment/web', '--timeout=60s').code).toBe(0);
      const node = s.kubectl('get', 'pods', '-o', 'jsonpath={.items[0].spec.nodeName}').stdout;
      const blocked = s.kubectl('drain', node, '--timeout=6s');
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toMatch(
        /error when evicting pods\/"web-\w+-\w+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
      );
      expect(s.kubectl('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}').code).toBe(0);
      const drained = s.kubectl('drain', node, '--timeout=60s');
      expect(drained.stdout).toMatch(new RegExp(`evicting pod default/web-\\w+-\\w+\\n(.|\\n)*node/${node} drained\\n$`));
      expect(drained.code).toBe(0);
      await s.stop();
    });

    it('moves timestamps to the wall clock, so kubectl reads virtual ages (a manual-clock cluster from 2025)', async () => {
      const t = tempCluster('kubesim-serve-');
      const kubeconfig = path.join(t.dir, 'kubeconfig');
      expect((await kubesim(t.state, ['cluster', 'create', '--clock', 'manual'])).code).toBe(0);
      expect((await kubesim(t.state, ['create', 'configmap', 'old'])).code).toBe(0);
      expect((await kubesim(t.state, ['clock', 'advance', '2h'])).code).toBe(0);
      const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--kubeconfig', kubeconfig], {
        env: { ...process.env, KUBESIM_STATE: t.state },
      });
      running.push(child);
      await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
      const r = spawnSync(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', path.join(t.dir, 'c'), 'get', 'configmap', 'old'], {
        encoding: 'utf8',
      });
      expect(r.stdout).toMatch(/^NAME\s+DATA\s+AGE\nold\s+0\s+120m\n$/);
      const json = spawnSync(
        KUBECTL,
        ['--kubeconfig', kubeconfig, '--cache-dir', path.join(t.dir, 'c'), 'get', 'configmap', 'old', '-o', 'json'],
        { encoding: 'utf8' },
      );
      const created = Date.parse(JSON.parse(json.stdout).metadata.creationTimestamp);
      expect(Math.abs(wallNow() - 2 * 3600_000 - created)).toBeLessThan(60_000);
      child.kill('SIGTERM');
    });

    it('refuses requests without credentials (401) and with an unknown token', async () => {
      const s = await serve();
      const status = await new Promise<number>((resolve) => {
        https
          .get(`${s.url}/api/v1/pods`, { rejectUnauthorized: false }, (res) => resolve(res.statusCode ?? 0))
          .on('error', () => resolve(-1));
      });
      expect(status).toBe(401);
      const refused = s.kubectl('get', 'pods', '--token', 'not-a-token');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /\nerror: You must be logged in to the server \(the server has asked for the client to provide credentials\)\n$/,
      );
      await s.stop();
    });

    it('validates a Scale for replace --subresource=scale from /openapi/v2 in protobuf, as kubectl falls back to it', async () => {
      const s = await serve();
      expect((await kubesim(s.state, ['create', 'deployment', 'web', '--image=nginx', '--replicas=1'])).code).toBe(0);
      // the autoscaling/v1 v3 document has no PATCH of a Scale: kubectl asks /openapi/v2 (protobuf only) whether
      // fieldValidation is served; before, the 406 failed validation ("failed to download openapi")
      fs.writeFileSync(path.join(s.dir, 'scale.yaml'), s.kubectl('get', 'deploy', 'web', '--subresource=scale', '-o', 'yaml').stdout);
      const scale = s.kubectl('replace', '--subresource=scale', '-f', path.join(s.dir, 'scale.yaml'));
      // then, as on a cluster, discovery's RESTMapper has no kind Scale (subresources are not mapped)
      expect(scale).toMatchObject({
        code: 1,
        stderr: `error: resource mapping not found for name: "web" namespace: "default" from "${path.join(s.dir, 'scale.yaml')}": no matches for kind "Scale" in version "autoscaling/v1"\nensure CRDs are installed first\n`,
      });
      const deployment = s.kubectl('get', 'deploy', 'web', '-o', 'yaml').stdout.replace('replicas: 1', 'replicas: 2');
      fs.writeFileSync(path.join(s.dir, 'd.yaml'), deployment);
      expect(s.kubectl('replace', '--subresource=scale', '-f', path.join(s.dir, 'd.yaml')).stdout).toBe('scale.autoscaling/web replaced\n');
      expect(s.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout).toBe('2');
      // kubectl explain's v2 output reads the same document
      const explained = s.kubectl('explain', 'deployment.spec.replicas', '--output=plaintext-openapiv2');
      expect(explained.code).toBe(0);
      expect(explained.stdout).toMatch(/^KIND:\s+Deployment\nVERSION:\s+apps\/v1\n\nFIELD:\s+replicas <integer>\n/);
      await s.stop();
    });

    it('kubectl get -w sees deletions: a pod deleted by kubesim (Terminating, then DELETED), a configmap deleted by kubectl', async () => {
      const s = await serve();
      expect((await kubesim(s.state, ['run', 'x', '--image=nginx'])).code).toBe(0);
      expect((await kubesim(s.state, ['create', 'configmap', 'cm'])).code).toBe(0);
      const watch = (kind: string) => {
        const child = spawn(KUBECTL, [
          '--kubeconfig',
          s.kubeconfig,
          '--cache-dir',
          path.join(s.dir, `kc-${kind}`),
          'get',
          kind,
          '-w',
          '--output-watch-events',
        ]);
        running.push(child);
        const seen = { out: '' };
        child.stdout.on('data', (d) => (seen.out += d));
        return seen;
      };
      const until = async (seen: { out: string }, re: RegExp) => {
        while (!re.test(seen.out)) await new Promise((r) => setTimeout(r, 100));
      };
      const pods = watch('pods');
      const configmaps = watch('configmaps');
      await until(pods, /\nADDED\s+x\s/);
      await until(configmaps, /\nADDED\s+cm\s/);
      // the deletion is the command's last write: nothing after it moves the cluster
      expect((await kubesim(s.state, ['delete', 'pod', 'x'])).stdout).toBe('pod "x" deleted\n');
      await until(pods, /\nDELETED\s+x\s/);
      // Terminating, and the kubelet's last status (a terminal phase, which kubectl prints instead of
      // Terminating: Completed for a container that stopped, ContainerStatusUnknown for one that never
      // started, as TerminatePod writes it — which one depends on how far the wall clock got), then DELETED
      expect(pods.out).toMatch(
        /\n(MODIFIED\s+x\s+\S+\s+(Terminating|Completed|ContainerStatusUnknown)\s+0\s+\d+s\n)+DELETED\s+x\s+0\/1\s+(Completed|ContainerStatusUnknown)\s+0\s+\d+s\n$/,
      );
      expect(s.kubectl('delete', 'configmap', 'cm').stdout).toBe('configmap "cm" deleted\n');
      await until(configmaps, /\nDELETED\s+cm\s/);
      expect(configmaps.out).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE\n(ADDED\s+\S+\s+\d+\s+\d+s\n)+DELETED\s+cm\s+0\s+\d+s\n$/);
      await s.stop();
    });

    it("kubectl get -w sees each write of a Job's pod the server makes, though its whole life falls between two polls", async () => {
      // --speed 600: one tick of the server's clock is ten virtual minutes, the pod's 10 s run and its
      // deletion (ttlSecondsAfterFinished: 0) included: a poll finds it gone, its writes are still each sent
      const s = await serve(['--speed', '600']);
      // a pod there already: its row says the watch is open
      expect((await kubesim(s.state, ['run', 'x', '--image=nginx'])).code).toBe(0);
      const child = spawn(KUBECTL, [
        '--kubeconfig',
        s.kubeconfig,
        '--cache-dir',
        path.join(s.dir, 'kc-job'),
        'get',
        'pods',
        '-w',
        '--output-watch-events',
        '--no-headers',
      ]);
      running.push(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      while (!/^ADDED +x /m.test(out)) await new Promise((r) => setTimeout(r, 100));
      const job = `apiVersion: batch/v1
kind: Job
metadata: {name: one}
spec:
  ttlSecondsAfterFinished: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`;
      fs.writeFileSync(path.join(s.dir, 'job.yaml'), job);
      expect(s.kubectl('create', '-f', path.join(s.dir, 'job.yaml')).stdout).toBe('job.batch/one created\n');
      while (!/^DELETED +one-/m.test(out)) await new Promise((r) => setTimeout(r, 100));
      const rows = out
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/))
        .filter((r) => r[1].startsWith('one-'));
      // EVENT NAME READY STATUS RESTARTS AGE: each write, as the API server's watch cache sends them
      const statuses = rows.map((r) => `${r[0]} ${r[3]}`);
      expect(statuses[0]).toBe('ADDED Pending');
      const at = (x: string) => statuses.indexOf(x);
      expect(at('MODIFIED ContainerCreating')).toBeGreaterThan(0);
      expect(at('MODIFIED Running')).toBeGreaterThan(at('MODIFIED ContainerCreating'));
      expect(at('MODIFIED Completed')).toBeGreaterThan(at('MODIFIED Running'));
      expect(statuses[statuses.length - 1]).toBe('DELETED Completed');
      await s.stop();
    });

    it('streams watches: CLI writes on the same file reach them, Tables for kubectl get -w, 410 for a resourceVersion too old', async () => {
      const s = await serve();
      const client = clientOf(s);
      const list = await client.watch('/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1', (e) => e.length >= 1);
      expect(list[0].type).toBe('ERROR');
      expect(list[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      const watching = client.watch('/api/v1/namespaces/default/configmaps?watch=true', (e) =>
        e.some((x) => x.type === 'ADDED' && x.object.metadata.name === 'fresh'),
      );
      await new Promise((r) => setTimeout(r, 500));
      expect((await kubesim(s.state, ['create', 'configmap', 'fresh', '--from-literal=a=1'])).code).toBe(0);
      const events = await watching;
      expect(events.find((e) => e.object.metadata?.name === 'fresh')).toMatchObject({
        type: 'ADDED',
        object: { kind: 'ConfigMap', data: { a: '1' } },
      });
      // kubectl get -w: the list, then the rows of changes (a few events, then it is stopped)
      const watcher = spawn(KUBECTL, ['--kubeconfig', s.kubeconfig, '--cache-dir', path.join(s.dir, 'kc'), 'get', 'configmaps', '-w']);
      running.push(watcher);
      let out = '';
      watcher.stdout.on('data', (d) => (out += d));
      while (!out.includes('fresh')) await new Promise((r) => setTimeout(r, 100));
      expect((await kubesim(s.state, ['create', 'configmap', 'later'])).code).toBe(0);
      while (!out.includes('later')) await new Promise((r) => setTimeout(r, 100));
      watcher.kill();
      expect(out).toMatch(/^NAME\s+DATA\s+AGE\n/);
      expect(out).toMatch(/\nlater\s+0\s+\d+s\n/);
      await s.stop();
    });
  },
);
