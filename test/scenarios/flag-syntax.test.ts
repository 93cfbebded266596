/**
 * The command line read as kubectl's parser (cobra + pflag) reads it, and kubectl's answers to
 * unknown commands. Every expected literal here is what kubectl v1.32.5 printed offline for the
 * same arguments (`--dry-run=client` generators, flag errors, unknown commands), with kubesim
 * in place of kubectl.
 */
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const CONFIGMAP_YAML = 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: x\n';

describe('flag syntax', () => {
  it('reads a value after =, in the same word or in the next word, for shorthands and long flags alike', async () => {
    const c = await manualCluster();
    for (const output of [['-o=yaml'], ['-oyaml'], ['-o', 'yaml'], ['--output=yaml'], ['--output', 'yaml']]) {
      expect(await c.run('create', 'configmap', 'x', '--from-literal=a=b', '--dry-run=client', ...output)).toEqual({
        code: 0,
        stdout: CONFIGMAP_YAML,
        stderr: '',
      });
    }
    const r = await c.run(
      'create',
      'deployment',
      'web',
      '--image=a,b',
      '--image',
      'c',
      '-r=3',
      '--dry-run=client',
      '-o=jsonpath={.spec.replicas} {.spec.template.spec.containers[*].image}',
    );
    expect(r).toEqual({ code: 0, stdout: '3 a b c', stderr: '' });
    // a value may start with a dash when it follows its flag
    expect(
      (await c.run('create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o=jsonpath={.spec.replicas}', '--replicas', '-1'))
        .stdout,
    ).toBe('-1');
  });

  it('keeps everything after the first = of -o=custom-columns=… and -p=…', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'ns', 'default', '-o=custom-columns=NAME:.metadata.name,PHASE:.status.phase')).stdout).toBe(
      'NAME      PHASE\ndefault   Active\n',
    );
    await c.run('create', 'deployment', 'web', '--image=nginx');
    expect(await c.run('patch', 'deployment', 'web', '-p={"spec":{"replicas":3}}')).toMatchObject({
      code: 0,
      stdout: 'deployment.apps/web patched\n',
    });
    expect(await c.run('set', 'resources', 'deployment', 'web', '-c=nginx', '--limits=cpu=200m')).toMatchObject({ code: 0 });
    expect(
      (await c.run('get', 'deploy', 'web', '-ojsonpath={.spec.replicas} {.spec.template.spec.containers[0].resources.limits.cpu}')).stdout,
    ).toBe('3 200m');
  });

  it('takes -nNAME, combined boolean shorthands, and flags before or after the arguments', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'team');
    await c.run('create', 'configmap', 'settings', '-nteam');
    expect((await c.run('get', '-nteam', 'configmaps', 'settings', '-oname')).stdout).toBe('configmap/settings\n');
    expect((await c.run('-n', 'team', 'get', 'cm', '-o', 'name', 'settings')).stdout).toBe('configmap/settings\n');
    // -A is a bool, so -Ao takes o's value from the next word, and -Aoname from the same one
    expect((await c.run('get', 'cm', '-Ao', 'name', '--field-selector=metadata.name=settings')).stdout).toBe('configmap/settings\n');
    expect((await c.run('get', 'cm', '-Aoname', '--field-selector=metadata.name=settings')).stdout).toBe('configmap/settings\n');
  });

  it('repeats flags and keeps the commas of --from-literal', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'create',
      'configmap',
      'x',
      '--dry-run=client',
      '-o',
      'name',
      '--from-literal=a=1,b=2',
      '--from-literal',
      'c=3',
      '-o=yaml',
    );
    expect(r.stdout).toBe(
      'apiVersion: v1\ndata:\n  a: 1,b=2\n  c: "3"\nkind: ConfigMap\nmetadata:\n  creationTimestamp: null\n  name: x\n',
    );
  });

  it('ends the flags at --: what follows is the container command, dashes and all', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'create',
      'job',
      'j',
      '--image=busybox',
      '--dry-run=client',
      '-ojsonpath={.spec.template.spec.containers[0].command}',
      '--',
      'sh',
      '-c',
      'echo -n hi',
    );
    expect(r).toEqual({ code: 0, stdout: '["sh","-c","echo -n hi"]', stderr: '' });
  });

  it('reads a bool value only after = (--no-headers=false prints the headers; --dry-run client is a second NAME)', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'ns', 'default', '--no-headers=false', '-o', 'custom-columns=NAME:.metadata.name')).stdout).toBe(
      'NAME\ndefault\n',
    );
    expect((await c.run('get', 'ns', 'default', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name')).stdout).toBe('default\n');
    expect(await c.run('create', 'deployment', 'x', '--image=nginx', '--dry-run', 'client', '-oyaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: exactly one NAME is required, got 2\nSee 'kubesim create deployment -h' for help and examples\n",
    });
  });

  it("refuses bad flags with pflag's messages and kubectl's usage line, before anything runs", async () => {
    const c = await manualCluster();
    const cases: Array<[string[], string]> = [
      [['get', 'pods', '--foo'], "error: unknown flag: --foo\nSee 'kubesim get --help' for usage.\n"],
      [['get', 'pods', '-x'], "error: unknown shorthand flag: 'x' in -x\nSee 'kubesim get --help' for usage.\n"],
      [['get', 'pods', '-o'], "error: flag needs an argument: 'o' in -o\nSee 'kubesim get --help' for usage.\n"],
      [['get', 'pods', '-Ao'], "error: flag needs an argument: 'o' in -o\nSee 'kubesim get --help' for usage.\n"],
      [['get', 'pods', '--output'], "error: flag needs an argument: --output\nSee 'kubesim get --help' for usage.\n"],
      [['get', 'pods', '---foo'], "error: bad flag syntax: ---foo\nSee 'kubesim get --help' for usage.\n"],
      [['-n'], "error: flag needs an argument: 'n' in -n\nSee 'kubesim --help' for usage.\n"],
      // kubectl blames a plugin name here ("flags cannot be placed before plugin name"); kubesim has no plugins
      [['--foo', 'get', 'pods'], "error: unknown flag: --foo\nSee 'kubesim --help' for usage.\n"],
      [
        ['get', 'pods', '--watch=maybe'],
        'error: invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee \'kubesim get --help\' for usage.\n',
      ],
      [
        ['create', 'deployment', 'x', '--image=nginx', '--dry-run=client', '-o', 'yaml', '--replicas=x'],
        'error: invalid argument "x" for "-r, --replicas" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kubesim create deployment --help\' for usage.\n',
      ],
      [
        ['scale', 'deploy/x', '--replicas=abc'],
        'error: invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax\nSee \'kubesim scale --help\' for usage.\n',
      ],
      [
        ['rollout', 'status', 'deploy/x', '--timeout=soon'],
        'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\nSee \'kubesim rollout status --help\' for usage.\n',
      ],
    ];
    for (const [args, stderr] of cases) expect(await c.run(...args), args.join(' ')).toEqual({ code: 1, stdout: '', stderr });
  });

  it('prints the help of the command -h follows, wherever it is', async () => {
    const c = await manualCluster();
    const r = await c.run('rollout', 'status', 'deploy/x', '-h');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kubesim rollout status /);
  });
});

describe('unknown commands', () => {
  it('suggests the nearest verbs as kubectl does', async () => {
    const c = await manualCluster();
    expect(await c.run('rollot')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown command "rollot" for "kubesim"\n\nDid you mean this?\n\trollout\n',
    });
    expect((await c.run('crate')).stderr).toBe('error: unknown command "crate" for "kubesim"\n\nDid you mean this?\n\tcreate\n');
    // kubesim's own dns is within distance 2 of desc too; the order is the order verbs were added
    expect((await c.run('desc')).stderr).toBe('error: unknown command "desc" for "kubesim"\n\nDid you mean this?\n\tdescribe\n\tdns\n');
    expect((await c.run('zzzzzz')).stderr).toBe('error: unknown command "zzzzzz" for "kubesim"\n');
  });

  it('refuses an unknown subcommand of a group as kubectl does (no suggestions there)', async () => {
    const c = await manualCluster();
    expect(await c.run('rollout', 'stats', 'x')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: unknown command "stats x"\nSee \'kubesim rollout -h\' for help and examples\n',
    });
    expect((await c.run('config', 'get-contxt')).stderr).toBe(
      'error: unknown command "get-contxt"\nSee \'kubesim config -h\' for help and examples\n',
    );
    // create runs by itself (create -f), so the words are unexpected arguments
    expect(await c.run('create', 'deploymnt', 'x')).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: Unexpected args: [deploymnt x]\nSee 'kubesim create -h' for help and examples\n",
    });
  });

  it('prints the help of a group named alone on stderr and fails; kubesim alone prints its help and succeeds', async () => {
    const c = await manualCluster();
    const group = await c.run('rollout');
    expect(group.code).toBe(1);
    expect(group.stdout).toBe('');
    expect(group.stderr).toMatch(/^Usage: kubesim rollout /);
    const root = await c.run();
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^Usage: kubesim /);
  });

  it('answers help COMMAND, and an unknown topic with the root usage', async () => {
    const c = await manualCluster();
    const r = await c.run('help', 'rollout', 'status');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: kubesim rollout status /);
    const unknown = await c.run('help', 'rollot');
    expect(unknown.code).toBe(0);
    expect(unknown.stderr).toMatch(/^Unknown help topic \[`rollot`\]\nUsage: kubesim /);
  });
});
