/**
 * The patch `kubectl apply` sends (strategicpatch.CreateThreeWayMergePatch): what changed from
 * the live object to the manifest (deletions ignored), merged with what the manifest dropped
 * since the last apply (as nulls or `$patch: delete` items), with the strategic-merge directives
 * ($setElementOrder, $retainKeys, $deleteFromPrimitiveList) where apimachinery adds them.
 * kubesim applies with threeWayMerge (merge.ts); this patch is what kubectl prints when the
 * server refuses it.
 */
import { deepEqual, isMap, listStrategy, retainsKeys, type JsonMap } from './merge';

interface DiffOptions {
  ignoreDeletions?: boolean;
  ignoreChangesAndAdditions?: boolean;
}

export function createThreeWayMergePatch(original: unknown, modified: unknown, current: unknown, kind: string): JsonMap {
  const modifiedMap = isMap(modified) ? modified : {};
  const delta = diffMaps(isMap(current) ? current : {}, modifiedMap, [], kind, { ignoreDeletions: true });
  const deletions = diffMaps(isMap(original) ? original : {}, modifiedMap, [], kind, { ignoreChangesAndAdditions: true });
  return mergePatches(deletions, delta, [], kind);
}

function diffMaps(from: JsonMap, to: JsonMap, path: string[], kind: string, opts: DiffOptions): JsonMap {
  const patch: JsonMap = {};
  for (const [key, value] of Object.entries(to)) {
    const before = from[key];
    const fieldPath = [...path, key];
    if (before === undefined) {
      if (!opts.ignoreChangesAndAdditions) patch[key] = value;
    } else if (isMap(before) && isMap(value)) {
      const sub = diffMaps(before, value, fieldPath, kind, opts);
      if (Object.keys(sub).length) patch[key] = sub;
    } else if (Array.isArray(before) && Array.isArray(value)) diffLists(patch, key, before, value, fieldPath, kind, opts);
    else if (!deepEqual(before, value) && !opts.ignoreChangesAndAdditions) patch[key] = value;
  }
  if (!opts.ignoreDeletions) for (const key of Object.keys(from)) if (to[key] === undefined) patch[key] = null;
  // a retainKeys map names the keys it keeps whenever it changes
  if (retainsKeys(path, kind) && Object.keys(patch).length) patch.$retainKeys = Object.keys(to).sort();
  return patch;
}

/** diffLists: a whole atomic list, a primitive set's additions and removals, or a keyed list item by item */
function diffLists(patch: JsonMap, key: string, from: unknown[], to: unknown[], path: string[], kind: string, opts: DiffOptions): void {
  const strategy = listStrategy(path, kind);
  if (strategy.type === 'replace') {
    if (!deepEqual(from, to) && !opts.ignoreChangesAndAdditions) patch[key] = to;
    return;
  }
  if (strategy.type === 'set') {
    const added = to.filter((v) => !from.some((f) => deepEqual(f, v)));
    const removed = from.filter((v) => !to.some((t) => deepEqual(t, v)));
    if (added.length && !opts.ignoreChangesAndAdditions) patch[key] = added;
    if (removed.length && !opts.ignoreDeletions) patch[`$deleteFromPrimitiveList/${key}`] = removed;
    if ((added.length && !opts.ignoreChangesAndAdditions) || (removed.length && !opts.ignoreDeletions))
      patch[`$setElementOrder/${key}`] = to;
    return;
  }
  const { mergeKey } = strategy;
  const keyOf = (item: unknown) => (isMap(item) ? item[mergeKey] : undefined);
  const items: JsonMap[] = [];
  for (const item of to) {
    if (!isMap(item)) continue;
    const before = from.find((f) => deepEqual(keyOf(f), item[mergeKey]));
    if (!isMap(before)) {
      if (!opts.ignoreChangesAndAdditions) items.push(item);
      continue;
    }
    const sub = diffMaps(before, item, path, kind, opts);
    if (Object.keys(sub).length) items.push({ ...sub, [mergeKey]: item[mergeKey] });
  }
  if (!opts.ignoreDeletions)
    for (const item of from)
      if (isMap(item) && !to.some((t) => deepEqual(keyOf(t), item[mergeKey]))) items.push({ [mergeKey]: item[mergeKey], $patch: 'delete' });
  if (!items.length) return;
  // apimachinery walks both lists sorted by merge key
  patch[key] = items.sort((a, b) => String(a[mergeKey]).localeCompare(String(b[mergeKey])));
  patch[`$setElementOrder/${key}`] = to.map((item) => ({ [mergeKey]: keyOf(item) }));
}

/**
 * mergeMap(deletions, delta): the delta's changes over the deletions'; in a keyed list the
 * delta's items merge into the deletions' items with the same key or follow them.
 */
function mergePatches(base: JsonMap, over: JsonMap, path: string[], kind: string): JsonMap {
  const out: JsonMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = out[key];
    const strategy = key.startsWith('$') ? undefined : listStrategy([...path, key], kind);
    if (isMap(before) && isMap(value)) out[key] = mergePatches(before, value, [...path, key], kind);
    else if (Array.isArray(before) && Array.isArray(value) && strategy?.type === 'mergeByKey') {
      const { mergeKey } = strategy;
      const merged = before.map((item) => {
        const same = value.find((v) => isMap(v) && isMap(item) && deepEqual(v[mergeKey], item[mergeKey]));
        return isMap(item) && isMap(same) ? mergePatches(item, same, [...path, key], kind) : item;
      });
      for (const v of value) if (!before.some((b) => isMap(b) && isMap(v) && deepEqual(b[mergeKey], v[mergeKey]))) merged.push(v);
      out[key] = merged;
    } else out[key] = value;
  }
  return out;
}

/** Go's json.Marshal of the patch: map keys sorted, <, > and & escaped */
export function goJsonMarshal(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : isMap(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted(v[k])]),
          )
        : v;
  return JSON.stringify(sorted(value)).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}

/**
 * What changed from the last-applied configuration to the live object (diffMaps with no
 * options, as CreateThreeWayMergePatch computes it for --overwrite=false); without the
 * $setElementOrder directives, which that diff does not ask for.
 */
export function createChangeMap(original: unknown, current: unknown, kind: string): JsonMap {
  const withoutOrder = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(withoutOrder)
      : isMap(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => !k.startsWith('$setElementOrder/'))
              .map(([k, x]) => [k, withoutOrder(x)]),
          )
        : v;
  return withoutOrder(diffMaps(isMap(original) ? original : {}, isMap(current) ? current : {}, [], kind, {})) as JsonMap;
}

/**
 * strategicpatch.MergingMapsHaveConflicts: whether the patch sets a field the live object
 * changed since the last apply to something else. A merging list of maps is compared item by
 * item by its merge key; a list of scalars that merges never conflicts; other lists are
 * compared whole (scalars sorted).
 */
export function mergingMapsHaveConflicts(left: JsonMap, right: JsonMap, kind: string): boolean {
  return mapsHaveConflicts(left, right, [], kind);
}

function mapsHaveConflicts(left: JsonMap, right: JsonMap, path: string[], kind: string): boolean {
  for (const [key, leftValue] of Object.entries(left)) {
    if (key === '$patch' || key === '$retainKeys' || !(key in right)) continue;
    if (fieldsHaveConflicts(leftValue, right[key], [...path, key], kind)) return true;
  }
  return false;
}

function fieldsHaveConflicts(left: unknown, right: unknown, path: string[], kind: string): boolean {
  if (isMap(left)) {
    if (!isMap(right)) return true;
    if ('$patch' in left || '$patch' in right) {
      if ('$patch' in left !== '$patch' in right || left.$patch !== right.$patch) return true;
    }
    return mapsHaveConflicts(left, right, path, kind);
  }
  if (Array.isArray(left)) {
    if (!Array.isArray(right)) return true;
    const key = path[path.length - 1];
    const strategy = key.startsWith('$') ? ({ type: 'replace' } as const) : listStrategy(path, kind);
    const ofMaps = [...left, ...right].some(isMap);
    if (strategy.type !== 'replace') {
      if (!ofMaps || strategy.type !== 'mergeByKey') return false;
      const byKey = (items: unknown[]) => new Map(items.filter(isMap).map((i) => [JSON.stringify(i[strategy.mergeKey]), i]));
      const rightItems = byKey(right);
      for (const [k, item] of byKey(left)) {
        const other = rightItems.get(k);
        if (other && fieldsHaveConflicts(item, other, path, kind)) return true;
      }
      return false;
    }
    if (left.length !== right.length) return true;
    const sortScalars = (items: unknown[]) => (ofMaps ? items : [...new Set(items.map((i) => JSON.stringify(i)))].sort());
    const l = sortScalars(left);
    const r = sortScalars(right);
    if (!ofMaps) return l.length !== r.length || l.some((v, i) => v !== r[i]);
    return l.some((v, i) => fieldsHaveConflicts(v, r[i], path, kind));
  }
  return !deepEqual(left, right);
}
