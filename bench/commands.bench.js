'use strict';
/*
 * Containers that run their commands: a 1,000-pod Deployment running
 * `while true; do echo tick; sleep 1; done`, advanced by one hour of virtual time, against the
 * same Deployment of timeline pods (no command). Target ≤ 2×: a loop nobody reads is recorded
 * as a period, not stepped second by second. Then `logs` of one pod (3,600 lines made on demand).
 */
const fs = require('node:fs');
const path = require('node:path');

/** @param {boolean} command */
function deployment(command) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: tick}
spec:
  replicas: 1000
  selector: {matchLabels: {app: tick}}
  template:
    metadata: {labels: {app: tick}}
    spec:
      containers:
      - name: app
        image: ${command ? 'busybox:1.36' : 'nginx:1.27'}
${command ? `        command: [sh, -c, 'while true; do echo tick; sleep 1; done']\n` : ''}`;
}

/** @type {import('./bench').Benches} */
module.exports = {
  commands({ kubesim, timed, report, tmp, takePeakRss }) {
    /** @type {(name: string, command: boolean) => { state: string; advance: number; rss: number }} */
    const run = (name, command) => {
      const state = path.join(tmp, `${name}.db`);
      kubesim(state, ['cluster', 'create', '--clock', 'manual', '--nodes', '20']);
      const file = path.join(tmp, `${name}.yaml`);
      fs.writeFileSync(file, deployment(command));
      kubesim(state, ['apply', '-f', file]);
      kubesim(state, ['clock', 'advance', '10s']);
      takePeakRss();
      const advance = timed(() => kubesim(state, ['clock', 'advance', '1h'])).ms;
      return { state, advance, rss: takePeakRss() };
    };
    const base = run('commands-timeline', false);
    const ticks = run('commands-tick', true);
    report('clock advance 1h, 1,000 timeline pods', base.advance, 'ms', undefined, undefined);
    report('clock advance 1h, 1,000 pods running a tick loop', ticks.advance, 'ms', base.advance, 'timeline', '≤ 2×');
    report('  peak RSS (tick loop)', ticks.rss, 'MB', base.rss, 'timeline');
    const pod = kubesim(ticks.state, ['get', 'pods', '-o', 'name']).split('\n')[0];
    const logs = timed(() => kubesim(ticks.state, ['logs', pod]));
    report(`  logs of one pod (${logs.result.split('\n').length - 1} lines)`, logs.ms, 'ms', undefined, undefined);
  },
};
