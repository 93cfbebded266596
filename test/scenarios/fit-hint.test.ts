import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const hintOf = (describeOut: string) => /^Scheduling Hint:\s+(.*)$/m.exec(describeOut)?.[1];

describe('describe pod: the scheduling hint of a Pending pod', () => {
  it('names the cheapest single change, checked by a scheduling cycle with the change in place', async () => {
    const c = await manualCluster(['--nodes', '3']);
    await c.run('taint', 'nodes', 'node-1', 'node-2', 'node-3', 'dedicated=gpu:NoSchedule');
    await c.run('run', 'p', '--image=nginx', '--restart=Never');
    const out = (await c.run('describe', 'pod', 'p')).stdout;
    // kubectl's fields, then kubesim's line before the events
    expect(out).toContain(
      [
        'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
        '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
        'Scheduling Hint:             would fit on node-1 if it tolerated dedicated=gpu:NoSchedule',
        'Events:',
      ].join('\n'),
    );
    // uncordoning is cheaper than a toleration
    await c.run('taint', 'nodes', 'node-3', 'dedicated-');
    await c.run('delete', 'pod', 'p');
    await c.run('cordon', 'node-3');
    await c.run('run', 'p', '--image=nginx', '--restart=Never');
    expect(hintOf((await c.run('describe', 'pod', 'p')).stdout)).toBe('would fit on node-3 if node-3 were uncordoned');
  });

  it('says nothing when every node needs two changes, or the pod is bound', async () => {
    const c = await manualCluster(['--nodes', '2']);
    await c.run('taint', 'nodes', 'node-1', 'node-2', 'dedicated=gpu:NoSchedule');
    await c.run('cordon', 'node-1', 'node-2');
    await c.run('run', 'p', '--image=nginx', '--restart=Never');
    const pending = (await c.run('describe', 'pod', 'p')).stdout;
    expect(pending).toContain('Status:           Pending');
    expect(hintOf(pending)).toBeUndefined();
    await c.run('uncordon', 'node-1', 'node-2');
    await c.run('taint', 'nodes', 'node-1', 'node-2', 'dedicated-');
    expect((await c.run('get', 'pod', 'p', '-o', 'jsonpath={.spec.nodeName}')).stdout).not.toBe('');
    expect(hintOf((await c.run('describe', 'pod', 'p')).stdout)).toBeUndefined();
  });

  it('smaller requests, cut to what the node has free; a label the nodeSelector asks for', async () => {
    const c = await manualCluster(['--nodes', '2', '--cpu', '4', '--memory', '16Gi']);
    await c.run('taint', 'nodes', 'node-1', 'dedicated=gpu:NoSchedule');
    const big = '{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"6","memory":"20Gi"}}}]}}';
    await c.run('run', 'big', '--image=nginx', '--restart=Never', `--overrides=${big}`);
    // node-1 would need a toleration too: only node-2 is named
    expect(hintOf((await c.run('describe', 'pod', 'big')).stdout)).toBe(
      'would fit on node-2 if it requested at most 4 cpu and 16Gi memory',
    );
    await c.run(
      'run',
      'half',
      '--image=nginx',
      '--restart=Never',
      '--overrides={"spec":{"containers":[{"name":"half","image":"nginx","resources":{"requests":{"cpu":"1500m"}}}]}}',
    );
    expect(hintOf((await c.run('describe', 'pod', 'big')).stdout)).toBe(
      'would fit on node-2 if it requested at most 2500m cpu and 16Gi memory',
    );
    await c.run('run', 'sel', '--image=nginx', '--restart=Never', '--overrides={"spec":{"nodeSelector":{"disktype":"ssd"}}}');
    expect(hintOf((await c.run('describe', 'pod', 'sel')).stdout)).toBe('would fit on node-2 if node-2 had the label disktype=ssd');
  });
});
