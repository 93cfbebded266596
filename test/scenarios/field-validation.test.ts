import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSchema } from '../../src/api/openapi/builtin-schemas';
import { dropUnknownFields } from '../../src/api/openapi/unknown-fields';
import { kubesim, manualCluster } from '../support/cli';

// A Deployment with two misspelt fields, one nested in a list item.
const TYPO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replcas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        imagePullPolicyy: Always
`;
const UNKNOWN = 'unknown field "spec.replcas", unknown field "spec.template.spec.containers[0].imagePullPolicyy"';
const REFUSED = `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${UNKNOWN}`;
const WARNINGS = 'Warning: unknown field "spec.replcas"\nWarning: unknown field "spec.template.spec.containers[0].imagePullPolicyy"\n';

async function cluster() {
  const c = await manualCluster();
  c.file('typo.yaml', TYPO);
  return c;
}

describe('--validate: the API server decodes each object strictly, with warnings, or silently', () => {
  for (const verb of ['create', 'apply'] as const) {
    it(`${verb} refuses unknown fields by default, naming all of them, and writes nothing`, async () => {
      const c = await cluster();
      for (const flag of [[], ['--validate'], ['--validate=true'], ['--validate=strict']]) {
        expect(await c.run(verb, '-f', 'typo.yaml', ...flag)).toEqual({
          code: 1,
          stdout: '',
          stderr: `Error from server (BadRequest): error when creating "typo.yaml": ${REFUSED}\n`,
        });
      }
      expect((await c.run('get', 'deploy')).stderr).toBe('No resources found in default namespace.\n');
    });

    it(`${verb} --validate=warn writes the object without the unknown fields and warns for each`, async () => {
      const c = await cluster();
      const r = await c.run(verb, '-f', 'typo.yaml', '--validate=warn');
      expect(r).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: WARNINGS });
      const spec = JSON.parse((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec}')).stdout);
      expect(spec.replcas).toBeUndefined();
      expect(spec.replicas).toBe(1);
      expect(spec.template.spec.containers[0].imagePullPolicyy).toBeUndefined();
    });

    it(`${verb} --validate=false and =ignore drop the unknown fields silently`, async () => {
      for (const flag of ['--validate=false', '--validate=ignore']) {
        const c = await cluster();
        expect(await c.run(verb, '-f', 'typo.yaml', flag)).toEqual({ code: 0, stdout: 'deployment.apps/web created\n', stderr: '' });
        expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replcas}')).stdout).toBe('');
      }
    });
  }

  it('replace refuses unknown fields with its own verb, and warns with --validate=warn', async () => {
    const c = await cluster();
    c.file('web.yaml', TYPO.replace('  replcas: 3\n', '').replace('        imagePullPolicyy: Always\n', ''));
    expect((await c.run('create', '-f', 'web.yaml')).code).toBe(0);
    expect(await c.run('replace', '-f', 'typo.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error from server (BadRequest): error when replacing "typo.yaml": ${REFUSED}\n`,
    });
    expect(await c.run('replace', '-f', 'typo.yaml', '--validate=warn')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web replaced\n',
      stderr: WARNINGS,
    });
  });

  it('apply to an existing object refuses the patch, quoting it as the server prints it', async () => {
    const c = await cluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
    expect((await c.run('apply', '-f', 'cm.yaml')).code).toBe(0);
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "2"\ndatta:\n  b: "3"\n');
    const lastApplied =
      '{"apiVersion":"v1","data":{"a":"2"},"datta":{"b":"3"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"cfg","namespace":"default"}}';
    const patch = `map[data:map[a:2] datta:map[b:3] metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:${lastApplied}\n]]]`;
    expect(await c.run('apply', '-f', 'cm.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: `The request is invalid: patch: Invalid value: ${JSON.stringify(patch)}: strict decoding error: unknown field "datta"\n`,
    });
    expect((await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}')).stdout).toBe('1');
    expect(await c.run('apply', '-f', 'cm.yaml', '--validate=warn')).toEqual({
      code: 0,
      stdout: 'configmap/cfg configured\n',
      stderr: 'Warning: unknown field "datta"\n',
    });
    expect((await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}/{.datta}')).stdout).toBe('2/');
  });

  it('a client-side dry run reaches no server: nothing is decoded, the object prints as written', async () => {
    const c = await cluster();
    const r = await c.run('create', '-f', 'typo.yaml', '--dry-run=client', '-o', 'jsonpath={.spec.replcas}');
    expect(r).toEqual({ code: 0, stdout: '3', stderr: '' });
    expect((await c.run('create', '-f', 'typo.yaml', '--dry-run=server')).stderr).toContain(REFUSED);
  });

  it('a write without --validate (kubectl patch) gets the server default: warn and drop', async () => {
    const c = await cluster();
    expect((await c.run('create', 'configmap', 'cfg', '--from-literal=a=1')).code).toBe(0);
    expect(await c.run('patch', 'cm', 'cfg', '-p', '{"dta":{"x":"y"}}')).toEqual({
      code: 0,
      stdout: 'configmap/cfg patched (no change)\n',
      stderr: 'Warning: unknown field "dta"\n',
    });
  });

  it('edit sends its patch with --validate: refused by default, warned with --validate=warn', async () => {
    const c = await cluster();
    expect((await c.run('create', 'configmap', 'cfg', '--from-literal=a=1')).code).toBe(0);
    const edit = (...args: string[]) =>
      kubesim(c.state, ['edit', 'cm/cfg', ...args], { env: { KUBE_EDITOR: "sed -i 's/^data:/dta:/'", PATH: process.env.PATH ?? '' } });
    const refused = await edit();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^The request is invalid: patch: Invalid value: "map\[data:<nil> dta:map\[a:1\]\]": strict decoding error: unknown field "dta"\nA copy of your changes has been stored to ".*cfg\.yaml"\n$/,
    );
    expect(await edit('--validate=warn')).toEqual({ code: 0, stdout: 'configmap/cfg edited\n', stderr: 'Warning: unknown field "dta"\n' });
  });

  it('diff dry-runs the apply without --validate: the server warns and the diff lacks the unknown fields', async () => {
    const c = await cluster();
    const r = await c.run('diff', '-f', 'typo.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(WARNINGS);
    expect(r.stdout).toContain('+  replicas: 1\n');
    expect(r.stdout).not.toContain('replcas:'); // (the last-applied annotation keeps the manifest as written)
  });

  it('metadata is checked too', async () => {
    const c = await cluster();
    c.file(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  lables: {a: b}\nspec:\n  containers:\n  - {name: c, image: nginx}\n',
    );
    expect((await c.run('create', '-f', 'pod.yaml')).stderr).toBe(
      'Error from server (BadRequest): error when creating "pod.yaml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.lables"\n',
    );
  });

  it("kubesim's own kinds are decoded against their schemas too (NodeGroup, SimulationProfile)", async () => {
    const c = await cluster();
    c.file(
      'ng.yaml',
      'apiVersion: autoscaling.kubesim.io/v1\nkind: NodeGroup\nmetadata: {name: workers}\nspec:\n  maxSize: 3\n  maxSzie: 4\n  template: {cpu: "2", taints: [{key: k, effect: NoSchedule, vlaue: x}]}\n',
    );
    expect((await c.run('create', '-f', 'ng.yaml')).stderr).toBe(
      'Error from server (BadRequest): error when creating "ng.yaml": NodeGroup in version "v1" cannot be handled as a NodeGroup: strict decoding error: unknown field "spec.maxSzie", unknown field "spec.template.taints[0].vlaue"\n',
    );
    expect(await c.run('create', '-f', 'ng.yaml', '--validate=warn')).toEqual({
      code: 0,
      stdout: 'nodegroup.autoscaling.kubesim.io/workers created\n',
      stderr: 'Warning: unknown field "spec.maxSzie"\nWarning: unknown field "spec.template.taints[0].vlaue"\n',
    });
    expect((await c.run('get', 'ng', 'workers', '-o', 'jsonpath={.spec.template.taints}')).stdout).toBe(
      '[{"effect":"NoSchedule","key":"k"}]',
    );
  });

  it('refuses a --validate value kubectl does not know', async () => {
    const c = await cluster();
    expect(await c.run('create', '-f', 'typo.yaml', '--validate=foo')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: invalid - validate option "foo"; must be one of: strict (or true), warn, ignore (or false)\n',
    });
  });
});

const PROFILE = `apiVersion: sim.kubesim.io/v1
kind: SimulationProfile
metadata: {name: all}
spec:
  priority: 1
  match: {namespaces: [default], podSelector: {matchLabels: {app: web}}, images: ["nginx*"]}
  imagePullSeconds: {uniform: {min: 1, max: 2}}
  startupSeconds: {normal: {mean: 3, stddev: 1}}
  readinessSeconds: {fixed: 4}
  shutdownSeconds: {exponential: {mean: 1}}
  crashProbabilityPerHour: 0.01
  oomKillProbabilityPerHour: 0.01
  nodeBoot: {nodeGroups: [workers], seconds: {fixed: 3600}}   # still provisioning when the objects are read
`;

describe('what kubesim stores is what the schemas describe', () => {
  it('every object of a running cluster reads back with no field the v1.32 schema lacks (so get -o yaml | replace -f - round-trips)', async () => {
    const c = await manualCluster();
    const fixtures = path.join(__dirname, '../../fixtures');
    for (const f of ['shop.yaml', 'web.yaml', 'hpa-web.yaml', 'pdb.yaml'])
      expect((await c.run('apply', '-f', path.join(fixtures, f))).code).toBe(0);
    for (const args of [
      ['create', 'job', 'once', '--image=busybox'],
      ['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *'],
      ['create', 'service', 'nodeport', 'np', '--tcp=80:8080'],
      ['create', 'ingress', 'ing', '--rule=foo.com/bar=np:80'],
      ['create', 'quota', 'q', '--hard=pods=100'],
      ['create', 'priorityclass', 'high', '--value=1000'],
      ['create', 'role', 'r', '--verb=get', '--resource=pods'],
      ['create', 'rolebinding', 'rb', '--role=r', '--user=u'],
      // kubesim's own kinds: a profile setting every field, a group the Cluster Autoscaler grows to its minimum
      ['apply', '-f', c.file('profile.yaml', PROFILE)],
      ['nodegroup', 'create', 'workers', '--min=1', '--max=3'],
      ['clock', 'advance', '10m'],
    ])
      expect((await c.run(...args)).code, args.join(' ')).toBe(0);
    const names = (await c.run('api-resources', '--verbs=list', '-o', 'name')).stdout.trim().split('\n');
    let checked = 0;
    for (const resource of names) {
      const list = JSON.parse((await c.run('get', resource, '-A', '-o', 'json')).stdout) as {
        items: { apiVersion: string; kind: string }[];
      };
      for (const obj of list.items) {
        const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
        const schema = builtinSchema(group, version, obj.kind);
        if (!schema) continue;
        checked++;
        expect(dropUnknownFields(obj, schema).errors, `${obj.kind}`).toEqual([]);
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect((await c.run('get', 'ng', 'workers', '-o', 'jsonpath={.status.provisioning[0].count}')).stdout).toBe('1');
  });
});
