import { describe, it, expect } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { advanceSeconds, clusterWith, manualCluster, type Cluster } from '../support/cli';

const start = (manifest: string): Promise<Cluster> => clusterWith(manifest, (stderr) => expect(stderr).toBe(''));
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

async function json(c: Cluster, ...args: string[]) {
  const r = await c.run(...args, '-o', 'json');
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

describe('the root CA publisher (kube-root-ca.crt in every namespace)', () => {
  it('publishes the cluster CA in every namespace, a new one included; remade when deleted, put back when changed', async () => {
    const c = await manualCluster();
    expect((await c.run('get', 'cm', '-A', '--no-headers')).stdout.replace(/ +/g, ' ')).toBe(
      ['default', 'kube-node-lease', 'kube-public', 'kube-system'].map((ns) => `${ns} kube-root-ca.crt 1 0s\n`).join(''),
    );
    await c.run('create', 'ns', 'team');
    const cm = await json(c, 'get', 'cm', 'kube-root-ca.crt', '-n', 'team');
    expect(cm.metadata.annotations).toEqual({ 'kubernetes.io/description': DESCRIPTION });
    expect(Object.keys(cm.data)).toEqual(['ca.crt']);
    const ca = new X509Certificate(cm.data['ca.crt']);
    expect(ca.subject).toBe('CN=kubernetes');
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    // the same CA in every namespace, and on every run of the same cluster
    expect((await json(c, 'get', 'cm', 'kube-root-ca.crt', '-n', 'default')).data['ca.crt']).toBe(cm.data['ca.crt']);

    // publisher.go: the deletion queues the namespace and its sync Creates a new ConfigMap at once (a new object: a new uid)
    expect(await c.run('delete', 'cm', 'kube-root-ca.crt', '-n', 'team')).toEqual({
      code: 0,
      stdout: 'configmap "kube-root-ca.crt" deleted\n',
      stderr: '',
    });
    const again = await json(c, 'get', 'cm', 'kube-root-ca.crt', '-n', 'team');
    expect(again.data['ca.crt']).toBe(cm.data['ca.crt']);
    expect(again.metadata.uid).not.toBe(cm.metadata.uid);
    expect(again.metadata.creationTimestamp).toBe(cm.metadata.creationTimestamp);
    // later, made at the instant of that deletion
    await c.run('clock', 'advance', '90s');
    await c.run('delete', 'cm', 'kube-root-ca.crt', '-n', 'team');
    const later = await json(c, 'get', 'cm', 'kube-root-ca.crt', '-n', 'team');
    expect(new Set([cm.metadata.uid, again.metadata.uid, later.metadata.uid]).size).toBe(3);
    expect(Date.parse(later.metadata.creationTimestamp) - Date.parse(cm.metadata.creationTimestamp)).toBe(90_000);

    await c.run(
      'patch',
      'cm',
      'kube-root-ca.crt',
      '-n',
      'team',
      '--type=merge',
      '-p',
      '{"data":{"ca.crt":"x","extra":"y"},"metadata":{"labels":{"mine":"1"}}}',
    );
    const back = await json(c, 'get', 'cm', 'kube-root-ca.crt', '-n', 'team');
    expect(back.data).toEqual({ 'ca.crt': cm.data['ca.crt'] });
    // the controller puts back data and its annotation only
    expect(back.metadata.labels).toEqual({ mine: '1' });
  });
});

const pod = (extra = '', podSpec = '') => `apiVersion: v1
kind: Pod
metadata: {name: box}
spec:
  nodeName: node-1
${podSpec}  initContainers:
  - name: init
    image: busybox
    command: [sh, -c, 'cat ${SA_DIR}/namespace > /work/ns']
    volumeMounts: [{name: work, mountPath: /work}]
  containers:
  - name: app
    image: busybox
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: work, mountPath: /work}]
${extra}  volumes:
  - name: work
    emptyDir: {}
`;

describe('the ServiceAccount admission plugin mounts the kube-api-access volume', () => {
  it('adds the projected volume and a read-only mount in every container, init included, as a v1.32 API server does', async () => {
    const c = await start(pod());
    const p = await json(c, 'get', 'pod', 'box');
    const volume = p.spec.volumes[1];
    expect(volume.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(volume).toEqual({
      name: volume.name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    const mount = { name: volume.name, readOnly: true, mountPath: SA_DIR };
    expect(p.spec.initContainers[0].volumeMounts).toEqual([{ name: 'work', mountPath: '/work' }, mount]);
    expect(p.spec.containers[0].volumeMounts).toEqual([{ name: 'work', mountPath: '/work' }, mount]);
    expect((await c.run('get', 'pod', 'box', '-o', 'yaml')).stdout).toContain(
      `    - mountPath: ${SA_DIR}\n      name: ${volume.name}\n      readOnly: true\n`,
    );
    const described = (await c.run('describe', 'pod', 'box')).stdout;
    expect(described).toContain(`${SA_DIR} from ${volume.name} (ro)`);
    expect(described).toContain('TokenExpirationSeconds:  3607');
  });

  it('the container sees token, ca.crt and namespace: the CA is the published one, the token authenticates as the account, bound to the pod', async () => {
    const c = await start(pod());
    await advanceSeconds(c, 5);
    const ls = await c.run('exec', 'box', '--', 'ls', SA_DIR);
    expect(ls.stdout).toBe('ca.crt\nnamespace\ntoken\n');
    expect((await c.run('exec', 'box', '--', 'cat', `${SA_DIR}/namespace`)).stdout).toBe('default');
    expect((await c.run('exec', 'box', '--', 'cat', '/work/ns')).stdout).toBe('default');
    const ca = (await json(c, 'get', 'cm', 'kube-root-ca.crt')).data['ca.crt'];
    expect((await c.run('exec', 'box', '--', 'cat', `${SA_DIR}/ca.crt`)).stdout).toBe(ca);
    const token = (await c.run('exec', 'box', '--', 'cat', `${SA_DIR}/token`)).stdout;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(claims['kubernetes.io'].pod.name).toBe('box');
    // 3607 s asked: the API server extends a pod's token to a year and warns after the asked time
    expect(claims.exp - claims.iat).toBe(365 * 24 * 3600);
    expect(claims['kubernetes.io'].warnafter - claims.iat).toBe(3607);
    const who = await c.run('auth', 'whoami', '--token', token, '-o', 'json');
    expect(JSON.parse(who.stdout).status.userInfo.username).toBe('system:serviceaccount:default:default');
    expect(await c.run('exec', 'box', '--', 'sh', '-c', `echo x > ${SA_DIR}/token`)).toMatchObject({ code: 1 });
  });

  it('automountServiceAccountToken: false on the pod or its account leaves the pod without it; the pod wins; an existing mount at the path is kept', async () => {
    const c = await manualCluster();
    await c.run('create', 'sa', 'quiet');
    await c.run('patch', 'sa', 'quiet', '-p', '{"automountServiceAccountToken":false}');
    const volumes = async (name: string, manifest: string) => {
      const f = c.file(`${name}.yaml`, manifest.replace('name: box', `name: ${name}`));
      expect(await c.run('apply', '-f', f)).toMatchObject({ stderr: '', code: 0 });
      const p = await json(c, 'get', 'pod', name);
      return [
        (p.spec.volumes ?? []).map((v: { name: string }) => v.name.replace(/-\w{5}$/, '-xxxxx')),
        p.spec.containers[0].volumeMounts.length,
      ];
    };
    expect(await volumes('unmounted', pod('', '  automountServiceAccountToken: false\n'))).toEqual([['work'], 1]);
    expect(await volumes('sa-off', pod('', '  serviceAccountName: quiet\n'))).toEqual([['work'], 1]);
    expect(await volumes('pod-on', pod('', '  serviceAccountName: quiet\n  automountServiceAccountToken: true\n'))).toEqual([
      ['work', 'kube-api-access-xxxxx'],
      2,
    ]);
    const own = pod().replace(
      'volumeMounts: [{name: work, mountPath: /work}]\n  volumes',
      `volumeMounts: [{name: work, mountPath: ${SA_DIR}}]\n  volumes`,
    );
    // the app container has its own mount there; the init container still gets the volume
    expect(await volumes('own', own)).toEqual([['work', 'kube-api-access-xxxxx'], 1]);
    expect((await c.run('exec', 'unmounted', '--', 'ls', SA_DIR)).code).toBe(1);
  });
});
