import type { DescribeWriter } from '../describe';
import { describeEvents } from '../events';
import type { StoredEvent } from '../../model/objects';
import type { Taint, Toleration } from '../../model/k8s';
import { fromRFC3339 } from '../../util/duration';
import { labelSelectorString, type LabelSelectorSpec } from '../../api/labels';

export { labelSelectorString };

/**
 * Pieces of describe.go shared by several describers: timestamps, selectors, the
 * multi-line taint/toleration lists and the Events section.
 */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Go's time.RFC1123Z (`Mon, 02 Jan 2006 15:04:05 -0700`) in UTC. A missing timestamp is
 * Go's zero time, which is what kubectl prints for an unset metav1.Time.
 */
export function rfc1123z(value: string | number | undefined | null): string {
  const ms = typeof value === 'number' ? value : value ? fromRFC3339(value) : NaN;
  if (value === undefined || value === null || value === '' || Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`;
}

/** metav1.FormatLabelSelector: the selector, or `<none>` when it selects everything/nothing. */
export function formatLabelSelector(spec: LabelSelectorSpec | undefined | null): string {
  return labelSelectorString(spec) || '<none>';
}

/** labels.FormatLabels: `a=b,c=d` sorted, `<none>` when empty. */
export function formatLabelMap(map: Record<string, string> | undefined): string {
  const keys = Object.keys(map ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${map![k]}`).join(',') : '<none>';
}

/** printTolerationsMultilineWithIndent: sorted by key, `key=value:Effect op=Exists for 300s`. */
export function writeTolerations(w: DescribeWriter, level: number, title: string, tolerations: Toleration[] | undefined): void {
  const list = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0));
  if (!list.length) {
    w.line(level, `${title}:`, '<none>');
    return;
  }
  list.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    // `operator: Exists` with no key/effect tolerates everything
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) text += ` for ${t.tolerationSeconds}s`;
    w.line(level, i === 0 ? `${title}:` : '', text);
  });
}

/** corev1.Taint.ToString(): `key=value:Effect`. */
export function taintString(t: { key?: string; value?: string; effect?: string }): string {
  let text = t.key ?? '';
  if (t.value) text += `=${t.value}`;
  if (t.effect) text += `:${t.effect}`;
  return text;
}

/** printTaintsMultilineWithIndent: sorted by `effect,key`. */
export function writeTaints(w: DescribeWriter, level: number, title: string, taints: Taint[] | undefined): void {
  const sortKey = (t: Taint) => `${t.effect ?? ''},${t.key ?? ''}`;
  const list = [...(taints ?? [])].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  if (!list.length) {
    w.line(level, `${title}:`, '<none>');
    return;
  }
  list.forEach((t, i) => w.line(level, i === 0 ? `${title}:` : '', taintString(t)));
}

/**
 * DescribeEvents: `Events:  <none>` is a cell of the same tabwriter block as the lines
 * above it, so it is written through the writer; a table of events starts after a flush
 * (describeEvents lays it out on its own).
 */
export function writeEvents(w: DescribeWriter, events: StoredEvent[], now: number): void {
  if (!events.length) w.line(0, 'Events:', '<none>');
  else w.raw(describeEvents(events, now));
}

/** printController: `Kind/name` of the controlling owner. */
export function controllerString(ownerReferences: { kind: string; name: string; controller?: boolean }[] | undefined): string {
  const ref = ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** printBool */
/** A pointer field as describe prints it: the value (with a suffix), or `<unset>` when nil. */
export function orUnset(value: unknown, suffix = ''): string {
  return value === undefined || value === null ? '<unset>' : `${value}${suffix}`;
}

export function goBool(value: unknown): string {
  return value ? 'True' : 'False';
}

/** Go's time.Time String() of a metav1.Time in UTC: `2025-01-01 00:00:00 +0000 UTC`. */
export function goTimeString(value: string | undefined): string {
  const ms = value ? fromRFC3339(value) : NaN;
  if (Number.isNaN(ms)) return '0001-01-01 00:00:00 +0000 UTC';
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}
