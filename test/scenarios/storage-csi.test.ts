import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

describe('CSI storage kinds', () => {
  it('stores a CSIDriver with its defaults and prints kubectl columns', async () => {
    const c = await manualCluster();
    c.file(
      'd.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: ebs.csi.aws.com}\nspec: {attachRequired: true, podInfoOnMount: false}\n',
    );
    expect((await c.run('apply', '-f', 'd.yaml')).stdout).toBe('csidriver.storage.k8s.io/ebs.csi.aws.com created\n');
    expect((await c.run('get', 'csidrivers')).stdout).toBe(
      'NAME              ATTACHREQUIRED   PODINFOONMOUNT   STORAGECAPACITY   TOKENREQUESTS   REQUIRESREPUBLISH   MODES        AGE\n' +
        'ebs.csi.aws.com   true             false            false             <unset>         false               Persistent   0s\n',
    );
    const spec = JSON.parse((await c.run('get', 'csidriver', 'ebs.csi.aws.com', '-o', 'json')).stdout).spec;
    expect(spec).toMatchObject({
      fsGroupPolicy: 'ReadWriteOnceWithFSType',
      volumeLifecycleModes: ['Persistent'],
      requiresRepublish: false,
    });
    c.file(
      'bad.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: CSIDriver\nmetadata: {name: x.example.com}\nspec: {volumeLifecycleModes: [Forever]}\n',
    );
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The CSIDriver "x.example.com" is invalid: spec.volumeLifecycleModes[0]: Unsupported value: "Forever": supported values: "Ephemeral", "Persistent"\n',
    );
  });

  it('stores CSINodes and VolumeAttachments, and validates them', async () => {
    const c = await manualCluster();
    c.file(
      'n.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: CSINode\nmetadata: {name: node-1}\nspec:\n  drivers: [{name: ebs.csi.aws.com, nodeID: i-0abc, topologyKeys: [topology.ebs.csi.aws.com/zone]}]\n',
    );
    c.file(
      'va.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: csi-123}\nspec: {attacher: ebs.csi.aws.com, nodeName: node-1, source: {persistentVolumeName: pv-1}}\n',
    );
    await c.run('apply', '-f', 'n.yaml', '-f', 'va.yaml');
    expect((await c.run('get', 'csinode')).stdout).toBe('NAME     DRIVERS   AGE\nnode-1   1         0s\n');
    expect((await c.run('get', 'volumeattachments')).stdout).toBe(
      'NAME      ATTACHER          PV     NODE     ATTACHED   AGE\ncsi-123   ebs.csi.aws.com   pv-1   node-1   false      0s\n',
    );
    c.file('bad.yaml', 'apiVersion: storage.k8s.io/v1\nkind: VolumeAttachment\nmetadata: {name: bad}\nspec: {attacher: x}\n');
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      'The VolumeAttachment "bad" is invalid: \n* spec.nodeName: Required value\n* spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName\n',
    );
  });
});
