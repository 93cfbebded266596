import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

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
});
