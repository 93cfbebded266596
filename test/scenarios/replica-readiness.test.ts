import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const template = `  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 30, periodSeconds: 10}
`;
const replicaSet = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
${template}`;
const replicationController = `apiVersion: v1
kind: ReplicationController
metadata: {name: web}
spec:
  replicas: 3
  selector: {app: web}
${template}`;

/**
 * printReplicaSet / printReplicationController: DESIRED is spec.replicas, CURRENT status.replicas,
 * READY status.readyReplicas. Pods whose readiness probe has not passed yet (initialDelaySeconds 30)
 * are current but not ready.
 */
describe('READY of ReplicaSets and ReplicationControllers counts only ready pods', () => {
  for (const [kind, resource, manifest] of [
    ['ReplicaSet', 'rs', replicaSet],
    ['ReplicationController', 'rc', replicationController],
  ] as const)
    it(`${kind}: READY stays below CURRENT until the readiness probes pass`, async () => {
      const c = await manualCluster();
      c.file('web.yaml', manifest);
      await c.run('apply', '-f', 'web.yaml');
      await c.run('clock', 'advance', '10s');
      expect((await c.run('get', resource)).stdout).toBe(
        'NAME   DESIRED   CURRENT   READY   AGE\nweb    3         3         0       10s\n',
      );
      expect((await c.run('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.phase}')).stdout).toBe(
        'Running Running Running',
      );
      await c.run('clock', 'advance', '25s');
      expect((await c.run('get', resource)).stdout).toBe(
        'NAME   DESIRED   CURRENT   READY   AGE\nweb    3         3         3       35s\n',
      );
      // two more pods: created and running at once, ready only after their own initial delay
      await c.run('scale', resource, 'web', '--replicas=5');
      await c.run('clock', 'advance', '10s');
      expect((await c.run('get', resource)).stdout).toBe(
        'NAME   DESIRED   CURRENT   READY   AGE\nweb    5         5         3       45s\n',
      );
      await c.run('clock', 'advance', '30s');
      expect((await c.run('get', resource)).stdout).toBe(
        'NAME   DESIRED   CURRENT   READY   AGE\nweb    5         5         5       75s\n',
      );
    });
});
