/**
 * The dashboard's page: the cluster map, workloads and their rollouts, a scrubbable timeline of
 * events in virtual time, and charts. Two sources for one view: live (served by `kubesim serve` at
 * /, reading serve's own API with the token of the URL it printed) and a report (the model embedded
 * in the HTML file by `kubesim report --html` / `traffic run --report`). Built by
 * tools/build-web.mjs into dist/web/dashboard.js with Preact, htm and uPlot inlined.
 */
import { h, render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import uPlot from 'uplot';
import {
  clusterSnapshot,
  eventCharts,
  hpaCharts,
  hpaSample,
  reportEvents,
  sameHpaSample,
  type ClusterObjects,
  type HpaSample,
} from '../src/printers/cluster-report';
import { offeredLoadCharts } from '../src/sim/traffic-load-chart';
import type { ClusterSnapshot, ReportChart, ReportModel, ReportNode, ReportPod, ReportWorkload } from '../src/model/report';
import type { CoreEvent, HorizontalPodAutoscaler, Service } from '../src/model/kinds';

const html = htm.bind(h);

// ---- time ------------------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(2, '0');
/** virtual time as the cluster shows it (UTC) */
function clockText(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
/** a span as Go prints short durations: 45s, 5m10s, 2h3m */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ''}`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

// ---- the live source: serve's API -----------------------------------------------------------

type Json = Record<string, unknown> & { metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string } };

interface Clock {
  now: number;
  offset: number;
}

/**
 * Watched: each watch holds one of the six HTTP/1.1 connections a browser opens to a host, so four
 * are watched and the rest (StatefulSets, DaemonSets, events, the clock) listed again at each
 * rebuild; six watches left no connection for those lists, and the page froze.
 */
const WATCHED: [keyof ClusterObjects, string][] = [
  ['nodes', '/api/v1/nodes'],
  ['pods', '/api/v1/pods'],
  ['deployments', '/apis/apps/v1/deployments'],
  ['replicaSets', '/apis/apps/v1/replicasets'],
];
const LISTED: [keyof ClusterObjects, string][] = [
  ['statefulSets', '/apis/apps/v1/statefulsets'],
  ['daemonSets', '/apis/apps/v1/daemonsets'],
];
const LISTS = [...WATCHED, ...LISTED];

/** the most snapshots kept for scrubbing back */
const HISTORY = 600;
/** the most HPA samples kept (each is a change of an HPA's status) */
const HPA_HISTORY = 2000;

class LiveSource {
  private readonly objects = new Map<keyof ClusterObjects, Map<string, Json>>();
  private events: Json[] = [];
  private clock: Clock = { now: 0, offset: 0 };
  private history: ClusterSnapshot[] = [];
  /** each HPA's status whenever it changed, oldest first: the HPA charts */
  private hpaSamples: HpaSample[] = [];
  private pending?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly token: string,
    private readonly publish: (model: ReportModel) => void,
    private readonly status: (text: string) => void,
  ) {}

  private async get(path: string): Promise<Json & { items?: Json[] }> {
    const res = await fetch(path, { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
    if (res.status === 401) throw new Error('the API refused the token (401 Unauthorized): open the URL kubesim dashboard printed');
    if (!res.ok) throw new Error(`${path}: ${res.status} ${res.statusText}`);
    return (await res.json()) as Json & { items?: Json[] };
  }

  async start(): Promise<void> {
    try {
      await Promise.all(WATCHED.map(([key, path]) => this.listAndWatch(key, path)));
      setInterval(() => this.schedule(), 2000);
      this.status('live');
    } catch (e) {
      this.status(String((e as Error).message ?? e));
    }
  }

  private key(o: Json): string {
    return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  }

  /** List, then watch from the list's resourceVersion; when the watch ends (or expires), list again. */
  private async listAndWatch(key: keyof ClusterObjects, path: string): Promise<void> {
    const list = await this.get(path);
    const map = new Map<string, Json>();
    for (const o of list.items ?? []) map.set(this.key(o), o);
    this.objects.set(key, map);
    this.schedule();
    const rv = (list.metadata as { resourceVersion?: string }).resourceVersion ?? '';
    void this.watch(key, path, rv);
  }

  private async watch(key: keyof ClusterObjects, path: string, rv: string): Promise<void> {
    const again = () => setTimeout(() => void this.listAndWatch(key, path).catch((e) => this.status(String(e))), 1000);
    try {
      const res = await fetch(`${path}?watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(rv)}`, {
        headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' },
      });
      if (!res.ok || !res.body) return void again();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffered = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          const event = JSON.parse(line) as { type: string; object: Json };
          if (event.type === 'ERROR') {
            await reader.cancel();
            return void again();
          }
          if (event.type === 'BOOKMARK') continue;
          const map = this.objects.get(key)!;
          if (event.type === 'DELETED') map.delete(this.key(event.object));
          else map.set(this.key(event.object), event.object);
          this.schedule();
        }
      }
    } catch {
      // the server went away or the connection dropped: list again
    }
    again();
  }

  /** Changes come in bursts (a rollout's pods): rebuild once per burst. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.rebuild().catch((e) => this.status(String((e as Error).message ?? e)));
    }, 150);
  }

  /**
   * Events are not watched (serve lists them from the event log): each rebuild lists them again,
   * and the HPAs and Services with them (an HPA scaling changes a Deployment and pods, which are
   * watched, so a rebuild follows each step; the 2 s interval catches a status-only change).
   */
  private async rebuild(): Promise<void> {
    const [clock, events, hpas, services, ...lists] = await Promise.all([
      this.get('/dashboard/clock'),
      this.get('/api/v1/events'),
      this.get('/apis/autoscaling/v2/horizontalpodautoscalers'),
      this.get('/api/v1/services'),
      ...LISTED.map(([, path]) => this.get(path)),
    ]);
    LISTED.forEach(([key], i) => this.objects.set(key, new Map((lists[i].items ?? []).map((o) => [this.key(o), o]))));
    this.clock = clock as unknown as Clock;
    this.events = events.items ?? [];
    const objs = Object.fromEntries(LISTS.map(([key]) => [key, [...(this.objects.get(key)?.values() ?? [])]])) as unknown as ClusterObjects;
    const snap = clusterSnapshot(objs, this.clock.now);
    const last = this.history[this.history.length - 1];
    const same = last && JSON.stringify({ ...last, time: 0 }) === JSON.stringify({ ...snap, time: 0 });
    if (!same) this.history.push(snap);
    else last.time = snap.time;
    if (this.history.length > HISTORY) this.history.shift();
    for (const hpa of (hpas.items ?? []) as unknown as HorizontalPodAutoscaler[]) {
      const sample = hpaSample(hpa, this.clock.now);
      const last = [...this.hpaSamples].reverse().find((x) => x.hpa === sample.hpa);
      if (!last || !sameHpaSample(last, sample)) this.hpaSamples.push(sample);
    }
    if (this.hpaSamples.length > HPA_HISTORY) this.hpaSamples.splice(0, this.hpaSamples.length - HPA_HISTORY);
    const timeline = reportEvents(this.events as unknown as CoreEvent[], this.clock.offset);
    this.publish({
      title: 'kubesim dashboard',
      now: this.clock.now,
      snapshots: [...this.history],
      events: timeline,
      charts: [
        ...offeredLoadCharts((services.items ?? []) as unknown as Service[], this.clock.now),
        ...hpaCharts(this.hpaSamples, this.clock.now),
        ...eventCharts(timeline),
      ],
    });
  }
}

// ---- the view ------------------------------------------------------------------------------

const pct = (used: number, total: number) => (total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0);
const cpuText = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : `${m}m`);
function memText(b: number): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1 && b % 1024 === 0) {
    b /= 1024;
    i++;
  }
  return `${b}${units[i]}`;
}

function Bar(props: { label: string; used: number; total: number; text: (n: number) => string }) {
  const p = pct(props.used, props.total);
  return html`<div
    class="bar"
    data-resource=${props.label}
    title=${`${props.label} requested ${props.text(props.used)} of ${props.text(props.total)} allocatable`}
  >
    <span class="bar-label">${props.label}</span>
    <span class="bar-track"><span class=${`bar-fill${p >= 90 ? ' hot' : ''}`} style=${`width:${p}%`}></span></span>
    <span class="bar-value">${p}%</span>
  </div>`;
}

/** The workload a pod belongs to, and whether it runs that workload's current revision. */
function current(pod: ReportPod, workloads: ReportWorkload[]): boolean | undefined {
  if (!pod.owner || !pod.revision) return undefined;
  const [kind, name] = pod.owner.split('/');
  const w =
    kind === 'ReplicaSet'
      ? workloads.find((x) => x.kind === 'Deployment' && x.namespace === pod.namespace && name === `${x.name}-${pod.revision}`)
      : workloads.find((x) => x.kind === kind && x.namespace === pod.namespace && x.name === name);
  if (!w?.revision) return undefined;
  return w.revision === pod.revision;
}

function podClass(p: ReportPod): string {
  if (p.phase === 'Terminating') return 'terminating';
  if (p.phase === 'Running') return p.ready ? 'running' : 'unready';
  if (p.phase === 'Pending') return /BackOff|Err|Invalid/.test(p.status) ? 'failed' : 'pending';
  return p.phase.toLowerCase();
}

/** The pod whose placement is explained (live only: the server explains it); the map's pods set it. */
const explained = {
  pod: undefined as string | undefined,
  listeners: new Set<() => void>(),
  select(pod: string | undefined) {
    this.pod = pod;
    for (const l of this.listeners) l();
  },
};
/** the live source's token, for the explanation requests */
let apiToken: string | undefined;

function Pod(props: { pod: ReportPod; workloads: ReportWorkload[] }) {
  const p = props.pod;
  const cur = current(p, props.workloads);
  const key = `${p.namespace}/${p.name}`;
  return html`<span
    onClick=${apiToken ? () => explained.select(explained.pod === key ? undefined : key) : undefined}
    class=${`pod ${podClass(p)}${cur === false ? ' old' : ''}${explained.pod === key ? ' explained' : ''}`}
    data-pod=${`${p.namespace}/${p.name}`}
    data-phase=${p.phase}
    data-revision=${p.revision ?? ''}
    data-current=${cur === undefined ? '' : String(cur)}
    title=${`${p.namespace}/${p.name}\n${p.status}${p.ready ? ', ready' : ''}${p.owner ? `\n${p.owner}` : ''}${p.revision ? `\nrevision ${p.revision}${cur === false ? ' (old)' : ''}` : ''}`}
    >${p.revision ? p.revision.slice(0, 4) : ''}</span
  >`;
}

/** `kubesim why` for the selected pod, asked of the server whenever the cluster changed. */
function Why(props: { version: number }) {
  const [text, setText] = useState<string>('');
  const pod = explained.pod;
  useEffect(() => {
    if (!pod || !apiToken) return;
    let stale = false;
    const [namespace, name] = pod.split('/');
    void fetch(`/kubesim/why/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`, {
      headers: { Authorization: `Bearer ${apiToken}`, Accept: 'application/json' },
    })
      .then(async (res) => {
        const body = (await res.json()) as { text?: string; message?: string };
        if (!stale) setText(res.ok ? (body.text ?? '') : `${pod}: ${body.message ?? res.statusText}`);
      })
      .catch((e: unknown) => !stale && setText(`${pod}: ${String(e)}`));
    return () => {
      stale = true;
    };
  }, [pod, props.version]);
  if (!pod) return html`<p class="hint">Click a pod on the map to see why the scheduler put it where it is.</p>`;
  return html`<section class="why" id="why" data-pod=${pod}>
    <button onClick=${() => explained.select(undefined)}>close</button>
    <pre>${text || `explaining ${pod}…`}</pre>
  </section>`;
}

function NodeBox(props: { node: ReportNode; pods: ReportPod[]; workloads: ReportWorkload[] }) {
  const n = props.node;
  const marks = [
    !n.ready && html`<span class="mark notready">NotReady</span>`,
    n.unschedulable && html`<span class="mark cordoned">cordoned</span>`,
    ...n.taints
      .filter((t) => !(n.unschedulable && t.startsWith('node.kubernetes.io/unschedulable')))
      .map((t) => html`<span class="mark taint" title=${t}>tainted ${t}</span>`),
  ].filter(Boolean);
  const classes = ['node', !n.ready && 'is-notready', n.unschedulable && 'is-cordoned', n.taints.length && 'is-tainted']
    .filter(Boolean)
    .join(' ');
  return html`<div class=${classes} data-node=${n.name}>
    <div class="node-head"><strong>${n.name}</strong>${n.zone ? html`<span class="zone">${n.zone}</span>` : ''}</div>
    <div class="marks">${marks}</div>
    <${Bar} label="cpu" used=${n.requested.cpu} total=${n.allocatable.cpu} text=${cpuText} />
    <${Bar} label="memory" used=${n.requested.memory} total=${n.allocatable.memory} text=${memText} />
    <${Bar} label="pods" used=${n.requested.pods} total=${n.allocatable.pods} text=${String} />
    <div class="pods">${props.pods.map((p) => html`<${Pod} key=${p.name} pod=${p} workloads=${props.workloads} />`)}</div>
  </div>`;
}

function ClusterMap(props: { snap: ClusterSnapshot }) {
  const s = props.snap;
  const unbound = s.pods.filter((p) => !p.node);
  return html`<section class="map" id="map">
    ${s.nodes.map((n) => html`<${NodeBox} key=${n.name} node=${n} pods=${s.pods.filter((p) => p.node === n.name)} workloads=${s.workloads} />`)}
    ${
      unbound.length
        ? html`<div class="node unscheduled" data-node="">
            <div class="node-head"><strong>not scheduled</strong></div>
            <div class="pods">${unbound.map((p) => html`<${Pod} key=${p.name} pod=${p} workloads=${s.workloads} />`)}</div>
          </div>`
        : ''
    }
  </section>`;
}

function Workloads(props: { snap: ClusterSnapshot }) {
  const ws = props.snap.workloads;
  if (!ws.length) return html`<p class="empty">No Deployments, StatefulSets or DaemonSets.</p>`;
  return html`<table class="workloads" id="workloads">
    <thead>
      <tr>
        <th>workload</th>
        <th>images</th>
        <th>rollout</th>
        <th>updated</th>
        <th>ready</th>
        <th>available</th>
      </tr>
    </thead>
    <tbody>
      ${ws.map((w) => {
        const done = w.updated >= w.desired && w.available >= w.desired;
        return html`<tr data-workload=${`${w.kind}/${w.namespace}/${w.name}`}>
          <td>${w.kind.toLowerCase()}/${w.name}<span class="ns">${w.namespace}</span></td>
          <td class="images">${w.images.join(', ')}</td>
          <td>
            <span class="progress" title=${`${w.updated} of ${w.desired} updated`}
              ><span style=${`width:${pct(w.updated, w.desired || 1)}%`}></span
            ></span>
            <span class=${done ? 'done' : 'rolling'}>${done ? 'rolled out' : 'rolling out'}</span>
          </td>
          <td>${w.updated}/${w.desired}</td>
          <td>${w.ready}/${w.desired}</td>
          <td>${w.available}/${w.desired}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

function Chart(props: { chart: ReportChart; at: number }) {
  const el = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const at = useRef(props.at);
  at.current = props.at;
  useEffect(() => {
    const c = props.chart;
    const palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];
    const opts: uPlot.Options = {
      width: Math.max(320, (el.current!.clientWidth || 640) - 8),
      height: 200,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      series: [
        {},
        ...c.series.map((s, i) => ({
          label: s.label,
          stroke: palette[i % palette.length],
          width: 2,
          paths: uPlot.paths.stepped!({ align: 1 }),
        })),
      ],
      hooks: {
        // the timeline's position as a vertical line
        draw: [
          (u: uPlot) => {
            const x = u.valToPos(at.current / 1000, 'x', true);
            if (!Number.isFinite(x)) return;
            u.ctx.save();
            u.ctx.strokeStyle = '#f59e0b';
            u.ctx.lineWidth = 2;
            u.ctx.beginPath();
            u.ctx.moveTo(x, u.bbox.top);
            u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
            u.ctx.stroke();
            u.ctx.restore();
          },
        ],
      },
    };
    const data = [c.x.map((t) => t / 1000), ...c.series.map((s) => s.values)] as uPlot.AlignedData;
    plot.current = new uPlot(opts, data, el.current!);
    return () => plot.current?.destroy();
  }, [JSON.stringify(props.chart)]);
  useEffect(() => plot.current?.redraw(false), [props.at]);
  return html`<figure
    class="chart"
    data-chart=${props.chart.title}
    data-points=${props.chart.x.length}
    data-series=${JSON.stringify(props.chart.series)}
    data-at=${props.at}
  >
    <figcaption>${props.chart.title}</figcaption>
    <div ref=${el}></div>
  </figure>`;
}

function Timeline(props: { model: ReportModel; at: number; live: boolean; onScrub: (t: number | undefined) => void }) {
  const m = props.model;
  const start = Math.min(m.snapshots[0]?.time ?? m.now, m.events[0]?.time ?? m.now);
  const end = Math.max(m.now, start + 1000);
  const shown = m.events.filter((e) => e.time <= props.at);
  return html`<section class="timeline" id="timeline">
    <div class="scrub">
      <input
        type="range"
        id="scrubber"
        min=${start}
        max=${end}
        step="1000"
        value=${props.at}
        onInput=${(e: Event) => props.onScrub(Number((e.target as HTMLInputElement).value))}
      />
      <span class="at" id="at">${clockText(props.at)} (+${span(props.at - start)})</span>
      ${!props.live ? html`<button onClick=${() => props.onScrub(undefined)}>${m.title === 'kubesim dashboard' ? 'live' : 'end'}</button>` : ''}
    </div>
    <svg class="ticks" viewBox="0 0 1000 12" preserveAspectRatio="none">
      ${m.events.map((e) => html`<rect x=${((e.time - start) / (end - start)) * 998} y="0" width="2" height="12" class=${e.type === 'Warning' ? 'warn' : 'normal'} />`)}
    </svg>
    <table class="events" id="events">
      <thead>
        <tr>
          <th>time</th>
          <th>type</th>
          <th>reason</th>
          <th>object</th>
          <th>message</th>
        </tr>
      </thead>
      <tbody>
        ${shown
          .slice(-200)
          .reverse()
          .map(
            (e) =>
              html`<tr data-reason=${e.reason} class=${e.type === 'Warning' ? 'warn' : ''}>
                <td>+${span(e.time - start)}</td>
                <td>${e.type}</td>
                <td>${e.reason}</td>
                <td>${e.object}</td>
                <td>${e.message}${e.count > 1 ? ` (x${e.count})` : ''}</td>
              </tr>`,
          )}
      </tbody>
    </table>
  </section>`;
}

/** What the live source last delivered; the page re-renders when it changes. */
const live = {
  model: undefined as ReportModel | undefined,
  status: 'connecting',
  listeners: new Set<() => void>(),
  set(part: { model?: ReportModel; status?: string }) {
    Object.assign(this, part);
    for (const l of this.listeners) l();
  },
};

function App(props: { report?: ReportModel }) {
  const [, redraw] = useState(0);
  const [scrub, setScrub] = useState<number | undefined>(undefined);
  useEffect(() => {
    const l = () => redraw((n) => n + 1);
    live.listeners.add(l);
    explained.listeners.add(l);
    l();
    return () => {
      live.listeners.delete(l);
      explained.listeners.delete(l);
    };
  }, []);
  const model = props.report ?? live.model;
  const status = props.report ? 'report' : live.status;
  if (!model)
    return html`<header>
      <h1>kubesim</h1>
      <span class="status" id="status">${status}</span>
    </header>`;
  const at = scrub ?? model.now;
  const snap = [...model.snapshots].reverse().find((s) => s.time <= at) ?? model.snapshots[0];
  return html`<header>
      <h1>${model.title}</h1>
      <span class="clock" id="clock">${clockText(model.now)}</span>
      <span class="status" id="status" data-status=${status}>${status}</span>
    </header>
    ${model.summary?.length ? html`<pre class="summary">${model.summary.join('\n')}</pre>` : ''}
    <h2>Cluster ${snap.time !== model.now ? html`<small>at ${clockText(snap.time)}</small>` : ''}</h2>
    <${ClusterMap} snap=${snap} />
    ${props.report ? '' : html`<${Why} version=${model.now + model.events.length} />`}
    <h2>Workloads</h2>
    <${Workloads} snap=${snap} />
    <h2>Timeline</h2>
    <${Timeline} model=${model} at=${at} live=${scrub === undefined} onScrub=${setScrub} />
    ${
      model.charts.length
        ? html`<h2>Charts</h2>
            <div class="charts">${model.charts.map((c) => html`<${Chart} key=${c.title} chart=${c} at=${at} />`)}</div>`
        : ''
    }`;
}

// ---- start ---------------------------------------------------------------------------------

function main(): void {
  const root = document.getElementById('app')!;
  const embedded = document.getElementById('kubesim-report');
  if (embedded) {
    render(html`<${App} report=${JSON.parse(embedded.textContent ?? '{}') as ReportModel} />`, root);
    return;
  }
  // the token comes in the URL's fragment (never sent to a server, kept out of logs); kept for reloads
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash)?.[1];
  if (fromHash) {
    sessionStorage.setItem('kubesim-token', decodeURIComponent(fromHash));
    history.replaceState(null, '', location.pathname);
  }
  const token = sessionStorage.getItem('kubesim-token');
  if (!token) {
    live.set({ status: 'no token: open the URL that kubesim dashboard printed (it ends in #token=…)' });
  } else {
    apiToken = token;
    void new LiveSource(
      token,
      (model) => live.set({ model }),
      (status) => live.set({ status }),
    ).start();
  }
  render(html`<${App} />`, root);
}

main();
