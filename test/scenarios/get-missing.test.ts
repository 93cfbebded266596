import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

describe('get of one missing object with structured output', () => {
  it('prints only the NotFound error, as kubectl does for a single item implied (get.go printGeneric); two names print an empty List', async () => {
    const c = await manualCluster();
    for (const output of ['yaml', 'json', 'name', 'jsonpath={.metadata.name}']) {
      const r = await c.run('get', 'pod', 'nope', '-o', output);
      expect([r.stdout, r.stderr, r.code]).toEqual(['', 'Error from server (NotFound): pods "nope" not found\n', 1]);
    }
    const two = await c.run('get', 'pod', 'nope', 'other', '-o', 'yaml');
    expect(two.stdout).toBe('apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(two.code).toBe(1);
  });
});
