import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { APP_RBAC as RBAC } from '../support/rbac';

/*
 * ServiceAccounts and the RBAC kinds: stored, printed and validated as a v1.32 cluster does
 * (nothing is authorized by them), the service account controller's `default` account in every
 * namespace, and the ServiceAccount admission plugin on pods.
 */

describe('service accounts', () => {
  it('every namespace has a default account, made for new namespaces and again when deleted', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'sa', '-A')).stdout).toBe(
      [
        'NAMESPACE         NAME      SECRETS   AGE',
        'default           default   0         0s',
        'kube-node-lease   default   0         0s',
        'kube-public       default   0         0s',
        'kube-system       default   0         0s',
        '',
      ].join('\n'),
    );
    await c.run('create', 'namespace', 'shop');
    expect((await c.run('get', 'serviceaccounts', '-n', 'shop', '-o', 'name')).stdout).toBe('serviceaccount/default\n');
    expect((await c.run('delete', 'sa', 'default', '-n', 'shop')).stdout).toBe('serviceaccount "default" deleted\n');
    expect((await c.run('get', 'sa', 'default', '-n', 'shop', '-o', 'name')).stdout).toBe('serviceaccount/default\n');
  });

  it('a pod runs as the default account unless it names one', async () => {
    const c = await manualCluster();
    c.file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n');
    await c.run('apply', '-f', 'pod.yaml');
    expect((await c.run('get', 'pod', 'p', '-o', 'jsonpath={.spec.serviceAccountName} {.spec.serviceAccount}')).stdout).toBe(
      'default default',
    );
    expect((await c.run('describe', 'pod', 'p')).stdout).toContain('\nService Account:  default\n');
  });

  it('refuses a pod naming an account that does not exist, and a controller reports it until it does', async () => {
    const c = await manualCluster();
    c.file(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccountName: builder\n  containers:\n  - name: c\n    image: nginx:1.27\n',
    );
    expect(await c.run('apply', '-f', 'pod.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (Forbidden): error when creating "pod.yaml": pods "p" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found\n',
    });
    await c.run('create', 'deployment', 'web', '--image=nginx:1.27');
    expect((await c.run('set', 'serviceaccount', 'deployment', 'web', 'builder')).stdout).toBe(
      'deployment.apps/web serviceaccount updated\n',
    );
    const rs = (await c.run('get', 'rs', '-o', 'name')).stdout.trim().split('\n').pop()!.replace('replicaset.apps/', '');
    // mutating admission runs before the name is generated: the message names the generateName prefix,
    // so the retries count up on one event
    const events = (
      await c.run(
        'get',
        'events',
        '--field-selector',
        `involvedObject.name=${rs},reason=FailedCreate`,
        '-o',
        'jsonpath={.items[*].message}',
      )
    ).stdout;
    expect(events).toBe(
      `Error creating: pods "${rs}-" is forbidden: error looking up service account default/builder: serviceaccount "builder" not found`,
    );
    await c.run('create', 'serviceaccount', 'builder');
    expect((await c.run('rollout', 'status', 'deployment/web')).code).toBe(0);
    const hash = rs.slice('web-'.length);
    expect(
      (await c.run('get', 'pods', '-l', `pod-template-hash=${hash}`, '-o', 'jsonpath={.items[*].spec.serviceAccountName}')).stdout,
    ).toBe('builder');
    expect(await c.run('apply', '-f', 'pod.yaml')).toEqual({ code: 0, stdout: 'pod/p created\n', stderr: '' });
  });

  it('set serviceaccount needs the account and a resource, as kubectl does', async () => {
    const c = await manualCluster();
    expect(await c.run('set', 'sa')).toEqual({ code: 1, stdout: '', stderr: 'error: serviceaccount is required\n' });
    expect((await c.run('set', 'sa', 'deployment')).stderr).toBe(
      "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
    );
  });

  it('describes an account with its pull secrets, mountable secrets and tokens', async () => {
    const c = await manualCluster();
    c.file(
      'sa.yaml',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ci\nimagePullSecrets:\n- name: regcred\nsecrets:\n- name: gone\n',
    );
    await c.run('apply', '-f', 'sa.yaml');
    await c.run('create', 'secret', 'generic', 'regcred', '--from-literal=a=b');
    expect((await c.run('describe', 'sa', 'ci')).stdout).toBe(
      [
        'Name:                ci',
        'Namespace:           default',
        'Labels:              <none>',
        'Annotations:         <none>',
        'Image pull secrets:  regcred',
        'Mountable secrets:   gone (not found)',
        'Tokens:              <none>',
        'Events:              <none>',
        '',
      ].join('\n'),
    );
    expect((await c.run('get', 'sa', 'ci')).stdout).toBe('NAME   SECRETS   AGE\nci     1         0s\n');
  });
});

describe('RBAC objects', () => {
  it('applies a manifest with roles and bindings and prints them as kubectl does', async () => {
    const c = await manualCluster();
    c.file('rbac.yaml', RBAC);
    expect((await c.run('apply', '-f', 'rbac.yaml')).stdout).toBe(
      [
        'serviceaccount/app created',
        'role.rbac.authorization.k8s.io/pod-reader created',
        'rolebinding.rbac.authorization.k8s.io/read-pods created',
        'clusterrole.rbac.authorization.k8s.io/metrics-reader created',
        'clusterrolebinding.rbac.authorization.k8s.io/metrics-reader created',
        '',
      ].join('\n'),
    );
    expect((await c.run('get', 'roles')).stdout).toBe('NAME         CREATED AT\npod-reader   2025-01-01T00:00:00Z\n');
    expect((await c.run('get', 'rolebinding', '-o', 'wide')).stdout).toBe(
      'NAME        ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\nread-pods   Role/pod-reader   0s    jane             default/app\n',
    );
    expect((await c.run('get', 'clusterrolebinding', 'metrics-reader')).stdout).toBe(
      'NAME             ROLE                         AGE\nmetrics-reader   ClusterRole/metrics-reader   0s\n',
    );
    // the API server defaults roleRef.apiGroup and a User subject's apiGroup
    expect(
      (
        await c.run(
          'get',
          'rolebinding',
          'read-pods',
          '-o',
          'jsonpath={.roleRef.apiGroup} {.subjects[0].apiGroup} [{.subjects[1].apiGroup}]',
        )
      ).stdout,
    ).toBe('rbac.authorization.k8s.io rbac.authorization.k8s.io []');
    // rules broken down per resource, verbs of one resource merged, sorted by the rule's Go string
    expect((await c.run('describe', 'role', 'pod-reader')).stdout).toBe(
      [
        'Name:         pod-reader',
        'Labels:       <none>',
        'Annotations:  <none>',
        'PolicyRule:',
        '  Resources         Non-Resource URLs  Resource Names  Verbs',
        '  ---------         -----------------  --------------  -----',
        '  pods              []                 []              [get watch list delete]',
        '  pods/log          []                 []              [get watch list]',
        '  deployments.apps  []                 [web]           [get]',
        '',
      ].join('\n'),
    );
    expect((await c.run('describe', 'clusterrole', 'metrics-reader')).stdout).toBe(
      [
        'Name:         metrics-reader',
        'Labels:       <none>',
        'Annotations:  <none>',
        'PolicyRule:',
        '  Resources  Non-Resource URLs  Resource Names  Verbs',
        '  ---------  -----------------  --------------  -----',
        '             [/metrics]         []              [get]',
        '',
      ].join('\n'),
    );
    expect((await c.run('describe', 'rolebinding', 'read-pods')).stdout).toBe(
      [
        'Name:         read-pods',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Role:',
        '  Kind:  Role',
        '  Name:  pod-reader',
        'Subjects:',
        '  Kind            Name  Namespace',
        '  ----            ----  ---------',
        '  User            jane  ',
        '  ServiceAccount  app   default',
        '',
      ].join('\n'),
    );
    // the server defaults a User or Group subject's apiGroup, which the manifest leaves out: kubectl's
    // patch then carries the whole (atomic) subjects list every time, so those bindings say configured
    // (as in a cluster: rancher/rancher#35047 "apply fights k8s")
    expect((await c.run('apply', '-f', 'rbac.yaml')).stdout).toBe(
      [
        'serviceaccount/app unchanged',
        'role.rbac.authorization.k8s.io/pod-reader unchanged',
        'rolebinding.rbac.authorization.k8s.io/read-pods configured',
        'clusterrole.rbac.authorization.k8s.io/metrics-reader unchanged',
        'clusterrolebinding.rbac.authorization.k8s.io/metrics-reader configured',
        '',
      ].join('\n'),
    );
  });

  it("refuses invalid rules, subjects and role references with the API server's messages", async () => {
    const c = await manualCluster();
    c.file(
      'bad-role.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: bad\nrules:\n- resources: [pods]\n- nonResourceURLs: [/x]\n  verbs: [get]\n',
    );
    expect(await c.run('apply', '-f', 'bad-role.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The Role "bad" is invalid: \n* rules[0].verbs: Required value: verbs must contain at least one value\n* rules[0].apiGroups: Required value: resource rules must supply at least one api group\n' +
        '* rules[1].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs\n',
    });
    c.file(
      'bad-crb.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: b\nsubjects:\n- kind: ServiceAccount\n  name: x\n- kind: Robot\n  name: y\nroleRef:\n  kind: Role\n  name: view\n',
    );
    expect((await c.run('apply', '-f', 'bad-crb.yaml')).stderr).toBe(
      'The ClusterRoleBinding "b" is invalid: \n* roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"\n* subjects[0].namespace: Required value\n* subjects[1].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"\n',
    );
    c.file('rbac.yaml', RBAC);
    await c.run('apply', '-f', 'rbac.yaml');
    // roleRef never changes: a binding to another role is a new binding
    c.file(
      'rebind.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\nsubjects:\n- kind: User\n  name: jane\nroleRef:\n  kind: ClusterRole\n  name: view\n',
    );
    expect(await c.run('apply', '-f', 'rebind.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The RoleBinding "read-pods" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"view"}: cannot change roleRef\n',
    });
    // RBAC names are path segments, not DNS names: system:… is fine, a slash is not
    c.file(
      'names.yaml',
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: system:widget-reader\nrules: []\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: a/b\nrules: []\n',
    );
    const r = await c.run('apply', '-f', 'names.yaml');
    expect(r.stdout).toBe('clusterrole.rbac.authorization.k8s.io/system:widget-reader created\n');
    expect(r.stderr).toBe(`The ClusterRole "a/b" is invalid: metadata.name: Invalid value: "a/b": may not contain '/'\n`);
  });

  it('create role builds one rule per API group from resource names kubectl resolves', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'create',
      'role',
      'r',
      '--verb=get,list,get',
      '--resource=pods,deploy,pods/log,rs.apps',
      '--resource-name=web',
      '--dry-run=client',
      '-o',
      'yaml',
    );
    expect(r.stdout).toBe(
      [
        'apiVersion: rbac.authorization.k8s.io/v1',
        'kind: Role',
        'metadata:',
        '  creationTimestamp: null',
        '  name: r',
        'rules:',
        '- apiGroups:',
        '  - ""',
        '  resourceNames:',
        '  - web',
        '  resources:',
        '  - pods',
        '  - pods/log',
        '  verbs:',
        '  - get',
        '  - list',
        '- apiGroups:',
        '  - apps',
        '  resourceNames:',
        '  - web',
        '  resources:',
        '  - deployments',
        '  - replicasets',
        '  verbs:',
        '  - get',
        '  - list',
        '',
      ].join('\n'),
    );
    expect(await c.run('create', 'role', 'r', '--verb=bind', '--resource=pods')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: can not perform 'bind' on 'pods' in group ''\n",
    });
    expect(await c.run('create', 'role', 'r', '--verb=get', '--resource=foos')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: the server doesn\'t have a resource type "foos"\n',
    });
    expect(await c.run('create', 'role', 'r', '--verb=frob', '--resource=pods')).toEqual({
      code: 0,
      stdout: 'role.rbac.authorization.k8s.io/r created\n',
      stderr: "Warning: 'frob' is not a standard resource verb\n",
    });
    expect((await c.run('create', 'clusterrole', 'all', '--verb=*', '--resource=*', '-o', 'jsonpath={.rules}')).stdout).toBe(
      '[{"apiGroups":[""],"resources":["*"],"verbs":["*"]}]',
    );
  });
});
