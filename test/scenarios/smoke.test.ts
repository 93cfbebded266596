import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('smoke', () => {
  it('a new cluster has three Ready nodes', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'nodes');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'NAME     STATUS   ROLES    AGE   VERSION\nnode-1   Ready    <none>   0s    v1.32.0\nnode-2   Ready    <none>   0s    v1.32.0\nnode-3   Ready    <none>   0s    v1.32.0\n',
    );
    expect(r.code).toBe(0);
  });
});
