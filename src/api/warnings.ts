import type { ObjectStore } from '../store/object-store';

/**
 * Warnings the API server returns with a response (HTTP `Warning:` headers), kept per
 * store until the command that made the request prints them: kubectl writes each as
 * `Warning: <text>` on stderr before the request's result line.
 */
const pending = new WeakMap<ObjectStore, string[]>();

export function addWarning(store: ObjectStore, text: string): void {
  const list = pending.get(store) ?? [];
  if (!list.includes(text)) list.push(text);
  pending.set(store, list);
}

/** The warnings recorded since the last call, oldest first. */
export function takeWarnings(store: ObjectStore): string[] {
  const list = pending.get(store) ?? [];
  pending.delete(store);
  return list;
}
