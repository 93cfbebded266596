import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { manualCluster } from '../support/cli';

/**
 * Public install bundles (test/fixtures/bundles, each with its licence and source commit in
 * README.md) applied as a user applies them, checked against what a v1.32 cluster does with them.
 * Where a bundle needs its own code to run (a certificate generator, an init container that
 * creates a Secret), kubesim cannot run that code and the cluster stops where it would stop
 * without it: the tests say so.
 */
const BUNDLES = path.resolve(__dirname, '../fixtures/bundles');
const bundle = (...parts: string[]) => path.join(BUNDLES, ...parts);

type Cluster = Awaited<ReturnType<typeof manualCluster>>;
const created = (r: { stdout: string }) => r.stdout.split('\n').filter((l) => l.endsWith(' created')).length;
const lines = async (c: Cluster, ...args: string[]) => (await c.run(...args)).stdout;

describe('install bundles apply as on a v1.32 cluster', () => {
  it('ingress-nginx (deploy/static/provider/cloud): all 19 objects, the webhook registered; without kube-webhook-certgen the controller waits for its certificate and the webhook refuses Ingresses', async () => {
    const c = await manualCluster();
    const r = await c.run('apply', '-f', bundle('ingress-nginx', 'deploy.yaml'));
    expect([r.code, created(r), r.stderr]).toEqual([0, 19, '']);
    expect(r.stdout).toContain('validatingwebhookconfiguration.admissionregistration.k8s.io/ingress-nginx-admission created\n');
    await c.run('clock', 'advance', '2m');
    // the certgen Jobs run to completion (ttlSecondsAfterFinished: 0 removes them) but create no Secret: that is their code
    expect((await c.run('get', 'jobs', '-n', 'ingress-nginx')).stderr).toBe('No resources found in ingress-nginx namespace.\n');
    const pod = await lines(c, 'get', 'pods', '-n', 'ingress-nginx', '--no-headers', '-o', 'custom-columns=STATUS:.status.phase');
    expect(pod).toBe('Pending\n');
    expect(await lines(c, 'describe', 'pods', '-n', 'ingress-nginx')).toContain(
      'MountVolume.SetUp failed for volume "webhook-cert" : secret "ingress-nginx-admission" not found',
    );
    expect(await lines(c, 'get', 'svc', 'ingress-nginx-controller', '-n', 'ingress-nginx', '-o', 'jsonpath={.spec.type}')).toBe(
      'LoadBalancer',
    );
    c.file(
      'ingress.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  ingressClassName: nginx\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n',
    );
    const ingress = await c.run('apply', '-f', 'ingress.yaml');
    expect([ingress.code, ingress.stderr]).toEqual([
      1,
      'Error from server (InternalError): error when creating "ingress.yaml": Internal error occurred: failed calling webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook: Post "https://ingress-nginx-controller-admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s": no endpoints available for service "ingress-nginx-controller-admission"\n',
    ]);
  });

  it('cert-manager CRDs, then an Issuer and a Certificate: established, accepted, printed with their columns', async () => {
    const c = await manualCluster();
    const crds = await c.run('apply', '-f', bundle('cert-manager', 'crds.yaml'));
    expect(crds.stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/issuers.cert-manager.io created\ncustomresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io created\n',
    );
    const crs = await c.run('apply', '-f', bundle('cert-manager', 'issuer-certificate.yaml'));
    expect(crs.stdout).toBe('issuer.cert-manager.io/selfsigned created\ncertificate.cert-manager.io/web created\n');
    expect(await lines(c, 'get', 'certificates')).toBe('NAME   READY    SECRET    AGE\nweb    <none>   web-tls   0s\n');
    // the schema is enforced: a Certificate without its required secretName is refused
    c.file(
      'bad.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: bad}\nspec:\n  issuerRef: {name: selfsigned}\n',
    );
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe('The Certificate "bad" is invalid: spec.secretName: Required value\n');
  });

  it('Gateway API standard CRDs: a GatewayClass and a Gateway accepted with their defaults; the CRDs CEL rules refuse a bad listener', async () => {
    const c = await manualCluster();
    expect(created(await c.run('apply', '-f', bundle('gateway-api', 'standard-crds.yaml')))).toBe(3);
    const r = await c.run('apply', '-f', bundle('gateway-api', 'gateway.yaml'));
    expect(r.stdout).toBe('gatewayclass.gateway.networking.k8s.io/example created\ngateway.gateway.networking.k8s.io/web created\n');
    // schema defaults: allowedRoutes and the Pending conditions nobody's controller has answered yet
    expect(
      await lines(
        c,
        'get',
        'gateway',
        'web',
        '-o',
        'jsonpath={.spec.listeners[0].allowedRoutes.namespaces.from} {.status.conditions[*].reason}',
      ),
    ).toBe('Same Pending Pending');
    c.file(
      'bad.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: bad}\nspec:\n  gatewayClassName: example\n  listeners:\n  - {name: http, protocol: HTTP, port: 80, tls: {mode: Terminate, certificateRefs: [{name: web-tls}]}}\n',
    );
    expect((await c.run('apply', '-f', 'bad.yaml')).stderr).toBe(
      `The Gateway "bad" is invalid: spec.listeners: Invalid value: "array": tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']\n`,
    );
  });

  it('metrics-server (manifests/base, with -k): its pod runs and its APIService becomes Available once the Service has endpoints', async () => {
    const c = await manualCluster();
    const r = await c.run('apply', '-k', bundle('metrics-server'));
    expect([r.code, created(r)]).toEqual([0, 9]);
    expect(await lines(c, 'get', 'apiservice', 'v1beta1.metrics.k8s.io', '--no-headers')).toMatch(/False \(MissingEndpoints\)/);
    await c.run('clock', 'advance', '1m');
    expect(
      await lines(
        c,
        'get',
        'pods',
        '-n',
        'kube-system',
        '-l',
        'k8s-app=metrics-server',
        '--no-headers',
        '-o',
        'custom-columns=S:.status.phase',
      ),
    ).toBe('Running\n');
    expect(await lines(c, 'get', 'apiservice', 'v1beta1.metrics.k8s.io', '-o', 'jsonpath={.status.conditions[0].status}')).toBe('True');
  });

  it('Argo CD install.yaml -n argocd (trimmed): every object created; pods that need the argocd-redis Secret its init container would create wait for it', async () => {
    const c = await manualCluster();
    await c.run('create', 'namespace', 'argocd');
    const r = await c.run('apply', '-n', 'argocd', '-f', bundle('argo-cd', 'install-trimmed.yaml'));
    expect([r.code, created(r), r.stderr]).toEqual([0, 57, '']);
    await c.run('clock', 'advance', '2m');
    const pods = await lines(
      c,
      'get',
      'pods',
      '-n',
      'argocd',
      '--no-headers',
      '-o',
      'custom-columns=N:.metadata.labels.app\\.kubernetes\\.io/name,S:.status.containerStatuses[0].state.waiting.reason',
    );
    // the Secret argocd-redis is written by redis's secret-init container (`argocd admin redis-initial-password`): that is Argo CD's code
    expect(pods).toBe(
      'argocd-application-controller      CreateContainerConfigError\n' +
        'argocd-applicationset-controller   <none>\n' +
        'argocd-dex-server                  <none>\n' +
        'argocd-notifications-controller    <none>\n' +
        'argocd-redis                       CreateContainerConfigError\n' +
        'argocd-repo-server                 CreateContainerConfigError\n' +
        'argocd-server                      CreateContainerConfigError\n',
    );
    expect(await lines(c, 'describe', 'pods', '-n', 'argocd', '-l', 'app.kubernetes.io/name=argocd-server')).toContain(
      'Error: secret "argocd-redis" not found',
    );
    // the ApplicationSet CRD is too big for client-side apply's last-applied annotation; --server-side takes it
    c.file('appsets.yaml', zlib.gunzipSync(fs.readFileSync(bundle('argo-cd', 'applicationsets-crd.yaml.gz'))).toString('utf8'));
    const client = await c.run('apply', '-f', 'appsets.yaml');
    expect([client.code, client.stderr]).toEqual([
      1,
      'The CustomResourceDefinition "applicationsets.argoproj.io" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes\n',
    ]);
    expect((await c.run('apply', '--server-side', '-f', 'appsets.yaml')).stdout).toBe(
      'customresourcedefinition.apiextensions.k8s.io/applicationsets.argoproj.io serverside-applied\n',
    );
  });

  it('a typo in a bundle-style manifest is refused under the default --validate=strict', async () => {
    const c = await manualCluster();
    await c.run('apply', '-f', bundle('cert-manager', 'crds.yaml'));
    c.file(
      'typo.yaml',
      'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: typo}\nspec:\n  secretName: s\n  issuerRef: {name: selfsigned}\n  dnsName: [a.example.com]\n',
    );
    const r = await c.run('apply', '-f', 'typo.yaml');
    expect([r.code, r.stderr]).toEqual([
      1,
      'Error from server (BadRequest): error when creating "typo.yaml": Certificate in version "v1" cannot be handled as a Certificate: strict decoding error: unknown field "spec.dnsName"\n',
    ]);
  });
});
