#!/usr/bin/env node
/*
 * kubesim benchmarks. Every figure is printed next to a baseline measured in the same
 * run on the same machine (ratios, not absolute times: machines here are noisy).
 * Requires the build (npm install runs it). Usage: npm run bench [-- name...]
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'kubesim');
// names of benches to run, and --pods=N --nodes=M to run the scale benches at another size (quick runs)
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
/** @param {string} name */
const flag = (name) => {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? undefined : Number(a.slice(name.length + 3));
};
const scale = { pods: flag('pods'), nodes: flag('nodes') };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-bench-'));

/** @param {bigint} start a process.hrtime.bigint() reading */
function ms(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** @param {number[]} values */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** @type {import('./bench').BenchContext['timeCommand']} */
function timeCommand(cmd, args, n, env = {}) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    times.push(ms(start));
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(times);
}

let peakRssMb = 0;
/** @type {import('./bench').BenchContext['kubesim']} */
function kubesim(state, args, input) {
  // (the file itself, as a user's `kubesim` runs it: its first line's shell starts node, see bin/kubesim)
  const r = spawnSync(bin, args, {
    env: { ...process.env, KUBESIM_STATE: state, KUBESIM_REPORT_RSS: '1' },
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`kubesim ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /kubesim: max RSS (\d+) MB/.exec(r.stderr);
  if (rss) peakRssMb = Math.max(peakRssMb, Number(rss[1]));
  return r.stdout;
}

/** Peak RSS of the kubesim processes since the last call. */
function takePeakRss() {
  const v = peakRssMb;
  peakRssMb = 0;
  return v;
}

/** @template T @param {() => T} fn @returns {{ ms: number; result: T }} */
function timed(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: ms(start), result };
}

/**
 * The yardstick, measured in this run: better-sqlite3 inserting n pod-sized rows (a
 * Running pod as the API serves it, ~2.3 KB of JSON, each with its own name and uid) into a
 * table keyed like kubesim's, one transaction, with kubesim's pragmas (WAL, synchronous=NORMAL,
 * 16 KiB pages). What SQLite alone needs to write that many pods; median of 3.
 * @param {number} n
 */
function rawInsertMs(n) {
  /** @type {typeof import('better-sqlite3')} */
  const Database = require(path.join(root, 'node_modules', 'better-sqlite3'));
  const pod = JSON.stringify(POD_ROW);
  const times = [];
  for (let run = 0; run < 3; run++) {
    const file = path.join(tmp, `raw-insert-${run}.db`);
    const start = process.hrtime.bigint();
    const db = new Database(file);
    db.pragma('page_size = 16384');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(
      'CREATE TABLE objects (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, uid TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL); CREATE UNIQUE INDEX objects_key ON objects (kind, namespace, name);',
    );
    const insert = db.prepare('INSERT INTO objects (kind, namespace, name, uid, rv, data) VALUES (?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const name = `app-${i % 1500}-6456f98d44-${i.toString(36).padStart(5, '0')}`;
        const uid = `da9fbf2f-cf98-43a9-8f57-${i.toString(16).padStart(12, '0')}`;
        insert.run('Pod', 'default', name, uid, i + 1, pod.replace('NAME', name).replace('UID', uid));
      }
    })();
    db.close();
    times.push(ms(start));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
  return median(times);
}

/** A Running pod of a Deployment as `kubectl get pod -o json` shows it (managedFields left out): the baseline's row. */
const POD_ROW = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    creationTimestamp: '2025-01-01T00:00:00Z',
    generateName: 'app-5-6456f98d44-',
    labels: { app: 'app-5', 'pod-template-hash': '6456f98d44' },
    name: 'NAME',
    namespace: 'default',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        blockOwnerDeletion: true,
        controller: true,
        kind: 'ReplicaSet',
        name: 'app-5-6456f98d44',
        uid: '3c997095-5e3c-4197-a1f6-2664628b75a7',
      },
    ],
    resourceVersion: '1706',
    uid: 'UID',
  },
  spec: {
    containers: [
      {
        image: 'registry.example/app:5',
        imagePullPolicy: 'IfNotPresent',
        name: 'app',
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      },
    ],
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    nodeName: 'node-3',
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: 'default',
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    tolerations: [
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ],
  },
  status: {
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
      lastProbeTime: null,
      lastTransitionTime: '2025-01-01T00:00:04Z',
      status: 'True',
      type,
    })),
    containerStatuses: [
      {
        containerID: 'containerd://c8761e4c60c55f844bb1c8a5749280a5b1551da0216b9a8cfdd58eb17d96f645',
        image: 'registry.example/app:5',
        imageID: 'registry.example/app@sha256:709df445a5713a32d57919aa99adf285a97567b90a03ba82ad62bf6e1ed06305',
        lastState: {},
        name: 'app',
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: '2025-01-01T00:00:01Z' } },
      },
    ],
    hostIP: '172.18.0.4',
    hostIPs: [{ ip: '172.18.0.4' }],
    phase: 'Running',
    podIP: '10.244.2.11',
    podIPs: [{ ip: '10.244.2.11' }],
    qosClass: 'Burstable',
    startTime: '2025-01-01T00:00:00Z',
  },
};

/** @type {import('./bench').BenchContext['report']} */
function report(name, value, unit, baseline, baselineName, target) {
  const ratio = baseline ? ` = ${(value / baseline).toFixed(2)}× ${baselineName}` : '';
  const goal = target ? `  (target ${target})` : '';
  console.log(`${name.padEnd(58)} ${value.toFixed(1).padStart(9)} ${unit}${ratio}${goal}`);
}

/** @type {import('./bench').Benches} */
const benches = {
  startup() {
    const state = path.join(tmp, 'startup.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual']);
    const docs = [];
    for (let i = 0; i < 100; i++)
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n`);
    kubesim(state, ['apply', '-f', '-'], docs.join('---\n'));
    const base = path.join(tmp, 'startup-base.db');
    fs.copyFileSync(state, base);
    const node0 = () => spawnSync(process.execPath, ['-e', '0']);
    // each run next to a node -e 0 run (A B A B …): the median of the pair ratios holds on a busy machine
    /** @type {(n: number, before: () => void, cmd: () => unknown) => { ms: number; ratio: number }} */
    const paired = (n, before, cmd) => {
      const ratios = [];
      const times = [];
      for (let i = 0; i < n; i++) {
        before();
        const a = timed(cmd).ms;
        const b = timed(node0).ms;
        times.push(a);
        ratios.push(a / b);
      }
      return { ms: median(times), ratio: median(ratios) };
    };
    const get = paired(
      11,
      () => undefined,
      () => kubesim(state, ['get', 'pods']),
    );
    report('kubesim get pods, 100 pods', get.ms, 'ms', undefined, undefined);
    console.log(`${'  paired with node -e 0 (median ratio)'.padEnd(58)} ${get.ratio.toFixed(2).padStart(9)} ×   (target ≤ 2.5×)`);
    const deployment =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n' +
      '  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n';
    const fresh = path.join(tmp, 'startup-apply.db');
    const apply = paired(
      11,
      () => fs.copyFileSync(base, fresh),
      () => kubesim(fresh, ['apply', '-f', '-'], deployment),
    );
    report('kubesim apply -f (one Deployment), 100 pods', apply.ms, 'ms', undefined, undefined);
    console.log(`${'  paired with node -e 0 (median ratio)'.padEnd(58)} ${apply.ratio.toFixed(2).padStart(9)} ×`);
    // our modules a read loads (dist/, not node's or packages'): what the start-up time mostly is
    const count = spawnSync(
      process.execPath,
      [
        '-e',
        `const M=require('module');const l=M._load;const s=new Set();M._load=function(r,p){const m=l.apply(this,arguments);try{s.add(M._resolveFilename(r,p))}catch{}return m};process.on('exit',()=>process.stderr.write('modules '+[...s].filter(f=>f.startsWith(${JSON.stringify(path.join(root, 'dist'))})).length+'\\n'));process.argv.splice(1,0,${JSON.stringify(bin)});require(${JSON.stringify(bin)})`,
        'get',
        'pods',
      ],
      { env: { ...process.env, KUBESIM_STATE: state }, encoding: 'utf8' },
    );
    report('  modules of ours loaded by get pods', Number(/modules (\d+)/.exec(count.stderr)?.[1] ?? NaN), '');
    const big = path.join(tmp, 'startup-5000.db');
    const create = [];
    for (let i = 0; i < 3; i++) {
      fs.rmSync(big, { force: true });
      create.push(timed(() => kubesim(big, ['cluster', 'create', '--clock', 'manual', '--nodes', '5000'])).ms);
    }
    report('kubesim cluster create --nodes 5000', median(create), 'ms', undefined, undefined, '≤ 1000 ms');
  },
  apply1000() {
    const state = path.join(tmp, 'apply.db');
    kubesim(state, ['cluster', 'create', '--clock', 'manual']);
    const docs = [];
    for (let i = 0; i < 1000; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n`);
    const file = path.join(tmp, 'cm.yaml');
    fs.writeFileSync(file, docs.join('---\n'));
    const baseline = timeCommand(process.execPath, ['-e', '0'], 5);
    const t = timed(() => kubesim(state, ['apply', '-f', file]));
    report('kubesim apply -f (1,000 objects)', t.ms, 'ms', baseline, 'node -e 0', '≤ 1000 ms');
  },
};

// other benchmark files register themselves: bench/<name>.bench.js exporting { name: fn }
for (const f of fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.js'))
  .sort())
  Object.assign(benches, require(path.join(__dirname, f)));

console.log(
  `kubesim benchmarks — ${os.cpus().length} cores, node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log(
  'baselines: "raw insert" and "node -e 0" are measured in this run; kube-scheduler\'s CI floor and KWOK are published constants',
);
for (const [name, fn] of Object.entries(benches)) {
  if (only.length ? !only.includes(name) : fn.onlyWhenNamed) continue;
  try {
    fn({ kubesim, timed, timeCommand, report, tmp, root, takePeakRss, rawInsertMs, scale });
  } catch (e) {
    console.log(`${name}: FAILED ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
