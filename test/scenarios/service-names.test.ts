import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

// ValidateServiceName = apimachineryvalidation.NameIsDNS1035Label (pkg/apis/core/validation), so a
// Service name must start with a letter where other kinds take a leading digit.
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('Service names are DNS-1035 labels', () => {
  it('create service clusterip refuses a name starting with a digit', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'service', 'clusterip', '1abc', '--tcp=80')).toEqual({
      code: 1,
      stdout: '',
      stderr: `The Service "1abc" is invalid: metadata.name: Invalid value: "1abc": ${DNS1035}\n`,
    });
    expect((await c.run('create', 'service', 'clusterip', 'abc-1', '--tcp=80')).code).toBe(0);
    // other kinds keep RFC 1123 names: a ConfigMap may start with a digit
    expect((await c.run('create', 'configmap', '1abc')).code).toBe(0);
  });

  it('apply refuses the same name, and one over 63 characters', async () => {
    const c = await manualCluster();
    const svc = (name: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } });
    c.file('svc.json', svc('1abc'));
    const r = await c.run('apply', '-f', 'svc.json');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`The Service "1abc" is invalid: metadata.name: Invalid value: "1abc": ${DNS1035}\n`);
    const long = 'a'.repeat(64);
    c.file('long.json', svc(long));
    expect((await c.run('apply', '-f', 'long.json')).stderr).toBe(
      `The Service "${long}" is invalid: metadata.name: Invalid value: "${long}": must be no more than 63 characters\n`,
    );
    c.file('ok.json', svc('web'));
    expect(await c.run('apply', '-f', 'ok.json')).toEqual({ code: 0, stdout: 'service/web created\n', stderr: '' });
  });
});
