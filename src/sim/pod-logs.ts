import type { Pod } from '../model/kinds';
import type { Container, ContainerStatus } from '../model/k8s';
import type { ReadonlyObjectStore } from '../store/object-store';
import { ApiError } from '../util/errors';
import { fromRFC3339 } from '../util/duration';
import { containerLog } from './container-runtime';
import { exitInstant } from './exit-instants';

/**
 * A container's log as the kubelet serves it (GET /containerLogs, behind `kubectl logs` and the
 * API's pods/log): the instance running (or the last that ran), or with `previous` the one
 * before it; tail, since, timestamps and a byte limit; and, for `follow`, what the container
 * printed since the last read. `kubesim logs` and `kubesim serve`'s pods/log both read through it.
 */

const badRequest = (message: string) => new ApiError('BadRequest', 400, `Error from server (BadRequest): ${message}`);

/** Go's RFC3339Nano of a virtual instant, as the kubelet stamps log lines. */
export function nanoTime(ms: number): string {
  // the milliseconds kept (toRFC3339 drops them), trailing zeros trimmed as Go's formatter trims them
  return new Date(ms)
    .toISOString()
    .replace(/(\.\d*?)0+Z$/, '$1Z')
    .replace(/\.Z$/, 'Z');
}

export function containerStatusOf(pod: Pod, name: string): ContainerStatus | undefined {
  return [
    ...(pod.status?.containerStatuses ?? []),
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.ephemeralContainerStatuses ?? []),
  ].find((s) => s.name === name);
}

/**
 * One container's log lines up to now: the instance running (or the last one that ran), or with
 * `previous` the one before it — the kubelet's errors when there is none.
 */
export function containerLines(
  store: ReadonlyObjectStore,
  pod: Pod,
  c: Container,
  previous: boolean,
  now: number,
  tail: number,
): { t: number; stream: 'stdout' | 'stderr'; text: string }[] {
  if (!pod.spec?.nodeName) return [];
  const cs = containerStatusOf(pod, c.name);
  const where = `container "${c.name}" in pod "${pod.metadata.name}"`;
  const rc = cs?.restartCount ?? 0;
  const last = cs?.lastState?.terminated;
  let instance: { restartCount: number; startedAt: number; until: number } | undefined;
  // an instance that ended: its output up to its exact exit (finishedAt keeps only the second)
  const ended = (restartCount: number, t: { startedAt?: string; finishedAt?: string }) => ({
    restartCount,
    startedAt: fromRFC3339(t.startedAt),
    until: exitInstant(store, pod, c.name, restartCount, t.finishedAt),
  });
  if (previous) {
    if (!last?.startedAt) throw badRequest(`previous terminated container "${c.name}" in pod "${pod.metadata.name}" not found`);
    const waiting = !!cs?.state?.waiting;
    instance = ended(waiting ? rc : rc - 1, last);
  } else if (cs?.state?.running?.startedAt) {
    instance = { restartCount: rc, startedAt: fromRFC3339(cs.state.running.startedAt), until: now };
  } else if (cs?.state?.terminated?.startedAt) {
    instance = ended(rc, cs.state.terminated);
  } else if (last?.startedAt) {
    instance = ended(rc, last);
  } else {
    const reason = cs?.state?.waiting?.reason ?? 'ContainerCreating';
    const shown = reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    throw badRequest(`${where} is waiting to start: ${shown}`);
  }
  const max = tail >= 0 ? tail : undefined;
  return containerLog({ pod, container: c, ...instance }, Math.min(instance.until, now), store, max);
}

/** What a log request asks for (PodLogOptions, or kubectl logs' flags). */
export interface LogQuery {
  previous: boolean;
  /** the last N lines (-1: all) */
  tail: number;
  /** lines at or after this virtual instant */
  sinceTime?: number;
  /** lines of the last N ms (taken against now at each read) */
  sinceMs?: number;
  timestamps: boolean;
  /** bytes of the whole stream (0: no limit) */
  limitBytes: number;
  /** what goes before each line (kubectl logs --prefix) */
  prefix?: string;
  /** virtual → wire instants of the timestamps printed (serve moves them to the wall clock) */
  shift?: number;
}

/** One container's log as a stream: each read gives what is new since the last one. */
export class LogReader {
  private printed = -Infinity;
  private first = true;
  /** how many lines at the instant `printed` were there at the last read */
  private edge = 0;
  private budget: number;

  constructor(
    private pod: Pod,
    readonly container: Container,
    private readonly q: LogQuery,
  ) {
    this.budget = q.limitBytes > 0 ? q.limitBytes : Infinity;
  }

  /** The text the container printed since the last read, up to now. */
  read(store: ReadonlyObjectStore, now: number): string {
    return this.readLines(store, now)
      .map((l) => l.text)
      .join('');
  }

  /**
   * What the container printed since the last read, up to now, line by line with the stream each
   * line went to (attach without a TTY keeps the container's stderr on its own stderr).
   */
  readLines(store: ReadonlyObjectStore, now: number): { stream: 'stdout' | 'stderr'; text: string }[] {
    this.pod = store.get('Pod', this.pod.metadata.namespace, this.pod.metadata.name) ?? this.pod;
    const q = this.q;
    const since = q.sinceTime ?? (q.sinceMs ? now - Math.ceil(q.sinceMs / 1000) * 1000 : undefined);
    // the tail bounds the first read only: a followed log then gets every line printed since
    // (attach's tail 0 reads them all once: lines printed at the instant it starts are not its output)
    const tail = this.first && since === undefined && q.tail !== 0 ? q.tail : -1;
    let lines = containerLines(store, this.pod, this.container, q.previous, now, tail);
    if (since !== undefined) lines = lines.filter((l) => l.t >= since);
    const all = lines;
    if (q.tail >= 0 && this.first) lines = lines.slice(Math.max(0, lines.length - q.tail));
    this.first = false;
    const already = this.printed;
    // lines at the instant of the last read that it saw (more can come at that same instant: stdin sent then)
    let skip = this.edge;
    const out: { stream: 'stdout' | 'stderr'; text: string }[] = [];
    for (const l of lines) {
      if (l.t < already) continue;
      if (l.t === already && skip > 0) {
        skip--;
        continue;
      }
      if (this.budget <= 0) break;
      let text = `${q.prefix ?? ''}${q.timestamps ? `${nanoTime(l.t + (q.shift ?? 0))} ` : ''}${l.text}\n`;
      if (Buffer.byteLength(text) > this.budget) text = Buffer.from(text).subarray(0, this.budget).toString();
      this.budget -= Buffer.byteLength(text);
      out.push({ stream: l.stream, text });
    }
    this.printed = Math.max(already, lines.length ? lines[lines.length - 1].t : already, now);
    this.edge = all.filter((l) => l.t === this.printed).length;
    return out;
  }

  /** Whether more can come: the container runs (a followed log ends when it stops, or the byte limit is spent). */
  more(store: ReadonlyObjectStore): boolean {
    if (this.budget <= 0 || this.q.previous) return false;
    const p = store.get('Pod', this.pod.metadata.namespace, this.pod.metadata.name);
    if (!p || p.metadata.uid !== this.pod.metadata.uid) return false;
    const st = containerStatusOf(p, this.container.name);
    return !!st && !st.state?.terminated && !(p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed');
  }
}
