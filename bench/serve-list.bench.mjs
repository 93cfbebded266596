#!/usr/bin/env node
/*
 * kubesim serve: LIST of every pod of a big cluster over the API (the issue's 150,000 pods; the
 * Kubernetes SLO for a cluster-wide LIST is 30 s, kubesim aims for 3 s): as one request, as
 * kubectl pages it (limit=500 and continue), and as `kubectl get pods -A` asks for it (Tables,
 * pages of 500). Needs the build:
 *   npx tsc -p . && node bench/serve-list.bench.mjs [pods] [--keep=FILE]
 * --keep=FILE keeps the built cluster in FILE and copies it from there on the next run (building
 * 150,000 pods takes ~40 s on the idle machine). Figures are medians of 3, printed with their
 * ratio to the SLO, and the server's peak RSS.
 */
import * as os from 'node:os';
import { bigCluster, median, serve, tempCluster } from './serve-support.mjs';

const args = process.argv.slice(2);
const pods = Number(args.find((a) => !a.startsWith('--')) ?? 150_000);
const keep = args.find((a) => a.startsWith('--keep='))?.slice('--keep='.length);
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const cluster = tempCluster('kubesim-serve-list-');
const setUp = bigCluster(cluster, pods, keep);
console.log(`serve list: ${pods} pods (set-up ${(setUp / 1000).toFixed(0)} s), load average ${os.loadavg()[0].toFixed(1)}`);
const server = await serve(cluster);

/** every page of a LIST: the total wall time (ms) and how many items or rows came
 * @param {string} query @param {string} accept @param {number} limit 0: one request
 */
async function list(query, accept, limit) {
  let total = 0;
  let seen = 0;
  let token = '';
  do {
    const paging = limit ? `${query ? '&' : '?'}limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}` : '';
    const page = await server.request('GET', `/api/v1/pods${query}${paging}`, undefined, 'application/json', accept);
    if (page.status !== 200) throw new Error(`LIST: ${page.status} ${page.body.slice(0, 200)}`);
    const body = JSON.parse(page.body);
    total += page.ms;
    seen += (body.items ?? body.rows).length;
    token = body.metadata.continue ?? '';
  } while (token);
  if (seen !== pods) throw new Error(`LIST returned ${seen} pods, not ${pods}`);
  return total;
}

const runs = {
  'one request': { query: '', accept: 'application/json', limit: 0, times: /** @type {number[]} */ ([]) },
  'pages of 500 (as kubectl)': { query: '', accept: 'application/json', limit: 500, times: /** @type {number[]} */ ([]) },
  'Tables in pages of 500 (kubectl get pods -A)': { query: '', accept: TABLE, limit: 500, times: /** @type {number[]} */ ([]) },
};
for (let i = 0; i < 3; i++) for (const run of Object.values(runs)) run.times.push(await list(run.query, run.accept, run.limit));
/** @param {number} t */
const slo = (t) => `${(t / 1000).toFixed(2)} s: ${(t / 30_000).toFixed(3)}× the SLO (30 s), ${(t / 3000).toFixed(2)}× the aim (3 s)`;
for (const [what, run] of Object.entries(runs))
  console.log(
    `serve list: LIST of ${pods} pods, ${what} ${slo(median(run.times))} (the first of the 3: ${(run.times[0] / 1000).toFixed(2)} s)`,
  );
console.log(`serve list: the server's peak RSS ${server.peakRssMb().toFixed(0)} MB, load average ${os.loadavg()[0].toFixed(1)}`);
await server.stop();
cluster.remove();
