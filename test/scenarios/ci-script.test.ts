import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

function runScript(args: string[] = []) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-ci-'));
  return spawnSync('bash', [path.join(ROOT, 'examples/ci.sh'), ...args], {
    encoding: 'utf8',
    env: { PATH: `${path.join(ROOT, 'bin')}:${process.env.PATH}`, HOME: home, KUBESIM_STATE: path.join(home, 'ci.db') },
    timeout: 120_000,
  });
}

describe('examples/ci.sh', () => {
  it('is a bash script that parses', () => {
    const r = spawnSync('bash', ['-n', path.join(ROOT, 'examples/ci.sh')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('fails the job with a non-zero exit when a manifest is refused', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-ci-bad-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: -1}\n');
    const r = runScript([dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('The Deployment "web" is invalid');
  });

  it('creates a cluster, applies, waits, asserts with jsonpath and drains a node with the PDB holding', () => {
    const r = runScript();
    expect(r.stderr).not.toContain('FAIL');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('deployment "web" successfully rolled out');
    expect(r.stdout).toMatch(/node\/node-\d drained/);
    expect(r.stdout.trimEnd().endsWith('== ok')).toBe(true);
  });
});
