import type { KObject } from '../model/objects';
import { isKind, type ClusterRole, type ClusterRoleBinding } from '../model/kinds';
import type { PolicyRule } from '../model/k8s';
import { aggregateRules } from '../api/kinds/clusterrole';

/**
 * The default RBAC roles and bindings a v1.32 API server reconciles on start
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go): the user-facing admin, edit and
 * view, aggregated from the system:aggregate-to-* roles by label (the clusterrole-aggregation
 * controller fills their rules), and the system roles every user is bound to (basic-user,
 * discovery, public-info-viewer, monitoring). cluster-admin is in cluster-shape.ts. The
 * component roles (system:node, system:kube-scheduler, system:controller:*, …) are left out.
 */

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ_WRITE = [...READ, ...WRITE];

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ apiGroups, resources, verbs });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ nonResourceURLs, verbs });

const AGGREGATE_TO = (role: 'admin' | 'edit' | 'view') => `rbac.authorization.k8s.io/aggregate-to-${role}`;

const BOOTSTRAP_META = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function clusterRole(
  name: string,
  body: { rules?: PolicyRule[]; aggregateTo?: 'admin' | 'edit' | 'view'; aggregates?: 'admin' | 'edit' | 'view' },
): ClusterRole {
  const labels: Record<string, string> = { ...BOOTSTRAP_META.labels };
  if (body.aggregateTo) labels[AGGREGATE_TO(body.aggregateTo)] = 'true';
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels, annotations: { ...BOOTSTRAP_META.annotations } },
    ...(body.aggregates
      ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [AGGREGATE_TO(body.aggregates)]: 'true' } }] } }
      : {}),
    rules: body.rules ?? [],
  };
}

function groupBinding(role: string, groups: string[]): ClusterRoleBinding {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: role, labels: { ...BOOTSTRAP_META.labels }, annotations: { ...BOOTSTRAP_META.annotations } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
  };
}

export function bootstrapPolicyObjects(): KObject[] {
  const core = [''];
  const objects: (ClusterRole | ClusterRoleBinding)[] = [
    clusterRole('admin', { aggregates: 'admin' }),
    clusterRole('edit', { aggregates: 'edit', aggregateTo: 'admin' }),
    clusterRole('view', { aggregates: 'view', aggregateTo: 'edit' }),
    clusterRole('system:aggregate-to-admin', {
      aggregateTo: 'admin',
      rules: [
        rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
        rule(READ_WRITE, ['rbac.authorization.k8s.io'], ['rolebindings', 'roles']),
      ],
    }),
    clusterRole('system:aggregate-to-edit', {
      aggregateTo: 'edit',
      rules: [
        rule(READ, core, ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
        rule(['impersonate'], core, ['serviceaccounts']),
        rule(WRITE, core, ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
        rule(['create'], core, ['pods/eviction']),
        rule(WRITE, core, [
          'configmaps',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ]),
        rule(['create'], core, ['serviceaccounts/token']),
        rule(
          WRITE,
          ['apps'],
          [
            'daemonsets',
            'deployments',
            'deployments/rollback',
            'deployments/scale',
            'replicasets',
            'replicasets/scale',
            'statefulsets',
            'statefulsets/scale',
          ],
        ),
        rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
        rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
        rule(
          WRITE,
          ['extensions'],
          [
            'daemonsets',
            'deployments',
            'deployments/rollback',
            'deployments/scale',
            'ingresses',
            'networkpolicies',
            'replicasets',
            'replicasets/scale',
            'replicationcontrollers/scale',
          ],
        ),
        rule(WRITE, ['policy'], ['poddisruptionbudgets']),
        rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
      ],
    }),
    clusterRole('system:aggregate-to-view', {
      aggregateTo: 'view',
      rules: [
        rule(READ, core, [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ]),
        rule(READ, core, [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ]),
        rule(READ, core, ['namespaces']),
        rule(
          READ,
          ['apps'],
          [
            'controllerrevisions',
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'statefulsets',
            'statefulsets/scale',
            'statefulsets/status',
          ],
        ),
        rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
        rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
        rule(
          READ,
          ['extensions'],
          [
            'daemonsets',
            'daemonsets/status',
            'deployments',
            'deployments/scale',
            'deployments/status',
            'ingresses',
            'ingresses/status',
            'networkpolicies',
            'replicasets',
            'replicasets/scale',
            'replicasets/status',
            'replicationcontrollers/scale',
          ],
        ),
        rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
        rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
      ],
    }),
    clusterRole('system:basic-user', {
      rules: [
        rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']),
        rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews']),
      ],
    }),
    clusterRole('system:discovery', {
      rules: [
        urls(
          ['get'],
          ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'],
        ),
      ],
    }),
    clusterRole('system:public-info-viewer', { rules: [urls(['get'], ['/healthz', '/livez', '/readyz', '/version', '/version/'])] }),
    clusterRole('system:monitoring', {
      rules: [urls(['get'], ['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])],
    }),
    groupBinding('system:basic-user', ['system:authenticated']),
    groupBinding('system:discovery', ['system:authenticated']),
    groupBinding('system:monitoring', ['system:monitoring']),
    groupBinding('system:public-info-viewer', ['system:authenticated', 'system:unauthenticated']),
  ];
  // aggregated as the controller would on its first pass (view before edit before admin), so that
  // cluster create writes each role once
  const roles = objects.filter((o) => isKind(o, 'ClusterRole'));
  for (const name of ['view', 'edit', 'admin']) {
    const role = roles.find((r) => r.metadata.name === name)!;
    // aggregateRules copies rules of these roles (typed PolicyRules) but returns them as untyped JSON
    role.rules = aggregateRules(role, roles) as PolicyRule[];
  }
  return objects;
}
