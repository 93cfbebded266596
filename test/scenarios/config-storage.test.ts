import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;
const json = async (c: Cluster, ...args: string[]) => JSON.parse((await c.run(...args, '-o', 'json')).stdout);
const podLine = async (c: Cluster, name: string) => (await c.run('get', 'pod', name)).stdout.split('\n')[1];

const pod = (name: string, container: string, volumes = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: node-1
  containers:
  - name: app
    image: nginx:1.27
${container}${volumes}`;

describe('ConfigMaps and Secrets consumed by pods', () => {
  it('create configmap and secret generic build data from literals, files and env files', async () => {
    const c = await manualCluster();
    c.file('app.properties', 'color=blue\n');
    c.file('db.env', '# comment\nUSER=admin\nPASSWORD=s3cret\n');
    expect((await c.run('create', 'configmap', 'app', '--from-literal=mode=prod', '--from-file=app.properties')).stdout).toBe(
      'configmap/app created\n',
    );
    expect((await c.run('create', 'secret', 'generic', 'db', '--from-env-file=db.env')).stdout).toBe('secret/db created\n');
    expect((await json(c, 'get', 'cm', 'app')).data).toEqual({ mode: 'prod', 'app.properties': 'color=blue\n' });
    const yaml = (await c.run('get', 'secret', 'db', '-o', 'yaml')).stdout;
    expect(yaml).toContain('  PASSWORD: czNjcmV0\n');
    expect(yaml).toContain('  USER: YWRtaW4=\n');
    expect((await c.run('get', 'cm,secret')).stdout).toMatch(/configmap\/app\s+2\s+/);
    const described = (await c.run('describe', 'secret', 'db')).stdout;
    expect(described).toContain('PASSWORD:  6 bytes');
    expect(described).not.toContain('s3cret');
  });

  it('holds a container in CreateContainerConfigError until the ConfigMap key exists', async () => {
    const c = await manualCluster();
    c.file('pod.yaml', pod('web', '    env:\n    - name: MODE\n      valueFrom: {configMapKeyRef: {name: app, key: mode}}\n'));
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '5s');
    expect(await podLine(c, 'web')).toMatch(/^web\s+0\/1\s+CreateContainerConfigError\s+0\s+5s$/);
    expect((await c.run('events', '--for', 'pod/web')).stdout).toMatch(/Warning\s+Failed\s+Pod\/web\s+Error: configmap "app" not found/);
    await c.run('create', 'configmap', 'app', '--from-literal=other=x');
    await c.run('clock', 'advance', '1s');
    const p = await json(c, 'get', 'pod', 'web');
    expect(p.status.containerStatuses[0].state.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: "couldn't find key mode in ConfigMap default/app",
    });
    c.file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {mode: prod}\n');
    await c.run('apply', '-f', 'cm.yaml');
    await c.run('clock', 'advance', '1s');
    expect(await podLine(c, 'web')).toMatch(/^web\s+0\/1\s+Running\s+0\s+7s$/);
    await c.run('clock', 'advance', '2s');
    expect(await podLine(c, 'web')).toMatch(/^web\s+1\/1\s+Running/);
  });

  it('starts at once when a missing reference is optional, and fails on a missing Secret in envFrom', async () => {
    const c = await manualCluster();
    c.file(
      'a.yaml',
      pod(
        'opt',
        '    envFrom:\n    - configMapRef: {name: nothing, optional: true}\n    env:\n    - name: PW\n      valueFrom: {secretKeyRef: {name: nothing, key: pw, optional: true}}\n',
      ),
    );
    c.file('b.yaml', pod('strict', '    envFrom:\n    - secretRef: {name: creds}\n'));
    await c.run('apply', '-f', 'a.yaml');
    await c.run('apply', '-f', 'b.yaml');
    await c.run('clock', 'advance', '5s');
    expect(await podLine(c, 'opt')).toMatch(/^opt\s+1\/1\s+Running/);
    expect(await podLine(c, 'strict')).toMatch(/^strict\s+0\/1\s+CreateContainerConfigError/);
    expect((await c.run('events', '--for', 'pod/strict')).stdout).toContain('Error: secret "creds" not found');
  });

  it('keeps a pod ContainerCreating while a ConfigMap or Secret volume is missing', async () => {
    const c = await manualCluster();
    c.file(
      'pod.yaml',
      pod(
        'vol',
        '    volumeMounts: [{name: cfg, mountPath: /etc/app}, {name: all, mountPath: /etc/all}]\n',
        '  volumes:\n  - name: cfg\n    configMap: {name: app}\n  - name: all\n    projected:\n      sources:\n      - secret: {name: tls, optional: true}\n',
      ),
    );
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '30s');
    expect(await podLine(c, 'vol')).toMatch(/^vol\s+0\/1\s+ContainerCreating\s+0\s+30s$/);
    expect((await c.run('events', '--for', 'pod/vol')).stdout).toMatch(
      /Warning\s+FailedMount\s+Pod\/vol\s+MountVolume.SetUp failed for volume "cfg" : configmap "app" not found/,
    );
    await c.run('create', 'configmap', 'app', '--from-literal=a=b');
    // the image pull (1 s) starts once the volume can be mounted
    expect(await podLine(c, 'vol')).toMatch(/ContainerCreating/);
    await c.run('clock', 'advance', '1s');
    expect(await podLine(c, 'vol')).toMatch(/^vol\s+0\/1\s+Running/);
    await c.run('clock', 'advance', '2s');
    expect(await podLine(c, 'vol')).toMatch(/^vol\s+1\/1\s+Running/);
    const p = await json(c, 'get', 'pod', 'vol');
    // containers start when the volume could be mounted, not when the pod was bound
    expect(Date.parse(p.status.startTime) - Date.parse(p.metadata.creationTimestamp)).toBe(30_000);
  });
});

const pvc = (name: string, spec: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
${spec}`;

const pv = (name: string, size: string, extra = '') => `apiVersion: v1
kind: PersistentVolume
metadata: {name: ${name}}
spec:
  capacity: {storage: ${size}}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  hostPath: {path: /data/${name}}
${extra}`;

describe('PersistentVolumes and claims', () => {
  it('binds a claim of the default class at once to a dynamically provisioned volume', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'storageclass')).stdout).toBe(
      'NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE   ALLOWVOLUMEEXPANSION   AGE\nstandard (default)   rancher.io/local-path   Delete          Immediate           false                  0s\n',
    );
    c.file('pvc.yaml', pvc('data', ''));
    await c.run('apply', '-f', 'pvc.yaml');
    const claim = await json(c, 'get', 'pvc', 'data');
    expect(claim.spec.storageClassName).toBe('standard');
    expect(claim.spec.volumeName).toBe(`pvc-${claim.metadata.uid}`);
    expect((await c.run('get', 'pvc')).stdout).toBe(
      `NAME   STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\ndata   Bound    pvc-${claim.metadata.uid}   1Gi        RWO            standard       <unset>                 0s\n`,
    );
    expect((await c.run('get', 'pv')).stdout).toBe(
      `NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\npvc-${claim.metadata.uid}   1Gi        RWO            Delete           Bound    default/data   standard       <unset>                          0s\n`,
    );
    expect((await c.run('events', '--for', 'pvc/data')).stdout).toMatch(
      new RegExp(`ProvisioningSucceeded\\s+PersistentVolumeClaim/data\\s+Successfully provisioned volume pvc-${claim.metadata.uid}`),
    );
    // reclaim policy Delete: the volume goes with its claim
    await c.run('delete', 'pvc', 'data');
    expect((await c.run('get', 'pv')).stderr).toBe('No resources found\n');
  });

  it('binds a static claim to the smallest fitting volume and keeps a Retain volume Released', async () => {
    const c = await manualCluster();
    c.file('pvs.yaml', [pv('big', '10Gi'), pv('small', '2Gi'), pv('tiny', '500Mi')].join('---\n'));
    await c.run('apply', '-f', 'pvs.yaml');
    c.file('pvc.yaml', pvc('data', '  storageClassName: ""\n'));
    await c.run('apply', '-f', 'pvc.yaml');
    expect((await c.run('get', 'pvc', 'data')).stdout).toMatch(/^data\s+Bound\s+small\s+2Gi\s+RWO,ROX\s+<unset>\s+0s$/m);
    const pvs = (await c.run('get', 'pv')).stdout;
    expect(pvs).toMatch(/^small\s+2Gi\s+RWO,ROX\s+Retain\s+Bound\s+default\/data\s+<unset>/m);
    expect(pvs).toMatch(/^big\s+10Gi\s+RWO,ROX\s+Retain\s+Available\s+<unset>/m);
    await c.run('delete', 'pvc', 'data');
    expect((await c.run('get', 'pv', 'small')).stdout).toMatch(/^small\s+2Gi\s+RWO,ROX\s+Retain\s+Released\s+default\/data/m);
  });

  it('keeps a claim a running pod mounts, and a volume bound to a claim, Terminating until nothing uses them', async () => {
    const c = await manualCluster();
    c.file('pvc.yaml', pvc('data', ''));
    c.file(
      'pod.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n  containers: [{name: db, image: postgres:16}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]\n`,
    );
    await c.run('apply', '-f', 'pvc.yaml');
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '5s');
    const claim = await json(c, 'get', 'pvc', 'data');
    expect(claim.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    const volume = claim.spec.volumeName;
    expect((await json(c, 'get', 'pv', volume)).metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    // the volume is bound: deleting it waits for its claim
    expect((await c.run('delete', 'pv', volume, '--wait=false')).stdout).toBe(`persistentvolume "${volume}" deleted\n`);
    expect((await c.run('get', 'pv', volume)).stdout).toMatch(
      new RegExp(`^${volume}\\s+1Gi\\s+RWO\\s+Delete\\s+Terminating\\s+default/data`, 'm'),
    );
    // the claim is mounted by a running pod: deleting it waits for the pod
    expect((await c.run('delete', 'pvc', 'data', '--wait=false')).stdout).toBe('persistentvolumeclaim "data" deleted\n');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'pvc', 'data')).stdout).toMatch(/^data\s+Terminating\s/m);
    expect((await c.run('get', 'pod', 'db')).stdout).toMatch(/db\s+1\/1\s+Running/);
    await c.run('delete', 'pod', 'db');
    expect((await c.run('get', 'pvc,pv')).stderr).toBe('No resources found in default namespace.\n');
  });

  it('leaves a claim Pending when nothing fits, and its pod waiting with the kubelet reason', async () => {
    const c = await manualCluster();
    c.file('pvc.yaml', pvc('huge', '  storageClassName: ""\n'));
    await c.run('apply', '-f', 'pvc.yaml');
    c.file(
      'pod.yaml',
      pod(
        'db',
        '    volumeMounts: [{name: data, mountPath: /data}]\n',
        '  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: huge}\n',
      ),
    );
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '1m');
    expect((await c.run('get', 'pvc', 'huge')).stdout).toMatch(/^huge\s+Pending\s+<unset>\s+60s$/m);
    expect((await c.run('events', '--for', 'pvc/huge')).stdout).toMatch(
      /FailedBinding\s+PersistentVolumeClaim\/huge\s+no persistent volumes available for this claim and no storage class is set/,
    );
    expect(await podLine(c, 'db')).toMatch(/^db\s+0\/1\s+ContainerCreating/);
    expect((await c.run('events', '--for', 'pod/db')).stdout).toContain(
      'Unable to attach or mount volumes: unmounted volumes=[data], unattached volumes=[], failed to process volumes=[data]: error processing PVC default/huge: PVC is not bound',
    );
    // a matching volume appears: the claim binds and the pod starts
    c.file('pv.yaml', pv('late', '1Gi'));
    await c.run('apply', '-f', 'pv.yaml');
    await c.run('clock', 'advance', '5s');
    expect((await c.run('get', 'pvc', 'huge')).stdout).toMatch(/^huge\s+Bound\s+late/m);
    expect(await podLine(c, 'db')).toMatch(/^db\s+1\/1\s+Running/);
    const described = (await c.run('describe', 'pvc', 'huge')).stdout;
    expect(described).toMatch(/^Status: +Bound\nVolume: +late\n/m);
    expect(described).toMatch(/^Capacity: +1Gi\nAccess Modes: +RWO,ROX\nVolumeMode: +Filesystem\nUsed By: +db\n/m);
  });

  it('provisions a WaitForFirstConsumer claim only once a pod using it is on a node', async () => {
    const c = await manualCluster();
    c.file(
      'sc.yaml',
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: local}\nprovisioner: rancher.io/local-path\nvolumeBindingMode: WaitForFirstConsumer\n',
    );
    await c.run('apply', '-f', 'sc.yaml');
    c.file('pvc.yaml', pvc('wait', '  storageClassName: local\n'));
    await c.run('apply', '-f', 'pvc.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'pvc', 'wait')).stdout).toMatch(/^wait\s+Pending\s+local/m);
    expect((await c.run('events', '--for', 'pvc/wait')).stdout).toMatch(
      /WaitForFirstConsumer\s+PersistentVolumeClaim\/wait\s+waiting for first consumer to be created before binding/,
    );
    c.file('pod.yaml', pod('user', '', '  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: wait}\n'));
    await c.run('apply', '-f', 'pod.yaml');
    const claim = await json(c, 'get', 'pvc', 'wait');
    expect(claim.status.phase).toBe('Bound');
    expect(claim.metadata.annotations['volume.kubernetes.io/selected-node']).toBe('node-1');
    const vol = await json(c, 'get', 'pv', claim.spec.volumeName);
    expect(vol.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({
      key: 'kubernetes.io/hostname',
      operator: 'In',
      values: ['node-1'],
    });
  });

  it('rejects a claim without access modes or size, naming the fields', async () => {
    const c = await manualCluster();
    c.file('bad.yaml', 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: bad}\nspec: {}\n');
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The PersistentVolumeClaim "bad" is invalid: \n* spec.accessModes: Required value: at least 1 access mode is required\n* spec.resources[storage]: Required value\n',
    );
    expect((await c.run('get', 'pvc')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('Scheduling pods with claims', () => {
  it('keeps a pod whose claim is unbound Pending with the VolumeBinding reason', async () => {
    const c = await manualCluster();
    c.file('pvc.yaml', pvc('never', '  storageClassName: ""\n'));
    c.file(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: db}\nspec:\n  containers: [{name: db, image: postgres:16}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: never}}]\n',
    );
    await c.run('apply', '-f', 'pvc.yaml');
    await c.run('apply', '-f', 'pod.yaml');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'pod', 'db')).stdout).toMatch(/^db\s+0\/1\s+Pending\s+0\s+30s$/m);
    expect((await c.run('events', '--for', 'pod/db')).stdout).toContain(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
    );
    c.file(
      'orphan.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: lost}\nspec:\n  containers: [{name: db, image: postgres:16}]\n  volumes: [{name: data, persistentVolumeClaim: {claimName: missing}}]\n',
    );
    await c.run('apply', '-f', 'orphan.yaml');
    await c.run('clock', 'advance', '1s');
    expect((await c.run('events', '--for', 'pod/lost')).stdout).toContain(
      '0/3 nodes are available: persistentvolumeclaim "missing" not found.',
    );
  });

  it('binds StatefulSet claims from volumeClaimTemplates at once with the default class', async () => {
    const c = await manualCluster();
    c.file(
      'sts.yaml',
      `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres:16, volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`,
    );
    await c.run('apply', '-f', 'sts.yaml');
    await c.run('clock', 'advance', '20s');
    expect((await c.run('get', 'sts', 'db')).stdout).toMatch(/^db\s+2\/2\s+20s$/m);
    const claims = (await c.run('get', 'pvc', '--no-headers')).stdout.trim().split('\n');
    expect(claims.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['data-db-0 Bound', 'data-db-1 Bound']);
  });
});
