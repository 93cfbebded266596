import { describe, expect, it } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';

const deployment = (name: string, volumes: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: c
        image: nginx
      volumes:
${volumes}`;

describe('manifests are read as kubectl reads them (YAML 1.1 scalars)', () => {
  it('stores octal file modes as their value: 0644 is 420, 0755 is 493, and defaults an unset mode to 420', async () => {
    const c = await manualCluster();
    const volumes = `      - name: a
        configMap:
          name: cfg
          defaultMode: 0644
          items:
          - {key: k, path: p, mode: 0755}
      - name: b
        secret: {secretName: s}
`;
    c.file('web.yaml', deployment('web', volumes));
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    const r = await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.volumes}');
    expect(JSON.parse(r.stdout)).toEqual([
      { name: 'a', configMap: { name: 'cfg', defaultMode: 420, items: [{ key: 'k', path: 'p', mode: 493 }] } },
      { name: 'b', secret: { secretName: 's', defaultMode: 420 } },
    ]);
  });

  it('refuses a file mode outside 0-0777 with the API server text, and writes nothing', async () => {
    const c = await manualCluster();
    const volumes = `      - name: a
        configMap: {name: cfg, defaultMode: 9999}
      - name: b
        projected:
          sources:
          - secret:
              name: s
              items: [{key: k, path: p, mode: -1}]
`;
    c.file('web.yaml', deployment('web', volumes));
    const r = await c.run('apply', '-f', 'web.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The Deployment "web" is invalid: \n* spec.template.spec.volumes[0].configMap.defaultMode: Invalid value: 9999: must be a number between 0 and 0777 (octal), both inclusive\n' +
        '* spec.template.spec.volumes[1].projected.sources[0].secret.items[0].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive\n',
    );
    expect((await c.run('get', 'deploy')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('reads an unquoted yes in ConfigMap data as a boolean, which the API server cannot decode', async () => {
    const c = await manualCluster();
    c.file('flags.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {enabled: yes}\n');
    const r = await c.run('apply', '-f', 'flags.yaml');
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (BadRequest): error when creating "flags.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ConfigMap.data of type string\n',
    });
    // go-yaml v2's other YAML 1.1 booleans (kubectl v1.32 `label --local -o jsonpath={.data.enabled}` prints true/false for each)
    for (const word of ['no', 'on', 'off', 'y', 'n', 'Y', 'NO', 'True']) {
      c.file('flags.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {enabled: ${word}}\n`);
      expect((await c.run('apply', '-f', 'flags.yaml')).stderr).toContain(
        'json: cannot unmarshal bool into Go struct field ConfigMap.data',
      );
    }
    c.file('flags.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {enabled: "yes", mode: "0644"}\n');
    expect((await c.run('apply', '-f', 'flags.yaml')).code).toBe(0);
    expect((await c.run('get', 'cm', 'flags', '-o', 'jsonpath={.data}')).stdout).toBe('{"enabled":"yes","mode":"0644"}');
  });

  it('prints the decoded object with --local as kubectl does (label --local -o json)', async () => {
    const c = await manualCluster();
    c.file(
      'cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: 0x1F\n  b: on\n  c: ~\n  d: 1:20\n  e: 2024-01-02\n  n: 010\n',
    );
    const r = await c.run('label', '--local', '-f', 'cm.yaml', 'a=b', '-o', 'json');
    expect(JSON.parse(r.stdout).data).toEqual({ a: 31, b: true, c: null, d: '1:20', e: '2024-01-02', false: 8 });
  });
});

describe('input with no objects', () => {
  it('apply, create: "no objects passed to …", exit 1; delete: No resources found; replace: nothing', async () => {
    const c = await manualCluster();
    c.file('comments.yaml', '# nothing here\n---\n# or here\n');
    expect(await kubesim(c.state, ['apply', '-f', '-'], { stdin: '' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no objects passed to apply\n',
    });
    expect(await c.run('apply', '-f', 'comments.yaml')).toEqual({ code: 1, stdout: '', stderr: 'error: no objects passed to apply\n' });
    expect(await c.run('create', '-f', 'comments.yaml')).toEqual({ code: 1, stdout: '', stderr: 'error: no objects passed to create\n' });
    expect(await c.run('delete', '-f', 'comments.yaml')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
    expect(await c.run('replace', '-f', 'comments.yaml')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a document that is not an object is skipped with kubectl text; the others are applied', async () => {
    const c = await manualCluster();
    c.file(
      'mix.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nfoo\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    );
    expect(await c.run('apply', '-f', 'mix.yaml')).toEqual({
      code: 1,
      stdout: 'configmap/a created\nconfigmap/b created\n',
      stderr: 'error: unable to decode "mix.yaml": json: cannot unmarshal string into Go value of type unstructured.detector\n',
    });
  });

  it('a separator line with content is refused as kubectl refuses it; the document it ends is lost with it', async () => {
    const c = await manualCluster();
    // kubectl v1.32 label --local -f on this file: configmap/a, then the error (b is never decoded)
    c.file(
      'sep.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n--- {a: 1}\n',
    );
    expect(await c.run('apply', '-f', 'sep.yaml')).toEqual({
      code: 1,
      stdout: 'configmap/a created\n',
      stderr: 'error: error parsing sep.yaml: invalid Yaml document separator: {a: 1}\n',
    });
  });
});

describe('kustomize reads resources as kyaml does (go-yaml v3)', () => {
  it('keeps yes/NO/y as strings, reads 08 and 0o17 as numbers, dates as RFC 3339 times (kubectl kustomize v1.32 output)', async () => {
    const c = await manualCluster();
    c.file('k/kustomization.yaml', 'resources:\n- cm.yaml\n');
    c.file(
      'k/cm.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  t: 2024-01-01\n  t2: 2024-1-2 3:04:05.120\n  u: 08\n  v: 0o17\n  zz: True\n  zy: NO\n  y: y\n  on: yes\n',
    );
    expect(await c.run('kustomize', 'k')).toEqual({
      code: 0,
      stderr: '',
      stdout:
        'apiVersion: v1\ndata:\n  "on": "yes"\n  t: "2024-01-01T00:00:00Z"\n  t2: "2024-01-02T03:04:05.12Z"\n  u: 8\n  v: 15\n  "y": "y"\n  zy: "NO"\n  zz: true\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
  });

  it('refuses what kustomize refuses, in its words', async () => {
    const c = await manualCluster();
    c.file('k/kustomization.yaml', 'resources:\n- cm.yaml\n');
    const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n${data}`;
    c.file('k/cm.yaml', cm(' bad: 1\n'));
    expect((await c.run('kustomize', 'k')).stderr).toBe(
      "error: accumulating resources: accumulating resources from 'cm.yaml': MalformedYAMLError: yaml: line 4: did not find expected key in File: cm.yaml\n",
    );
    c.file('k/cm.yaml', cm('data:\n  1: .inf\n'));
    expect((await c.run('kustomize', 'k')).stderr).toBe(
      'error: map[string]interface {}{"apiVersion":"v1", "data":map[interface {}]interface {}{1:+Inf}, "kind":"ConfigMap", "metadata":map[string]interface {}{"name":"x"}}: json: unsupported type: map[interface {}]interface {}\n',
    );
  });
});
