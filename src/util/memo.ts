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
 * A value kept on objects themselves under a symbol of its own, not enumerable: JSON, YAML,
 * spread copies, Object.assign, key listings and clone() never see it, so a copy that changes
 * a field neither carries the value along nor keeps the original alive through it (an
 * enumerable symbol would be copied by every `{ ...pod }`: each pod version would hold on to
 * the one before). For memos attached to every pod version, where a WeakMap entry per object
 * cost about twice as much to add and every collection had to walk them all.
 */
export class HiddenField<T> {
  private readonly key: symbol;

  constructor(description: string) {
    this.key = Symbol(description);
  }

  get(obj: object): T | undefined {
    return (obj as Record<symbol, T | undefined>)[this.key];
  }

  set(obj: object, value: T): void {
    Object.defineProperty(obj, this.key, { value, writable: true, configurable: true, enumerable: false });
  }
}
