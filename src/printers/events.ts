import { humanDuration } from '../util/duration';
import type { StoredEvent } from '../model/objects';

/** `kubectl events`: LAST SEEN TYPE REASON OBJECT MESSAGE, objects named `Pod/x` (`get events` prints through the Event kind's columns). */
export function eventRows(events: StoredEvent[], now: number, opts: { withNamespace?: boolean; noHeaders?: boolean }): string[][] {
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push([...(opts.withNamespace ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
  for (const e of events) {
    rows.push([
      ...(opts.withNamespace ? [e.involved.namespace ?? ''] : []),
      humanDuration(now - e.lastTimestamp),
      e.type,
      e.reason,
      `${e.involved.kind}/${e.involved.name}`,
      e.message,
    ]);
  }
  return rows;
}

/** The Events: section of `kubectl describe`: Type Reason Age From Message. */
export function describeEvents(events: StoredEvent[], now: number): string {
  if (!events.length) return 'Events:  <none>\n';
  const rows = [
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '----', '----', '-------'],
  ];
  for (const e of events) {
    const age =
      e.count > 1
        ? `${humanDuration(now - e.lastTimestamp)} (x${e.count} over ${humanDuration(now - e.firstTimestamp)})`
        : humanDuration(now - e.firstTimestamp);
    rows.push([e.type, e.reason, age, e.source, e.message]);
  }
  // describe uses a tabwriter with padding 2 and a two-space indent
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 2))).join('')}`.trimEnd());
  return `Events:\n${lines.join('\n')}\n`;
}
