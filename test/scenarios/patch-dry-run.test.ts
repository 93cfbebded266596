import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// patch.go's ToPrinter sets only the operation on its printer, no dry-run strategy: kubectl 1.32
// prints `configmap/web patched` for --dry-run=client and =server alike (label and annotate say `(dry run)`)
describe('patch --dry-run', () => {
  it('reports the patch without (dry run), and writes nothing', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'web', '--from-literal=a=1');
    for (const dryRun of ['client', 'server'])
      expect(await c.run('patch', 'cm', 'web', '-p', '{"data":{"q":"1"}}', `--dry-run=${dryRun}`)).toEqual({
        code: 0,
        stdout: 'configmap/web patched\n',
        stderr: '',
      });
    expect((await c.run('patch', 'cm', 'web', '-p', '{}', '--dry-run=client')).stdout).toBe('configmap/web patched (no change)\n');
    expect((await c.run('label', 'cm', 'web', 'a=b', '--dry-run=client')).stdout).toBe('configmap/web labeled (dry run)\n');
    expect((await c.run('get', 'cm', 'web', '-o', 'jsonpath={.data}')).stdout).toBe('{"a":"1"}');
  });
});
