import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';

const POLICIES = path.join(__dirname, '../../fixtures/policies');

function pod(name: string, cpu: string, extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources: {requests: {cpu: "${cpu}"}}
${extra}`;
}

const quota = `apiVersion: v1
kind: ResourceQuota
metadata:
  name: q
spec:
  hard:
    cpu: "4"
`;

const openDeployment = deploymentYaml({ replicas: 2 });

describe('admission through the CLI', () => {
  it('a quota exceeded mid-apply keeps the objects before it, reports the failing one and exits 1', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', c.file('quota.yaml', quota));
    c.file('pods.yaml', [pod('a', '3'), pod('b', '2'), pod('c', '1')].join('---\n'));
    const r = await c.run('apply', '-f', 'pods.yaml');
    expect(r.stdout).toBe('pod/a created\npod/c created\n');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "pods.yaml": pods "b" is forbidden: exceeded quota: q, requested: cpu=2, used: cpu=3, limited: cpu=4\n',
    );
    expect(r.code).toBe(1);
    expect((await c.run('get', 'pods', '-o', 'name')).stdout).toBe('pod/a\npod/c\n');
  });

  it('get quota shows used against hard once the quota controller has counted', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', c.file('quota.yaml', quota));
    await c.run('apply', '-f', c.file('a.yaml', pod('a', '1500m')));
    const r = await c.run('get', 'quota');
    expect(r.stdout).toBe('NAME   AGE   REQUEST        LIMIT\nq      0s    cpu: 1500m/4   \n');
    expect(JSON.parse((await c.run('get', 'quota', 'q', '-o', 'json')).stdout).status).toEqual({
      hard: { cpu: '4' },
      used: { cpu: '1500m' },
    });
  });

  it('apply --dry-run=server runs admission and validation but writes nothing', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', c.file('quota.yaml', quota));
    const over = (c.file('big.yaml', pod('big', '5')), await c.run('apply', '-f', 'big.yaml', '--dry-run=server'));
    expect(over.stderr).toBe(
      'Error from server (Forbidden): error when creating "big.yaml": pods "big" is forbidden: exceeded quota: q, requested: cpu=5, used: cpu=0, limited: cpu=4\n',
    );
    expect(over.code).toBe(1);
    const ok = (c.file('small.yaml', pod('small', '1')), await c.run('apply', '-f', 'small.yaml', '--dry-run=server'));
    expect(ok).toEqual({ code: 0, stdout: 'pod/small created (server dry run)\n', stderr: '' });
    expect((await c.run('get', 'pods')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('a LimitRange fills in default requests and limits and says so in an annotation', async () => {
    const c = await manualCluster();
    c.file(
      'lr.yaml',
      'apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m}\n    defaultRequest: {cpu: 200m}\n',
    );
    await c.run('apply', '-f', 'lr.yaml');
    c.file('p.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx:1.27}\n');
    expect((await c.run('apply', '-f', 'p.yaml')).code).toBe(0);
    const created = JSON.parse((await c.run('get', 'pod', 'p', '-o', 'json')).stdout);
    expect(created.spec.containers[0].resources).toEqual({ limits: { cpu: '500m' }, requests: { cpu: '200m' } });
    expect(created.metadata.annotations['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu request for container app; cpu limit for container app',
    );
  });

  it("Pod Security checks a PodTemplate's top-level template, as PSA's DefaultPodSpecExtractor does", async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'secure');
    await c.run('label', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=baseline');
    c.file(
      'pt.yaml',
      'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: pt}\ntemplate:\n  spec:\n    containers:\n    - name: c\n      image: nginx:1.27\n      securityContext: {privileged: true}\n',
    );
    const r = await c.run('apply', '-n', 'secure', '-f', 'pt.yaml');
    expect(r.stderr).toBe(
      'Warning: would violate PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)\n',
    );
    expect(r.stdout).toBe('podtemplate/pt created\n');
  });

  it('Pod Security enforce=restricted warns about a Deployment and its ReplicaSet gets FailedCreate', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'secure');
    await c.run('label', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=restricted');
    const r = await c.run('apply', '-n', 'secure', '-f', c.file('web.yaml', openDeployment));
    const violations =
      'allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';
    expect(r.stderr).toBe(`Warning: would violate PodSecurity "restricted:latest": ${violations}\n`);
    expect(r.stdout).toBe('deployment.apps/web created\n');
    const events = await c.run('get', 'events', '-n', 'secure');
    expect(events.stdout).toMatch(
      new RegExp(
        `FailedCreate +replicaset/web-[a-z0-9]+ +Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": ${violations.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
      ),
    );
    expect((await c.run('get', 'pods', '-n', 'secure')).stderr).toBe('No resources found in secure namespace.\n');
  });

  it('a bare pod that violates Pod Security is refused with the deny text', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'base');
    await c.run('label', 'namespace', 'base', 'pod-security.kubernetes.io/enforce=baseline');
    c.file('p.yaml', pod('p', '100m', '  hostNetwork: true\n'));
    const r = await c.run('apply', '-n', 'base', '-f', 'p.yaml');
    expect(r.stderr).toBe(
      'Error from server (Forbidden): error when creating "p.yaml": pods "p" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true)\n',
    );
    expect(r.code).toBe(1);
  });

  it('the shipped require-limits policy denies a Deployment in the API server form', async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-f', path.join(POLICIES, 'require-limits.yaml'))).code).toBe(0);
    const r = await c.run('apply', '-f', c.file('web.yaml', openDeployment));
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "The deployments \"web\" is invalid: : ValidatingAdmissionPolicy 'require-limits' with binding 'require-limits-binding' denied request: every container must set resources.limits.cpu and resources.limits.memory\n",
    });
  });

  it('a policy on pods holds for pods a Deployment creates: FailedCreate on its ReplicaSet', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(POLICIES, 'require-non-root.yaml'));
    expect((await c.run('apply', '-f', c.file('web.yaml', openDeployment))).stdout).toBe('deployment.apps/web created\n');
    const events = await c.run('get', 'events');
    expect(events.stdout).toMatch(
      /FailedCreate +replicaset\/web-[a-z0-9]+ +Error creating: pods "web-[a-z0-9-]+" is invalid: : ValidatingAdmissionPolicy 'require-non-root' with binding 'require-non-root-binding' denied request: pod web-[a-z0-9-]+ must set securityContext.runAsNonRoot=true/,
    );
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}')).stdout).toBe('');
  });

  it('a Warn binding prints the warning on stderr and still creates', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', path.join(POLICIES, 'no-latest-tag.yaml'));
    const r = await c.run('apply', '-f', c.file('web.yaml', openDeployment.replace('nginx:1.27', 'nginx')));
    expect(r.stderr).toBe(
      "Warning: Validation failed for ValidatingAdmissionPolicy 'no-latest-tag' with binding 'no-latest-tag-binding': images must be pinned to a tag other than latest\n",
    );
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(r.code).toBe(0);
  });

  it('CEL arithmetic is int64 as in cel-go: an overflow is an evaluation error the denial quotes', async () => {
    const c = await manualCluster();
    const policy = (expression: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: replicas-math}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
  validations:
  - expression: "${expression}"
    message: too many replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: replicas-math-binding}
spec:
  policyName: replicas-math
  validationActions: [Deny]
`;
    const overflow = 'object.spec.replicas * 9223372036854775807 > 0';
    expect((await c.run('apply', '-f', c.file('p.yaml', policy(overflow)))).code).toBe(0);
    expect(await c.run('apply', '-f', c.file('web.yaml', openDeployment))).toEqual({
      code: 1,
      stdout: '',
      stderr: `The deployments "web" is invalid: : ValidatingAdmissionPolicy 'replicas-math' with binding 'replicas-math-binding' denied request: expression '${overflow}' resulted in error: integer overflow\n`,
    });
    // replicas (an int32 field) is an int: 2 / 4 truncates to 0
    expect((await c.run('apply', '-f', c.file('p.yaml', policy('object.spec.replicas / 4 == 0')))).code).toBe(0);
    expect((await c.run('apply', '-f', c.file('web.yaml', openDeployment))).stdout).toBe('deployment.apps/web created\n');
  });

  it('a policy runs within the runtime cost limits: PerCallLimit per expression, RuntimeCELCostBudget per binding', async () => {
    const c = await manualCluster();
    const expression = 'object.data.v.contains(object.data.w)';
    const policy = (n: number) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: costly}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
  validations:
${Array.from({ length: n }, () => `  - expression: "${expression}"`).join('\n')}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: costly-binding}
spec:
  policyName: costly
  validationActions: [Deny]
`;
    const configMap = (name: string, w: number) =>
      c.file(
        `${name}.yaml`,
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata:\n  v: ${'a'.repeat(20000)}\n  w: ${'a'.repeat(w)}\n`,
      );
    const denied = (name: string, text: string) =>
      `The configmaps "${name}" is invalid: : ValidatingAdmissionPolicy 'costly' with binding 'costly-binding' denied request: ${text}\n`;
    expect((await c.run('apply', '-f', c.file('p.yaml', policy(1)))).code).toBe(0);
    // contains costs ceil(20000 x 0.1) x ceil(6000 x 0.1) = 1,200,000 > 1,000,000: the call is cancelled
    expect((await c.run('apply', '-f', configMap('big', 6000))).stderr).toBe(
      denied('big', `expression '${expression}' resulted in error: operation cancelled: actual cost limit exceeded`),
    );
    // 990,000 and a few each: ten fit in 10,000,000, the eleventh does not
    expect((await c.run('apply', '-f', c.file('p.yaml', policy(11)))).code).toBe(0);
    expect((await c.run('apply', '-f', configMap('many', 4950))).stderr).toBe(
      denied('many', 'validation failed due to running out of cost budget, no further validation rules will be run'),
    );
    expect((await c.run('apply', '-f', c.file('p.yaml', policy(10)))).code).toBe(0);
    expect((await c.run('apply', '-f', configMap('many', 4950))).stdout).toBe('configmap/many created\n');
  });

  it('a policy with an invalid expression is refused at create time, naming the field', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: bad}\nspec:\n  matchConstraints:\n    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]\n  validations:\n  - expression: "object.spec.containers.all(c, c.image.startsWith("\n',
    );
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^The ValidatingAdmissionPolicy "bad" is invalid: spec\.validations\[0\]\.expression: Invalid value: "object\.spec\.containers\.all\(c, c\.image\.startsWith\(": compilation failed: ERROR: <input>:1:\d+: Syntax error: /,
    );
    expect((await c.run('get', 'validatingadmissionpolicies')).stderr).toBe('No resources found\n');
  });
});

describe('describe for quota and limit ranges', () => {
  it('describe quota prints the used/hard table', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', c.file('quota.yaml', quota));
    await c.run('apply', '-f', c.file('a.yaml', pod('a', '500m')));
    expect((await c.run('describe', 'quota', 'q')).stdout).toBe(
      'Name:       q\nNamespace:  default\nResource    Used  Hard\n--------    ----  ----\ncpu         500m  4\n',
    );
  });

  it('describe limitrange prints one row per type and resource', async () => {
    const c = await manualCluster();
    c.file(
      'lr.yaml',
      'apiVersion: v1\nkind: LimitRange\nmetadata: {name: lr}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "2"}\n    default: {cpu: 500m, memory: 256Mi}\n',
    );
    await c.run('apply', '-f', 'lr.yaml');
    expect((await c.run('describe', 'limitrange', 'lr')).stdout).toBe(
      [
        'Name:       lr',
        'Namespace:  default',
        'Type        Resource  Min  Max  Default Request  Default Limit  Max Limit/Request Ratio',
        '----        --------  ---  ---  ---------------  -------------  -----------------------',
        'Container   cpu       -    2    500m             500m           -',
        'Container   memory    -    -    256Mi            256Mi          -',
        '',
      ].join('\n'),
    );
  });
});
