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

describe('-v logs the requests kubectl itself makes for the verb', () => {
  const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
  const requests = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.includes('round_trippers.go:560]'))
      .map((l) => l.replace(/^.*round_trippers\.go:560\] /, '').replace(/ in 0 milliseconds$/, ''));
  /** -v=7 and up: the request lines (method and URL) */
  const calls = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.includes('round_trippers.go:470]'))
      .map((l) => l.replace(/^.*round_trippers\.go:470\] /, ''));
  const headers = (stderr: string) =>
    stderr
      .split('\n')
      .filter((l) => l.includes('round_trippers.go:480]'))
      .map((l) => l.replace(/^.*round_trippers\.go:480\]\s+/, ''));

  it('get with a table printer asks for a Table (get.go transformRequests); -o yaml, -o name and --server-print=false for JSON', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cfg');
    expect(headers((await c.run('get', 'cm', '-v=7')).stderr)).toContain(`Accept: ${TABLE}`);
    expect(headers((await c.run('get', 'cm', 'cfg', '-o', 'wide', '-v=7')).stderr)).toContain(`Accept: ${TABLE}`);
    for (const args of [['-o', 'yaml'], ['-o', 'name'], ['--server-print=false'], ['-o', 'jsonpath={.items}'], ['--template={{.kind}}']])
      expect(headers((await c.run('get', 'cm', ...args, '-v=7')).stderr)).toContain('Accept: application/json');
  });

  it("get's list query: -l and --field-selector encoded and sorted as url.Values, --sort-by in one chunk with includeObject", async () => {
    const c = await manualCluster();
    const base = 'GET http://localhost:8080/api/v1/namespaces/default/pods';
    expect(
      requests((await c.run('get', 'pods', '-l', 'app=web,tier!=db', '--field-selector=status.phase=Running', '-v=6')).stderr),
    ).toEqual([`${base}?fieldSelector=status.phase%3DRunning&labelSelector=app%3Dweb%2Ctier%21%3Ddb&limit=500 200 OK`]);
    expect(requests((await c.run('get', 'pods', '--sort-by=.metadata.name', '-v=6')).stderr)).toEqual([
      `${base}?includeObject=Object 200 OK`,
    ]);
    expect(requests((await c.run('get', 'pods', '--chunk-size=0', '-o', 'name', '-v=6')).stderr)).toEqual([`${base} 200 OK`]);
    expect(requests((await c.run('get', 'pods', '-A', '--chunk-size=10', '-v=6')).stderr)).toEqual([
      'GET http://localhost:8080/api/v1/pods?limit=10 200 OK',
    ]);
    expect(requests((await c.run('get', 'events', '-v=6')).stderr)).toEqual([
      'GET http://localhost:8080/api/v1/namespaces/default/events?limit=500 200 OK',
    ]);
  });

  it('label, annotate and scale PATCH as kubectl does (a merge patch; scale through /scale); the controllers are not logged', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image=nginx');
    const deploy = 'http://localhost:8080/apis/apps/v1/namespaces/default/deployments/web';
    const label = await c.run('label', 'deploy', 'web', 'a=b', '-v=8');
    expect(calls(label.stderr)).toEqual([`GET ${deploy}`, `PATCH ${deploy}`]);
    expect(headers(label.stderr)).toContain('Content-Type: application/merge-patch+json');
    expect(label.stderr).toContain(`"Request Body" body="{\\"metadata\\":{\\"labels\\":{\\"a\\":\\"b\\"}}}"`);
    const scale = await c.run('scale', 'deploy', 'web', '--replicas=3', '-v=8');
    expect(calls(scale.stderr)).toEqual([`GET ${deploy}`, `PATCH ${deploy}/scale`]);
    expect(scale.stderr).toContain(`"Request Body" body="{\\"spec\\":{\\"replicas\\":3}}"`);
    const patch = await c.run(
      'patch',
      'deploy',
      'web',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/metadata/labels/x","value":"y"}]',
      '-v=7',
    );
    expect(headers(patch.stderr)).toContain('Content-Type: application/json-patch+json');
    // the ReplicaSet and pods the controllers delete afterwards are not kubectl's requests
    expect(requests((await c.run('delete', 'deploy', 'web', '-v=6')).stderr)).toEqual([
      `GET ${deploy} 200 OK`,
      `DELETE ${deploy} 200 OK`,
      `GET ${deploy} 404 Not Found`,
    ]);
  });

  it('describe GETs the object, lists only for a name prefix, and searches its events by involvedObject', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'cfg');
    const uid = (await c.run('get', 'cm', 'cfg', '-o', 'jsonpath={.metadata.uid}')).stdout;
    const cm = 'http://localhost:8080/api/v1/namespaces/default/configmaps';
    const events = `GET http://localhost:8080/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dcfg%2CinvolvedObject.namespace%3Ddefault%2CinvolvedObject.uid%3D${uid}&limit=500 200 OK`;
    expect(requests((await c.run('describe', 'cm', 'cfg', '-v=6')).stderr)).toEqual([`GET ${cm}/cfg 200 OK`, events]);
    expect(requests((await c.run('describe', 'cm', 'cf', '-v=6')).stderr)).toEqual([
      `GET ${cm}/cf 404 Not Found`,
      `GET ${cm}?limit=500 200 OK`,
      events,
    ]);
  });
});
