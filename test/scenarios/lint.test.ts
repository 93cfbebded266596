import { describe, it, expect } from 'vitest';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { kubesim, manualCluster, tempCluster } from '../support/cli';
import { LINT_CHECKS } from '../../src/model/lint';

const FIXTURES = path.resolve(__dirname, '../fixtures/lint');

interface JsonFinding {
  check: string;
  severity: string;
  file?: string;
  line?: number;
  column?: number;
  object: { kind: string; name: string; namespace?: string };
  message: string;
  evidence?: string[];
  why: string;
  fix: string;
}

/** lint of a fixture on a cluster file that does not exist (the default cluster's shape; nothing is created) */
async function lint(...args: string[]) {
  const t = tempCluster();
  const r = await kubesim(t.state, ['lint', ...args], { cwd: FIXTURES });
  expect(fs.existsSync(t.state)).toBe(false);
  return r;
}

async function findings(file: string): Promise<JsonFinding[]> {
  const r = await lint('-f', file, '-o', 'json');
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
}

/** each fixture is clean but for its check: the findings, placed at the field */
const STATIC_CASES: [file: string, expected: [check: string, line: number, column: number, message: string][]][] = [
  ['missing-requests.yaml', [['missing-requests', 17, 9, 'container "app" has no cpu request']]],
  ['missing-limits.yaml', [['missing-limits', 17, 9, 'container "app" has no memory limit']]],
  [
    'missing-probes.yaml',
    [['missing-probes', 15, 9, 'container "app" has no readiness or liveness probe, and Service "app" sends it traffic']],
  ],
  ['latest-tag.yaml', [['latest-tag', 16, 9, 'image "nginx:latest" of container "app" uses the :latest tag']]],
  [
    'pull-always-digest.yaml',
    [
      [
        'pull-always-digest',
        20,
        9,
        'container "app" pulls its digest-pinned image "nginx@sha256:2a0f69fd8d4b2bb6fd7a4f80bd7a6fa04f3ad3b7c1c2d3e4f5a6b7c8d9e0f1a2" on every start (imagePullPolicy: Always)',
      ],
    ],
  ],
  ['pvc-in-deployment.yaml', [['pvc-in-deployment', 15, 9, '2 replicas mount PersistentVolumeClaim "app-data" (volume "data")']]],
  ['service-selector-mismatch.yaml', [['service-selector-mismatch', 26, 3, 'selector app=api matches no pod template in the input']]],
  [
    'ingress-backend-missing.yaml',
    [
      ['ingress-backend-missing', 47, 11, 'backend Service "ap" is not in the input'],
      ['ingress-backend-missing', 53, 11, 'backend Service "app" has no port 8080 (it has http)'],
    ],
  ],
  ['missing-pdb.yaml', [['missing-pdb', 7, 3, '2 replicas and no PodDisruptionBudget in the input selects their pods']]],
  [
    'probe-restart-storm.yaml',
    [
      [
        'probe-restart-storm',
        22,
        9,
        'container "app" starts in 60s (sim.kubesim.io/startup-seconds) but its liveness probe gives up after 15s (initialDelaySeconds 0 + periodSeconds 5 × failureThreshold 3)',
      ],
    ],
  ],
  [
    'pod-security.yaml',
    [
      [
        'pod-security',
        13,
        5,
        'would violate PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)',
      ],
    ],
  ],
];

describe('kubesim lint: static checks', () => {
  it('is silent on a clean bundle and exits 0', async () => {
    const r = await lint('-f', 'clean.yaml');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each(STATIC_CASES)('flags %s at the field, and nothing else', async (file, expected) => {
    const got = await findings(file);
    expect(got.map((f) => [f.check, f.line, f.column, f.message])).toEqual(expected);
    for (const f of got) {
      expect(f.file).toBe(file);
      expect(f.why).toBe(LINT_CHECKS.find((c) => c.id === f.check)!.why);
    }
  });

  it('prints file:line:column, the check, its why and fix, and the counts', async () => {
    const r = await lint('-f', 'missing-pdb.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'missing-pdb.yaml:7:3: warning missing-pdb: Deployment default/app: 2 replicas and no PodDisruptionBudget in the input selects their pods',
        '    why: without a PodDisruptionBudget a node drain or cluster upgrade may evict every replica at once',
        '    fix: add a PodDisruptionBudget selecting the workload’s pods (e.g. maxUnavailable: 1)',
        '',
        '1 finding: 0 errors, 1 warning',
        '',
      ].join('\n'),
    );
  });

  it('a Namespace in the input that enforces restricted makes a Pod Security finding an error at that level', async () => {
    const t = tempCluster();
    t.file(
      'app.yaml',
      fs.readFileSync(path.join(FIXTURES, 'clean.yaml'), 'utf8') +
        '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n',
    );
    const r = await kubesim(t.state, ['lint', '-f', 'app.yaml', '-o', 'json'], { cwd: t.dir });
    const got = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    // its pods are refused, so the HPA has nothing to measure either
    expect(got.map((f) => [f.check, f.severity])).toEqual([
      ['pod-security', 'error'],
      ['hpa-inert', 'error'],
    ]);
    expect(got[0].message).toMatch(/^violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it('reads standard input, a List, and a directory with -R, and names each file', async () => {
    const t = tempCluster();
    const list = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'lonely' },
          spec: { selector: { app: 'none' }, ports: [{ port: 80 }] },
        },
      ],
    });
    const r = await kubesim(t.state, ['lint', '-f', '-', '-o', 'json'], { cwd: t.dir, stdin: list });
    const got = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(got.map((f) => [f.check, f.file, f.line])).toEqual([['service-selector-mismatch', 'STDIN', 1]]);

    fs.mkdirSync(path.join(t.dir, 'k8s/app'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'latest-tag.yaml'), path.join(t.dir, 'k8s/app/deploy.yaml'));
    const flat = await kubesim(t.state, ['lint', '-f', 'k8s', '-o', 'json'], { cwd: t.dir });
    expect(flat.code).toBe(2);
    expect(flat.stderr).toBe('error: no objects passed to lint\n');
    const deep = await kubesim(t.state, ['lint', '-f', 'k8s', '-R', '-o', 'json'], { cwd: t.dir });
    expect((JSON.parse(deep.stdout) as { findings: JsonFinding[] }).findings.map((f) => `${f.file}:${f.line}`)).toEqual([
      'k8s/app/deploy.yaml:16',
    ]);
  });

  it('lints a kustomization build (-k), without file positions', async () => {
    const t = tempCluster();
    fs.mkdirSync(path.join(t.dir, 'base'));
    fs.copyFileSync(path.join(FIXTURES, 'latest-tag.yaml'), path.join(t.dir, 'base/deploy.yaml'));
    t.file('base/kustomization.yaml', 'resources: [deploy.yaml]\nnamespace: shop\n');
    const r = await kubesim(t.state, ['lint', '-k', 'base', '-o', 'json'], { cwd: t.dir });
    const got = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    expect(got.map((f) => [f.check, f.object, f.file, f.line])).toEqual([
      ['latest-tag', { kind: 'Deployment', name: 'app', namespace: 'shop' }, undefined, undefined],
    ]);
  });
});

describe('kubesim lint: simulated checks', () => {
  it('a Pod that no node can take: the scheduler’s FailedScheduling as evidence', async () => {
    const [f] = await findings('never-schedulable.yaml');
    expect([f.check, f.line, f.column, f.object]).toEqual([
      'never-schedulable',
      13,
      5,
      { kind: 'Deployment', name: 'app', namespace: 'default' },
    ]);
    expect(f.evidence).toEqual([
      expect.stringMatching(
        /^Warning FailedScheduling pod\/app-[a-z0-9]+-[a-z0-9]{5}: 0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\. preemption: /,
      ),
    ]);
  });

  it('a PDB that allows no disruption with every pod healthy: its status and the eviction API’s refusal', async () => {
    const got = await findings('pdb-blocks-drain.yaml');
    expect(got.map((f) => [f.check, f.line, f.column, f.message])).toEqual([
      ['pdb-blocks-drain', 26, 3, '2 of 2 pods healthy and 2 required: no pod can be evicted, so no node running one can be drained'],
    ]);
    expect(got[0].evidence).toEqual([
      'status: disruptionsAllowed=0, currentHealthy=2, desiredHealthy=2, expectedPods=2',
      'condition DisruptionAllowed=False (InsufficientPods)',
      expect.stringMatching(/^eviction of pod\/app-\S+: Cannot evict pod as it would violate the pod's disruption budget\.$/),
    ]);
  });

  it('a rolling update with maxUnavailable 0 whose surge pod cannot fit: ProgressDeadlineExceeded', async () => {
    const got = await findings('rollout-stalls.yaml');
    expect(got.map((f) => [f.check, f.line, f.column, f.message])).toEqual([
      ['rollout-stalls', 10, 3, 'a rolling update with maxUnavailable 0 and maxSurge 1 never finishes: 1 of 3 replicas updated'],
    ]);
    expect(got[0].evidence).toEqual([
      expect.stringMatching(
        /^condition Progressing=False \(ProgressDeadlineExceeded\): ReplicaSet "app-[a-z0-9]+" has timed out progressing\.$/,
      ),
      expect.stringMatching(/^Warning FailedScheduling pod\/app-\S+: 0\/3 nodes are available: 3 Insufficient cpu\./),
    ]);
  });

  it('an HPA whose target is missing, and one the API server refuses (min > max)', async () => {
    const got = await findings('hpa-inert.yaml');
    expect(got.map((f) => [f.check, f.object.name, f.line, f.column, f.message])).toEqual([
      [
        'hpa-inert',
        'app',
        26,
        3,
        'AbleToScale=False (FailedGetScale): the HPA controller was unable to get the target\'s current scale: deployments.apps "api" not found',
      ],
      ['hpa-inert', 'backwards', 42, 3, 'the API server refuses it, so it never runs'],
    ]);
    expect(got[0].evidence).toEqual([
      'condition AbleToScale=False (FailedGetScale): the HPA controller was unable to get the target\'s current scale: deployments.apps "api" not found',
      expect.stringMatching(/^Warning FailedGetScale horizontalpodautoscaler\/app \(x\d+\): deployments\.apps "api" not found$/),
    ]);
    expect(got[1].evidence).toEqual([
      'create: The HorizontalPodAutoscaler "backwards" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    ]);
  });

  it('an HPA on a resource the pods do not request: FailedGetResourceMetric', async () => {
    const t = tempCluster();
    t.file(
      'app.yaml',
      fs
        .readFileSync(path.join(FIXTURES, 'clean.yaml'), 'utf8')
        .replace('requests: {cpu: 100m, memory: 128Mi}', 'requests: {memory: 128Mi}\n          limits: {memory: 256Mi}')
        .replace('          limits: {memory: 256Mi}\n        readinessProbe', '        readinessProbe'),
    );
    const r = await kubesim(t.state, ['lint', '-f', 'app.yaml', '-o', 'json', '--fail-on', 'error'], { cwd: t.dir });
    const got = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.check === 'hpa-inert');
    expect(got.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^ScalingActive=False \(FailedGetResourceMetric\): the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container nginx of Pod web-/,
      ),
    ]);
    expect(r.code).toBe(1);
  });

  it('a zone failure leaves replicas spread with DoNotSchedule Pending', async () => {
    const got = await findings('zone-failure-pending.yaml');
    expect(got.map((f) => [f.check, f.line, f.column, f.message])).toEqual([
      ['zone-failure-pending', 14, 7, 'when zone zone-a fails (node/node-1), 1 replica stays Pending'],
    ]);
    expect(got[0].evidence).toEqual([
      'zone zone-a failed: node-1 NotReady, pods evicted',
      expect.stringMatching(
        /^Warning FailedScheduling pod\/app-\S+: 0\/3 nodes are available: .*didn't match pod topology spread constraints/,
      ),
    ]);
  });

  it('a Forbid CronJob whose runs outlast its interval: JobAlreadyActive, run after run', async () => {
    const got = await findings('cronjob-forbid-overlap.yaml');
    expect(got.map((f) => [f.check, f.line, f.column])).toEqual([['cronjob-forbid-overlap', 7, 3]]);
    expect(got[0].message).toMatch(/^schedule "\*\/5 \* \* \* \*" starts runs before the last one ends: \d+ of its runs were skipped$/);
    expect(got[0].evidence![0]).toMatch(
      /^Normal JobAlreadyActive cronjob\/report \(x\d+\): Not starting job because prior execution is running and concurrency policy is Forbid$/,
    );
  });

  it('an object the API server refuses, at the field it names', async () => {
    const got = await findings('api-rejected.yaml');
    expect(got.map((f) => [f.check, f.object.kind, f.line, f.column])).toEqual([['api-rejected', 'Service', 32, 5]]);
    expect(got[0].evidence).toEqual([
      'create: The Service "app" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
  });

  it('runs on the current cluster’s nodes, or on --cluster-shape', async () => {
    const c = await manualCluster(['--nodes', '3', '--cpu', '8']);
    const file = path.join(FIXTURES, 'rollout-stalls.yaml');
    // 8-CPU nodes have room for the surge pod
    expect(await c.run('lint', '-f', file)).toEqual({ code: 0, stdout: '', stderr: '' });
    const small = await c.run('lint', '-f', file, '--cluster-shape', 'nodes=3,cpu=4,memory=16Gi', '-o', 'json');
    expect((JSON.parse(small.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.check)).toEqual(['rollout-stalls']);
    // a node labelled as the pod asks: schedulable on this cluster
    const selector = path.join(FIXTURES, 'never-schedulable.yaml');
    expect((await c.run('lint', '-f', selector)).code).toBe(1);
    expect((await c.run('label', 'node', 'node-2', 'disktype=ssd')).code).toBe(0);
    expect(await c.run('lint', '-f', selector)).toEqual({ code: 0, stdout: '', stderr: '' });
    // the cluster itself is left as it was: nothing of the input was applied
    expect((await c.run('get', 'deployments')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('kubesim lint: output and exit codes', () => {
  it('--fail-on error exits 0 on warnings only, 1 on errors', async () => {
    expect((await lint('-f', 'latest-tag.yaml', '--fail-on', 'error')).code).toBe(0);
    expect((await lint('-f', 'latest-tag.yaml')).code).toBe(1);
    expect((await lint('-f', 'service-selector-mismatch.yaml', '--fail-on', 'error')).code).toBe(1);
  });

  it('exits 2 when lint itself fails, with one error line', async () => {
    expect(await lint('-f', 'nope.yaml')).toEqual({ code: 2, stdout: '', stderr: 'error: the path "nope.yaml" does not exist\n' });
    expect(await lint('-f', 'clean.yaml', '-o', 'xml')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: unable to match a printer suitable for the output format "xml", allowed formats are: json,sarif,text\n',
    });
    expect(await lint('-f', 'clean.yaml', '--fail-on', 'info')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: invalid --fail-on "info": must be warning or error\n',
    });
    expect(await lint('-f', 'clean.yaml', '--cluster-shape', 'nodes=two')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error: invalid --cluster-shape nodes "two": must be an integer of at least 0\n',
    });
    const t = tempCluster();
    t.file('broken.yaml', 'kind: Service\nmetadata: {name: x\n');
    const broken = await kubesim(t.state, ['lint', '-f', 'broken.yaml'], { cwd: t.dir });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error: error parsing broken\.yaml: error converting YAML to JSON: yaml: line \d+: /);
  });

  it('-o sarif: SARIF 2.1.0 with every check as a rule and each finding at its file, line and column', async () => {
    const r = await lint('-f', 'ingress-backend-missing.yaml', '-o', 'sarif');
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string }; help: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[];
        }[];
      }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('kubesim-lint');
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(LINT_CHECKS.map((c) => c.id));
    expect(run.results.map((x) => [x.ruleId, run.tool.driver.rules[x.ruleIndex].id, x.level, x.locations[0].physicalLocation])).toEqual([
      [
        'ingress-backend-missing',
        'ingress-backend-missing',
        'error',
        { artifactLocation: { uri: 'ingress-backend-missing.yaml' }, region: { startLine: 47, startColumn: 11 } },
      ],
      [
        'ingress-backend-missing',
        'ingress-backend-missing',
        'error',
        { artifactLocation: { uri: 'ingress-backend-missing.yaml' }, region: { startLine: 53, startColumn: 11 } },
      ],
    ]);
    expect(run.results[0].message.text).toBe('backend Service "ap" is not in the input');
  });

  it('-o sarif and -o json on a clean bundle: no results', async () => {
    const sarif = await lint('-f', 'clean.yaml', '-o', 'sarif');
    expect(sarif.code).toBe(0);
    expect((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0].results).toEqual([]);
    const json = await lint('-f', 'clean.yaml', '-o', 'json');
    expect(JSON.parse(json.stdout)).toEqual({ findings: [], summary: { errors: 0, warnings: 0 } });
  });
});
