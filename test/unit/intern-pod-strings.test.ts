import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/model/objects';
import { internPodStrings } from '../../src/store/intern';

describe('internPodStrings (a pod read from its row takes one string per repeated value)', () => {
  it('leaves every value as it was', () => {
    const text = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', generateName: 'web-', namespace: 'default', creationTimestamp: '2025-01-01T00:00:00Z' },
      spec: { $template: 1, nodeName: 'n1' },
      status: {
        phase: 'Running',
        startTime: '2025-01-01T00:00:01Z',
        hostIP: '172.18.0.2',
        hostIPs: [{ ip: '172.18.0.2' }, { ip: 'fd00::2' }, 'odd'],
        podIP: '10.244.1.2',
        podIPs: [{ ip: '10.244.1.2' }],
        containerStatuses: [{ name: 'app', image: 'nginx:1', imageID: '' }, null, { name: 'b', image: 7 }],
      },
    });
    for (let i = 0; i < 3; i++) {
      const pod = JSON.parse(text) as KObject;
      internPodStrings(pod);
      expect(JSON.stringify(pod)).toBe(text);
    }
    // what a row may hold instead: no status, a status that is not an object, no metadata fields
    for (const odd of [
      { kind: 'Pod', metadata: {} },
      { kind: 'Pod', metadata: { name: 'x' }, status: [] },
      { kind: 'Pod', status: null },
    ]) {
      const pod = JSON.parse(JSON.stringify(odd)) as KObject;
      internPodStrings(pod);
      expect(pod).toEqual(odd);
    }
  });
});
