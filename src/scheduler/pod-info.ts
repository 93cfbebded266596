import type { KObject, OwnerReference } from '../model/objects';
import type { PodAffinityTerm, PodSpec, Quantity, WeightedPodAffinityTerm } from '../model/k8s';
import { controllerOf } from '../model/objects';
import type { Pod } from '../model/kinds';
import { fromLabelSelector, matches, type Selector } from '../api/labels';
import { intValue, milliValue } from '../api/quantity';
import { parseTolerations, type Toleration } from './taints';
import { HiddenField } from '../util/memo';

/**
 * framework.PodInfo: what the scheduler needs from a pod, computed once per pod object.
 * Store objects are immutable, so the result is cached by object identity across passes.
 */

/** schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what a container without requests counts as when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** extended resources (nvidia.com/gpu, hugepages-2Mi…), only those with a non-zero value */
  scalar: Map<string, number> | undefined;
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** framework.AffinityTerm: which pods a (anti-)affinity term selects and over which topology. */
export interface AffinityTerm {
  /** namespaces listed in the term, or the pod's own when neither namespaces nor namespaceSelector is set */
  namespaces: ReadonlySet<string>;
  /** null selects no namespace; [] selects every namespace */
  namespaceSelector: Selector | null;
  /** null selects no pod */
  selector: Selector | null;
  topologyKey: string;
  /** identity of the term for grouping equal terms of many pods */
  signature: string;
}

export interface WeightedAffinityTerm {
  term: AffinityTerm;
  weight: number;
}

const quantityCache = new Map<string, number>();

function cachedQuantity(value: unknown, milli: boolean): number {
  if (value === undefined || value === null || value === '') return 0;
  const key = (milli ? 'm' : 'v') + String(value);
  let v = quantityCache.get(key);
  if (v === undefined) {
    try {
      v = milli ? milliValue(value as string) : intValue(value as string);
    } catch {
      v = 0;
    }
    if (quantityCache.size < 100_000) quantityCache.set(key, v);
  }
  return v;
}

export function cpuMilli(value: unknown): number {
  return cachedQuantity(value, true);
}

export function quantityValue(value: unknown): number {
  return cachedQuantity(value, false);
}

const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);

interface MutableResources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  scalar: Map<string, number> | undefined;
}

function emptyResources(): MutableResources {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, scalar: undefined };
}

function containerRequests(requests: Record<string, Quantity> | undefined, nonMissing: boolean): MutableResources {
  const r = emptyResources();
  const req = requests ?? {};
  r.milliCpu = 'cpu' in req ? cpuMilli(req.cpu) : nonMissing ? DEFAULT_MILLI_CPU_REQUEST : 0;
  r.memory = 'memory' in req ? quantityValue(req.memory) : nonMissing ? DEFAULT_MEMORY_REQUEST : 0;
  r.ephemeralStorage = quantityValue(req['ephemeral-storage']);
  for (const name of Object.keys(req)) {
    if (STANDARD_RESOURCES.has(name)) continue;
    const v = quantityValue(req[name]);
    if (!v) continue;
    (r.scalar ??= new Map()).set(name, v);
  }
  return r;
}

function addInto(target: MutableResources, add: MutableResources): void {
  target.milliCpu += add.milliCpu;
  target.memory += add.memory;
  target.ephemeralStorage += add.ephemeralStorage;
  if (add.scalar) for (const [k, v] of add.scalar) (target.scalar ??= new Map()).set(k, (target.scalar.get(k) ?? 0) + v);
}

function maxInto(target: MutableResources, other: MutableResources): void {
  target.milliCpu = Math.max(target.milliCpu, other.milliCpu);
  target.memory = Math.max(target.memory, other.memory);
  target.ephemeralStorage = Math.max(target.ephemeralStorage, other.ephemeralStorage);
  if (other.scalar) for (const [k, v] of other.scalar) (target.scalar ??= new Map()).set(k, Math.max(target.scalar.get(k) ?? 0, v));
}

function sumOf(a: MutableResources, b: MutableResources): MutableResources {
  const r = emptyResources();
  addInto(r, a);
  addInto(r, b);
  return r;
}

/**
 * resourcehelper.PodRequests: regular containers add up; init containers run one at a
 * time so the pod needs their maximum (with the sidecars started before each one);
 * restartable (sidecar) init containers keep running and add up too; overhead is added.
 * With `nonMissing`, a container without a cpu/memory request counts 100m / 200Mi.
 */
export function podRequests(spec: Partial<PodSpec> | undefined, nonMissing: boolean): Resources {
  const reqs = emptyResources();
  for (const c of spec?.containers ?? []) addInto(reqs, containerRequests(c.resources?.requests, nonMissing));
  const restartable = emptyResources();
  const initMax = emptyResources();
  for (const c of spec?.initContainers ?? []) {
    const cr = containerRequests(c.resources?.requests, nonMissing);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, cr);
      addInto(restartable, cr);
      maxInto(initMax, restartable);
    } else {
      maxInto(initMax, sumOf(cr, restartable));
    }
  }
  maxInto(reqs, initMax);
  if (spec?.overhead) addInto(reqs, containerRequests(spec.overhead, false));
  return reqs;
}

function mergeMatchLabelKeys(selector: Selector | null, pod: KObject, term: PodAffinityTerm): Selector | null {
  if (selector === null) return null;
  const labels = pod.metadata.labels ?? {};
  let out = selector;
  for (const key of term.matchLabelKeys ?? []) {
    if (key in labels) out = [...out, { key, operator: 'In', values: [labels[key]] }];
  }
  for (const key of term.mismatchLabelKeys ?? []) {
    if (key in labels) out = [...out, { key, operator: 'NotIn', values: [labels[key]] }];
  }
  return out;
}

/** framework.newAffinityTerm (matchLabelKeys/mismatchLabelKeys merged, as the API server does since v1.31). */
export function affinityTerm(pod: KObject, term: PodAffinityTerm): AffinityTerm {
  const listed = term.namespaces ?? [];
  // a null namespaceSelector (as JSON can hold) is no selector
  const hasNsSelector = term.namespaceSelector !== undefined && term.namespaceSelector !== null;
  const namespaces = new Set(listed.length === 0 && !hasNsSelector ? [pod.metadata.namespace ?? 'default'] : listed);
  const namespaceSelector = hasNsSelector ? fromLabelSelector(term.namespaceSelector) : null;
  const selector = mergeMatchLabelKeys(fromLabelSelector(term.labelSelector), pod, term);
  const topologyKey = term.topologyKey;
  const signature = JSON.stringify([[...namespaces].sort(), namespaceSelector, selector, topologyKey]);
  return { namespaces, namespaceSelector, selector, topologyKey, signature };
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. */
export function termMatchesPod(term: AffinityTerm, pod: PodInfo, namespaceLabels: Record<string, string> | undefined): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (term.namespaceSelector === null || !matches(term.namespaceSelector, namespaceLabels)) return false;
  }
  return term.selector !== null && matches(term.selector, pod.labels);
}

/** no terms: one array for every pod without them (PodInfo's lists are read, never changed) */
const NO_TERMS: AffinityTerm[] = [];
const NO_WEIGHTED_TERMS: WeightedAffinityTerm[] = [];

function terms(pod: KObject, list: PodAffinityTerm[] | undefined): AffinityTerm[] {
  if (!list || list.length === 0) return NO_TERMS;
  return list.map((t) => affinityTerm(pod, t));
}

function weightedTerms(pod: KObject, list: WeightedPodAffinityTerm[] | undefined): WeightedAffinityTerm[] {
  if (!list || list.length === 0) return NO_WEIGHTED_TERMS;
  return list.map((w) => ({ term: affinityTerm(pod, w.podAffinityTerm), weight: w.weight }));
}

/** What a PodInfo reads from the spec alone: requests, host ports, tolerations. */
interface SpecParts {
  /** the spec fields besides containers they were read from */
  initContainers: unknown;
  overhead: unknown;
  tolerationsField: unknown;
  requests: Resources;
  nonZeroMilliCpu: number;
  nonZeroMemory: number;
  hostPorts: HostPort[];
  tolerations: Toleration[];
}

/**
 * Pods stamped from one template share their spec's fields (the store shares them), so the
 * parts are read once per containers list (and the same init containers, overhead and
 * tolerations), not once per pod: 150k pods of 1,500 ReplicaSets parse 1,500 specs. They are
 * shared between PodInfos and never changed.
 */
const specPartsCache = new WeakMap<object, SpecParts>();
function specParts(spec: Partial<PodSpec>): SpecParts {
  const key = spec.containers;
  const cached = key ? specPartsCache.get(key) : undefined;
  if (
    cached &&
    cached.initContainers === spec.initContainers &&
    cached.overhead === spec.overhead &&
    cached.tolerationsField === spec.tolerations
  )
    return cached;
  const nonZero = podRequests(spec, true);
  const hostPorts: HostPort[] = [];
  for (const c of key ?? []) {
    for (const p of c.ports ?? []) {
      const hostPort = p.hostPort ?? 0;
      if (hostPort > 0) hostPorts.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: hostPort });
    }
  }
  const parts: SpecParts = {
    initContainers: spec.initContainers,
    overhead: spec.overhead,
    tolerationsField: spec.tolerations,
    requests: podRequests(spec, false),
    nonZeroMilliCpu: nonZero.milliCpu,
    nonZeroMemory: nonZero.memory,
    hostPorts,
    tolerations: parseTolerations(spec.tolerations),
  };
  if (key) specPartsCache.set(key, parts);
  return parts;
}

/**
 * A bound pod as its stored row's columns tell it (schema 6, ObjectStore's `Slot.podClass` and `rowUid`/`rowNode`/`rowTerminating`): the
 * scheduler builds its aggregates from these without parsing the row; `source.obj` parses it
 * when a plugin needs the whole pod (preemption's victims).
 */
export interface PodRowSource {
  uid: string;
  name: string;
  nodeName: string;
  terminating: boolean;
  source: { readonly obj: KObject };
}

export class PodInfo {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly priority: number;
  readonly preemptionPolicy: string;
  readonly terminating: boolean;
  readonly nodeName: string;
  readonly nominatedNodeName: string;
  /** requests as NodeResourcesFit counts them */
  readonly requests: Resources;
  /** cpu/memory with the 100m/200Mi defaults for containers that request none (scoring) */
  readonly nonZeroMilliCpu: number;
  readonly nonZeroMemory: number;
  readonly hostPorts: HostPort[];
  readonly tolerations: Toleration[];
  readonly requiredAffinityTerms: AffinityTerm[];
  readonly requiredAntiAffinityTerms: AffinityTerm[];
  readonly preferredAffinityTerms: WeightedAffinityTerm[];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /** the pod object, or (a pod from its row) undefined until `pod` is first read */
  private podObject: Pod | undefined;
  private readonly rowSource: { readonly obj: KObject } | undefined;
  private startMemo: number | undefined;
  private controllerMemo: OwnerReference | null | undefined;

  /**
   * From the pod object, or (`row`) from a PodInfo of a pod like it — same namespace, labels
   * and spec, which is all the shared fields are read from — and the row's own facts.
   */
  constructor(pod: Pod);
  constructor(pod: undefined, row: PodRowSource, like: PodInfo);
  constructor(pod: Pod | undefined, row?: PodRowSource, like?: PodInfo) {
    if (pod === undefined) {
      const l = like!;
      this.uid = row!.uid;
      this.namespace = l.namespace;
      this.name = row!.name;
      this.labels = l.labels;
      this.priority = l.priority;
      this.preemptionPolicy = l.preemptionPolicy;
      this.terminating = row!.terminating;
      this.nodeName = row!.nodeName;
      // (a bound pod's nomination is of no use: only pending pods' are read)
      this.nominatedNodeName = '';
      this.requests = l.requests;
      this.nonZeroMilliCpu = l.nonZeroMilliCpu;
      this.nonZeroMemory = l.nonZeroMemory;
      this.hostPorts = l.hostPorts;
      this.tolerations = l.tolerations;
      this.requiredAffinityTerms = l.requiredAffinityTerms;
      this.requiredAntiAffinityTerms = l.requiredAntiAffinityTerms;
      this.preferredAffinityTerms = l.preferredAffinityTerms;
      this.preferredAntiAffinityTerms = l.preferredAntiAffinityTerms;
      this.podObject = undefined;
      this.rowSource = row!.source;
      this.startMemo = undefined;
      this.controllerMemo = undefined;
      return;
    }
    // a pod read from JSON without a spec yet (tests, a pod being created) reads as an empty one
    const spec: Partial<PodSpec> = pod.spec ?? {};
    this.uid = pod.metadata.uid ?? `${pod.metadata.namespace}/${pod.metadata.name}`;
    this.namespace = pod.metadata.namespace ?? 'default';
    this.name = pod.metadata.name;
    this.labels = pod.metadata.labels ?? {};
    this.priority = spec.priority ?? 0;
    this.preemptionPolicy = spec.preemptionPolicy ?? 'PreemptLowerPriority';
    this.terminating = !!pod.metadata.deletionTimestamp;
    this.nodeName = spec.nodeName ?? '';
    this.nominatedNodeName = pod.status?.nominatedNodeName ?? '';
    const parts = specParts(spec);
    this.requests = parts.requests;
    this.nonZeroMilliCpu = parts.nonZeroMilliCpu;
    this.nonZeroMemory = parts.nonZeroMemory;
    this.hostPorts = parts.hostPorts;
    this.tolerations = parts.tolerations;
    const affinity = spec.affinity;
    this.requiredAffinityTerms = terms(pod, affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.requiredAntiAffinityTerms = terms(pod, affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution);
    this.preferredAffinityTerms = weightedTerms(pod, affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.preferredAntiAffinityTerms = weightedTerms(pod, affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution);
    this.podObject = pod;
    this.rowSource = undefined;
    this.startMemo = undefined;
    this.controllerMemo = undefined;
  }

  /** The pod (a pod known from its row: its row parsed now). */
  get pod(): Pod {
    return (this.podObject ??= this.rowSource!.obj as Pod);
  }

  /** podutil start time for preemption's MoreImportantPod (ms; Infinity when not started) */
  get startTime(): number {
    if (this.startMemo === undefined) {
      const started = this.pod.status?.startTime ? Date.parse(this.pod.status.startTime) : NaN;
      this.startMemo = Number.isFinite(started) ? started : Infinity;
    }
    return this.startMemo;
  }

  /** the controller's owner reference (null: none), read once per PodInfo (PodTopologySpread asks several times a cycle) */
  get controller(): OwnerReference | undefined {
    if (this.controllerMemo === undefined) this.controllerMemo = controllerOf(this.pod) ?? null;
    return this.controllerMemo ?? undefined;
  }
}

/** on the pod object itself (see HiddenField) */
const podInfoCache = new HiddenField<PodInfo>('scheduler PodInfo');

export function podInfoOf(pod: Pod): PodInfo {
  let info = podInfoCache.get(pod);
  if (!info) {
    info = new PodInfo(pod);
    podInfoCache.set(pod, info);
  }
  return info;
}

/** util.MoreImportantPod: higher priority first, then the one that started earlier. */
export function moreImportantPod(a: PodInfo, b: PodInfo): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.startTime === b.startTime) return 0;
  return a.startTime < b.startTime ? -1 : 1;
}
