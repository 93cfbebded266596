import type { KObject } from '../../model/objects';
import type { FlowSchema, PriorityLevelConfiguration } from '../../model/kinds';
import type { PolicyRulesWithSubjects, PriorityLevelConfigurationSpec, ResourcePolicyRule } from '../../model/k8s';

/**
 * The API Priority and Fairness configuration a v1.32 API server puts on every cluster
 * (k8s.io/apiserver pkg/apis/flowcontrol/bootstrap/default.go): the mandatory objects, whose
 * spec validation pins, and the suggested ones. Each carries apf.kubernetes.io/autoupdate-spec.
 */
export const AUTO_UPDATE_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';

const API_VERSION = 'flowcontrol.apiserver.k8s.io/v1';
const ALL = ['*'];

function priorityLevel(name: string, spec: PriorityLevelConfigurationSpec): PriorityLevelConfiguration {
  return {
    apiVersion: API_VERSION,
    kind: 'PriorityLevelConfiguration',
    metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } },
    spec,
  };
}

function limited(
  shares: number,
  lendablePercent: number,
  queuing?: [queues: number, handSize: number, queueLengthLimit: number],
): PriorityLevelConfigurationSpec {
  return {
    type: 'Limited',
    limited: {
      nominalConcurrencyShares: shares,
      lendablePercent,
      limitResponse: queuing
        ? { type: 'Queue', queuing: { queues: queuing[0], handSize: queuing[1], queueLengthLimit: queuing[2] } }
        : { type: 'Reject' },
    },
  };
}

const groups = (...names: string[]) => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]) => names.map((name) => ({ kind: 'User', user: { name } }));
const kubeSystemServiceAccounts = (...names: string[]) =>
  names.map((name) => ({ kind: 'ServiceAccount', serviceAccount: { name, namespace: 'kube-system' } }));

/** A resource rule over every namespace; `clusterScope` false is left out, as JSON omits it. */
function resourceRule(verbs: string[], apiGroups: string[], resources: string[], clusterScope: boolean): ResourcePolicyRule {
  return { verbs, apiGroups, resources, ...(clusterScope ? { clusterScope } : {}), namespaces: ALL };
}
const everything = { resourceRules: [resourceRule(ALL, ALL, ALL, true)], nonResourceRules: [{ verbs: ALL, nonResourceURLs: ALL }] };

function flowSchema(
  name: string,
  priorityLevel: string,
  matchingPrecedence: number,
  distinguisher: string,
  rule: PolicyRulesWithSubjects,
): FlowSchema {
  return {
    apiVersion: API_VERSION,
    kind: 'FlowSchema',
    metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } },
    spec: {
      priorityLevelConfiguration: { name: priorityLevel },
      matchingPrecedence,
      ...(distinguisher ? { distinguisherMethod: { type: distinguisher } } : {}),
      rules: [rule],
    },
  };
}

export const MANDATORY_PRIORITY_LEVELS: PriorityLevelConfiguration[] = [
  priorityLevel('catch-all', limited(5, 0)),
  priorityLevel('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
];

export const MANDATORY_FLOW_SCHEMAS: FlowSchema[] = [
  flowSchema('exempt', 'exempt', 1, '', { subjects: groups('system:masters'), ...everything }),
  flowSchema('catch-all', 'catch-all', 10000, 'ByUser', {
    subjects: groups('system:unauthenticated', 'system:authenticated'),
    ...everything,
  }),
];

export const SUGGESTED_PRIORITY_LEVELS: KObject[] = [
  priorityLevel('system', limited(30, 33, [64, 6, 50])),
  priorityLevel('node-high', limited(40, 25, [64, 6, 50])),
  priorityLevel('leader-election', limited(10, 0, [16, 4, 50])),
  priorityLevel('workload-high', limited(40, 50, [128, 6, 50])),
  priorityLevel('workload-low', limited(100, 90, [128, 6, 50])),
  priorityLevel('global-default', limited(20, 50, [128, 6, 50])),
];

const getCreateUpdate = ['get', 'create', 'update'];

export const SUGGESTED_FLOW_SCHEMAS: KObject[] = [
  flowSchema('system-nodes', 'system', 500, 'ByUser', { subjects: groups('system:nodes'), ...everything }),
  flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
    subjects: groups('system:nodes'),
    resourceRules: [
      resourceRule(ALL, [''], ['nodes', 'nodes/status'], true),
      resourceRule(ALL, ['coordination.k8s.io'], ['leases'], false),
    ],
  }),
  flowSchema('probes', 'exempt', 2, '', {
    subjects: groups('system:unauthenticated', 'system:authenticated'),
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
  }),
  flowSchema('system-leader-election', 'leader-election', 100, 'ByUser', {
    subjects: [...users('system:kube-controller-manager', 'system:kube-scheduler'), ...kubeSystemServiceAccounts('*')],
    resourceRules: [resourceRule(getCreateUpdate, ['coordination.k8s.io'], ['leases'], false)],
  }),
  flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', {
    subjects: kubeSystemServiceAccounts('*'),
    resourceRules: [
      resourceRule(getCreateUpdate, [''], ['endpoints', 'configmaps'], false),
      resourceRule(getCreateUpdate, ['coordination.k8s.io'], ['leases'], false),
    ],
  }),
  flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
    subjects: [
      ...users('system:kube-controller-manager'),
      ...kubeSystemServiceAccounts('endpoint-controller', 'endpointslicemirroring-controller'),
    ],
    resourceRules: [resourceRule(getCreateUpdate, [''], ['endpoints'], false)],
  }),
  flowSchema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', {
    subjects: users('system:kube-controller-manager'),
    ...everything,
  }),
  flowSchema('kube-scheduler', 'workload-high', 800, 'ByNamespace', { subjects: users('system:kube-scheduler'), ...everything }),
  flowSchema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', {
    subjects: kubeSystemServiceAccounts('*'),
    ...everything,
  }),
  flowSchema('service-accounts', 'workload-low', 9000, 'ByUser', { subjects: groups('system:serviceaccounts'), ...everything }),
  flowSchema('global-default', 'global-default', 9900, 'ByUser', {
    subjects: groups('system:unauthenticated', 'system:authenticated'),
    ...everything,
  }),
];

/** What a new cluster starts with (the configuration producer's first ensure), as fresh copies. */
export function flowControlBootstrapObjects(): KObject[] {
  const all = [...SUGGESTED_PRIORITY_LEVELS, ...MANDATORY_PRIORITY_LEVELS, ...SUGGESTED_FLOW_SCHEMAS, ...MANDATORY_FLOW_SCHEMAS];
  return all.map((o) => structuredClone(o));
}
