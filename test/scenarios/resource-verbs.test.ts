import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';
import { ApiRouter } from '../../src/serve/router';
import { routerCall } from '../support/api-router';
import { ResidentSession } from '../../src/engine/resident-session';
import { allKinds, apiVersionOf, verbsOf } from '../../src/api/registry';

// kube-apiserver registers a route only for what a resource's storage implements (endpoints/installer.go):
// any other method is go-restful's 405, worded by apierrors.NewGenericServerResponse; a watch of a
// storage that is no rest.Watcher is handlers.ListResource's apierrors.NewMethodNotSupported
const WARNING = 'Warning: v1 ComponentStatus is deprecated in v1.19+\n';
const NOT_ALLOWED = 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n';

describe("a resource's verbs, as discovery lists them, are the only requests it takes", () => {
  it('kubectl delete/label of a componentstatus: 405 MethodNotAllowed (not NotFound), exit 1', async () => {
    const c = await manualCluster();
    expect((await c.run('api-resources', '-o', 'wide')).stdout).toMatch(
      /\ncomponentstatuses +cs +v1 +false +ComponentStatus +get,list +\n/,
    );
    // delete sends the DELETE without a GET: go-restful's 405 has no handler, so no deprecation warning
    expect(await c.run('delete', 'cs', 'controller-manager')).toEqual({ code: 1, stdout: '', stderr: NOT_ALLOWED });
    // --all lists them (list is allowed: its answer has the warning), then each DELETE is refused
    expect(await c.run('delete', 'cs', '--all')).toEqual({ code: 1, stdout: '', stderr: WARNING + NOT_ALLOWED.repeat(3) });
    // label GETs it (allowed, with the warning), then its PATCH is refused
    expect(await c.run('label', 'cs', 'etcd-0', 'a=b')).toEqual({ code: 1, stdout: '', stderr: WARNING + NOT_ALLOWED });
    // what is not computed still answers NotFound
    expect((await c.run('label', 'cm', 'nope', 'a=b')).stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('kubectl get -w of a resource without watch prints the list, then the watch is refused (exit 1)', async () => {
    const c = await manualCluster();
    const refused = 'Error from server (MethodNotAllowed): watch is not supported on resources of kind "componentstatuses"\n';
    const watched = await c.run('get', 'cs', '-w');
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/^NAME +STATUS +MESSAGE +ERROR\ncontroller-manager +Healthy +ok +\netcd-0 .*\nscheduler .*\n$/);
    expect(watched.stderr.endsWith(refused)).toBe(true);
    expect(await c.run('get', 'cs', '-w', '--watch-only')).toMatchObject({ code: 1, stdout: '' });
    expect((await c.run('get', 'cs', 'etcd-0', '-w')).stdout).toMatch(/^NAME +STATUS +MESSAGE +ERROR\netcd-0 +Healthy +ok +\n$/);
    // a resource with watch still watches
    expect(await c.run('get', 'ns', '-w', '--watch-only')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('kubesim serve answers every kind the same way: 405 Status for each verb its discovery does not list', async () => {
    const c = await manualCluster();
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const call = (method: string, url: string, body?: unknown) => routerCall(router, method, url, { body });
    const methodOf: Record<string, [string, boolean, string?]> = {
      create: ['POST', false],
      delete: ['DELETE', true],
      deletecollection: ['DELETE', false],
      get: ['GET', true],
      list: ['GET', false],
      patch: ['PATCH', true],
      update: ['PUT', true],
      watch: ['GET', false, '?watch=true'],
    };
    let refused = 0;
    for (const info of allKinds()) {
      if (info.crd) continue;
      const base = `/${info.group ? 'apis' : 'api'}/${apiVersionOf(info)}${info.namespaced ? '/namespaces/default' : ''}/${info.plural}`;
      for (const [verb, [method, named, query]] of Object.entries(methodOf)) {
        if (verbsOf(info).includes(verb)) continue;
        const res = call(method, `${base}${named ? '/x' : ''}${query ?? ''}`, method === 'GET' || method === 'DELETE' ? undefined : {});
        expect([info.plural, verb, res.status, res.json().reason]).toEqual([info.plural, verb, 405, 'MethodNotAllowed']);
        expect(res.json().message).toBe(
          verb === 'watch'
            ? `watch is not supported on resources of kind "${info.group ? `${info.plural}.${info.group}` : info.plural}"`
            : 'the server does not allow this method on the requested resource',
        );
        refused++;
      }
    }
    // componentstatuses' six, namespaces' deletecollection
    expect(refused).toBeGreaterThanOrEqual(7);
    expect(call('GET', '/api/v1/componentstatuses').status).toBe(200);
  });
});
