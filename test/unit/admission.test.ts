import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { createObject, type ApiContext } from '../../src/api/server';
import { ObjectStore } from '../../src/store/object-store';
import { Random } from '../../src/util/random';
import { takeWarnings } from '../../src/api/warnings';
import type { KObject } from '../../src/model/objects';
import { resourceQuotaController } from '../../src/controllers/resource-quota';
import type { ResourceQuota, ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding } from '../../src/model/kinds';
import { asKind } from '../support/kinds';

function cluster(nsLabels: Record<string, string> = {}): ApiContext {
  const ctx: ApiContext = { store: new ObjectStore(), now: Date.parse('2024-01-01T00:00:00Z'), random: Random.fromSeed(1) };
  createObject(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: nsLabels } } as KObject, { trusted: true });
  return ctx;
}

function pod(name: string, container: Record<string, unknown> = {}, spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/app:1', ...container }], ...spec },
  } as KObject;
}

function deployment(name: string, container: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', ...container }] } },
    },
  } as KObject;
}

function fixture(file: string): KObject[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(__dirname, '../../fixtures/policies', file), 'utf8')).map(
    (d) => d.toJSON() as KObject,
  );
}

/** A fixture's ValidatingAdmissionPolicy and its binding, typed for a test to change. */
function policyAndBinding(file: string): [ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding] {
  const [policy, binding] = fixture(file);
  return [asKind(policy, 'ValidatingAdmissionPolicy'), asKind(binding, 'ValidatingAdmissionPolicyBinding')];
}

const limits = (cpu: string, memory: string) => ({ resources: { requests: { cpu, memory }, limits: { cpu, memory } } });

describe('ResourceQuota admission', () => {
  it('refuses a pod over the quota in the API server words', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { cpu: '4', pods: '10' } },
    } as KObject);
    createObject(ctx, pod('a', limits('3', '1Gi')));
    expect(() => createObject(ctx, pod('b', limits('2', '1Gi')))).toThrow(
      'Error from server (Forbidden): pods "b" is forbidden: exceeded quota: q, requested: cpu=2, used: cpu=3, limited: cpu=4',
    );
    expect(ctx.store.get('Pod', 'default', 'b')).toBeUndefined();
  });

  it('counts objects with count/<resource> and refuses the one past the limit', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'counts', namespace: 'default' },
      spec: { hard: { 'count/deployments.apps': '1' } },
    } as KObject);
    createObject(ctx, deployment('one'));
    expect(() => createObject(ctx, deployment('two'))).toThrow(
      'deployments.apps "two" is forbidden: exceeded quota: counts, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
  });

  it('requires containers to state what a compute quota limits', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'default' },
      spec: { hard: { 'requests.cpu': '4', 'limits.memory': '4Gi' } },
    } as KObject);
    expect(() => createObject(ctx, pod('bare'))).toThrow(
      'pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app',
    );
  });
});

describe('LimitRanger admission', () => {
  it('fills default requests and limits and records what it set', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr', namespace: 'default' },
      spec: {
        limits: [{ type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } }],
      },
    } as KObject);
    const created = asKind(createObject(ctx, pod('p')), 'Pod');
    expect(created.spec.containers[0].resources).toEqual({
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    expect(created.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe(
      'LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app',
    );
  });

  it('refuses a container above the maximum', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr', namespace: 'default' },
      spec: { limits: [{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '100m' } }] },
    } as KObject);
    expect(() => createObject(ctx, pod('big', { resources: { requests: { cpu: '500m' }, limits: { cpu: '1500m' } } }))).toThrow(
      'pods "big" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m',
    );
    expect(() => createObject(ctx, pod('two', { resources: { requests: { cpu: '50m' } } }))).toThrow(
      'pods "two" is forbidden: [minimum cpu usage per Container is 100m, but request is 50m, maximum cpu usage per Container is 800m.  No limit is specified]',
    );
  });
});

describe('Priority admission', () => {
  it('refuses an unknown PriorityClass and sets the priority of a known one', () => {
    const ctx = cluster();
    expect(() => createObject(ctx, pod('p', {}, { priorityClassName: 'nope' }))).toThrow(
      'pods "p" is forbidden: no PriorityClass with name nope was found',
    );
    createObject(ctx, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as KObject);
    expect(asKind(createObject(ctx, pod('q', {}, { priorityClassName: 'high' })), 'Pod').spec.priority).toBe(1000);
  });
});

describe('Pod Security admission', () => {
  it('refuses a pod that violates the enforced restricted level with every reason', () => {
    const ctx = cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(() => createObject(ctx, pod('root'))).toThrow(
      'pods "root" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('admits a pod that meets restricted', () => {
    const ctx = cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    const secure = {
      securityContext: {
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    };
    expect(createObject(ctx, pod('ok', secure)).metadata.name).toBe('ok');
  });

  it('refuses a privileged pod under baseline and only warns about a Deployment', () => {
    const ctx = cluster({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.32' });
    expect(() => createObject(ctx, pod('priv', { securityContext: { privileged: true } }, { hostNetwork: true }))).toThrow(
      'violates PodSecurity "baseline:v1.32": host namespaces (hostNetwork=true), privileged (container "app" must not set securityContext.privileged=true)',
    );
    createObject(ctx, deployment('web', { securityContext: { privileged: true } }));
    expect(takeWarnings(ctx.store)).toEqual([
      'would violate PodSecurity "baseline:v1.32": privileged (container "app" must not set securityContext.privileged=true)',
    ]);
  });
});

describe('ValidatingAdmissionPolicy', () => {
  it('denies a Deployment without limits in the API server form', () => {
    const ctx = cluster();
    for (const o of fixture('require-limits.yaml')) createObject(ctx, o);
    expect(() => createObject(ctx, deployment('web'))).toThrow(
      "The deployments \"web\" is invalid: : ValidatingAdmissionPolicy 'require-limits' with binding 'require-limits-binding' denied request: every container must set resources.limits.cpu and resources.limits.memory",
    );
    expect(createObject(ctx, deployment('ok', limits('100m', '64Mi'))).metadata.name).toBe('ok');
  });

  it('applies the shipped registry and non-root policies to pods', () => {
    const ctx = cluster();
    for (const f of ['allowed-registries.yaml', 'require-non-root.yaml']) for (const o of fixture(f)) createObject(ctx, o);
    expect(() => createObject(ctx, pod('hub', { image: 'docker.io/nginx:1' }, { securityContext: { runAsNonRoot: true } }))).toThrow(
      'denied request: images must come from registry.example.com/ or ghcr.io/example/',
    );
    expect(() => createObject(ctx, pod('root'))).toThrow(
      "ValidatingAdmissionPolicy 'require-non-root' with binding 'require-non-root-binding' denied request: pod root must set securityContext.runAsNonRoot=true",
    );
    expect(createObject(ctx, pod('fine', {}, { securityContext: { runAsNonRoot: true } })).metadata.name).toBe('fine');
  });

  it('only warns with validationActions Warn', () => {
    const ctx = cluster();
    for (const o of fixture('no-latest-tag.yaml')) createObject(ctx, o);
    createObject(ctx, deployment('latest', { image: 'nginx:latest' }));
    expect(takeWarnings(ctx.store)).toEqual([
      "Validation failed for ValidatingAdmissionPolicy 'no-latest-tag' with binding 'no-latest-tag-binding': images must be pinned to a tag other than latest",
    ]);
    createObject(ctx, deployment('pinned', { image: 'nginx:1.27' }));
    expect(takeWarnings(ctx.store)).toEqual([]);
  });

  it('neither denies nor warns with validationActions Audit', () => {
    const ctx = cluster();
    const [policy, binding] = policyAndBinding('require-limits.yaml');
    binding.spec.validationActions = ['Audit'];
    createObject(ctx, policy);
    createObject(ctx, binding);
    expect(createObject(ctx, deployment('web')).metadata.name).toBe('web');
    expect(takeWarnings(ctx.store)).toEqual([]);
  });

  it('reports a runtime error as a denial when failurePolicy is Fail and skips it when Ignore', () => {
    const ctx = cluster();
    const [policy, binding] = policyAndBinding('require-limits.yaml');
    policy.spec.validations = [{ expression: 'object.spec.paused == false' }];
    createObject(ctx, policy);
    createObject(ctx, binding);
    expect(() => createObject(ctx, deployment('web'))).toThrow(
      "denied request: expression 'object.spec.paused == false' resulted in error: no such key: paused",
    );
    const lenient = cluster();
    createObject(lenient, { ...policy, spec: { ...policy.spec, failurePolicy: 'Ignore' } });
    createObject(lenient, binding);
    expect(createObject(lenient, deployment('web')).metadata.name).toBe('web');
  });

  it('keeps a quantity in a variable for the validations (kubernetes.Quantity)', () => {
    const ctx = cluster();
    const [policy, binding] = policyAndBinding('require-limits.yaml');
    policy.spec.variables = [{ name: 'cap', expression: "quantity('1Gi')" }];
    policy.spec.validations = [
      {
        expression: 'object.spec.template.spec.containers.all(c, quantity(c.resources.limits.memory).isLessThan(variables.cap))',
        message: 'memory limits must stay under 1Gi',
      },
    ];
    createObject(ctx, policy);
    createObject(ctx, binding);
    expect(() => createObject(ctx, deployment('big', limits('100m', '2Gi')))).toThrow('denied request: memory limits must stay under 1Gi');
    expect(createObject(ctx, deployment('small', limits('100m', '512Mi'))).metadata.name).toBe('small');
  });

  it('refuses a policy whose expression does not compile, naming the field', () => {
    const ctx = cluster();
    const [policy] = policyAndBinding('require-limits.yaml');
    policy.spec.validations![0].expression = 'object.spec.replicas <';
    expect(() => createObject(ctx, policy)).toThrow(
      'The ValidatingAdmissionPolicy "require-limits" is invalid: spec.validations[0].expression: Invalid value: "object.spec.replicas <": compilation failed: ERROR: <input>:1:23: Syntax error',
    );
  });

  it('refuses a binding that both denies and warns', () => {
    const ctx = cluster();
    const [, binding] = policyAndBinding('require-limits.yaml');
    binding.spec.validationActions = ['Deny', 'Warn'];
    expect(() => createObject(ctx, binding)).toThrow(
      'spec.validationActions: Invalid value: ["Deny","Warn"]: must not contain both Deny and Warn',
    );
  });
});

describe('DefaultStorageClass admission', () => {
  const pvc = (name: string, spec: Record<string, unknown> = {}) =>
    ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'default' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
    }) as KObject;

  it('gives a claim without a class the default class, and leaves an explicit empty class alone', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'rancher.io/local-path',
    } as KObject);
    createObject(ctx, {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
      provisioner: 'example.com/ssd',
    } as KObject);
    expect(asKind(createObject(ctx, pvc('data')), 'PersistentVolumeClaim').spec.storageClassName).toBe('standard');
    expect(asKind(createObject(ctx, pvc('none', { storageClassName: '' })), 'PersistentVolumeClaim').spec.storageClassName).toBe('');
    expect(asKind(createObject(ctx, pvc('ssd', { storageClassName: 'fast' })), 'PersistentVolumeClaim').spec.storageClassName).toBe('fast');
  });
});

describe('Pod Security warn label', () => {
  it('warns about a pod under warn=restricted but admits it when enforce is lower', () => {
    const ctx = cluster({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    expect(
      createObject(
        ctx,
        pod('p', { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }),
      ).metadata.name,
    ).toBe('p');
    expect(takeWarnings(ctx.store)).toEqual([
      'would violate PodSecurity "restricted:latest": seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
  });
});

describe('resource quota controller', () => {
  it('writes status.used once and is idempotent', () => {
    const ctx = cluster();
    createObject(ctx, {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'q', namespace: 'default' },
      spec: { hard: { pods: '5', 'requests.memory': '1Gi' } },
    } as KObject);
    createObject(ctx, pod('a', { resources: { requests: { memory: '256Mi' } } }));
    const quota = ctx.store.get('ResourceQuota', 'default', 'q')!;
    const [action] = resourceQuotaController.reconcile!(quota, ctx);
    expect(action).toMatchObject({
      type: 'update',
      object: { status: { hard: { pods: '5', 'requests.memory': '1Gi' }, used: { pods: '1', 'requests.memory': '256Mi' } } },
    });
    const updated = (action as { object: ResourceQuota }).object;
    expect(resourceQuotaController.reconcile!(updated, ctx)).toEqual([]);
  });
});
