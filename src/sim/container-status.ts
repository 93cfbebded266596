/** Container statuses the kubelet and the pod-config checks both write, interned so equal ones are one object. */
import type { Container, ContainerState, ContainerStatus, PodCondition } from '../model/k8s';

/** A container the kubelet has not created yet: waiting as ContainerCreating, or PodInitializing in a pod with init containers. */
export function newContainerStatus(c: Container, reason: 'ContainerCreating' | 'PodInitializing'): ContainerStatus {
  return {
    name: c.name,
    image: c.image ?? '',
    imageID: '',
    ready: false,
    restartCount: 0,
    started: false,
    state:
      reason === 'PodInitializing'
        ? podInitializing()
        : made('creating', (): ContainerState => ({ waiting: { reason: 'ContainerCreating' } })),
    lastState: made('{}', (): ContainerState => ({})),
  };
}

export function podInitializing(): ContainerState {
  return made('podinitializing', (): ContainerState => ({ waiting: { reason: 'PodInitializing' } }));
}

/**
 * One object per distinct condition or container state: the pods a pass starts together get
 * equal ones, which the store would share anyway — made once, they skip its hashing.
 * Safe because stored objects are never edited in place (writers copy what they change).
 */
const madeValues = new Map<string, PodCondition | ContainerState>();
/** keys of conditions start with their type, of container states with the state: one key, one type */
export function made<T extends PodCondition | ContainerState>(key: string, make: () => T): T {
  let value = madeValues.get(key) as T | undefined;
  if (!value) {
    if (madeValues.size >= 10_000) madeValues.clear();
    madeValues.set(key, (value = make()));
  }
  return value;
}
