import { allKinds, categoriesOf, verbsOf, type KindInfo } from '../api/registry';
import { hasScale } from '../api/scale';
import { statusOwnedBySubresource } from '../api/status-strategy';
import { KUBELET_VERSION } from '../api/kinds/node';
import { METRICS_KINDS } from './metrics-api';

/**
 * Discovery as kube-apiserver serves it (staging/src/k8s.io/apiserver/pkg/endpoints/discovery):
 * /api and /apis (APIVersions, APIGroupList), one APIResourceList per group-version, and the
 * aggregated v2 documents (APIGroupDiscoveryList) kubectl asks for first, all built from kubesim's
 * kind registry and the CRDs it serves.
 */

/** the kinds that are only ever created (reviews, token requests) and never stored: discovery lists `create` alone */
const CREATE_ONLY = new Set([
  'Binding',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'SelfSubjectReview',
  'SubjectAccessReview',
  'LocalSubjectAccessReview',
  'TokenReview',
]);

const review = (kind: string, group: string, namespaced = false, version = 'v1'): KindInfo => ({
  kind,
  group,
  version,
  plural: `${kind.toLowerCase()}s`,
  singular: '',
  shortNames: [],
  namespaced,
  columns: [],
  verbs: ['create'],
});

/**
 * The API's request-only resources (authorization and authentication reviews, and core v1
 * bindings, the older form of pods/binding): never stored, so not kinds of kubesim's registry, but
 * served here as a cluster serves them (`kubectl auth can-i`, `kubectl auth whoami`, a scheduler's
 * POST …/namespaces/NS/bindings).
 */
export const REVIEW_KINDS: KindInfo[] = [
  review('Binding', '', true),
  review('TokenReview', 'authentication.k8s.io'),
  review('SelfSubjectReview', 'authentication.k8s.io'),
  review('LocalSubjectAccessReview', 'authorization.k8s.io', true),
  review('SelfSubjectAccessReview', 'authorization.k8s.io'),
  review('SelfSubjectRulesReview', 'authorization.k8s.io'),
  review('SubjectAccessReview', 'authorization.k8s.io'),
];

/** Every kind the server serves: the registry's (built-in and custom), the reviews and the metrics API. */
export function servedKinds(): KindInfo[] {
  return [...allKinds(), ...REVIEW_KINDS, ...METRICS_KINDS];
}

export interface Subresource {
  name: string;
  kind: string;
  group: string;
  version: string;
  verbs: string[];
}

/** The subresources a kind serves, in the order discovery lists them. */
export function subresourcesOf(info: KindInfo): Subresource[] {
  const out: Subresource[] = [];
  const own = (name: string, verbs: string[], kind = info.kind, group = info.group, version = info.version) =>
    out.push({ name, kind, group, version, verbs });
  if (info.kind === 'Pod') {
    own('attach', ['create', 'get'], 'PodAttachOptions', '', 'v1');
    own('binding', ['create'], 'Binding', '', 'v1');
    own('ephemeralcontainers', ['get', 'patch', 'update']);
    own('eviction', ['create'], 'Eviction', 'policy', 'v1');
    own('exec', ['create', 'get'], 'PodExecOptions', '', 'v1');
    own('log', ['get'], 'Pod', '', 'v1');
    own('portforward', ['create', 'get'], 'PodPortForwardOptions', '', 'v1');
  }
  if (info.kind === 'Namespace') own('finalize', ['update']);
  if (info.kind === 'ServiceAccount') own('token', ['create'], 'TokenRequest', 'authentication.k8s.io', 'v1');
  if (hasScale(info.kind)) own('scale', ['get', 'patch', 'update'], 'Scale', 'autoscaling', 'v1');
  if (statusOwnedBySubresource(info)) own('status', ['get', 'patch', 'update']);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function discoveryVerbs(info: KindInfo): string[] {
  return CREATE_ONLY.has(info.kind) ? ['create'] : verbsOf(info);
}

/** group → version → kinds, core group first, then groups in the order kinds register (as the API server orders them) */
export function servedGroups(): Map<string, Map<string, KindInfo[]>> {
  const groups = new Map<string, Map<string, KindInfo[]>>();
  groups.set('', new Map([['v1', []]]));
  for (const info of servedKinds()) {
    const versions = groups.get(info.group) ?? new Map<string, KindInfo[]>();
    groups.set(info.group, versions);
    for (const version of [info.version, ...(info.otherVersions ?? [])]) {
      const list = versions.get(version) ?? [];
      list.push(info);
      versions.set(version, list);
    }
  }
  return groups;
}

/** The version a group prefers: the kinds' own (storage) version the most of them use. */
function preferredVersion(versions: Map<string, KindInfo[]>): string {
  let best = '';
  let count = -1;
  for (const [version, kinds] of versions) {
    const own = kinds.filter((k) => k.version === version).length;
    if (own > count) [best, count] = [version, own];
  }
  return best;
}

/** Versions newest first (v2 > v1 > v1beta1 > v1alpha1), as discovery lists them. */
function sortedVersions(versions: Iterable<string>): string[] {
  const rank = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [Number(m[1]), m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[3] ?? 0)];
  };
  return [...versions].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return y[1] - x[1] || y[0] - x[0] || y[2] - x[2];
  });
}

export function versionInfo(): Record<string, string> {
  const [major, minor] = KUBELET_VERSION.slice(1).split('.');
  return {
    major,
    minor,
    gitVersion: KUBELET_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T18:04:20Z',
    goVersion: 'go1.23.3',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupEntry(name: string, versions: Map<string, KindInfo[]>): Record<string, unknown> {
  const ordered = sortedVersions(versions.keys());
  const preferred = preferredVersion(versions);
  return {
    name,
    versions: ordered.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${preferred}`, version: preferred },
  };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = [...servedGroups()].filter(([name]) => name !== '').map(([name, versions]) => groupEntry(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(group: string): Record<string, unknown> | undefined {
  const versions = servedGroups().get(group);
  if (!group || !versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) };
}

export function apiResourceList(group: string, version: string): Record<string, unknown> | undefined {
  const kinds = servedGroups().get(group)?.get(version);
  if (!kinds || (group === '' && version !== 'v1')) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const info of kinds) {
    resources.push({
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: discoveryVerbs(info),
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(categoriesOf(info).length ? { categories: categoriesOf(info) } : {}),
    });
    for (const sub of subresourcesOf(info)) {
      resources.push({
        name: `${info.plural}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(sub.group !== info.group || sub.version !== info.version ? { group: sub.group, version: sub.version } : {}),
        kind: sub.kind,
        verbs: sub.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** apidiscovery.k8s.io/v2 APIGroupDiscovery for one group (the core group has no name). */
function aggregatedGroup(name: string, versions: Map<string, KindInfo[]>): Record<string, unknown> {
  return {
    metadata: { name, creationTimestamp: null },
    versions: sortedVersions(versions.keys()).map((version) => ({
      version,
      resources: versions.get(version)!.map((info) => ({
        resource: info.plural,
        responseKind: { group: info.group, version, kind: info.kind },
        scope: info.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: info.singular,
        verbs: discoveryVerbs(info),
        ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
        ...(categoriesOf(info).length ? { categories: categoriesOf(info) } : {}),
        ...(subresourcesOf(info).length
          ? {
              subresources: subresourcesOf(info).map((s) => ({
                subresource: s.name,
                responseKind: { group: s.group, version: s.version, kind: s.kind },
                verbs: s.verbs,
              })),
            }
          : {}),
      })),
      freshness: 'Current',
    })),
  };
}

/** The aggregated discovery document of /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(core: boolean): Record<string, unknown> {
  const items = [...servedGroups()].filter(([name]) => (name === '') === core).map(([name, versions]) => aggregatedGroup(name, versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** Whether an Accept header asks for the aggregated v2 document (kubectl lists it first). */
export function wantsAggregated(accept: string): boolean {
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return (
      params[0] === 'application/json' &&
      params.includes('g=apidiscovery.k8s.io') &&
      params.includes('v=v2') &&
      params.includes('as=APIGroupDiscoveryList')
    );
  });
}
