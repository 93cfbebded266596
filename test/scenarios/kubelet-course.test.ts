import { afterEach, describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';
import { keptCourseFirstSyncs, keptCourseSteps, useKeptCourses } from '../../src/sim/kubelet';

/**
 * The kubelet's kept course (the start and ready steps of a plain pod, taken without the
 * general state machine) writes what the state machine writes: the same pods (resourceVersions
 * included), the same events in the same order, the same describe output, for plain pods and
 * for pods beside them that leave the course (knobs, probes, several containers, a Job). The
 * first sync of a plain pod (sandbox, containers waiting for their pull) is kept too.
 */
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: plain}
spec:
  replicas: 4
  selector: {matchLabels: {app: plain}}
  template:
    metadata: {labels: {app: plain}}
    spec:
      containers:
      - {name: app, image: registry.example/plain:1, resources: {requests: {cpu: 100m, memory: 64Mi}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: two}
spec:
  replicas: 3
  selector: {matchLabels: {app: two}}
  template:
    metadata: {labels: {app: two}}
    spec:
      containers:
      - {name: web, image: registry.example/web:2}
      - {name: side, image: registry.example/plain:1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: slow}
spec:
  replicas: 2
  selector: {matchLabels: {app: slow}}
  template:
    metadata:
      labels: {app: slow}
      annotations: {sim.kubesim.io/startup-seconds: "5", sim.kubesim.io/image-pull-seconds: "3"}
    spec:
      containers:
      - {name: app, image: registry.example/slow:1}
---
apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: app
    image: registry.example/probed:1
    readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 2}
---
apiVersion: batch/v1
kind: Job
metadata: {name: once}
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: work, image: registry.example/work:1}
`;

async function run(kept: boolean): Promise<string[]> {
  useKeptCourses(kept);
  const c = await manualCluster(['--nodes', '2']);
  const out: string[] = [];
  const step = async (...args: string[]) => {
    const r = await c.run(...args);
    expect(r.code, r.stderr).toBe(0);
    out.push(r.stdout);
  };
  await step('apply', '-f', c.file('m.yaml', MANIFEST));
  for (const t of ['1s', '500ms', '1s', '2s', '30s']) {
    await step('clock', 'advance', t);
    await step('get', 'pods', '-o', 'yaml');
  }
  await step('scale', 'deployment/plain', '--replicas=7');
  await step('clock', 'advance', '1m');
  await step('get', 'pods', '-o', 'yaml');
  await step('get', 'events', '-o', 'yaml');
  await step('describe', 'pods');
  return out;
}

describe('the kubelet kept course', () => {
  afterEach(() => useKeptCourses(true));

  it('writes what the general state machine writes', async () => {
    const before = keptCourseSteps();
    const firstBefore = keptCourseFirstSyncs();
    const kept = await run(true);
    // plain: 4 + 3 more pods, two steps each; two: 3 pods (each step both containers)
    expect(keptCourseSteps() - before).toBeGreaterThanOrEqual(14);
    // the first syncs of the apply's plain and two pods (no image on a node yet)
    expect(keptCourseFirstSyncs() - firstBefore).toBeGreaterThanOrEqual(7);
    const general = await run(false);
    expect(kept).toEqual(general);
  });
});
