/**
 * The dashboard's traffic chart: a pure function of the Services' stored traffic profiles, bundled
 * into the page (web/dashboard.ts) like src/printers/cluster-report.ts.
 */
import type { Service } from '../model/kinds';
import type { ReportChart } from '../model/report';
import { TRAFFIC_ANNOTATION, offeredRps, type ActiveTraffic } from './offered-load';

/** The run a Service carries (traffic-profile's activeTraffic without its cache, which the page does not need). */
function activeTraffic(svc: Service): ActiveTraffic | undefined {
  const text = svc.metadata.annotations?.[TRAFFIC_ANNOTATION];
  if (!text) return undefined;
  try {
    return JSON.parse(text) as ActiveTraffic;
  } catch {
    return undefined;
  }
}

/** Points of a traffic chart: one a second for runs up to 10 minutes, else about 600. */
const TRAFFIC_POINTS = 600;

/**
 * The offered load of each Service a traffic run drove (`traffic run` and a scenario's traffic
 * step keep the running profile on the Service, annotation sim.kubesim.io/traffic, which the
 * metrics pipeline and the HPA read): requests per second from the run's start to its end or to
 * `now`, whichever is first — what the run sent, recomputed from the profile it stored.
 */
export function offeredLoadCharts(services: Service[], now: number): ReportChart[] {
  const runs = services
    .map((svc) => ({ svc, run: activeTraffic(svc) }))
    .filter((r): r is { svc: Service; run: ActiveTraffic } => !!r.run && r.run.startedAt <= now)
    .sort((a, b) =>
      `${a.svc.metadata.namespace}/${a.svc.metadata.name}`.localeCompare(`${b.svc.metadata.namespace}/${b.svc.metadata.name}`),
    );
  if (!runs.length) return [];
  const start = Math.min(...runs.map((r) => r.run.startedAt));
  const end = Math.min(now, Math.max(...runs.map((r) => r.run.startedAt + r.run.profile.durationMs)));
  const step = Math.max(1000, Math.ceil((end - start) / TRAFFIC_POINTS / 1000) * 1000);
  const x: number[] = [];
  for (let t = start; t <= end; t += step) x.push(t);
  if (x[x.length - 1] !== end) x.push(end);
  return [
    {
      title: 'Offered load (requests per second)',
      x,
      series: runs.map(({ svc, run }) => ({
        label: `service/${svc.metadata.name}`,
        values: x.map((t) => Math.round(offeredRps(run.profile, t - run.startedAt) * (run.share ?? 1) * 100) / 100),
      })),
    },
  ];
}
