import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../src/serve/change-feed';
import { ObjectStore } from '../../src/store/object-store';
import type { KObject } from '../../src/model/objects';

/** a ConfigMap as the write path leaves it: uid and resourceVersion set, the store's resourceVersion moved */
function write(store: ObjectStore, name: string, data: Record<string, string>, uid = `uid-${name}`): void {
  store.resourceVersion++;
  store.put({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', uid, resourceVersion: String(store.resourceVersion) },
    data,
  } as KObject);
}

function drop(store: ObjectStore, name: string): void {
  store.resourceVersion++;
  store.drop('ConfigMap', 'default', name, String(store.resourceVersion));
}

const summary = (changes: { type: string; object: KObject; rv: number }[]) =>
  changes.map((c) => `${c.type} ${c.object.metadata.name} ${c.rv}`);

describe('ChangeFeed', () => {
  it('on a store it has compared, reads only the writes since (no listing of every kind)', () => {
    const store = new ObjectStore(10);
    write(store, 'a', { n: '1' });
    write(store, 'b', { n: '1' });
    const feed = new ChangeFeed();
    feed.prime(store);
    let listed = 0;
    const list = store.list.bind(store);
    store.list = ((...args: Parameters<ObjectStore['list']>) => {
      listed++;
      return list(...args);
    }) as ObjectStore['list'];
    write(store, 'a', { n: '2' });
    write(store, 'a', { n: '3' });
    write(store, 'c', { n: '1' });
    drop(store, 'b');
    const changes = feed.observe(store);
    expect(listed).toBe(0);
    // 'a' written twice between two looks is one MODIFIED, at its last write
    expect(summary(changes)).toEqual(['MODIFIED a 14', 'ADDED c 15', 'DELETED b 16']);
    expect(changes[0].old?.data).toEqual({ n: '1' });
    expect(feed.current('ConfigMap').map((o) => o.metadata.name)).toEqual(['a', 'c']);
    expect(feed.observe(store)).toEqual([]);
  });

  it('sees a name deleted and created again (a new uid) as DELETED then ADDED', () => {
    const store = new ObjectStore(10);
    write(store, 'a', { n: '1' });
    const feed = new ChangeFeed();
    feed.prime(store);
    drop(store, 'a');
    write(store, 'a', { n: '1' }, 'uid-a2');
    expect(summary(feed.observe(store))).toEqual(['DELETED a 12', 'ADDED a 13']);
    expect(feed.current('ConfigMap')[0].metadata.uid).toBe('uid-a2');
  });

  it('compares a store it never saw (the file loaded afresh) in full, objects gone included', () => {
    const first = new ObjectStore(10);
    write(first, 'a', { n: '1' });
    write(first, 'b', { n: '1' });
    const feed = new ChangeFeed();
    feed.prime(first);
    // another process changed 'a' and deleted 'b': the reload holds 'a' at rv 20, 'b' no more
    const reloaded = new ObjectStore(19);
    write(reloaded, 'a', { n: '2' });
    reloaded.resourceVersion = 21;
    expect(summary(feed.observe(reloaded))).toEqual(['MODIFIED a 20', 'DELETED b 21']);
  });
});
