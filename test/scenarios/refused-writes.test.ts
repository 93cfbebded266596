import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const CONFLICT =
  'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again';

/** every row of the state file's tables, and the file's bytes */
function fingerprint(state: string): { rows: string; bytes: string } {
  const db = new Database(state, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).map((t) => [
      t,
      db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all(),
    ]);
    return { rows: JSON.stringify(tables), bytes: crypto.createHash('sha256').update(fs.readFileSync(state)).digest('hex') };
  } finally {
    db.close();
  }
}

describe('a write carrying a stale metadata.resourceVersion is refused (optimistic concurrency)', () => {
  async function webAt(): Promise<{ c: Awaited<ReturnType<typeof manualCluster>>; stale: string }> {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    const stale = (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    c.file('live.json', (await c.run('get', 'deploy', 'web', '-o', 'json')).stdout);
    expect((await c.run('scale', 'deploy', 'web', '--replicas=2')).code).toBe(0);
    return { c, stale };
  }

  it('patch (strategic, merge and json) with an old resourceVersion: Conflict, nothing written', async () => {
    const { c, stale } = await webAt();
    const patches: [string, string][] = [
      ['strategic', `{"metadata":{"resourceVersion":"${stale}"},"spec":{"replicas":5}}`],
      ['merge', `{"metadata":{"resourceVersion":"${stale}"},"spec":{"replicas":5}}`],
      [
        'json',
        `[{"op":"replace","path":"/metadata/resourceVersion","value":"${stale}"},{"op":"replace","path":"/spec/replicas","value":5}]`,
      ],
    ];
    for (const [type, patch] of patches) {
      expect(await c.run('patch', 'deploy', 'web', '--type', type, '-p', patch)).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error from server (Conflict): ${CONFLICT}\n`,
      });
    }
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
    // the current resourceVersion is a precondition that holds
    const current = (await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
    const r = await c.run('patch', 'deploy', 'web', '-p', `{"metadata":{"resourceVersion":"${current}"},"spec":{"replicas":5}}`);
    expect(r).toEqual({ code: 0, stdout: 'deployment.apps/web patched\n', stderr: '' });
  });

  it('replace and apply of a manifest with an old resourceVersion: Conflict, nothing written', async () => {
    const { c } = await webAt();
    expect(await c.run('replace', '-f', 'live.json')).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error from server (Conflict): error when replacing "live.json": ${CONFLICT}\n`,
    });
    const applied = await c.run('apply', '-f', 'live.json');
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(CONFLICT);
    expect((await c.run('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout).toBe('2');
  });
});

describe('a refused command leaves no trace in the state file', () => {
  it('a refused create, apply and patch leave the file byte for byte as it was', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    const before = fingerprint(c.state);
    c.file('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {generateName: lonely-}\nspec: {}\n');
    c.file('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80, nodePort: 1}]}\n');
    expect((await c.run('create', '-f', 'pod.yaml')).code).toBe(1);
    expect((await c.run('apply', '-f', 'svc.yaml')).code).toBe(1);
    expect((await c.run('patch', 'deploy', 'web', '-p', '{"metadata":{"resourceVersion":"1"}}')).code).toBe(1);
    expect(fingerprint(c.state)).toEqual(before);
  });

  it('a refused object does not advance the seeded PRNG: the next generated name is the same as without it', async () => {
    const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {generateName: p-}\nspec: ${spec}\n`;
    const valid = pod('{containers: [{name: c, image: nginx}]}');
    const names: string[] = [];
    for (const refusedFirst of [false, true]) {
      const c = await manualCluster();
      c.file('bad.yaml', pod('{}'));
      c.file('good.yaml', valid);
      // in one command: the refused object, then a valid one (the command fails, the valid one is created)
      c.file('both.yaml', `${pod('{}')}---\n${valid}`);
      const r = await c.run('create', '-f', refusedFirst ? 'both.yaml' : 'good.yaml');
      expect(r.code).toBe(refusedFirst ? 1 : 0);
      names.push(r.stdout);
    }
    expect(names[0]).toMatch(/^pod\/p-[a-z0-9]{5} created\n$/);
    expect(names[1]).toBe(names[0]);
  });
});
