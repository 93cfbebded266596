import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { hpaCharts, hpaSample, sameHpaSample, type HpaSample } from '../../src/printers/cluster-report';
import { offeredLoadCharts } from '../../src/sim/traffic-load-chart';
import type { HorizontalPodAutoscaler, Service } from '../../src/model/kinds';

const WEB = path.resolve(__dirname, '../../fixtures/hpa-web.yaml');

/**
 * The dashboard's live HPA and traffic charts (web/dashboard.ts samples the HPAs' status each time
 * it reads them and recomputes the offered load from the Services' stored traffic profiles); here
 * on the objects a real run leaves, as the API serves them.
 */
describe('the dashboard charts of HPAs and traffic', () => {
  it('samples an HPA through a spike: replicas current and desired, CPU against its target, and the offered load of the run', async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-f', WEB)).code).toBe(0);
    expect((await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50')).code).toBe(0);
    expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
    const hpa = async () => JSON.parse((await c.run('get', 'hpa', 'web', '-o', 'json')).stdout) as HorizontalPodAutoscaler;
    const now = async () => Date.parse((await c.run('clock')).stdout.split(' ')[0]);
    const samples: HpaSample[] = [];
    const take = async () => {
      const s = hpaSample(await hpa(), await now());
      if (!samples.length || !sameHpaSample(samples[samples.length - 1], s)) samples.push(s);
    };
    await take();
    expect(samples[0]).toMatchObject({ hpa: 'default/web', current: 2, desired: 2, metrics: [{ label: 'cpu (%)', target: 50 }] });
    // the run ends 5 minutes of virtual time later with the HPA at its maximum
    const run = await c.run('traffic', 'run', '--service', 'web', '--rps', '200', '--spike', '2000@60s-180s', '--duration', '5m');
    expect(run.code).toBe(0);
    await take();
    // the same status again is no new point
    await take();
    expect(samples).toHaveLength(2);
    expect(samples[1].desired).toBeGreaterThan(2);
    const end = samples[1].time + 60_000;
    const [replicas, metrics] = hpaCharts(samples, end);
    expect(replicas.title).toBe('HorizontalPodAutoscaler default/web replicas');
    expect(replicas.series.map((s) => s.label)).toEqual(['current', 'desired']);
    // each sample a point, and the last held until now
    expect(replicas.x).toEqual([samples[0].time, samples[1].time, end]);
    expect(replicas.series[1].values).toEqual([2, samples[1].desired, samples[1].desired]);
    expect(metrics.title).toBe('HorizontalPodAutoscaler default/web metrics');
    expect(metrics.series.map((s) => s.label)).toEqual(['cpu (%) current', 'cpu (%) target']);
    expect(metrics.series[1].values).toEqual([50, 50, 50]);
    // what `kubectl get hpa` shows as TARGETS (cpu: N%/50%) is the metric's current value
    const targets = (await c.run('get', 'hpa', 'web')).stdout;
    expect(targets).toContain(`cpu: ${metrics.series[0].values[1]}%/50%`);

    // the offered load: the run's profile as the Service stores it, 200 rps with 2000 from 60 s to 180 s
    const svc = JSON.parse((await c.run('get', 'svc', 'web', '-o', 'json')).stdout) as Service;
    const [load] = offeredLoadCharts([svc], await now());
    expect(load.title).toBe('Offered load (requests per second)');
    expect(load.series.map((s) => s.label)).toEqual(['service/web']);
    const start = load.x[0];
    const at = (s: number) => load.series[0].values[load.x.indexOf(start + s * 1000)];
    expect([at(0), at(59), at(60), at(179), at(180), at(299)]).toEqual([200, 200, 2000, 2000, 200, 200]);
    expect(load.x[load.x.length - 1] - start).toBe(300_000);
    // before the run started there is nothing to draw; halfway through, the chart stops at now
    expect(offeredLoadCharts([svc], start - 1)).toEqual([]);
    const [half] = offeredLoadCharts([svc], start + 90_000);
    expect(half.x[half.x.length - 1]).toBe(start + 90_000);
    // a Service without a run has no chart
    expect(offeredLoadCharts([{ ...svc, metadata: { ...svc.metadata, annotations: {} } }], start)).toEqual([]);
  });
});
