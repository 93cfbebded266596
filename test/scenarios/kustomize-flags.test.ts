import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

// outputs and messages as kubectl kustomize v1.32 prints and writes them for the same trees
describe('kustomize --load-restrictor and -o', () => {
  it('refuses a resource file outside the kustomization root unless LoadRestrictionsNone', async () => {
    const c = await manualCluster();
    c.file('shared/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    c.file('base/kustomization.yaml', 'resources:\n- ../shared/cm.yaml\n');
    const base = path.join(c.dir, 'base');
    const file = path.join(c.dir, 'shared/cm.yaml');
    expect(await c.run('kustomize', 'base')).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: accumulating resources: accumulation err='accumulating resources from '../shared/cm.yaml': security; file '${file}' is not in or below '${base}'': must build at directory: '${file}': file is not directory\n`,
    });
    expect((await c.run('kustomize', 'base', '--load-restrictor', 'LoadRestrictionsNone')).stdout).toBe(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    );
    expect((await c.run('kustomize', 'base', '--load-restrictor', 'bogus')).stderr).toBe(
      'error: illegal flag value --load-restrictor bogus; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]\n',
    );
  });

  it('-o writes the stream to a file, or one file per object into a directory', async () => {
    const c = await manualCluster();
    c.file(
      'base/more.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Web, namespace: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n',
    );
    c.file('base/kustomization.yaml', 'resources:\n- more.yaml\n');
    expect(await c.run('kustomize', 'base', '-o', 'all.yaml')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(fs.readFileSync(path.join(c.dir, 'all.yaml'), 'utf8')).toBe((await c.run('kustomize', 'base')).stdout);
    fs.mkdirSync(path.join(c.dir, 'out'));
    await c.run('kustomize', 'base', '-o', 'out');
    expect(fs.readdirSync(path.join(c.dir, 'out')).sort()).toEqual(['a_apps_v1_deployment_web.yaml', 'default_v1_service_s.yaml']);
    expect((await c.run('kustomize', 'base', '-o', 'newdir/x.yaml')).stderr).toBe('error: open newdir/x.yaml: no such file or directory\n');
  });
});
