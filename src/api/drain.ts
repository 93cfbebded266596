import { ApiError, errorMessage } from '../util/errors';
import { fromRFC3339, goDuration } from '../util/duration';
import { controllerOf } from '../model/objects';
import type { Pod } from '../model/kinds';
import { deleteObject, type ApiContext, type DryRun, type ReadContext } from './server';
import { matches, type Selector } from './labels';
import { apiErrorText, evictPod } from './eviction';

/**
 * kubectl drain (staging/src/k8s.io/kubectl/pkg/drain) on the virtual clock: pod filters,
 * evictions retried every 5 s while a PDB refuses them, and waits for deletion.
 */
export interface DrainOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  disableEviction: boolean;
  /** -1: each pod's own terminationGracePeriodSeconds */
  gracePeriodSeconds: number;
  /** ms; 0 waits for ever */
  timeoutMs: number;
  skipWaitForDeleteTimeoutSeconds: number;
  podSelector?: Selector;
  dryRun: DryRun;
}

type FilterResult = { delete: true; warning?: string } | { delete: false; warning?: string; error?: string; skip?: boolean };

interface FilterContext {
  api: ReadContext;
  opts: DrainOptions;
}

/** A pod filter: delete, skip, or refuse with a message that names the flag to override it. */
type PodFilter = (pod: Pod, ctx: FilterContext) => FilterResult;

const OK: FilterResult = { delete: true };
const SKIP: FilterResult = { delete: false, skip: true };

export const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
export const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
export const LOCAL_STORAGE_FATAL = 'Pods with local storage (use --delete-emptydir-data to override)';
export const LOCAL_STORAGE_WARNING = 'deleting Pods with local storage';
export const UNMANAGED_FATAL = 'cannot delete Pods that declare no controller (use --force to override)';
export const UNMANAGED_WARNING = 'deleting Pods that declare no controller';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

const isFinished = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

function deletedLongAgo(pod: Pod, ctx: FilterContext): boolean {
  const seconds = ctx.opts.skipWaitForDeleteTimeoutSeconds;
  return (
    seconds > 0 &&
    !!pod.metadata.deletionTimestamp &&
    Math.floor((ctx.api.now - fromRFC3339(pod.metadata.deletionTimestamp)) / 1000) > seconds
  );
}

/** The filters in kubectl's order; the first that does not delete decides. */
const FILTERS: PodFilter[] = [
  function skipDeleted(pod, ctx) {
    return deletedLongAgo(pod, ctx) ? SKIP : OK;
  },
  function daemonSet(pod, ctx) {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== 'DaemonSet' || isFinished(pod)) return OK;
    if (!ctx.api.store.get('DaemonSet', pod.metadata.namespace, ref.name)) {
      const message = `daemonsets.apps "${ref.name}" not found`;
      return ctx.opts.force ? { delete: true, warning: message } : { delete: false, error: message };
    }
    return ctx.opts.ignoreDaemonSets ? { delete: false, warning: DAEMONSET_WARNING } : { delete: false, error: DAEMONSET_FATAL };
  },
  function mirror(pod) {
    return pod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined ? SKIP : OK;
  },
  function localStorage(pod, ctx) {
    const hasEmptyDir = (pod.spec?.volumes ?? []).some((v) => v.emptyDir);
    if (!hasEmptyDir || isFinished(pod)) return OK;
    return ctx.opts.deleteEmptyDirData ? { delete: true, warning: LOCAL_STORAGE_WARNING } : { delete: false, error: LOCAL_STORAGE_FATAL };
  },
  function unreplicated(pod, ctx) {
    if (isFinished(pod) || controllerOf(pod)) return OK;
    return ctx.opts.force ? { delete: true, warning: UNMANAGED_WARNING } : { delete: false, error: UNMANAGED_FATAL };
  },
];

export interface PodDeleteList {
  pods: Pod[];
  /** `ignoring DaemonSet-managed Pods: ns/a, ns/b; …` or '' */
  warnings: string;
  /** one message per refusal reason, each naming its pods */
  errors: string[];
}

/** GetPodsForDeletion: the node's pods (matching --pod-selector) run through the filters. */
export function podsForDeletion(api: ReadContext, nodeName: string, opts: DrainOptions): PodDeleteList {
  const ctx: FilterContext = { api, opts };
  const pods: Pod[] = [];
  const warnings = new Map<string, string[]>();
  const errors = new Map<string, string[]>();
  const onNode = [...api.store.podsOnNode(nodeName)].sort((a, b) =>
    a.metadata.namespace! + '/' + a.metadata.name < b.metadata.namespace! + '/' + b.metadata.name ? -1 : 1,
  );
  for (const pod of onNode) {
    if (opts.podSelector && !matches(opts.podSelector, pod.metadata.labels)) continue;
    let result: FilterResult = OK;
    for (const filter of FILTERS) {
      result = filter(pod, ctx);
      if (!result.delete) break;
    }
    const id = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (result.warning) warnings.set(result.warning, [...(warnings.get(result.warning) ?? []), id]);
    if (!result.delete && 'error' in result && result.error) errors.set(result.error, [...(errors.get(result.error) ?? []), id]);
    if (result.delete) pods.push(pod);
  }
  return {
    pods,
    warnings: [...warnings].map(([msg, ids]) => `${msg}: ${ids.join(', ')}`).join('; '),
    errors: [...errors].map(([msg, ids]) =>
      msg.toLowerCase().startsWith('cannot delete') ? `${msg}: ${ids.join(', ')}` : `cannot delete ${msg}: ${ids.join(', ')}`,
    ),
  };
}

/** utilerrors.NewAggregate's text: the one message, or `[a, b]`. */
export function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** What the drain needs from a session: API writes at virtual now and a way to let time pass. */
export interface DrainWorld {
  api(): ApiContext;
  now(): number;
  /** runs the cluster forward to `at` (controllers, kubelet, wake-ups on the way) */
  advanceTo(at: number): void;
  /** true when no controller has anything scheduled: waiting longer changes nothing */
  idle(): boolean;
}

export interface DrainOutput {
  line(text: string): void;
  errLine(text: string): void;
}

interface PodTask {
  pod: Pod;
  state: 'evict' | 'wait' | 'done';
  at: number;
  error?: string;
  refused?: boolean;
}

const RETRY_MS = 5000;
const POLL_MS = 1000;

/**
 * Evicts (or deletes) the pods as kubectl's goroutines would, one task per pod, stepping
 * the virtual clock to the next attempt. Returns the aggregated error, if any.
 */
export function evictOrDeletePods(world: DrainWorld, pods: Pod[], opts: DrainOptions, out: DrainOutput): string | undefined {
  if (!pods.length) return undefined;
  const start = world.now();
  const deadline = opts.timeoutMs > 0 ? start + opts.timeoutMs : Infinity;
  const timeoutText = goDuration(opts.timeoutMs > 0 ? opts.timeoutMs : 0);
  const grace = opts.gracePeriodSeconds >= 0 ? opts.gracePeriodSeconds : undefined;
  const serverDryRun = opts.dryRun === 'server';
  const usingEviction = !opts.disableEviction;
  const tasks: PodTask[] = pods.map((pod) => ({ pod, state: usingEviction ? 'evict' : 'wait', at: start }));
  if (!usingEviction) {
    for (const t of tasks) {
      try {
        deleteObject(world.api(), 'Pod', t.pod.metadata.namespace, t.pod.metadata.name, {
          gracePeriodSeconds: grace,
          dryRun: serverDryRun,
          admit: true,
        });
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) return e instanceof ApiError ? apiErrorText(e) : errorMessage(e);
      }
    }
    if (serverDryRun) return undefined;
  }
  const verb = usingEviction ? 'evicted' : 'deleted';
  for (;;) {
    const now = world.now();
    for (const t of tasks) {
      if (t.state === 'done' || t.at > now) continue;
      const { namespace, name } = t.pod.metadata;
      if (t.state === 'evict') {
        out.line(`evicting pod ${namespace}/${name}${serverDryRun ? ' (server dry run)' : ''}`);
        if (now >= deadline) {
          finish(t, `error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${timeoutText}`);
          continue;
        }
        try {
          evictPod(world.api(), namespace!, name, { gracePeriodSeconds: grace, dryRun: serverDryRun });
          t.refused = false;
          if (serverDryRun) finish(t);
          else t.state = 'wait';
        } catch (e) {
          if (e instanceof ApiError && e.reason === 'NotFound') finish(t);
          else if (e instanceof ApiError && e.code === 429) {
            out.errLine(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${apiErrorText(e)}`);
            t.refused = true;
            t.at = now + RETRY_MS;
          } else
            finish(t, `error when evicting pods/"${name}" -n "${namespace}": ${e instanceof ApiError ? apiErrorText(e) : errorMessage(e)}`);
        }
      }
      if (t.state === 'wait' && t.at <= now) {
        const current = world.api().store.get('Pod', namespace, name);
        if (!current || current.metadata.uid !== t.pod.metadata.uid) {
          out.line(`pod/${name} ${verb}`);
          finish(t);
        } else if (deletedLongAgo(current, { api: world.api(), opts })) {
          out.line(`pod "${name}" has DeletionTimestamp older than ${opts.skipWaitForDeleteTimeoutSeconds} seconds, skipping`);
          finish(t);
        } else if (now >= deadline) {
          finish(
            t,
            usingEviction
              ? `error when waiting for pod "${name}" in namespace "${namespace}" to terminate: global timeout reached: ${timeoutText}`
              : 'timed out waiting for the condition',
          );
        } else t.at = now + POLL_MS;
      }
    }
    const pending = tasks.filter((t) => t.state !== 'done');
    if (!pending.length) break;
    world.advanceTo(now);
    // with no --timeout kubectl would wait for ever; once nothing can change any more, stop
    if (deadline === Infinity && world.idle() && pending.every((t) => t.refused || t.state === 'wait')) {
      const stuck = pending.every((t) => t.refused || isStuck(world, t));
      if (stuck) {
        for (const t of pending)
          finish(
            t,
            `error when evicting pods/"${t.pod.metadata.name}" -n "${t.pod.metadata.namespace}": nothing left that could change the outcome`,
          );
        break;
      }
    }
    const next = Math.min(...pending.map((t) => t.at), deadline);
    world.advanceTo(Math.max(next, now));
  }
  const errors = tasks.filter((t) => t.error).map((t) => t.error!);
  return errors.length ? aggregate(errors) : undefined;

  function finish(t: PodTask, error?: string): void {
    t.state = 'done';
    t.error = error;
  }
}

function isStuck(world: DrainWorld, t: PodTask): boolean {
  const current = world.api().store.get('Pod', t.pod.metadata.namespace, t.pod.metadata.name);
  return !!current && current.metadata.uid === t.pod.metadata.uid;
}
