'use strict';
/*
 * End-to-end scale (issue #22): 150,000 pods from Deployments on 5,000 nodes, apply → all Running,
 * as a ratio to the raw better-sqlite3 insert of as many pod-sized rows measured in the same run;
 * then the commands a user runs on that settled cluster. `node bench/run.js scale --pods=15000
 * --nodes=500` runs it at a tenth of the size (the figures then say so). Published constants
 * printed beside: kube-scheduler's CI floor at 5,000 nodes (~270 pods/s) and KWOK (~20 pods/s).
 */
const fs = require('node:fs');
const path = require('node:path');

const ZONE_SPREAD = `
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: DoNotSchedule
        labelSelector:
          matchLabels: {app: APP}`;

/** @param {string} name @param {number} replicas @param {string} image */
function deployment(name, replicas, image, extra = '') {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:${extra.replaceAll('APP', name)}
      containers:
      - name: app
        image: ${image}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
`;
}

/** `pods` pods: one Deployment "big" of pods/150 replicas (1,000 at 150k), the rest in Deployments of 100.
 * @param {number} pods @param {string} extra
 */
function manifest(pods, extra) {
  const big = Math.max(1, Math.round(pods / 150));
  const docs = [deployment('big', big, 'registry.example/big:1', extra)];
  let left = pods - big;
  for (let i = 0; left > 0; i++) {
    const n = Math.min(100, left);
    docs.push(deployment(`app-${i}`, n, `registry.example/app:${i % 20}`, extra));
    left -= n;
  }
  return { text: docs.join('---\n'), big };
}

/**
 * @typedef {object} Scale one end-to-end run
 * @property {string} name the state file's name
 * @property {number} nodes
 * @property {number} pods
 * @property {string} [extra] added to each pod template's spec
 * @property {string} what shown in the report
 * @property {string} [target] of the ratio to the raw insert
 * @property {string} [rssTarget] of the peak RSS (≤ 1024 MB unless given)
 * @property {boolean} [settled] then time the commands a user runs on the settled cluster
 */

/** @param {import('./bench').BenchContext} ctx @param {Scale} scale */
function endToEnd(ctx, { name, nodes, pods, extra = '', what, target, rssTarget = '≤ 1024 MB', settled }) {
  const { kubesim, timed, report, tmp, takePeakRss, rawInsertMs } = ctx;
  const at = `${pods.toLocaleString('en')} pods on ${nodes.toLocaleString('en')} nodes`;
  const raw = rawInsertMs(pods);
  report(`raw better-sqlite3 insert of ${pods.toLocaleString('en')} pod-sized rows`, raw, 'ms', undefined, undefined, 'baseline');
  takePeakRss();
  const state = path.join(tmp, `${name}.db`);
  const created = timed(() =>
    kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', String(nodes), '--cpu', '16', '--memory', '64Gi']),
  );
  report(`cluster create --nodes ${nodes}`, created.ms, 'ms', undefined, undefined, nodes === 5000 ? '≤ 1000 ms' : undefined);
  const file = path.join(tmp, `${name}.yaml`);
  const { text, big } = manifest(pods, extra);
  fs.writeFileSync(file, text);
  const applied = timed(() => kubesim(state, ['apply', '-f', file]));
  const running = timed(() => kubesim(state, ['clock', 'advance', '10s']));
  const check = kubesim(state, ['get', 'pods', '-A', '--field-selector', 'status.phase!=Running', '-o', 'name']);
  const notRunning = check.trim() ? check.trim().split('\n').length : 0;
  const total = applied.ms + running.ms;
  report(`${at} (${what}): apply`, applied.ms, 'ms');
  report(`${at} (${what}): apply → all Running`, total, 'ms', raw, 'raw insert', target);
  const podsPerSecond = (pods / total) * 1000;
  report(`  end-to-end pods/s vs kube-scheduler floor (published)`, podsPerSecond, 'pods/s', 270, 'kube-scheduler');
  report(`  end-to-end pods/s vs KWOK (published)`, podsPerSecond, 'pods/s', 20, 'KWOK');
  report('  peak RSS of one kubesim command', takePeakRss(), 'MB', undefined, undefined, rssTarget);
  if (notRunning) console.log(`  WARNING: ${notRunning} pods not Running`);
  if (!settled) return;
  // the commands a user runs on the settled cluster (each a separate process, as a user runs them)
  /** @param {string} app */
  const podOf = (app) =>
    kubesim(state, ['get', 'pods', '-l', `app=${app}`, '-o', 'name'])
      .trim()
      .split('\n')[0]
      .replace('pod/', '');
  const labelled = podOf('app-1');
  const deleted = podOf('app-2');
  const node = kubesim(state, ['get', 'pod', podOf('app-3'), '-o', 'jsonpath={.spec.nodeName}']).trim();
  /** @type {{ args: string[]; then?: string[]; target?: string }[]} */
  const commands = [
    { args: ['get', 'deployments'], target: '≤ 300 ms' },
    { args: ['get', 'pods', '-A'], target: '≤ 2000 ms' },
    { args: ['describe', 'node', 'node-1'] },
    { args: ['scale', 'deployment/app-0', '--replicas=150'], target: '≤ 1500 ms' },
    { args: ['label', 'pod', labelled, 'bench=yes'], target: '≤ 1500 ms' },
    { args: ['delete', 'pod', deleted], target: '≤ 1500 ms' },
    { args: ['rollout', 'restart', 'deployment/big'], then: ['rollout', 'status', 'deployment/big'], target: '≤ 1500 ms' },
    { args: ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data'], target: '≤ 1500 ms' },
  ];
  takePeakRss();
  let peak = 0;
  for (const { args, then, target: goal } of commands) {
    const t = timed(() => {
      kubesim(state, args);
      if (then) kubesim(state, then);
    });
    const shown =
      args[0] === 'rollout' ? `rollout restart of a ${big}-replica Deployment to completion` : args.join(' ').replace(node, 'NODE');
    const rss = takePeakRss();
    peak = Math.max(peak, rss);
    report(`  ${shown} (${at})`, t.ms, 'ms', undefined, undefined, goal);
    report('    its peak RSS', rss, 'MB');
  }
  report('  peak RSS of the settled-cluster commands', peak, 'MB', undefined, undefined, '≤ 1024 MB');
}

/** @param {import('./bench').BenchContext} ctx @param {number} nodes @param {number} pods */
function sized(ctx, nodes, pods) {
  return { nodes: ctx.scale.nodes ?? nodes, pods: ctx.scale.pods ?? pods };
}

/** @type {import('./bench').Benches} */
module.exports = {
  scale(ctx) {
    endToEnd(ctx, { name: 'scale', ...sized(ctx, 5000, 150000), what: 'system default spread', target: '≤ 12×', settled: true });
  },
  scaleZoneSpread(ctx) {
    endToEnd(ctx, { name: 'scale-zone', ...sized(ctx, 5000, 150000), extra: ZONE_SPREAD, what: 'zone spread maxSkew 1', target: '≤ 15×' });
  },
  /** beyond Kubernetes' limits: only when named (`node bench/run.js scale10k`), it needs ~2 GB */
  scale10k: Object.assign(
    (/** @type {import('./bench').BenchContext} */ ctx) =>
      endToEnd(ctx, { name: 'scale10k', ...sized(ctx, 10000, 300000), what: 'system default spread', rssTarget: '≤ 2048 MB' }),
    { onlyWhenNamed: true },
  ),
};
