import { CliError, notFound } from '../util/errors';
import { fromRFC3339 } from '../util/duration';
import { resolveType } from './resource-args';
import { fromLabelSelector, fromMatchLabels, matches } from '../api/labels';
import type { Pod } from '../model/kinds';
import type { Container } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import type { Instance } from '../sim/container-runtime';
import { remember } from '../reconcile/actions';
import { EXEC_WRITES_MEMORY, type ExecWrites } from '../sim/exec-writes';
import { type globals, withSession } from './context';

/**
 * The running container instance exec and cp work in (kubectl's exec Complete/Validate): the pod
 * by name or TYPE/NAME, the container by -c, the default-container annotation or the first
 * (saying so when there are several), refused when the pod has completed or the container does
 * not run.
 */
export function containerInstance(
  store: ReadonlyObjectStore,
  target: string,
  namespace: string,
  opts: { container?: string; quiet?: boolean },
  notice: (line: string) => void,
): Instance {
  const pod = podFor(store, target, namespace);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
    throw new CliError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  const main = pod.spec?.containers ?? [];
  let c = main[0];
  if (opts.container) {
    const found = [...main, ...(pod.spec?.initContainers ?? []), ...((pod.spec?.ephemeralContainers ?? []) as Container[])].find(
      (x) => x.name === opts.container,
    );
    if (!found) throw new CliError(`container ${opts.container} not found in pod ${pod.metadata.name}`);
    c = found;
  } else {
    const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
    const byAnnotation = annotated ? main.find((x) => x.name === annotated) : undefined;
    if (byAnnotation) c = byAnnotation;
    else if (main.length > 1 && !opts.quiet) notice(`Defaulted container "${c.name}" out of: ${main.map((x) => x.name).join(', ')}`);
  }
  const cs = [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ].find((x) => x.name === c.name);
  const startedAt = cs?.state?.running?.startedAt;
  if (!pod.spec?.nodeName || !startedAt) throw new CliError(`unable to upgrade connection: container not found ("${c.name}")`);
  return { pod, container: c, restartCount: cs.restartCount ?? 0, startedAt: fromRFC3339(startedAt) };
}

/**
 * Remembers what exec wrote for the pod (a second, writing session: exec reads in a read-only
 * one, and most execs write nothing), if the container is still the instance exec ran in, and
 * wakes the kubelet for the pod, whose exec probes read those files.
 */
export function keepExecWrites(g: ReturnType<typeof globals>, instance: Instance, writes: ExecWrites): void {
  const { pod, container } = instance;
  withSession(g, (s) => {
    const now = s.store.get('Pod', pod.metadata.namespace, pod.metadata.name);
    const cs = [
      ...(now?.status?.containerStatuses ?? []),
      ...(now?.status?.initContainerStatuses ?? []),
      ...(now?.status?.ephemeralContainerStatuses ?? []),
    ].find((x) => x.name === container.name);
    if (!now || now.metadata.uid !== pod.metadata.uid || !cs || (cs.restartCount ?? 0) !== instance.restartCount) return;
    if (fromRFC3339(cs.state?.running?.startedAt) !== instance.startedAt) return;
    s.engine.apply([remember(EXEC_WRITES_MEMORY, pod.metadata.uid!, writes)]);
    s.engine.wakeObject('Pod', pod.metadata.namespace, pod.metadata.name);
  });
}

/** The pod to exec into (or attach to): by name, or the first pod a workload's selector finds. */
export function podFor(store: ReadonlyObjectStore, arg: string, namespace: string): Pod {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    const pod = store.get('Pod', namespace, arg);
    if (!pod) throw notFound('pods', arg);
    return pod;
  }
  const kind = resolveType(arg.slice(0, slash));
  const name = arg.slice(slash + 1);
  const obj = store.get(kind.kind as 'Pod', kind.namespaced ? namespace : undefined, name);
  if (!obj) throw notFound(kind.group ? `${kind.plural}.${kind.group}` : kind.plural, name);
  if (kind.kind === 'Pod') return obj;
  const raw = (obj as { spec?: { selector?: unknown } }).spec?.selector;
  const sel =
    kind.kind === 'Service' || kind.kind === 'ReplicationController'
      ? fromMatchLabels(raw as Record<string, string>)
      : fromLabelSelector(raw as Parameters<typeof fromLabelSelector>[0]);
  const pods = sel
    ? store
        .list('Pod', namespace)
        .filter((p) => matches(sel, p.metadata.labels) && p.status?.phase === 'Running')
        .sort(
          (a, b) =>
            fromRFC3339(a.metadata.creationTimestamp) - fromRFC3339(b.metadata.creationTimestamp) ||
            (a.metadata.name < b.metadata.name ? -1 : 1),
        )
    : [];
  if (!pods.length) throw new CliError(`timed out waiting for the condition`);
  return pods[0];
}
