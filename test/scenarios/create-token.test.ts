import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

/** The header and claims of a JWT. */
function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; payload: string } {
  const [header, payload] = token.split('.');
  const json = (part: string) => Buffer.from(part, 'base64url').toString('utf8');
  return { header: JSON.parse(json(header)), claims: JSON.parse(json(payload)), payload: json(payload) };
}

const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });

describe('create token', () => {
  it("issues a JWT with the claims a v1.32 API server puts in a service account's token", async () => {
    const c = await manualCluster();
    const r = await c.run('create', 'token', 'default');
    expect(r.code).toBe(0);
    // piped, the token is printed alone, without a newline ($(kubesim create token x))
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { header, claims, payload } = decode(r.stdout);
    expect(header).toEqual({ alg: 'HS256', kid: expect.any(String) });
    const sa = JSON.parse((await c.run('get', 'serviceaccount', 'default', '-o', 'json')).stdout);
    // the manual clock starts at 2025-01-01T00:00:00Z; one hour by default
    const iat = Date.UTC(2025, 0, 1) / 1000;
    expect(claims).toEqual({
      aud: ['https://kubernetes.default.svc.cluster.local'],
      exp: iat + 3600,
      iat,
      iss: 'https://kubernetes.default.svc.cluster.local',
      jti: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/),
      'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'default', uid: sa.metadata.uid } },
      nbf: iat,
      sub: 'system:serviceaccount:default:default',
    });
    // keys in go-jose's (sorted) order
    expect(Object.keys(JSON.parse(payload))).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
  });

  it('-o yaml prints the TokenRequest; --duration and --audience shape it', async () => {
    const c = await manualCluster();
    const r = await c.run(
      'create',
      'token',
      'default',
      '--duration=10m',
      '--audience=https://example.com',
      '--audience=vault',
      '-o',
      'yaml',
    );
    const token = /token: (\S+)/.exec(r.stdout)![1];
    expect(r.stdout).toBe(`apiVersion: authentication.k8s.io/v1
kind: TokenRequest
metadata:
  creationTimestamp: "2025-01-01T00:00:00Z"
  name: default
  namespace: default
spec:
  audiences:
  - https://example.com
  - vault
  boundObjectRef: null
  expirationSeconds: 600
status:
  expirationTimestamp: "2025-01-01T00:10:00Z"
  token: ${token}
`);
    // a token for other audiences does not authenticate to the API server
    expect(await c.run('auth', 'whoami', '--token', token)).toEqual(fail('error: You must be logged in to the server (Unauthorized)\n'));
  });

  it('binds a token to a pod (with its node), a secret or a node; a deleted pod ends it', async () => {
    const c = await manualCluster();
    await c.run('run', 'web', '--image=nginx');
    await c.run('clock', 'advance', '5s');
    const pod = JSON.parse((await c.run('get', 'pod', 'web', '-o', 'json')).stdout);
    const node = JSON.parse((await c.run('get', 'node', pod.spec.nodeName, '-o', 'json')).stdout);
    const token = (await c.run('create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'web')).stdout;
    expect(decode(token).claims['kubernetes.io']).toEqual({
      namespace: 'default',
      node: { name: node.metadata.name, uid: node.metadata.uid },
      pod: { name: 'web', uid: pod.metadata.uid },
      serviceaccount: { name: 'default', uid: expect.any(String) },
    });
    const who = (await c.run('auth', 'whoami', '--token', token)).stdout;
    expect(who).toMatch(/\nExtra: authentication\.kubernetes\.io\/pod-name +\[web\]\n/);
    await c.run('delete', 'pod', 'web', '--now');
    await c.run('clock', 'advance', '1m');
    expect((await c.run('auth', 'whoami', '--token', token)).code).toBe(1);
    await c.run('create', 'secret', 'generic', 's');
    const bySecret = (await c.run('create', 'token', 'default', '--bound-object-kind=Secret', '--bound-object-name=s')).stdout;
    expect(decode(bySecret).claims['kubernetes.io']).toMatchObject({ secret: { name: 's' } });
    // kubelet's 3607 s for a pod-bound token is extended to a year, with warnafter
    await c.run('run', 'web2', '--image=nginx');
    const long = (await c.run('create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=web2', '--duration=3607s'))
      .stdout;
    const claims = decode(long).claims as { exp: number; iat: number; 'kubernetes.io': { warnafter: number } };
    expect(claims.exp - claims.iat).toBe(365 * 24 * 3600);
    expect(claims['kubernetes.io'].warnafter - claims.iat).toBe(3607);
  });

  it('refuses what kubectl and the API server refuse, in their words', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'token', 'nope')).toEqual(fail('error: failed to create token: serviceaccounts "nope" not found\n'));
    expect(await c.run('create', 'token', 'default', '--duration=5m')).toEqual(
      fail(
        'error: failed to create token: TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n',
      ),
    );
    expect(await c.run('create', 'token', 'default', '--duration=600')).toEqual(
      fail(
        `error: invalid argument "600" for "--duration" flag: time: missing unit in duration "600"\nSee 'kubesim create token --help' for usage.\n`,
      ),
    );
    expect(await c.run('create', 'token', 'default', '--duration=1.5s')).toEqual(
      fail('error: --duration cannot be expressed in units less than seconds\n'),
    );
    expect(await c.run('create', 'token', 'default', '--bound-object-kind=Foo', '--bound-object-name=x')).toEqual(
      fail('error: supported --bound-object-kind values are Node, Pod, Secret\n'),
    );
    expect(await c.run('create', 'token', 'default', '--bound-object-name=x')).toEqual(
      fail('error: --bound-object-name can only be set if --bound-object-kind is provided\n'),
    );
    expect(await c.run('create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=x')).toEqual(
      fail('error: failed to create token: pods "x" not found\n'),
    );
    expect(await c.run('create', 'token', 'default', '--audience=')).toEqual(fail('error: --audience must not be an empty string\n'));
  });
});
