import { it } from 'vitest';
import { manualCluster } from '../support/cli';

it('scratch', async () => {
  const c = await manualCluster();
  const log = async (...a: string[]) => { const r = await c.run(...a); console.log('$ ' + a.join(' ') + '\n' + r.stdout + r.stderr + `(exit ${r.code})`); return r; };
  await log('create', 'deployment', 'web', '--image', 'nginx:1.27', '--replicas', '2');
  await log('get', 'pods', '-w');
  await log('scale', 'deployment', 'web', '--replicas', '3');
  await log('get', 'pods', '-w', '--output-watch-events');
  await log('delete', 'pod', '--all', '--wait=false');
  await log('get', 'pods', '--watch-only', '--request-timeout', '5s');
  await log('get', 'pods', '-w');
  await log('get', 'pods,deploy', '-w');
  await log('get', 'pods', '-w', '--request-timeout', 'abc');
  await log('get', 'deploy', 'web', '-w', '-o', 'name');
});
