import { CliError } from '../util/errors';
import { matches, type Selector } from '../api/labels';
import { matchesFields, type parseFieldSelector } from '../api/field-selector';
import type { KObject } from '../model/objects';
import { checkVerb, servedObject } from '../api/registry';
import type { Session } from '../engine/session';
import type { ResourceRequest } from './resource-args';
import type { PendingOutput } from './io';
import { formatStructured, tableRows } from '../printers/output';
import { renderTable } from '../printers/table';

export { parseRequestTimeout } from './global-flags';

/**
 * `kubesim get TYPE -w` (kubectl get --watch) in virtual time: the list as it is, then one
 * line per change, jumping the clock from one scheduled wake-up to the next (as rollout
 * status does). A change is each write of an object (each resourceVersion, in order: several
 * writes at one instant are several lines, as the API server's watch sends them); Events,
 * kept outside the object store, show what moved since the last wake-up. Deleted objects print
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
  const current = (): KObject[] => s.list(kind, namespace).filter(selected);
  let headerPrinted = opts.noHeaders;
  let structuredHeaderShown = false;
  const print = (stored: KObject[], type: WatchEventType) => {
    if (!stored.length) return;
    // as a read of the resource serves them (events.k8s.io's Events converted from the stored ones)
    const objects = stored.map((o) => servedObject(req.info, o, { now: s.now, store: s.store }));
    // kubectl's watch prints each object on its own (a list's items one by one), wrapped in a
    // WatchEvent with --output-watch-events; custom-columns print their header once
    // (CustomColumnsPrinter.lastType: the same printer serves every event)
    let text: string | undefined = '';
    for (const o of objects) {
      text = formatStructured([o], opts.output, {
        single: true,
        showManagedFields: opts.showManagedFields,
        allowMissingTemplateKeys: opts.allowMissingTemplateKeys,
        noHeaders: opts.noHeaders,
        headerShown: structuredHeaderShown,
        watchEvent: opts.outputWatchEvents ? type : undefined,
      });
      if (text === undefined) break;
      // YAMLPrinter writes "---" before every object after its first
      out.out(structuredHeaderShown && opts.output === 'yaml' ? `---\n${text}` : text);
      structuredHeaderShown = true;
    }
    if (text !== undefined) return;
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
  const selected = (o: KObject) =>
    (!req.names.length || req.names.includes(o.metadata.name)) &&
    (!opts.selector || matches(opts.selector, o.metadata.labels)) &&
    matchesFields(opts.fields, o);
  /** One object as the watch now sees it (undefined: gone, or no longer selected): the event it is, printed. */
  const change = (k: string, o: KObject | undefined) => {
    const before = seen.get(k);
    if (!o) {
      if (before) print([before], 'DELETED');
      seen.delete(k);
      return;
    }
    if (before && before.metadata.uid !== o.metadata.uid) print([before], 'DELETED');
    if (!before || before.metadata.uid !== o.metadata.uid) print([o], 'ADDED');
    else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) print([o], 'MODIFIED');
    seen.set(k, o);
  };
  // a stored kind's every write and deletion, each at its resourceVersion, as the API server's watch
  // sends them (an object changed and deleted at one instant shows both); events and objects made
  // per request are compared with the last look instead
  const perWrite = kind !== 'Event' && !req.info.computed;
  const writes: KObject[] = [];
  if (perWrite)
    s.store.writeObserver = (o) => {
      if (o.kind === kind && (namespace === undefined || o.metadata.namespace === namespace)) writes.push(o);
    };
  try {
    s.engine.settle();
    writes.length = 0;
    let dropped = s.store.dropLog.length;
    const initial = current();
    for (const o of initial) seen.set(key(o), o);
    // the list is one table; each later event is flushed on its own, so it is aligned on its own
    if (!opts.watchOnly) print(initial, 'ADDED');
    // kubectl prints the list, then its watch request is refused when the resource has no watch
    // (componentstatuses: handlers.ListResource's MethodNotSupported), and the command fails
    checkVerb(req.info, 'watch');

    followVirtualTime(s, opts.timeoutMs, () => {
      if (perWrite) {
        const log = s.store.dropLog;
        const drops = log.slice(dropped).filter((d) => d.kind === kind && (namespace === undefined || d.namespace === namespace));
        dropped = log.length;
        const steps: { rv: number; k: string; o?: KObject }[] = [
          ...writes.map((o) => ({ rv: Number(o.metadata.resourceVersion), k: key(o), o: selected(o) ? o : undefined })),
          ...drops.map((d) => ({ rv: d.rv, k: `${d.namespace}/${d.name}` })),
        ];
        writes.length = 0;
        // a write that kept its resourceVersion changed nothing a watch sees (change() skips it)
        for (const step of steps.sort((a, b) => a.rv - b.rv)) change(step.k, step.o);
        return;
      }
      const now = current();
      const live = new Set(now.map(key));
      for (const o of now) change(key(o), o);
      for (const k of [...seen.keys()]) if (!live.has(k)) change(k, undefined);
    });
  } finally {
    if (perWrite) s.store.writeObserver = undefined;
  }
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
