import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// Expected texts are kubectl v1.32's (checked with `kubectl create … --dry-run=client -o go-template=…`,
// which runs the same printer without a server).
describe('-o go-template, --template and --allow-missing-template-keys', () => {
  it('ranges over the List that get prints for several objects', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'b', '--from-literal=k=2');
    await c.run('create', 'configmap', 'a', '--from-literal=k=1');
    const r = await c.run('get', 'configmaps', '-o', 'go-template={{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}');
    expect(r).toEqual({ code: 0, stdout: 'a\nb\nkube-root-ca.crt\n', stderr: '' });
    const list = await c.run('get', 'configmaps', '-o', 'go-template={{.kind}} {{len .items}}');
    expect(list.stdout).toBe('List 3');
  });

  it('prints over the object itself for one named object', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'a', '--from-literal=k=1');
    expect((await c.run('get', 'configmap', 'a', '-o', 'go-template={{.kind}}/{{.metadata.name}}={{.data.k}}')).stdout).toBe(
      'ConfigMap/a=1',
    );
  });

  it('decodes a secret with base64decode', async () => {
    const c = await manualCluster();
    await c.run('create', 'secret', 'generic', 's', '--from-literal=password=hunter2');
    const r = await c.run('get', 'secret', 's', '-o', 'go-template={{.data.password | base64decode}}');
    expect(r).toEqual({ code: 0, stdout: 'hunter2', stderr: '' });
  });

  it('prints <no value> for a missing key, and fails on it with --allow-missing-template-keys=false', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'x', '--from-literal=a=b');
    expect((await c.run('get', 'cm', 'x', '-o', 'go-template={{.data.a}} {{.data.zz}}')).stdout).toBe('b <no value>');
    const r = await c.run('get', 'cm', 'x', '-o', 'go-template={{.data.a}}{{.data.zz}}', '--allow-missing-template-keys=false');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: error executing template "{{.data.a}}{{.data.zz}}": template: output:1:18: executing "output" at <.data.zz>: map has no entry for key "zz"\n',
    );
    // kubectl writes what the template printed, then a dump of the data, to stdout
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(
      'bError executing template: template: output:1:18: executing "output" at <.data.zz>: map has no entry for key "zz". Printing more information for debugging the template:',
    );
    expect(lines.slice(1, 4)).toEqual(['\ttemplate was:', '\t\t{{.data.a}}{{.data.zz}}', '\traw data was:']);
    expect(JSON.parse(lines[4].trim())).toMatchObject({ kind: 'ConfigMap', data: { a: 'b' } });
    expect(lines[5]).toBe('\tobject given to template engine was:');
    expect(lines[6]).toMatch(/^\t\tmap\[apiVersion:v1 data:map\[a:b\] kind:ConfigMap metadata:map\[.*name:x .*\]\]$/);
  });

  it('makes jsonpath fail on a missing key with --allow-missing-template-keys=false', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'x', '--from-literal=a=b');
    expect(await c.run('get', 'cm', 'x', '-o', 'jsonpath={.data.a}{.data.zz}')).toEqual({ code: 0, stdout: 'b', stderr: '' });
    const r = await c.run('get', 'cm', 'x', '-o', 'jsonpath={.data.a}{.data.zz}', '--allow-missing-template-keys=false');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: error executing jsonpath "\{\.data\.a\}\{\.data\.zz\}": Error executing template: zz is not found\./);
  });

  it('takes the template from --template alone, or with a bare -o format', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'x', '--from-literal=a=b');
    expect((await c.run('get', 'cm', 'x', '--template={{.data.a}}')).stdout).toBe('b');
    expect((await c.run('get', 'cm', 'x', '-o', 'go-template', '--template={{.data.a}}')).stdout).toBe('b');
    expect((await c.run('get', 'cm', 'x', '-o', 'jsonpath', '--template={.data.a}')).stdout).toBe('b');
    // json, yaml and name ignore --template
    expect((await c.run('get', 'cm', 'x', '-o', 'name', '--template={{.data.a}}')).stdout).toBe('configmap/x\n');
    const both = await c.run('get', 'cm', 'x', '-o', 'go-template={{.kind}}', '--template={{.data.a}}');
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(
      /^error: unable to match a printer suitable for the output format "go-template=\{\{\.kind\}\}", allowed formats are: /,
    );
  });

  it('reads go-template-file and templatefile templates, with kubectl message for a missing file', async () => {
    const c = await manualCluster();
    await c.run('create', 'configmap', 'x', '--from-literal=a=b');
    c.file('t.tmpl', '{{range $k, $v := .data}}{{$k}}={{$v}}\n{{end}}');
    expect((await c.run('get', 'cm', 'x', '-o', 'go-template-file=t.tmpl')).stdout).toBe('a=b\n');
    expect((await c.run('get', 'cm', 'x', '-o', 'templatefile=t.tmpl')).stdout).toBe('a=b\n');
    expect((await c.run('get', 'cm', 'x', '-o', 'go-template-file', '--template=t.tmpl')).stdout).toBe('a=b\n');
    const missing = await c.run('get', 'cm', 'x', '-o', 'go-template-file=nope.tmpl');
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: error reading --template nope.tmpl, open nope.tmpl: no such file or directory\n',
    });
  });

  it('refuses a template that does not parse before creating anything', async () => {
    const c = await manualCluster();
    const r = await c.run('create', 'configmap', 'x', '--from-literal=a=b', '-o', 'go-template={{.data.a');
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'error: error parsing template {{.data.a, template: output:1: unclosed action\n' });
    expect((await c.run('get', 'cm', 'x')).code).toBe(1);
    const empty = await c.run('get', 'cm', '-o', 'go-template=');
    expect(empty).toEqual({ code: 1, stdout: '', stderr: 'error: template format specified but no template given\n' });
    const undefinedFunction = await c.run('get', 'cm', '-o', 'go-template={{upper .kind}}');
    expect(undefinedFunction.stderr).toBe(
      'error: error parsing template {{upper .kind}}, template: output:1: function "upper" not defined\n',
    );
  });

  it('prints through go-template on the verbs that create or change objects', async () => {
    const c = await manualCluster();
    expect((await c.run('create', 'configmap', 'x', '--from-literal=a=b', '-o', 'go-template={{.metadata.name}}:{{.data.a}}')).stdout).toBe(
      'x:b',
    );
    expect((await c.run('create', 'deployment', 'web', '--image=nginx', '-o', 'template={{.spec.replicas}}')).stdout).toBe('1');
    expect((await c.run('label', 'cm', 'x', 'tier=db', '-o', 'go-template={{.metadata.labels.tier}}')).stdout).toBe('db');
    expect((await c.run('scale', 'deployment', 'web', '--replicas=3', '--template={{.spec.replicas}}')).stdout).toBe('3');
    const image = '{{range .spec.template.spec.containers}}{{.image}}{{end}}';
    expect((await c.run('set', 'image', 'deployment/web', 'nginx=nginx:1.27', '-o', `go-template=${image}`)).stdout).toBe('nginx:1.27');
    expect((await c.run('run', 'p', '--image=busybox', '--dry-run=client', '-o', 'go-template={{.kind}} {{.metadata.name}}')).stdout).toBe(
      'Pod p',
    );
    expect((await c.run('expose', 'deployment', 'web', '--port=80', '-o', 'go-template={{(index .spec.ports 0).port}}')).stdout).toBe('80');
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  k: v\n');
    expect((await c.run('apply', '-f', 'cm.yaml', '-o', 'go-template={{.data.k}}')).stdout).toBe('v');
    expect((await c.run('create', 'job', 'j', '--image=busybox', '--dry-run=client', '-o', 'go-template={{.kind}}')).stdout).toBe('Job');
  });

  it('comes with -o on every verb of the shared print flags, --allow-missing-template-keys included', async () => {
    const c = await manualCluster();
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: v\n');
    await c.run('create', '-f', 'cm.yaml');
    expect((await c.run('replace', '-f', 'cm.yaml', '--template={{.data.k}}')).stdout).toBe('v');
    await c.run('create', 'deployment', 'web', '--image=nginx');
    expect((await c.run('rollout', 'restart', 'deployment/web', '--template={{.kind}}')).stdout).toBe('Deployment');
    const strict = await c.run('label', 'cm', 'x', 'a=b', '--template={{.nope}}', '--allow-missing-template-keys=false');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('map has no entry for key "nope"');
    const watched = await c.run('get', 'cm', 'x', '--watch', '--template={{.nope}}', '--allow-missing-template-keys=false');
    expect(watched.code).toBe(1);
    expect(watched.stderr).toContain('map has no entry for key "nope"');
  });

  it('rejects a --allow-missing-template-keys value that is not a bool', async () => {
    const c = await manualCluster();
    const r = await c.run('get', 'cm', '--allow-missing-template-keys=maybe');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'invalid argument "maybe" for "--allow-missing-template-keys" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
  });
});
