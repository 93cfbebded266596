import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { APP_RBAC } from '../support/rbac';

/*
 * `auth can-i` and `auth whoami`: RBAC evaluated over the cluster's Roles and bindings, as the
 * API server's RBAC authorizer answers a SelfSubjectAccessReview; --as/--as-group impersonate.
 */
// beside APP_RBAC: a */status rule for the app's account, a URL prefix rule for the ops group
const EXTRA = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: status-reader
rules:
- apiGroups: [""]
  resources: ["*/status"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-status
subjects:
- kind: ServiceAccount
  name: app
roleRef:
  kind: Role
  name: status-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: debug-reader
rules:
- nonResourceURLs: ["/debug/*"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: debug-reader
subjects:
- kind: Group
  name: ops
roleRef:
  kind: ClusterRole
  name: debug-reader
`;

async function rbacCluster() {
  const c = await manualCluster();
  c.file('rbac.yaml', `${APP_RBAC}---\n${EXTRA}`);
  await c.run('apply', '-f', 'rbac.yaml');
  return c;
}

const yes = { code: 0, stdout: 'yes\n', stderr: '' };
const no = { code: 1, stdout: 'no\n', stderr: '' };

describe('auth can-i', () => {
  it("lets kubectl's own user (kubeadm:cluster-admins, bound to cluster-admin) do anything", async () => {
    const c = await manualCluster();
    // a cluster-scoped resource asked in a namespace: kubectl's Validate warns and asks anyway
    expect(await c.run('auth', 'can-i', 'delete', 'nodes')).toEqual({
      ...yes,
      stderr: "Warning: resource 'nodes' is not namespace scoped\n",
    });
    expect(await c.run('auth', 'can-i', 'delete', 'nodes', '-A')).toEqual(yes);
    expect(await c.run('auth', 'can-i', '*', '*', '-A')).toEqual(yes);
    expect((await c.run('get', 'clusterrolebindings', '-o', 'name')).stdout).toBe(
      ['cluster-admin', 'kubeadm:cluster-admins', 'system:basic-user', 'system:discovery', 'system:monitoring', 'system:public-info-viewer']
        .map((name) => `clusterrolebinding.rbac.authorization.k8s.io/${name}\n`)
        .join(''),
    );
  });

  it('answers for a service account from its RoleBinding, in its namespace only', async () => {
    const c = await rbacCluster();
    const sa = '--as=system:serviceaccount:default:app';
    expect(await c.run('auth', 'can-i', 'list', 'pods', sa)).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'create', 'pods', sa)).toEqual(no);
    expect(await c.run('auth', 'can-i', 'list', 'pods', sa, '-n', 'kube-system')).toEqual(no);
    // a RoleBinding never grants across all namespaces
    expect(await c.run('auth', 'can-i', 'list', 'pods', sa, '-A')).toEqual(no);
    expect(await c.run('auth', 'can-i', 'get', 'pods', '--subresource=log', sa)).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'get', 'pods', '--subresource=exec', sa)).toEqual(no);
    // */status covers every resource's status subresource, in the rule's API group only
    expect(await c.run('auth', 'can-i', 'get', 'services', '--subresource=status', sa)).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'get', 'deployments', '--subresource=status', sa)).toEqual(no);
    expect(await c.run('auth', 'can-i', 'list', 'pods', sa, '-q')).toEqual({ code: 0, stdout: '', stderr: '' });
    // once bound to cluster-admin it may do anything anywhere
    await c.run('create', 'clusterrolebinding', 'app-admin', '--clusterrole=cluster-admin', '--serviceaccount=default:app');
    expect(await c.run('auth', 'can-i', '*', '*', sa, '-A')).toEqual(yes);
  });

  it('honours resourceNames, short names and groups', async () => {
    const c = await rbacCluster();
    expect(await c.run('auth', 'can-i', 'get', 'deployments.apps/web', '--as=jane')).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'get', 'deploy/api', '--as=jane')).toEqual(no);
    // a rule naming objects does not allow listing them all
    expect(await c.run('auth', 'can-i', 'get', 'deployments', '--as=jane')).toEqual(no);
    expect(await c.run('auth', 'can-i', 'watch', 'po', '--as=jane')).toEqual(yes);
  });

  it('checks non-resource URLs, with prefix rules, for group members', async () => {
    const c = await rbacCluster();
    expect(await c.run('auth', 'can-i', 'get', '/metrics', '--as=bob', '--as-group=ops')).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'get', '/debug/pprof', '--as=bob', '--as-group=ops')).toEqual(yes);
    expect(await c.run('auth', 'can-i', 'get', '/metrics', '--as=bob')).toEqual(no);
    expect(await c.run('auth', 'can-i', 'post', '/metrics', '--as=bob', '--as-group=ops')).toEqual(no);
  });

  it('warns as kubectl does about unknown verbs and resources, and wants exactly two arguments', async () => {
    const c = await rbacCluster();
    expect(await c.run('auth', 'can-i', 'frob', 'foos', '--as=jane')).toEqual({
      code: 1,
      stdout: 'no\n',
      // the resource is resolved in Complete, the verb checked in Validate (cani.go)
      stderr: "Warning: the server doesn't have a resource type 'foos'\nWarning: verb 'frob' is not a known verb\n",
    });
    expect(await c.run('auth', 'can-i', 'get', 'widgets.example.com', '--as=jane')).toEqual({
      code: 1,
      stdout: 'no\n',
      stderr: "Warning: the server doesn't have a resource type 'widgets' in group 'example.com'\n",
    });
    expect(await c.run('auth', 'can-i', 'list')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubesim auth can-i -h' for help and examples.\n",
    });
  });
});

describe('auth whoami', () => {
  it('shows the user and groups, impersonation included', async () => {
    const c = await manualCluster();
    expect((await c.run('auth', 'whoami')).stdout).toBe(
      'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n',
    );
    expect((await c.run('auth', 'whoami', '--as=system:serviceaccount:dev:foo')).stdout).toBe(
      'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:dev:foo\nGroups      [system:serviceaccounts system:serviceaccounts:dev system:authenticated]\n',
    );
    // groups given replace a service account's own, and still get system:authenticated
    expect((await c.run('auth', 'whoami', '--as=system:serviceaccount:dev:foo', '--as-group=ci')).stdout).toBe(
      'ATTRIBUTE   VALUE\nUsername    system:serviceaccount:dev:foo\nGroups      [ci system:authenticated]\n',
    );
  });
});

describe('auth can-i --list', () => {
  it("prints the user's rules broken down, merged per resource and sorted as kubectl does", async () => {
    const c = await rbacCluster();
    const sa = '--as=system:serviceaccount:default:app';
    expect(await c.run('auth', 'can-i', '--list', sa)).toEqual({
      code: 0,
      stdout:
        // the default roles bound to system:authenticated (basic-user, discovery, public-info-viewer) come too
        'Resources                                       Non-Resource URLs   Resource Names   Verbs\n' +
        'selfsubjectreviews.authentication.k8s.io        []                  []               [create]\n' +
        'selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]\n' +
        'selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]\n' +
        'pods                                            []                  []               [get watch list delete]\n' +
        'pods/log                                        []                  []               [get watch list]\n' +
        '*/status                                        []                  []               [get]\n' +
        '                                                [/api/*]            []               [get]\n' +
        '                                                [/api]              []               [get]\n' +
        '                                                [/apis/*]           []               [get]\n' +
        '                                                [/apis]             []               [get]\n' +
        '                                                [/healthz]          []               [get]\n' +
        '                                                [/healthz]          []               [get]\n' +
        '                                                [/livez]            []               [get]\n' +
        '                                                [/livez]            []               [get]\n' +
        '                                                [/openapi/*]        []               [get]\n' +
        '                                                [/openapi]          []               [get]\n' +
        '                                                [/readyz]           []               [get]\n' +
        '                                                [/readyz]           []               [get]\n' +
        '                                                [/version/]         []               [get]\n' +
        '                                                [/version/]         []               [get]\n' +
        '                                                [/version]          []               [get]\n' +
        '                                                [/version]          []               [get]\n' +
        'deployments.apps                                []                  [web]            [get]\n',
      stderr: '',
    });
    // RoleBindings count in their namespace only; --no-headers leaves only the rows
    const elsewhere = await c.run('auth', 'can-i', '--list', sa, '-n', 'kube-system', '--no-headers');
    expect(elsewhere.stdout).not.toMatch(/pods|deployments/);
    expect(elsewhere.stdout.split('\n')[0]).toMatch(/^selfsubjectreviews\.authentication\.k8s\.io +\[\] +\[\] +\[create\]$/);
    // the ops group's non-resource rules join the defaults every authenticated user has
    const bob = (await c.run('auth', 'can-i', '--list', '--as=bob', '--as-group=ops', '--no-headers')).stdout.split('\n');
    expect(bob.filter((l) => /\[\/(debug|metrics)/.test(l)).map((l) => l.replace(/ +/g, ' '))).toEqual([
      ' [/debug/*] [] [get]',
      ' [/metrics] [] [get]',
    ]);
    expect(bob[0]).toMatch(/^selfsubjectreviews/);
    // the admin: cluster-admin's two rules sort first, then the defaults of system:authenticated
    const admin = (await c.run('auth', 'can-i', '--list')).stdout.split('\n').map((l) => l.replace(/ +/g, ' '));
    expect(admin.slice(0, 4)).toEqual([
      'Resources Non-Resource URLs Resource Names Verbs',
      '*.* [] [] [*]',
      ' [*] [] [*]',
      'selfsubjectreviews.authentication.k8s.io [] [] [create]',
    ]);
  });

  it('refuses --list with arguments or with -q, -A, --subresource, and --no-headers without --list', async () => {
    const c = await manualCluster();
    const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });
    expect(await c.run('auth', 'can-i', '--list', 'get', 'pods')).toEqual(fail('error: list option must be specified with no arguments\n'));
    expect(await c.run('auth', 'can-i', '--list', '-A')).toEqual(
      fail("error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n"),
    );
    expect(await c.run('auth', 'can-i', 'get', 'pods', '--no-headers')).toEqual(
      fail('error: --no-headers cannot be set without --list specified\n'),
    );
  });
});
