import type { KObject } from '../model/objects';
import type { ReadonlyObjectStore } from '../store/object-store';
import { remember, type Action } from '../reconcile/actions';
import { fromRFC3339 } from '../util/duration';

/**
 * The exact instants containers exited, in the kubelet's memory of the pod. A status's finishedAt
 * is RFC 3339, whole seconds (metav1.Time), but on a wall-clock cluster a process exits, or is
 * stopped, at any millisecond: what it printed between the whole second and its exit is in its
 * log (the runtime's log file has it all), so `logs` reads up to the exact instant. Only an exit
 * off a whole second is kept, and for each container only its last two instances (what `logs` and
 * `logs --previous` read); the memory goes with the pod.
 */
export const EXIT_MEMORY = 'kubelet-exits';

/** `container/restartCount` → the exit's virtual instant (ms) */
type Exits = Record<string, number>;

export interface ContainerExit {
  container: string;
  restartCount: number;
  at: number;
}

/** The kubelet's action keeping the exits it wrote this sync (none when all fell on whole seconds or are known). */
export function rememberExits(pod: KObject, store: ReadonlyObjectStore, exits: ContainerExit[]): Action[] {
  const uid = pod.metadata.uid;
  const fractional = exits.filter((e) => e.at % 1000 !== 0);
  if (!uid || !fractional.length) return [];
  const before = store.recall<Exits>(EXIT_MEMORY, uid) ?? {};
  const next: Exits = { ...before };
  for (const e of fractional) next[`${e.container}/${e.restartCount}`] = e.at;
  const newest = new Map<string, number>();
  for (const key of Object.keys(next)) {
    const [container, count] = splitKey(key);
    newest.set(container, Math.max(newest.get(container) ?? 0, count));
  }
  for (const key of Object.keys(next)) {
    const [container, count] = splitKey(key);
    if (count < newest.get(container)! - 1) delete next[key];
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted) === JSON.stringify(before) ? [] : [remember(EXIT_MEMORY, uid, sorted)];
}

function splitKey(key: string): [string, number] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), Number(key.slice(slash + 1))];
}

/** When a container instance exited: the exact instant the kubelet kept, else its status's finishedAt. */
export function exitInstant(
  store: ReadonlyObjectStore,
  pod: KObject,
  container: string,
  restartCount: number,
  finishedAt: string | undefined,
): number {
  const finished = fromRFC3339(finishedAt);
  const exact = pod.metadata.uid ? store.recall<Exits>(EXIT_MEMORY, pod.metadata.uid)?.[`${container}/${restartCount}`] : undefined;
  // (the same exit: the kept instant falls within the second the status names)
  return exact !== undefined && Math.floor(exact / 1000) * 1000 === finished ? exact : finished;
}
