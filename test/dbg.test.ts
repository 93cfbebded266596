import { it } from 'vitest';
import { manualCluster } from './support/cli';
it('dbg', async () => {
  const c = await manualCluster(['--nodes', '1', '--cpu', '2', '--memory', '8Gi']);
  await c.run('nodegroup', 'create', 'workers', '--max', '3', '--cpu', '2', '--memory', '8Gi', '--provision-seconds', '60');
  await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '3');
  await c.run('set', 'resources', 'deployment/web', '--requests', 'cpu=800m');
  await c.run('rollout', 'status', 'deployment/web', '--timeout', '10s');
  console.log((await c.run('watch', '--until', '2m', '--no-pace')).stdout);
  const d = await manualCluster();
  await d.run('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '1');
  await d.run('clock', 'advance', '10s');
  await d.run('delete', 'pod', '--all', '--wait=false');
  console.log((await d.run('get', 'pods', '--watch-only', '--output-watch-events', '--request-timeout', '20s')).stdout);
});
