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
