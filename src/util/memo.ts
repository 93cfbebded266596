/** `fn` with its results kept for up to `max` distinct arguments (then forgotten all at once). */
export function boundedMemo<K, V>(fn: (key: K) => V, max = 10_000): (key: K) => V {
  const results = new Map<K, V>();
  return (key) => {
    let value = results.get(key);
    if (value === undefined) {
      if (results.size >= max) results.clear();
      results.set(key, (value = fn(key)));
    }
    return value;
  };
}

/**
 * A value kept on objects themselves under a symbol of its own. JSON, YAML, key listings and
 * clone() never see a symbol; spread copies and Object.assign do copy it, so each entry names
 * the object it was set on and a copy's inherited entry reads as unset (a copy that changes a
 * field must not carry the memo along). For memos attached to every pod version: a WeakMap
 * entry per object cost about twice as much to add and every collection had to walk them all,
 * and a non-enumerable property (Object.defineProperty) was slower still to add.
 */
export class HiddenField<T> {
  private readonly key: symbol;

  constructor(description: string) {
    this.key = Symbol(description);
  }

  get(obj: object): T | undefined {
    const entry = (obj as Record<symbol, { owner: object; value: T } | undefined>)[this.key];
    return entry !== undefined && entry.owner === obj ? entry.value : undefined;
  }

  set(obj: object, value: T): void {
    (obj as Record<symbol, { owner: object; value: T }>)[this.key] = { owner: obj, value };
  }
}
