import { describe, it, expect } from 'vitest';
import { createThreeWayMergePatch, goJsonMarshal } from '../../src/api/three-way-patch';

describe('createThreeWayMergePatch', () => {
  const pod = (containers: object[], extra: object = {}) => ({ spec: { containers, ...extra } });
  it('diffs keyed lists item by item with $setElementOrder, and deletes what the last apply set', () => {
    const original = pod([
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
    ]);
    const modified = pod([{ name: 'a', image: 'z' }]);
    const current = pod(
      [
        { name: 'a', image: 'x', imagePullPolicy: 'Always' },
        { name: 'b', image: 'y' },
      ],
      { nodeName: 'n' },
    );
    expect(goJsonMarshal(createThreeWayMergePatch(original, modified, current, 'Pod'))).toBe(
      '{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"$patch":"delete","name":"b"},{"image":"z","name":"a"}]}}',
    );
  });
  it('sends an atomic list whole, a set’s removals as $deleteFromPrimitiveList, and escapes < > & as Go does', () => {
    const patch = createThreeWayMergePatch(
      { metadata: { finalizers: ['a', 'b'] }, spec: { args: ['1'] } },
      { metadata: { finalizers: ['a'] }, spec: { args: ['1', '<&>'] } },
      { metadata: { finalizers: ['a', 'b'] }, spec: { args: ['1'] } },
      'Pod',
    );
    expect(goJsonMarshal(patch)).toBe(
      '{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"$setElementOrder/finalizers":["a"]},"spec":{"args":["1","\\u003c\\u0026\\u003e"]}}',
    );
  });
});
