import { describe, expect, it } from 'vitest';
import type { PodLike } from '../../src/model/kinds';
import { podFactsColumn } from '../../src/store/pod-facts';
import { makePodPrintFacts, podPrintColumn } from '../../src/store/pod-print';
import type { KObject } from '../../src/model/objects';

/**
 * The save's pod columns made from kept texts (pod-print.ts podPrintColumn, pod-facts.ts with
 * intern.ts quotedRepeated) must be the very text JSON.stringify makes of their arrays.
 */

const pod = (over: Partial<{ status: Record<string, unknown>; creationTimestamp: unknown; image: string }> = {}): PodLike =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'default',
      creationTimestamp: 'creationTimestamp' in over ? over.creationTimestamp : '2025-01-01T00:00:00Z',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-"uid"', controller: true }],
    },
    spec: { containers: [{ name: 'app', image: over.image ?? 'img:1' }] },
    status: over.status ?? {
      phase: 'Running',
      podIP: '10.0.0.1',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:03Z' }],
      containerStatuses: [
        { name: 'app', image: over.image ?? 'img:1', imageID: 'x', ready: true, restartCount: 2, state: { running: {} } },
      ],
    },
  }) as unknown as PodLike;

/** podPrintColumn as JSON.stringify of its array (the text before the kept texts). */
function printArray(p: PodLike, labels: unknown, templateId: number | undefined): string {
  const f = makePodPrintFacts(p);
  return JSON.stringify([
    f.ready,
    f.status,
    f.restarts,
    f.lastRestart,
    f.gates,
    p.metadata.creationTimestamp ?? null,
    p.status?.phase ?? null,
    p.status?.podIP ?? null,
    p.status?.nominatedNodeName ?? null,
    labels ?? null,
    templateId ?? null,
  ]);
}

describe('pod columns made from kept texts', () => {
  const shared = { $shared: 7 };
  const pods: [string, PodLike][] = [
    ['running', pod()],
    ['pending, nominated, no IP', pod({ status: { phase: 'Pending', nominatedNodeName: 'node-"1"' } })],
    ['no status', pod({ status: {} })],
    ['no creation time', pod({ creationTimestamp: undefined })],
    ['odd creation time', pod({ creationTimestamp: 12 })],
    ['escaped image', pod({ image: 'img:"2"\u2028' })],
    [
      'restarted',
      pod({
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: 'a', restartCount: 3, lastState: { terminated: { finishedAt: '2025-01-01T00:00:05Z' } }, state: { running: {} } },
          ],
        },
      }),
    ],
  ];

  it('print column: the text of JSON.stringify, for each labels form and template id', () => {
    for (const [what, p] of pods)
      for (const labels of [undefined, null, shared, { app: 'a"b' }])
        for (const templateId of [undefined, 3]) {
          // twice: the second from the kept texts
          expect(podPrintColumn(p, labels, templateId), what).toBe(printArray(p, labels, templateId));
          expect(podPrintColumn(p, labels, templateId), what).toBe(printArray(p, labels, templateId));
        }
  });

  it('facts column: the same text the second time (kept quoted strings), escapes included', () => {
    for (const [what, p] of pods) {
      const first = podFactsColumn(p as KObject);
      expect(JSON.parse(first), what).toBeInstanceOf(Array);
      expect(podFactsColumn(p as KObject), what).toBe(first);
    }
    expect(JSON.parse(podFactsColumn(pods[5][1] as KObject))[6][0][1]).toBe('img:"2"\u2028');
    expect(JSON.parse(podFactsColumn(pods[0][1] as KObject))[2]).toBe('rs-"uid"');
  });
});
