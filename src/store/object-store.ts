import type { KObject, ObjectRef, StoredEvent, EventRecord } from '../api/types';

export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/**
 * The cluster's objects in memory for one command: loaded from the state file at the
 * start, written back (only what changed) in one transaction at the end. Objects are
 * treated as immutable: readers never modify them, writers store a new object.
 * Indexes kept up to date on every write: by kind, pods by node, objects by owner uid.
 */
export class ObjectStore {
  private byKind = new Map<string, Map<string, KObject>>();
  private byUid = new Map<string, KObject>();
  private podsByNodeIndex = new Map<string, Map<string, KObject>>();
  private byOwnerIndex = new Map<string, Map<string, KObject>>();
  private sortedRefCache = new Map<string, { namespace?: string; name: string }[]>();
  /** pods with no controller ownerReference, by namespace: what ReplicaSets may adopt */
  private orphanPods = new Map<string, Map<string, KObject>>();
  /** keys written (created or updated) since load */
  readonly dirty = new Map<string, KObject>();
  /** keys deleted since load */
  readonly deleted = new Map<string, { kind: string; namespace: string; name: string }>();
  /** where events go: the state file's table once loaded from one, else memory */
  events: EventLog = new MemoryEventLog();
  /** bumped on every write, lets the engine tell whether a pass changed anything */
  writeCount = 0;
  /** bumped on every deletion (the garbage collector rechecks owners only after one) */
  dropCount = 0;
  resourceVersion: number;

  constructor(resourceVersion = 1) {
    this.resourceVersion = resourceVersion;
  }

  /** Loads an object as stored; not a write. */
  load(obj: KObject): void {
    this.index(obj);
  }

  get(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.byKind.get(kind)?.get(nsName(namespace, name));
  }

  getByUid(uid: string): KObject | undefined {
    return this.byUid.get(uid);
  }

  /** All objects of a kind (optionally in one namespace), in stable namespace/name order. */
  list(kind: string, namespace?: string): KObject[] {
    const m = this.byKind.get(kind);
    if (!m) return [];
    const out: KObject[] = [];
    for (const o of m.values()) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
    return out.sort(byNamespaceName);
  }

  /**
   * Namespace/name of every object of a kind in sorted order, cached until an object of
   * the kind is added or removed (updates keep the order): the engine walks this each pass.
   */
  sortedRefs(kind: string): { namespace?: string; name: string }[] {
    let refs = this.sortedRefCache.get(kind);
    if (!refs) {
      refs = this.list(kind).map((o) => ({ namespace: o.metadata.namespace, name: o.metadata.name }));
      this.sortedRefCache.set(kind, refs);
    }
    return refs;
  }

  /** Unsorted iteration, for hot paths where order does not show. */
  values(kind: string): IterableIterator<KObject> {
    return (this.byKind.get(kind) ?? new Map<string, KObject>()).values();
  }

  count(kind: string): number {
    return this.byKind.get(kind)?.size ?? 0;
  }

  kinds(): string[] {
    return [...this.byKind.keys()].sort();
  }

  podsOnNode(nodeName: string): IterableIterator<KObject> {
    return (this.podsByNodeIndex.get(nodeName) ?? new Map<string, KObject>()).values();
  }

  /** Pods without a controlling owner in a namespace (adoption candidates), name order. */
  orphanPodsIn(namespace: string): KObject[] {
    const m = this.orphanPods.get(namespace);
    return m ? [...m.values()].sort(byNamespaceName) : [];
  }

  ownedBy(uid: string): KObject[] {
    const m = this.byOwnerIndex.get(uid);
    return m ? [...m.values()].sort(byNamespaceName) : [];
  }

  nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  /** Stores an object (new or replacing), keeping indexes; callers set metadata first. */
  put(obj: KObject): void {
    const key = objectKey(obj.kind, obj.metadata.namespace, obj.metadata.name);
    const previous = this.get(obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (previous) this.unindex(previous);
    else this.sortedRefCache.delete(obj.kind);
    this.index(obj);
    this.dirty.set(key, obj);
    this.deleted.delete(key);
    this.writeCount++;
  }

  drop(kind: string, namespace: string | undefined, name: string): KObject | undefined {
    const obj = this.get(kind, namespace, name);
    if (!obj) return undefined;
    this.unindex(obj);
    this.sortedRefCache.delete(kind);
    const key = objectKey(kind, namespace, name);
    this.dirty.delete(key);
    this.deleted.set(key, { kind, namespace: namespace ?? '', name });
    this.writeCount++;
    this.dropCount++;
    return obj;
  }

  recordEvent(event: EventRecord, at: number): void {
    this.events.record(event, at);
  }

  private index(obj: KObject): void {
    let m = this.byKind.get(obj.kind);
    if (!m) this.byKind.set(obj.kind, (m = new Map()));
    const k = nsName(obj.metadata.namespace, obj.metadata.name);
    m.set(k, obj);
    if (obj.metadata.uid) this.byUid.set(obj.metadata.uid, obj);
    if (obj.kind === 'Pod' && obj.spec?.nodeName) {
      let n = this.podsByNodeIndex.get(obj.spec.nodeName);
      if (!n) this.podsByNodeIndex.set(obj.spec.nodeName, (n = new Map()));
      n.set(k, obj);
    }
    if (obj.kind === 'Pod' && !obj.metadata.ownerReferences?.some((r) => r.controller)) {
      let o = this.orphanPods.get(obj.metadata.namespace ?? '');
      if (!o) this.orphanPods.set(obj.metadata.namespace ?? '', (o = new Map()));
      o.set(k, obj);
    }
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let o = this.byOwnerIndex.get(ref.uid);
      if (!o) this.byOwnerIndex.set(ref.uid, (o = new Map()));
      o.set(`${obj.kind}/${k}`, obj);
    }
  }

  private unindex(obj: KObject): void {
    const k = nsName(obj.metadata.namespace, obj.metadata.name);
    this.byKind.get(obj.kind)?.delete(k);
    if (obj.metadata.uid && this.byUid.get(obj.metadata.uid) === obj) this.byUid.delete(obj.metadata.uid);
    if (obj.kind === 'Pod' && obj.spec?.nodeName) this.podsByNodeIndex.get(obj.spec.nodeName)?.delete(k);
    if (obj.kind === 'Pod') this.orphanPods.get(obj.metadata.namespace ?? '')?.delete(k);
    for (const ref of obj.metadata.ownerReferences ?? []) this.byOwnerIndex.get(ref.uid)?.delete(`${obj.kind}/${k}`);
  }
}

function nsName(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The cluster's event log. A command writes events straight into the state file's table
 * (inside its transaction), so a command that records 450k events never holds them in memory.
 */
export interface EventLog {
  record(event: EventRecord, at: number): void;
  /** Whether an event (with this reason, last seen at this instant) was recorded for the object. */
  has(involved: ObjectRef, reason?: string, at?: number): boolean;
}

/** The log of a store with no state file behind it (unit tests). */
export class MemoryEventLog implements EventLog {
  readonly recorded: (EventRecord & { at: number })[] = [];

  record(event: EventRecord, at: number): void {
    this.recorded.push({ ...event, at });
  }

  has(involved: ObjectRef, reason?: string, at?: number): boolean {
    return this.recorded.some((e) => e.involved.uid === involved.uid && e.involved.kind === involved.kind && (reason === undefined || e.reason === reason) && (at === undefined || e.at === at));
  }
}

/** What makes two events "the same" for aggregation (count++), as the event recorder does. */
export function eventAggregationKey(e: { involved: { kind: string; name: string; namespace?: string; uid?: string }; type: string; reason: string; message: string }): string {
  return `${e.involved.namespace ?? 'default'}\u0000${e.involved.kind}\u0000${e.involved.name}\u0000${e.involved.uid ?? ''}\u0000${e.type}\u0000${e.reason}\u0000${e.message}`;
}

export function byNamespaceName(a: KObject, b: KObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

export type { StoredEvent };
