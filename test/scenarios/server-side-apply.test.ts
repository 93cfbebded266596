import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { SSA_CONFLICT_HINT } from '../../src/cli/apply-object';
import * as path from 'node:path';

const WIDGET_CRD = path.resolve(__dirname, '../../fixtures/crds/widget-crd.yaml');

const DEPLOY = (replicas: number, image = 'nginx:1.25') =>
  `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

type Entry = {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: string;
  fieldsV1: unknown;
  subresource?: string;
};

async function managed(c: Awaited<ReturnType<typeof manualCluster>>, resource: string, name: string): Promise<Entry[]> {
  const r = await c.run('get', resource, name, '-o', 'json', '--show-managed-fields');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as { metadata: { managedFields?: Entry[] } }).metadata.managedFields ?? [];
}

describe('apply --server-side', () => {
  it('creates the object with an Apply entry for kubectl owning exactly the manifest fields', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    expect(await c.run('apply', '--server-side', '-f', 'web.yaml')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web serverside-applied\n',
      stderr: '',
    });
    const entries = await managed(c, 'deploy', 'web');
    // the deployment controller's status writes show as a cluster shows them
    expect(entries.map((e) => [e.manager, e.operation, e.subresource])).toEqual([
      ['kubectl', 'Apply', undefined],
      ['kube-controller-manager', 'Update', 'status'],
    ]);
    expect(entries.slice(0, 1)).toEqual([
      {
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"web"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
        manager: 'kubectl',
        operation: 'Apply',
        time: '2025-01-01T00:00:00Z',
      },
    ]);
    // applying again says serverside-applied again (kubectl prints it for every server-side apply)
    expect((await c.run('apply', '--server-side', '-f', 'web.yaml')).stdout).toBe('deployment.apps/web serverside-applied\n');
  });

  it('get hides managedFields unless --show-managed-fields, which shows them as a cluster does', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    await c.run('apply', '--server-side', '-f', 'web.yaml');
    expect((await c.run('get', 'deploy', 'web', '-o', 'yaml')).stdout).not.toContain('managedFields');
    const shown = (await c.run('get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields')).stdout;
    expect(shown).toContain(
      [
        '  managedFields:',
        '  - apiVersion: apps/v1',
        '    fieldsType: FieldsV1',
        '    fieldsV1:',
        '      f:metadata:',
        '        f:labels:',
        '          f:app: {}',
      ].join('\n'),
    );
    expect(shown).toContain(
      ['    manager: kubectl', '    operation: Apply', '    time: "2025-01-01T00:00:00Z"', '  - apiVersion: apps/v1'].join('\n'),
    );
    expect(shown).toContain(
      [
        '    fieldsV1:',
        '      f:metadata:',
        '        f:annotations:',
        '          .: {}',
        '          f:deployment.kubernetes.io/revision: {}',
        '      f:status:',
      ].join('\n'),
    );
    expect(shown).toContain(
      [
        '    manager: kube-controller-manager',
        '    operation: Update',
        '    subresource: status',
        '    time: "2025-01-01T00:00:00Z"',
        '  name: web',
      ].join('\n'),
    );
  });

  it('refuses a field another manager set to a different value with the server message and kubectl hint, changing nothing', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    await c.run('apply', '--server-side', '-f', 'web.yaml');
    await c.run('clock', 'advance', '10s');
    c.file('web4.yaml', DEPLOY(4));
    const r = await c.run('apply', '--server-side', '--field-manager', 'ci', '-f', 'web4.yaml');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n${SSA_CONFLICT_HINT}\n`,
    });
    expect(SSA_CONFLICT_HINT.split('\n')[0]).toBe('Please review the fields above--they currently have other managers. Here');
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
    expect((await managed(c, 'deploy', 'web')).map((e) => e.manager)).toEqual(['kubectl', 'kube-controller-manager']);
  });

  it('names an Update manager with its apiVersion, and lists several conflicts by manager', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx:1.25', '--port=80');
    c.file('web.yaml', DEPLOY(3, 'nginx:1.27').replace('name: web\n        image', 'name: nginx\n        image'));
    const r = await c.run('apply', '--server-side', '-f', 'web.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image\n${SSA_CONFLICT_HINT}\n`,
    );
  });

  it('--force-conflicts takes the field: the value changes and the other manager loses it', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    await c.run('apply', '--server-side', '-f', 'web.yaml');
    c.file('replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n');
    const r = await c.run('apply', '--server-side', '--field-manager', 'hpa-ish', '--force-conflicts', '-f', 'replicas.yaml');
    expect(r).toEqual({ code: 0, stdout: 'deployment.apps/web serverside-applied\n', stderr: '' });
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('5');
    const entries = (await managed(c, 'deploy', 'web')).filter((e) => !e.subresource);
    expect(entries.map((e) => e.manager)).toEqual(['hpa-ish', 'kubectl']);
    expect(entries[0].fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(JSON.stringify(entries[1].fieldsV1)).not.toContain('f:replicas');
  });

  it('removes a field the manager no longer applies, unless another manager also owns it', async () => {
    const c = await manualCluster();
    c.file('a.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1", b: "2", shared: "x"}\n');
    c.file('b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {shared: "x"}\n');
    await c.run('apply', '--server-side', '--field-manager', 'one', '-f', 'a.yaml');
    // the same value: no conflict, and the field has two managers
    expect((await c.run('apply', '--server-side', '--field-manager', 'two', '-f', 'b.yaml')).code).toBe(0);
    const shared = await managed(c, 'cm', 'cfg');
    expect(shared.map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['one', { 'f:data': { 'f:a': {}, 'f:b': {}, 'f:shared': {} } }],
      ['two', { 'f:data': { 'f:shared': {} } }],
    ]);
    c.file('a2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n');
    expect((await c.run('apply', '--server-side', '--field-manager', 'one', '-f', 'a2.yaml')).code).toBe(0);
    expect((await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.data}')).stdout).toBe('{"a":"1","shared":"x"}');
  });

  it('migrates client-side apply ownership to kubectl: dropped fields go, last-applied stays current', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1", b: "2"}\n');
    await c.run('apply', '-f', 'cm.yaml');
    const before = await managed(c, 'cm', 'cfg');
    expect(before.map((e) => [e.manager, e.operation])).toEqual([['kubectl-client-side-apply', 'Update']]);
    expect(before[0].fieldsV1).toEqual({
      'f:data': { '.': {}, 'f:a': {}, 'f:b': {} },
      'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
    });
    await c.run('clock', 'advance', '1m');
    c.file('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "9"}\n');
    // a field client-side apply set as last applied may change without a conflict (the API server's lastAppliedManager)
    expect(await c.run('apply', '--server-side', '-f', 'cm2.yaml')).toEqual({
      code: 0,
      stdout: 'configmap/cfg serverside-applied\n',
      stderr: '',
    });
    const obj = JSON.parse((await c.run('get', 'cm', 'cfg', '-o', 'json', '--show-managed-fields')).stdout) as {
      data: Record<string, string>;
      metadata: { annotations: Record<string, string>; managedFields: Entry[] };
    };
    expect(obj.data).toEqual({ a: '9' });
    expect(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"v1","data":{"a":"9"},"kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"}}\n',
    );
    expect(obj.metadata.managedFields.map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ['kubectl', 'Apply', { 'f:data': { 'f:a': {} } }],
      [
        'kubectl-last-applied',
        'Apply',
        { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } },
      ],
    ]);
    // and client-side apply still works from the kept annotation
    c.file('cm3.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "9", c: "3"}\n');
    expect((await c.run('apply', '-f', 'cm3.yaml')).stdout).toBe('configmap/cfg configured\n');
  });

  it('--dry-run=server reports (server dry run) and stores nothing; -o yaml prints the applied object', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    expect(await c.run('apply', '--server-side', '--dry-run=server', '-f', 'web.yaml')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web serverside-applied (server dry run)\n',
      stderr: '',
    });
    expect((await c.run('get', 'deploy', 'web')).code).toBe(1);
    const y = await c.run('apply', '--server-side', '-f', 'web.yaml', '-o', 'yaml');
    expect(y.stdout).toContain('kind: Deployment\n');
    expect(y.stdout).not.toContain('managedFields');
    expect((await c.run('apply', '--server-side', '-f', 'web.yaml', '-o', 'yaml', '--show-managed-fields')).stdout).toContain(
      'manager: kubectl\n',
    );
  });

  it('refuses --force-conflicts without --server-side and --dry-run=client with it, as kubectl does', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    expect(await c.run('apply', '--force-conflicts', '-f', 'web.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --force-conflicts only works with --server-side\n',
    });
    expect(await c.run('apply', '--server-side', '--dry-run=client', '-f', 'web.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n",
    });
  });
});

describe('managedFields of the other writes', () => {
  it('create, label, annotate, patch, edit-style writes and scale record their managers', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    const created = (await managed(c, 'deploy', 'web')).filter((e) => e.subresource !== 'status');
    expect(created.map((e) => [e.manager, e.operation])).toEqual([['kubectl-create', 'Update']]);
    const spec = (created[0].fieldsV1 as Record<string, Record<string, unknown>>)['f:spec'];
    // defaulted fields belong to the creator, as on a cluster; pointer structs added whole get "."
    expect(spec['f:progressDeadlineSeconds']).toEqual({});
    expect(spec['f:strategy']).toEqual({ 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} });
    expect((created[0].fieldsV1 as Record<string, unknown>)['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });

    await c.run('clock', 'advance', '5s');
    await c.run('label', 'deploy', 'web', 'tier=front');
    await c.run('annotate', 'deploy', 'web', 'note=x');
    await c.run('patch', 'deploy', 'web', '-p', '{"spec":{"minReadySeconds":3}}');
    await c.run('scale', 'deploy', 'web', '--replicas=2');
    await c.run('set', 'image', 'deploy/web', 'nginx=nginx:2', '--field-manager', 'my-tool');
    const entries = (await managed(c, 'deploy', 'web')).filter((e) => e.subresource !== 'status');
    expect(entries.map((e) => [e.manager, e.operation, e.subresource ?? '', e.time])).toEqual([
      ['kubectl-create', 'Update', '', '2025-01-01T00:00:00Z'],
      ['kubectl', 'Update', 'scale', '2025-01-01T00:00:05Z'],
      ['kubectl-annotate', 'Update', '', '2025-01-01T00:00:05Z'],
      ['kubectl-label', 'Update', '', '2025-01-01T00:00:05Z'],
      ['kubectl-patch', 'Update', '', '2025-01-01T00:00:05Z'],
      ['my-tool', 'Update', '', '2025-01-01T00:00:05Z'],
    ]);
    const fields = Object.fromEntries(entries.map((e) => [e.manager + (e.subresource ?? ''), e.fieldsV1]));
    expect(fields['kubectl-label']).toEqual({ 'f:metadata': { 'f:labels': { 'f:tier': {} } } });
    expect(fields['kubectl-annotate']).toEqual({ 'f:metadata': { 'f:annotations': { 'f:note': {} } } });
    expect(fields['kubectl-patch']).toEqual({ 'f:spec': { 'f:minReadySeconds': {} } });
    expect(fields['kubectlscale']).toEqual({ 'f:spec': { 'f:replicas': {} } });
    // the creator no longer owns what others changed
    expect(JSON.stringify(fields['kubectl-create'])).not.toContain('f:replicas');
    expect(JSON.stringify(fields['kubectl-create'])).not.toContain('f:image"');
  });
});

describe('the cluster writers in managedFields', () => {
  it("a ReplicaSet's pod shows kube-controller-manager for what it created and the kubelet for status", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('clock', 'advance', '30s');
    const pod = (await c.run('get', 'pods', '-o', 'name')).stdout.trim().split('\n')[0].replace('pod/', '');
    const entries = await managed(c, 'pod', pod);
    expect(entries.map((e) => [e.manager, e.operation, e.subresource])).toEqual([
      ['kube-controller-manager', 'Update', undefined],
      ['kubelet', 'Update', 'status'],
    ]);
    const [kcm, kubelet] = entries.map((e) => e.fieldsV1 as Record<string, Record<string, unknown>>);
    expect(Object.keys(kcm['f:metadata'])).toEqual(['f:generateName', 'f:labels', 'f:ownerReferences']);
    // the binding's nodeName and admission's additions have no manager
    expect(kcm['f:spec']['f:nodeName']).toBeUndefined();
    expect(kcm['f:spec']['f:restartPolicy']).toEqual({});
    expect(Object.keys(kubelet['f:status']['f:conditions'] as object)).toEqual([
      '.',
      'k:{"type":"ContainersReady"}',
      'k:{"type":"Initialized"}',
      'k:{"type":"PodReadyToStartContainers"}',
      'k:{"type":"Ready"}',
    ]);
    expect(kubelet['f:status']['f:podIPs']).toHaveProperty('.');
    // without the flag, get shows none of them
    expect((await c.run('get', 'pod', pod, '-o', 'yaml')).stdout).not.toContain('managedFields');
  });
});

describe('diff --server-side', () => {
  it('diffs against a dry-run apply patch, and shows the conflict as the server answers it', async () => {
    const c = await manualCluster();
    c.file('web.yaml', DEPLOY(2));
    c.file('web4.yaml', DEPLOY(4));
    await c.run('apply', '--server-side', '-f', 'web.yaml');
    const d = await c.run('diff', '--server-side', '-f', 'web4.yaml');
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('-  replicas: 2\n+  replicas: 4\n');
    expect(await c.run('diff', '--server-side', '--field-manager', 'other', '-f', 'web4.yaml')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Error from server (Conflict): Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n',
    });
    expect((await c.run('diff', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', 'web4.yaml')).code).toBe(1);
    expect(await c.run('diff', '--force-conflicts', '-f', 'web4.yaml')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: --force-conflicts only works with --server-side\n',
    });
    // nothing was written
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
  });
});

describe('apply --server-side: what the field manager refuses before merging', () => {
  it('a field the schema does not declare, whatever --validate says (built-in and custom kinds)', async () => {
    const c = await manualCluster();
    c.file('bogus.yaml', DEPLOY(2).replace('  replicas: 2\n', '  replicas: 2\n  bogus: 1\n'));
    expect(await c.run('apply', '--server-side', '--validate=false', '-f', 'bogus.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server: failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.bogus: field not declared in schema\n',
    });
    expect((await c.run('get', 'deploy', 'web')).code).toBe(1);
    c.file('dup.yaml', DEPLOY(2).replace('ports: [{containerPort: 80}]', 'env: [{name: A, value: "1"}, {name: A, value: "2"}]'));
    expect((await c.run('apply', '--server-side', '-f', 'dup.yaml')).stderr).toBe(
      'Error from server: failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="web"].env: duplicate entries for key [name="A"]\n',
    );
    expect((await c.run('apply', '-f', WIDGET_CRD)).code).toBe(0);
    c.file(
      'widget-unknown.yaml',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3, unknownField: dropped}\n',
    );
    expect((await c.run('apply', '--server-side', '-f', 'widget-unknown.yaml')).stderr).toBe(
      'Error from server: failed to create typed patch object (default/w; example.com/v1, Kind=Widget): .spec.unknownField: field not declared in schema\n',
    );
  });

  it('a custom resource: fields by its CRD schema, conflicts as for built-in kinds', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', WIDGET_CRD);
    c.file('w.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3, color: blue}\n');
    expect((await c.run('apply', '--server-side', '-f', 'w.yaml')).stdout).toBe('widget.example.com/w serverside-applied\n');
    expect((await managed(c, 'widget', 'w')).map((e) => [e.manager, e.fieldsV1])).toEqual([
      ['kubectl', { 'f:spec': { 'f:color': {}, 'f:size': {} } }],
    ]);
    c.file('w5.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 5}\n');
    expect((await c.run('apply', '--server-side', '--field-manager', 'other', '-f', 'w5.yaml')).stderr).toContain(
      'error: Apply failed with 1 conflict: conflict with "kubectl": .spec.size\n',
    );
  });
});

describe('managers of the generating verbs', () => {
  it('run, expose, autoscale, create job and rollout restart record their kubectl-VERB managers', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    await c.run('run', 'solo', '--image=nginx');
    await c.run('expose', 'deployment', 'web', '--port=80');
    await c.run('autoscale', 'deployment', 'web', '--max=3');
    await c.run('create', 'job', 'once', '--image=busybox');
    await c.run('rollout', 'restart', 'deployment/web');
    const users = async (resource: string, name: string) =>
      (await managed(c, resource, name))
        .filter((e) => !['kube-controller-manager', 'kubelet', 'kube-scheduler'].includes(e.manager))
        .map((e) => e.manager);
    expect(await users('pod', 'solo')).toEqual(['kubectl-run']);
    expect(await users('svc', 'web')).toEqual(['kubectl-expose']);
    expect(await users('hpa', 'web')).toEqual(['kubectl-autoscale']);
    expect(await users('job', 'once')).toEqual(['kubectl-create']);
    expect(await users('deploy', 'web')).toEqual(['kubectl-create', 'kubectl-rollout']);
  });
});
