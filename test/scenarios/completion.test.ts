/**
 * `kubesim completion SHELL` and the hidden `kubesim __complete WORD…` its scripts call: cobra's
 * protocol (candidates one a line, `value<TAB>description`, then `:directive`), answered from the
 * command tree, the resource registry, the config's contexts and the state file. The messages of
 * `completion` are kubectl v1.32's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { kubesim, manualCluster, tempCluster } from '../support/cli';

/** The candidates of `__complete WORDS…` (descriptions dropped) and the directive. */
async function complete(state: string, words: string[], env: Record<string, string> = {}) {
  const r = await kubesim(state, ['__complete', ...words], { env });
  const lines = r.stdout.trimEnd().split('\n');
  return { candidates: lines.slice(0, -1).map((l) => l.split('\t')[0]), directive: lines[lines.length - 1], raw: r };
}

async function clusterWithPods() {
  const c = await manualCluster();
  for (const name of ['web', 'worker']) await c.run('run', name, '--image=nginx');
  await c.run('create', 'namespace', 'team-a');
  await c.run('run', 'batch', '--image=busybox', '-n', 'team-a');
  await c.run('create', 'deployment', 'api', '--image=nginx', '--replicas=0');
  return c;
}

describe('kubesim completion', () => {
  it("refuses a missing, unknown or second shell with kubectl's messages", async () => {
    const c = await manualCluster();
    const usage = "See 'kubesim completion -h' for help and examples\n";
    expect(await c.run('completion')).toEqual({ code: 1, stdout: '', stderr: `error: Shell not specified.\n${usage}` });
    expect(await c.run('completion', 'foo')).toEqual({ code: 1, stdout: '', stderr: `error: Unsupported shell type "foo".\n${usage}` });
    expect(await c.run('completion', 'bash', 'zsh')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: Too many arguments. Expected only the shell type.\n${usage}`,
    });
  });

  it('prints a script for each shell that asks kubesim __complete', async () => {
    const c = await manualCluster();
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await c.run('completion', shell);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('__complete');
    }
  });
});

describe('kubesim __complete', () => {
  it('offers verbs with their descriptions, then subcommands, filtered by what is typed', async () => {
    const c = await manualCluster();
    const verbs = await kubesim(c.state, ['__complete', '']);
    expect(verbs.stdout).toContain('get\tDisplay one or many resources\n');
    expect(verbs.stdout).toContain('completion\tOutput shell completion code for the specified shell (bash, zsh, fish, or powershell)\n');
    expect(verbs.stdout.endsWith('\n:4\n')).toBe(true);
    expect(verbs.stderr).toBe('Completion ended with directive: ShellCompDirectiveNoFileComp\n');
    expect(await complete(c.state, ['ro'])).toMatchObject({ candidates: ['rollout'], directive: ':4' });
    expect((await complete(c.state, ['rollout', ''])).candidates).toEqual(['history', 'pause', 'restart', 'resume', 'status', 'undo']);
    expect((await complete(c.state, ['completion', ''])).candidates).toEqual(['bash', 'zsh', 'fish', 'powershell']);
  });

  it('offers resource types, then the names of that type in the namespace, TYPE/NAME and narrowed types', async () => {
    const c = await clusterWithPods();
    const types = (await complete(c.state, ['get', ''])).candidates;
    expect(types).toEqual(expect.arrayContaining(['pods', 'deployments', 'services', 'nodes', 'namespaces']));
    expect((await complete(c.state, ['get', 'pods', ''])).candidates).toEqual(['web', 'worker']);
    expect((await complete(c.state, ['describe', 'po', 'wo'])).candidates).toEqual(['worker']);
    // a name already given is not offered again
    expect((await complete(c.state, ['delete', 'pods', 'web', ''])).candidates).toEqual(['worker']);
    expect((await complete(c.state, ['get', 'pods', '-n', 'team-a', ''])).candidates).toEqual(['batch']);
    expect((await complete(c.state, ['get', '--namespace=team-a', 'pods', ''])).candidates).toEqual(['batch']);
    expect((await complete(c.state, ['get', '-A', 'pods', ''])).candidates).toEqual(['batch', 'web', 'worker']);
    expect((await complete(c.state, ['get', 'pods/w'])).candidates).toEqual(['pods/web', 'pods/worker']);
    expect((await complete(c.state, ['rollout', 'status', ''])).candidates).toEqual(['deployment', 'daemonset', 'statefulset']);
    expect((await complete(c.state, ['rollout', 'status', 'deployment', ''])).candidates).toEqual(['api']);
    expect((await complete(c.state, ['cordon', ''])).candidates).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('offers the flags of the verb and the global ones after a dash, leaving out those given', async () => {
    const c = await manualCluster();
    const flags = await complete(c.state, ['get', '-']);
    expect(flags.directive).toBe(':4');
    expect(flags.candidates).toEqual(
      expect.arrayContaining(['--output', '-o', '--selector', '-l', '--namespace', '-n', '--context', '--help', '-h']),
    );
    expect(flags.candidates).not.toContain('--image');
    // --all-namespaces is given (as -A): what is left of --all… is kubectl get's --allow-missing-template-keys
    expect((await complete(c.state, ['get', '-A', '--all'])).candidates).toEqual(['--allow-missing-template-keys']);
    // the description is the flag's usage, kubectl's own text (the shared selector flag)
    expect((await kubesim(c.state, ['__complete', 'get', '--sel'])).stdout).toBe(
      "--selector\tSelector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.\n:4\n",
    );
  });

  it('offers values for -n, -o, --context and -f', async () => {
    const c = await clusterWithPods();
    expect((await complete(c.state, ['get', '-n', ''])).candidates).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
      'team-a',
    ]);
    expect((await complete(c.state, ['get', '-n=te'])).candidates).toEqual(['team-a']);
    expect((await complete(c.state, ['get', 'pods', '-o', ''])).candidates).toEqual(
      expect.arrayContaining(['json', 'yaml', 'name', 'wide', 'jsonpath']),
    );
    expect((await complete(c.state, ['get', 'pods', '--output=ya'])).candidates).toEqual(['yaml']);
    expect(await complete(c.state, ['apply', '-f', ''])).toMatchObject({ candidates: ['json', 'yaml', 'yml'], directive: ':8' });

    const home = tempCluster().dir;
    expect((await kubesim(c.state, ['cluster', 'create', 'prod', '--clock', 'manual'], { env: { HOME: home } })).code).toBe(0);
    await kubesim(c.state, ['--context', 'prod', 'run', 'edge', '--image=nginx'], { env: { HOME: home } });
    expect((await complete(c.state, ['--context', ''], { HOME: home })).candidates).toEqual(['prod']);
    // the names come from the cluster the context points at
    expect((await complete(c.state, ['--context', 'prod', 'get', 'pods', ''], { HOME: home })).candidates).toEqual(['edge']);
  });

  it('reads the state file without creating or changing it', async () => {
    const t = tempCluster();
    expect(await complete(t.state, ['get', 'pods', ''])).toMatchObject({ candidates: [], directive: ':4' });
    expect(fs.existsSync(t.state)).toBe(false);
  });
});

/** A directory with a `kubesim` on PATH that runs this checkout's bin/kubesim (dist is built by the global setup). */
function kubesimOnPath(): string {
  const dir = tempCluster().dir;
  const bin = path.resolve(__dirname, '../../bin/kubesim');
  fs.writeFileSync(path.join(dir, 'kubesim'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`, { mode: 0o755 });
  return dir;
}

const hasShell = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;

describe('the completion scripts in a real shell', () => {
  it('bash: the completion function fills COMPREPLY from kubesim __complete, = and : words joined back', async () => {
    const c = await clusterWithPods();
    const script = (await c.run('completion', 'bash')).stdout;
    const scriptFile = c.file('kubesim.bash', script);
    const probe = [
      `source ${scriptFile}`,
      // what bash sets for a completion: the words split at COMP_WORDBREAKS, the index of the current one
      'comp() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); __kubesim_complete; echo "${COMPREPLY[*]}"; }',
      'comp kubesim ro',
      "comp kubesim get pods ''",
      'comp kubesim get pods/w',
      "comp kubesim get -n ''",
      'comp kubesim get --output = ya',
      'comp kubesim get -n = team-a pods b',
      'comp kubesim get --sel',
      'complete -p kubesim',
    ].join('\n');
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${kubesimOnPath()}:${process.env.PATH}`, KUBESIM_STATE: c.state },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      'rollout',
      'web worker',
      'pods/web pods/worker',
      'default kube-node-lease kube-public kube-system team-a',
      'yaml',
      'batch',
      '--selector',
      'complete -F __kubesim_complete kubesim',
      '',
    ]);
  });

  it.skipIf(!hasShell('fish'))('fish: complete -C lists the candidates, --flag= values with their flag', async () => {
    const c = await clusterWithPods();
    const scriptFile = c.file('kubesim.fish', (await c.run('completion', 'fish')).stdout);
    const probe = `source ${scriptFile}; complete -C 'kubesim get pods '; complete -C 'kubesim get --output=ya'; complete -C 'kubesim ro'`;
    const r = spawnSync('fish', ['--no-config', '-c', probe], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${kubesimOnPath()}:${process.env.PATH}`, KUBESIM_STATE: c.state },
    });
    expect(r.stdout).toBe('web\nworker\n--output=yaml\nrollout\tManage the rollout of one or many resources\n');
  });
});
