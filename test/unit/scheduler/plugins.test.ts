import { describe, expect, it } from 'vitest';
import { filterResults, node, pod, scoreResults, snapshotOf } from './fixtures';
import { nodeUnschedulable } from '../../../src/scheduler/plugins/node-unschedulable';
import { nodeName } from '../../../src/scheduler/plugins/node-name';
import { nodePorts } from '../../../src/scheduler/plugins/node-ports';
import { nodeResourcesFit } from '../../../src/scheduler/plugins/node-resources-fit';
import { balancedAllocation } from '../../../src/scheduler/plugins/balanced-allocation';
import { taintToleration } from '../../../src/scheduler/plugins/taint-toleration';
import { nodeAffinity } from '../../../src/scheduler/plugins/node-affinity';
import { podTopologySpread } from '../../../src/scheduler/plugins/pod-topology-spread';
import { interPodAffinity } from '../../../src/scheduler/plugins/inter-pod-affinity';
import { imageLocality } from '../../../src/scheduler/plugins/image-locality';
import { Diagnosis, fitErrorMessage, numFeasibleNodesToFind, type PodFilter } from '../../../src/scheduler/framework';
import { Status, unresolvable, unschedulable } from '../../../src/scheduler/status';
import { podInfoOf, podRequests } from '../../../src/scheduler/pod-info';
import { NodeInfo } from '../../../src/scheduler/node-info';
import type { KObject } from '../../../src/model/objects';
import type { Pod } from '../../../src/model/kinds';
import { queueOrder } from '../../../src/scheduler/controller';

const TAINT = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const twoNodes = () => [node('node-1'), node('node-2')];

describe('NodeUnschedulable filter', () => {
  const cases: [string, Pod, Record<string, string>][] = [
    ['a cordoned node is refused', pod('p'), { 'node-1': 'node(s) were unschedulable', 'node-2': 'ok' }],
    [
      'a pod tolerating node.kubernetes.io/unschedulable goes anywhere',
      pod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } }),
      { 'node-1': 'skip', 'node-2': 'skip' },
    ],
  ];
  it.each(cases)('%s', (_name, incoming, expected) => {
    expect(filterResults(nodeUnschedulable, incoming, [node('node-1', { unschedulable: true }), node('node-2')])).toEqual(expected);
  });
  it('is skipped when no node is cordoned', () => {
    expect(filterResults(nodeUnschedulable, pod('p'), twoNodes())).toEqual({ 'node-1': 'skip', 'node-2': 'skip' });
  });
});

describe('NodeName filter', () => {
  it('a pod naming a node fits only that node', () => {
    expect(filterResults(nodeName, pod('p', { spec: { nodeName: 'node-2' } }), twoNodes())).toEqual({
      'node-1': "node(s) didn't match the requested node name",
      'node-2': 'ok',
    });
  });
  it('a pod without spec.nodeName skips the plugin', () => {
    expect(filterResults(nodeName, pod('p'), twoNodes())).toEqual({ 'node-1': 'skip', 'node-2': 'skip' });
  });
});

describe('NodePorts filter', () => {
  const existing = (ports: { containerPort: number; hostPort: number; protocol?: string; hostIP?: string }[]) =>
    pod('existing', { nodeName: 'node-1', ports });
  const cases: [string, KObject[], Pod, string][] = [
    [
      'the same hostPort clashes',
      [existing([{ containerPort: 80, hostPort: 8080 }])],
      pod('p', { ports: [{ containerPort: 80, hostPort: 8080 }] }),
      "node(s) didn't have free ports for the requested pod ports",
    ],
    [
      'another protocol does not clash',
      [existing([{ containerPort: 53, hostPort: 53, protocol: 'UDP' }])],
      pod('p', { ports: [{ containerPort: 53, hostPort: 53 }] }),
      'ok',
    ],
    [
      'another port does not clash',
      [existing([{ containerPort: 80, hostPort: 8080 }])],
      pod('p', { ports: [{ containerPort: 80, hostPort: 8081 }] }),
      'ok',
    ],
    [
      '0.0.0.0 clashes with a specific IP',
      [existing([{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }])],
      pod('p', { ports: [{ containerPort: 80, hostPort: 8080 }] }),
      "node(s) didn't have free ports for the requested pod ports",
    ],
    [
      'two specific IPs do not clash',
      [existing([{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }])],
      pod('p', { ports: [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.2' } as never] }),
      'ok',
    ],
  ];
  it.each(cases)('%s', (_name, pods, incoming, expected) => {
    expect(filterResults(nodePorts, incoming, [...twoNodes(), ...pods])['node-1']).toBe(expected);
  });
  it('a pod without host ports skips the plugin', () => {
    expect(filterResults(nodePorts, pod('p', { ports: [{ containerPort: 80 }] }), twoNodes())).toEqual({
      'node-1': 'skip',
      'node-2': 'skip',
    });
  });
});

describe('NodeResourcesFit filter', () => {
  const onNode1 = (name: string, cpu: string, memory = '1Gi') => pod(name, { nodeName: 'node-1', cpu, memory });
  const cases: [string, KObject[], Pod, string][] = [
    ['room left: fits', [onNode1('a', '2')], pod('p', { cpu: '2' }), 'ok'],
    ['not enough cpu left', [onNode1('a', '3')], pod('p', { cpu: '2' }), 'Insufficient cpu'],
    ['not enough memory left', [onNode1('a', '1', '15Gi')], pod('p', { cpu: '1', memory: '2Gi' }), 'Insufficient memory'],
    [
      'every shortfall is reported',
      [onNode1('a', '3', '15Gi')],
      pod('p', { cpu: '2', memory: '2Gi' }),
      'Insufficient cpu, Insufficient memory',
    ],
    ['more than allocatable', [], pod('p', { cpu: '5' }), 'Insufficient cpu'],
    [
      'init containers count at their maximum',
      [onNode1('a', '2')],
      pod('p', { cpu: '1', spec: { initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu: '3' } } }] } }),
      'Insufficient cpu',
    ],
    [
      'sidecars (restartable init containers) add to the containers',
      [onNode1('a', '2600m')],
      pod('p', {
        cpu: '1',
        spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '500m' } } }] },
      }),
      'Insufficient cpu',
    ],
    [
      'an extended resource the node lacks',
      [],
      {
        ...pod('p'),
        spec: { ...pod('p').spec, containers: [{ name: 'c', image: 'cuda', resources: { requests: { 'nvidia.com/gpu': '1' } } }] },
      },
      'Insufficient nvidia.com/gpu',
    ],
  ];
  it.each(cases)('%s', (_name, pods, incoming, expected) => {
    expect(filterResults(nodeResourcesFit, incoming, [...twoNodes(), ...pods])['node-1']).toBe(expected);
  });
  it('a full node reports Too many pods even for a pod without requests', () => {
    const full = [node('node-1', { pods: 2 }), pod('a', { nodeName: 'node-1' }), pod('b', { nodeName: 'node-1' })];
    expect(filterResults(nodeResourcesFit, pod('p'), full)['node-1']).toBe('Too many pods');
  });
});

describe('pod requests (resourcehelper.PodRequests)', () => {
  it('containers without requests count 100m / 200Mi only when asked (scoring)', () => {
    const spec = pod('p').spec;
    expect(podRequests(spec, false)).toMatchObject({ milliCpu: 0, memory: 0 });
    expect(podRequests(spec, true)).toMatchObject({ milliCpu: 100, memory: 200 * 1024 * 1024 });
  });
  it('a missing memory request is defaulted but an explicit cpu is kept', () => {
    expect(podRequests(pod('p', { cpu: '250m' }).spec, true)).toMatchObject({ milliCpu: 250, memory: 200 * 1024 * 1024 });
  });
  it('pod overhead is added', () => {
    expect(podRequests({ ...pod('p', { cpu: '1' }).spec, overhead: { cpu: '250m' } }, false)).toMatchObject({ milliCpu: 1250 });
  });
});

describe('NodeResourcesFit score (LeastAllocated) and BalancedAllocation', () => {
  it('LeastAllocated averages the free share of cpu and memory', () => {
    // cpu (4000-1000)*100/4000 = 75, memory (16Gi-2Gi)*100/16Gi = 87 → (75+87)/2 = 81
    expect(scoreResults(nodeResourcesFit, pod('p', { cpu: '1', memory: '2Gi' }), [node('node-1')])).toEqual({ 'node-1': 81 });
  });
  it('LeastAllocated counts a pod without requests as 100m / 200Mi', () => {
    // cpu 3900*100/4000 = 97, memory (16384-200)*100/16384 = 98 → 97
    expect(scoreResults(nodeResourcesFit, pod('p'), [node('node-1')])).toEqual({ 'node-1': 97 });
  });
  it('LeastAllocated prefers the emptier node', () => {
    const scores = scoreResults(nodeResourcesFit, pod('p', { cpu: '1', memory: '1Gi' }), [
      ...twoNodes(),
      pod('a', { nodeName: 'node-1', cpu: '2', memory: '8Gi' }),
    ]) as Record<string, number>;
    expect(scores['node-2']).toBeGreaterThan(scores['node-1']);
  });
  it('BalancedAllocation is (1 − |cpu share − memory share| / 2) × 100', () => {
    // cpu 1/4 = 0.25, memory 2/16 = 0.125, std 0.0625 → 93
    expect(scoreResults(balancedAllocation, pod('p', { cpu: '1', memory: '2Gi' }), [node('node-1')])).toEqual({ 'node-1': 93 });
  });
  it('BalancedAllocation uses real requests: a best-effort pod on an empty node scores 100', () => {
    expect(scoreResults(balancedAllocation, pod('p'), [node('node-1')])).toEqual({ 'node-1': 100 });
  });
});

describe('TaintToleration filter', () => {
  const tainted = (effect: string) => [node('node-1', { taints: [{ ...TAINT, effect }] })];
  const cases: [string, string, Record<string, string>[] | undefined, string][] = [
    ['an untolerated NoSchedule taint refuses', 'NoSchedule', undefined, 'node(s) had untolerated taint {dedicated: gpu}'],
    ['an untolerated NoExecute taint refuses', 'NoExecute', undefined, 'node(s) had untolerated taint {dedicated: gpu}'],
    ['PreferNoSchedule only scores', 'PreferNoSchedule', undefined, 'ok'],
    [
      'Equal with key, value and effect tolerates',
      'NoSchedule',
      [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      'ok',
    ],
    ['an empty operator means Equal', 'NoSchedule', [{ key: 'dedicated', value: 'gpu' }], 'ok'],
    [
      'Equal with another value does not tolerate',
      'NoSchedule',
      [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }],
      'node(s) had untolerated taint {dedicated: gpu}',
    ],
    ['Exists on the key tolerates any value', 'NoSchedule', [{ key: 'dedicated', operator: 'Exists' }], 'ok'],
    ['Exists with an empty key tolerates everything', 'NoExecute', [{ operator: 'Exists' }], 'ok'],
    [
      'a toleration for another effect does not tolerate',
      'NoExecute',
      [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
      'node(s) had untolerated taint {dedicated: gpu}',
    ],
  ];
  it.each(cases)('%s', (_name, effect, tolerations, expected) => {
    const incoming = pod('p', tolerations ? { spec: { tolerations } } : {});
    expect(filterResults(taintToleration, incoming, tainted(effect))['node-1']).toBe(expected);
  });
  it('is skipped when no node has a taint, and checks every node when one has', () => {
    expect(filterResults(taintToleration, pod('p'), twoNodes())).toEqual({ 'node-1': 'skip', 'node-2': 'skip' });
    expect(filterResults(taintToleration, pod('p'), [node('node-1', { taints: [TAINT] }), node('node-2')])).toEqual({
      'node-1': 'node(s) had untolerated taint {dedicated: gpu}',
      'node-2': 'ok',
    });
  });
});

describe('TaintToleration score', () => {
  it('fewer untolerated PreferNoSchedule taints score higher', () => {
    const nodes = [
      node('node-1'),
      node('node-2', { taints: [{ key: 'a', value: '1', effect: 'PreferNoSchedule' }] }),
      node('node-3', {
        taints: [
          { key: 'a', value: '1', effect: 'PreferNoSchedule' },
          { key: 'b', value: '2', effect: 'PreferNoSchedule' },
        ],
      }),
    ];
    expect(scoreResults(taintToleration, pod('p'), nodes)).toEqual({ 'node-1': 100, 'node-2': 50, 'node-3': 0 });
    const tolerant = pod('p', { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } });
    expect(scoreResults(taintToleration, tolerant, nodes)).toEqual({ 'node-1': 100, 'node-2': 0, 'node-3': 0 });
  });
  it('skips when no node has PreferNoSchedule taints (every node would score the same)', () => {
    expect(scoreResults(taintToleration, pod('p'), twoNodes())).toBe('skip');
  });
});

describe('NodeAffinity filter', () => {
  const nodes = () => [
    node('node-1', { labels: { disk: 'ssd', cores: '8' } }),
    node('node-2', { labels: { disk: 'hdd', cores: '2' } }),
    node('node-3'),
  ];
  const required = (...terms: unknown[]) => ({
    spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } },
  });
  const expr = (key: string, operator: string, values?: string[]) => ({
    matchExpressions: [{ key, operator, ...(values ? { values } : {}) }],
  });
  const miss = "node(s) didn't match Pod's node affinity/selector";
  const cases: [string, Pod, string[]][] = [
    ['nodeSelector', pod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), ['ok', miss, miss]],
    ['In', pod('p', required(expr('disk', 'In', ['ssd', 'nvme']))), ['ok', miss, miss]],
    ['NotIn matches nodes without the label', pod('p', required(expr('disk', 'NotIn', ['ssd']))), [miss, 'ok', 'ok']],
    ['Exists', pod('p', required(expr('disk', 'Exists'))), ['ok', 'ok', miss]],
    ['DoesNotExist', pod('p', required(expr('disk', 'DoesNotExist'))), [miss, miss, 'ok']],
    ['Gt compares integers', pod('p', required(expr('cores', 'Gt', ['4']))), ['ok', miss, miss]],
    ['Lt compares integers', pod('p', required(expr('cores', 'Lt', ['4']))), [miss, 'ok', miss]],
    ['terms are ORed', pod('p', required(expr('disk', 'In', ['ssd']), expr('cores', 'In', ['2']))), ['ok', 'ok', miss]],
    [
      'requirements in a term are ANDed',
      pod(
        'p',
        required({
          matchExpressions: [
            { key: 'disk', operator: 'Exists' },
            { key: 'cores', operator: 'Gt', values: ['4'] },
          ],
        }),
      ),
      ['ok', miss, miss],
    ],
    ['an empty term selects nothing', pod('p', required({})), [miss, miss, miss]],
    [
      'nodeSelector and affinity must both hold',
      pod('p', { spec: { nodeSelector: { disk: 'ssd' }, ...required(expr('cores', 'Lt', ['4'])).spec } }),
      [miss, miss, miss],
    ],
  ];
  it.each(cases)('%s', (_name, incoming, expected) => {
    expect(Object.values(filterResults(nodeAffinity, incoming, nodes()))).toEqual(expected);
  });
  it('matchFields metadata.name narrows the search to the named nodes (PreFilterResult)', () => {
    const incoming = pod('p', required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }));
    expect(filterResults(nodeAffinity, incoming, nodes())).toEqual({
      'node-1': 'not in PreFilterResult',
      'node-2': 'ok',
      'node-3': 'not in PreFilterResult',
    });
  });
  it('terms naming disjoint nodes conflict', () => {
    const incoming = pod(
      'p',
      required({
        matchFields: [
          { key: 'metadata.name', operator: 'In', values: ['node-1'] },
          { key: 'metadata.name', operator: 'In', values: ['node-2'] },
        ],
      }),
    );
    expect(filterResults(nodeAffinity, incoming, nodes())['node-1']).toBe('prefilter: pod affinity terms conflict');
  });
  it('a pod without nodeSelector or required affinity skips the plugin', () => {
    expect(Object.values(filterResults(nodeAffinity, pod('p'), nodes()))).toEqual(['skip', 'skip', 'skip']);
  });
});

describe('NodeAffinity score', () => {
  it('sums the weights of matching preferred terms, scaled so the best is 100', () => {
    const incoming = pod('p', {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 2, preference: { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] } },
              { weight: 1, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            ],
          },
        },
      },
    });
    const nodes = [node('node-1', { zone: 'a', labels: { disk: 'ssd' } }), node('node-2', { zone: 'a' }), node('node-3', { zone: 'b' })];
    expect(scoreResults(nodeAffinity, incoming, nodes)).toEqual({ 'node-1': 100, 'node-2': 66, 'node-3': 0 });
  });
});

describe('PodTopologySpread filter', () => {
  const web = { app: 'web' };
  const spread = (extra: Record<string, unknown> = {}) => ({
    labels: web,
    spec: {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: web },
          ...extra,
        },
      ],
    },
  });
  const zones = () => [
    node('node-1', { zone: 'a', labels: { disk: 'ssd' } }),
    node('node-2', { zone: 'a' }),
    node('node-3', { zone: 'b' }),
  ];
  const skew = "node(s) didn't match pod topology spread constraints";
  it('a domain more than maxSkew above the least loaded one is refused', () => {
    const pods = [pod('w1', { nodeName: 'node-1', labels: web }), pod('w2', { nodeName: 'node-2', labels: web })];
    expect(filterResults(podTopologySpread, pod('p', spread()), [...zones(), ...pods])).toEqual({
      'node-1': skew,
      'node-2': skew,
      'node-3': 'ok',
    });
  });
  it('balanced domains accept the pod anywhere', () => {
    const pods = [pod('w1', { nodeName: 'node-1', labels: web }), pod('w2', { nodeName: 'node-3', labels: web })];
    expect(Object.values(filterResults(podTopologySpread, pod('p', spread()), [...zones(), ...pods]))).toEqual(['ok', 'ok', 'ok']);
  });
  it('offers the node search its early check only when some node is rejected', () => {
    const preFilter = (objects: KObject[]) => podTopologySpread.preFilter!(podInfoOf(pod('p', spread())), snapshotOf(objects)) as PodFilter;
    const balanced = [pod('w1', { nodeName: 'node-1', labels: web }), pod('w2', { nodeName: 'node-3', labels: web })];
    expect(preFilter([...zones(), ...balanced]).rejects).toBeUndefined();
    // zone a ahead: its nodes are rejected
    expect(preFilter([...zones(), balanced[0]]).rejects).toBeTypeOf('function');
    // as a table by zone: nodes without the label, then zones a and b
    expect([...preFilter([...zones(), balanced[0]]).rejectedDomains!.rejected]).toEqual([1, 1, 0]);
    // balanced, but a node without the zone label is rejected
    expect(preFilter([...zones(), node('node-4'), ...balanced]).rejects).toBeTypeOf('function');
  });
  it('with fewer eligible domains than minDomains the global minimum is 0', () => {
    const pods = [pod('w1', { nodeName: 'node-1', labels: web }), pod('w2', { nodeName: 'node-3', labels: web })];
    expect(Object.values(filterResults(podTopologySpread, pod('p', spread({ minDomains: 3 })), [...zones(), ...pods]))).toEqual([
      skew,
      skew,
      skew,
    ]);
  });
  it('terminating pods and pods of other namespaces are not counted', () => {
    const pods = [
      pod('w1', { nodeName: 'node-1', labels: web, status: {} }),
      {
        ...pod('w2', { nodeName: 'node-2', labels: web }),
        metadata: { ...pod('w2').metadata, labels: web, deletionTimestamp: '2025-01-01T00:00:00Z' },
      },
      pod('w3', { nodeName: 'node-2', labels: web, namespace: 'kube-system' }),
    ];
    expect(Object.values(filterResults(podTopologySpread, pod('p', spread()), [...zones(), ...pods]))).toEqual([skew, skew, 'ok']);
  });
  it('a node without the topology label is refused as unresolvable', () => {
    expect(filterResults(podTopologySpread, pod('p', spread()), [...zones(), node('node-4')])['node-4']).toBe(
      `${skew} (missing required label)`,
    );
  });
  it('nodeAffinityPolicy Honor counts only nodes the pod could go to', () => {
    // only zone a has ssd nodes: zone b is not an eligible domain, so a's 1 pod is the minimum
    const pods = [pod('w1', { nodeName: 'node-1', labels: web })];
    const honor = pod('p', { labels: web, spec: { ...spread().spec, nodeSelector: { disk: 'ssd' } } });
    expect(filterResults(podTopologySpread, honor, [...zones(), ...pods])['node-1']).toBe('ok');
    const ignore = pod('p', { labels: web, spec: { ...spread({ nodeAffinityPolicy: 'Ignore' }).spec, nodeSelector: { disk: 'ssd' } } });
    expect(filterResults(podTopologySpread, ignore, [...zones(), ...pods])['node-1']).toBe(skew);
  });
  it('a pod without DoNotSchedule constraints skips the filter', () => {
    expect(Object.values(filterResults(podTopologySpread, pod('p'), zones()))).toEqual(['skip', 'skip', 'skip']);
  });
});

describe('PodTopologySpread score', () => {
  it('prefers the domain with fewer matching pods', () => {
    const web = { app: 'web' };
    const incoming = pod('p', {
      labels: web,
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'topology.kubernetes.io/zone',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: web },
          },
        ],
      },
    });
    const objects = [
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'a' }),
      node('node-3', { zone: 'b' }),
      pod('w1', { nodeName: 'node-1', labels: web }),
      pod('w2', { nodeName: 'node-2', labels: web }),
    ];
    // zone a has 2 pods: raw score round(2 × ln(2+2)) = 3, zone b 0 → normalized 100·(3+0−s)/3
    expect(scoreResults(podTopologySpread, incoming, objects)).toEqual({ 'node-1': 0, 'node-2': 0, 'node-3': 100 });
  });
  it('system defaults spread the pods of a ReplicaSet by hostname and zone', () => {
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'default', uid: 'uid-rs' },
      spec: { selector: { matchLabels: { app: 'web' } } },
    };
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-rs', controller: true }];
    const objects = [
      rs,
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      pod('w1', { nodeName: 'node-1', labels: { app: 'web' }, ownerReferences: owner }),
    ];
    const scores = scoreResults(podTopologySpread, pod('p', { labels: { app: 'web' }, ownerReferences: owner }), objects) as Record<
      string,
      number
    >;
    expect(scores['node-2']).toBeGreaterThan(scores['node-1']);
    expect(scoreResults(podTopologySpread, pod('p', { labels: { app: 'web' } }), objects)).toBe('skip');
  });
});

describe('PodTopologySpread system defaults, pod after pod', () => {
  it("pods with one labels object but different controllers get their own controller's selector", () => {
    // the plugin reuses the last pod's default constraints when the next is alike (labels object,
    // namespace, controller): two ReplicaSets selecting differently must not share them
    const rs = (name: string, selector: unknown): KObject => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'default', uid: `uid-${name}` },
      spec: { selector },
    });
    const owner = (name: string) => [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: `uid-${name}`, controller: true }];
    const labels = { app: 'web' };
    const snapshot = snapshotOf([
      rs('web', { matchLabels: { app: 'web' } }),
      rs('any', { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }),
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      pod('api-1', { nodeName: 'node-1', labels: { app: 'api' } }),
      pod('api-2', { nodeName: 'node-1', labels: { app: 'api' } }),
    ]);
    const scores = (incoming: Pod): number[] => {
      const scorer = podTopologySpread.preScore!(podInfoOf(incoming), snapshot.nodes, snapshot);
      if (scorer instanceof Status) throw new Error('skipped');
      const out = new Float64Array(snapshot.nodes.length);
      scorer.scoreAll!(
        snapshot.nodes,
        out,
        Int32Array.from(snapshot.nodes, (n) => n.index),
      );
      scorer.normalize!(out, snapshot.nodes);
      return [...out];
    };
    const byName = (s: number[]) => Object.fromEntries(snapshot.nodes.map((n, i) => [n.name, s[i]]));
    // the ReplicaSet selecting web alone: no matching pod anywhere, every node alike
    expect(byName(scores(pod('web-x', { labels, ownerReferences: owner('web') })))).toEqual({ 'node-1': 100, 'node-2': 100 });
    // the one selecting web and api too: node-1's two api pods count against it
    const other = byName(scores(pod('any-x', { labels, ownerReferences: owner('any') })));
    expect(other['node-2']).toBeGreaterThan(other['node-1']);
  });
});

describe('PodTopologySpread scorer of a ReplicaSet, pod after pod', () => {
  const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'uid-web', controller: true }];
  const labels = { app: 'web' };
  const snapshotWithReplicaSet = () =>
    snapshotOf([
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web', namespace: 'default', uid: 'uid-web' },
        spec: { selector: { matchLabels: labels } },
      },
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'b' }),
      node('node-3', { zone: 'b' }),
    ]);
  const index = (nodes: readonly NodeInfo[]) => Int32Array.from(nodes, (n) => n.index);

  it("the next pod's scores count the pods assumed since (the scorer, kept for it, reads live counts)", () => {
    const snapshot = snapshotWithReplicaSet();
    const scored = (p: Pod): number[] => {
      const scorer = podTopologySpread.preScore!(podInfoOf(p), snapshot.nodes, snapshot);
      if (scorer instanceof Status) throw new Error('skipped');
      const out = new Float64Array(snapshot.nodes.length);
      scorer.scoreAll!(snapshot.nodes, out, index(snapshot.nodes));
      scorer.normalize!(out, snapshot.nodes);
      return [...out];
    };
    expect(scored(pod('web-1', { labels, ownerReferences: owner }))).toEqual([100, 100, 100]);
    snapshot.assume(podInfoOf(pod('web-1', { labels, ownerReferences: owner })), snapshot.nodes[0]);
    const second = scored(pod('web-2', { labels, ownerReferences: owner }));
    expect(second[0]).toBeLessThan(second[1]);
    snapshot.assume(podInfoOf(pod('web-2', { labels, ownerReferences: owner })), snapshot.nodes[1]);
    // node-3 alone has none of them on it; zone b holds one, zone a one
    const third = scored(pod('web-3', { labels, ownerReferences: owner }));
    expect(third[2]).toBeGreaterThan(third[0]);
    expect(third[2]).toBeGreaterThan(third[1]);
  });

  it('normalizedTable gives what normalize does', () => {
    const snapshot = snapshotWithReplicaSet();
    snapshot.assume(podInfoOf(pod('web-1', { labels, ownerReferences: owner })), snapshot.nodes[0]);
    snapshot.assume(podInfoOf(pod('web-2', { labels, ownerReferences: owner })), snapshot.nodes[0]);
    snapshot.assume(podInfoOf(pod('web-3', { labels, ownerReferences: owner })), snapshot.nodes[1]);
    const scorer = podTopologySpread.preScore!(podInfoOf(pod('web-4', { labels, ownerReferences: owner })), snapshot.nodes, snapshot);
    if (scorer instanceof Status) throw new Error('skipped');
    const raw = new Float64Array(snapshot.nodes.length);
    scorer.scoreAll!(snapshot.nodes, raw, index(snapshot.nodes));
    const normalized = raw.slice();
    scorer.normalize!(normalized, snapshot.nodes);
    const answer = scorer.normalizedTable!(raw);
    if (answer === undefined) throw new Error('no table');
    expect([...raw].map((s) => answer.table[s - answer.offset])).toEqual([...normalized]);
    expect(new Set(normalized).size).toBe(3);
  });
});

describe('queue order', () => {
  it('ties of priority and age go by namespace/name as one string', () => {
    // '-' sorts before '/': "a-b/x" comes before "a/x", though namespace "a" sorts before "a-b"
    const pods = [pod('y', { namespace: 'a' }), pod('x', { namespace: 'a-b' }), pod('x', { namespace: 'a' }), pod('z', { priority: 5 })];
    expect(queueOrder(pods).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['default/z', 'a-b/x', 'a/x', 'a/y']);
  });
});

describe('InterPodAffinity filter', () => {
  const zones = () => [node('node-1', { zone: 'a' }), node('node-2', { zone: 'a' }), node('node-3', { zone: 'b' })];
  const term = (app: string, topologyKey: string, extra: Record<string, unknown> = {}) => ({
    topologyKey,
    labelSelector: { matchLabels: { app } },
    ...extra,
  });
  const withAffinity = (kind: 'podAffinity' | 'podAntiAffinity', t: unknown, labels?: Record<string, string>) =>
    pod('p', { labels, spec: { affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: [t] } } } });
  it('required affinity wants a matching pod in the same domain', () => {
    const objects = [...zones(), pod('db', { nodeName: 'node-1', labels: { app: 'db' } })];
    expect(
      Object.values(filterResults(interPodAffinity, withAffinity('podAffinity', term('db', 'topology.kubernetes.io/zone')), objects)),
    ).toEqual(['ok', 'ok', "node(s) didn't match pod affinity rules"]);
  });
  it('the first pod of a group with affinity to itself may go anywhere', () => {
    expect(
      Object.values(
        filterResults(interPodAffinity, withAffinity('podAffinity', term('db', 'topology.kubernetes.io/zone'), { app: 'db' }), zones()),
      ),
    ).toEqual(['ok', 'ok', 'ok']);
  });
  it('required anti-affinity keeps the pod out of domains with matching pods', () => {
    const objects = [...zones(), pod('web', { nodeName: 'node-1', labels: { app: 'web' } })];
    expect(
      Object.values(filterResults(interPodAffinity, withAffinity('podAntiAffinity', term('web', 'kubernetes.io/hostname')), objects)),
    ).toEqual(["node(s) didn't match pod anti-affinity rules", 'ok', 'ok']);
  });
  it("existing pods' anti-affinity keeps matching pods out of their domain", () => {
    const guard = pod('guard', {
      nodeName: 'node-1',
      spec: {
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'topology.kubernetes.io/zone')] } },
      },
    });
    const incoming = pod('p', { labels: { app: 'web' } });
    expect(Object.values(filterResults(interPodAffinity, incoming, [...zones(), guard]))).toEqual([
      "node(s) didn't satisfy existing pods anti-affinity rules",
      "node(s) didn't satisfy existing pods anti-affinity rules",
      'ok',
    ]);
  });
  it('terms select pods in their own namespace unless namespaces are given', () => {
    const other = pod('web', { nodeName: 'node-1', labels: { app: 'web' }, namespace: 'kube-system' });
    expect(
      filterResults(interPodAffinity, withAffinity('podAntiAffinity', term('web', 'kubernetes.io/hostname')), [...zones(), other])[
        'node-1'
      ],
    ).toBe('ok');
    expect(
      filterResults(
        interPodAffinity,
        withAffinity('podAntiAffinity', term('web', 'kubernetes.io/hostname', { namespaces: ['kube-system'] })),
        [...zones(), other],
      )['node-1'],
    ).toBe("node(s) didn't match pod anti-affinity rules");
    expect(
      filterResults(interPodAffinity, withAffinity('podAntiAffinity', term('web', 'kubernetes.io/hostname', { namespaceSelector: {} })), [
        ...zones(),
        other,
      ])['node-1'],
    ).toBe("node(s) didn't match pod anti-affinity rules");
  });
  it('a pod without affinity skips the filter when no existing pod has anti-affinity', () => {
    expect(Object.values(filterResults(interPodAffinity, pod('p'), zones()))).toEqual(['skip', 'skip', 'skip']);
  });
});

describe('InterPodAffinity score', () => {
  it('preferred affinity pulls the pod to the domain of matching pods, preferred anti-affinity pushes it away', () => {
    const objects = [
      node('node-1', { zone: 'a' }),
      node('node-2', { zone: 'a' }),
      node('node-3', { zone: 'b' }),
      pod('db', { nodeName: 'node-1', labels: { app: 'db' } }),
    ];
    const preferred = (kind: string, weight: number) =>
      pod('p', {
        spec: {
          affinity: {
            [kind]: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                { weight, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'db' } } } },
              ],
            },
          },
        },
      });
    expect(scoreResults(interPodAffinity, preferred('podAffinity', 10), objects)).toEqual({ 'node-1': 100, 'node-2': 100, 'node-3': 0 });
    expect(scoreResults(interPodAffinity, preferred('podAntiAffinity', 10), objects)).toEqual({ 'node-1': 0, 'node-2': 0, 'node-3': 100 });
  });
  it("existing pods' required affinity attracts matching pods (hard weight 1)", () => {
    const fan = pod('fan', {
      nodeName: 'node-3',
      spec: {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'star' } } },
            ],
          },
        },
      },
    });
    const objects = [node('node-1'), node('node-2'), node('node-3'), fan];
    expect(scoreResults(interPodAffinity, pod('p', { labels: { app: 'star' } }), objects)).toEqual({
      'node-1': 0,
      'node-2': 0,
      'node-3': 100,
    });
    expect(scoreResults(interPodAffinity, pod('p', { labels: { app: 'other' } }), objects)).toBe('skip');
  });
});

describe('ImageLocality score', () => {
  it('scales the size of images already on the node by how many nodes have them', () => {
    const MB = 1024 * 1024;
    const image = { names: ['nginx:1.25'], sizeBytes: 500 * MB };
    const objects = [node('node-1', { images: [image] }), node('node-2'), node('node-3')];
    // 500MB × 1/3 = 174762666 bytes → 100·(174762666 − 23MB)/(1000MB − 23MB) = 14
    expect(scoreResults(imageLocality, pod('p'), objects)).toEqual({ 'node-1': 14, 'node-2': 0, 'node-3': 0 });
  });
  it('skips when no node reports images', () => {
    expect(scoreResults(imageLocality, pod('p'), twoNodes())).toBe('skip');
  });
});

describe('numFeasibleNodesToFind (adaptive percentageOfNodesToScore)', () => {
  const cases: [number, number][] = [
    [50, 50],
    [99, 99],
    [100, 100],
    [1000, 420],
    [5000, 500],
    [6000, 300],
    [20000, 1000],
  ];
  it.each(cases)('%i nodes → stop after %i feasible', (nodes, expected) => {
    expect(numFeasibleNodesToFind(nodes)).toBe(expected);
  });
});

describe('FailedScheduling message (FitError.Error)', () => {
  const nodes = [1, 2, 3].map((i) => new NodeInfo(node(`node-${i}`), i - 1));
  it('counts reasons over nodes and sorts them as strings', () => {
    const d = new Diagnosis();
    d.set(nodes[0], unresolvable('TaintToleration', 'node(s) had untolerated taint {dedicated: gpu}'));
    d.set(nodes[1], unschedulable('NodeResourcesFit', 'Insufficient cpu', 'Insufficient memory'));
    d.set(nodes[2], unschedulable('NodeResourcesFit', 'Insufficient cpu'));
    expect(fitErrorMessage(3, d)).toBe(
      '0/3 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.',
    );
  });
  it('nodes without their own status count under the absent status', () => {
    const d = new Diagnosis();
    d.absentStatus = unresolvable('DefaultPreemption', 'Preemption is not helpful for scheduling');
    d.set(nodes[0], unresolvable('DefaultPreemption', 'No preemption victims found for incoming pod'));
    expect(fitErrorMessage(3, d)).toBe(
      '0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    );
  });
  it('appends the preemption message with its own separator (two dots in v1.32)', () => {
    const d = new Diagnosis();
    d.set(nodes[0], unschedulable('NodeResourcesFit', 'Insufficient cpu'));
    d.postFilterMsg = 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    expect(fitErrorMessage(1, d)).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    );
  });
});
