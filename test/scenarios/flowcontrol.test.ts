import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const flowSchema = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: batch-jobs}
spec:
  priorityLevelConfiguration: {name: batch}
  distinguisherMethod: {type: ByNamespace}
  rules:
  - subjects: [{kind: ServiceAccount, serviceAccount: {name: runner, namespace: ci}}]
    resourceRules: [{verbs: [list, watch], apiGroups: [batch], resources: [jobs], namespaces: [ci]}]
`;
const priorityLevel = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: batch}
spec:
  type: Limited
  limited:
    limitResponse: {type: Queue, queuing: {}}
`;

describe('API Priority and Fairness objects', () => {
  it('a new cluster has the mandatory and suggested configuration of a v1.32 API server, printed as kubectl prints it', async () => {
    const c = await manualCluster();
    await c.run('clock', 'advance', '5m');
    // printFlowSchemaList orders by matching precedence, then name
    expect((await c.run('get', 'flowschemas')).stdout).toBe(
      [
        'NAME                           PRIORITYLEVEL     MATCHINGPRECEDENCE   DISTINGUISHERMETHOD   AGE   MISSINGPL',
        'exempt                         exempt            1                    <none>                5m    False',
        'probes                         exempt            2                    <none>                5m    False',
        'system-leader-election         leader-election   100                  ByUser                5m    False',
        'endpoint-controller            workload-high     150                  ByUser                5m    False',
        'workload-leader-election       leader-election   200                  ByUser                5m    False',
        'system-node-high               node-high         400                  ByUser                5m    False',
        'system-nodes                   system            500                  ByUser                5m    False',
        'kube-controller-manager        workload-high     800                  ByNamespace           5m    False',
        'kube-scheduler                 workload-high     800                  ByNamespace           5m    False',
        'kube-system-service-accounts   workload-high     900                  ByNamespace           5m    False',
        'service-accounts               workload-low      9000                 ByUser                5m    False',
        'global-default                 global-default    9900                 ByUser                5m    False',
        'catch-all                      catch-all         10000                ByUser                5m    False',
        '',
      ].join('\n'),
    );
    expect((await c.run('get', 'prioritylevelconfigurations')).stdout).toBe(
      [
        'NAME              TYPE      NOMINALCONCURRENCYSHARES   QUEUES   HANDSIZE   QUEUELENGTHLIMIT   AGE',
        'catch-all         Limited   5                          <none>   <none>     <none>             5m',
        'exempt            Exempt    <none>                     <none>   <none>     <none>             5m',
        'global-default    Limited   20                         128      6          50                 5m',
        'leader-election   Limited   10                         16       4          50                 5m',
        'node-high         Limited   40                         64       6          50                 5m',
        'system            Limited   30                         64       6          50                 5m',
        'workload-high     Limited   40                         128      6          50                 5m',
        'workload-low      Limited   100                        128      6          50                 5m',
        '',
      ].join('\n'),
    );
    // -o name and yaml lists keep the stored (name) order
    expect((await c.run('get', 'flowschemas', '-o', 'name')).stdout.split('\n').slice(0, 3)).toEqual([
      'flowschema.flowcontrol.apiserver.k8s.io/catch-all',
      'flowschema.flowcontrol.apiserver.k8s.io/endpoint-controller',
      'flowschema.flowcontrol.apiserver.k8s.io/exempt',
    ]);
    expect((await c.run('api-resources', '--api-group', 'flowcontrol.apiserver.k8s.io')).stdout).toBe(
      [
        'NAME                          SHORTNAMES   APIVERSION                        NAMESPACED   KIND',
        'flowschemas                                flowcontrol.apiserver.k8s.io/v1   false        FlowSchema',
        'prioritylevelconfigurations                flowcontrol.apiserver.k8s.io/v1   false        PriorityLevelConfiguration',
        '',
      ].join('\n'),
    );
    const probes = JSON.parse((await c.run('get', 'flowschema', 'probes', '-o', 'json')).stdout);
    expect(probes.metadata.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
    expect(probes.metadata.generation).toBe(1);
    expect(probes.spec).toEqual({
      matchingPrecedence: 2,
      priorityLevelConfiguration: { name: 'exempt' },
      rules: [
        {
          nonResourceRules: [{ nonResourceURLs: ['/healthz', '/readyz', '/livez'], verbs: ['get'] }],
          subjects: [
            { group: { name: 'system:unauthenticated' }, kind: 'Group' },
            { group: { name: 'system:authenticated' }, kind: 'Group' },
          ],
        },
      ],
    });
    expect(probes.status.conditions).toEqual([
      {
        lastTransitionTime: '2025-01-01T00:00:00Z',
        message: 'This FlowSchema references the PriorityLevelConfiguration object named "exempt" and it exists',
        reason: 'Found',
        status: 'False',
        type: 'Dangling',
      },
    ]);
    expect((await c.run('get', 'prioritylevelconfiguration', 'exempt', '-o', 'jsonpath={.spec}')).stdout).toBe(
      '{"exempt":{"lendablePercent":0,"nominalConcurrencyShares":0},"type":"Exempt"}',
    );
  });

  it('defaults a FlowSchema and a PriorityLevelConfiguration; a schema naming a missing level is Dangling until it exists', async () => {
    const c = await manualCluster();
    c.file('fs.yaml', flowSchema);
    c.file('pl.yaml', priorityLevel);
    expect((await c.run('apply', '-f', 'fs.yaml')).stdout).toBe('flowschema.flowcontrol.apiserver.k8s.io/batch-jobs created\n');
    expect((await c.run('get', 'flowschema', 'batch-jobs')).stdout).toBe(
      'NAME         PRIORITYLEVEL   MATCHINGPRECEDENCE   DISTINGUISHERMETHOD   AGE   MISSINGPL\nbatch-jobs   batch           1000                 ByNamespace           0s    True\n',
    );
    expect(
      (await c.run('get', 'flowschema', 'batch-jobs', '-o', 'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}'))
        .stdout,
    ).toBe('NotFound: This FlowSchema references the PriorityLevelConfiguration object named "batch" but there is no such object');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('apply', '-f', 'pl.yaml')).stdout).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/batch created\n');
    const fs = JSON.parse((await c.run('get', 'flowschema', 'batch-jobs', '-o', 'json')).stdout);
    expect(fs.status.conditions).toEqual([
      {
        lastTransitionTime: '2025-01-01T00:00:30Z',
        message: 'This FlowSchema references the PriorityLevelConfiguration object named "batch" and it exists',
        reason: 'Found',
        status: 'False',
        type: 'Dangling',
      },
    ]);
    const pl = JSON.parse((await c.run('get', 'prioritylevelconfiguration', 'batch', '-o', 'json')).stdout);
    expect(pl.spec).toEqual({
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 30,
        lendablePercent: 0,
        limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 } },
      },
    });
    expect((await c.run('get', 'prioritylevelconfiguration', 'batch')).stdout).toBe(
      'NAME    TYPE      NOMINALCONCURRENCYSHARES   QUEUES   HANDSIZE   QUEUELENGTHLIMIT   AGE\nbatch   Limited   30                         64       8          50                 0s\n',
    );
    await c.run('delete', 'prioritylevelconfiguration', 'batch');
    expect((await c.run('get', 'flowschema', 'batch-jobs', '-o', 'jsonpath={.status.conditions[0].status}')).stdout).toBe('True');
  });

  it('describe is kubectl generic describer', async () => {
    const c = await manualCluster();
    c.file('fs.yaml', flowSchema);
    await c.run('apply', '-f', 'fs.yaml');
    const out = (await c.run('describe', 'flowschema', 'batch-jobs')).stdout;
    expect(out.replace(/(Resource Version|UID): +\S+/g, '$1: X')).toBe(
      [
        'Name:         batch-jobs',
        'Namespace:    ',
        'Labels:       <none>',
        'Annotations:  <none>',
        'API Version:  flowcontrol.apiserver.k8s.io/v1',
        'Kind:         FlowSchema',
        'Metadata:',
        '  Creation Timestamp:  2025-01-01T00:00:00Z',
        '  Generation:          1',
        '  Resource Version: X',
        '  UID: X',
        'Spec:',
        '  Distinguisher Method:',
        '    Type:               ByNamespace',
        '  Matching Precedence:  1000',
        '  Priority Level Configuration:',
        '    Name:  batch',
        '  Rules:',
        '    Resource Rules:',
        '      API Groups:',
        '        batch',
        '      Namespaces:',
        '        ci',
        '      Resources:',
        '        jobs',
        '      Verbs:',
        '        list',
        '        watch',
        '    Subjects:',
        '      Kind:  ServiceAccount',
        '      Service Account:',
        '        Name:       runner',
        '        Namespace:  ci',
        'Status:',
        '  Conditions:',
        '    Last Transition Time:  2025-01-01T00:00:00Z',
        '    Message:               This FlowSchema references the PriorityLevelConfiguration object named "batch" but there is no such object',
        '    Reason:                NotFound',
        '    Status:                True',
        '    Type:                  Dangling',
        'Events:                    <none>',
        '',
      ].join('\n'),
    );
  });

  it('refuses invalid objects in the API server words', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata: {name: bad}
spec:
  matchingPrecedence: 1
  priorityLevelConfiguration: {name: Batch}
  distinguisherMethod: {type: ByGroup}
  rules:
  - subjects: [{kind: Robot}, {kind: User}]
    resourceRules: [{verbs: ['*', get], apiGroups: [], resources: [jobs]}]
    nonResourceRules: [{verbs: [fetch], nonResourceURLs: [healthz, '/a/*/b']}]
`,
    );
    const bad = await c.run('apply', '-f', 'bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'The FlowSchema "bad" is invalid: ' +
        [
          "spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have matchingPrecedence 1",
          'spec.distinguisherMethod.type: Unsupported value: flowcontrol.FlowDistinguisherMethod{Type:"ByGroup"}: supported values: "ByNamespace", "ByUser"',
          `spec.priorityLevelConfiguration.name: Invalid value: "Batch": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
          'spec.rules[0].subjects[0].kind: Unsupported value: "Robot": supported values: "Group", "ServiceAccount", "User"',
          "spec.rules[0].subjects[1].user: Required value: user is required when subject kind is 'User'",
          `spec.rules[0].resourceRules[0].verbs: Invalid value: []string{"*", "get"}: if '*' is present, must not specify other verbs`,
          'spec.rules[0].resourceRules[0].apiGroups: Required value: resource rules must supply at least one api group',
          'spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace',
          'spec.rules[0].nonResourceRules[0].verbs: Unsupported value: []string{"fetch"}: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"',
          'spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "healthz": must start with slash',
          'spec.rules[0].nonResourceRules[0].nonResourceURLs[1]: Invalid value: "/a/*/b": wildcard can only do suffix matching',
        ]
          .map((e) => `\n* ${e}`)
          .join('') +
        '\n',
    );
    c.file(
      'pl.yaml',
      `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata: {name: slow}
spec:
  type: Limited
  exempt: {}
  limited:
    nominalConcurrencyShares: -1
    lendablePercent: 120
    borrowingLimitPercent: -5
    limitResponse: {type: Queue, queuing: {queues: 128, handSize: 200}}
`,
    );
    expect((await c.run('apply', '-f', 'pl.yaml')).stderr).toBe(
      'The PriorityLevelConfiguration "slow" is invalid: ' +
        [
          'spec.exempt: Forbidden: must be nil if the type is Limited',
          'spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer',
          'spec.limited.limitResponse.queuing.handSize: Invalid value: 200: should not be greater than queues (128)',
          'spec.limited.lendablePercent: Invalid value: 120: must be between 0 and 100, inclusive',
          'spec.limited.borrowingLimitPercent: Invalid value: -5: if specified, must be a non-negative integer',
        ]
          .map((e) => `\n* ${e}`)
          .join('') +
        '\n',
    );
    c.file(
      'entropy.yaml',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: wide}\nspec:\n  type: Limited\n  limited:\n    limitResponse: {type: Queue, queuing: {queues: 1000000, handSize: 4}}\n',
    );
    expect((await c.run('apply', '-f', 'entropy.yaml')).stderr).toBe(
      'The PriorityLevelConfiguration "wide" is invalid: spec.limited.limitResponse.queuing.handSize: Invalid value: 4: required entropy bits of deckSize 1000000 and handSize 4 should not be greater than 60\n',
    );
    c.file(
      'named.yaml',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: exempt2}\nspec:\n  type: Exempt\n',
    );
    expect((await c.run('apply', '-f', 'named.yaml')).stderr).toBe(
      `The PriorityLevelConfiguration "exempt2" is invalid: spec.type: Invalid value: "Exempt": type must be 'Exempt' if and only if name is 'exempt'\n`,
    );
  });

  it('the mandatory objects keep their fixed spec; only spec.exempt of the exempt level may change', async () => {
    const c = await manualCluster();
    c.file(
      'exempt.yaml',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: exempt}\nspec:\n  type: Exempt\n  exempt: {nominalConcurrencyShares: 5, lendablePercent: 10}\n',
    );
    expect((await c.run('apply', '-f', 'exempt.yaml')).stdout).toBe(
      'prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/exempt configured\n',
    );
    expect(
      (await c.run('get', 'prioritylevelconfiguration', 'exempt', '-o', 'jsonpath={.spec.exempt} {.metadata.generation}')).stdout,
    ).toBe('{"lendablePercent":10,"nominalConcurrencyShares":5} 2');
    const catchAll = await c.run(
      'patch',
      'prioritylevelconfiguration',
      'catch-all',
      '--type=merge',
      '-p',
      '{"spec":{"limited":{"nominalConcurrencyShares":10}}}',
    );
    expect(catchAll.code).toBe(1);
    expect(catchAll.stderr).toBe(
      'The PriorityLevelConfiguration "catch-all" is invalid: spec: Invalid value: flowcontrol.PriorityLevelConfigurationSpec{Type:"Limited", Limited:&flowcontrol.LimitedPriorityLevelConfiguration{NominalConcurrencyShares:10, LimitResponse:flowcontrol.LimitResponse{Type:"Reject", Queuing:(*flowcontrol.QueuingConfiguration)(nil)}, LendablePercent:&0, BorrowingLimitPercent:(*int32)(nil)}, Exempt:(*flowcontrol.ExemptPriorityLevelConfiguration)(nil)}: spec of \'catch-all\' must equal the fixed value\n',
    );
    const exemptFs = await c.run('patch', 'flowschema', 'exempt', '--type=merge', '-p', '{"spec":{"matchingPrecedence":5}}');
    expect(exemptFs.stderr).toMatch(
      /^The FlowSchema "exempt" is invalid: spec: Invalid value: flowcontrol\.FlowSchemaSpec\{PriorityLevelConfiguration:flowcontrol\.PriorityLevelConfigurationReference\{Name:"exempt"\}, MatchingPrecedence:5, DistinguisherMethod:\(\*flowcontrol\.FlowDistinguisherMethod\)\(nil\), Rules:\[\]flowcontrol\.PolicyRulesWithSubjects\{.*\}: spec of 'exempt' must equal the fixed value\n$/,
    );
    // a suggested object is the cluster admin's to change
    expect(
      (
        await c.run(
          'patch',
          'prioritylevelconfiguration',
          'workload-low',
          '--type=merge',
          '-p',
          '{"spec":{"limited":{"nominalConcurrencyShares":50}}}',
        )
      ).stdout,
    ).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/workload-low patched\n');
  });
  it('the configuration producer puts the bootstrap objects back once a minute, as their autoupdate-spec annotation says', async () => {
    const c = await manualCluster();
    await c.run('delete', 'flowschema', 'probes');
    await c.run(
      'patch',
      'prioritylevelconfiguration',
      'workload-low',
      '--type=merge',
      '-p',
      '{"spec":{"limited":{"nominalConcurrencyShares":50}}}',
    );
    // an admin keeps an edit by setting the annotation to false first
    await c.run('annotate', 'prioritylevelconfiguration', 'global-default', 'apf.kubernetes.io/autoupdate-spec=false', '--overwrite');
    await c.run(
      'patch',
      'prioritylevelconfiguration',
      'global-default',
      '--type=merge',
      '-p',
      '{"spec":{"limited":{"nominalConcurrencyShares":7}}}',
    );
    // an annotated object the configuration does not have is removed
    c.file(
      'old.yaml',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: FlowSchema\nmetadata: {name: old, annotations: {apf.kubernetes.io/autoupdate-spec: "true"}}\nspec:\n  priorityLevelConfiguration: {name: global-default}\n  rules: [{subjects: [{kind: Group, group: {name: x}}], nonResourceRules: [{verbs: [get], nonResourceURLs: [/x]}]}]\n',
    );
    await c.run('apply', '-f', 'old.yaml');
    const shares = async () =>
      (
        await c.run(
          'get',
          'prioritylevelconfigurations',
          'workload-low',
          'global-default',
          '-o',
          'jsonpath={.items[*].spec.limited.nominalConcurrencyShares}',
        )
      ).stdout;
    await c.run('clock', 'advance', '59s');
    expect((await c.run('get', 'flowschema', 'probes')).stderr).toBe(
      'Error from server (NotFound): flowschemas.flowcontrol.apiserver.k8s.io "probes" not found\n',
    );
    expect((await c.run('get', 'flowschema', 'old', '-o', 'name')).stdout).toBe('flowschema.flowcontrol.apiserver.k8s.io/old\n');
    expect(await shares()).toBe('50 7');
    // the run a minute after the API server started
    await c.run('clock', 'advance', '1s');
    expect((await c.run('get', 'flowschema', 'probes')).stdout).toBe(
      'NAME     PRIORITYLEVEL   MATCHINGPRECEDENCE   DISTINGUISHERMETHOD   AGE   MISSINGPL\nprobes   exempt          2                    <none>                0s    False\n',
    );
    expect((await c.run('get', 'flowschema', 'old')).stderr).toBe(
      'Error from server (NotFound): flowschemas.flowcontrol.apiserver.k8s.io "old" not found\n',
    );
    expect(await shares()).toBe('100 7');
    // the mandatory objects are put back whatever their annotation says; the exempt level keeps its spec.exempt
    await c.run('clock', 'advance', '1s');
    await c.run('annotate', 'flowschema', 'catch-all', 'apf.kubernetes.io/autoupdate-spec=false', '--overwrite');
    await c.run('delete', 'prioritylevelconfiguration', 'catch-all');
    c.file(
      'exempt.yaml',
      'apiVersion: flowcontrol.apiserver.k8s.io/v1\nkind: PriorityLevelConfiguration\nmetadata: {name: exempt}\nspec:\n  type: Exempt\n  exempt: {nominalConcurrencyShares: 5}\n',
    );
    await c.run('apply', '-f', 'exempt.yaml');
    expect((await c.run('get', 'flowschema', 'catch-all', '-o', 'jsonpath={.status.conditions[0].status}')).stdout).toBe('True');
    await c.run('clock', 'advance', '60s');
    expect(
      (await c.run('get', 'flowschema', 'catch-all', '-o', 'jsonpath={.metadata.annotations} {.status.conditions[0].status}')).stdout,
    ).toBe('{"apf.kubernetes.io/autoupdate-spec":"true"} False');
    expect((await c.run('get', 'prioritylevelconfiguration', 'exempt', '-o', 'jsonpath={.spec.exempt}')).stdout).toBe(
      '{"lendablePercent":0,"nominalConcurrencyShares":5}',
    );
  });
});
