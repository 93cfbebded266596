import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: "1"}\n';
const at = 'I0101 00:00:00.000000       1';

describe('-v logs the API requests a command makes (client-go round_trippers.go, rest/request.go)', () => {
  it('-v=6: one line per request, from the reads and writes the command really does', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', CM);
    const applied = await c.run('apply', '-f', 'cm.yaml', '-v=6');
    expect(applied.stdout).toBe('configmap/cfg created\n');
    expect(applied.stderr).toBe(
      `${at} round_trippers.go:560] GET http://localhost:8080/api/v1/namespaces/default/configmaps/cfg 404 Not Found in 0 milliseconds\n` +
        `${at} round_trippers.go:560] POST http://localhost:8080/api/v1/namespaces/default/configmaps 201 Created in 0 milliseconds\n`,
    );
    expect((await c.run('get', 'cm', '-v', '6')).stderr).toBe(
      `${at} round_trippers.go:560] GET http://localhost:8080/api/v1/namespaces/default/configmaps?limit=500 200 OK in 0 milliseconds\n`,
    );
    expect((await c.run('get', 'cm', '-v=5')).stderr).toBe('');
  });

  it('-v=7 adds the request headers, -v=8 the bodies (truncated at 1024 characters), -v=9 a curl line', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'big', `--from-literal=k=${'x'.repeat(2000)}`);
    const seven = (await c.run('get', 'cm', 'big', '-o', 'name', '-v=7')).stderr.split('\n');
    expect(seven.slice(0, 5)).toEqual([
      `${at} round_trippers.go:470] GET http://localhost:8080/api/v1/namespaces/default/configmaps/big`,
      `${at} round_trippers.go:476] Request Headers:`,
      `${at} round_trippers.go:480]     Accept: application/json`,
      `${at} round_trippers.go:480]     User-Agent: kubectl/v1.32.0 (linux/amd64) kubernetes/kubesim`,
      `${at} round_trippers.go:581] Response Status: 200 OK in 0 milliseconds`,
    ]);
    const eight = (await c.run('get', 'cm', 'big', '-o', 'name', '-v=8')).stderr.split('\n');
    expect(eight[0]).toBe(`${at} helper.go:113] "Request Body" body=""`);
    expect(eight).toContain(`${at} round_trippers.go:587]     Content-Type: application/json`);
    const response = eight.find((l) => l.includes('"Response Body"'))!;
    expect(response).toMatch(/ \[truncated \d+ chars\]"$/);
    const nine = (await c.run('get', 'cm', 'big', '-o', 'name', '-v=9')).stderr.split('\n');
    expect(nine[1]).toBe(
      `${at} round_trippers.go:473] curl -v -XGET  -H "Accept: application/json" -H "User-Agent: kubectl/v1.32.0 (linux/amd64) kubernetes/kubesim" 'http://localhost:8080/api/v1/namespaces/default/configmaps/big'`,
    );
    expect(nine[2]).toBe(
      `${at} round_trippers.go:560] GET http://localhost:8080/api/v1/namespaces/default/configmaps/big 200 OK in 0 milliseconds`,
    );
    expect(nine.find((l) => l.includes('"Response Body"'))).not.toContain('[truncated');
  });

  it('--vmodule raises the level of one file, and --server names the URL', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'ns', 'default', '-o', 'name', '--vmodule=round_trippers=6', '--server=https://10.0.0.1:6443')).stderr).toBe(
      `${at} round_trippers.go:560] GET https://10.0.0.1:6443/api/v1/namespaces/default 200 OK in 0 milliseconds\n`,
    );
    expect((await c.run('get', 'ns', 'default', '-o', 'name', '--vmodule=helper=6')).stderr).toBe('');
  });

  it('a refused write is logged with the status the server answered', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cfg');
    const r = await c.run('create', 'configmap', 'cfg', '-v=6');
    expect(r.stderr).toBe(
      `${at} round_trippers.go:560] POST http://localhost:8080/api/v1/namespaces/default/configmaps 409 Conflict in 0 milliseconds\n` +
        'Error from server (AlreadyExists): configmaps "cfg" already exists\n',
    );
  });
});
