import * as path from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { deploymentYaml } from '../support/manifests';
import { ROOT, kubesimBin, launch, screenshot, startDashboard, type Browser } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** the map's pods of deployment web: revision and phase of each */
const webPods = () =>
  browser.page.$$eval('[data-pod^="default/web-"]', (els) =>
    els.map((e) => ({
      revision: e.getAttribute('data-revision'),
      phase: e.getAttribute('data-phase'),
      current: e.getAttribute('data-current'),
    })),
  );

describe('the dashboard in chromium', () => {
  it('shows the map live: a rollout moves the pods from the old revision to the new, and the timeline has its ScalingReplicaSet events', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deploymentYaml({ replicas: 3, resources: '{requests: {cpu: 500m, memory: 1Gi}}' }));
    expect((await c.run('apply', '-f', 'web.yaml')).code).toBe(0);
    expect((await c.run('rollout', 'status', 'deployment/web')).code).toBe(0);
    // 60 virtual seconds a second: the old pods' 30 s grace period ends within the test
    const server = await startDashboard(c.state, ['--speed', '60']);
    try {
      const page = browser.page;
      await page.goto(server.dashboard);
      await page.waitForSelector('#status[data-status="live"]');
      await page.waitForFunction(() => document.querySelectorAll('[data-pod^="default/web-"][data-phase="Running"]').length === 3);
      const before = await webPods();
      const old = before[0].revision;
      expect(before.every((p) => p.revision === old && p.current === 'true')).toBe(true);
      // the token left the address bar once read
      expect(page.url()).toBe(`${server.url}/`);
      // three nodes with their bars; the requests show on the nodes the pods run on
      expect(await page.locator('[data-node^="node-"]').count()).toBe(3);
      expect(await page.locator('[data-resource="cpu"]').first().getAttribute('title')).toMatch(/^cpu requested \d+m? of 4 allocatable$/);
      // a rollout by a kubesim command on the same state file: the page follows the server's watches
      kubesimBin(c.state, 'set', 'image', 'deployment/web', 'web=nginx:1.28');
      kubesimBin(c.state, 'rollout', 'status', 'deployment/web');
      await page
        .waitForFunction(
          (oldRevision) => {
            const pods = [...document.querySelectorAll('[data-pod^="default/web-"]')];
            return (
              pods.length === 3 &&
              pods.every((p) => p.getAttribute('data-revision') !== oldRevision && p.getAttribute('data-phase') === 'Running')
            );
          },
          old,
          { timeout: 60_000 },
        )
        .catch(async (e: unknown) => {
          await screenshot(page, 'dashboard-failed');
          throw new Error(
            `${String(e)}\nthe map: ${JSON.stringify(await webPods())}\nstatus: ${await page.locator('#status').textContent()}, clock: ${await page.locator('#clock').textContent()}\nerrors: ${browser.errors.join('; ')}\n${(await c.run('get', 'pods')).stdout}`,
          );
        });
      const after = await webPods();
      expect(after.every((p) => p.current === 'true')).toBe(true);
      expect(await page.locator('[data-workload="Deployment/default/web"]').textContent()).toContain('nginx:1.28');
      // the timeline: the deployment controller's ScalingReplicaSet events of both revisions
      const scaled = await page.locator('#events tr[data-reason="ScalingReplicaSet"]').allTextContents();
      expect(
        scaled.some(
          (t) => t.includes(`Scaled down replica set web-${old} from 3 to 2`) || t.includes(`Scaled down replica set web-${old}`),
        ),
      ).toBe(true);
      expect(scaled.some((t) => new RegExp(`Scaled up replica set web-(?!${old})\\w+ from 0 to 1`).test(t))).toBe(true);
      // the replicas chart draws
      expect(await page.locator('[data-chart="Replicas by ReplicaSet"] canvas').count()).toBe(1);
      await screenshot(page, 'dashboard');
      // a pod's placement explained: `kubesim why`, asked of the server
      const pod = page.locator('[data-pod^="default/web-"]').first();
      const podName = String(await pod.getAttribute('data-pod'));
      await pod.click();
      await page.waitForFunction(() => /scheduled to node-\d/.test(document.querySelector('#why pre')?.textContent ?? ''));
      const why = String(await page.locator('#why pre').textContent());
      expect(why.split('\n')[0]).toMatch(
        new RegExp(`^Pod ${podName}: scheduled to node-\\d by default-scheduler \\(evaluated against the cluster as it is now`),
      );
      expect(why).toContain('Scores of the top');
      await page.locator('#why button').click();
      expect(await page.locator('#why').count()).toBe(0);
      // scrubbing back to the start of the timeline shows the map as it was: the old revision
      const scrubber = page.locator('#scrubber');
      await scrubber.fill(String(await scrubber.getAttribute('min')));
      await page.waitForFunction(
        (oldRevision) =>
          [...document.querySelectorAll('[data-pod^="default/web-"]')].every((p) => p.getAttribute('data-revision') === oldRevision),
        old,
      );
      expect(browser.errors).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it("charts an HPA live as it scales up under a traffic run and back down after it, with the run's offered load; scrubbing moves the charts' cursor", async () => {
    const c = await manualCluster();
    expect((await c.run('apply', '-f', path.join(ROOT, 'fixtures/hpa-web.yaml'))).code).toBe(0);
    expect((await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50')).code).toBe(0);
    expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
    // 60 virtual seconds a second: the scale-down's 5-minute stabilization window passes in 5 s
    const server = await startDashboard(c.state, ['--speed', '60']);
    const replicas = '[data-chart="HorizontalPodAutoscaler default/web replicas"]';
    /** the desired replicas of each point of the chart */
    const desired = () =>
      browser.page
        .locator(replicas)
        .getAttribute('data-series')
        .then((s) => (JSON.parse(s ?? '[]') as { label: string; values: number[] }[]).find((x) => x.label === 'desired')?.values ?? []);
    try {
      const page = browser.page;
      await page.goto(server.dashboard);
      // what the previous test's page logged after its server stopped (connection refused) is not this page's
      browser.errors.length = 0;
      await page.waitForSelector('#status[data-status="live"]');
      await page.waitForSelector(`${replicas} canvas`);
      expect(await desired()).toContain(2);
      expect(await page.locator('[data-chart="HorizontalPodAutoscaler default/web metrics"] canvas').count()).toBe(1);
      // a traffic run beside the dashboard: 5 virtual minutes with a spike that takes the HPA to 10
      kubesimBin(c.state, 'traffic', 'run', '--service', 'web', '--rps', '200', '--spike', '2000@60s-180s', '--duration', '5m');
      // the chart gains the HPA's steps: up to 10, then (the load gone) back down to 2
      await page
        .waitForFunction(
          (sel) => {
            const series = JSON.parse(document.querySelector(sel)?.getAttribute('data-series') ?? '[]') as {
              label: string;
              values: number[];
            }[];
            const d = series.find((x) => x.label === 'desired')?.values ?? [];
            const top = d.indexOf(10);
            return top > 0 && d.slice(top).includes(2);
          },
          replicas,
          { timeout: 60_000 },
        )
        .catch(async (e: unknown) => {
          await screenshot(page, 'dashboard-hpa-failed');
          throw new Error(
            `${String(e)}\ndesired: ${JSON.stringify(await desired())}\nerrors: ${browser.errors.join('; ')}\n${(await c.run('get', 'hpa')).stdout}`,
          );
        });
      expect(Number(await page.locator(replicas).getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
      // the run's offered load, recomputed from the profile it left on the Service
      const load = page.locator('[data-chart="Offered load (requests per second)"]');
      expect(await load.locator('canvas').count()).toBe(1);
      const offered = JSON.parse(String(await load.getAttribute('data-series'))) as { label: string; values: number[] }[];
      expect(offered.map((x) => x.label)).toEqual(['service/web']);
      expect(Math.max(...offered[0].values)).toBe(2000);
      await screenshot(page, 'dashboard-hpa');
      // scrubbing the timeline moves every chart's cursor to the chosen instant
      const scrubber = page.locator('#scrubber');
      const min = Number(await scrubber.getAttribute('min'));
      await scrubber.fill(String(min + 60_000));
      await page.waitForFunction((at) => document.querySelector('[data-chart]')?.getAttribute('data-at') === String(at), min + 60_000);
      const ats = await page.$$eval('[data-chart]', (els) => els.map((e) => e.getAttribute('data-at')));
      expect(new Set(ats)).toEqual(new Set([String(min + 60_000)]));
      expect(browser.errors).toEqual([]);
    } finally {
      await server.stop();
    }
  });

  it('without the token the page says so and the API refuses it', async () => {
    const c = await manualCluster();
    const server = await startDashboard(c.state);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForSelector('#status');
      expect(await page.locator('#status').textContent()).toContain('no token');
      const codes = await page.evaluate(async () => {
        const anonymous = await fetch('/api/v1/pods');
        const wrong = await fetch('/api/v1/pods', { headers: { Authorization: 'Bearer wrong' } });
        return [anonymous.status, wrong.status];
      });
      expect(codes).toEqual([401, 401]);
      // with it, reads work and writes are refused
      const token = new URL(server.dashboard).hash.replace('#token=', '');
      const withToken = await page.evaluate(async (t) => {
        const headers = { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' };
        const read = await fetch('/api/v1/namespaces/default/pods', { headers });
        const write = await fetch('/api/v1/namespaces/default/configmaps', {
          method: 'POST',
          headers,
          body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }),
        });
        return [read.status, write.status];
      }, token);
      expect(withToken).toEqual([200, 403]);
      await page.close();
    } finally {
      await server.stop();
    }
  });
});
