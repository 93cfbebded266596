import { describe, expect, it } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';
import { ApiRouter } from '../../src/serve/router';
import { ResidentSession } from '../../src/engine/resident-session';

const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+\n';
// go-restful's 405 for a method the resource has no route for (kubectl 1.32 against a v1.32 server)
const NOT_ALLOWED = 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n';
const CS =
  'apiVersion: v1\nkind: ComponentStatus\nmetadata:\n  name: scheduler\nconditions:\n- type: Healthy\n  status: "True"\n  message: ok\n';

describe('componentstatuses (v1, deprecated): the control plane answers healthy, made on each request and stored nowhere', () => {
  it('get cs lists the scheduler, the controller manager and etcd as kubectl prints them, with the deprecation warning', async () => {
    const c = await manualCluster();
    expect(await c.run('get', 'cs')).toEqual({
      code: 0,
      stdout:
        'NAME                 STATUS    MESSAGE   ERROR\n' +
        'controller-manager   Healthy   ok        \n' +
        'etcd-0               Healthy   ok        \n' +
        'scheduler            Healthy   ok        \n',
      stderr: WARNING,
    });
    expect((await c.run('get', 'componentstatus', 'etcd-0', '-o', 'yaml')).stdout).toBe(
      'apiVersion: v1\nconditions:\n- message: ok\n  status: "True"\n  type: Healthy\nkind: ComponentStatus\nmetadata:\n  creationTimestamp: null\n  name: etcd-0\n',
    );
    // rest.go Get answers a name it does not probe with a plain error: a 500 without a reason, even with --ignore-not-found
    expect(await c.run('get', 'cs', 'nope', '--ignore-not-found')).toEqual({
      code: 1,
      stdout: '',
      stderr: `${WARNING}Error from server: Component not found: nope\n`,
    });
    expect((await c.run('describe', 'cs', 'scheduler')).stdout).toMatch(/^Name:\s+scheduler\n[\s\S]*Conditions:\n\s+Message:\s+ok\n/);
  });

  it("is a get/list resource of the core group in api-resources, in a real server's place, and explained from its schema", async () => {
    const c = await manualCluster();
    const rows = (await c.run('api-resources', '-o', 'wide')).stdout.split('\n');
    expect(rows.slice(1, 4).map((r) => r.split(/\s+/).slice(0, 6))).toEqual([
      ['bindings', 'v1', 'true', 'Binding', 'create', ''],
      ['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus', 'get,list'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap', 'create,delete,deletecollection,get,list,patch,update,watch'],
    ]);
    expect((await c.run('explain', 'cs.conditions.status')).stdout).toContain('FIELD: status <string>\n');
  });

  it('get cs -w: the list route answers (the warning, then the list), its watch is refused; --warnings-as-errors counts the warning', async () => {
    const c = await manualCluster();
    const refused = 'Error from server (MethodNotAllowed): watch is not supported on resources of kind "componentstatuses"\n';
    const watched = await c.run('get', 'cs', '-w');
    expect([watched.code, watched.stderr]).toEqual([1, WARNING + refused]);
    expect(await c.run('get', 'cs', '--watch-only')).toEqual({ code: 1, stdout: '', stderr: WARNING + refused });
    // kubectl's PersistentPostRunE: WarningCount of what its warning writer printed
    expect(await c.run('get', 'cs', '--warnings-as-errors')).toMatchObject({
      code: 1,
      stderr: `${WARNING}error: 1 warning received\n`,
    });
  });

  it('refuses every write (get and list are its only routes) as kubectl 1.32 prints it, the warning only where kubectl GETs first', async () => {
    const c = await manualCluster();
    c.file('cs.yaml', CS);
    // patch GETs, then sends its PATCH even when the patch changes nothing
    expect(await c.run('patch', 'cs', 'scheduler', '-p', '{}')).toEqual({ code: 1, stdout: '', stderr: WARNING + NOT_ALLOWED });
    expect(await c.run('patch', 'cs', 'scheduler', '-p', '{"metadata":{"labels":{"a":"b"}}}', '--dry-run=server')).toEqual({
      code: 1,
      stdout: '',
      stderr: WARNING + NOT_ALLOWED,
    });
    // a client-side dry run applies the patch to what it got and sends nothing (patch's line has no `(dry run)`)
    expect(await c.run('patch', 'cs', 'scheduler', '-p', '{}', '--dry-run=client')).toMatchObject({
      code: 0,
      stdout: 'componentstatus/scheduler patched (no change)\n',
    });
    expect(await c.run('label', 'cs', 'scheduler', 'a-')).toEqual({ code: 1, stdout: '', stderr: WARNING + NOT_ALLOWED });
    expect(await c.run('annotate', 'cs', 'scheduler', 'a=b')).toEqual({ code: 1, stdout: '', stderr: WARNING + NOT_ALLOWED });
    // helper.Replace GETs the resourceVersion first
    expect(await c.run('replace', '-f', 'cs.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: `${WARNING}Error from server (MethodNotAllowed): error when replacing "cs.yaml": the server does not allow this method on the requested resource\n`,
    });
    // no GET before these: the 405 alone
    expect(await c.run('create', '-f', 'cs.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (MethodNotAllowed): error when creating "cs.yaml": the server does not allow this method on the requested resource\n',
    });
    expect(await c.run('apply', '--server-side', '-f', 'cs.yaml')).toEqual({ code: 1, stdout: '', stderr: NOT_ALLOWED });
    expect(await c.run('delete', '-f', 'cs.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (MethodNotAllowed): error when deleting "cs.yaml": the server does not allow this method on the requested resource\n',
    });
    // client-side apply finds it (GET), says it has no last-applied annotation, and its patch is refused
    const lastApplied =
      '{\\"apiVersion\\":\\"v1\\",\\"conditions\\":[{\\"message\\":\\"ok\\",\\"status\\":\\"True\\",\\"type\\":\\"Healthy\\"}],\\"kind\\":\\"ComponentStatus\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"scheduler\\"}}\\n';
    expect(await c.run('apply', '-f', 'cs.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        'Warning: v1 ComponentStatus is deprecated in v1.19+',
        'Warning: resource componentstatuses/scheduler is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubesim apply. kubesim apply should only be used on resources created declaratively by either kubesim create --save-config or kubesim apply. The missing annotation will be patched automatically.',
        'Error from server (MethodNotAllowed): error when applying patch:',
        `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"${lastApplied}"}}}`,
        'to:',
        'Resource: "/v1, Resource=componentstatuses", GroupVersionKind: "/v1, Kind=ComponentStatus"',
        'Name: "scheduler", Namespace: ""',
        'for: "cs.yaml": error when patching "cs.yaml": the server does not allow this method on the requested resource',
        '',
      ].join('\n'),
    });
    // edit: editResults.addError's default case, then the retry hint (the copy is kept)
    const edited = await kubesim(c.state, ['edit', 'cs', 'scheduler'], {
      env: { KUBE_EDITOR: "sed -i 's/^  name: scheduler/  name: scheduler\\n  labels: {a: b}/'", PATH: process.env.PATH ?? '' },
    });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toMatch(
      /^Warning: v1 ComponentStatus is deprecated in v1\.19\+\nerror: componentstatuses "scheduler" could not be patched: the server does not allow this method on the requested resource\nYou can run `kubesim replace -f \S+scheduler\.yaml` to try this update again\.\n$/,
    );
  });

  it('over serve: the 405s carry the Status details a v1.32 server sends, and only a routed request the warning', async () => {
    const c = await manualCluster();
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const call = (method: string, url: string) => {
      const res = router.handle({ method, url, headers: { accept: 'application/json' }, identity: { kind: 'admin' } });
      return { status: res.status, warning: res.headers.Warning, json: JSON.parse(res.body) as Record<string, unknown> };
    };
    const deprecated = ['299 - "v1 ComponentStatus is deprecated in v1.19+"'];
    // handlers.ListResource: apierrors.NewMethodNotSupported(GroupResource, "watch"), on the list route
    expect(call('GET', '/api/v1/componentstatuses?watch=true')).toMatchObject({
      status: 405,
      warning: deprecated,
      json: { reason: 'MethodNotAllowed', details: { kind: 'componentstatuses' } },
    });
    // no route: serviceErrorHandler's NewGenericServerResponse (empty details), and no handler to add the warning
    for (const method of ['DELETE', 'PATCH', 'PUT']) {
      const res = call(method, '/api/v1/componentstatuses/scheduler');
      expect([res.status, res.warning, res.json.details]).toEqual([405, undefined, {}]);
    }
    expect(call('GET', '/api/v1/componentstatuses/scheduler')).toMatchObject({ status: 200, warning: deprecated });
  });
});
