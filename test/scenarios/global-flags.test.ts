import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubesim, manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';

const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });

describe("kubectl's global flags", () => {
  it('every flag of `kubectl options` is accepted before or after the verb', async () => {
    const c = await manualCluster();
    const nodes = 'node/node-1\nnode/node-2\nnode/node-3\n';
    const accepted = [
      '--cache-dir=/tmp/cache',
      '--certificate-authority=/etc/ca.crt',
      '--client-certificate=/etc/client.crt',
      '--client-key=/etc/client.key',
      '--disable-compression',
      '--insecure-skip-tls-verify',
      '--log-flush-frequency=10s',
      '--match-server-version',
      '--profile=cpu',
      '--profile-output=/tmp/p.pprof',
      '--request-timeout=5s',
      '-s',
      'https://127.0.0.1:6443',
      '--tls-server-name=kubernetes',
      '-v=6',
      '--v',
      '2',
      '--vmodule=loader=4,round_trippers=5',
      '--warnings-as-errors',
    ];
    expect(await c.run('get', 'nodes', '-o', 'name', ...accepted)).toEqual({ code: 0, stdout: nodes, stderr: '' });
    expect(await c.run(...accepted, 'get', 'nodes', '-o', 'name')).toEqual({ code: 0, stdout: nodes, stderr: '' });
  });

  it('refuses bad values as kubectl does, before the verb runs', async () => {
    const c = await manualCluster();
    const usage = "\nSee 'kubesim get --help' for usage.\n";
    expect(await c.run('get', 'pods', '-v=abc')).toEqual(
      fail(`error: invalid argument "abc" for "-v, --v" flag: strconv.ParseInt: parsing "abc": invalid syntax${usage}`),
    );
    expect(await c.run('get', 'pods', '--log-flush-frequency=x')).toEqual(
      fail(`error: invalid argument "x" for "--log-flush-frequency" flag: parse error${usage}`),
    );
    expect(await c.run('get', 'pods', '--vmodule=abc')).toEqual(
      fail(`error: invalid argument "abc" for "--vmodule" flag: syntax error: expect comma-separated list of filename=N${usage}`),
    );
    expect(await c.run('get', 'pods', '--warnings-as-errors=maybe')).toEqual(
      fail(`error: invalid argument "maybe" for "--warnings-as-errors" flag: strconv.ParseBool: parsing "maybe": invalid syntax${usage}`),
    );
    expect(await c.run('get', 'pods', '--request-timeout=abc')).toEqual(
      fail(
        'error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n',
      ),
    );
    expect(await c.run('create', 'namespace', 'x', '--profile=foo')).toEqual(fail("error: unknown profile 'foo'\n"));
    expect(await c.run('get', 'pods', '--as-uid=u')).toEqual(
      fail('error: requesting uid, groups or user-extra for  without impersonating a user\n'),
    );
    expect(await c.run('get', 'pods', '--username=a', '--token=b')).toEqual(
      fail('error: more than one authentication method found for ; found [token basicAuth], only one is allowed\n'),
    );
    // nothing was created by the refused command
    expect((await c.run('get', 'namespace', 'x')).code).toBe(1);
  });

  it('--warnings-as-errors: the write is done, the warning printed, and the command fails', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'secure');
    await c.run('label', 'namespace', 'secure', 'pod-security.kubernetes.io/enforce=restricted');
    const r = await c.run('apply', '-n', 'secure', '-f', c.file('web.yaml', deploymentYaml({ replicas: 1 })), '--warnings-as-errors');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('deployment.apps/web created\n');
    expect(r.stderr).toMatch(/^Warning: would violate PodSecurity "restricted:latest": .*\nerror: 1 warning received\n$/);
    expect((await c.run('get', 'deploy', 'web', '-n', 'secure', '-o', 'name')).stdout).toBe('deployment.apps/web\n');
    // without the flag the same warning leaves the exit status alone
    const again = await c.run('apply', '-n', 'secure', '-f', c.file('web2.yaml', deploymentYaml({ replicas: 2 })));
    expect(again.code).toBe(0);
  });
});

describe('who a request is made as: --token, --as and the kubeconfig user', () => {
  it("writes made as another user are authorized by RBAC, with the API server's Forbidden text", async () => {
    const c = await manualCluster();
    const forbidden = (what: string, verb: string, scope = 'in the namespace "default"') =>
      fail(
        `Error from server (Forbidden): ${what} is forbidden: User "jane" cannot ${verb} resource "${what.split(/[." ]/)[0]}" in API group "${/\.([a-z.]+)/.exec(what)?.[1] ?? ''}" ${scope}\n`,
      );
    expect(await c.run('create', 'configmap', 'x', '--as=jane')).toEqual(forbidden('configmaps', 'create'));
    expect(await c.run('create', 'namespace', 'zz', '--as=jane')).toEqual(forbidden('namespaces', 'create', 'at the cluster scope'));
    await c.run('create', 'role', 'cm-maker', '--verb=create', '--resource=configmaps');
    await c.run('create', 'rolebinding', 'jane-makes', '--role=cm-maker', '--user=jane');
    expect((await c.run('create', 'configmap', 'x', '--as=jane')).stdout).toBe('configmap/x created\n');
    expect(await c.run('label', 'configmap', 'x', 'a=b', '--as=jane')).toEqual(forbidden('configmaps "x"', 'patch'));
    expect(await c.run('delete', 'configmap', 'x', '--as=jane')).toEqual(forbidden('configmaps "x"', 'delete'));
    expect(await c.run('create', 'deployment', 'd', '--image=nginx', '--as=jane')).toEqual(forbidden('deployments.apps', 'create'));
    // the admin (no credentials) is not checked; the cluster's controllers neither
    expect((await c.run('label', 'configmap', 'x', 'a=b')).stdout).toBe('configmap/x labeled\n');
  });

  it('a token from create token authenticates as its service account, until it expires', async () => {
    const c = await manualCluster();
    await c.run('create', 'serviceaccount', 'app');
    await c.run('create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods');
    await c.run('create', 'rolebinding', 'app-reads', '--role=pod-reader', '--serviceaccount=default:app');
    const token = (await c.run('create', 'token', 'app', '--duration=10m')).stdout;
    expect(await c.run('auth', 'can-i', 'list', 'pods', '--token', token)).toEqual({ code: 0, stdout: 'yes\n', stderr: '' });
    expect(await c.run('auth', 'can-i', 'delete', 'pods', '--token', token)).toEqual({ code: 1, stdout: 'no\n', stderr: '' });
    const who = (await c.run('auth', 'whoami', `--token=${token}`)).stdout;
    expect(who).toMatch(/^ATTRIBUTE +VALUE\nUsername +system:serviceaccount:default:app\nUID +[0-9a-f-]{36}\n/);
    expect(who).toContain(
      'Groups                                              [system:serviceaccounts system:serviceaccounts:default system:authenticated]\n',
    );
    expect(who).toMatch(/Extra: authentication\.kubernetes\.io\/credential-id +\[JTI=[0-9a-f-]{36}\]\n$/);
    await c.run('clock', 'advance', '11m');
    expect(await c.run('auth', 'whoami', '--token', token)).toEqual(fail('error: You must be logged in to the server (Unauthorized)\n'));
  });

  it('a token is refused once its service account is deleted, or when another cluster signed it', async () => {
    const c = await manualCluster();
    const other = await manualCluster(['--seed', '7']);
    await c.run('create', 'serviceaccount', 'app');
    const token = (await c.run('create', 'token', 'app')).stdout;
    expect(await other.run('auth', 'whoami', '--token', token)).toEqual(
      fail('error: You must be logged in to the server (Unauthorized)\n'),
    );
    expect(await c.run('auth', 'whoami', '--token', 'not-a-jwt')).toEqual(
      fail('error: You must be logged in to the server (Unauthorized)\n'),
    );
    await c.run('delete', 'serviceaccount', 'app');
    expect((await c.run('auth', 'whoami', '--token', token)).code).toBe(1);
  });

  it('--as, --as-group and --as-uid impersonate; the kubeconfig user of the context is who asks', async () => {
    const c = await manualCluster();
    expect((await c.run('auth', 'whoami', '--as=jane', '--as-group=devs', '--as-uid=1234')).stdout).toBe(
      'ATTRIBUTE   VALUE\nUsername    jane\nUID         1234\nGroups      [devs system:authenticated]\n',
    );
    // a user whose token is a service account's, through set-credentials and set-context --user
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-home-'));
    const env = { HOME: home, KUBESIM_STATE: '' };
    const run = (...args: string[]) => kubesim('', args, { env, cwd: home });
    await run('cluster', 'create', 'dev', '--clock', 'manual');
    await run('create', 'serviceaccount', 'ci');
    const token = (await run('create', 'token', 'ci')).stdout;
    expect((await run('config', 'set-credentials', 'ci', `--token=${token}`)).stdout).toBe('User "ci" set.\n');
    expect((await run('config', 'set-context', '--current', '--user=ci')).stdout).toBe('Context "dev" modified.\n');
    expect((await run('auth', 'whoami')).stdout).toMatch(/^ATTRIBUTE +VALUE\nUsername +system:serviceaccount:default:ci\n/);
    expect(await run('auth', 'can-i', 'create', 'pods')).toEqual({ code: 1, stdout: 'no\n', stderr: '' });
    // the ci account may not impersonate: the impersonation filter refuses before anything runs
    expect(await run('auth', 'can-i', 'create', 'pods', '--as=jane')).toEqual(
      fail(
        'Error from server (Forbidden): users "jane" is forbidden: User "system:serviceaccount:default:ci" cannot impersonate resource "users" in API group "" at the cluster scope\n',
      ),
    );
    // basic auth is not accepted by a v1.32 API server
    expect((await run('auth', 'whoami', '--username=a', '--password=b')).stderr).toBe(
      'error: You must be logged in to the server (Unauthorized)\n',
    );
  });
});
