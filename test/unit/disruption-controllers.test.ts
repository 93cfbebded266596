import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { Session } from '../../src/engine/session';
import { disruptionController } from '../../src/controllers/disruption';
import { daemonSetController } from '../../src/controllers/daemonset';
import { statefulSetController } from '../../src/controllers/statefulset';
import { nodeLifecycleController, toleratesTaint } from '../../src/controllers/node-lifecycle';
import { podsForDeletion, type DrainOptions } from '../../src/api/drain';
import type { Controller } from '../../src/reconcile/controller';

const manifest = `apiVersion: v1
kind: Pod
metadata: {name: lonely}
spec: {nodeName: node-1, containers: [{name: app, image: nginx:1.27}]}
---
apiVersion: v1
kind: Pod
metadata: {name: mirror, annotations: {kubernetes.io/config.mirror: abc}}
spec: {nodeName: node-1, containers: [{name: app, image: nginx:1.27}]}
---
apiVersion: v1
kind: Pod
metadata: {name: scratch, labels: {app: web}}
spec: {nodeName: node-1, volumes: [{name: tmp, emptyDir: {}}], containers: [{name: app, image: nginx:1.27}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: agent:1.0}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: postgres:16}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: agent}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: agent}}}
`;

const OPTS: DrainOptions = {
  force: false,
  ignoreDaemonSets: false,
  deleteEmptyDirData: false,
  disableEviction: false,
  gracePeriodSeconds: -1,
  timeoutMs: 0,
  skipWaitForDeleteTimeoutSeconds: 0,
  dryRun: 'none',
};

describe('controllers are level-based', () => {
  it('a second reconcile after quiescence asks for nothing', async () => {
    const c = await manualCluster();
    c.file('m.yaml', manifest);
    await c.run('apply', '-f', 'm.yaml');
    await c.run('clock', 'advance', '30s');
    await c.run('node', 'fail', 'node-3');
    await c.run('clock', 'advance', '60s');
    Session.run({ statePath: c.state }, (s) => {
      const controllers: [Controller, string][] = [
        [disruptionController, 'PodDisruptionBudget'],
        [daemonSetController, 'DaemonSet'],
        [statefulSetController, 'StatefulSet'],
        [nodeLifecycleController, 'Node'],
      ];
      for (const [controller, kind] of controllers) {
        for (const obj of s.store.list(kind)) {
          const writes = controller.reconcile!(obj, s.engine.context()).filter((a) => a.type !== 'requeueAt' && a.type !== 'quiet');
          expect({ controller: controller.name, obj: obj.metadata.name, writes }).toEqual({
            controller: controller.name,
            obj: obj.metadata.name,
            writes: [],
          });
        }
      }
    });
  });

  it('the PDB on a DaemonSet reports NoControllers: DaemonSets have no scale subresource', async () => {
    const c = await manualCluster();
    c.file('m.yaml', manifest);
    await c.run('apply', '-f', 'm.yaml');
    await c.run('clock', 'advance', '10s');
    const pdb = JSON.parse((await c.run('get', 'pdb', 'agent', '-o', 'json')).stdout);
    expect(pdb.status.disruptionsAllowed).toBe(0);
    expect(pdb.status.conditions[0]).toMatchObject({ status: 'False', reason: 'SyncFailed' });
    expect((await c.run('get', 'events')).stdout).toContain('NoControllers');
  });
});

describe('drain filters', () => {
  it('run in kubectl order and name the flag that overrides each refusal', async () => {
    const c = await manualCluster();
    c.file('m.yaml', manifest);
    await c.run('apply', '-f', 'm.yaml');
    await c.run('clock', 'advance', '10s');
    Session.run({ statePath: c.state }, (s) => {
      const strict = podsForDeletion(s.api, 'node-1', OPTS);
      expect(strict.pods.map((p) => p.metadata.name)).toEqual([]);
      const agent = s.store.list('Pod').find((p) => p.metadata.labels?.app === 'agent' && p.spec.nodeName === 'node-1')!.metadata.name;
      expect(strict.errors).toEqual([
        `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/${agent}`,
        'cannot delete Pods that declare no controller (use --force to override): default/lonely',
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch',
      ]);
      const lenient = podsForDeletion(s.api, 'node-1', { ...OPTS, force: true, ignoreDaemonSets: true, deleteEmptyDirData: true });
      // the mirror pod is skipped silently; scratch's local-storage warning is replaced by the unmanaged one, as in kubectl
      expect(lenient.pods.map((p) => p.metadata.name)).toEqual(['lonely', 'scratch']);
      expect(lenient.warnings).toBe(
        `ignoring DaemonSet-managed Pods: default/${agent}; deleting Pods that declare no controller: default/lonely, default/scratch`,
      );
      expect(lenient.errors).toEqual([]);
    });
  });

  it('tolerations match taints by key, effect and operator', () => {
    const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    expect(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, taint)).toBe(true);
    expect(toleratesTaint({ operator: 'Exists' }, taint)).toBe(true);
    expect(toleratesTaint({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(
      toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
    ).toBe(true);
    expect(
      toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }),
    ).toBe(false);
  });
});
