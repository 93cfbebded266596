import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';

const root = path.resolve(__dirname, '../..');

/**
 * The README's Install puts kubesim on PATH with `npm link` / `npm install -g .`. Installing
 * a folder globally links it (dependencies stay in the clone's node_modules), so it works
 * offline: install into a temp prefix and run the linked command from elsewhere. Scripts are
 * skipped because the suite's global setup has already built dist/, which bin/kubesim loads.
 */
describe('npm install -g from the clone', () => {
  it('puts a working kubesim in <prefix>/bin', () => {
    const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-prefix-'));
    const npm = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', root], {
      encoding: 'utf8',
      cwd: prefix,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    expect(npm.stderr).toBe('');
    expect(npm.status).toBe(0);
    const bin = path.join(prefix, 'bin', 'kubesim');
    expect(fs.realpathSync(bin)).toBe(path.join(fs.realpathSync(root), 'bin', 'kubesim'));
    const r = spawnSync(bin, ['version'], { encoding: 'utf8', cwd: prefix });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Client Version: v0.1.0\nServer Version: v1.32.0 (simulated)\n');
    expect(r.status).toBe(0);
  }, 60_000);
});
