import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

const capacity = (extra: string) => `apiVersion: storage.k8s.io/v1
kind: CSIStorageCapacity
metadata:
  name: cap1
${extra}`;

describe('CSIStorageCapacity (storage.k8s.io/v1): stored, validated and printed as a v1.32 server does', () => {
  it('is listed by api-resources where a v1.32 server lists it: namespaced, no short name, every verb', async () => {
    const c = await manualCluster();
    const rows = (await c.run('api-resources', '-o', 'wide')).stdout.split('\n');
    const at = rows.findIndex((r) => r.startsWith('csistoragecapacities '));
    expect(rows[at].split(/\s+/)).toEqual([
      'csistoragecapacities',
      'storage.k8s.io/v1',
      'true',
      'CSIStorageCapacity',
      'create,delete,deletecollection,get,list,patch,update,watch',
      '',
    ]);
    expect(rows[at - 1]).toMatch(/^csinodes /);
    expect(rows[at + 1]).toMatch(/^storageclasses /);
    expect((await c.run('explain', 'csistoragecapacities.nodeTopology')).stdout).toMatch(
      /^GROUP:\s+storage.k8s.io\nKIND:\s+CSIStorageCapacity\nVERSION:\s+v1\n\nFIELD: nodeTopology <LabelSelector>/,
    );
  });

  it('keeps its quantities canonical and prints NAME, STORAGECLASSNAME, CAPACITY (printCSIStorageCapacity: no AGE)', async () => {
    const c = await manualCluster();
    c.file('cap.yaml', capacity('storageClassName: standard\ncapacity: 1024Mi\nnodeTopology:\n  matchLabels: {zone: a}\n'));
    expect(await c.run('create', '-f', 'cap.yaml')).toEqual({
      code: 0,
      stdout: 'csistoragecapacity.storage.k8s.io/cap1 created\n',
      stderr: '',
    });
    c.file('cap2.yaml', capacity('storageClassName: standard\n').replace('cap1', 'cap2'));
    await c.run('create', '-f', 'cap2.yaml');
    expect((await c.run('get', 'csistoragecapacities')).stdout).toBe(
      'NAME   STORAGECLASSNAME   CAPACITY\ncap1   standard           1Gi\ncap2   standard           <unset>\n',
    );
    expect((await c.run('get', 'csistoragecapacity', 'cap1', '-o', 'jsonpath={.metadata.namespace} {.capacity}')).stdout).toBe(
      'default 1Gi',
    );
    // the driver's GetCapacity inputs are immutable (ValidateCSIStorageCapacityUpdate); capacity is not
    expect(await c.run('patch', 'csistoragecapacity', 'cap1', '--type', 'merge', '-p', '{"storageClassName":"fast"}')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'The CSIStorageCapacity "cap1" is invalid: storageClassName: Invalid value: "fast": field is immutable\n',
    });
    expect(
      (await c.run('patch', 'csistoragecapacity', 'cap1', '--type', 'merge', '-p', '{"nodeTopology":{"matchLabels":{"zone":"b"}}}')).stderr,
    ).toMatch(/nodeTopology: Invalid value: .*: field is immutable\n$/);
    expect((await c.run('patch', 'csistoragecapacity', 'cap1', '--type', 'merge', '-p', '{"capacity":"2Gi"}')).code).toBe(0);
  });

  it('refuses what ValidateCSIStorageCapacity refuses: no storage class, a negative capacity, a bad selector, a bad quantity', async () => {
    const c = await manualCluster();
    c.file('bad.yaml', capacity('capacity: "-1"\nnodeTopology:\n  matchExpressions: [{key: zone, operator: In}]\n'));
    const bad = await c.run('create', '-f', 'bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'The CSIStorageCapacity "cap1" is invalid: \n' +
        "* nodeTopology.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'\n" +
        `* storageClassName: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n` +
        '* capacity: Invalid value: "-1": must be greater than or equal to 0\n',
    );
    c.file('q.yaml', capacity('storageClassName: standard\ncapacity: lots\n'));
    expect((await c.run('create', '-f', 'q.yaml')).stderr).toMatch(
      /CSIStorageCapacity in version "v1" cannot be handled as a CSIStorageCapacity: quantities must match the regular expression/,
    );
    expect((await c.run('get', 'csistoragecapacities')).stderr).toBe('No resources found in default namespace.\n');
  });
});
