#!/usr/bin/env node
/*
 * kubesim serve: LIST of every pod of a big cluster over the API (the issue's 150,000 pods; the
 * Kubernetes SLO for a cluster-wide LIST is 30 s, kubesim aims for 3 s), as one request and as
 * kubectl pages it (limit=500 and continue). Needs the build:
 *   npx tsc -p . && node bench/serve-list.bench.mjs [pods]
 * Figures are medians of 3, printed with their ratio to the SLO.
 */
import { median, serve, tempCluster } from './serve-support.mjs';

const pods = Number(process.argv[2] ?? 150_000);
const cluster = tempCluster('kubesim-serve-list-');
const nodes = Math.ceil(pods / 100);
const createMs = cluster.kubesim('cluster', 'create', '--clock', 'manual', '--nodes', String(nodes));
const deployMs = cluster.kubesim('create', 'deployment', 'big', '--image=nginx:1.27', `--replicas=${pods}`);
console.log(`serve list: set-up ${pods} pods on ${nodes} nodes (${((createMs + deployMs) / 1000).toFixed(0)} s)`);
const server = await serve(cluster);
const whole = [];
const paged = [];
for (let i = 0; i < 3; i++) {
  const res = await server.request('GET', '/api/v1/pods');
  if (res.status !== 200) throw new Error(`LIST: ${res.status} ${res.body.slice(0, 200)}`);
  const count = JSON.parse(res.body).items.length;
  if (count !== pods) throw new Error(`LIST returned ${count} pods, not ${pods}`);
  whole.push(res.ms);
  let total = 0;
  let seen = 0;
  let token = '';
  do {
    const page = await server.request('GET', `/api/v1/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`);
    const list = JSON.parse(page.body);
    total += page.ms;
    seen += list.items.length;
    token = list.metadata.continue ?? '';
  } while (token);
  if (seen !== pods) throw new Error(`paged LIST returned ${seen} pods`);
  paged.push(total);
}
/** @param {number} t */
const slo = (t) => `${(t / 1000).toFixed(2)} s: ${(t / 30_000).toFixed(3)}× the SLO (30 s), ${(t / 3000).toFixed(2)}× the aim (3 s)`;
console.log(`serve list: LIST of ${pods} pods, one request ${slo(median(whole))}`);
console.log(`serve list: LIST of ${pods} pods in pages of 500 (as kubectl) ${slo(median(paged))}`);
await server.stop();
cluster.remove();
