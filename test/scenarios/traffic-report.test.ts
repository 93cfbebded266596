import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';
import { decodePng } from '../support/png';
import type { ReportModel } from '../../src/model/report';
import type { TrafficReport } from '../../src/sim/traffic';
import { niceStep, svgCharts } from '../../src/printers/svg-chart';

const WEB = path.resolve(__dirname, '../../fixtures/hpa-web.yaml');

async function webWithHpa() {
  const c = await manualCluster();
  expect((await c.run('apply', '-f', WEB)).code).toBe(0);
  expect((await c.run('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50')).code).toBe(0);
  expect((await c.run('clock', 'advance', '60s')).code).toBe(0);
  return c;
}

const RUN = ['traffic', 'run', '--service', 'web', '--rps', '200', '--spike', '2000@60s-180s', '--duration', '5m'];

describe('kubesim traffic run --report and --plot', () => {
  it('writes an HTML report whose map follows the HPA through the spike, with the ticks as charts', async () => {
    const c = await webWithHpa();
    const r = await c.run(...RUN, '--report', 'run.html', '--plot', 'run.svg', '-o', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as TrafficReport;
    const html = fs.readFileSync(path.join(c.dir, 'run.html'), 'utf8');
    const model = JSON.parse(/<script type="application\/json" id="kubesim-report">(.*?)<\/script>/s.exec(html)![1]) as ReportModel;
    expect(model.title).toBe('kubesim traffic run: service/web');
    expect(model.summary?.[0]).toBe('Traffic to service/web for 5m0s (tick 1s, seed 1)');
    // the text of the summary, without its ASCII charts
    expect(model.summary?.[model.summary.length - 1]).toMatch(/^ {2}load above target at 1m0s: /);
    // a snapshot each time the cluster changed: the web pods go from 2 to 10 and the map shows it
    const webPods = (i: number) => model.snapshots[i].pods.filter((p) => p.name.startsWith('web-') && p.phase === 'Running').length;
    expect(model.snapshots.length).toBeGreaterThan(5);
    expect(webPods(0)).toBe(2);
    expect(Math.max(...model.snapshots.map((_, i) => webPods(i)))).toBe(10);
    expect(model.snapshots.every((s, i) => i === 0 || s.time >= model.snapshots[i - 1].time)).toBe(true);
    const pods = model.charts.find((ch) => ch.title === 'Pods')!;
    expect(pods.series.map((s) => s.label)).toEqual(['ready', 'total', 'HPA desired']);
    expect(pods.x).toHaveLength(report.ticks.length);
    expect(pods.x[1] - pods.x[0]).toBe(1000);
    expect(pods.series[0].values).toEqual(report.ticks.map((t) => t.pods_ready));
    expect(model.charts.map((ch) => ch.title)).toEqual([
      'Pods',
      'Requests per second',
      'CPU utilization (% of request)',
      'Latency (ms)',
      'Replicas by ReplicaSet',
      'HorizontalPodAutoscaler size',
    ]);
    // the HPA's own events: its size over time ends where the ticks say
    const hpa = model.charts.find((ch) => ch.title === 'HorizontalPodAutoscaler size')!;
    expect(Math.max(...hpa.series[0].values.map((v) => v ?? 0))).toBe(10);
    // the plot: an SVG of the same four charts
    const svg = fs.readFileSync(path.join(c.dir, 'run.svg'), 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800"')).toBe(true);
    for (const title of ['Pods', 'Requests per second', 'CPU utilization (% of request)', 'Latency (ms)'])
      expect(svg).toContain(`class="title">${title}</text>`);
    // one line per series: 3 + 3 + 1 + 2
    expect(svg.match(/<path /g)).toHaveLength(9);
  });

  it('--plot FILE.png draws the same charts as a PNG image', async () => {
    const c = await webWithHpa();
    const r = await c.run(...RUN, '--plot', 'run.png');
    expect(r.code).toBe(0);
    const { width, height, rgba } = decodePng(fs.readFileSync(path.join(c.dir, 'run.png')));
    // the SVG's size, on white, with the series drawn in their palette colours
    expect([width, height]).toEqual([800, 800]);
    const count = (r: number, g: number, b: number) => {
      let n = 0;
      for (let i = 0; i < rgba.length; i += 4) if (rgba[i] === r && rgba[i + 1] === g && rgba[i + 2] === b) n++;
      return n;
    };
    expect(count(255, 255, 255)).toBeGreaterThan((width * height) / 2);
    expect(count(0x25, 0x63, 0xeb)).toBeGreaterThan(500); // the first series of each chart (#2563eb)
    expect(count(0xdc, 0x26, 0x26)).toBeGreaterThan(200); // the second (#dc2626)
    // the titles are drawn as text (dark pixels at the first chart's title, top left)
    let dark = 0;
    for (let y = 0; y < 28; y++) for (let x = 0; x < 200; x++) if (rgba[(y * width + x) * 4] < 100) dark++;
    expect(dark).toBeGreaterThan(20);
  });

  it('checks the file names before running, and writes nothing for a bad flag', async () => {
    const c = await webWithHpa();
    let r = await c.run(...RUN, '--plot', 'run.gif');
    expect(r).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'error: --plot: "run.gif" does not end in .svg or .png (the plot is an SVG or PNG image)\n',
    });
    expect(fs.existsSync(path.join(c.dir, 'run.gif'))).toBe(false);
    r = await c.run(...RUN, '--report', 'run.txt');
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: --report: "run.txt" does not end in .html\n' });
    expect(fs.existsSync(path.join(c.dir, 'run.txt'))).toBe(false);
    // an unwritable report: the run itself is saved, the error says which file
    r = await c.run(...RUN, '--report', 'no/run.html');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: open no/run.html: no such file or directory\n');
  });
});

describe('svgCharts', () => {
  it('draws steps between points, breaks the line at missing values, and labels round steps', () => {
    const svg = svgCharts([{ title: 'T', x: [0, 1000, 2000, 3000], series: [{ label: 'a', values: [1, 3, null, 2] }] }]);
    // 1 holds until the second point, then 3 until the gap; the line starts again at 2
    expect(svg).toContain('<path d="M56 124H298.7V28H541.3M784 76" stroke="#2563eb" class="line"/>');
    expect(svg.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain('<text x="50" y="32" class="ylabel">3</text>');
    expect(svg).toContain('<text x="541.3" y="188" class="xlabel">2s</text>');
    expect(svgCharts([{ title: 'T', x: [0], series: [{ label: '<b>', values: [1] }] }])).toContain('&lt;b&gt;');
    expect([niceStep(0), niceStep(9), niceStep(10), niceStep(240), niceStep(0.3)]).toEqual([1, 2, 2, 50, 0.1]);
  });
});
