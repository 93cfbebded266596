import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

function configMap(name: string, bytes: number): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: 'x'.repeat(bytes) } });
}

describe('the limits the API server puts on sizes', () => {
  it('annotations hold at most 256 KiB: client-side apply of a big object fails on its last-applied copy, create works', async () => {
    const c = await manualCluster();
    c.file('big.json', configMap('big', 300 * 1024));
    expect(await c.run('apply', '-f', 'big.json')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The ConfigMap "big" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n',
    });
    expect(await c.run('create', '-f', 'big.json')).toEqual({ code: 0, stdout: 'configmap/big created\n', stderr: '' });
    // just under the limit, keys and values counted together
    const annotations = { 'a/b': 'x'.repeat(262144 - 3) };
    c.file('fits.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fits', annotations } }));
    expect((await c.run('create', '-f', 'fits.json')).code).toBe(0);
    annotations['a/b'] += 'x';
    c.file('over.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'over', annotations } }));
    expect((await c.run('create', '-f', 'over.json')).stderr).toBe(
      'The ConfigMap "over" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n',
    );
  });

  it('a request body over 3 MiB is refused before anything else', async () => {
    const c = await manualCluster();
    c.file('huge.json', configMap('huge', 3 * 1024 * 1024));
    expect(await c.run('create', '-f', 'huge.json')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (RequestEntityTooLarge): error when creating "huge.json": Request entity too large: limit is 3145728\n',
    });
  });

  it('names: at most 253 characters for most kinds, 63 for the DNS-label ones (namespaces)', async () => {
    const c = await manualCluster();
    const long = 'a'.repeat(254);
    c.file('long.json', configMap(long, 1));
    expect((await c.run('create', '-f', 'long.json')).stderr).toBe(
      `The ConfigMap "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 253 characters\n`,
    );
    c.file('max.json', configMap('a'.repeat(253), 1));
    expect((await c.run('create', '-f', 'max.json')).code).toBe(0);
    const ns = 'n'.repeat(64);
    expect((await c.run('create', 'namespace', ns)).stderr).toContain(
      `metadata.name: Invalid value: "${ns}": must be no more than 63 characters`,
    );
    expect((await c.run('create', 'namespace', 'a.b')).stderr).toContain('metadata.name: Invalid value: "a.b": must not contain dots');
  });
});
