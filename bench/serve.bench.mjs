#!/usr/bin/env node
/*
 * kubesim serve: the real kubectl over the API against kubesim's own CLI on the same state file,
 * and the latency of mutating requests through the HTTPS server. Needs the build and kubectl v1.32:
 *   npx tsc -p . && node bench/serve.bench.mjs [pods]
 * Figures are medians of repeated runs, printed as ratios to the baseline measured in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'kubesim');
const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const pods = Number(process.argv[2] ?? 100);
if (!fs.existsSync(KUBECTL)) {
  console.log(`serve: skipped (${KUBECTL} is not installed)`);
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-serve-bench-'));
const state = path.join(tmp, 'state.db');
const env = { ...process.env, KUBESIM_STATE: state };

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** @param {number[]} values @param {number} p */
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];
/** @param {bigint} start */
const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;

/** @param {string} cmd @param {string[]} args */
function run(cmd, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return ms(start);
}

run(bin, ['cluster', 'create', '--clock', 'manual', '--nodes', '10']);
run(bin, ['create', 'deployment', 'web', '--image=nginx:1.27', `--replicas=${pods}`]);
run(bin, ['clock', 'advance', '1m']);

const kubeconfig = path.join(tmp, 'kubeconfig');
const server = spawn(bin, ['serve', '--port', '0', '--kubeconfig', kubeconfig], { env });
await /** @type {Promise<void>} */ (
  new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => (out += d) && out.includes('\n') && resolve());
    server.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  })
);

/** @type {<T>(n: number, fn: () => T) => T[]} */
const times = (n, fn) => Array.from({ length: n }, fn);
const viaCli = median(times(7, () => run(bin, ['get', 'pods'])));
const cache = path.join(tmp, 'cache');
const viaApi = median(times(7, () => run(KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cache, 'get', 'pods'])));
console.log(
  `serve: kubectl get pods over the API (${pods} pods) ${viaApi.toFixed(0)} ms vs kubesim get pods ${viaCli.toFixed(0)} ms: ${(viaApi / viaCli).toFixed(2)}×`,
);

// mutating requests: merge patches of a label, one after another, through the HTTPS listener
const config = YAML.parse(fs.readFileSync(kubeconfig, 'utf8'));
/** @param {string} s */
const b64 = (s) => Buffer.from(s, 'base64').toString('utf8');
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: Infinity,
  ca: b64(config.clusters[0].cluster['certificate-authority-data']),
  cert: b64(config.users[0].user['client-certificate-data']),
  key: b64(config.users[0].user['client-key-data']),
});
const url = config.clusters[0].cluster.server;
/** @param {string} method @param {string} urlPath @param {string} [body] @returns {Promise<number>} the wall time (ms) */
function request(method, urlPath, body, type = 'application/json') {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = https.request(`${url}${urlPath}`, { method, agent, headers: { 'content-type': type } }, (res) => {
      res.resume();
      res.on('end', () =>
        (res.statusCode ?? 0) < 300 ? resolve(ms(start)) : reject(new Error(`${method} ${urlPath}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}
await request(
  'POST',
  '/api/v1/namespaces/default/configmaps',
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench' } }),
);
const latencies = [];
for (let i = 0; i < 100; i++)
  latencies.push(
    await request(
      'PATCH',
      '/api/v1/namespaces/default/configmaps/bench',
      JSON.stringify({ metadata: { labels: { n: String(i) } } }),
      'application/merge-patch+json',
    ),
  );
const p99 = percentile(latencies, 99);
console.log(
  `serve: mutating requests (100 sequential PATCHes, ${pods} pods in the file) p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms: ${(p99 / 1000).toFixed(3)}× the Kubernetes SLO (1 s)`,
);
// the figure: mutating requests arriving at 100 a second (each sent on time, whether or
// not the ones before were answered), 10 seconds of them, spread over 10 ConfigMaps
for (let i = 0; i < 10; i++)
  await request(
    'POST',
    '/api/v1/namespaces/default/configmaps',
    JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `rate-${i}` } }),
  );
/** @param {number} count requests sent at 100/s @returns {Promise<number[]>} their latencies (ms) */
async function paced(count) {
  /** @type {Promise<number>[]} */
  const sent = [];
  const began = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const wait = i * 10 - ms(began);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sent.push(
      request(
        'PATCH',
        `/api/v1/namespaces/default/configmaps/rate-${i % 10}`,
        JSON.stringify({ data: { n: String(i) } }),
        'application/merge-patch+json',
      ),
    );
  }
  return Promise.all(sent);
}
// 2 s not counted first: the connections a client keeps (TLS handshakes with a client certificate
// cost the server milliseconds each) and the server's compiled code, as a long-running client finds them
await paced(200);
const began = process.hrtime.bigint();
const rated = await paced(1000);
const took = ms(began) / 1000;
const rateP99 = percentile(rated, 99);
console.log(
  `serve: mutating requests at 100/s (1,000 merge PATCHes in ${took.toFixed(1)} s, ${pods} pods in the file) p50 ${percentile(rated, 50).toFixed(1)} ms, p99 ${rateP99.toFixed(1)} ms: ${(rateP99 / 1000).toFixed(3)}× the Kubernetes SLO (1 s), ${(rateP99 / 50).toFixed(2)}× the aim (50 ms); load average ${os.loadavg()[0].toFixed(1)}`,
);
const lists = [];
for (let i = 0; i < 10; i++) lists.push(await request('GET', '/api/v1/pods'));
console.log(`serve: LIST of ${pods} pods ${median(lists).toFixed(1)} ms: ${(median(lists) / 30000).toFixed(4)}× the Kubernetes SLO (30 s)`);
agent.destroy();
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));
fs.rmSync(tmp, { recursive: true, force: true });
