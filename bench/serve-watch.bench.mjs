#!/usr/bin/env node
/*
 * kubesim serve: 200 concurrent watches on a 1,000-pod cluster while a 100-pod Deployment rolls
 * out a new image (the benchmark). The rollout runs in virtual time at --speed 600. While
 * it runs, the bench also labels a pod every 100 ms and times each label from its PATCH being sent
 * to its event reaching each watch (write → delivery, p50 and p99 over every watch and write).
 * Printed: the events delivered, those latencies, how long after the rollout finished the last
 * watch had every event, the rollout's wall time against the same rollout watched by one, and the
 * server's peak RSS.
 *   npx tsc -p . && node bench/serve-watch.bench.mjs [watches] [pods]
 */
import * as os from 'node:os';
import { ms, percentile, serve, tempCluster } from './serve-support.mjs';

const watches = Number(process.argv[2] ?? 200);
const pods = Number(process.argv[3] ?? 1000);
const rolling = 100;

/** @param {number} count watches */
async function run(count) {
  const cluster = tempCluster('kubesim-serve-watch-');
  cluster.kubesim('cluster', 'create', '--clock', 'manual', '--nodes', String(Math.ceil(pods / 100)));
  cluster.kubesim('create', 'deployment', 'bulk', '--image=nginx:1.27', `--replicas=${pods - rolling}`);
  cluster.kubesim('create', 'deployment', 'web', '--image=nginx:1.27', `--replicas=${rolling}`);
  cluster.kubesim('clock', 'advance', '1m');
  const server = await serve(cluster, ['--speed', '600']);
  const list = JSON.parse((await server.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dbulk')).body);
  const rv = list.metadata.resourceVersion;
  const probe = list.items[0].metadata.name;
  /** resourceVersion of each probe write → when its PATCH was sent */
  const probes = new Map();
  /** per watch: the highest resourceVersion of the rollout's events seen and when, events, and the probes' delivery times */
  const seen = Array.from({ length: count }, () => ({
    rv: 0,
    events: 0,
    at: 0n,
    lastProbe: 0,
    delivered: /** @type {Map<number, bigint>} */ (new Map()),
  }));
  const open = seen.map((s) =>
    server.watch(
      `/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`,
      (e) => {
        const at = process.hrtime.bigint();
        const eventRv = Number(e.object?.metadata?.resourceVersion ?? 0);
        s.events++;
        if (e.object?.metadata?.name === probe) {
          s.delivered.set(eventRv, at);
          s.lastProbe = Math.max(s.lastProbe, eventRv);
        } else if (eventRv > s.rv) {
          s.rv = eventRv;
          s.at = at;
        }
      },
      true,
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  const start = process.hrtime.bigint();
  const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } };
  const res = await server.request(
    'PATCH',
    '/apis/apps/v1/namespaces/default/deployments/web',
    JSON.stringify(patch),
    'application/strategic-merge-patch+json',
  );
  if (res.status !== 200) throw new Error(`PATCH: ${res.status} ${res.body}`);
  // a label on one bulk pod every 100 ms while the rollout runs (and at least 50): writes whose sending time is known
  let n = 0;
  let rolled = false;
  const prober = (async () => {
    while (!rolled || n < 50) {
      const sent = process.hrtime.bigint();
      const label = { metadata: { labels: { probe: String(n++) } } };
      const r = await server.request(
        'PATCH',
        `/api/v1/namespaces/default/pods/${probe}`,
        JSON.stringify(label),
        'application/merge-patch+json',
      );
      if (r.status !== 200) throw new Error(`probe PATCH: ${r.status} ${r.body}`);
      probes.set(Number(JSON.parse(r.body).metadata.resourceVersion), sent);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - ms(sent))));
    }
  })();
  /** @type {{ rv: number; at: bigint } | undefined} */
  let done;
  for (;;) {
    const d = JSON.parse((await server.request('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body);
    const s = d.status ?? {};
    if (
      s.updatedReplicas === rolling &&
      s.availableReplicas === rolling &&
      s.replicas === rolling &&
      d.status.observedGeneration >= d.metadata.generation
    ) {
      done = { rv: Number(d.metadata.resourceVersion), at: process.hrtime.bigint() };
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // every watch has caught up when it saw the rollout's last pod write (the probe pod's aside)
  const podList = JSON.parse((await server.request('GET', '/api/v1/namespaces/default/pods')).body);
  const lastPodRv = Math.max(
    ...podList.items
      .filter((/** @type {{ metadata: { name: string } }} */ p) => p.metadata.name !== probe)
      .map((/** @type {{ metadata: { resourceVersion: string } }} */ p) => Number(p.metadata.resourceVersion)),
  );
  const caughtUp = () => seen.every((s) => s.rv >= lastPodRv);
  const deadline = Date.now() + 120_000;
  while (!caughtUp() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const rolloutMs = ms(start);
  const lags = seen.map((s) => Number(s.at - done.at) / 1e6);
  rolled = true;
  await prober;
  // and every probe has reached every watch (or 30 s passed: the rest count as missed)
  const lastProbe = Math.max(...probes.keys());
  const probed = Date.now() + 30_000;
  while (seen.some((s) => s.lastProbe < lastProbe) && Date.now() < probed) await new Promise((r) => setTimeout(r, 20));
  const events = seen.reduce((total, s) => total + s.events, 0);
  /** write → delivery (ms) of every probe at every watch; a probe a watch never got counts as missed */
  const deliveries = [];
  let missed = 0;
  for (const s of seen)
    for (const [probeRv, sent] of probes) {
      const at = s.delivered.get(probeRv);
      if (at === undefined) missed++;
      else deliveries.push(Number(at - sent) / 1e6);
    }
  const rss = server.peakRssMb();
  for (const w of open) w.close();
  await server.stop();
  cluster.remove();
  if (!caughtUp()) throw new Error('watches did not catch up in 120 s');
  return { rolloutMs, lagP99: Math.max(0, percentile(lags, 99)), events, deliveries, missed, probes: probes.size, rss };
}

const one = await run(1);
const many = await run(watches);
console.log(`serve watch: load average ${os.loadavg()[0].toFixed(1)}`);
console.log(
  `serve watch: ${rolling}-pod rollout on a ${pods}-pod cluster, ${watches} watches: ${(many.rolloutMs / 1000).toFixed(1)} s wall vs ${(one.rolloutMs / 1000).toFixed(1)} s with 1 watch: ${(many.rolloutMs / one.rolloutMs).toFixed(2)}×`,
);
console.log(
  `serve watch: ${many.events} events delivered (${(many.events / watches).toFixed(0)} per watch), p99 lag of the last event after the rollout ${many.lagP99.toFixed(0)} ms`,
);
console.log(
  `serve watch: write → delivery of ${many.probes} label PATCHes to each of ${watches} watches: p50 ${percentile(many.deliveries, 50).toFixed(0)} ms, p99 ${percentile(many.deliveries, 99).toFixed(0)} ms, ${many.missed} missed (1 watch: p50 ${percentile(one.deliveries, 50).toFixed(0)} ms, p99 ${percentile(one.deliveries, 99).toFixed(0)} ms)`,
);
console.log(`serve watch: the server's peak RSS ${many.rss.toFixed(0)} MB (1 watch: ${one.rss.toFixed(0)} MB)`);
