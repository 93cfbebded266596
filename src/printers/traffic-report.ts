import { goDuration } from '../util/duration';
import { lineChart } from './chart';
import type { GatewayTrafficReport, TrafficReport, TrafficTick } from '../sim/traffic';
import { renderTable } from './table';
import type { ReportChart } from '../model/report';

/** Column order of `traffic run -o csv` (one row per tick). */
export const TICK_FIELDS: (keyof TrafficTick)[] = [
  't',
  'pod_count',
  'pods_total',
  'pods_ready',
  'hpa_desired',
  'cpu_utilization_pct',
  'rps_offered',
  'rps_served',
  'rps_dropped',
  'p50_latency_ms',
  'p99_latency_ms',
  'hpa_scaling_time_ms',
];

export function trafficCsv(report: TrafficReport): string {
  const rows = [TICK_FIELDS.join(',')];
  for (const tick of report.ticks) rows.push(TICK_FIELDS.map((f) => (tick[f] === null ? '' : String(tick[f]))).join(','));
  return `${rows.join('\n')}\n`;
}

export function trafficJson(report: TrafficReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const seconds = (s: number) => goDuration(s * 1000);
const ms = (v: number | null) => (v === null ? 'n/a' : `${v}ms`);

/** The human summary: totals, scaling episodes and charts of pods, CPU% and p99 over time. */
export function trafficSummary(report: TrafficReport, width = 60): string[] {
  const s = report.summary;
  const lines: string[] = [];
  const droppedPct = s.requests_offered ? ((s.requests_dropped / s.requests_offered) * 100).toFixed(1) : '0.0';
  lines.push(
    `Traffic to service/${report.service} for ${seconds(report.duration_seconds)} (tick ${seconds(report.tick_seconds)}, seed ${report.seed})`,
  );
  lines.push(`Requests: ${s.requests_offered} offered, ${s.requests_served} served, ${s.requests_dropped} dropped (${droppedPct}%)`);
  lines.push(`Latency: p50 ${ms(s.p50_latency_ms)}, p99 ${ms(s.p99_latency_ms)}, worst tick p99 ${ms(s.max_p99_latency_ms)}`);
  lines.push(`Ready pods: ${s.pods_ready_start} at start, ${s.pods_ready_max} at peak, ${s.pods_ready_end} at end`);
  if (report.hpa) {
    lines.push(`HPA ${report.hpa}: target cpu ${report.target_cpu_utilization_pct ?? 'n/a'}%`);
    for (const e of report.scaling) {
      lines.push(
        e.duration_ms === null
          ? `  load above target at ${seconds(e.start)}: utilization did not come back within target before the end`
          : `  load above target at ${seconds(e.start)}: back within target at ${seconds(e.end!)} (scaling time ${seconds(e.duration_ms / 1000)})`,
      );
    }
  } else lines.push('No HorizontalPodAutoscaler scales the pods behind this service.');
  const chart = (title: string, values: number[]) => {
    lines.push('', title);
    for (const l of lineChart(values, { height: 8, width })) lines.push(`  ${l}`);
  };
  chart(
    'Ready pods',
    report.ticks.map((t) => t.pods_ready),
  );
  chart(
    'CPU utilization (% of request)',
    report.ticks.map((t) => t.cpu_utilization_pct),
  );
  chart(
    'p99 latency (ms)',
    report.ticks.map((t) => t.p99_latency_ms ?? 0),
  );
  lines.push(`  time: 0s … ${seconds(report.duration_seconds)}`);
  return lines;
}

/** The run's ticks as the report's charts (x in virtual ms from `start`, the run's first tick). */
export function trafficCharts(report: TrafficReport, start: number): ReportChart[] {
  const x = report.ticks.map((t) => start + t.t * 1000);
  const series = (label: string, field: keyof TrafficTick) => ({ label, values: report.ticks.map((t) => t[field]) });
  return [
    {
      title: 'Pods',
      x,
      series: [series('ready', 'pods_ready'), series('total', 'pods_total'), ...(report.hpa ? [series('HPA desired', 'hpa_desired')] : [])],
    },
    {
      title: 'Requests per second',
      x,
      series: [series('offered', 'rps_offered'), series('served', 'rps_served'), series('dropped', 'rps_dropped')],
    },
    { title: 'CPU utilization (% of request)', x, series: [series('cpu %', 'cpu_utilization_pct')] },
    { title: 'Latency (ms)', x, series: [series('p50', 'p50_latency_ms'), series('p99', 'p99_latency_ms')] },
  ];
}

const pct = (part: number, whole: number) => (whole ? ((part / whole) * 100).toFixed(1) : '0.0');

/** `traffic run --gateway`: totals, then one row per backendRef of the route with what reached it. */
export function gatewayTrafficSummary(report: GatewayTrafficReport): string[] {
  const lines = [
    `Traffic through gateway/${report.gateway} (host ${report.host}, path ${report.path}, route ${report.route}) for ${seconds(report.duration_seconds)} (tick ${seconds(report.tick_seconds)}, seed ${report.seed})`,
    `Requests: ${report.requests_offered} offered, ${report.requests_served} served, ${report.requests_dropped} dropped (${pct(report.requests_dropped, report.requests_offered)}%), ${report.requests_failed} answered 500 by the gateway`,
    '',
  ];
  const rows = [['BACKEND', 'WEIGHT', 'SHARE', 'OFFERED', 'SERVED', 'DROPPED', 'P50', 'P99', 'READY PODS']];
  for (const b of report.backends) {
    const s = b.summary;
    rows.push([
      b.backend,
      String(b.weight),
      `${(b.share * 100).toFixed(1)}%`,
      s ? String(s.requests_offered) : '-',
      s ? String(s.requests_served) : '-',
      s ? String(s.requests_dropped) : '-',
      s ? ms(s.p50_latency_ms) : '-',
      s ? ms(s.p99_latency_ms) : '-',
      s ? `${s.pods_ready_start}→${s.pods_ready_end}` : (b.error ?? '-'),
    ]);
  }
  lines.push(...renderTable(rows).replace(/\n$/, '').split('\n'));
  return lines;
}

/** `traffic run --gateway -o csv`: one row per backend and tick (its Service's run). */
export function gatewayTrafficCsv(report: GatewayTrafficReport): string {
  const rows = [['service', ...TICK_FIELDS].join(',')];
  for (const run of report.runs)
    for (const tick of run.ticks)
      rows.push([`${run.namespace}/${run.service}`, ...TICK_FIELDS.map((f) => (tick[f] === null ? '' : String(tick[f])))].join(','));
  return `${rows.join('\n')}\n`;
}
