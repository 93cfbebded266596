import * as fs from 'node:fs';
import * as path from 'node:path';
import { controllerOf, type KObject, type OwnerReference } from '../model/objects';
import type { Pod } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { parseQuantityExact, quantityString, type Quantity } from './quantity-exact';
import { onDemand } from '../util/on-demand';

// the YAML parser only for `cluster create --vpa`: this module loads with every write (admission)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const parser = onDemand('api/manifest-parser', () => require('./manifest-parser') as typeof import('./manifest-parser'));

/**
 * The Vertical Pod Autoscaler's API (autoscaling.k8s.io/v1, kubernetes/autoscaler
 * vertical-pod-autoscaler v1.3.1) and what its three parts share: the recommender
 * (src/controllers/vpa-recommender.ts), the updater (src/controllers/vpa-updater.ts) and the
 * admission controller (src/api/admission/vpa.ts). The functions here follow
 * pkg/utils/vpa/api.go, capping.go and limit_and_request_scaling.go.
 */

export const VPA_GROUP = 'autoscaling.k8s.io';
/** where the CRDs come from (third_party/vertical-pod-autoscaler/README.md) */
const CRD_FILE = path.join(__dirname, '..', '..', 'third_party', 'vertical-pod-autoscaler', 'vpa-v1-crd-gen.yaml');

export type ResourceList = Record<string, string>;

export interface ContainerResourcePolicy {
  containerName?: string;
  mode?: 'Auto' | 'Off';
  minAllowed?: ResourceList;
  maxAllowed?: ResourceList;
  controlledResources?: string[];
  controlledValues?: 'RequestsAndLimits' | 'RequestsOnly';
}

export interface VpaSpec {
  targetRef: { apiVersion?: string; kind: string; name: string };
  updatePolicy?: { updateMode?: string; minReplicas?: number };
  resourcePolicy?: { containerPolicies?: ContainerResourcePolicy[] };
}

export interface RecommendedContainerResources {
  containerName: string;
  target: ResourceList;
  lowerBound?: ResourceList;
  upperBound?: ResourceList;
  uncappedTarget?: ResourceList;
}

export interface VpaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface VpaStatus {
  recommendation?: { containerRecommendations?: RecommendedContainerResources[] };
  conditions?: VpaCondition[];
}

export type VerticalPodAutoscaler = KObject<VpaSpec, VpaStatus>;

/** A VerticalPodAutoscaler of the VPA's group (a user's own kind of that name in another group is not). */
export function isVpa(obj: KObject): obj is VerticalPodAutoscaler {
  return obj.kind === 'VerticalPodAutoscaler' && obj.apiVersion.startsWith(`${VPA_GROUP}/`);
}

/** The CRDs `cluster create --vpa` installs, as the VPA project ships them. */
export function vpaCustomResourceDefinitions(): KObject[] {
  return parser()
    .parseManifestText(fs.readFileSync(CRD_FILE, 'utf8'), CRD_FILE)
    .manifests.map((m) => m.object);
}

/** GetUpdateMode: Auto unless set. */
export function updateMode(vpa: VerticalPodAutoscaler): string {
  return vpa.spec?.updatePolicy?.updateMode ?? 'Auto';
}

/** GetContainerResourcePolicy: the container's own policy, else the `*` one. */
export function containerPolicy(name: string, vpa: VerticalPodAutoscaler): ContainerResourcePolicy | undefined {
  const policies = vpa.spec?.resourcePolicy?.containerPolicies ?? [];
  return policies.find((p) => p.containerName === name) ?? policies.find((p) => p.containerName === '*');
}

/** GetContainerControlledValues: RequestsAndLimits unless the policy says RequestsOnly. */
export function controlledValues(name: string, vpa: VerticalPodAutoscaler): 'RequestsAndLimits' | 'RequestsOnly' {
  return containerPolicy(name, vpa)?.controlledValues ?? 'RequestsAndLimits';
}

/** ContainerResourcePolicy.controlledResources, default [cpu, memory] (DefaultControlledResources). */
export function controlledResources(name: string, vpa: VerticalPodAutoscaler): string[] {
  return containerPolicy(name, vpa)?.controlledResources ?? ['cpu', 'memory'];
}

/**
 * The pod's top-most controller (controllerfetcher.FindTopMostWellKnownOrScalable): its
 * controller, and that one's controller, as long as there is one (ReplicaSet → Deployment,
 * Job → CronJob). A pod being created may have no uid yet; only its owner references count.
 */
export function topController(pod: KObject, store: ReadonlyObjectStore): { kind: string; name: string } | undefined {
  const first = controllerOf(pod);
  if (!first) return undefined;
  let ref: OwnerReference = first;
  const namespace = pod.metadata.namespace;
  for (let depth = 0; depth < 8; depth++) {
    const owner: KObject | undefined = store.get(ref.kind, namespace, ref.name);
    const next: OwnerReference | undefined = owner && controllerOf(owner);
    if (!next) break;
    ref = next;
  }
  return { kind: ref.kind, name: ref.name };
}

/**
 * GetControllingVPAForPod: the VPA in the pod's namespace whose targetRef names the pod's
 * top-most controller; with several, the oldest (then by name, so the choice is stable).
 */
export function controllingVpa(pod: KObject, store: ReadonlyObjectStore): VerticalPodAutoscaler | undefined {
  if (!store.count('VerticalPodAutoscaler')) return undefined;
  const top = topController(pod, store);
  if (!top) return undefined;
  let best: VerticalPodAutoscaler | undefined;
  for (const obj of store.list('VerticalPodAutoscaler', pod.metadata.namespace)) {
    if (!isVpa(obj)) continue;
    const ref = obj.spec?.targetRef;
    if (!ref || ref.kind !== top.kind || ref.name !== top.name) continue;
    const created = obj.metadata.creationTimestamp ?? '';
    if (!best || created < (best.metadata.creationTimestamp ?? '')) best = obj;
  }
  return best;
}

function quantity(value: string | undefined): Quantity {
  return parseQuantityExact(value);
}

function cmp(a: Quantity, b: Quantity): number {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0;
}

/** applyVPAPolicy: each resource raised to minAllowed and lowered to maxAllowed (a zero bound is no bound). */
export function applyPolicy(list: ResourceList | undefined, policy: ContainerResourcePolicy | undefined): ResourceList | undefined {
  if (!list || !policy) return list;
  const out: ResourceList = { ...list };
  for (const name of Object.keys(out)) {
    const min = policy.minAllowed?.[name];
    if (min !== undefined && quantity(min).nano !== 0n && cmp(quantity(out[name]), quantity(min)) < 0) out[name] = min;
    const max = policy.maxAllowed?.[name];
    if (max !== undefined && quantity(max).nano !== 0n && cmp(quantity(out[name]), quantity(max)) > 0) out[name] = max;
  }
  return out;
}

/** capRecommendationToContainerLimit (RequestsOnly): never above the container's limit. */
function capToLimit(list: ResourceList | undefined, limits: ResourceList | undefined): ResourceList | undefined {
  if (!list || !limits) return list;
  const out: ResourceList = { ...list };
  for (const [name, limit] of Object.entries(limits)) {
    if (name in out && cmp(quantity(out[name]), quantity(limit)) > 0) out[name] = limit;
  }
  return out;
}

/**
 * cappingRecommendationProcessor.Apply for a pod: the recommendation of each of the pod's
 * containers, within the VPA's minAllowed/maxAllowed, and for RequestsOnly containers not above
 * their limits. (LimitRange capping, also part of it upstream, is not simulated.)
 */
export function cappedRecommendation(vpa: VerticalPodAutoscaler, pod: Pod): RecommendedContainerResources[] | undefined {
  const recommendations = vpa.status?.recommendation?.containerRecommendations;
  if (!recommendations) return undefined;
  const out: RecommendedContainerResources[] = [];
  for (const rec of recommendations) {
    const container = (pod.spec?.containers ?? []).find((c) => c.name === rec.containerName);
    if (!container) continue;
    const policy = containerPolicy(rec.containerName, vpa);
    const requestsOnly = controlledValues(rec.containerName, vpa) === 'RequestsOnly';
    const process = (list: ResourceList | undefined) => {
      const capped = applyPolicy(list, policy);
      return requestsOnly ? capToLimit(capped, container.resources?.limits) : capped;
    };
    out.push({
      ...rec,
      target: process(rec.target) ?? {},
      lowerBound: process(rec.lowerBound),
      upperBound: process(rec.upperBound),
    });
  }
  return out;
}

/**
 * getProportionalResourceLimit: the limit that keeps the original limit:request ratio at the
 * recommended request (a limit equal to the request, or with no request, follows the request;
 * no limit stays none). CPU scales in milli-units, memory in bytes, with integer division.
 */
export function proportionalLimit(
  resource: string,
  limit: string | undefined,
  request: string | undefined,
  recommended: string | undefined,
): string | undefined {
  const original = quantity(limit);
  if (original.nano === 0n) return undefined;
  const rec = quantity(recommended);
  if (rec.nano === 0n) return undefined;
  const req = quantity(request);
  if (req.nano === 0n) return recommended;
  const milli = (q: Quantity) => (q.nano + 999_999n) / 1_000_000n;
  if (milli(req) === milli(original)) return recommended;
  if (resource === 'cpu') {
    const scaled = (milli(original) * milli(rec)) / milli(req);
    return quantityString({ nano: scaled * 1_000_000n, format: original.format });
  }
  const value = (q: Quantity) => (q.nano + 999_999_999n) / 1_000_000_000n;
  const scaled = (value(original) * value(rec)) / value(req);
  return quantityString({ nano: scaled * 1_000_000_000n, format: original.format });
}

/** What the admission controller sets on one container: requests, and limits for RequestsAndLimits. */
export interface ContainerResources {
  requests?: ResourceList;
  limits?: ResourceList;
}

/**
 * recommendationProvider.GetContainersResourcesForPod (addAll false): per container of the pod,
 * in order, the recommended target as requests (none without a recommendation) and, for
 * RequestsAndLimits, the proportional limits.
 */
export function containerResourcesForPod(vpa: VerticalPodAutoscaler, pod: Pod): ContainerResources[] {
  const recommendations = cappedRecommendation(vpa, pod) ?? [];
  // an Off VPA's resource policy is not read (its pods are not admitted anyway)
  const usePolicy = updateMode(vpa) !== 'Off';
  return (pod.spec?.containers ?? []).map((container) => {
    const rec = recommendations.find((r) => r.containerName === container.name);
    if (!rec) return {};
    const requests = { ...rec.target };
    const result: ContainerResources = { requests };
    if (!usePolicy || controlledValues(container.name, vpa) === 'RequestsAndLimits') {
      const limits: ResourceList = {};
      for (const resource of ['cpu', 'memory']) {
        const limit = proportionalLimit(
          resource,
          container.resources?.limits?.[resource],
          container.resources?.requests?.[resource],
          requests[resource],
        );
        if (limit !== undefined) limits[resource] = limit;
      }
      if (Object.keys(limits).length) result.limits = limits;
    }
    return result;
  });
}
