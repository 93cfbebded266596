import { describe, it, expect } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import { manualCluster } from '../support/cli';

/*
 * `kubesim kustomize DIR` must print exactly what `kubectl kustomize DIR` prints.
 *
 * Every directory under test/fixtures/kustomize/ is one case: its kustomization.yaml
 * is at the case root (overlays keep their base in base/), expected.yaml is the
 * byte-exact stdout of the real kubectl v1.32.5 (kustomize v5.5.0), and
 * expected.stderr, when present, is its stderr (deprecation warnings).
 * To regenerate a case:
 *   kubectl kustomize test/fixtures/kustomize/<case> > test/fixtures/kustomize/<case>/expected.yaml \
 *     2> test/fixtures/kustomize/<case>/expected.stderr   # then delete expected.stderr if empty
 * expected.yaml is never listed in resources, so it does not feed back into the build.
 * A case that fails has expected.error instead: kubectl's error as kubesim prints it
 * (`error: ` and the message klog quotes), with {{FIXTURES}} for this directory's real path.
 * An `args` file holds extra flags for both (e.g. --load-restrictor LoadRestrictionsNone).
 * When kubectl is on the PATH, each case is also re-checked against it.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/kustomize');

/** The case directories, sorted so the test order is stable. */
function caseDirs(): string[] {
  return fs
    .readdirSync(FIXTURES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

// the realistic case: Namespace + generated ConfigMap + Service + Deployment,
// all in namespace shop-prod with the prod- prefix
const OVERLAY = 'overlay';

const caseDir = (name: string) => path.join(FIXTURES, name);
const readIfExists = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
const expectedStdout = (name: string) => fs.readFileSync(path.join(caseDir(name), 'expected.yaml'), 'utf8');
const expectedStderr = (name: string) => readIfExists(path.join(caseDir(name), 'expected.stderr'));

interface Ref {
  /** kubectl's `<resource>[.<group>]`, e.g. `deployment.apps` */
  resource: string;
  name: string;
  namespace?: string;
}

/**
 * The objects of a case's expected output, in kustomize's order, with the names
 * kubectl prints them under (computed, so generator hashes are never hard-coded).
 */
function expectedRefs(name: string): Ref[] {
  return YAML.parseAllDocuments(expectedStdout(name)).map((doc) => {
    const o = doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    return { resource: o.kind.toLowerCase() + (group ? `.${group}` : ''), name: o.metadata.name, namespace: o.metadata.namespace };
  });
}

const caseArgs = (name: string) =>
  readIfExists(path.join(caseDir(name), 'args'))
    .split(/\s+/)
    .filter(Boolean);

/** What `kustomize <case>` must print: the golden output, or the golden error with exit code 1. */
function expectedRun(name: string): { code: number; stdout: string; stderr: string } {
  const error = path.join(caseDir(name), 'expected.error');
  if (!fs.existsSync(error)) return { code: 0, stdout: expectedStdout(name), stderr: expectedStderr(name) };
  return { code: 1, stdout: '', stderr: fs.readFileSync(error, 'utf8').replaceAll('{{FIXTURES}}', fs.realpathSync(FIXTURES)) };
}

/** The real kubectl, when installed: the goldens are re-checked against it (klog's quoted or <…> error unwrapped). */
function realKubectl(name: string): { code: number; stdout: string; stderr: string } | undefined {
  const run = spawnSync('kubectl', ['kustomize', caseDir(name), ...caseArgs(name)], { encoding: 'utf8' });
  if (run.error) return undefined;
  const klog = /^E\d{4} [\d:.]+\s+\d+ run\.go:\d+\] "command failed" err=(?:(".*")|<\n([\s\S]*)\n >)\n$/m.exec(run.stderr);
  if (!klog) return { code: run.status ?? 1, stdout: run.stdout, stderr: run.stderr };
  const error = klog[1] !== undefined ? (JSON.parse(klog[1]) as string) : klog[2].replace(/^\t/gm, '');
  return { code: run.status ?? 1, stdout: run.stdout, stderr: `${run.stderr.slice(0, klog.index)}error: ${error}\n` };
}

describe('kustomize DIR matches kubectl kustomize byte for byte', () => {
  for (const name of caseDirs()) {
    it(name, async () => {
      const c = await manualCluster();
      expect(await c.run('kustomize', caseDir(name), ...caseArgs(name))).toEqual(expectedRun(name));
    });
  }

  const kubectl = realKubectl(OVERLAY) !== undefined;
  it.runIf(kubectl)('the goldens are what the installed kubectl prints', () => {
    for (const name of caseDirs()) {
      const real = realKubectl(name)!;
      expect({ name, ...real }).toEqual({ name, ...expectedRun(name) });
    }
  });

  it('resolves a relative directory against the working directory', async () => {
    // checked against kubectl v1.32.5: no apiVersion/kind in the kustomization is fine
    const c = await manualCluster();
    c.file(
      'app/kustomization.yaml',
      'namePrefix: dev-\nresources:\n- pod.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - color=blue\n',
    );
    c.file(
      'app/pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: shell\nspec:\n  containers:\n  - name: shell\n    image: busybox:1.36\n    envFrom:\n    - configMapRef:\n        name: settings\n',
    );
    expect(await c.run('kustomize', 'app')).toEqual({
      code: 0,
      stdout: [
        'apiVersion: v1',
        'data:',
        '  color: blue',
        'kind: ConfigMap',
        'metadata:',
        '  name: dev-settings-747dfcb89d',
        '---',
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: dev-shell',
        'spec:',
        '  containers:',
        '  - envFrom:',
        '    - configMapRef:',
        '        name: dev-settings-747dfcb89d',
        '    image: busybox:1.36',
        '    name: shell',
        '',
      ].join('\n'),
      stderr: '',
    });
  });
});

describe('-k on the object commands', () => {
  it('apply -k creates every object in kustomize order, then reports unchanged, and delete -k deletes them', async () => {
    const c = await manualCluster();
    const refs = expectedRefs(OVERLAY);
    // kubectl's build prints the same deprecation warning (commonLabels) as `kubectl kustomize`
    const warning = expectedStderr(OVERLAY);

    expect(await c.run('apply', '-k', caseDir(OVERLAY))).toEqual({
      code: 0,
      stdout: refs.map((r) => `${r.resource}/${r.name} created\n`).join(''),
      stderr: warning,
    });

    const deploy = refs.find((r) => r.resource === 'deployment.apps')!;
    expect(deploy.name).toBe('prod-web');
    expect(deploy.namespace).toBe('shop-prod');
    const get = await c.run('get', 'deploy', '-n', 'shop-prod');
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
    expect(get.stdout).toMatch(/^prod-web\s+\d+\/3\s/m);

    // the hashed ConfigMap name made it to the cluster under the same name kustomize printed
    const cm = refs.find((r) => r.resource === 'configmap')!;
    expect(cm.name).toMatch(/^prod-web-config-[a-z0-9]{10}$/);
    expect((await c.run('get', 'configmap', cm.name, '-n', 'shop-prod', '-o', 'jsonpath={.data.LOG_LEVEL}')).stdout).toBe('warn');

    expect(await c.run('apply', '-k', caseDir(OVERLAY))).toEqual({
      code: 0,
      stdout: refs.map((r) => `${r.resource}/${r.name} unchanged\n`).join(''),
      stderr: warning,
    });

    // kubectl delete processes the objects in the same order (Namespace first)
    const del = await c.run('delete', '-k', caseDir(OVERLAY));
    expect(del.code).toBe(0);
    expect(del.stdout).toBe(refs.map((r) => `${r.resource} "${r.name}" deleted\n`).join(''));
  });

  it('diff -k against the applied overlay shows nothing and exits 0', async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-k', caseDir(OVERLAY))).code).toBe(0);
    const r = await c.run('diff', '-k', caseDir(OVERLAY));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('create -k creates the objects of a plain resource list', async () => {
    const c = await manualCluster();
    const refs = expectedRefs('resources');
    expect(await c.run('create', '-k', caseDir('resources'))).toEqual({
      code: 0,
      stdout: refs.map((r) => `${r.resource}/${r.name} created\n`).join(''),
      stderr: '',
    });
  });
});

describe('kustomize errors (kubectl v1.32.5 messages)', () => {
  it('fails on a directory without a kustomization file, naming the absolute directory', async () => {
    const c = await manualCluster();
    fs.mkdirSync(path.join(c.dir, 'empty'));
    // kubectl prints the absolute, symlink-resolved path even when given a relative one
    const abs = fs.realpathSync(path.join(c.dir, 'empty'));
    const expected = {
      code: 1,
      stdout: '',
      stderr: `error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${abs}'\n`,
    };
    expect(await c.run('kustomize', 'empty')).toEqual(expected);
    expect(await c.run('kustomize', abs)).toEqual(expected);
    // apply -k fails the same way, before touching the cluster
    expect(await c.run('apply', '-k', 'empty')).toEqual(expected);
  });

  it('fails with a one-line error when a listed resource file is missing', async () => {
    const c = await manualCluster();
    c.file('app/kustomization.yaml', 'resources:\n- deployment.yaml\n- service.yaml\n');
    c.file('app/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n');
    // kubectl: error: accumulating resources: accumulation err='accumulating resources from 'deployment.yaml':
    //   evalsymlink failure on '/abs/app/deployment.yaml' : lstat /abs/app/deployment.yaml: no such file or directory':
    //   must build at directory: not a valid directory: evalsymlink failure on ... (all on one line)
    const r = await c.run('kustomize', 'app');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: accumulating resources: accumulation err='accumulating resources from 'deployment\.yaml': [^\n]*\n$/);
  });

  it('fails when replicas names an object no workload kind has', async () => {
    const c = await manualCluster();
    c.file('app/kustomization.yaml', 'resources:\n- service.yaml\nreplicas:\n- name: web\n  count: 3\n');
    c.file('app/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n');
    expect(await c.run('kustomize', 'app')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'error: resource with name web does not match a config with the following GVK ' +
        '[Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]]\n',
    });
  });

  it('takes one directory: two paths or a file are refused as kubectl refuses them', async () => {
    const c = await manualCluster();
    c.file('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(await c.run('kustomize', caseDir(OVERLAY), caseDir(OVERLAY))).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: specify one path to kustomization.yaml\n',
    });
    expect(await c.run('kustomize', 'x.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: must build at directory: 'x.yaml': file is not directory\n",
    });
  });

  it('refuses -k together with -f', async () => {
    const c = await manualCluster();
    c.file('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    expect(await c.run('apply', '-k', caseDir(OVERLAY), '-f', 'x.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: only one of -f or -k can be specified\n',
    });
  });
});

describe('components, -o and --load-restrictor', () => {
  /** a base Deployment and a component that adds a generated ConfigMap, mounts it by a patch and prefixes every name */
  function writeAppWithComponent(c: { file(name: string, content: string): string }): void {
    c.file('app/base/kustomization.yaml', 'resources:\n- deployment.yaml\n');
    c.file(
      'app/base/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n' +
        '  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n',
    );
    c.file(
      'app/flags/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: flagged-\nconfigMapGenerator:\n- name: flags\n  literals:\n  - DARK_MODE=on\n' +
        'patches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/envFrom\n      value:\n      - configMapRef:\n          name: flags\n',
    );
    c.file('app/kustomization.yaml', 'resources:\n- base\ncomponents:\n- flags\n');
  }

  it('apply -k builds the components into what it applies', async () => {
    const c = await manualCluster();
    writeAppWithComponent(c);
    const built = await c.run('kustomize', 'app');
    expect(built.code).toBe(0);
    const cm = /name: (flagged-flags-[a-z0-9]{10})\n/.exec(built.stdout)![1];
    expect(await c.run('apply', '-k', 'app')).toEqual({
      code: 0,
      stdout: `configmap/${cm} created\ndeployment.apps/flagged-web created\n`,
      stderr: '',
    });
    const env = await c.run(
      'get',
      'deploy',
      'flagged-web',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].envFrom[0].configMapRef.name}',
    );
    expect(env.stdout).toBe(cm);
  });

  it('-o FILE writes the stream there; -o DIR writes one file per object, named as kustomize names them', async () => {
    const c = await manualCluster();
    writeAppWithComponent(c);
    const stream = (await c.run('kustomize', 'app')).stdout;
    expect(await c.run('kustomize', 'app', '-o', 'out.yaml')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(c.dir, 'out.yaml'), 'utf8')).toBe(stream);

    fs.mkdirSync(path.join(c.dir, 'out'));
    expect(await c.run('kustomize', 'app', '--output', 'out')).toEqual({ code: 0, stdout: '', stderr: '' });
    const cm = /name: (flagged-flags-[a-z0-9]{10})\n/.exec(stream)![1];
    expect(fs.readdirSync(path.join(c.dir, 'out')).sort()).toEqual(['apps_v1_deployment_flagged-web.yaml', `v1_configmap_${cm}.yaml`]);
    expect(fs.readFileSync(path.join(c.dir, 'out', 'apps_v1_deployment_flagged-web.yaml'), 'utf8')).toBe(stream.split('---\n')[1]);

    // kubectl: error: open missing/out.yaml: no such file or directory
    expect(await c.run('kustomize', 'app', '-o', 'missing/out.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: open missing/out.yaml: no such file or directory\n',
    });
  });

  it('--load-restrictor takes only kustomize values, and LoadRestrictionsNone lets a file outside the root in', async () => {
    const c = await manualCluster();
    c.file('shared/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n');
    c.file('app/kustomization.yaml', 'resources:\n- ../shared/cm.yaml\n');
    expect(await c.run('kustomize', 'app', '--load-restrictor', 'Anything')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: illegal flag value --load-restrictor Anything; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]\n',
    });
    const root = fs.realpathSync(c.dir);
    expect(await c.run('kustomize', 'app')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `error: accumulating resources: accumulation err='accumulating resources from '../shared/cm.yaml': ` +
        `security; file '${root}/shared/cm.yaml' is not in or below '${root}/app'': must build at directory: '${root}/shared/cm.yaml': file is not directory\n`,
    });
    expect(await c.run('kustomize', 'app', '--load-restrictor=LoadRestrictionsNone')).toEqual({
      code: 0,
      stdout: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n',
      stderr: '',
    });
  });

  it('refuses a remote resource with the error kustomize gives without network', async () => {
    const c = await manualCluster();
    const root = fs.realpathSync(c.dir);
    c.file('app/kustomization.yaml', 'resources:\n- https://example.com/app.yaml\n');
    // kubectl v1.32.4 offline (its DNS server's address left out of the lookup error)
    expect((await c.run('kustomize', 'app')).stderr).toBe(
      `error: accumulating resources: accumulation err='accumulating resources from 'https://example.com/app.yaml': ` +
        `Get "https://example.com/app.yaml": dial tcp: lookup example.com: no such host': must build at directory: not a valid directory: ` +
        `evalsymlink failure on '${root}/app/https:/example.com/app.yaml' : lstat ${root}/app/https:: no such file or directory\n`,
    );
    c.file('app/kustomization.yaml', 'resources:\n- github.com/example/deploy/base?ref=v1\n');
    expect((await c.run('kustomize', 'app')).stderr).toBe(
      `error: accumulating resources: accumulation err='accumulating resources from 'github.com/example/deploy/base?ref=v1': ` +
        `evalsymlink failure on '${root}/app/github.com/example/deploy/base?ref=v1' : lstat ${root}/app/github.com: no such file or directory': ` +
        `failed to run 'git fetch --depth=1 https://github.com/example/deploy v1': fatal: unable to access 'https://github.com/example/deploy/': ` +
        'Could not resolve host: github.com\n: exit status 128\n',
    );
  });
});
