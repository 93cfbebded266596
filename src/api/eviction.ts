import { ApiError, notFound } from '../util/errors';
import { toRFC3339 } from '../util/duration';
import { clone, orEmpty, type KObject } from '../model/objects';
import type { PodCondition } from '../model/k8s';
import type { Pod, PodDisruptionBudget } from '../model/kinds';
import { deleteObject, updateObject, type ApiContext, type ReadContext } from './server';
import { isPodReady } from './kinds/pod';
import { pdbsForPod } from './kinds/poddisruptionbudget';

/** The message kubectl shows for a 429 from the eviction subresource. */
export const PDB_VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export interface EvictOptions {
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

/** The API error text without kubectl's `Error from server (Reason): ` prefix (what `%v` of the error prints). */
export function apiErrorText(e: ApiError): string {
  return e.message.replace(/^Error from server \([A-Za-z]+\): /, '');
}

/**
 * The policy/v1 Eviction subresource (pkg/registry/core/pod/storage/eviction.go): the one
 * path drains and `kubesim evict` take. Pods that are finished, Pending or already
 * terminating are deleted at once; otherwise the single matching PDB must allow a
 * disruption, which this decrements (and records in status.disruptedPods) before the
 * pod is deleted with a DisruptionTarget condition.
 */
export function evictPod(api: ApiContext, namespace: string, name: string, opts: EvictOptions = {}): KObject {
  const { pod, budget } = checkEviction(api, namespace, name);
  if (opts.dryRun) return pod;
  if (budget) decrementBudget(api, pod, budget);
  if (!pod.metadata.deletionTimestamp) {
    const marked = clone(pod);
    const status = (marked.status ??= {});
    const conditions: PodCondition[] = (status.conditions ??= []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: toRFC3339(api.now),
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
    status.conditions = conditions;
    updateObject(api, marked, { trusted: true });
  }
  return deleteObject(api, 'Pod', namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds });
}

/**
 * The Eviction subresource's checks, writing nothing (what a dry run answers): throws the API's
 * error when the eviction is refused, else returns the pod and the PDB whose budget it spends.
 */
export function checkEviction(api: ReadContext, namespace: string, name: string): { pod: Pod; budget?: PodDisruptionBudget } {
  const pod = api.store.get('Pod', namespace, name);
  if (!pod) throw notFound('pods', name);
  const phase = pod.status?.phase;
  const ignorePdb = phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
  if (ignorePdb) return { pod };
  const pdbs = pdbsForPod(pod, api);
  if (pdbs.length > 1) throw new ApiError('InternalError', 500, `Error from server (InternalError): ${MULTIPLE_PDBS}`);
  return pdbs.length === 1 && spendsBudget(pod, pdbs[0]) ? { pod, budget: pdbs[0] } : { pod };
}

/** Whether evicting the pod takes one of the PDB's disruptions; throws when the PDB refuses it. */
function spendsBudget(pod: Pod, pdb: PodDisruptionBudget): boolean {
  const status = orEmpty(pdb.status);
  if (!isPodReady(pod)) {
    // an unhealthy pod does not count towards the budget: AlwaysAllow evicts it regardless,
    // IfHealthyBudget only while the budget is met (and then without decrementing)
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return false;
    if ((status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0) return false;
  }
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0) || (status.disruptionsAllowed ?? 0) === 0) {
    throw new ApiError('TooManyRequests', 429, `Error from server (TooManyRequests): ${PDB_VIOLATION}`);
  }
  if ((status.disruptionsAllowed ?? 0) < 0) {
    throw new ApiError(
      'Forbidden',
      403,
      `Error from server (Forbidden): poddisruptionbudgets.policy "${pdb.metadata.name}" is forbidden: pdb disruptions allowed is negative`,
    );
  }
  return true;
}

/** Spends one of the budget's disruptions (spendsBudget said the PDB has a status that allows one). */
function decrementBudget(api: ApiContext, pod: KObject, pdb: PodDisruptionBudget): void {
  const next = clone(pdb);
  const status = next.status!;
  status.disruptionsAllowed = pdb.status!.disruptionsAllowed - 1;
  status.disruptedPods = { ...(pdb.status!.disruptedPods ?? {}), [pod.metadata.name]: toRFC3339(api.now) };
  if (status.disruptionsAllowed === 0) {
    status.conditions = (status.conditions ?? []).map((c) =>
      c.type === 'DisruptionAllowed'
        ? {
            ...c,
            status: 'False',
            reason: 'InsufficientPods',
            message: '',
            lastTransitionTime: c.status === 'False' ? c.lastTransitionTime : toRFC3339(api.now),
          }
        : c,
    );
  }
  updateObject(api, next, { trusted: true });
}
