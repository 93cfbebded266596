import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('PodTemplate', () => {
  it('is stored with the pod spec defaults and printed without an AGE column', async () => {
    const c = await manualCluster();
    c.file(
      'pt.yaml',
      `apiVersion: v1
kind: PodTemplate
metadata: {name: web}
template:
  metadata: {labels: {app: web, tier: front}}
  spec:
    containers: [{name: web, image: nginx:1.27}, {name: log, image: busybox}]
`,
    );
    expect((await c.run('apply', '-f', 'pt.yaml')).stdout).toBe('podtemplate/web created\n');
    expect((await c.run('get', 'podtemplates')).stdout).toBe(
      'NAME   CONTAINERS   IMAGES               POD LABELS\nweb    web,log      nginx:1.27,busybox   app=web,tier=front\n',
    );
    const obj = JSON.parse((await c.run('get', 'podtemplate', 'web', '-o', 'json')).stdout);
    expect(obj.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
    expect(obj.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(obj.metadata.generation).toBeUndefined();
  });

  it('refuses a template without containers', async () => {
    const c = await manualCluster();
    c.file('pt.yaml', 'apiVersion: v1\nkind: PodTemplate\nmetadata: {name: web}\ntemplate:\n  spec: {}\n');
    expect(await c.run('apply', '-f', 'pt.yaml')).toMatchObject({
      code: 1,
      stderr: 'The PodTemplate "web" is invalid: template.spec.containers: Required value\n',
    });
  });
});
