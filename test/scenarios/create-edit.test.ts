import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: dev\n';

async function createEdit(editor: string, ...args: string[]) {
  const c = await manualCluster();
  c.file('cm.yaml', CM);
  const r = await kubesim(c.state, ['create', '-f', 'cm.yaml', '--edit', ...args], {
    cwd: c.dir,
    env: { KUBE_EDITOR: editor, PATH: process.env.PATH ?? '' },
  });
  return { c, r };
}

describe('create --edit (EditBeforeCreateMode) and --windows-line-endings', () => {
  it('creates the object as saved in the editor', async () => {
    const { c, r } = await createEdit("sed -i 's/mode: dev/mode: prod/'");
    expect(r).toEqual({ code: 0, stdout: 'configmap/cfg created\n', stderr: '' });
    expect((await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.data.mode}')).stdout).toBe('prod');
  });

  it('shows the object under kubectl edit header in yaml, and in json without it with -o json', async () => {
    const c = await manualCluster();
    const copy = path.join(c.dir, 'seen');
    c.file('cm.yaml', CM);
    const env = { KUBE_EDITOR: `sh -c 'cp "$0" ${copy}; sed -i s/dev/prod/ "$0"'`, PATH: process.env.PATH ?? '' };
    await kubesim(c.state, ['create', '-f', 'cm.yaml', '--edit'], { cwd: c.dir, env });
    expect(fs.readFileSync(copy, 'utf8')).toBe(
      "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\napiVersion: v1\ndata:\n  mode: dev\nkind: ConfigMap\nmetadata:\n  name: cfg\n",
    );
    c.file('cm2.yaml', CM.replace('name: cfg', 'name: cfg2'));
    const r = await kubesim(c.state, ['create', '-f', 'cm2.yaml', '--edit', '-o', 'json'], { cwd: c.dir, env });
    expect(fs.readFileSync(copy, 'utf8').startsWith('{\n    "apiVersion": "v1",')).toBe(true);
    expect(JSON.parse(r.stdout).data).toEqual({ mode: 'prod' });
  });

  it('--windows-line-endings gives the editor CRLF line endings', async () => {
    const c = await manualCluster();
    const copy = path.join(c.dir, 'seen');
    c.file('cm.yaml', CM);
    const env = { KUBE_EDITOR: `sh -c 'cp "$0" ${copy}; sed -i s/dev/prod/ "$0"'`, PATH: process.env.PATH ?? '' };
    const r = await kubesim(c.state, ['create', '-f', 'cm.yaml', '--edit', '--windows-line-endings'], { cwd: c.dir, env });
    expect(r.stdout).toBe('configmap/cfg created\n');
    const seen = fs.readFileSync(copy, 'utf8');
    expect(seen).toContain('mode: dev\r\n');
    expect(seen.replace(/\r\n/g, '')).not.toContain('\n');
    expect((await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.data.mode}')).stdout).toBe('prod');
  });

  it('an unchanged or emptied file creates nothing', async () => {
    const unchanged = await createEdit('true');
    expect(unchanged.r).toEqual({ code: 0, stdout: '', stderr: 'Edit cancelled, no changes made.\n' });
    expect((await unchanged.c.run('get', 'cm', 'cfg')).code).toBe(1);
    const emptied = await createEdit("sed -i '/^[^#]/d'");
    expect(emptied.r.stderr).toBe('Edit cancelled, saved file was empty.\n');
  });

  it('a failing editor is an error', async () => {
    const { r } = await createEdit('false');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: there was a problem with the editor "false"\n' });
  });
});
