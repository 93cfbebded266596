import { describe, expect, it } from 'vitest';
import { clusterWith } from '../support/cli';
import { asList, toJson, toYaml } from '../../src/printers/serialize';
import type { KObject } from '../../src/model/objects';

// block scalars, blank lines, a leading space, strings go-yaml quotes, an empty map: what an item's indentation could break
const MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  namespace: default
data:
  k: "x\\n\\ny\\n"
  j: " lead\\nz"
  keep: "x\\n\\n"
  q: "it's"
  num: "1234"
  e: ""
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: b
  namespace: kube-system
data:
  t: "a\\tb"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
`;

describe('get of lists with -o yaml|json|name|jsonpath|custom-columns, printed item by item', () => {
  it('prints what the whole List printed: each object as `get TYPE NAME -o json` reads it, in list order, kinds in request order', async () => {
    const c = await clusterWith(MANIFEST, (stderr) => expect(stderr).toBe(''));
    const names = await c.run('get', 'configmaps,deployments,pods', '-A', '-o', 'name');
    expect(names.code).toBe(0);
    const lines = names.stdout.trim().split('\n');
    // every object of those kinds (the cluster's own configmaps too), configmaps first
    expect(lines.filter((l) => l.startsWith('pod/'))).toHaveLength(2);
    expect(lines.indexOf('configmap/a')).toBeLessThan(lines.indexOf('deployment.apps/web'));
    const all = await c.run('get', 'configmaps,deployments,pods', '-A', '-o', 'json');
    const namespaces = (JSON.parse(all.stdout) as { items: KObject[] }).items.map((o) => o.metadata.namespace!);
    // each object read alone (one name: printed bare, not through the List printer)
    const objects: KObject[] = [];
    for (const [i, line] of lines.entries()) {
      const one = await c.run('get', line, '-n', namespaces[i], '-o', 'json');
      objects.push(JSON.parse(one.stdout) as KObject);
    }
    expect(all.stdout).toBe(toJson(asList(objects)));
    const yaml = await c.run('get', 'configmaps,deployments,pods', '-A', '-o', 'yaml');
    expect([yaml.stdout, yaml.stderr, yaml.code]).toEqual([toYaml(asList(objects)), '', 0]);
    expect(yaml.stdout).toContain(
      '\n- apiVersion: v1\n  data:\n    e: ""\n    j: |2-\n       lead\n      z\n    k: |\n      x\n\n      y\n',
    );
    // --sort-by holds the List to sort it, then writes it the same way
    const sorted = await c.run('get', 'configmaps', '-A', '--sort-by=.metadata.name', '-o', 'yaml');
    const configMaps = objects.filter((o) => o.kind === 'ConfigMap');
    expect(sorted.stdout).toBe(toYaml(asList(configMaps.sort((x, y) => (x.metadata.name < y.metadata.name ? -1 : 1)))));
    expect(sorted.stdout).not.toBe(toYaml(asList(objects.filter((o) => o.kind === 'ConfigMap'))));
    const jsonPath = await c.run('get', 'configmaps,pods', '-A', '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name} {end}');
    expect(jsonPath.stdout).toBe(
      objects
        .filter((o) => o.kind !== 'Deployment')
        .map((o) => `${o.kind}/${o.metadata.name} `)
        .join(''),
    );
    const columns = await c.run('get', 'pods', '-A', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image');
    const pods = objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name);
    expect(columns.stdout).toBe(`NAME${' '.repeat(pods[0].length - 1)}IMAGE\n${pods.map((p) => `${p}   nginx\n`).join('')}`);
  });

  it('prints an empty List (and nothing for -o name) when nothing matches, with no "No resources found"', async () => {
    const c = await clusterWith(MANIFEST, (stderr) => expect(stderr).toBe(''));
    const yaml = await c.run('get', 'pods', '-l', 'app=none', '-o', 'yaml');
    expect([yaml.stdout, yaml.stderr, yaml.code]).toEqual([
      'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
      '',
      0,
    ]);
    const json = await c.run('get', 'pods,configmaps', '-n', 'nowhere', '-o', 'json');
    expect(json.stdout).toBe(toJson(asList([])));
    const name = await c.run('get', 'pods', '-n', 'nowhere', '-o', 'name');
    expect([name.stdout, name.stderr, name.code]).toEqual(['', '', 0]);
  });

  it('selects as before: -l and --field-selector filter the streamed items', async () => {
    const c = await clusterWith(MANIFEST, (stderr) => expect(stderr).toBe(''));
    const pods = await c.run('get', 'pods', '-l', 'app=web', '--field-selector', 'metadata.namespace=default', '-o', 'name');
    expect(pods.stdout.trim().split('\n')).toHaveLength(2);
    const none = await c.run('get', 'configmaps', '-A', '--field-selector', 'metadata.name=b', '-o', 'yaml');
    expect(none.stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n {2}data:\n {4}t: "a\\tb"\n[\s\S]*\n {4}name: b\n/);
    expect((none.stdout.match(/^- /gm) ?? []).length).toBe(1);
  });
});
