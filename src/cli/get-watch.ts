import { CliError } from '../util/errors';
import { matches, type Selector } from '../api/labels';
import { matchesFields, type parseFieldSelector } from '../api/field-selector';
import type { KObject } from '../model/objects';
import type { Session } from '../engine/session';
import type { ResourceRequest } from './resource-args';
import type { PendingOutput } from './io';
import { formatStructured, tableRows } from '../printers/output';
import { renderTable } from '../printers/table';

export { parseRequestTimeout } from './global-flags';

/**
 * `kubesim get TYPE -w` (kubectl get --watch) in virtual time: the list as it is, then one
 * line per change, jumping the clock from one scheduled wake-up to the next (as rollout
 * status does). A change is an object whose resourceVersion moved since the last wake-up
 * (several writes at one instant show as one line, the last state). Deleted objects print
 * their last state, as kubectl does. kubectl's watch never ends by itself; this one stops
 * once nothing more is scheduled in the cluster, or after --request-timeout of virtual time
 * (which bounds the watch as it does kubectl's request), whichever comes first.
 */
export interface WatchOptions {
  namespace: string | undefined;
  selector?: Selector;
  fields: ReturnType<typeof parseFieldSelector>;
  output?: string;
  showManagedFields?: boolean;
  allowMissingTemplateKeys?: boolean;
  noHeaders: boolean;
  showLabels?: boolean;
  labelColumns?: string[];
  allNamespaces: boolean;
  watchOnly: boolean;
  outputWatchEvents: boolean;
  /** virtual ms; 0: until nothing more is scheduled */
  timeoutMs: number;
}

/** With no --request-timeout and a cluster that never goes quiet, a day of virtual time at most. */
const NO_TIMEOUT_HORIZON_MS = 24 * 3600 * 1000;

/** multipleGVKsRequested: a watch follows one resource type. */
export function checkWatchable(requests: ResourceRequest[]): void {
  if (requests.length > 1)
    throw new CliError('watch is only supported on individual resources and resource collections - more than 1 resource was found');
}

type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export function watchResources(s: Session, out: PendingOutput, req: ResourceRequest, opts: WatchOptions): void {
  const kind = req.info.kind;
  const namespace = req.info.namespaced ? opts.namespace : undefined;
  const current = (): KObject[] =>
    s
      .list(kind, namespace)
      .filter(
        (o) =>
          (!req.names.length || req.names.includes(o.metadata.name)) &&
          (!opts.selector || matches(opts.selector, o.metadata.labels)) &&
          matchesFields(opts.fields, o),
      );
  let headerPrinted = opts.noHeaders;
  const print = (objects: KObject[], type: WatchEventType) => {
    if (!objects.length) return;
    const structured = formatStructured(objects, opts.output, {
      single: true,
      showManagedFields: opts.showManagedFields,
      allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
    });
    if (structured !== undefined) {
      out.out(structured);
      return;
    }
    const rows = tableRows(
      objects,
      { now: s.now, store: s.store },
      {
        output: opts.output,
        noHeaders: headerPrinted,
        showLabels: opts.showLabels,
        labelColumns: opts.labelColumns,
        withNamespace: opts.allNamespaces,
      },
    );
    if (opts.outputWatchEvents) rows.forEach((r, i) => r.unshift(!headerPrinted && i === 0 ? 'EVENT' : type));
    headerPrinted = true;
    out.out(renderTable(rows));
  };

  const seen = new Map<string, KObject>();
  const key = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  s.engine.settle();
  const initial = current();
  for (const o of initial) seen.set(key(o), o);
  // the list is one table; each later event is flushed on its own, so it is aligned on its own
  if (!opts.watchOnly) print(initial, 'ADDED');

  followVirtualTime(s, opts.timeoutMs, () => {
    const now = current();
    const live = new Set<string>();
    for (const o of now) {
      const k = key(o);
      live.add(k);
      const before = seen.get(k);
      if (before && before.metadata.uid !== o.metadata.uid) print([before], 'DELETED');
      if (!before || before.metadata.uid !== o.metadata.uid) print([o], 'ADDED');
      else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) print([o], 'MODIFIED');
      seen.set(k, o);
    }
    for (const [k, o] of [...seen]) {
      if (live.has(k)) continue;
      print([o], 'DELETED');
      seen.delete(k);
    }
  });
}

/**
 * A watch's clock: steps from one scheduled wake-up to the next, calling `onStep` after each,
 * until nothing more is scheduled (no timeout; `horizonMs` at most) or `timeoutMs` of virtual time has passed.
 */
export function followVirtualTime(s: Session, timeoutMs: number, onStep: () => void, horizonMs = NO_TIMEOUT_HORIZON_MS): void {
  const deadline = s.now + (timeoutMs > 0 ? timeoutMs : horizonMs);
  for (;;) {
    if (timeoutMs <= 0 && s.engine.pendingWakeup() === undefined) return;
    const moved = s.engine.step(deadline);
    onStep();
    if (!moved) return;
  }
}
