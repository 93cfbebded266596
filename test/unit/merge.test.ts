import { describe, it, expect } from 'vitest';
import { deepEqual, jsonMergePatch, jsonPatch, strategicMergePatch, threeWayMerge } from '../../src/api/merge';
import { ApiError, CliError } from '../../src/util/errors';

/** A deep-frozen copy, so any mutation of an input throws in strict mode. */
function frozen<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (v && typeof v === 'object') {
      Object.freeze(v);
      for (const child of Object.values(v)) freeze(child);
    }
  };
  freeze(copy);
  return copy;
}

function deployment(overrides: { labels?: Record<string, string>; spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...(overrides.labels ? { labels: overrides.labels } : {}) },
    spec: overrides.spec ?? { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
    ...(overrides.status ? { status: overrides.status } : {}),
  };
}

function podSpec(containers: unknown[]) {
  return { template: { spec: { containers } } };
}

describe('deepEqual', () => {
  const cases: Array<[string, unknown, unknown, boolean]> = [
    ['maps with the same entries in another order are equal', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['lists in another order differ', [1, 2], [2, 1], false],
    ['a key holding undefined counts as absent', { a: 1, b: undefined }, { a: 1 }, true],
    ['a missing key differs from a null one', { a: null }, {}, false],
    ['a list differs from a map', [], {}, false],
    ['numbers and their strings differ', 1, '1', false],
    ['nested values are compared', { a: { b: 1 } }, { a: { b: 2 } }, false],
    ['null equals null', null, null, true],
  ];
  it.each(cases)('%s', (_name, a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
  });
});

describe('jsonMergePatch', () => {
  const cases: Array<[string, unknown, unknown, unknown]> = [
    ['a null deletes a key', { a: 1, b: 2 }, { b: null }, { a: 1 }],
    ['objects merge recursively', { a: { b: 1, c: 2 } }, { a: { c: 3, d: 4 } }, { a: { b: 1, c: 3, d: 4 } }],
    ['a list is replaced, not merged', { a: [1, 2, 3] }, { a: [4] }, { a: [4] }],
    ['a scalar replaces an object', { a: { b: 1 } }, { a: 'x' }, { a: 'x' }],
    ['an object replaces a scalar, dropping its nulls', { a: 'x' }, { a: { b: 1, c: null } }, { a: { b: 1 } }],
    ['a non-object patch replaces the whole target', { a: 1 }, ['x'], ['x']],
    ['deleting a missing key changes nothing', { a: 1 }, { z: null }, { a: 1 }],
    ['an empty patch changes nothing', { a: 1 }, {}, { a: 1 }],
  ];
  it.each(cases)('%s', (_name, target, patch, expected) => {
    expect(jsonMergePatch(target, patch)).toEqual(expected);
  });

  it('does not mutate its inputs or share structure with them', () => {
    const target = frozen({ spec: { replicas: 1, selector: { app: 'web' } } });
    const patch = frozen({ spec: { replicas: 3, extra: { deep: true } } });
    const result = jsonMergePatch(target, patch) as { spec: { selector: Record<string, string>; extra: { deep: boolean } } };
    result.spec.selector.app = 'changed';
    result.spec.extra.deep = false;
    expect(target.spec.selector.app).toBe('web');
    expect(patch.spec.extra.deep).toBe(true);
  });
});

describe('jsonPatch', () => {
  const doc = {
    metadata: { labels: { app: 'web', 'a/b': 'slash', 'c~d': 'tilde' } },
    spec: { replicas: 1, containers: [{ name: 'a' }, { name: 'b' }] },
  };

  const cases: Array<[string, unknown[], unknown]> = [
    ['add sets a new member', [{ op: 'add', path: '/spec/paused', value: true }], { ...doc, spec: { ...doc.spec, paused: true } }],
    [
      'add with - appends to a list',
      [{ op: 'add', path: '/spec/containers/-', value: { name: 'c' } }],
      { ...doc, spec: { ...doc.spec, containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } },
    ],
    [
      'add with an index inserts into a list',
      [{ op: 'add', path: '/spec/containers/0', value: { name: 'z' } }],
      { ...doc, spec: { ...doc.spec, containers: [{ name: 'z' }, { name: 'a' }, { name: 'b' }] } },
    ],
    [
      'remove deletes a list item',
      [{ op: 'remove', path: '/spec/containers/0' }],
      { ...doc, spec: { ...doc.spec, containers: [{ name: 'b' }] } },
    ],
    ['replace swaps a value', [{ op: 'replace', path: '/spec/replicas', value: 5 }], { ...doc, spec: { ...doc.spec, replicas: 5 } }],
    [
      '~1 and ~0 unescape to / and ~',
      [
        { op: 'remove', path: '/metadata/labels/a~1b' },
        { op: 'replace', path: '/metadata/labels/c~0d', value: 'x' },
      ],
      { ...doc, metadata: { labels: { app: 'web', 'c~d': 'x' } } },
    ],
    [
      'move takes a value from one path to another',
      [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }],
      { ...doc, spec: { containers: doc.spec.containers, count: 1 } },
    ],
    [
      'copy duplicates a value',
      [{ op: 'copy', from: '/spec/containers/1', path: '/spec/containers/0' }],
      { ...doc, spec: { ...doc.spec, containers: [{ name: 'b' }, { name: 'a' }, { name: 'b' }] } },
    ],
    [
      'a passing test lets later operations run',
      [
        { op: 'test', path: '/spec/replicas', value: 1 },
        { op: 'replace', path: '/spec/replicas', value: 2 },
      ],
      { ...doc, spec: { ...doc.spec, replicas: 2 } },
    ],
    ['replace at the root swaps the whole document', [{ op: 'replace', path: '', value: { a: 1 } }], { a: 1 }],
  ];
  it.each(cases)('%s', (_name, ops, expected) => {
    expect(jsonPatch(frozen(doc), frozen(ops))).toEqual(expected);
  });

  const failures: Array<[string, unknown, string]> = [
    [
      'replace of a missing key names the op and path',
      [{ op: 'replace', path: '/spec/foo', value: 1 }],
      'jsonpatch replace operation does not apply: doc is missing key: /spec/foo',
    ],
    [
      'replace under a missing parent says the path is missing',
      [{ op: 'replace', path: '/nope/foo', value: 1 }],
      'jsonpatch replace operation does not apply: doc is missing path: /nope/foo',
    ],
    [
      'remove of a missing key says the path is missing',
      [{ op: 'remove', path: '/spec/foo' }],
      'jsonpatch remove operation does not apply: doc is missing path: /spec/foo',
    ],
    [
      'remove past the end of a list says the path is missing',
      [{ op: 'remove', path: '/spec/containers/5' }],
      'jsonpatch remove operation does not apply: doc is missing path: /spec/containers/5',
    ],
    [
      'add under a missing parent says the path is missing',
      [{ op: 'add', path: '/spec/a/b', value: 1 }],
      'jsonpatch add operation does not apply: doc is missing path: /spec/a/b',
    ],
    [
      'add past the end of a list says the path is missing',
      [{ op: 'add', path: '/spec/containers/3', value: 1 }],
      'jsonpatch add operation does not apply: doc is missing path: /spec/containers/3',
    ],
    [
      'move from a missing path names the from path',
      [{ op: 'move', from: '/spec/foo', path: '/spec/bar' }],
      'jsonpatch move operation does not apply: doc is missing from path: /spec/foo',
    ],
    [
      'copy to a missing parent names the destination',
      [{ op: 'copy', from: '/spec/replicas', path: '/x/y' }],
      'jsonpatch copy operation does not apply: doc is missing destination path: /x/y',
    ],
    [
      'a failing test names the path',
      [{ op: 'test', path: '/spec/replicas', value: 3 }],
      'testing value /spec/replicas failed: test failed',
    ],
    [
      'an unknown op is rejected',
      [{ op: 'frob', path: '/spec' }],
      'the server rejected our request due to an error in our request: Unexpected kind: frob',
    ],
    [
      'an op without a path is rejected',
      [{ op: 'remove' }],
      'the server rejected our request due to an error in our request: remove operation failed to decode path',
    ],
    [
      'an add without a value is rejected',
      [{ op: 'add', path: '/spec/x' }],
      'the server rejected our request due to an error in our request: add operation for path /spec/x has no value',
    ],
  ];
  it.each(failures)('%s', (_name, ops, message) => {
    expect(() => jsonPatch(doc, ops)).toThrow(CliError);
    expect(() => jsonPatch(doc, ops)).toThrow(message);
  });

  it('a patch that is not a list is a bad request, as the API server decodes it', () => {
    const call = () => jsonPatch(doc, { op: 'add', path: '/a', value: 1 });
    expect(call).toThrow(ApiError);
    expect(call).toThrow('Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('a failing operation leaves the target untouched', () => {
    const target = { spec: { replicas: 1 } };
    expect(() =>
      jsonPatch(target, [
        { op: 'replace', path: '/spec/replicas', value: 9 },
        { op: 'remove', path: '/spec/missing' },
      ]),
    ).toThrow(CliError);
    expect(target).toEqual({ spec: { replicas: 1 } });
  });

  it('an added value is a copy, not the patch object itself', () => {
    const value = { deep: true };
    const result = jsonPatch({}, [{ op: 'add', path: '/a', value }]) as { a: { deep: boolean } };
    result.a.deep = false;
    expect(value.deep).toBe(true);
  });
});

describe('strategicMergePatch', () => {
  // orders checked against kubectl v1.32 `patch --local`: the patch's items keep patch order, a new
  // item goes before the live-only items that follow it (apimachinery mergeSortedSlice)
  it('merges containers by name and keeps the ones the patch does not mention', () => {
    const live = deployment({
      spec: podSpec([
        { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
        { name: 'sidecar', image: 'envoy' },
      ]),
    });
    const patched = strategicMergePatch(
      frozen(live),
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'web', image: 'nginx:1.27' },
                { name: 'log', image: 'fluentd' },
              ],
            },
          },
        },
      },
      'Deployment',
    );
    expect(patched).toEqual(
      deployment({
        spec: podSpec([
          { name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] },
          { name: 'log', image: 'fluentd' },
          { name: 'sidecar', image: 'envoy' },
        ]),
      }),
    );
  });

  it('interleaves live-only items by their live position, as the API server does', () => {
    const env = (...names: string[]) => ({ spec: { containers: [{ name: 'a', env: names.map((name) => ({ name })) }] } });
    expect(strategicMergePatch(frozen(env('A', 'LOG', 'WORKERS', 'Z')), env('CACHE', 'WORKERS'), 'Pod')).toEqual(
      env('CACHE', 'A', 'LOG', 'WORKERS', 'Z'),
    );
  });

  it('applies $patch: delete before the merges, wherever it stands in the patch (kubectl patch --local)', () => {
    const live = {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.25', env: [{ name: 'A' }] },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
    };
    const patch = {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:2' },
          { name: 'web', $patch: 'delete' },
        ],
      },
    };
    expect(strategicMergePatch(frozen(live), patch, 'Pod')).toEqual({
      spec: {
        containers: [
          { name: 'web', image: 'nginx:2' },
          { name: 'sidecar', image: 'envoy' },
        ],
      },
    });
  });

  it("puts the patch's items first with order 'patch-first', as kustomize's patches do", () => {
    const env = (...names: string[]) => ({ spec: { containers: [{ name: 'a', env: names.map((name) => ({ name })) }] } });
    expect(strategicMergePatch(frozen(env('A', 'LOG', 'WORKERS', 'Z')), env('CACHE', 'WORKERS'), 'Pod', 'patch-first')).toEqual(
      env('CACHE', 'WORKERS', 'A', 'LOG', 'Z'),
    );
  });

  const cases: Array<[string, string, unknown, unknown, unknown]> = [
    [
      'a null deletes a field',
      'Deployment',
      { spec: { replicas: 2, paused: true } },
      { spec: { paused: null } },
      { spec: { replicas: 2 } },
    ],
    [
      'maps merge recursively',
      'Pod',
      { metadata: { labels: { a: '1' } } },
      { metadata: { labels: { b: '2' } } },
      { metadata: { labels: { a: '1', b: '2' } } },
    ],
    [
      '$patch: delete in a list item removes the item with that key',
      'Pod',
      { spec: { containers: [{ name: 'a' }, { name: 'b' }] } },
      { spec: { containers: [{ name: 'a', $patch: 'delete' }] } },
      { spec: { containers: [{ name: 'b' }] } },
    ],
    [
      '$patch: replace in a list makes the patch list the whole list',
      'Pod',
      { spec: { volumes: [{ name: 'a' }, { name: 'b' }] } },
      { spec: { volumes: [{ $patch: 'replace' }, { name: 'c' }] } },
      { spec: { volumes: [{ name: 'c' }] } },
    ],
    [
      '$patch: replace on a map replaces it instead of merging',
      'Pod',
      { metadata: { labels: { a: '1', b: '2' } } },
      { metadata: { labels: { $patch: 'replace', c: '3' } } },
      { metadata: { labels: { c: '3' } } },
    ],
    [
      '$patch: delete on a map empties it, as the API server does',
      'Pod',
      { spec: { securityContext: { runAsUser: 1 } } },
      { spec: { securityContext: { $patch: 'delete' } } },
      { spec: { securityContext: {} } },
    ],
    [
      'a list without a merge key is replaced',
      'Pod',
      { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } },
      { spec: { tolerations: [{ key: 'c' }] } },
      { spec: { tolerations: [{ key: 'c' }] } },
    ],
    [
      'args are replaced, not merged',
      'Pod',
      { spec: { containers: [{ name: 'a', args: ['--x', '--y'] }] } },
      { spec: { containers: [{ name: 'a', args: ['--z'] }] } },
      { spec: { containers: [{ name: 'a', args: ['--z'] }] } },
    ],
    [
      'env merges by name and volumeMounts by mountPath',
      'Pod',
      { spec: { containers: [{ name: 'a', env: [{ name: 'A', value: '1' }], volumeMounts: [{ name: 'v', mountPath: '/data' }] }] } },
      {
        spec: {
          containers: [{ name: 'a', env: [{ name: 'B', value: '2' }], volumeMounts: [{ name: 'w', mountPath: '/data', readOnly: true }] }],
        },
      },
      {
        spec: {
          containers: [
            {
              name: 'a',
              env: [
                { name: 'B', value: '2' },
                { name: 'A', value: '1' },
              ],
              volumeMounts: [{ name: 'w', mountPath: '/data', readOnly: true }],
            },
          ],
        },
      },
    ],
    [
      'container ports merge by containerPort',
      'Pod',
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } },
      { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }] }] } },
    ],
    [
      'Service spec.ports merge by port',
      'Service',
      { spec: { ports: [{ port: 80, targetPort: 8080 }] } },
      { spec: { ports: [{ port: 80, name: 'http' }, { port: 443 }] } },
      { spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 443 }] } },
    ],
    [
      'finalizers merge as a set of strings',
      'Pod',
      { metadata: { finalizers: ['a', 'b'] } },
      { metadata: { finalizers: ['b', 'c'] } },
      { metadata: { finalizers: ['a', 'b', 'c'] } },
    ],
    [
      '$deleteFromPrimitiveList removes strings from a set list',
      'Pod',
      { metadata: { finalizers: ['a', 'b'] } },
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      { metadata: { finalizers: ['b'] } },
    ],
    [
      '$retainKeys and $setElementOrder are dropped',
      'Pod',
      { spec: { containers: [{ name: 'a' }] } },
      { spec: { $retainKeys: ['containers'], '$setElementOrder/containers': [{ name: 'a' }] } },
      { spec: { containers: [{ name: 'a' }] } },
    ],
    [
      'conditions merge by type',
      'Pod',
      { status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    ],
    [
      'new list items drop their nulls',
      'Pod',
      { spec: {} },
      { spec: { containers: [{ name: 'a', image: null }] } },
      { spec: { containers: [{ name: 'a' }] } },
    ],
  ];
  it.each(cases)('%s', (_name, kind, target, patch, expected) => {
    expect(strategicMergePatch(frozen(target), frozen(patch), kind)).toEqual(expected);
  });

  it('a list item without its merge key is refused, as the API server does', () => {
    expect(() => strategicMergePatch({ spec: { containers: [] } }, { spec: { containers: [{ image: 'nginx' }] } }, 'Pod')).toThrow(
      'map: map[image:nginx] does not contain declared merge key: name',
    );
  });

  it('an unknown $patch directive is refused', () => {
    expect(() => strategicMergePatch({}, { spec: { $patch: 'frob' } }, 'Pod')).toThrow(CliError);
  });

  it('a patch that is not an object is a bad request', () => {
    expect(() => strategicMergePatch({}, 'text', 'Pod')).toThrow(
      'json: cannot unmarshal string into Go value of type map[string]interface {}',
    );
  });
});

describe('threeWayMerge', () => {
  it('apply removes a label dropped from the manifest but keeps one added by kubectl label', () => {
    const original = deployment({ labels: { app: 'web', tier: 'frontend' } });
    const modified = deployment({ labels: { app: 'web' } });
    const current = deployment({ labels: { app: 'web', tier: 'frontend', team: 'payments' } });
    const { merged, changed } = threeWayMerge(frozen(original), frozen(modified), frozen(current), 'Deployment');
    expect(changed).toBe(true);
    expect((merged as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({ app: 'web', team: 'payments' });
  });

  const containerCases: Array<[string, unknown[], unknown[], unknown[], unknown[]]> = [
    [
      'apply adding a container keeps the existing one merged by name',
      [{ name: 'web', image: 'nginx:1.25' }],
      [
        { name: 'web', image: 'nginx:1.25' },
        { name: 'log', image: 'fluentd' },
      ],
      [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }],
      [
        { name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' },
        { name: 'log', image: 'fluentd' },
      ],
    ],
    [
      'changing an image merges the container by name and keeps its defaults',
      [{ name: 'web', image: 'nginx:1.25' }],
      [{ name: 'web', image: 'nginx:1.27' }],
      [{ name: 'web', image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' }],
      [{ name: 'web', image: 'nginx:1.27', imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' }],
    ],
    [
      'an env var removed from the manifest disappears',
      [
        {
          name: 'web',
          image: 'nginx',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
      [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }],
      [
        {
          name: 'web',
          image: 'nginx',
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        },
      ],
      [{ name: 'web', image: 'nginx', env: [{ name: 'A', value: '1' }] }],
    ],
    [
      'a container removed from the manifest is removed, one injected by someone else stays',
      [
        { name: 'web', image: 'nginx' },
        { name: 'old', image: 'busybox' },
      ],
      [{ name: 'web', image: 'nginx' }],
      [
        { name: 'web', image: 'nginx' },
        { name: 'old', image: 'busybox' },
        { name: 'istio-proxy', image: 'envoy' },
      ],
      [
        { name: 'web', image: 'nginx' },
        { name: 'istio-proxy', image: 'envoy' },
      ],
    ],
    [
      'an atomic list (args) is replaced when it differs',
      [{ name: 'web', args: ['--a', '--b'] }],
      [{ name: 'web', args: ['--c'] }],
      [{ name: 'web', args: ['--a', '--b'] }],
      [{ name: 'web', args: ['--c'] }],
    ],
    [
      'a container port removed from the manifest disappears',
      [{ name: 'web', ports: [{ containerPort: 80 }, { containerPort: 9090 }] }],
      [{ name: 'web', ports: [{ containerPort: 80 }] }],
      [
        {
          name: 'web',
          ports: [
            { containerPort: 80, protocol: 'TCP' },
            { containerPort: 9090, protocol: 'TCP' },
          ],
        },
      ],
      [{ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    ],
    [
      'changed items follow the manifest order and a live-only item stays ahead of the item it preceded',
      [{ name: 'a' }, { name: 'b' }],
      [{ name: 'b', image: 'x' }, { name: 'a' }, { name: 'c' }],
      [{ name: 'a' }, { name: 'injected' }, { name: 'b' }],
      [{ name: 'injected' }, { name: 'b', image: 'x' }, { name: 'a' }, { name: 'c' }],
    ],
  ];
  it.each(containerCases)('%s', (_name, originalContainers, modifiedContainers, currentContainers, expected) => {
    const { merged, changed } = threeWayMerge(
      frozen(deployment({ spec: podSpec(originalContainers) })),
      frozen(deployment({ spec: podSpec(modifiedContainers) })),
      frozen(deployment({ spec: podSpec(currentContainers) })),
      'Deployment',
    );
    expect(changed).toBe(true);
    expect(merged).toEqual(deployment({ spec: podSpec(expected) }));
  });

  it('status and server-set metadata are left untouched', () => {
    const manifest = deployment({ spec: { replicas: 3, ...podSpec([{ name: 'web', image: 'nginx:1.25' }]) } });
    const current = {
      ...deployment({
        spec: { replicas: 2, strategy: { type: 'RollingUpdate' }, ...podSpec([{ name: 'web', image: 'nginx:1.25' }]) },
        status: { replicas: 2, readyReplicas: 2 },
      }),
      metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7', generation: 1 },
    };
    const { merged, changed } = threeWayMerge(frozen(manifest), frozen(manifest), frozen(current), 'Deployment');
    expect(changed).toBe(true);
    expect(merged).toEqual({
      ...current,
      spec: { ...current.spec, replicas: 3 },
    });
  });

  it('replicas removed from the manifest after being set are removed from the live object', () => {
    const original = deployment({ spec: { replicas: 5, ...podSpec([{ name: 'web' }]) } });
    const modified = deployment({ spec: podSpec([{ name: 'web' }]) });
    const current = deployment({ spec: { replicas: 5, ...podSpec([{ name: 'web' }]) } });
    const { merged, changed } = threeWayMerge(frozen(original), frozen(modified), frozen(current), 'Deployment');
    expect(changed).toBe(true);
    expect((merged as { spec: Record<string, unknown> }).spec).not.toHaveProperty('replicas');
  });

  it('replicas never in the manifest (set by kubectl scale) are kept', () => {
    const manifest = deployment({ spec: podSpec([{ name: 'web' }]) });
    const current = deployment({ spec: { replicas: 7, ...podSpec([{ name: 'web' }]) } });
    const { merged, changed } = threeWayMerge(frozen(manifest), frozen(manifest), frozen(current), 'Deployment');
    expect(changed).toBe(false);
    expect((merged as { spec: { replicas: number } }).spec.replicas).toBe(7);
  });

  it('an unchanged manifest reports no change', () => {
    const manifest = deployment({ labels: { app: 'web' } });
    const current = {
      ...deployment({ labels: { app: 'web' }, status: { replicas: 2 } }),
      metadata: { name: 'web', namespace: 'default', uid: 'u-1', labels: { app: 'web' } },
    };
    const { merged, changed } = threeWayMerge(frozen(manifest), frozen(manifest), frozen(current), 'Deployment');
    expect(changed).toBe(false);
    expect(merged).toEqual(current);
  });

  it('a manifest that only reorders keys or list items reports no change', () => {
    const original = deployment({
      spec: podSpec([
        { name: 'a', image: 'x' },
        { name: 'b', image: 'y' },
      ]),
    });
    const reordered = {
      spec: podSpec([
        { image: 'y', name: 'b' },
        { image: 'x', name: 'a' },
      ]),
      metadata: original.metadata,
      kind: 'Deployment',
      apiVersion: 'apps/v1',
    };
    expect(threeWayMerge(frozen(original), frozen(reordered), frozen(original), 'Deployment').changed).toBe(false);
  });

  it('a first apply onto an object without last-applied only adds and overwrites', () => {
    const current = deployment({ labels: { app: 'web', team: 'x' } });
    const modified = deployment({ labels: { app: 'api' } });
    const { merged, changed } = threeWayMerge(undefined, frozen(modified), frozen(current), 'Deployment');
    expect(changed).toBe(true);
    expect((merged as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({ app: 'api', team: 'x' });
  });

  it('a finalizer dropped from the manifest goes and one added by a controller stays', () => {
    const withFinalizers = (finalizers: string[]) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers } });
    const { merged } = threeWayMerge(
      frozen(withFinalizers(['a', 'b'])),
      frozen(withFinalizers(['a'])),
      frozen(withFinalizers(['a', 'b', 'ctrl'])),
      'ConfigMap',
    );
    expect(merged).toEqual(withFinalizers(['a', 'ctrl']));
  });

  it('Service ports merge by port, keeping the allocated nodePort', () => {
    const service = (ports: unknown[]) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: { type: 'NodePort', ports },
    });
    const { merged } = threeWayMerge(
      frozen(service([{ port: 80, targetPort: 8080 }])),
      frozen(service([{ port: 80, targetPort: 9090 }])),
      frozen(service([{ port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 31000 }])),
      'Service',
    );
    expect(merged).toEqual(service([{ port: 80, targetPort: 9090, protocol: 'TCP', nodePort: 31000 }]));
  });

  it('a null in the manifest clears the field', () => {
    const current = deployment({ spec: { replicas: 3, paused: true } });
    const modified = { ...deployment({ spec: { replicas: 3, paused: null } }) };
    const { merged } = threeWayMerge(undefined, frozen(modified), frozen(current), 'Deployment');
    expect(merged).toEqual(deployment({ spec: { replicas: 3 } }));
  });

  it('the merged object shares nothing with its inputs', () => {
    const current = deployment({ status: { replicas: 1 } });
    const { merged } = threeWayMerge(undefined, deployment(), current, 'Deployment');
    (merged as { status: { replicas: number } }).status.replicas = 9;
    expect(current.status).toEqual({ replicas: 1 });
  });

  it('a manifest container without a name is refused with the merge-key error', () => {
    const modified = deployment({ spec: podSpec([{ image: 'nginx' }]) });
    expect(() => threeWayMerge(undefined, modified, deployment(), 'Deployment')).toThrow('does not contain declared merge key: name');
  });
});
