import type { KObject } from './objects';
import type { ObjectOf, Pod } from './kinds';

/**
 * Looking objects up: what code that only reads the cluster (describe's related objects, helpers
 * it shares with the controllers) is handed by its caller. The object cache implements it
 * (store/object-store.ts), and so can a test's fixture.
 */
export interface ObjectReader {
  get<K extends string>(kind: K, namespace: string | undefined, name: string): ObjectOf<K> | undefined;
  /** All objects of a kind (optionally in one namespace), in byNamespaceName order. */
  list<K extends string>(kind: K, namespace?: string): ObjectOf<K>[];
  /** All objects of a kind, unsorted (creation order). */
  values<K extends string>(kind: K): IterableIterator<ObjectOf<K>>;
  /** Objects whose ownerReferences name the uid, in byNamespaceName order. */
  ownedBy(uid: string): KObject[];
  podsOnNode(nodeName: string): IterableIterator<Pod>;
  /** Changes on every write: readers memoise on it. */
  readonly writeCount: number;
}

/** List order: by namespace, then name. */
export function byNamespaceName(a: KObject, b: KObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}
