/*
 * What the serve benchmarks share: a temp cluster, `kubesim serve` started on it, and an HTTPS
 * client with the kubeconfig's credentials.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const bin = path.join(root, 'bin', 'kubesim');
/** @param {bigint} start a process.hrtime.bigint() reading */
export const ms = (start) => Number(process.hrtime.bigint() - start) / 1e6;
/** @param {number[]} values */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** @param {number[]} values @param {number} p */
export const percentile = (values, p) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))];

/** A temp state file; `kubesim(...args)` runs a command on it and returns its wall time (ms).
 * @param {string} prefix
 */
export function tempCluster(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = { ...process.env, KUBESIM_STATE: path.join(dir, 'state.db') };
  /** @param {...string} args */
  const kubesim = (...args) => {
    const start = process.hrtime.bigint();
    // (the file itself, as a user's `kubesim` runs it: its first line's shell starts node, see bin/kubesim)
    const r = spawnSync(bin, args, { env, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`kubesim ${args.join(' ')}: ${r.stderr}`);
    return ms(start);
  };
  return { dir, env, kubesim, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * An event's type and its object's metadata.name and resourceVersion, from the line's text: the
 * first of each in a served object is its metadata's (owner references hold names, not versions;
 * metadata comes before spec and status).
 * @param {string} line
 */
function lightEvent(line) {
  const type = /"type":"(\w+)"/.exec(line)?.[1] ?? '';
  const name = /"name":"([^"]*)"/.exec(line)?.[1];
  const resourceVersion = /"resourceVersion":"(\d+)"/.exec(line)?.[1];
  return { type, object: { metadata: { name, resourceVersion } } };
}

/** Starts `kubesim serve` on the cluster; resolves with a client once it accepts connections.
 * @param {ReturnType<typeof tempCluster>} cluster @param {string[]} extra more `serve` flags
 */
export async function serve(cluster, extra = []) {
  const kubeconfig = path.join(cluster.dir, 'kubeconfig');
  // KUBESIM_BENCH_SERVE_NODE_FLAGS: node flags for the server alone (--cpu-prof --cpu-prof-dir=DIR profiles it)
  // (node's flags need node on the command line: the server then runs without bin/kubesim's first line)
  const flags = (process.env.KUBESIM_BENCH_SERVE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = ['serve', '--port', '0', '--kubeconfig', kubeconfig, ...extra];
  const child = flags.length
    ? spawn(process.execPath, [...flags, bin, ...args], { env: cluster.env })
    : spawn(bin, args, { env: cluster.env });
  // what the server says on stderr (a crash) shows in the bench's output
  child.stderr.on('data', (d) => process.stderr.write(d));
  // a bench that fails leaves no server behind
  const orphan = () => child.kill('SIGTERM');
  process.on('exit', orphan);
  await /** @type {Promise<void>} */ (
    new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => (out += d) && out.includes('\n') && resolve());
      child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    })
  );
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
  /**
   * one request: resolves with the status, the body and the wall time (ms)
   * @param {string} method @param {string} urlPath @param {string} [body] @param {string} [type] @param {string} [accept] @param {boolean} [retried]
   * @returns {Promise<{ status: number | undefined; body: string; ms: number }>}
   */
  const request = (method, urlPath, body, type = 'application/json', accept = 'application/json', retried = false) =>
    new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const req = https.request(`${url}${urlPath}`, { method, agent, headers: { 'content-type': type, accept } }, (res) => {
        /** @type {Buffer[]} */
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        // the time to the last byte (not this process's joining and decoding of a 430 MB body)
        res.on('end', () => {
          const took = ms(start);
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), ms: took });
        });
      });
      // a kept-alive socket the server closed while this process was busy (parsing a big body) is
      // tried again on a new one, as Go's transport (kubectl's) retries an idempotent request
      req.on('error', (e) =>
        req.reusedSocket && !retried && method === 'GET' && /** @type {{ code?: string }} */ (e).code === 'ECONNRESET'
          ? resolve(request(method, urlPath, body, type, accept, true))
          : reject(e),
      );
      req.end(body);
    });
  /**
   * a watch: onEvent(event) for each event until close(); `light`: the event's type and its
   * object's name and resourceVersion only, read from the text without parsing it (200 watches'
   * events parsed in full took the bench's one process longer than the server took to send them)
   * @param {string} urlPath @param {(event: { type: string; object?: { metadata?: { name?: string; resourceVersion?: string } } }) => void} onEvent @param {boolean} [light]
   */
  const watch = (urlPath, onEvent, light = false) => {
    const req = https.get(`${url}${urlPath}`, { agent }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (/** @type {string} */ d) => {
        buffer += d;
        let from = 0;
        for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', from)) {
          const line = buffer.slice(from, nl);
          from = nl + 1;
          onEvent(light ? lightEvent(line) : JSON.parse(line));
        }
        buffer = buffer.slice(from);
      });
    });
    req.on('error', () => undefined);
    return { close: () => req.destroy() };
  };
  const stop = async () => {
    agent.destroy();
    process.off('exit', orphan);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
  };
  /** the server's peak RSS so far (MB; Linux's VmHWM) */
  const peakRssMb = () => {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  };
  return { kubeconfig, request, watch, stop, peakRssMb, pid: child.pid };
}

/**
 * A cluster of `pods` Running pods as the scale bench builds one (bench/scale.bench.js: nodes of
 * 16 CPUs and 64 GiB, one Deployment "big" of pods/150 replicas and the rest in Deployments of
 * 100, applied in one `apply -f`, then 10 s of virtual time), kept at `file` so that a second run
 * copies it instead of applying again (150,000 pods take ~40 s to apply on the idle machine).
 * @param {ReturnType<typeof tempCluster>} cluster @param {number} pods @param {string} [file] where to keep the built state file
 * @returns {number} the set-up's wall time (ms), 0 when copied
 */
export function bigCluster(cluster, pods, file) {
  const state = cluster.env.KUBESIM_STATE;
  if (file && fs.existsSync(file)) {
    fs.copyFileSync(file, state);
    return 0;
  }
  const nodes = Math.max(1, Math.ceil(pods / 30));
  /** @param {string} name @param {number} replicas @param {string} image */
  const deployment = (name, replicas, image) =>
    `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: app
        image: ${image}
        resources: {requests: {cpu: 100m, memory: 128Mi}}
`;
  const big = Math.max(1, Math.round(pods / 150));
  const docs = [deployment('big', big, 'registry.example/big:1')];
  for (let i = 0, left = pods - big; left > 0; i++, left -= 100)
    docs.push(deployment(`app-${i}`, Math.min(100, left), `registry.example/app:${i % 20}`));
  const manifest = path.join(cluster.dir, 'manifest.yaml');
  fs.writeFileSync(manifest, docs.join('---\n'));
  let total = cluster.kubesim('cluster', 'create', '--clock', 'manual', '--nodes', String(nodes), '--cpu', '16', '--memory', '64Gi');
  total += cluster.kubesim('apply', '-f', manifest);
  total += cluster.kubesim('clock', 'advance', '10s');
  if (file) fs.copyFileSync(state, file);
  return total;
}
