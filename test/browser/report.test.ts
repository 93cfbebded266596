import * as path from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { launch, screenshot, type Browser } from './browser';

const WEB = path.resolve(__dirname, '../../fixtures/hpa-web.yaml');

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('an HTML report in chromium', () => {
  it('renders the map, the timeline and every chart from the file alone, with no console errors and no requests', async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-f', WEB)).code).toBe(0);
    expect((await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50')).code).toBe(0);
    expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
    const run = await c.run(
      'traffic',
      'run',
      '--service',
      'web',
      '--spike',
      '2000@60s-180s',
      '--duration',
      '6m',
      '--report',
      'traffic.html',
    );
    expect(run.code).toBe(0);
    const page = browser.page;
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) requests.push(r.url());
    });
    await page.goto(`file://${path.join(c.dir, 'traffic.html')}`);
    await page.waitForSelector('[data-chart] canvas');
    const charts = await page.locator('[data-chart]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')));
    expect(charts).toEqual([
      'Pods',
      'Requests per second',
      'CPU utilization (% of request)',
      'Latency (ms)',
      'Replicas by ReplicaSet',
      'HorizontalPodAutoscaler size',
    ]);
    expect(await page.locator('[data-chart] canvas').count()).toBe(charts.length);
    // the map at the end: the HPA's pods are on the nodes
    expect(await page.locator('[data-pod^="default/web-"]').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#events tr[data-reason="SuccessfulRescale"]').count()).toBeGreaterThan(0);
    await screenshot(page, 'report');
    // scrubbed to the start: two pods, as before the spike
    const scrubber = page.locator('#scrubber');
    await scrubber.fill(String(await scrubber.getAttribute('min')));
    await page.waitForFunction(() => document.querySelectorAll('[data-pod^="default/web-"]').length === 2);
    expect(browser.errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('kubesim report --html of a cluster with a cordoned, a NotReady and a tainted node marks each', async () => {
    const c = await manualCluster();
    expect((await c.run('cordon', 'node-1')).code).toBe(0);
    expect((await c.run('node', 'fail', 'node-2')).code).toBe(0);
    expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
    expect((await c.run('taint', 'node', 'node-3', 'dedicated=db:NoSchedule')).code).toBe(0);
    expect((await c.run('report', '--html', 'cluster.html')).code).toBe(0);
    const page = await browser.context.newPage();
    await page.goto(`file://${path.join(c.dir, 'cluster.html')}`);
    await page.waitForSelector('[data-node="node-3"]');
    expect(await page.locator('[data-node="node-1"] .mark.cordoned').count()).toBe(1);
    expect(await page.locator('[data-node="node-2"] .mark.notready').count()).toBe(1);
    expect(await page.locator('[data-node="node-3"] .mark.taint').textContent()).toBe('tainted dedicated=db:NoSchedule');
    await page.close();
    expect(browser.errors).toEqual([]);
  });
});
