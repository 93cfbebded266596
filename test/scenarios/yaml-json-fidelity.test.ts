import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

// expected texts from kubectl v1.32 on the same input (create configmap … --dry-run=client -o yaml|json)
describe('-o yaml and -o json as kubectl writes them', () => {
  it('folds a long value past column 80, sorts keys as go-yaml and escapes <>& in JSON', async () => {
    const c = await manualCluster();
    const args = ['create', 'configmap', 'x', `--from-literal=long=${words(40)}`, '--from-literal=a10=x', '--from-literal=a9=y'];
    args.push('--from-literal=cmd=test -f /tmp/a && echo "<ok>"');
    const yaml = await c.run(...args, '--dry-run=client', '-o', 'yaml');
    expect(yaml.stdout).toBe(
      [
        'apiVersion: v1',
        'data:',
        '  a9: "y"',
        '  a10: x',
        '  cmd: test -f /tmp/a && echo "<ok>"',
        '  long: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11',
        '    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23',
        '    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35',
        '    word36 word37 word38 word39',
        'kind: ConfigMap',
        'metadata:',
        '  creationTimestamp: null',
        '  name: x',
        '',
      ].join('\n'),
    );
    await c.run(...args);
    const json = await c.run('get', 'configmap', 'x', '-o', 'json');
    expect(json.stdout).toContain('"cmd": "test -f /tmp/a \\u0026\\u0026 echo \\"\\u003cok\\u003e\\"",\n');
  });
});

describe('get --sort-by reads each object for its key, then again in order', () => {
  it('prints the same order in every output, ties in kubectl order, several kinds in turn', async () => {
    const c = await manualCluster(['--nodes', '2']);
    const cm = (name: string, rank: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: {rank: "${rank}"}\n`;
    c.file('m.yaml', [cm('a', '2'), cm('b', '1'), cm('c', '3'), cm('d', '1')].join('---\n'));
    await c.run('apply', '-f', 'm.yaml');
    const name = await c.run('get', 'configmaps', '--sort-by=.metadata.labels.rank', '-o', 'name');
    // kube-root-ca.crt has no rank: kubectl's Less puts it first
    expect(name.stdout).toBe('configmap/kube-root-ca.crt\nconfigmap/b\nconfigmap/d\nconfigmap/a\nconfigmap/c\n');
    const yaml = await c.run('get', 'configmaps', '--sort-by=.metadata.labels.rank', '-o', 'yaml');
    expect(yaml.stdout.match(/(?<=^ {4}name: ).*$/gm)).toEqual(['kube-root-ca.crt', 'b', 'd', 'a', 'c']);
    const table = await c.run('get', 'configmaps,nodes', '--sort-by=.metadata.name', '--no-headers');
    expect(table.stdout.split('\n').map((l) => l.split(/\s+/)[0])).toEqual([
      'configmap/a',
      'configmap/b',
      'configmap/c',
      'configmap/d',
      'configmap/kube-root-ca.crt',
      '',
      'node/node-1',
      'node/node-2',
      '',
    ]);
    // a path no object has: the table says nothing is found, -o name is an error
    expect((await c.run('get', 'configmaps', '--sort-by=.nope')).stderr).toBe('No resources found in default namespace.\n');
    const bad = await c.run('get', 'configmaps', '--sort-by=.nope', '-o', 'name');
    expect([bad.code, bad.stderr]).toEqual([1, 'error: couldn\'t find any field with path "{.nope}" in the list of objects\n']);
  });
});
