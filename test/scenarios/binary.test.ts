import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { tempCluster } from '../support/cli';

const bin = path.resolve(__dirname, '../../bin/kubesim');

function run(state: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, KUBESIM_STATE: state }, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(state: string, args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, KUBESIM_STATE: state } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input) child.stdin.end(input);
    else child.stdin.end();
  });
}

describe('the real bin/kubesim', () => {
  it('creates the default cluster on first use and lists three Ready nodes', () => {
    const t = tempCluster();
    const r = run(t.state, ['get', 'nodes']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(r.stdout.match(/ Ready /g)).toHaveLength(3);
  });

  it('kustomize knows which kinds are cluster-scoped without touching a cluster', () => {
    // the in-process tests load every kind first; alone, `kustomize` must load them itself
    const t = tempCluster();
    const fixture = path.resolve(__dirname, '../fixtures/kustomize/namespace');
    const expected = fs.readFileSync(path.join(fixture, 'expected.yaml'), 'utf8');
    expect(run(t.state, ['kustomize', fixture])).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it('prints errors on stderr with kubectl exit codes and no stack trace', () => {
    const t = tempCluster();
    const r = run(t.state, ['get', 'deployment', 'nope']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n' });
    const bad = run(t.state, ['apply', '-f', '-'], 'kind: [unclosed\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line \d+: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits quietly with 141 (SIGPIPE, as kubectl) when the reader of its output goes away', async () => {
    const t = tempCluster();
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, 'api-resources'], { env: { ...process.env, KUBESIM_STATE: t.state } });
      child.stdout.destroy(); // the reader is gone before anything is written
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r).toEqual({ code: 141, stderr: '' });
  });

  it('writes to a pipe as fast as its reader takes it, holding none of the output in memory (a 150k-pod `-o yaml | grep` ran out of heap)', () => {
    // the CLI's own IO, in a process whose stdout is a pipe: 16 MB written in one synchronous
    // loop, as a long list is printed; Node's default queues what the pipe has not taken yet
    const io = path.resolve(__dirname, '../../dist/cli/io.js');
    const script = `const { processIO } = require(${JSON.stringify(io)}); const out = processIO();
      const block = 'x'.repeat(65536); for (let i = 0; i < 256; i++) out.out(block);
      process.stderr.write(String(process.stdout.writableLength));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.length).toBe(256 * 65536);
    expect(r.stderr).toBe('0');
  });

  it('stops at the write that finds its reader gone (`| head`), exiting 141, rather than making the rest of the output', async () => {
    const io = path.resolve(__dirname, '../../dist/cli/io.js');
    const script = `const { processIO } = require(${JSON.stringify(io)}); const out = processIO();
      const block = 'x'.repeat(65536); for (let i = 0; i < 1024; i++) out.out(block);
      process.stderr.write('made all of it');`;
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script]);
      child.stdout.once('data', () => child.stdout.destroy()); // the reader takes one piece and goes
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r).toEqual({ code: 141, stderr: '' });
  });

  it('lets two processes apply at the same time without losing an object', async () => {
    const t = tempCluster();
    run(t.state, ['cluster', 'create', '--clock', 'manual']);
    const manifest = (prefix: string) =>
      Array.from({ length: 40 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${prefix}-${i}\ndata:\n  i: "${i}"\n`).join(
        '---\n',
      );
    const [a, b] = await Promise.all([
      runAsync(t.state, ['apply', '-f', '-'], manifest('a')),
      runAsync(t.state, ['apply', '-f', '-'], manifest('b')),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const names = run(t.state, ['get', 'cm', '-o', 'name']).stdout.trim().split('\n');
    expect(names.filter((n) => n.startsWith('configmap/a-'))).toHaveLength(40);
    expect(names.filter((n) => n.startsWith('configmap/b-'))).toHaveLength(40);
  });

  /** what bin/kubesim's first line sets (the comment under it says why) */
  const TUNED = 'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456';

  it('started as a program, runs node through its first line with glibc asking for huge pages, keeping the arguments, stdin, exit code and a GLIBC_TUNABLES of the caller', () => {
    // (the shell line alone: a `node` on PATH that shows what it was given)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-bin-'));
    fs.writeFileSync(path.join(dir, 'node'), '#!/bin/sh\nprintf "%s\\n" "$GLIBC_TUNABLES" "$@"\nexit 7\n', { mode: 0o755 });
    const shown = (env: NodeJS.ProcessEnv) =>
      spawnSync(bin, ['get', 'pods', 'a b', '"c"'], { env: { ...env, PATH: `${dir}:${process.env.PATH}` }, encoding: 'utf8' });
    const { GLIBC_TUNABLES: _, ...env } = process.env;
    expect(shown(env)).toMatchObject({ status: 7, stdout: `${TUNED}\n${bin}\nget\npods\na b\n"c"\n` });
    expect(shown({ ...env, GLIBC_TUNABLES: 'glibc.malloc.check=0' }).stdout).toBe(
      `${TUNED}:glibc.malloc.check=0\n${bin}\nget\npods\na b\n"c"\n`,
    );
    // the real node: the same command as `node bin/kubesim` gives
    const t = tempCluster();
    const direct = spawnSync(bin, ['apply', '-f', '-'], {
      env: { ...process.env, KUBESIM_STATE: t.state },
      input: 'kind: [unclosed\n',
      encoding: 'utf8',
    });
    expect([direct.status, direct.stdout]).toEqual([1, '']);
    expect(direct.stderr).toMatch(/^error: error parsing STDIN: /);
    const missing = spawnSync(bin, ['get', 'deployment', 'nope'], { env: { ...process.env, KUBESIM_STATE: t.state }, encoding: 'utf8' });
    expect({ code: missing.status, stdout: missing.stdout, stderr: missing.stderr }).toEqual(run(t.state, ['get', 'deployment', 'nope']));
  });

  it('gives the same names and output for the same inputs and seed', () => {
    const outputs = [0, 1].map(() => {
      const t = tempCluster();
      run(t.state, ['cluster', 'create', '--clock', 'manual', '--seed', '42']);
      run(t.state, ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3']);
      run(t.state, ['clock', 'advance', '30s']);
      return run(t.state, ['get', 'pods', '-o', 'yaml']).stdout;
    });
    expect(outputs[0]).toBe(outputs[1]);
    expect(outputs[0]).toContain('web-');
  });
});
