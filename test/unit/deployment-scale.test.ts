import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from '../../src/model/kinds';
import {
  getProportion,
  getReplicaSetFraction,
  isScalingEvent,
  replicasAnnotations,
  scaleSteps,
} from '../../src/controllers/deployment-scale';
import { olderFirst } from '../../src/api/revisions';

// The cases of TestScale in pkg/controller/deployment/sync_test.go (v1.32): its newDeployment
// has maxSurge 0 / maxUnavailable 0 unless a case says otherwise, and every ReplicaSet carries
// the desired/max-replicas annotations of the deployment before the scaling event.
const NEW = '2016-05-20T02:00:00Z';
const OLD = '2016-05-20T01:00:00Z';
const OLDER = '2016-05-20T00:00:00Z';

function deployment(replicas: number, maxSurge: number | string = 0, maxUnavailable: number | string = 0): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'foo' },
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
  } as Deployment;
}

function rs(name: string, replicas: number, creationTimestamp: string, available = 0): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, creationTimestamp },
    spec: { replicas },
    status: { availableReplicas: available },
  } as ReplicaSet;
}

interface Case {
  name: string;
  deployment: Deployment;
  oldDeployment: Deployment;
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
  expectedNew?: number;
  expectedOld: number[];
  desiredReplicasAnnotations?: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'normal scaling event: 10 -> 12',
    deployment: deployment(12),
    oldDeployment: deployment(10),
    newRS: rs('foo-v1', 10, NEW),
    oldRSs: [],
    expectedNew: 12,
    expectedOld: [],
  },
  {
    name: 'normal scaling event: 10 -> 5',
    deployment: deployment(5),
    oldDeployment: deployment(10),
    newRS: rs('foo-v1', 10, NEW),
    oldRSs: [],
    expectedNew: 5,
    expectedOld: [],
  },
  {
    name: 'proportional scaling: 5 -> 10',
    deployment: deployment(10),
    oldDeployment: deployment(5),
    newRS: rs('foo-v2', 2, NEW),
    oldRSs: [rs('foo-v1', 3, OLD)],
    expectedNew: 4,
    expectedOld: [6],
  },
  {
    name: 'proportional scaling: 5 -> 3',
    deployment: deployment(3),
    oldDeployment: deployment(5),
    newRS: rs('foo-v2', 2, NEW),
    oldRSs: [rs('foo-v1', 3, OLD)],
    expectedNew: 1,
    expectedOld: [2],
  },
  {
    name: 'proportional scaling: 9 -> 4',
    deployment: deployment(4),
    oldDeployment: deployment(9),
    newRS: rs('foo-v2', 8, NEW),
    oldRSs: [rs('foo-v1', 1, OLD)],
    expectedNew: 4,
    expectedOld: [0],
  },
  {
    name: 'proportional scaling: 7 -> 10',
    deployment: deployment(10),
    oldDeployment: deployment(7),
    newRS: rs('foo-v3', 2, NEW),
    oldRSs: [rs('foo-v2', 3, OLD), rs('foo-v1', 2, OLDER)],
    expectedNew: 3,
    expectedOld: [4, 3],
  },
  {
    name: 'proportional scaling: 13 -> 8',
    deployment: deployment(8),
    oldDeployment: deployment(13),
    newRS: rs('foo-v3', 2, NEW),
    oldRSs: [rs('foo-v2', 8, OLD), rs('foo-v1', 3, OLDER)],
    expectedNew: 1,
    expectedOld: [5, 2],
  },
  {
    name: 'leftover distribution: 3 -> 4 (scales up the new replica set)',
    deployment: deployment(4),
    oldDeployment: deployment(3),
    newRS: rs('foo-v3', 1, NEW),
    oldRSs: [rs('foo-v2', 1, OLD), rs('foo-v1', 1, OLDER)],
    expectedNew: 2,
    expectedOld: [1, 1],
  },
  {
    name: 'leftover distribution: 3 -> 2 (scales down the older replica set)',
    deployment: deployment(2),
    oldDeployment: deployment(3),
    newRS: rs('foo-v3', 1, NEW),
    oldRSs: [rs('foo-v2', 1, OLD), rs('foo-v1', 1, OLDER)],
    expectedNew: 1,
    expectedOld: [1, 0],
  },
  {
    name: 'proportional scaling (no new rs): 4 -> 5 (scales up the latest replica set first)',
    deployment: deployment(5),
    oldDeployment: deployment(4),
    oldRSs: [rs('foo-v2', 2, OLD), rs('foo-v1', 2, OLDER)],
    expectedOld: [3, 2],
  },
  {
    name: 'proportional scaling: 6 -> 0',
    deployment: deployment(0),
    oldDeployment: deployment(6),
    newRS: rs('foo-v3', 3, NEW),
    oldRSs: [rs('foo-v2', 2, OLD), rs('foo-v1', 1, OLDER)],
    expectedNew: 0,
    expectedOld: [0, 0],
  },
  {
    name: 'proportional scaling: 0 -> 6',
    deployment: deployment(6),
    oldDeployment: deployment(6),
    newRS: rs('foo-v3', 0, NEW),
    oldRSs: [rs('foo-v2', 0, OLD), rs('foo-v1', 0, OLDER)],
    expectedNew: 6,
    expectedOld: [0, 0],
  },
  {
    name: 'failed rs update (foo-v2 still says 3 desired)',
    deployment: deployment(5),
    oldDeployment: deployment(5),
    newRS: rs('foo-v3', 2, NEW),
    oldRSs: [rs('foo-v2', 1, OLD), rs('foo-v1', 1, OLDER)],
    expectedNew: 2,
    expectedOld: [2, 1],
    desiredReplicasAnnotations: { 'foo-v2': 3 },
  },
  {
    name: 'deployment with surge pods',
    deployment: deployment(20, 2),
    oldDeployment: deployment(10, 2),
    newRS: rs('foo-v2', 6, NEW),
    oldRSs: [rs('foo-v1', 6, OLD)],
    expectedNew: 11,
    expectedOld: [11],
  },
  {
    name: 'change both surge and size',
    deployment: deployment(50, 6),
    oldDeployment: deployment(10, 3),
    newRS: rs('foo-v2', 5, NEW),
    oldRSs: [rs('foo-v1', 8, OLD)],
    expectedNew: 22,
    expectedOld: [34],
  },
  {
    name: 'change both size and template',
    deployment: deployment(14),
    oldDeployment: deployment(10),
    oldRSs: [rs('foo-v2', 7, NEW), rs('foo-v1', 3, OLD)],
    expectedOld: [10, 4],
  },
  {
    name: 'saturated but broken new replica set does not affect old pods',
    deployment: deployment(2, 1, 1),
    oldDeployment: deployment(2, 1, 1),
    newRS: rs('foo-v2', 2, NEW, 0),
    oldRSs: [rs('foo-v1', 1, OLD)],
    expectedNew: 2,
    expectedOld: [1],
  },
];

/** SetReplicasAnnotations as TestScale does it: the old deployment's desired size (or the case's override) and its max. */
function annotate(rsObj: ReplicaSet, oldDeployment: Deployment, override?: number): void {
  const desired = override ?? oldDeployment.spec.replicas;
  const base = replicasAnnotations({ ...oldDeployment, spec: { ...oldDeployment.spec, replicas: desired } });
  rsObj.metadata.annotations = { ...base };
}

describe('proportional scaling (sync.go scale, TestScale cases)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    for (const r of [c.newRS, ...c.oldRSs]) if (r) annotate(r, c.oldDeployment, c.desiredReplicasAnnotations?.[r.metadata.name]);
    const sizes = new Map([c.newRS, ...c.oldRSs].filter((r): r is ReplicaSet => !!r).map((r) => [r.metadata.name, r.spec.replicas]));
    for (const step of scaleSteps(c.deployment, c.newRS, c.oldRSs)) sizes.set(step.rs.metadata.name, step.replicas);
    if (c.newRS) expect(sizes.get(c.newRS.metadata.name)).toBe(c.expectedNew);
    expect(c.oldRSs.map((r) => sizes.get(r.metadata.name))).toEqual(c.expectedOld);
  });

  it('writes the annotations of every active ReplicaSet, even one whose size stays', () => {
    const d = deployment(3);
    const newRS = rs('foo-v2', 1, NEW);
    const old = rs('foo-v1', 1, OLD);
    const older = rs('foo-v0', 1, OLDER);
    for (const r of [newRS, old, older]) annotate(r, deployment(3), r === old ? 4 : undefined);
    expect(isScalingEvent(d, [older, old, newRS])).toBe(true);
    const steps = scaleSteps(d, newRS, [older, old]);
    expect(steps.map((s) => [s.rs.metadata.name, s.replicas, s.syncAnnotations])).toEqual([
      ['foo-v0', 1, true],
      ['foo-v1', 1, true],
      ['foo-v2', 1, true],
    ]);
  });

  it('is no scaling event when every active ReplicaSet was scaled for spec.replicas, or carries no annotation', () => {
    const d = deployment(5);
    const a = rs('a', 2, OLD);
    const b = rs('b', 0, NEW);
    annotate(a, d);
    annotate(b, deployment(9));
    expect(isScalingEvent(d, [a, b])).toBe(false);
    expect(isScalingEvent(d, [rs('c', 3, NEW)])).toBe(false);
  });
});

describe('getReplicaSetFraction / GetProportion', () => {
  it('scales by the new max size over the annotated max size, rounding half away from zero', () => {
    const r = rs('a', 8, OLD);
    r.metadata.annotations = { 'deployment.kubernetes.io/max-replicas': '13' };
    // 10 replicas, maxSurge 3 → 15 replicas, maxSurge 4 (25% of 15 rounded up): 8 * 19 / 13 = 11.69 → 12
    expect(getReplicaSetFraction(r, deployment(15, '25%'))).toBe(4);
    expect(getProportion(r, deployment(15, '25%'), 2, 0)).toBe(2);
    expect(getProportion(r, deployment(15, '25%'), 6, 6)).toBe(0);
  });

  it("falls back to the deployment's status.replicas without an annotation, and takes the whole size when scaling to zero", () => {
    const r = rs('a', 4, OLD);
    const d = { ...deployment(6), status: { replicas: 8 } };
    expect(getReplicaSetFraction(r, d)).toBe(-1);
    expect(getReplicaSetFraction(r, deployment(0))).toBe(-4);
    expect(getProportion(r, deployment(0), -10, 0)).toBe(-4);
  });
});

describe('ReplicaSetsByCreationTimestamp (olderFirst)', () => {
  const rs = (name: string, created: string) =>
    ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, creationTimestamp: created } }) as ReplicaSet;
  it('orders older first, then by name as Go compares strings (bytes)', () => {
    const sorted = [rs('web-b', OLD), rs('web-a9', OLD), rs('web-a', NEW), rs('web-z', OLDER), rs('web-a-1', OLD)].sort(olderFirst);
    expect(sorted.map((r) => r.metadata.name)).toEqual(['web-z', 'web-a-1', 'web-a9', 'web-b', 'web-a']);
  });
});
