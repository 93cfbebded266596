import { it } from 'vitest';
import { manualCluster } from '../support/cli';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 500m, memory: 256Mi}, limits: {cpu: "1"}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

it('scratch', async () => {
  const c = await manualCluster(['--nodes', '1', '--cpu', '2', '--memory', '8Gi']);
  const log = async (...a: string[]) => { const r = await c.run(...a); console.log('$ ' + a.join(' ') + '\n' + r.stdout + r.stderr); return r; };
  await log('nodegroup', 'create', 'workers', '--min', '0', '--max', '5', '--cpu', '2', '--memory', '8Gi', '--provision-seconds', '90');
  await log('apply', '-f', c.file('web.yaml', WEB));
  await log('autoscale', 'deployment/web', '--min', '2', '--max', '10', '--cpu-percent', '50');
  await log('clock', 'advance', '60s');
  const r = await c.run('traffic', 'run', '--service', 'web', '--rps', '50', '--spike', '2000@30s-900s', '--duration', '4m', '-o', 'csv');
  console.log(r.stdout.split('\n').filter((_, i) => i % 4 === 0).join('\n'), r.stderr);
  await log('get', 'nodes');
  await log('get', 'nodegroups');
  await log('get', 'pods', '-o', 'wide');
  await log('get', 'hpa');
  await log('events', '--types', 'Normal');
  await log('clock', 'advance', '30m');
  await log('get', 'nodes');
  await log('get', 'nodegroups');
  await log('get', 'pods', '-o', 'wide');
  await log('get', 'hpa');
  await log('events');
});
