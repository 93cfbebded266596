import { describe, it, expect } from 'vitest';
import { manualCluster, type Cluster } from '../support/cli';
import { parseQuantityExact } from '../../src/api/quantity-exact';

/** Requests 100m/64Mi, using 400m/200Mi: under-requested. The memory limit is 4× the request. */
function web(replicas = 4, limits = '{memory: 256Mi}'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sim.kubesim.io/cpu-millicores: "400"
        sim.kubesim.io/memory-bytes: 200Mi
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: ${limits}
`;
}

const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: web}
`;

function vpa(mode: string, policy = ''): string {
  return `apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata:
  name: web
spec:
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  updatePolicy: {updateMode: "${mode}"}
  resourcePolicy:
    containerPolicies:
    - containerName: '*'
      minAllowed: {cpu: 50m, memory: 64Mi}
      maxAllowed: {cpu: "1", memory: 1Gi}
${policy}`;
}

async function cluster(...manifests: string[]): Promise<Cluster> {
  const c = await manualCluster(['--vpa']);
  c.file('m.yaml', manifests.join('---\n'));
  const r = await c.run('apply', '-f', 'm.yaml');
  expect(r.stderr).toBe('');
  return c;
}

interface PodView {
  name: string;
  requests: Record<string, string>;
  limits: Record<string, string>;
  annotations: Record<string, string>;
  ready: boolean;
  deleting: boolean;
}

async function pods(c: Cluster): Promise<PodView[]> {
  const r = await c.run('get', 'pods', '-l', 'app=web', '-o', 'json');
  const list = JSON.parse(r.stdout) as {
    items: {
      metadata: { name: string; annotations?: Record<string, string>; deletionTimestamp?: string };
      spec: { containers: { resources: { requests?: Record<string, string>; limits?: Record<string, string> } }[] };
      status: { conditions?: { type: string; status: string }[] };
    }[];
  };
  return list.items.map((p) => ({
    name: p.metadata.name,
    requests: p.spec.containers[0].resources.requests ?? {},
    limits: p.spec.containers[0].resources.limits ?? {},
    annotations: p.metadata.annotations ?? {},
    ready: (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    deleting: !!p.metadata.deletionTimestamp,
  }));
}

interface Recommendation {
  containerName: string;
  target: Record<string, string>;
  lowerBound: Record<string, string>;
  upperBound: Record<string, string>;
}

async function recommendation(c: Cluster): Promise<Recommendation[] | undefined> {
  const r = await c.run('get', 'vpa', 'web', '-o', 'json');
  const v = JSON.parse(r.stdout) as { status?: { recommendation?: { containerRecommendations: Recommendation[] } } };
  return v.status?.recommendation?.containerRecommendations;
}

const nano = (q: string) => parseQuantityExact(q).nano;

/** What the VPA may change of a pod: which pods there are and their resources. */
const shape = (list: PodView[]) => list.map((p) => ({ name: p.name, requests: p.requests, limits: p.limits }));

describe('cluster create --vpa', () => {
  it('installs the VPA CRDs as the VPA project ships them, with their printer columns', async () => {
    const c = await manualCluster(['--vpa']);
    const crds = await c.run('get', 'crd', '-o', 'name');
    expect(crds.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/verticalpodautoscalercheckpoints.autoscaling.k8s.io\n' +
        'customresourcedefinition.apiextensions.k8s.io/verticalpodautoscalers.autoscaling.k8s.io\n',
    );
    const resources = await c.run('api-resources', '--api-group', 'autoscaling.k8s.io');
    expect(resources.stdout).toMatch(/^verticalpodautoscalers +vpa +autoscaling\.k8s\.io\/v1 +true +VerticalPodAutoscaler$/m);
    expect(resources.stdout).toMatch(
      /^verticalpodautoscalercheckpoints +vpacheckpoint +autoscaling\.k8s\.io\/v1 +true +VerticalPodAutoscalerCheckpoint$/m,
    );
  });

  it('refuses an updateMode the CRD does not list', async () => {
    const c = await manualCluster(['--vpa']);
    c.file('v.yaml', vpa('Sometimes'));
    const r = await c.run('apply', '-f', 'v.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'spec.updatePolicy.updateMode: Unsupported value: "Sometimes": supported values: "Off", "Initial", "Recreate", "Auto"',
    );
  });

  it('without --vpa there is no VerticalPodAutoscaler kind', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'vpa');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: the server doesn't have a resource type "vpa"\n`);
  });
});

describe('the Vertical Pod Autoscaler', () => {
  it('in Auto raises the requests of an under-requested Deployment within the bounds, evicting no more pods than its PDB allows', async () => {
    const c = await cluster(web(4), PDB, vpa('Auto'));
    const before = await pods(c);
    expect(before.map((p) => p.requests)).toEqual(Array(4).fill({ cpu: '100m', memory: '64Mi' }));
    // every 10 s for 8 minutes: never more than one pod (the PDB's maxUnavailable) missing or going
    for (let t = 0; t < 48; t++) {
      await c.run('clock', 'advance', '10s');
      const now = await pods(c);
      const serving = now.filter((p) => p.ready && !p.deleting).length;
      expect(serving, `at ${(t + 1) * 10}s`).toBeGreaterThanOrEqual(3);
    }
    const [rec] = (await recommendation(c))!;
    expect(rec.containerName).toBe('app');
    // 400m used: the 90th percentile's bucket ends at 414m, plus 15%; 200Mi + 15% is under the 250Mi pod minimum
    expect(rec.target).toEqual({ cpu: '476m', memory: '262144k' });
    const after = await pods(c);
    expect(after).toHaveLength(4);
    expect(after.every((p) => !before.some((b) => b.name === p.name))).toBe(true);
    for (const p of after) {
      expect(p.requests).toEqual(rec.target);
      for (const r of ['cpu', 'memory']) {
        expect(nano(p.requests[r]) >= nano(rec.lowerBound[r]) && nano(p.requests[r]) <= nano(rec.upperBound[r])).toBe(true);
        expect(nano(p.requests[r]) >= nano(r === 'cpu' ? '50m' : '64Mi') && nano(p.requests[r]) <= nano(r === 'cpu' ? '1' : '1Gi')).toBe(
          true,
        );
      }
      // RequestsAndLimits: the 4:1 memory limit kept
      expect(p.limits).toEqual({ memory: '1000Mi' });
      expect(p.annotations.vpaUpdates).toBe('Pod resources updated by web: container 0: cpu request, memory request, memory limit');
      expect(p.annotations.vpaObservedContainers).toBe('app');
    }
    const events = await c.run(
      'get',
      'events',
      '--field-selector',
      'reason=EvictedByVPA',
      '-o',
      'jsonpath={range .items[*]}{.lastTimestamp} {.count}{"\\n"}{end}',
    );
    const lines = events.stdout.trim().split('\n');
    // each pod evicted once: no eviction the PDB refused is reported (a repeat would count 2)
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['1', '1', '1', '1']);
    const times = lines.map((l) => l.split(' ')[0]);
    // one eviction per updater run: the PDB allowed one disruption at a time
    expect(new Set(times).size).toBe(4);
    const described = await c.run('describe', 'vpa', 'web');
    expect(described.stdout).toMatch(
      /Normal {2}EvictedPod {2}.* {2}vpa-updater {2}VPA Updater evicted Pod web-[a-z0-9]+-[a-z0-9]+ to apply resource recommendation\./,
    );
    // settled: the new pods are within the bounds, nothing more is evicted
    await c.run('clock', 'advance', '10m');
    expect((await pods(c)).map((p) => p.name).sort()).toEqual(after.map((p) => p.name).sort());
  });

  it('without a PDB evicts at most half of the replicas at once (--eviction-tolerance 0.5)', async () => {
    const c = await cluster(web(4), vpa('Recreate'));
    await c.run('clock', 'advance', '60s');
    const r = await pods(c);
    expect(r.filter((p) => p.deleting)).toHaveLength(2);
  });

  it('leaves a Deployment of one replica alone (--min-replicas 2)', async () => {
    const c = await cluster(web(1), vpa('Auto'));
    const before = await pods(c);
    await c.run('clock', 'advance', '5m');
    expect((await recommendation(c))?.[0].target.cpu).toBe('476m');
    expect((await pods(c)).map((p) => p.name)).toEqual(before.map((p) => p.name));
  });

  it('in Off gives a recommendation only: get vpa shows it, no pod is evicted or changed', async () => {
    const c = await cluster(web(2), vpa('Off'));
    const before = await pods(c);
    await c.run('clock', 'advance', '5m');
    const got = await c.run('get', 'vpa');
    expect(got.stdout).toBe('NAME   MODE   CPU    MEM       PROVIDED   AGE\nweb    Off    476m   262144k   True       5m\n');
    expect(shape(await pods(c))).toEqual(shape(before));
    await c.run('scale', 'deployment/web', '--replicas', '3');
    const scaled = await pods(c);
    expect(scaled.every((p) => p.requests.cpu === '100m' && p.annotations.vpaUpdates === undefined)).toBe(true);
    const events = await c.run('get', 'events', '--field-selector', 'reason=EvictedByVPA');
    expect(events.stderr).toBe('No resources found in default namespace.\n');
  });

  it('in Initial sets requests on new pods only', async () => {
    const c = await cluster(web(2), vpa('Initial'));
    const before = await pods(c);
    await c.run('clock', 'advance', '5m');
    expect(shape(await pods(c))).toEqual(shape(before));
    await c.run('scale', 'deployment/web', '--replicas', '3');
    const added = (await pods(c)).filter((p) => !before.some((b) => b.name === p.name));
    expect(added.map((p) => p.requests)).toEqual([{ cpu: '476m', memory: '262144k' }]);
  });

  it('with RequestsOnly keeps the limits and caps the requests to them', async () => {
    const c = await cluster(web(2, '{cpu: 300m, memory: 256Mi}'), vpa('Initial', '      controlledValues: RequestsOnly\n'));
    const before = await pods(c);
    // created before any recommendation: upstream's annotation names no change
    expect(before[0].annotations.vpaUpdates).toBe('Pod resources updated by web: container 0: ');
    await c.run('clock', 'advance', '2m');
    await c.run('scale', 'deployment/web', '--replicas', '3');
    const added = (await pods(c)).find((p) => !before.some((b) => b.name === p.name));
    // the 476m CPU target is capped to the 300m limit ("cpu capped to container limit")
    expect(added?.limits).toEqual({ cpu: '300m', memory: '256Mi' });
    expect(added?.requests).toEqual({ cpu: '300m', memory: '262144k' });
    expect(added?.annotations.vpaUpdates).toBe('Pod resources updated by web: container 0: cpu request, memory request');
  });

  it('says NoPodsMatched while its target has no pods', async () => {
    const c = await cluster(vpa('Auto'));
    await c.run('clock', 'advance', '60s');
    const r = await c.run(
      'get',
      'vpa',
      'web',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status} {.reason}: {.message}{"\\n"}{end}',
    );
    expect(r.stdout).toBe(
      'NoPodsMatched=True NoPodsMatched: No pods match this VPA object\nRecommendationProvided=False NoPodsMatched: No pods match this VPA object\n',
    );
  });
});
