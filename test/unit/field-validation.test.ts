import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSchema } from '../../src/api/openapi/builtin-schemas';
import { dropUnknownFields } from '../../src/api/openapi/unknown-fields';
import type { KindSchema } from '../../src/api/openapi/schema';
import { formatGoJsonValue } from '../../src/util/go-fmt';
import { createMergePatch } from '../../src/api/merge';
import { createThreeWayMergePatch } from '../../src/api/three-way-patch';

function schemaOf(apiVersion: string, kind: string): KindSchema {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return builtinSchema(group, version, kind)!;
}

describe('unknown fields, as the strict JSON decoder finds them', () => {
  it('knows every field of the objects kubectl v1.32 generates (create --dry-run=client -o json)', () => {
    const lines = fs.readFileSync(path.join(__dirname, '../fixtures/openapi/kubectl-create-dry-run.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const obj = JSON.parse(line) as { apiVersion: string; kind: string };
      expect(dropUnknownFields(obj, schemaOf(obj.apiVersion, obj.kind)).errors, obj.kind).toEqual([]);
    }
  });

  it('names each unknown field by its path, list items by index, in sorted key order, and drops it', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      zeta: 1,
      metadata: { name: 'p', labels: { 'any-key': 'x' }, annotations: { a: 'b' } },
      spec: {
        containers: [
          { name: 'a', image: 'nginx' },
          { name: 'b', image: 'nginx', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80, protocl: 'TCP' }] },
        ],
        nodeSelectr: { a: 'b' },
      },
      alpha: true,
    };
    const { value, errors } = dropUnknownFields(pod, schemaOf('v1', 'Pod'));
    expect(errors).toEqual([
      'unknown field "alpha"',
      'unknown field "spec.containers[1].ports[0].protocl"',
      'unknown field "spec.nodeSelectr"',
      'unknown field "zeta"',
    ]);
    expect(value).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: pod.metadata,
      spec: { containers: [pod.spec.containers[0], { ...pod.spec.containers[1], ports: [{ containerPort: 80 }] }] },
    });
    // the kept fields stay in the order they came in
    expect(Object.keys(value as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });

  it('accepts anything where the type holds any JSON value (RawExtension, int-or-string)', () => {
    const revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'r' },
      revision: 1,
      data: { what: { ever: [1] } },
    };
    expect(dropUnknownFields(revision, schemaOf('apps/v1', 'ControllerRevision')).errors).toEqual([]);
    const strategy = { spec: { strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } } };
    expect(dropUnknownFields(strategy, schemaOf('apps/v1', 'Deployment')).errors).toEqual([]);
  });

  it('reports at most 100 errors, each once', () => {
    const data: Record<string, string> = {};
    for (let i = 0; i < 150; i++) data[`k${String(i).padStart(3, '0')}`] = 'v';
    const { errors } = dropUnknownFields(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, ...data },
      schemaOf('v1', 'ConfigMap'),
    );
    expect(errors).toHaveLength(100);
    expect(errors[0]).toBe('unknown field "k000"');
  });
});

describe('the patch a refusal quotes', () => {
  it('prints as Go prints a decoded JSON map (%+v): sorted keys, <nil>, [a b], int64 and float64', () => {
    expect(formatGoJsonValue({ spec: { b: [1, 'x', null], a: 0.5, c: 1e21, d: true }, data: null })).toBe(
      'map[data:<nil> spec:map[a:0.5 b:[1 x <nil>] c:1e+21 d:true]]',
    );
  });

  it('is the diff a client sends: changed and added fields, nulls for the removed ones', () => {
    expect(createMergePatch({ a: 1, b: { c: 2, d: 3 }, e: 4 }, { a: 1, b: { c: 5 }, f: 6 })).toEqual({
      e: null,
      b: { d: null, c: 5 },
      f: 6,
    });
    // apply: deletions only for what the last-applied configuration had
    expect(createThreeWayMergePatch({ a: 1, x: 1 }, { a: 2 }, { a: 1, x: 1, status: 'kept' }, 'ConfigMap')).toEqual({ x: null, a: 2 });
  });
});
