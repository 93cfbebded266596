import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubesim } from '../support/cli';

// Every expected output below is what kubectl v1.32 printed for the same commands against a temp
// KUBECONFIG (kubesim's file is $KUBESIM_CONFIG here).

/** A folder with a config file path (not created) and a CA file, and a runner that uses them. */
function configHome() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-config-'));
  fs.writeFileSync(path.join(dir, 'ca.crt'), 'ca-data\n');
  const config = path.join(dir, 'config');
  const run = (...args: string[]) => kubesim('', args, { env: { HOME: dir, KUBESIM_STATE: '', KUBESIM_CONFIG: config }, cwd: dir });
  return { dir, config, run };
}

async function exampleConfig() {
  const h = configHome();
  const steps: [string[], string][] = [
    [['config', 'set-cluster', 'c1', '--server=https://1.2.3.4', '--insecure-skip-tls-verify=true'], 'Cluster "c1" set.\n'],
    [['config', 'set-cluster', 'c2', '--certificate-authority=ca.crt', '--embed-certs'], 'Cluster "c2" set.\n'],
    [['config', 'set-credentials', 'u1', '--token=abc'], 'User "u1" set.\n'],
    [['config', 'set-credentials', 'u2', '--username=a', '--password=b'], 'User "u2" set.\n'],
    [['config', 'set-context', 'ctx', '--cluster=c1', '--user=u1', '--namespace=ns'], 'Context "ctx" created.\n'],
    [['config', 'use-context', 'ctx'], 'Switched to context "ctx".\n'],
  ];
  for (const [args, out] of steps) expect(await h.run(...args)).toEqual({ code: 0, stdout: out, stderr: '' });
  return h;
}

const VIEW = `apiVersion: v1
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: https://1.2.3.4
  name: c1
- cluster:
    certificate-authority-data: DATA+OMITTED
    server: ""
  name: c2
contexts:
- context:
    cluster: c1
    namespace: ns
    user: u1
  name: ctx
current-context: ctx
kind: Config
preferences: {}
users:
- name: u1
  user:
    token: REDACTED
- name: u2
  user:
    password: REDACTED
    username: a
`;

describe('config set-cluster, set-credentials, set-context --user and view', () => {
  it('view shows the merged config with secrets redacted, as kubectl does', async () => {
    const h = await exampleConfig();
    expect(await h.run('config', 'view')).toEqual({ code: 0, stdout: VIEW, stderr: '' });
    // the file itself holds the data and the secrets
    const file = fs.readFileSync(h.config, 'utf8');
    expect(file).toContain(`certificate-authority-data: ${Buffer.from('ca-data\n').toString('base64')}\n`);
    expect(file).toContain('    token: abc\n');
    expect((await h.run('config', 'get-contexts')).stdout).toBe(
      'CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n*         ctx    c1        u1         ns\n',
    );
  });

  it('view --minify keeps what the current context uses; --raw shows secrets; -o json keeps Go field order', async () => {
    const h = await exampleConfig();
    expect((await h.run('config', 'view', '--minify', '--raw')).stdout).toBe(`apiVersion: v1
clusters:
- cluster:
    insecure-skip-tls-verify: true
    server: https://1.2.3.4
  name: c1
contexts:
- context:
    cluster: c1
    namespace: ns
    user: u1
  name: ctx
current-context: ctx
kind: Config
preferences: {}
users:
- name: u1
  user:
    token: abc
`);
    const json = (await h.run('config', 'view', '--minify', '-o', 'json')).stdout;
    expect(json).toBe(`{
    "kind": "Config",
    "apiVersion": "v1",
    "preferences": {},
    "clusters": [
        {
            "name": "c1",
            "cluster": {
                "server": "https://1.2.3.4",
                "insecure-skip-tls-verify": true
            }
        }
    ],
    "users": [
        {
            "name": "u1",
            "user": {
                "token": "REDACTED"
            }
        }
    ],
    "contexts": [
        {
            "name": "ctx",
            "context": {
                "cluster": "c1",
                "user": "u1",
                "namespace": "ns"
            }
        }
    ],
    "current-context": "ctx"
}
`);
    expect((await h.run('config', 'view', '-o', 'jsonpath={.users[?(@.name == "u2")].user.username}')).stdout).toBe('a');
    // --context names the context to minify for
    expect(await h.run('config', 'view', '--minify', '--context', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot locate context nope\n',
    });
  });

  it('view --flatten embeds the files a cluster or user names, relative to the config file', async () => {
    const h = configHome();
    await h.run('config', 'set-cluster', 'c', '--certificate-authority=ca.crt');
    // stored relative to the config file's folder, as clientcmd relativizes paths
    expect(fs.readFileSync(h.config, 'utf8')).toContain('    certificate-authority: ca.crt\n');
    const flat = (await h.run('config', 'view', '--flatten')).stdout;
    expect(flat).toContain(`    certificate-authority-data: ${Buffer.from('ca-data\n').toString('base64')}\n`);
    expect(flat).not.toContain('certificate-authority: ');
  });

  it('refuses what kubectl refuses, with its messages', async () => {
    const h = await exampleConfig();
    const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });
    expect(await h.run('config', 'set-credentials', 'u3', '--token=abc', '--username=a')).toEqual(
      fail('error: you cannot specify more than one authentication method at the same time: --token, --username/--password\n'),
    );
    expect(await h.run('config', 'set-cluster', 'c3', '--certificate-authority=/nonexist', '--embed-certs')).toEqual(
      fail('error: could not stat certificate-authority file /nonexist: stat /nonexist: no such file or directory\n'),
    );
    expect(await h.run('config', 'set-credentials', 'u5', '--exec-command=x', '--exec-interactive-mode=Bogus')).toEqual(
      fail('error: invalid interactive mode type, can be only IfAvailable, Never, Always\n'),
    );
    expect(await h.run('config', 'set-context')).toEqual(fail('error: you must specify a non-empty context name or --current\n'));
    // a command's own --namespace hides the global -n
    expect((await h.run('config', 'set-context', 'x', '-n', 'foo')).stderr).toBe(
      "error: unknown shorthand flag: 'n' in -n\nSee 'kubesim config set-context --help' for usage.\n",
    );
    expect(await h.run('config', 'view', '--merge=false')).toEqual(fail('error: if merge==false a precise file must be specified\n'));
    expect(await h.run('config', 'rename-context', 'nope', 'x')).toEqual(
      fail(`error: cannot rename the context "nope", it's not in ${h.config}\n`),
    );
    expect(await h.run('config', 'delete-user', 'zz')).toEqual(fail(`error: cannot delete user zz, not in ${h.config}\n`));
    expect(await h.run('config', 'delete-cluster', 'zz')).toEqual(fail(`error: cannot delete cluster zz, not in ${h.config}\n`));
    const several = await h.run('config', 'get-contexts', 'ctx', 'nope', 'zz');
    expect(several.stderr).toBe('context nope not found\ncontext zz not found\n');
    expect(several.code).toBe(1);
  });

  it('a wrong number of names: the help on stdout and the error kubectl v1.32 prints (or just the help, exit 0)', async () => {
    const h = await exampleConfig();
    const usage = (verb: string) => expect.stringContaining(`Usage: kubesim config ${verb}`);
    // kubectl config use-context → help, `error: Unexpected args: []`, exit 1
    expect(await h.run('config', 'use-context')).toEqual({ code: 1, stdout: usage('use-context'), stderr: 'error: Unexpected args: []\n' });
    expect(await h.run('config', 'use', 'a', 'b')).toEqual({
      code: 1,
      stdout: usage('use-context'),
      stderr: 'error: Unexpected args: [a b]\n',
    });
    expect(await h.run('config', 'rename-context', 'ctx')).toEqual({
      code: 1,
      stdout: usage('rename-context'),
      stderr: 'error: Unexpected args: [ctx]\n',
    });
    expect(await h.run('config', 'set-cluster')).toEqual({ code: 1, stdout: usage('set-cluster'), stderr: 'error: Unexpected args: []\n' });
    // set-credentials says it in lower case
    expect(await h.run('config', 'set-credentials', 'a', 'b')).toEqual({
      code: 1,
      stdout: usage('set-credentials'),
      stderr: 'error: unexpected args: [a b]\n',
    });
    // delete-context and delete-cluster print the help and succeed
    expect(await h.run('config', 'delete-context')).toEqual({ code: 0, stdout: usage('delete-context'), stderr: '' });
    expect(await h.run('config', 'delete-cluster', 'c1', 'c2')).toEqual({ code: 0, stdout: usage('delete-cluster'), stderr: '' });
    // nothing changed
    expect((await h.run('config', 'current-context')).stdout).toBe('ctx\n');
    expect((await h.run('config', 'get-clusters')).stdout).toBe('NAME\nc1\nc2\n');
  });

  it('rename-context follows the current context; delete-cluster and delete-user say which file', async () => {
    const h = await exampleConfig();
    expect((await h.run('config', 'rename-context', 'ctx', 'prod')).stdout).toBe('Context "ctx" renamed to "prod".\n');
    expect((await h.run('config', 'current-context')).stdout).toBe('prod\n');
    expect((await h.run('config', 'delete-cluster', 'c2')).stdout).toBe(`deleted cluster c2 from ${h.config}\n`);
    expect((await h.run('config', 'delete-user', 'u2')).stdout).toBe(`deleted user u2 from ${h.config}\n`);
    expect((await h.run('config', 'get-clusters')).stdout).toBe('NAME\nc1\n');
    expect((await h.run('config', 'get-users')).stdout).toBe('NAME\nu1\n');
  });
});

describe('config set and unset', () => {
  it('set walks a property path (map keys may hold dots) and unset removes it', async () => {
    const h = await exampleConfig();
    expect((await h.run('config', 'set', 'clusters.my.cl.server', 'https://x')).stdout).toBe('Property "clusters.my.cl.server" set.\n');
    expect((await h.run('config', 'set', 'users.u1.client-key-data', 'YWJj')).stdout).toBe('Property "users.u1.client-key-data" set.\n');
    expect((await h.run('config', 'set', 'preferences.colors', 'true')).code).toBe(0);
    expect((await h.run('config', 'unset', 'users.u2')).stdout).toBe('Property "users.u2" unset.\n');
    expect((await h.run('config', 'unset', 'current-context')).stdout).toBe('Property "current-context" unset.\n');
    const raw = (await h.run('config', 'view', '--raw')).stdout;
    expect(raw).toContain('- cluster:\n    server: https://x\n  name: my.cl\n');
    expect(raw).toContain('- name: u1\n  user:\n    client-key-data: YWJj\n    token: abc\n');
    expect(raw).toContain('current-context: ""\n');
    expect(raw).toContain('preferences:\n  colors: true\n');
    expect(raw).not.toContain('u2');
  });

  it("refuses paths and values as kubectl's reflection walk does", async () => {
    const h = await exampleConfig();
    const err = async (...args: string[]) => (await h.run('config', ...args)).stderr;
    expect(await err('set', 'bogus', 'x')).toBe('error: unable to parse bogus after [] at api.Config\n');
    expect(await err('set', 'clusters.c.bogus', 'x')).toBe("error: can't set a map to a value: map[c1 c2]\n");
    expect(await err('set', 'preferences.colors', 'maybe')).toBe('error: strconv.ParseBool: parsing "maybe": invalid syntax\n');
    expect(await err('set', 'users.u.client-key-data', 'abc')).toBe(
      'error: error decoding input value: illegal base64 data at input byte 0\n',
    );
    expect(await err('set', 'users.u.act-as-groups', 'x')).toBe('error: unrecognized slice type. string\n');
    expect(await err('set', 'users.u.exec.command', 'x')).toBe('error: unable to parse one or more field values of users.u.exec.command\n');
    expect(await err('set', 'current-context', '')).toBe('error: you cannot use set to unset a property\n');
    expect(await err('unset', 'contexts.zz.namespace')).toBe('error: current map key `zz` is invalid\n');
    // --set-raw-bytes stores the text itself
    await h.run('config', 'set', 'users.u1.client-key-data', 'abc', '--set-raw-bytes');
    expect((await h.run('config', 'view', '--raw')).stdout).toContain(`client-key-data: ${Buffer.from('abc').toString('base64')}\n`);
  });
});

describe('--kubeconfig, --cluster and --user', () => {
  it('--kubeconfig names the file every command reads; the API commands need it to exist', async () => {
    const h = configHome();
    const other = path.join(h.dir, 'other-config');
    expect((await h.run('config', 'set-context', 'x', '--kubeconfig', other)).stdout).toBe('Context "x" created.\n');
    expect(fs.existsSync(h.config)).toBe(false);
    expect((await h.run('config', 'get-contexts', '-o', 'name', '--kubeconfig', other)).stdout).toBe('x\n');
    // an explicit file is viewed alone: --merge is false unless given
    expect((await h.run('config', 'view', '--kubeconfig', other)).code).toBe(0);
    // the file the API commands load must exist (the config verbs create it)
    expect(await h.run('get', 'pods', '--kubeconfig', 'missing')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: stat missing: no such file or directory\n',
    });
  });

  it('--cluster picks the state file of a kubeconfig cluster; unknown clusters and users are refused', async () => {
    const h = configHome();
    await h.run('cluster', 'create', 'a', '--nodes', '1', '--clock', 'manual');
    await h.run('cluster', 'create', 'b', '--nodes', '2', '--clock', 'manual');
    expect((await h.run('get', 'nodes', '-o', 'name', '--cluster', 'a')).stdout).toBe('node/node-1\n');
    expect(await h.run('get', 'nodes', '--cluster', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no server found for cluster "nope"\n',
    });
    expect(await h.run('get', 'nodes', '--user', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: auth info "nope" does not exist\n',
    });
  });
});
