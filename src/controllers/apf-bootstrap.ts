import { create, remove, requeueAt, update, type Action } from '../reconcile/actions';
import type { Controller } from '../reconcile/controller';
import type { KObject } from '../model/objects';
import { isKind } from '../model/kinds';
import type { ReadonlyObjectStore } from '../store/object-store';
import { fromRFC3339 } from '../util/duration';
import {
  AUTO_UPDATE_ANNOTATION,
  MANDATORY_FLOW_SCHEMAS,
  MANDATORY_PRIORITY_LEVELS,
  SUGGESTED_FLOW_SCHEMAS,
  SUGGESTED_PRIORITY_LEVELS,
} from '../api/kinds/flowcontrol-bootstrap';
import { sameFlowControlSpec } from '../api/kinds/flowcontrol';

/** The ensurer's period: wait.PollImmediateUntil(time.Minute, ensure) from the API server's start. */
export const APF_ENSURE_PERIOD_MS = 60_000;

/** strconv.ParseBool */
function parseBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** plSpecChanged / fsSpecChanged: the exempt level's spec.exempt is the admin's, so it does not count. */
function specChanged(current: KObject, bootstrap: KObject): boolean {
  // bootstrap is of current's kind (current was looked up by it)
  if (
    isKind(current, 'PriorityLevelConfiguration') &&
    isKind(bootstrap, 'PriorityLevelConfiguration') &&
    bootstrap.metadata.name === 'exempt'
  ) {
    if (!current.spec?.exempt) return true;
    return !sameFlowControlSpec({ ...bootstrap.spec, exempt: current.spec.exempt }, current.spec);
  }
  return !sameFlowControlSpec(bootstrap.spec, current.spec);
}

/** strategy.ShouldUpdate: the object as the ensurer writes it back, or undefined when it is up to date. */
function ensured(current: KObject, bootstrap: KObject, mandatory: boolean): KObject | undefined {
  const annotations = current.metadata.annotations ?? {};
  const autoUpdate = mandatory || (parseBool(annotations[AUTO_UPDATE_ANNOTATION]) ?? current.metadata.generation === 1);
  const updateAnnotation = parseBool(annotations[AUTO_UPDATE_ANNOTATION]) !== autoUpdate;
  const changed = autoUpdate && specChanged(current, bootstrap);
  if (!updateAnnotation && !changed) return undefined;
  const next: KObject = { ...current, metadata: { ...current.metadata } };
  if (updateAnnotation) next.metadata.annotations = { ...annotations, [AUTO_UPDATE_ANNOTATION]: String(autoUpdate) };
  if (changed) next.spec = structuredClone(bootstrap.spec);
  return next;
}

/** per store, the writes of the two kinds (and the objects loaded) when a run last found nothing to do */
const upToDate = new WeakMap<ReadonlyObjectStore, string>();

/** One ensure run (storage_flowcontrol.go ensure): suggested, then mandatory, then the removals. */
export function apfEnsureActions(store: ReadonlyObjectStore): Action[] {
  const actions: Action[] = [];
  const groups: [KObject[], boolean][] = [
    [SUGGESTED_FLOW_SCHEMAS, false],
    [SUGGESTED_PRIORITY_LEVELS, false],
    [MANDATORY_FLOW_SCHEMAS, true],
    [MANDATORY_PRIORITY_LEVELS, true],
  ];
  for (const [objects, mandatory] of groups)
    for (const bootstrap of objects) {
      const current = store.get(bootstrap.kind, undefined, bootstrap.metadata.name);
      // a missing object is always created again
      if (!current) actions.push(create(structuredClone(bootstrap)));
      else if (!current.metadata.deletionTimestamp) {
        const next = ensured(current, bootstrap, mandatory);
        if (next) actions.push(update(next));
      }
    }
  // getRemoveCandidate + removeConfiguration: an object carrying the annotation (true) that the
  // bootstrap configuration no longer has
  for (const kind of ['FlowSchema', 'PriorityLevelConfiguration']) {
    const names = new Set(groups.flatMap(([objects]) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name)));
    for (const obj of store.list(kind))
      if (!names.has(obj.metadata.name) && parseBool(obj.metadata.annotations?.[AUTO_UPDATE_ANNOTATION]) === true)
        actions.push(remove({ kind, name: obj.metadata.name }));
  }
  return actions;
}

/**
 * The API server's priority-and-fairness-config-producer (pkg/registry/flowcontrol/rest and
 * ensurer): once a minute from the API server's start it re-creates missing bootstrap objects,
 * puts back the spec of the mandatory ones and of suggested ones whose autoupdate-spec annotation
 * is true, and deletes annotated objects that are not part of the configuration. The API server
 * started when the cluster was made, which the default namespace's creation time records (its
 * bootstrap controller makes it at start); the first run made the objects with the cluster.
 */
export const apfBootstrapEnsurer: Controller = {
  name: 'apf-bootstrap-ensurer',
  reconcileAll({ store, now }): Action[] {
    // what a run does depends on the FlowSchemas and PriorityLevelConfigurations alone: while
    // none was written, created, deleted or loaded since a run that found nothing to do, none is
    // due (each pass compared ~30 bootstrap objects' specs: 42 passes of a rollout, 60 ms)
    const stamp = `${store.kindWrites('FlowSchema')}:${store.kindWrites('PriorityLevelConfiguration')}:${store.loadCount}`;
    if (upToDate.get(store) === stamp) return [];
    const actions = apfEnsureActions(store);
    if (!actions.length) {
      upToDate.set(store, stamp);
      return [];
    }
    const started = fromRFC3339(store.get('Namespace', undefined, 'default')?.metadata.creationTimestamp) || 0;
    const runs = Math.max(0, Math.floor((now - started) / APF_ENSURE_PERIOD_MS));
    const lastRun = started + runs * APF_ENSURE_PERIOD_MS;
    // a run is due now only on the minute, after the start (the start's run made the objects)
    if (runs > 0 && lastRun === now) return actions;
    return [requeueAt(lastRun + APF_ENSURE_PERIOD_MS)];
  },
};
