import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

/*
 * -f, --local and -o on the commands that edit objects (label, annotate, set image|env|resources|
 * serviceaccount, patch): CI scripts use them to rewrite manifests without a cluster. Every row's
 * exit code, stdout and stderr is what kubectl v1.32 printed for the same arguments in a directory
 * holding WEB (web.yaml, from `kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml`)
 * and WEB plus a ConfigMap (two.yaml).
 */
const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
status: {}
`;
const TWO = `${WEB}---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c2
`;

// (-o json is left out: kubectl prints a local object's JSON in Go struct field order, kubesim sorts keys)
const cases: Array<[string[], number, string, string]> = [
  [
    ['set', 'image', '-f', 'web.yaml', 'nginx=nginx:1.28', '--local', '-o', 'yaml'],
    0,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.28
        name: nginx
        resources: {}
status: {}
`,
    '',
  ],
  [
    ['set', 'image', '-f', 'two.yaml', 'nginx=nginx:1.28', '--local'],
    1,
    `deployment.apps/web image updated
`,
    'error: configmap/c2 the object is not a pod or does not have a pod template: *v1.ConfigMap\n',
  ],
  [
    ['set', 'env', '-f', 'web.yaml', 'A=1', '--local', '-o', 'yaml'],
    0,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - env:
        - name: A
          value: "1"
        image: nginx:1.27
        name: nginx
        resources: {}
status: {}
`,
    '',
  ],
  [
    ['set', 'resources', '-f', 'web.yaml', '--limits=cpu=200m', '--requests=memory=64Mi', '--local', '-o', 'yaml'],
    0,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources:
          limits:
            cpu: 200m
          requests:
            memory: 64Mi
status: {}
`,
    '',
  ],
  [
    ['set', 'serviceaccount', '-f', 'web.yaml', 'builder', '--local', '-o', 'name'],
    0,
    `deployment.apps/web
`,
    '',
  ],
  [
    ['set', 'image', 'deploy/web', 'nginx=x', '--local'],
    1,
    ``,
    "error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n",
  ],
  [['set', 'image', '-f', 'web.yaml', 'nope=x', '--local'], 1, ``, 'error: unable to find container named "nope"\n'],
  [
    ['set', 'image'],
    1,
    ``,
    "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
  ],
  [
    ['set', 'resources'],
    1,
    ``,
    "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
  ],
  [
    ['label', '-f', 'two.yaml', 'tier=web', '--local', '-o', 'yaml'],
    0,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
    tier: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
status: {}
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    tier: web
  name: c2
`,
    '',
  ],
  [
    ['label', '-f', 'two.yaml', 'tier=web', '--local'],
    0,
    `deployment.apps/web labeled
configmap/c2 labeled
`,
    '',
  ],
  [['label', '--local', 'a=b'], 1, ``, 'error: one or more files must be specified as -f pod.yaml or --filename=pod.json\n'],
  [
    ['label', 'deploy', 'web', 'a=b', '--local'],
    1,
    ``,
    'error: can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set\n',
  ],
  [['label', 'pods', 'a=b', 'web'], 1, ``, 'error: all resources must be specified before label changes: web\n'],
  [['annotate', 'pods', 'a=b', 'web'], 1, ``, 'error: all resources must be specified before annotation changes: web\n'],
  [['label'], 1, ``, 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n'],
  [['annotate', '-f', 'web.yaml', 'owner=team-a', '--local', '-o', 'jsonpath={.metadata.annotations}'], 0, `{"owner":"team-a"}`, ''],
  [['annotate', 'a=b', '--local'], 1, ``, 'error: one or more files must be specified as -f rsrc.yaml or --filename=rsrc.json\n'],
  [
    ['patch', '-f', 'web.yaml', '-p', '{"spec":{"replicas":3}}', '--local', '-o', 'yaml'],
    0,
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx:1.27
        name: nginx
        resources: {}
status: {}
`,
    '',
  ],
  [
    ['patch', '-f', 'web.yaml', '-p', '{}', '--local'],
    0,
    `deployment.apps/web patched (no change)
`,
    '',
  ],
  [
    [
      'patch',
      '-f',
      'web.yaml',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":5}]',
      '--local',
      '-o',
      'jsonpath={.spec.replicas}',
    ],
    0,
    `5`,
    '',
  ],
  [['patch', 'deploy', 'web', '-p', '{}', '--local'], 1, ``, 'error: cannot specify --local and server resources\n'],
  [
    ['patch', '-p', '{}'],
    1,
    ``,
    "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
  ],
];

describe('editing manifests with --local', () => {
  it.each(cases)('%j prints what kubectl prints', async (args, code, stdout, stderr) => {
    const c = await manualCluster();
    c.file('web.yaml', WEB);
    c.file('two.yaml', TWO);
    expect(await c.run(...args)).toEqual({ code, stdout, stderr });
  });
});

describe('-f and -o against the cluster', () => {
  it('edits the objects a manifest names and prints them with -o', async () => {
    const c = await manualCluster();
    c.file('web.yaml', WEB);
    await c.run('apply', '-f', 'web.yaml');
    expect(await c.run('label', '-f', 'web.yaml', 'tier=web')).toEqual({ code: 0, stdout: 'deployment.apps/web labeled\n', stderr: '' });
    expect(
      (await c.run('set', 'image', '-f', 'web.yaml', 'nginx=nginx:1.28', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'))
        .stdout,
    ).toBe('nginx:1.28');
    expect((await c.run('annotate', 'deployment', 'web', 'owner=a', '-o', 'name')).stdout).toBe('deployment.apps/web\n');
    expect(
      (
        await c.run(
          'get',
          'deployment',
          'web',
          '-o',
          'jsonpath={.metadata.labels.tier} {.metadata.annotations.owner} {.spec.template.spec.containers[0].image}',
        )
      ).stdout,
    ).toBe('web a nginx:1.28');
    expect(await c.run('scale', '-f', 'web.yaml', '--replicas=3')).toEqual({ code: 0, stdout: 'deployment.apps/web scaled\n', stderr: '' });
    expect((await c.run('scale', 'deployment/web', '--replicas=2', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
    expect((await c.run('scale', '--replicas=2')).stderr).toBe(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
    );
    // kubectl scale has no --local
    expect((await c.run('scale', '-f', 'web.yaml', '--replicas=2', '--local')).stderr).toBe(
      "error: unknown flag: --local\nSee 'kubesim scale --help' for usage.\n",
    );
    await c.run('scale', 'deployment/web', '--replicas=1');
    // a dry run prints the result but stores nothing
    expect(
      (await c.run('patch', '-f', 'web.yaml', '-p', '{"spec":{"replicas":4}}', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}'))
        .stdout,
    ).toBe('4');
    expect((await c.run('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('1');
  });
});

describe('set env --list', () => {
  it("prints each container's variables, and where valueFrom ones come from (kubectl v1.32 output)", async () => {
    const c = await manualCluster();
    c.file(
      'env.yaml',
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx
        env:
        - name: A
          value: "1"
        - name: CM
          valueFrom: {configMapKeyRef: {name: cfg, key: k}}
        - name: S
          valueFrom: {secretKeyRef: {name: sec, key: pw}}
        - name: NODE
          valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
        - name: MEM
          valueFrom: {resourceFieldRef: {containerName: nginx, resource: limits.memory}}
        - name: EMPTY
      - name: side
        image: busybox
`,
    );
    expect(await c.run('set', 'env', '-f', 'env.yaml', '--list', '--local')).toEqual({
      code: 0,
      stdout: [
        '# Deployment web, container nginx',
        'A=1',
        '# CM from configmap cfg, key k',
        '# S from secret sec, key pw',
        '# NODE from field path spec.nodeName',
        '# MEM from resource field nginx/limits.memory',
        'EMPTY=',
        '# Deployment web, container side',
        '',
      ].join('\n'),
      stderr: '',
    });
    expect((await c.run('set', 'env', '-f', 'env.yaml', '--list', '--local', '-c', 'side')).stdout).toBe(
      '# Deployment web, container side\n',
    );
    await c.run('apply', '-f', 'env.yaml');
    expect((await c.run('set', 'env', 'deployment/web', '--list', '-c', 'nginx')).stdout.split('\n')[1]).toBe('A=1');
  });
});
