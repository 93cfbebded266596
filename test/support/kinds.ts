import type { KObject } from '../../src/model/objects';
import { isKind, type KindMap, type KindName } from '../../src/model/kinds';

/**
 * The object narrowed to the kind a test expects (what createObject or the store handed back):
 * a test reads its typed fields, and fails here when the object is missing or of another kind.
 */
export function asKind<K extends KindName>(obj: KObject | undefined, kind: K): KindMap[K] {
  if (!obj || !isKind(obj, kind)) throw new Error(`expected a ${kind}, got ${obj ? obj.kind : 'nothing'}`);
  return obj;
}
