import { describe, expect, it } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';
import { ApiRouter } from '../../src/serve/router';
import { ResidentSession } from '../../src/engine/resident-session';

describe('events.k8s.io/v1 Events: the core Events through the newer API', () => {
  it('are listed as the core ones are (printEvent), and read with regarding, note and the deprecated* fields', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27');
    const core = await c.run('get', 'events', '-A');
    const events = await c.run('get', 'events.events.k8s.io', '-A');
    expect(events).toEqual({ code: 0, stdout: core.stdout, stderr: '' });
    expect(events.stdout).toMatch(/^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE\n/);
    expect(events.stdout).toMatch(
      /\n\S+\s+0s\s+Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ from 0 to 1\n/,
    );
    const name = (await c.run('get', 'events', '--field-selector', 'reason=ScalingReplicaSet', '-o', 'name')).stdout.trim().split('/')[1];
    expect((await c.run('get', 'events.v1.events.k8s.io', name, '-o', 'name')).stdout).toBe(`event.events.k8s.io/${name}\n`);
    const yaml = (await c.run('get', 'events.events.k8s.io', name, '-o', 'yaml')).stdout;
    expect(yaml).toMatch(
      new RegExp(
        '^apiVersion: events.k8s.io/v1\\ndeprecatedCount: 1\\ndeprecatedFirstTimestamp: "2025-01-01T00:00:00Z"\\n' +
          'deprecatedLastTimestamp: "2025-01-01T00:00:00Z"\\ndeprecatedSource:\\n  component: deployment-controller\\n' +
          'eventTime: null\\nkind: Event\\nmetadata:\\n[\\s\\S]*\\nnote: Scaled up replica set web-\\w+ from 0 to 1\\n' +
          'reason: ScalingReplicaSet\\nregarding:\\n  apiVersion: apps/v1\\n  kind: Deployment\\n  name: web\\n  namespace: default\\n  uid: \\S+\\n' +
          'reportingController: deployment-controller\\ntype: Normal\\n$',
      ),
    );
    // the core API still serves them as they are stored
    expect((await c.run('get', 'events', name, '-o', 'jsonpath={.apiVersion} {.message}')).stdout).toMatch(/^v1 Scaled up/);
  });

  it("has a row of its own in api-resources, where a v1.32 server lists it, and its schema's explain", async () => {
    const c = await manualCluster();
    const rows = (await c.run('api-resources')).stdout.split('\n').map((r) => r.split(/\s+/));
    const at = rows.findIndex((r) => r[2] === 'events.k8s.io/v1');
    expect(rows[at]).toEqual(['events', 'ev', 'events.k8s.io/v1', 'true', 'Event']);
    expect(rows[at - 1][0]).toBe('endpointslices');
    expect(rows[at + 1][0]).toBe('flowschemas');
    expect((await c.run('explain', 'events.events.k8s.io.note')).stdout).toMatch(
      /^GROUP:\s+events.k8s.io\nKIND:\s+Event\nVERSION:\s+v1\n\nFIELD: note <string>/,
    );
  });
  it("selects by events.k8s.io's own field labels (regarding.*, reportingController), converted to the core ones, in the CLI and over serve", async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27');
    await c.run('create', 'deployment', 'api', '--image', 'nginx:1.27');
    const names = async (...args: string[]) =>
      (await c.run('get', 'events.events.k8s.io', '-o', 'name', ...args)).stdout.trim().split('\n');
    const web = await names('--field-selector', 'regarding.name=web,regarding.kind=Deployment');
    expect(web).toHaveLength(1);
    expect(web[0]).toMatch(/^event\.events\.k8s\.io\/web\./);
    // the same event the core API selects by involvedObject
    expect(
      (await c.run('get', 'events', '-o', 'name', '--field-selector', 'involvedObject.name=web,involvedObject.kind=Deployment')).stdout,
    ).toBe(`${web[0].replace('event.events.k8s.io', 'event')}\n`);
    expect(await names('--field-selector', 'reportingController=deployment-controller,reason=ScalingReplicaSet,type=Normal')).toHaveLength(
      2,
    );
    expect(await names('--field-selector', 'source=deployment-controller,regarding.name!=web')).toHaveLength(1);
    // each group takes only its own labels (AddFieldLabelConversionsForEvent: "field label not supported")
    expect(await c.run('get', 'events.events.k8s.io', '--field-selector', 'involvedObject.name=web')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Error from server (BadRequest): Unable to find "events.k8s.io/v1, Resource=events" that match label selector "", field selector "involvedObject.name=web": field label not supported: involvedObject.name\n',
    });
    expect((await c.run('get', 'events', '--field-selector', 'regarding.name=web')).stderr).toMatch(
      /field label not supported: regarding.name\n$/,
    );
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const list = (selector: string) => {
      const res = router.handle({
        method: 'GET',
        url: `/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(selector)}`,
        headers: { accept: 'application/json' },
        identity: { kind: 'admin' },
      });
      return { status: res.status, json: JSON.parse(res.body) as { items?: { regarding: { name: string } }[]; message?: string } };
    };
    const served = list('regarding.name=api');
    expect(served.status).toBe(200);
    expect(served.json.items!.map((e) => e.regarding.name)).toEqual(['api']);
    expect(list('involvedObject.name=api')).toMatchObject({
      status: 400,
      json: { message: expect.stringMatching(/field label not supported: involvedObject.name$/) },
    });
  });
  it('lists an Event written through the API (create -f) with the recorded ones, in both groups, by namespace and name', async () => {
    const c = await manualCluster();
    await c.run('create', 'deployment', 'web', '--image', 'nginx:1.27');
    c.file(
      'ev.yaml',
      'apiVersion: v1\nkind: Event\nmetadata: {name: aaa-mine}\ninvolvedObject: {kind: Pod, name: p, namespace: default}\nreason: Because\nmessage: hi\ntype: Normal\n',
    );
    expect((await c.run('create', '-f', 'ev.yaml')).stdout).toBe('event/aaa-mine created\n');
    const names = (await c.run('get', 'events', '-o', 'name')).stdout.trim().split('\n');
    expect(names[0]).toBe('event/aaa-mine');
    expect(names.length).toBeGreaterThan(1);
    // no lastTimestamp nor eventTime: printEvent's <unknown>
    expect((await c.run('get', 'events', '--field-selector', 'reason=Because')).stdout).toMatch(
      /\n<unknown> +Normal +Because +pod\/p +hi\n$/,
    );
    expect((await c.run('get', 'events.events.k8s.io', 'aaa-mine', '-o', 'jsonpath={.note} {.regarding.name}')).stdout).toBe('hi p');
    expect((await c.run('delete', 'events.events.k8s.io', 'aaa-mine')).stdout).toBe('event.events.k8s.io "aaa-mine" deleted\n');
    expect((await c.run('get', 'events', 'aaa-mine')).stderr).toBe('Error from server (NotFound): events "aaa-mine" not found\n');
  });
  it('creates an Event through events.k8s.io/v1 (ValidateEventCreate strict rules), stored as the core one, over serve too', async () => {
    const c = await manualCluster();
    const v1 = (name: string, extra = '') =>
      `apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: ${name}}\n` +
      'eventTime: "2024-12-31T00:00:00.000000Z"\nreportingController: example.com/ctl\nreportingInstance: ctl-1\naction: Check\nreason: Checked\n' +
      `regarding: {kind: Pod, name: p, namespace: default}\ntype: Normal\nnote: all good\n${extra}`;
    c.file('ev.yaml', v1('e1'));
    expect(await c.run('create', '-f', 'ev.yaml')).toEqual({ code: 0, stdout: 'event.events.k8s.io/e1 created\n', stderr: '' });
    // stored as the core Event (Convert_v1_Event_To_core_Event): involvedObject, message, reportingComponent
    expect(
      (await c.run('get', 'events', 'e1', '-o', 'jsonpath={.involvedObject.name} {.message} {.reportingComponent} {.action}')).stdout,
    ).toBe('p all good example.com/ctl Check');
    // printEvent dates it by its eventTime (a day before the cluster's clock starts)
    expect((await c.run('get', 'events.events.k8s.io', '-o', 'wide')).stdout).toMatch(
      /\n24h +Normal +Checked +pod\/p +example.com\/ctl, ctl-1 +all good +24h +1 +e1\n$/,
    );
    c.file(
      'bad.yaml',
      'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e2}\nregarding: {kind: Pod, name: p, namespace: default}\ntype: Meh\ndeprecatedCount: 3\n',
    );
    expect(await c.run('create', '-f', 'bad.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'The Event "e2" is invalid: \n* eventTime: Required value\n* type: Invalid value: "": has invalid value: Meh\n* count: Invalid value: "": needs to be unset\n',
    });
    c.file('bad2.yaml', v1('e3').replace('reportingInstance: ctl-1\n', '').replace('action: Check\n', ''));
    expect((await c.run('create', '-f', 'bad2.yaml')).stderr).toBe(
      'The Event "e3" is invalid: \n* reportingInstance: Required value\n* action: Required value\n',
    );
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const body = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e4' },
      eventTime: '2024-12-31T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Check',
      reason: 'Served',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
      type: 'Warning',
    };
    const res = router.handle({
      method: 'POST',
      url: '/apis/events.k8s.io/v1/namespaces/default/events',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify(body)),
      identity: { kind: 'admin' },
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ apiVersion: 'events.k8s.io/v1', reason: 'Served', regarding: { name: 'p' } });
    expect((await c.run('get', 'events', '--field-selector', 'type=Warning', '-o', 'name')).stdout).toBe('event/e4\n');
  });

  it('updates one through events.k8s.io/v1 (apply, replace, patch, label) in that form, checked as ValidateEventUpdate checks them', async () => {
    const c = await manualCluster();
    const v1 = (extra = '', note = 'all good', regarding = 'p', type = 'Normal') =>
      'apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e1}\n' +
      'eventTime: "2024-12-31T00:00:00.000000Z"\nreportingController: example.com/ctl\nreportingInstance: ctl-1\naction: Check\nreason: Checked\n' +
      `regarding: {kind: Pod, name: ${regarding}, namespace: default}\ntype: ${type}\nnote: ${note}\n${extra}`;
    c.file('ev.yaml', v1());
    await c.run('create', '-f', 'ev.yaml');
    // every field of the stored Event is immutable through this group, named as the internal (core) Event names it
    c.file('note.yaml', v1('', 'changed'));
    const immutableNote = 'The Event "e1" is invalid: message: Invalid value: "changed": field is immutable\n';
    expect(await c.run('replace', '-f', 'note.yaml')).toEqual({ code: 1, stdout: '', stderr: immutableNote });
    // apply GETs it in this group's form (no last-applied yet) and patches `note`, not the core fields
    expect(await c.run('apply', '-f', 'note.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'Warning: resource events/e1 is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubesim apply. kubesim apply should only be used on resources created declaratively by either kubesim create --save-config or kubesim apply. The missing annotation will be patched automatically.\n' +
        immutableNote,
    });
    c.file('moved.yaml', v1('', 'all good', 'q', 'Warning'));
    expect((await c.run('replace', '-f', 'moved.yaml')).stderr).toBe(
      'The Event "e1" is invalid: \n' +
        '* involvedObject: Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"q", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable\n' +
        '* type: Invalid value: "Warning": field is immutable\n',
    );
    expect(await c.run('patch', 'events.events.k8s.io', 'e1', '--type=merge', '-p', '{"eventTime":"2025-01-01T00:00:00.5Z"}')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The Event "e1" is invalid: eventTime: Invalid value: 2025-01-01 00:00:00.5 +0000 UTC: field is immutable\n',
    });
    // a changed series is checked (validateV1EventSeries)
    expect((await c.run('patch', 'events.events.k8s.io', 'e1', '--type=merge', '-p', '{"series":{"count":1}}')).stderr).toBe(
      'The Event "e1" is invalid: \n* series.count: Invalid value: "": should be at least 2\n* series.lastObservedTime: Required value\n',
    );
    // metadata may change: the object is reported in the group it was written through
    expect(await c.run('label', 'events.events.k8s.io', 'e1', 'a=b')).toEqual({
      code: 0,
      stdout: 'event.events.k8s.io/e1 labeled\n',
      stderr: '',
    });
    expect(await c.run('apply', '-f', 'ev.yaml', '-o', 'jsonpath={.apiVersion} {.note} {.metadata.labels.a}')).toMatchObject({
      code: 0,
      stdout: 'events.k8s.io/v1 all good b',
    });
    // edit opens and patches it in this group's form too
    const edit = (script: string) =>
      kubesim(c.state, ['edit', 'events.events.k8s.io', 'e1'], { env: { KUBE_EDITOR: script, PATH: process.env.PATH ?? '' } });
    expect(await edit("sed -i 's/^  name: e1/  name: e1\\n  labels: {z: w}/'")).toMatchObject({
      code: 0,
      stdout: 'event.events.k8s.io/e1 edited\n',
    });
    expect((await edit("sed -i 's/^note: all good/note: edited/'")).stderr).toMatch(
      /^The Event "e1" is invalid: message: Invalid value: "edited": field is immutable\n/,
    );
    // through the core group only the legacy checks apply (ValidateEventUpdate returns early for v1)
    expect((await c.run('patch', 'events', 'e1', '-p', '{"message":"core may"}')).stdout).toBe('event/e1 patched\n');
    // kubesim serve patches the object as the request's group serves it
    const router = new ApiRouter({ statePath: c.state, sessions: new ResidentSession(c.state) });
    const res = router.handle({
      method: 'PATCH',
      url: '/apis/events.k8s.io/v1/namespaces/default/events/e1',
      headers: { accept: 'application/json', 'content-type': 'application/merge-patch+json' },
      body: Buffer.from(JSON.stringify({ note: 'x' })),
      identity: { kind: 'admin' },
    });
    expect([res.status, JSON.parse(res.body).message]).toEqual([
      422,
      'Event.events.k8s.io "e1" is invalid: message: Invalid value: "x": field is immutable',
    ]);
  });
});
