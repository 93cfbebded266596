#!/usr/bin/env node
/*
 * kubesim serve: 200 concurrent watches on a 1,000-pod cluster while a 100-pod Deployment rolls
 * out a new image (the benchmark). The rollout runs in virtual time at --speed 600; the
 * figure is how long after the rollout finished the last of the watches had every event, and
 * the rollout's wall time with 200 watches open against the same rollout watched by one.
 *   npx tsc -p . && node bench/serve-watch.bench.mjs [watches] [pods]
 */
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
  const list = JSON.parse((await server.request('GET', '/api/v1/namespaces/default/pods?limit=1')).body);
  const rv = list.metadata.resourceVersion;
  /** per watch: the highest resourceVersion seen and when */
  const seen = Array.from({ length: count }, () => ({ rv: 0, events: 0, at: 0n }));
  const open = seen.map((s) =>
    server.watch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`, (e) => {
      s.rv = Math.max(s.rv, Number(e.object?.metadata?.resourceVersion ?? 0));
      s.events++;
      s.at = process.hrtime.bigint();
    }),
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
  // every watch has caught up when it saw a pod change at or after the Deployment's last write
  // (the pods' last changes come before it) — or nothing is left to see: wait for quiet
  const podList = JSON.parse((await server.request('GET', '/api/v1/namespaces/default/pods')).body);
  const lastPodRv = Math.max(
    ...podList.items.map((/** @type {{ metadata: { resourceVersion: string } }} */ p) => Number(p.metadata.resourceVersion)),
  );
  const caughtUp = () => seen.every((s) => s.rv >= lastPodRv);
  const deadline = Date.now() + 120_000;
  while (!caughtUp() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const rolloutMs = ms(start);
  const lags = seen.map((s) => Number(s.at - done.at) / 1e6);
  const events = seen.reduce((n, s) => n + s.events, 0);
  for (const w of open) w.close();
  await server.stop();
  cluster.remove();
  if (!caughtUp()) throw new Error('watches did not catch up in 120 s');
  return { rolloutMs, lagP99: Math.max(0, percentile(lags, 99)), events };
}

const one = await run(1);
const many = await run(watches);
console.log(
  `serve watch: ${rolling}-pod rollout on a ${pods}-pod cluster, ${watches} watches: ${(many.rolloutMs / 1000).toFixed(1)} s wall vs ${(one.rolloutMs / 1000).toFixed(1)} s with 1 watch: ${(many.rolloutMs / one.rolloutMs).toFixed(2)}×`,
);
console.log(
  `serve watch: ${many.events} events delivered (${(many.events / watches).toFixed(0)} per watch), p99 lag of the last event after the rollout ${many.lagP99.toFixed(0)} ms`,
);
