import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const taintsOf = async (c: Awaited<ReturnType<typeof manualCluster>>, node: string) =>
  (await c.run('get', 'node', node, '-o', 'jsonpath={.spec.taints}')).stdout;

describe('kubesim taint', () => {
  it('--dry-run prints what it would do and changes nothing; -o prints the node with the new taints first', async () => {
    const c = await manualCluster();
    await c.run('taint', 'nodes', 'node-1', 'old=x:NoSchedule');
    expect(await c.run('taint', 'nodes', 'node-1', 'gpu=true:NoSchedule', '--dry-run=client')).toEqual({
      code: 0,
      stdout: 'node/node-1 tainted (dry run)\n',
      stderr: '',
    });
    expect(await taintsOf(c, 'node-1')).toBe('[{"effect":"NoSchedule","key":"old","value":"x"}]');
    const printed = await c.run('taint', 'nodes', 'node-1', 'gpu=true:NoSchedule', '-o', 'jsonpath={.spec.taints[*].key}');
    expect(printed).toEqual({ code: 0, stdout: 'gpu old', stderr: '' });
    expect((await c.run('taint', 'nodes', 'node-1', 'gpu:NoSchedule-', '-o', 'name')).stdout).toBe('node/node-1\n');
    expect(await taintsOf(c, 'node-1')).toBe('[{"effect":"NoSchedule","key":"old","value":"x"}]');
    expect((await c.run('taint', 'nodes', 'node-1', 'x=1:NoExecute', '--template', '{{.metadata.name}}')).stdout).toBe('node-1');
  });

  it('reports modified for an overwrite or an add with a removal, as reorganizeTaints names it', async () => {
    const c = await manualCluster();
    await c.run('taint', 'nodes', 'node-1', 'a=1:NoSchedule');
    expect((await c.run('taint', 'nodes', 'node-1', 'a=2:NoSchedule', '--overwrite')).stdout).toBe('node/node-1 modified\n');
    expect((await c.run('taint', 'nodes', 'node-1', 'b=1:NoSchedule', 'a-')).stdout).toBe('node/node-1 modified\n');
    expect((await c.run('taint', 'nodes', '--all', 'c=1:NoSchedule', '--field-manager=ops')).stdout).toBe(
      'node/node-1 tainted\nnode/node-2 tainted\nnode/node-3 tainted\n',
    );
  });

  it('refuses bad input before any write, with kubectl taint’s messages', async () => {
    const c = await manualCluster();
    const refusals: [string[], string][] = [
      [['nodes', 'node-1', 'a=1:NoSchedule', 'a-'], 'can not both modify and remove the following taint(s) in the same command: {"a":""}'],
      [['nodes', 'a=1:NoSchedule'], "at least one resource name must be specified since 'all' parameter is not set"],
      [['nodes', '--all', '-l', 'x=y', 'a=1:NoSchedule'], "setting 'all' parameter with a non empty selector is prohibited"],
      [['pods', 'web', 'a=1:NoSchedule'], 'invalid resource type pods, only node types are supported'],
      [['nodes', 'node-1', 'a=1:NoSchedule', 'a=2:NoSchedule'], 'duplicated taints with the same key and effect: {a 2 NoSchedule <nil>}'],
      [
        ['nodes', 'node-1', 'a=1:NoSchedule', '--validate=maybe'],
        'invalid - validate option "maybe"; must be one of: strict (or true), warn, ignore (or false)',
      ],
    ];
    for (const [args, message] of refusals)
      expect(await c.run('taint', ...args)).toEqual({ code: 1, stdout: '', stderr: `error: ${message}\n` });
    expect(await taintsOf(c, 'node-1')).toBe('');
  });
});
