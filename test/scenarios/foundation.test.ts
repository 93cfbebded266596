import { parseEvents } from '../../src/store/event-rows';
import { savedQuietOfRow } from '../../src/engine/quiet-objects';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { manualCluster, kubesim, tempCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';

const fixtures = path.resolve(__dirname, '../../fixtures');

describe('a new cluster', () => {
  it('has three Ready nodes with kubectl columns', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'nodes');
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'NAME     STATUS   ROLES    AGE   VERSION\nnode-1   Ready    <none>   0s    v1.32.0\nnode-2   Ready    <none>   0s    v1.32.0\nnode-3   Ready    <none>   0s    v1.32.0\n',
    });
  });

  it('has the system namespaces and the kubernetes service', async () => {
    const c = await manualCluster();
    expect(
      (await c.run('get', 'ns', '--no-headers')).stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect((await c.run('get', 'svc')).stdout).toBe(
      'NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE\nkubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s\n',
    );
  });

  it('labels nodes with hostname and zone and reports capacity', async () => {
    const c = await manualCluster(['--nodes', '2', '--cpu', '8', '--memory', '32Gi', '--zones', 'eu-1a,eu-1b']);
    const node = JSON.parse((await c.run('get', 'node', 'node-2', '-o', 'json')).stdout);
    expect(node.metadata.labels['kubernetes.io/hostname']).toBe('node-2');
    expect(node.metadata.labels['topology.kubernetes.io/zone']).toBe('eu-1b');
    expect(node.status.allocatable).toMatchObject({ cpu: '8', memory: '32Gi', pods: '110' });
    expect(node.status.nodeInfo.kubeletVersion).toBe('v1.32.0');
  });

  it('refuses to create a second cluster over an existing one without --force', async () => {
    const c = await manualCluster();
    const again = await c.run('cluster', 'create');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: a cluster already exists in .*state\.db; use --force/);
    expect((await c.run('cluster', 'create', '--force', '--nodes', '1', '--clock', 'manual')).code).toBe(0);
    expect((await c.run('get', 'nodes', '--no-headers')).stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('apply', () => {
  it('creates, then reports unchanged, then configured', async () => {
    const c = await manualCluster();
    const file = path.join(fixtures, 'shop.yaml');
    expect((await c.run('apply', '-f', file)).stdout).toBe(
      'namespace/shop created\nconfigmap/shop-config created\nsecret/shop-db created\nservice/cart created\npod/cart created\n',
    );
    // the Secret's stringData becomes data on the server, so kubectl's patch adds it back each
    // time and it says configured (kubernetes/kubernetes#66450), though nothing is written
    const rv = (await c.run('get', 'secret', 'shop-db', '-n', 'shop', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    expect((await c.run('apply', '-f', file)).stdout).toBe(
      'namespace/shop unchanged\nconfigmap/shop-config unchanged\nsecret/shop-db configured\nservice/cart unchanged\npod/cart unchanged\n',
    );
    expect((await c.run('get', 'secret', 'shop-db', '-n', 'shop', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout).toBe(rv);
    const changed = fs.readFileSync(file, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug');
    const r = await (c.file('shop2.yaml', changed), c.run('apply', '-f', 'shop2.yaml'));
    expect(r.stdout).toContain('configmap/shop-config configured\n');
    expect(r.stdout).toContain('service/cart unchanged\n');
    expect((await c.run('get', 'cm', 'shop-config', '-n', 'shop', '-o', 'jsonpath={.data.LOG_LEVEL}')).stdout).toBe('debug');
  });

  it('re-applies a kubectl --dry-run manifest as kubectl does: configured (creationTimestamp: null is a patch), nothing written', async () => {
    const c = await manualCluster();
    // kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml
    c.file(
      'd.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        resources: {}\nstatus: {}\n',
    );
    expect((await c.run('apply', '-f', 'd.yaml')).stdout).toBe('deployment.apps/web created\n');
    const meta = async () => JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).metadata;
    const before = await meta();
    for (let i = 0; i < 2; i++) expect((await c.run('apply', '-f', 'd.yaml')).stdout).toBe('deployment.apps/web configured\n');
    expect(await meta()).toEqual(before);
  });

  it('three-way merge drops what the manifest dropped and keeps what others added', async () => {
    const c = await manualCluster();
    const v1 = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  labels:\n    team: a\n    tier: web\ndata:\n  a: "1"\n';
    await (c.file('v1.yaml', v1), c.run('apply', '-f', 'v1.yaml'));
    await c.run('label', 'cm', 'app', 'owner=ops');
    const v2 = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  labels:\n    team: a\ndata:\n  a: "1"\n';
    expect((await (c.file('v2.yaml', v2), c.run('apply', '-f', 'v2.yaml'))).stdout).toBe('configmap/app configured\n');
    const cm = JSON.parse((await c.run('get', 'cm', 'app', '-o', 'json')).stdout);
    expect(cm.metadata.labels).toEqual({ team: 'a', owner: 'ops' });
    expect(cm.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"v1","data":{"a":"1"},"kind":"ConfigMap","metadata":{"annotations":{},"labels":{"team":"a"},"name":"app","namespace":"default"}}\n',
    );
  });

  it('applies the valid objects of a multi-document file and reports each failing one', async () => {
    const c = await manualCluster();
    const docs = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n',
      'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\nspec: {}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: last\n',
    ];
    c.file('multi.yaml', docs.join('---\n'));
    const r = await c.run('apply', '-f', 'multi.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('configmap/first created\nconfigmap/last created\n');
    expect(r.stderr).toBe(
      `error: resource mapping not found for name: "x" namespace: "" from "multi.yaml": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n` +
        'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n' +
        'The Pod "empty" is invalid: spec.containers: Required value\n',
    );
    expect((await c.run('get', 'deploy,pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('stops a file at a YAML syntax error: the documents before it are applied, the line is counted inside the broken one', async () => {
    const c = await manualCluster();
    // kubectl v1.32 `label --local -f` on this file: configmap/before, then this error (line 4 of the second document)
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: before\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n data: x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after\n';
    const r = await (c.file('broken.yaml', text), c.run('apply', '-f', 'broken.yaml'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('configmap/before created\n');
    expect(r.stderr).toBe('error: error parsing broken.yaml: error converting YAML to JSON: yaml: line 4: did not find expected key\n');
    expect((await c.run('get', 'cm', '-o', 'name')).stdout).toBe('configmap/before\nconfigmap/kube-root-ca.crt\n');
  });

  it('says which field is missing: kind not set', async () => {
    const c = await manualCluster();
    const r = await (c.file('nokind.yaml', 'apiVersion: v1\nmetadata:\n  name: x\n'), c.run('apply', '-f', 'nokind.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: error validating "nokind.yaml": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
  });

  it('refuses objects in a namespace that does not exist', async () => {
    const c = await manualCluster();
    const r = await (c.file('ns.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: nope\n'),
    c.run('apply', '-f', 'ns.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): error when creating "ns.yaml": namespaces "nope" not found\n');
  });

  it('reports a missing file', async () => {
    const c = await manualCluster();
    const r = await c.run('apply', '-f', 'missing.yaml');
    expect(r).toMatchObject({ code: 1, stderr: 'error: the path "missing.yaml" does not exist\n' });
  });

  it('writes nothing on --dry-run', async () => {
    const c = await manualCluster();
    const file = path.join(fixtures, 'web.yaml');
    expect((await c.run('apply', '-f', file, '--dry-run=client')).stdout).toBe('deployment.apps/web created (dry run)\n');
    expect((await c.run('apply', '-f', file, '--dry-run=server')).stdout).toBe('deployment.apps/web created (server dry run)\n');
    expect((await c.run('get', 'deploy')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('reads manifests from stdin and from a directory', async () => {
    const t = tempCluster();
    await kubesim(t.state, ['cluster', 'create', '--clock', 'manual']);
    const r = await kubesim(t.state, ['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-stdin\n' });
    expect(r.stdout).toBe('configmap/from-stdin created\n');
    t.file('dir/a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    t.file('dir/sub/b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
    t.file('dir/notes.txt', 'not a manifest');
    expect((await kubesim(t.state, ['apply', '-f', path.join(t.dir, 'dir')])).stdout).toBe('configmap/a created\n');
    expect((await kubesim(t.state, ['apply', '-f', path.join(t.dir, 'dir'), '-R'])).stdout).toBe(
      'configmap/a unchanged\nconfigmap/b created\n',
    );
  });

  it('prunes applied objects that left the manifest set', async () => {
    const c = await manualCluster();
    const two =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {app: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels: {app: x}\n';
    await (c.file('two.yaml', two), c.run('apply', '-f', 'two.yaml'));
    const one = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {app: x}\n';
    const r = await c.run('apply', '-f', c.file('one.yaml', one), '--prune', '-l', 'app=x');
    expect(r.stdout).toBe('configmap/a unchanged\nconfigmap/b pruned\n');
    expect((await c.run('get', 'cm', 'b')).code).toBe(1);
  });
});

describe('get', () => {
  it('prints names, JSON lists, YAML and jsonpath like kubectl', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'shop.yaml'));
    expect((await c.run('get', 'cm,svc', '-n', 'shop', '-o', 'name')).stdout).toBe(
      'configmap/kube-root-ca.crt\nconfigmap/shop-config\nservice/cart\n',
    );
    const list = JSON.parse((await c.run('get', 'cm', '-n', 'shop', '-o', 'json')).stdout);
    expect(list.kind).toBe('List');
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['kube-root-ca.crt', 'shop-config']);
    const yaml = (await c.run('get', 'cm', 'shop-config', '-n', 'shop', '-o', 'yaml')).stdout;
    expect(yaml).toMatch(/^apiVersion: v1\ndata:\n {2}LOG_LEVEL: info\n {2}MODE: production\nkind: ConfigMap\nmetadata:\n/);
    expect(yaml).toContain('  creationTimestamp: "2025-01-01T00:00:00Z"\n');
    expect((await c.run('get', 'secret', 'shop-db', '-n', 'shop', '-o', 'jsonpath={.data.password}')).stdout).toBe(
      Buffer.from('s3cret').toString('base64'),
    );
  });

  it('filters by label and field selectors and lists across namespaces', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'shop.yaml'));
    await c.run('run', 'web', '--image=nginx', '--labels=app=web');
    expect((await c.run('get', 'pods', '-A', '-l', 'app', '-o', 'name')).stdout).toBe('pod/web\npod/cart\n');
    const all = (await c.run('get', 'pods', '-A')).stdout.split('\n');
    expect(all[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect((await c.run('get', 'pods', '-A', '-l', 'app=cart', '--no-headers', '-o', 'name')).stdout).toBe('pod/cart\n');
    expect((await c.run('get', 'pods', '-l', 'app!=web')).stderr).toBe('No resources found in default namespace.\n');
    expect((await c.run('get', 'pods', '-A', '--field-selector', 'metadata.namespace=shop', '-o', 'name')).stdout).toBe('pod/cart\n');
    expect((await c.run('get', 'pods', '-A', '--field-selector', 'status.phase=Running', '-o', 'name')).stdout).toBe('');
  });

  it('reports a missing object on stderr with exit 1 and still prints the others', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'a');
    const r = await c.run('get', 'cm', 'a', 'nope');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NAME\s+DATA\s+AGE\na\s+0\s+0s\n$/);
    expect(r.stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
    expect((await c.run('get', 'cm', 'nope', '--ignore-not-found')).code).toBe(0);
  });

  it('shows AGE in virtual time', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'later');
    await c.run('clock', 'advance', '5m10s');
    expect((await c.run('get', 'ns', 'later', '--no-headers')).stdout).toMatch(/^later\s+Active\s+5m10s\n$/);
    await c.run('clock', 'advance', '53h');
    expect((await c.run('get', 'ns', 'later', '--no-headers')).stdout).toMatch(/^later\s+Active\s+2d5h\n$/);
  });

  it('refuses unknown resource types and output formats', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'frobs')).toMatchObject({ code: 1, stderr: 'error: the server doesn\'t have a resource type "frobs"\n' });
    const r = await c.run('get', 'pods', '-o', 'xml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: unable to match a printer suitable for the output format "xml"/);
  });

  it('without a resource type prints the hint, then the usage error, as kubectl v1.32 get does', async () => {
    const c = await manualCluster();
    expect(await c.run('get')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'You must specify the type of resource to get. Use "kubesim api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\n' +
        'Use "kubesim explain <resource>" for a detailed description of that resource (e.g. kubesim explain pods).\n' +
        "See 'kubesim get -h' for help and examples\n",
    });
  });
});

describe('create, label, annotate, taint, patch, expose, run, delete', () => {
  it('creates objects imperatively and refuses duplicates', async () => {
    const c = await manualCluster();
    expect((await c.run('create', 'namespace', 'team')).stdout).toBe('namespace/team created\n');
    expect((await c.run('create', 'configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=2', '-n', 'team')).stdout).toBe(
      'configmap/cfg created\n',
    );
    expect((await c.run('create', 'secret', 'generic', 'pw', '--from-literal=password=x', '-n', 'team')).stdout).toBe(
      'secret/pw created\n',
    );
    expect((await c.run('create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2', '-n', 'team')).stdout).toBe(
      'deployment.apps/api created\n',
    );
    const dup = await c.run('create', 'namespace', 'team');
    expect(dup).toMatchObject({ code: 1, stderr: 'Error from server (AlreadyExists): namespaces "team" already exists\n' });
    expect((await c.run('get', 'cm', 'cfg', '-n', 'team', '-o', 'jsonpath={.data.b}')).stdout).toBe('2');
  });

  it('defaults pod templates as the API server does: enableServiceLinks and preemptionPolicy only on Pods', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27');
    const template = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).spec.template.spec;
    expect(Object.keys(template).sort()).toEqual([
      'containers',
      'dnsPolicy',
      'restartPolicy',
      'schedulerName',
      'securityContext',
      'terminationGracePeriodSeconds',
    ]);
    const pod = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items[0].spec;
    expect(pod).toMatchObject({ enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0 });
  });

  it('prints the generated object for --dry-run=client -o yaml, like kubectl', async () => {
    const c = await manualCluster();
    const r = await c.run('create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'yaml');
    expect(r.stdout).toBe(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  creationTimestamp: null\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      creationTimestamp: null\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx\n        name: nginx\n        resources: {}\nstatus: {}\n',
    );
  });

  it('labels with --overwrite rules and removes with key-', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cm');
    expect((await c.run('label', 'cm', 'cm', 'a=1')).stdout).toBe('configmap/cm labeled\n');
    expect(await c.run('label', 'cm', 'cm', 'a=2')).toMatchObject({
      code: 1,
      stderr: "error: 'a' already has a value (1), and --overwrite is false\n",
    });
    expect((await c.run('label', 'cm', 'cm', 'a=2', '--overwrite')).stdout).toBe('configmap/cm labeled\n');
    expect((await c.run('label', 'cm', 'cm', 'a-')).stdout).toBe('configmap/cm unlabeled\n');
    expect((await c.run('annotate', 'cm', 'cm', 'note=hello')).stdout).toBe('configmap/cm annotated\n');
    expect((await c.run('get', 'cm', 'cm', '-o', 'jsonpath={.metadata.annotations.note}')).stdout).toBe('hello');
  });

  it('taints and untaints nodes', async () => {
    const c = await manualCluster();
    expect((await c.run('taint', 'nodes', 'node-1', 'dedicated=gpu:NoSchedule')).stdout).toBe('node/node-1 tainted\n');
    expect(await c.run('taint', 'nodes', 'node-1', 'dedicated=cpu:NoSchedule')).toMatchObject({
      code: 1,
      stderr: 'error: node node-1 already has dedicated taint(s) with same effect(s) and --overwrite is false\n',
    });
    expect((await c.run('get', 'node', 'node-1', '-o', 'jsonpath={.spec.taints[0].value}')).stdout).toBe('gpu');
    expect((await c.run('taint', 'nodes', 'node-1', 'dedicated:NoSchedule-')).stdout).toBe('node/node-1 untainted\n');
    expect(await c.run('taint', 'nodes', 'node-1', 'dedicated-')).toMatchObject({
      code: 1,
      stderr: 'error: taint "dedicated" not found\n',
    });
  });

  it('patches with merge, JSON and strategic patches', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27');
    expect((await c.run('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":3}}')).stdout).toBe('deployment.apps/web patched\n');
    expect((await c.run('patch', 'deployment', 'web', '--type', 'merge', '-p', '{"spec":{"replicas":3}}')).stdout).toBe(
      'deployment.apps/web patched (no change)\n',
    );
    await c.run(
      'patch',
      'deployment/web',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]',
    );
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}')).stdout).toBe(
      '3 nginx:1.28',
    );
    const bad = await c.run('patch', 'deployment', 'web', '-p', '{"spec":{"replicas":-2}}');
    expect(bad).toMatchObject({
      code: 1,
      stderr: 'The Deployment "web" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0\n',
    });
  });

  it('exposes a deployment as a service selecting its pods', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx', '--port=80');
    expect((await c.run('expose', 'deployment', 'web', '--port=8080', '--target-port=80', '--type=NodePort')).stdout).toBe(
      'service/web exposed\n',
    );
    const svc = JSON.parse((await c.run('get', 'svc', 'web', '-o', 'json')).stdout);
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports[0]).toMatchObject({ port: 8080, targetPort: 80, protocol: 'TCP' });
    expect(svc.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect((await c.run('get', 'svc', 'web', '--no-headers')).stdout).toMatch(
      new RegExp(`^web\\s+NodePort\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+8080:${svc.spec.ports[0].nodePort}/TCP\\s+0s\\n$`),
    );
  });

  it('runs a bare pod that is not replaced once deleted', async () => {
    const c = await manualCluster();
    expect((await c.run('run', 'box', '--image=busybox:1.36', '--restart=Never')).stdout).toBe('pod/box created\n');
    expect((await c.run('delete', 'pod', 'box')).stdout).toBe('pod "box" deleted\n');
    expect((await c.run('get', 'pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('deletes by label and cascades from owners to dependents', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    expect((await c.run('get', 'rs', '-o', 'name')).stdout).toMatch(/^replicaset\.apps\/web-[4-9bcdf]{8,10}\n$/);
    expect((await c.run('get', 'pods', '--no-headers')).stdout.trim().split('\n')).toHaveLength(3);
    expect((await c.run('delete', 'deployment', 'web')).stdout).toBe('deployment.apps "web" deleted\n');
    // background cascade: the ReplicaSet goes at once, its running pods terminate gracefully
    expect((await c.run('get', 'rs')).stderr).toBe('No resources found in default namespace.\n');
    expect((await c.run('get', 'pods', '--no-headers')).stdout).toMatch(/^web-\S+\s+0\/1\s+Terminating\s/);
    await c.run('clock', 'advance', '2s');
    expect((await c.run('get', 'rs,pods')).stderr).toBe('No resources found in default namespace.\n');
    await c.run('create', 'configmap', 'a');
    await c.run('label', 'cm', 'a', 'x=1');
    await c.run('create', 'configmap', 'b');
    expect((await c.run('delete', 'cm', '-l', 'x=1')).stdout).toBe('configmap "a" deleted\n');
    expect(await c.run('delete', 'cm', 'zzz')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): configmaps "zzz" not found\n',
    });
    expect((await c.run('delete')).stderr).toMatch(/^error: You must provide one or more resources by argument or filename\.\n/);
  });

  it('deleting a namespace deletes what is in it', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'shop.yaml'));
    await c.run('run', 'elsewhere', '--image', 'nginx:1.27');
    expect((await c.run('get', 'events', '-n', 'shop')).stdout).toMatch(/Scheduled/);
    expect((await c.run('delete', 'namespace', 'shop')).stdout).toBe('namespace "shop" deleted\n');
    expect((await c.run('get', 'all', '-n', 'shop')).stderr).toBe('No resources found in shop namespace.\n');
    expect((await c.run('get', 'ns', 'shop')).code).toBe(1);
    // its events went with it; other namespaces' stay
    expect((await c.run('get', 'events', '-n', 'shop')).stderr).toBe('No resources found in shop namespace.\n');
    const all = (await c.run('get', 'events', '-A')).stdout;
    expect(all).not.toMatch(/^shop /m);
    expect(all).toMatch(/^default +\S+ +Normal +Scheduled +pod\/elsewhere/m);
  });
});

describe('describe and events', () => {
  it('describes an object with its events', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(fixtures, 'web.yaml'));
    const r = await c.run('describe', 'deployment', 'web');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Name:\s+web\n/);
    expect(r.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/);
    expect(r.stdout).toMatch(/Normal\s+ScalingReplicaSet\s+0s\s+deployment-controller\s+Scaled up replica set web-[4-9bcdf]+ from 0 to 3/);
    const ev = await c.run('get', 'events');
    expect(ev.stdout.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(ev.stdout).toMatch(/replicaset\/web-[4-9bcdf]+\s+Created pod: web-[4-9bcdf]+-[bcdfghjklmnpqrstvwxz2456789]{5}/);
  });

  it('serves events as v1 Event objects: -o name/yaml/wide, names, field selectors, sort-by', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    const names = (await c.run('get', 'events', '-o', 'name')).stdout.trim().split('\n');
    // client-go's names, <object>.<first timestamp in ns, hex>, in the API's key order (not by time)
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    const deployment = names.at(-1)!;
    expect(deployment).toMatch(/^event\/web\.[0-9a-f]{16}$/);
    const one = JSON.parse((await c.run('get', 'events', deployment.slice('event/'.length), '-o', 'json')).stdout);
    expect(one).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      count: 1,
      eventTime: null,
      firstTimestamp: '2025-01-01T00:00:00Z',
      lastTimestamp: '2025-01-01T00:00:00Z',
      involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'default' },
      metadata: { namespace: 'default' },
      reason: 'ScalingReplicaSet',
      reportingComponent: 'deployment-controller',
      reportingInstance: '',
      source: { component: 'deployment-controller' },
      type: 'Normal',
    });
    expect((await c.run('get', 'event', 'web.0')).stderr).toBe('Error from server (NotFound): events "web.0" not found\n');

    const wide = (await c.run('get', 'events', '-o', 'wide')).stdout.split('\n');
    expect(wide[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+SUBOBJECT\s+SOURCE\s+MESSAGE\s+FIRST SEEN\s+COUNT\s+NAME$/);
    expect(wide.find((l) => / Started /.test(l))).toMatch(
      /pod\/web-\S+\s+spec\.containers\{nginx\}\s+kubelet, node-\d\s+Started container nginx\s+\d+s\s+1\s+web-\S+\.[0-9a-f]{16}$/,
    );
    // a container's events name it, as the kubelet's recorder does (ObjectReference.fieldPath)
    const started = JSON.parse(
      (await c.run('get', 'events', '--field-selector', 'reason=Started,involvedObject.fieldPath=spec.containers{nginx}', '-o', 'json'))
        .stdout,
    ).items;
    expect(started.length).toBeGreaterThan(0);
    expect(Object.keys(started[0].involvedObject)).toEqual(['apiVersion', 'fieldPath', 'kind', 'name', 'namespace', 'uid']);
    expect(started[0].involvedObject.fieldPath).toBe('spec.containers{nginx}');

    const pod = (await c.run('get', 'pods', '-o', 'name')).stdout.split('\n')[0].slice('pod/'.length);
    const forPod = (await c.run('get', 'events', '--field-selector', `involvedObject.kind=Pod,involvedObject.name=${pod}`)).stdout
      .trim()
      .split('\n');
    expect(forPod.slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
    const notNormal = await c.run('get', 'events', '--field-selector', 'type!=Normal');
    expect(notNormal).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const bySource = (
      await c.run('get', 'events', '--field-selector', 'source=kubelet,reason=Started', '-o', 'jsonpath={.items[*].reason}')
    ).stdout;
    expect(bySource).toBe('Started Started');
    expect(await c.run('get', 'events', '--field-selector', 'spec.nodeName=node-1')).toMatchObject({
      code: 1,
      stderr:
        'Error from server (BadRequest): Unable to find "/v1, Resource=events" that match label selector "", field selector "spec.nodeName=node-1": field label not supported: spec.nodeName\n',
    });
    const sorted = (await c.run('get', 'events', '--sort-by=.metadata.name', '-o', 'name')).stdout.trim().split('\n');
    expect(sorted).toEqual([...names].sort());
    // kubectl events prints the same objects, oldest first
    const byTime = (await c.run('events', '-o', 'name')).stdout.trim().split('\n');
    expect(byTime[0]).toBe(deployment);
    expect([...byTime].sort()).toEqual(names);
  });

  it('lets events go an hour after they were last seen, keeping repeated ones counted, in one row per bucket', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '1');
    await c.run('run', 'crash', '--image', 'busybox', '--annotations', 'sim.kubesim.io/crash-after-seconds=5');
    await c.run('clock', 'advance', '59m');
    expect((await c.run('describe', 'deployment', 'web')).stdout).toMatch(/ScalingReplicaSet\s+59m/);
    await c.run('clock', 'advance', '2m');
    // the deployment's events are an hour old; the crash loop's keep being seen
    expect((await c.run('describe', 'deployment', 'web')).stdout).toMatch(/Events:\s+<none>\n$/);
    const live = (await c.run('get', 'events', '-o', 'wide')).stdout;
    expect(live).not.toMatch(/ScalingReplicaSet|Scheduled/);
    expect(live).toMatch(
      /BackOff\s+pod\/crash\s+spec\.containers\{crash\}\s+kubelet, node-\d\s+Back-off restarting failed container crash .*\s+60m\s+\d+\s+crash\.[0-9a-f]{16}\n/,
    );
    await c.run('clock', 'advance', '3h');
    const later = (await c.run('get', 'events', '-o', 'json')).stdout;
    const backOff = JSON.parse(later).items.find((e: { reason: string }) => e.reason === 'BackOff');
    expect(backOff.firstTimestamp).toBe('2025-01-01T00:00:06Z');
    expect(backOff.count).toBeGreaterThan(40);
    // what expired left the file, and each live event is one entry
    const db = new Database(c.state, { readonly: true });
    const rows = db.prepare('SELECT bucket, data FROM events').all() as { bucket: number; data: string }[];
    db.close();
    expect(new Set(rows.map((r) => r.bucket)).size).toBe(rows.length);
    const entries = rows.flatMap((r) => JSON.parse(r.data) as unknown[][]);
    // (busybox means busybox:latest, pulled again at every restart: imagePullPolicy Always)
    expect(entries.map((e) => e[6]).sort()).toEqual(['BackOff', 'Created', 'Pulled', 'Pulling', 'Started']);
  });

  it('says NotFound for an unknown object', async () => {
    const c = await manualCluster();
    expect(await c.run('describe', 'pod', 'ghost')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): pods "ghost" not found\n',
    });
  });
});

describe('state files', () => {
  it('refuses a file that is not a kubesim state and leaves it untouched', async () => {
    const t = tempCluster();
    const garbage = t.file('garbage.db', 'this is not a database at all\n');
    const before = fs.readFileSync(garbage);
    const r = await kubesim(garbage, ['get', 'nodes']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `error: ${garbage} is not a kubesim state file\n` });
    expect(fs.readFileSync(garbage)).toEqual(before);
  });

  it("refuses another application's SQLite database", async () => {
    const t = tempCluster();
    const other = path.join(t.dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');
    db.close();
    const before = fs.readFileSync(other);
    const r = await kubesim(other, ['get', 'nodes']);
    expect(r.stderr).toBe(`error: ${other} is not a kubesim state file\n`);
    expect(r.code).toBe(1);
    expect(fs.readFileSync(other)).toEqual(before);
  });

  it('refuses a state file written by a newer kubesim', async () => {
    const c = await manualCluster();
    const db = new Database(c.state);
    db.prepare("UPDATE meta SET value = '99' WHERE key = 'schema'").run();
    db.close();
    const r = await c.run('get', 'nodes');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${c.state} was written by a newer kubesim (state schema 99; this kubesim reads schema 10)\n`);
  });

  it('stores the pod spec of a ReplicaSet once and drops it with the last pod', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '3');
    await c.run('clock', 'advance', '10s');
    const read = () => ({ templates: storedData(c.state, 'SELECT data FROM templates'), pods: storedData(c.state, PODS) });
    const { templates, pods } = read();
    expect(templates).toHaveLength(1);
    expect(templates[0].containers[0].image).toBe('nginx:1.27');
    expect(pods).toHaveLength(3);
    for (const p of pods) expect(Object.keys(p.spec)).toEqual(['$template', 'nodeName']);
    // what kubectl would show is the whole spec, with each pod's own node
    const stored = new Map(pods.map((p) => [p.metadata.name, p.spec.nodeName]));
    const shown = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items as {
      metadata: { name: string };
      spec: Record<string, unknown>;
    }[];
    expect(shown).toHaveLength(3);
    for (const { metadata, spec } of shown) {
      expect(spec.nodeName).toBe(stored.get(metadata.name));
      expect(spec.containers).toEqual([
        {
          name: 'nginx',
          image: 'nginx:1.27',
          imagePullPolicy: 'IfNotPresent',
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          // the ServiceAccount admission plugin's mount (the same volume for the ReplicaSet's pods)
          volumeMounts: [
            {
              name: (spec.volumes as { name: string }[])[0].name,
              readOnly: true,
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
            },
          ],
        },
      ]);
    }
    await c.run('delete', 'deployment', 'web');
    await c.run('clock', 'advance', '1m');
    expect(read()).toEqual({ templates: [], pods: [] });
  });

  it('upgrades a schema 1 state file in place', async () => {
    const c = await manualCluster();
    await c.run('run', 'solo', '--image', 'nginx:1.27');
    // schema 1 had no templates table and kept every pod spec inline
    const db = new Database(c.state);
    const row = db.prepare("SELECT id, data FROM objects WHERE kind = 'Pod'").get() as { id: number; data: string };
    const pod = inlineShared(db, JSON.parse(row.data));
    const template = db.prepare('SELECT data FROM templates WHERE id = ?').get(pod.spec.$template) as { data: string };
    pod.spec = { ...JSON.parse(template.data), ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}) };
    db.prepare('UPDATE objects SET data = ? WHERE id = ?').run(JSON.stringify(pod), row.id);
    db.exec("DROP TABLE templates; DROP TABLE shared; UPDATE meta SET value = '1' WHERE key = 'schema'");
    db.close();
    const r = await c.run('get', 'pod', 'solo', '-o', 'jsonpath={.spec.containers[0].image}');
    expect(r).toMatchObject({ code: 0, stdout: 'nginx:1.27' });
    const after = new Database(c.state, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    after.close();
  });

  it('upgrades a schema 2 state file (pod parts inline) in place', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    const before = (await c.run('get', 'pods', '-o', 'json')).stdout;
    const db = new Database(c.state);
    for (const row of db.prepare("SELECT id, data FROM objects WHERE kind = 'Pod'").all() as { id: number; data: string }[]) {
      db.prepare('UPDATE objects SET data = ? WHERE id = ?').run(JSON.stringify(inlineShared(db, JSON.parse(row.data))), row.id);
    }
    db.exec("DROP TABLE shared; UPDATE meta SET value = '2' WHERE key = 'schema'");
    db.close();
    expect((await c.run('get', 'pods', '-o', 'json')).stdout).toBe(before);
    await c.run('label', 'pods', '--all', 'seen=yes');
    const after = new Database(c.state, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    // the relabelled pods were written again, their common parts into the new shared table
    expect((after.prepare('SELECT count(*) AS n FROM shared').get() as { n: number }).n).toBeGreaterThan(0);
    after.close();
    expect((await c.run('get', 'pods', '-o', 'jsonpath={.items[*].metadata.labels.seen}')).stdout).toBe('yes yes');
  });

  it('makes new state files with 16 KiB pages (fewer, larger page writes when many pods are saved)', async () => {
    const c = await manualCluster();
    const db = new Database(c.state, { readonly: true });
    expect(db.pragma('page_size', { simple: true })).toBe(16384);
    db.close();
  });

  it('upgrades a schema 3 state file (one row per event) in place, keeping the events and their order', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    // kubectl events lists them in time order (get events by name)
    const before = (await c.run('events', '-A')).stdout;
    expect(before.split('\n').length).toBeGreaterThan(10);
    const db = new Database(c.state);
    oneRowPerEvent(db);
    db.exec("UPDATE meta SET value = '3' WHERE key = 'schema'; DELETE FROM meta WHERE key = 'eventSeq'");
    db.close();
    expect((await c.run('events', '-A')).stdout).toBe(before);
    const after = new Database(c.state, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    expect((after.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((col) => col.name)).toEqual([
      'id',
      'bucket',
      'data',
    ]);
    after.close();
    // events recorded after the upgrade come after the upgraded ones
    await c.run('scale', 'deployment', 'web', '--replicas', '3');
    const lines = (await c.run('events', '-A')).stdout.trim().split('\n');
    const old = before.trim().split('\n');
    expect(lines.slice(0, old.length)).toEqual(old);
    expect(lines.slice(old.length).join('\n')).toMatch(/SuccessfulCreate\s+ReplicaSet\/web-\w+\s+Created pod: web-/);
  });

  it('upgrades a schema 6 state file (a container start as three event entries) in place', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
    await c.run('clock', 'advance', '10s');
    const before = [(await c.run('events', '-A')).stdout, (await c.run('get', 'pods', '-o', 'yaml')).stdout];
    expect(before[0]).toMatch(/Started container nginx/);
    // as schema 6 wrote them: every entry on its own
    const db = new Database(c.state);
    for (const { id, data } of db.prepare('SELECT id, data FROM events').all() as { id: number; data: string }[])
      db.prepare('UPDATE events SET data = ? WHERE id = ?').run(JSON.stringify(parseEvents(data)), id);
    expect((db.prepare("SELECT count(*) AS n FROM events WHERE data LIKE '%$started%'").get() as { n: number }).n).toBe(0);
    db.exec("UPDATE meta SET value = '6' WHERE key = 'schema'");
    db.close();
    expect([(await c.run('events', '-A')).stdout, (await c.run('get', 'pods', '-o', 'yaml')).stdout]).toEqual(before);
    await c.run('scale', 'deployment', 'web', '--replicas', '3');
    await c.run('clock', 'advance', '10s');
    const after = new Database(c.state, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema'").get()).toEqual({ value: '10' });
    // the new pod's start is one entry (schema 9: tagged, `[2, namespace, name, …]`)
    expect((after.prepare('SELECT count(*) AS n FROM events WHERE data LIKE \'%[2,"default","web-%\'').get() as { n: number }).n).toBe(1);
    after.close();
    expect((await c.run('events', '-A')).stdout.match(/Started container nginx/g)).toHaveLength(3);
  });

  it('keeps the events of a deleted object, and shows them with those of a new one of the same name', async () => {
    const c = await manualCluster();
    await c.run('run', 'solo', '--image', 'nginx:1.27');
    await c.run('clock', 'advance', '10s');
    await c.run('delete', 'pod', 'solo');
    await c.run('clock', 'advance', '1m');
    expect((await c.run('get', 'pod', 'solo')).code).toBe(1);
    const reasons = (out: string) =>
      out
        .trim()
        .split('\n')
        .slice(1)
        .filter((l) => l.includes('pod/solo'))
        .map((l) => l.split(/\s+/)[2]);
    expect(reasons((await c.run('get', 'events')).stdout)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'Killing']);
    await c.run('run', 'solo', '--image', 'nginx:1.27');
    await c.run('clock', 'advance', '10s');
    const all = reasons((await c.run('get', 'events')).stdout);
    expect(all.slice(0, 6)).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'Killing']);
    expect([all[6], all.at(-1)]).toEqual(['Scheduled', 'Started']);
    // describe shows only the new pod's (by uid)
    const described = (await c.run('describe', 'pod', 'solo')).stdout;
    expect(described.match(/Normal {2}Scheduled/g)).toHaveLength(1);
    expect(described).not.toContain('Killing');
  });

  it('counts an event seen again in later commands as one (x3 over …)', async () => {
    const c = await manualCluster();
    await c.run('run', 'broken', '--image', 'nginx:doesnotexist');
    await c.run('clock', 'advance', '15s');
    await c.run('clock', 'advance', '30s');
    await c.run('clock', 'advance', '1m');
    const shown = (await c.run('get', 'events')).stdout;
    expect(shown.match(/Normal\s+BackOff\s+pod\/broken\s+Back-off pulling image "nginx:doesnotexist"/g)).toHaveLength(1);
    // each command appended its own entries; reading counts them as one event
    const stored = storedData(c.state, 'SELECT data FROM events').flat() as unknown[][];
    const backoffs = stored.filter((e) => e[2] === 'broken' && e[6] === 'BackOff');
    expect(backoffs.length).toBeGreaterThanOrEqual(3);
    const count = backoffs.reduce((n, e) => n + (e[10] as number), 0);
    expect((await c.run('describe', 'pod', 'broken')).stdout).toMatch(new RegExp(`BackOff .*\\(x${count} over`));
  });

  it('stores the pod parts pods have in common once, and drops them with the last pod using them', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '3');
    await c.run('clock', 'advance', '10s');
    const read = () => ({ shared: storedData(c.state, 'SELECT data FROM shared'), pods: storedData(c.state, PODS) });
    const { shared, pods } = read();
    expect(pods).toHaveLength(3);
    // the three pods refer to the same conditions and owner references rows
    const refs = (p: { metadata: { ownerReferences: unknown }; status: { conditions: unknown } }) => [
      p.metadata.ownerReferences,
      p.status.conditions,
    ];
    expect(refs(pods[0])).toEqual([{ $shared: expect.any(Number) }, { $shared: expect.any(Number) }]);
    expect(refs(pods[1])).toEqual(refs(pods[0]));
    expect(refs(pods[2])).toEqual(refs(pods[0]));
    expect(shared.some((v) => Array.isArray(v) && v[0]?.kind === 'ReplicaSet')).toBe(true);
    // what kubectl shows is the whole pod
    const shown = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items;
    for (const p of shown) {
      expect(p.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', controller: true });
      expect(p.status.conditions.map((x: { type: string }) => x.type)).toEqual([
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ]);
    }
    await c.run('delete', 'deployment', 'web');
    await c.run('clock', 'advance', '1m');
    expect(read()).toEqual({ shared: [], pods: [] });
  });

  it('reports a pod whose shared part is missing as corruption', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '1');
    const name = (await c.run('get', 'pods', '-o', 'name')).stdout.trim().replace('pod/', '');
    const db = new Database(c.state);
    db.exec('DELETE FROM shared');
    db.close();
    const r = await c.run('get', 'pods');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${c.state} is corrupt: Pod default/${name} refers to a missing shared value\n`);
  });

  it('reports a pod whose shared spec is missing as corruption', async () => {
    const c = await manualCluster();
    await c.run('run', 'solo', '--image', 'nginx:1.27');
    const db = new Database(c.state);
    db.exec('DELETE FROM templates');
    db.close();
    const r = await c.run('get', 'pods');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${c.state} is corrupt: Pod default/solo refers to a missing pod template\n`);
  });

  it('uses --state over KUBESIM_STATE', async () => {
    const a = tempCluster();
    const b = tempCluster();
    await kubesim(a.state, ['cluster', 'create', '--nodes', '1', '--clock', 'manual']);
    await kubesim(a.state, ['--state', b.state, 'cluster', 'create', '--nodes', '2', '--clock', 'manual']);
    expect((await kubesim(a.state, ['get', 'nodes', '--no-headers'])).stdout.trim().split('\n')).toHaveLength(1);
    expect((await kubesim(a.state, ['get', 'nodes', '--no-headers', '--state', b.state])).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('keeps what the kubelet knows is not due yet for the next command, which then does what it would have without it', async () => {
    const c = await manualCluster(['--nodes', '3']);
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '6');
    await c.run('run', 'crash', '--image', 'busybox', '--annotations', 'sim.kubesim.io/crash-after-seconds=20');
    const db = new Database(c.state);
    const marks = savedQuietOfRow((db.prepare("SELECT value FROM meta WHERE key = 'quiet:kubelet'").get() as { value: Buffer }).value)!;
    db.close();
    expect(marks.marks.length).toBe(3 * 7);
    // the same cluster without the marks: every pod is looked at in the next command's first pass
    const bare = path.join(c.dir, 'bare.db');
    fs.copyFileSync(c.state, bare);
    const other = new Database(bare);
    other.prepare("DELETE FROM meta WHERE key LIKE 'quiet:%'").run();
    other.close();
    const steps = [
      ['clock', 'advance', '90s'],
      ['delete', 'pod', '-l', 'app=web', '--wait=false'],
      ['clock', 'advance', '40s'],
      ['get', 'pods', '-o', 'yaml'],
      ['get', 'events', '-o', 'wide'],
    ];
    for (const args of steps) {
      const [a, b] = [await kubesim(c.state, args), await kubesim(bare, args)];
      expect(a).toEqual(b);
    }
  });

  it("reports a stale write with the API server's conflict message", async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cm');
    const cm = JSON.parse((await c.run('get', 'cm', 'cm', '-o', 'json')).stdout);
    await c.run('label', 'cm', 'cm', 'a=1');
    cm.metadata.labels = { b: '2' };
    const r = await kubesim(c.state, ['replace', '-f', '-'], { stdin: JSON.stringify(cm) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "cm": the object has been modified; please apply your changes to the latest version and try again\n',
    );
  });
});

describe('the command line', () => {
  it('rejects unknown commands and flags like kubectl', async () => {
    const c = await manualCluster();
    expect(await c.run('frobnicate')).toMatchObject({
      code: 1,
      stderr: 'error: unknown command "frobnicate" for "kubesim"\n',
    });
    expect(await c.run('get', 'pods', '--frob')).toMatchObject({
      code: 1,
      stderr: "error: unknown flag: --frob\nSee 'kubesim get --help' for usage.\n",
    });
  });

  it('takes -k where kubectl does, refusing a missing directory and -f with it', async () => {
    const c = await manualCluster();
    for (const verb of ['apply', 'create', 'delete', 'diff', 'replace']) {
      // kubectl diff exits 2 on errors (1 means differences); lstat names the first missing directory, as Go's EvalSymlinks does
      expect(await c.run(verb, '-k', 'overlays/prod')).toEqual({
        code: verb === 'diff' ? 2 : 1,
        stdout: '',
        stderr: `error: must build at directory: not a valid directory: evalsymlink failure on 'overlays/prod' : lstat ${path.join(c.dir, 'overlays')}: no such file or directory\n`,
      });
    }
    expect(await c.run('apply', '-k', 'base', '-f', 'x.yaml')).toMatchObject({
      code: 1,
      stderr: 'error: only one of -f or -k can be specified\n',
    });
    expect(await c.run('apply')).toMatchObject({ code: 1, stderr: 'error: must specify one of -f and -k\n' });
  });

  it('says why a kubectl verb that needs real containers or an HTTP API is not there', async () => {
    const c = await manualCluster();
    // logs, exec, cp, attach and debug exist now (container-commands, exec-writes, attach and debug tests)
    expect(await c.run('logs', 'web-1')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "web-1" not found\n' });
    expect(await c.run('attach', 'web-1')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): pods "web-1" not found\n',
    });
    for (const verb of ['port-forward', 'proxy', 'cluster-info']) {
      expect(await c.run(verb, 'x')).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(new RegExp(`^error: kubesim does not simulate "kubectl ${verb}": `)),
      });
    }
    // the API is served by `kubesim serve`: proxy points there
    expect((await c.run('proxy')).stderr).toBe(
      'error: kubesim does not simulate "kubectl proxy": there is no API server to proxy to: "kubesim serve" serves the Kubernetes API over HTTPS itself, with a kubeconfig for kubectl\n',
    );
  });

  it('lists api-resources by API group (core first), then name, as kubectl does; --sort-by name|kind', async () => {
    const c = await manualCluster();
    const names = (r: { stdout: string }) =>
      r.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(/\s+/)[0]);
    const byGroup = names(await c.run('api-resources'));
    expect(byGroup.slice(0, 3)).toEqual(['bindings', 'componentstatuses', 'configmaps']);
    expect(byGroup.indexOf('services')).toBeLessThan(byGroup.indexOf('daemonsets'));
    expect(byGroup.indexOf('statefulsets')).toBeLessThan(byGroup.indexOf('cronjobs'));
    const byName = names(await c.run('api-resources', '--sort-by', 'name'));
    expect(byName).toEqual([...byName].sort());
    expect(await c.run('api-resources', '--sort-by', 'verbs')).toMatchObject({
      code: 1,
      stderr: 'error: --sort-by accepts only name or kind\n',
    });
  });

  it('refuses a bad jsonpath or custom-columns template before looking anything up', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'pod', 'missing', '-o', 'jsonpath={.bad')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: error parsing jsonpath {.bad, unclosed action\n',
    });
    expect(await c.run('get', 'pods', '-o', 'custom-columns=NAME')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n',
    });
  });

  it('wants exactly one NAME for a create generator, as kubectl says it', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'deployment', '--image=nginx')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: exactly one NAME is required, got 0\nSee 'kubesim create deployment -h' for help and examples\n",
    });
    expect(await c.run('create', 'secret', 'generic', 'a', 'b')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: exactly one NAME is required, got 2\nSee 'kubesim create secret generic -h' for help and examples\n",
    });
    expect((await c.run('create', 'service', 'clusterip', '-h')).code).toBe(0);
  });

  it('has help with examples for every command', async () => {
    const c = await manualCluster();
    const top = await c.run('--help');
    expect(top.code).toBe(0);
    const commands = top.stdout.slice(top.stdout.indexOf('Commands:'), top.stdout.indexOf('Examples:'));
    const verbs = [...commands.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((v) => v !== 'help');
    expect(verbs.length).toBeGreaterThan(15);
    for (const verb of verbs) {
      const r = await c.run(verb, '--help');
      expect(r.code, verb).toBe(0);
      expect(r.stdout, verb).toMatch(/Examples:|Commands:/);
    }
  });

  it('moves the virtual clock only when told in manual mode', async () => {
    const c = await manualCluster();
    expect((await c.run('clock')).stdout).toBe('2025-01-01T00:00:00Z (manual clock)\n');
    expect((await c.run('clock', 'advance', '1h30m')).stdout).toBe('2025-01-01T01:30:00Z\n');
    expect(await c.run('clock', 'advance', 'soon')).toMatchObject({
      code: 1,
      stderr: 'error: invalid argument "soon" for "duration" flag: time: invalid duration "soon"\n',
    });
  });
});

describe('wrong field types', () => {
  it("are refused with the API server's decoding error, naming the field", async () => {
    const c = await manualCluster();
    c.file(
      'typed.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "three"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
    );
    const r = await c.run('apply', '-f', 'typed.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error from server (BadRequest): error when creating "typed.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32\n',
    );
    c.file('image.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: 42\n');
    expect((await c.run('apply', '-f', 'image.yaml')).stderr).toBe(
      'Error from server (BadRequest): error when creating "image.yaml": Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string\n',
    );
    c.file('labels.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    tier: 3\n');
    expect((await c.run('apply', '-f', 'labels.yaml')).stderr).toBe(
      'Error from server (BadRequest): error when creating "labels.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string\n',
    );
    expect(await c.run('get', 'deploy,pods,cm', '-o', 'name')).toMatchObject({ stdout: 'configmap/kube-root-ca.crt\n', stderr: '' });
  });
});

const PODS = "SELECT data FROM objects WHERE kind = 'Pod'";

/** A row's data as SQLite holds it: raw JSON in the state file's own layout (a decode boundary). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the stored layout differs from KObject ($shared parts)
type StoredRow = any;

/** The JSON data column of the rows a query selects, parsed. */
function storedData(state: string, sql: string): StoredRow[] {
  const db = new Database(state, { readonly: true });
  try {
    return (db.prepare(sql).all() as { data: string }[]).map((r) => JSON.parse(r.data));
  } finally {
    db.close();
  }
}

/** A pod row with its {"$shared": id} parts written out (as schema 2 and older kept them). */
function inlineShared(db: Database.Database, pod: StoredRow): StoredRow {
  const value = (v: unknown) => {
    const id = (v as { $shared?: number } | undefined)?.$shared;
    if (id === undefined) return v;
    return JSON.parse((db.prepare('SELECT data FROM shared WHERE id = ?').get(id) as { data: string }).data);
  };
  for (const k of ['labels', 'ownerReferences']) if (pod.metadata[k]) pod.metadata[k] = value(pod.metadata[k]);
  if (pod.status?.conditions) pod.status.conditions = value(pod.status.conditions);
  for (const cs of pod.status?.containerStatuses ?? []) for (const k of ['state', 'lastState']) if (cs[k]) cs[k] = value(cs[k]);
  return pod;
}

describe('delete --cascade', () => {
  it('orphan leaves the dependents without the reference; foreground keeps the owner until they are gone', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    await c.run('clock', 'advance', '5s');
    expect(await c.run('delete', 'deployment', 'web', '--cascade=orphan')).toEqual({
      code: 0,
      stdout: 'deployment.apps "web" deleted\n',
      stderr: '',
    });
    const rs = JSON.parse((await c.run('get', 'rs', '-o', 'json')).stdout).items;
    expect(rs).toHaveLength(1);
    expect(rs[0].metadata.ownerReferences).toBeUndefined();
    expect((await c.run('get', 'pods', '--no-headers')).stdout.match(/Running/g)).toHaveLength(2);

    await c.run('create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('delete', 'deploy', 'api', '--cascade=foreground', '--wait=false')).stdout).toBe('deployment.apps "api" deleted\n');
    const owner = JSON.parse((await c.run('get', 'deploy', 'api', '-o', 'json')).stdout);
    expect(owner.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(owner.metadata.deletionTimestamp).toBe('2025-01-01T00:00:10Z');
    // its ReplicaSet waits for its pods in turn, and replaces none of them
    expect(JSON.parse((await c.run('get', 'rs', '-l', 'app=api', '-o', 'json')).stdout).items[0].metadata.finalizers).toEqual([
      'foregroundDeletion',
    ]);
    expect((await c.run('get', 'pods', '-l', 'app=api', '--no-headers')).stdout.match(/Terminating/g)).toHaveLength(2);
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'deploy,rs,pods', '-l', 'app=api')).stderr).toBe('No resources found in default namespace.\n');
    // with --wait (the default) the command returns when the owner is gone
    await c.run('create', 'deployment', 'db', '--image=nginx:1.27');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('delete', 'deploy', 'db', '--cascade=foreground')).code).toBe(0);
    expect((await c.run('get', 'deploy,rs,pods', '-l', 'app=db')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('collects the dependents of an owner deleted on a quiescent cluster', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'owner');
    const uid = JSON.parse((await c.run('get', 'cm', 'owner', '-o', 'json')).stdout).metadata.uid;
    const dependent = (name: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid }] },
      });
    expect((await kubesim(c.state, ['apply', '-f', '-'], { stdin: dependent('dep') })).stdout).toBe('configmap/dep created\n');
    // the next command loads the cluster quiescent: the collector looks only at what changes
    expect((await c.run('delete', 'cm', 'owner')).stdout).toBe('configmap "owner" deleted\n');
    expect((await c.run('get', 'cm', 'dep')).stderr).toBe('Error from server (NotFound): configmaps "dep" not found\n');
  });

  it("takes the old booleans with kubectl's warning and refuses anything else", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27');
    expect(await c.run('delete', 'deploy', 'web', '--cascade=maybe')).toMatchObject({
      code: 1,
      stderr: 'error: invalid cascade value (maybe). Must be "background", "foreground", or "orphan".\n',
    });
    const r = await c.run('delete', 'deploy', 'web', '--cascade=false');
    expect(r.stderr).toBe('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
    expect((await c.run('get', 'rs', '--no-headers')).stdout).toMatch(/^web-/);
  });
});

describe('edit', () => {
  const edit = (state: string, editor: string, ...args: string[]) =>
    kubesim(state, ['edit', ...args], { env: { KUBE_EDITOR: editor, PATH: process.env.PATH ?? '' } });

  it('opens the object in KUBE_EDITOR and patches what was changed', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    expect(await edit(c.state, "sed -i 's/replicas: 2/replicas: 4/'", 'deployment', 'web')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web edited\n',
      stderr: '',
    });
    expect(JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).spec.replicas).toBe(4);
    // the editor saw kubectl's header, then the object as get -o yaml prints it
    const seen = path.join(c.dir, 'seen.yaml');
    await edit(c.state, `cp -f --target-directory=${c.dir}`, 'deploy/web');
    const copied = fs.readdirSync(c.dir).find((f) => f === 'web.yaml')!;
    fs.renameSync(path.join(c.dir, copied), seen);
    const text = fs.readFileSync(seen, 'utf8');
    expect(text.startsWith("# Please edit the object below. Lines beginning with a '#' will be ignored,\n")).toBe(true);
    expect(text.slice(text.indexOf('apiVersion:'))).toBe((await c.run('get', 'deploy', 'web', '-o', 'yaml')).stdout);
  });

  it('cancels when nothing changed, and refuses what kubectl refuses keeping a copy', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27');
    expect(await edit(c.state, 'true', 'deploy/web')).toEqual({ code: 0, stdout: 'Edit cancelled, no changes made.\n', stderr: '' });
    const invalid = await edit(c.state, "sed -i 's/replicas: 1/replicas: -1/'", 'deploy/web');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(
      /^The Deployment "web" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0\nA copy of your changes has been stored to ".*web\.yaml"\n$/,
    );
    const renamed = await edit(c.state, "sed -i 's/^  name: web$/  name: other/'", 'deploy/web');
    expect(renamed).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^error: At least one of apiVersion, kind and name was changed\n/),
    });
    // the kept copies are the user's to remove, as with kubectl
    for (const r of [invalid, renamed]) {
      const kept = /stored to "(.*)"/.exec(r.stderr)![1];
      expect(fs.existsSync(kept)).toBe(true);
      fs.rmSync(path.dirname(kept), { recursive: true });
    }
    expect(await edit(c.state, 'false', 'deploy/web')).toMatchObject({
      code: 1,
      stderr: 'error: there was a problem with the editor "false"\n',
    });
    expect(await edit(c.state, 'true', 'deploy/nope')).toMatchObject({
      code: 1,
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
    });
    expect(JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).spec.replicas).toBe(1);
  });
});

describe('quantities', () => {
  it('are stored as the API server stores them: canonical, and a second apply changes nothing', async () => {
    const c = await manualCluster();
    c.file(
      'web.yaml',
      `${deploymentYaml({ resources: '{requests: {cpu: 0.25, memory: 1024Mi}, limits: {cpu: 1000m, memory: 2e9}}', podSpec: 'volumes: [{name: scratch, emptyDir: {sizeLimit: 0.5Gi}}]' })}---
apiVersion: v1
kind: ResourceQuota
metadata: {name: q}
spec: {hard: {requests.cpu: 2000m, pods: "10"}}
`,
    );
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    const pod = JSON.parse((await c.run('get', 'pods', '-o', 'json')).stdout).items[0];
    expect(pod.spec.containers[0].resources).toEqual({ limits: { cpu: '1', memory: '2G' }, requests: { cpu: '250m', memory: '1Gi' } });
    expect(pod.spec.volumes[0].emptyDir).toEqual({ sizeLimit: '512Mi' });
    expect(JSON.parse((await c.run('get', 'quota', 'q', '-o', 'json')).stdout).spec.hard).toEqual({ 'requests.cpu': '2', pods: '10' });
    // kubectl's patch holds the manifest's spelling (1000m against the stored "1"), so it says
    // configured; the server stores the same object, so nothing changes and diff sees nothing
    const generation = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).metadata.generation;
    expect((await c.run('apply', '-f', 'web.yaml')).stdout).toBe('deployment.apps/web configured\nresourcequota/q configured\n');
    expect(JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'json')).stdout).metadata.generation).toBe(generation);
    expect((await c.run('diff', '-f', 'web.yaml')).code).toBe(0);
    // not a quantity: refused as before
    c.file(
      'bad.yaml',
      `apiVersion: v1
kind: Pod
metadata: {name: bad}
spec: {containers: [{name: c, image: nginx:1.27, resources: {requests: {cpu: lots}}}]}
`,
    );
    expect(await c.run('apply', '-f', 'bad.yaml')).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/quantities must match the regular expression/),
    });
  });
});

describe('go templates', () => {
  it('range over the listed objects, as kubectl prints them', async () => {
    const c = await manualCluster();
    const names = (await c.run('get', 'nodes', '-o', 'name')).stdout.replace(/node\//g, '');
    expect(await c.run('get', 'nodes', '-o', 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}')).toEqual({
      code: 0,
      stdout: names,
      stderr: '',
    });
  });
});

describe('a damaged state file', () => {
  it('names the object that cannot be read and changes nothing', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    const db = new Database(c.state);
    db.prepare("UPDATE objects SET data = '{broken' WHERE kind = 'Deployment'").run();
    db.close();
    const before = fs.readFileSync(c.state);
    const broken = { code: 1, stdout: '', stderr: `error: ${c.state} is corrupt: Deployment default/web cannot be read\n` };
    // reading that kind, or any command that runs the controllers, meets it
    expect(await c.run('get', 'deployments')).toEqual(broken);
    expect(await c.run('scale', 'deployment/web', '--replicas=2')).toEqual(broken);
    expect(fs.readFileSync(c.state)).toEqual(before);
    // like an API server with one bad object, the other kinds still list (a read-only command
    // on a settled cluster reads only the kinds it shows)
    expect(await c.run('get', 'pods', '-o', 'name')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^pod\/web-/) });
    expect(fs.readFileSync(c.state)).toEqual(before);
  });
});

/** Rewrites a schema 4 events table (rows of entries by bucket) in the schema 3 layout (one row per event). */
function oneRowPerEvent(db: Database.Database): void {
  const rows = db.prepare('SELECT data FROM events').all() as { data: string }[];
  db.exec(`DROP TABLE events;
    CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, dedup INTEGER NOT NULL, namespace TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, uid TEXT NOT NULL,
      type TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, source TEXT NOT NULL, host TEXT, count INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL);
    CREATE UNIQUE INDEX events_dedup ON events (dedup); CREATE INDEX events_object ON events (namespace, kind, name);`);
  const insert = db.prepare(
    'INSERT INTO events (id, dedup, namespace, kind, name, uid, type, reason, message, source, host, count, first_ts, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of rows) {
    // (the entries as recorded: a container start's is one stored entry since schema 8)
    for (const [namespace, kind, name, seq, uid, type, reason, message, source, host, count, first, last] of parseEvents(r.data)) {
      insert.run(seq, seq, namespace, kind, name, uid, type, reason, message, source, host, count, first, last);
    }
  }
}
