import { describe, expect, it } from 'vitest';
import { manualCluster, type Cluster } from '../support/cli';

/** Two versions of an app behind one Service each: web (stable) and web-canary. */
const BACKENDS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web-canary}
spec:
  replicas: 1
  selector: {matchLabels: {app: web-canary}}
  template:
    metadata: {labels: {app: web-canary}}
    spec: {containers: [{name: web, image: nginx:1.28}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-canary}
spec: {selector: {app: web-canary}, ports: [{port: 80, targetPort: 8080}]}
`;

const GATEWAY = `
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge}
spec:
  gatewayClassName: kubesim
  listeners:
  - {name: http, protocol: HTTP, port: 80, allowedRoutes: {namespaces: {from: All}}}
`;

const SPLIT = `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs:
    - {name: web, port: 80, weight: 90}
    - {name: web-canary, port: 80, weight: 10}
`;

async function gatewayCluster(...manifests: string[]): Promise<Cluster> {
  const c = await manualCluster(['--gateway-api']);
  c.file('m.yaml', [BACKENDS, GATEWAY, ...manifests].join('\n---\n'));
  const r = await c.run('apply', '-f', 'm.yaml');
  expect(r.stderr).toBe('');
  await c.run('clock', 'advance', '30s');
  return c;
}

const jsonpath = async (c: Cluster, ...args: string[]) => (await c.run('get', ...args)).stdout;

describe('Gateway API', () => {
  it('cluster create --gateway-api installs the standard channel CRDs and an accepted kubesim GatewayClass', async () => {
    const c = await manualCluster(['--gateway-api']);
    const crds = await c.run('get', 'crd', '-o', 'name');
    expect(crds.stdout).toBe(
      [
        'customresourcedefinition.apiextensions.k8s.io/gatewayclasses.gateway.networking.k8s.io',
        'customresourcedefinition.apiextensions.k8s.io/gateways.gateway.networking.k8s.io',
        'customresourcedefinition.apiextensions.k8s.io/grpcroutes.gateway.networking.k8s.io',
        'customresourcedefinition.apiextensions.k8s.io/httproutes.gateway.networking.k8s.io',
        'customresourcedefinition.apiextensions.k8s.io/referencegrants.gateway.networking.k8s.io',
        '',
      ].join('\n'),
    );
    const gc = await c.run('get', 'gatewayclass');
    expect(gc.stdout).toMatch(/^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\nkubesim\s+kubesim.io\/gateway\s+True\s+/);
  });

  it('programs a Gateway: an address from the LoadBalancer pool, Accepted/Programmed, attached routes per listener', async () => {
    const c = await gatewayCluster(SPLIT);
    const gw = await c.run('get', 'gateway', 'edge');
    expect(gw.stdout).toMatch(/^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\nedge\s+kubesim\s+172\.18\.255\.200\s+True\s+/);
    const conditions = await jsonpath(
      c,
      'gateway',
      'edge',
      '-o',
      'jsonpath={range .status.conditions[*]}{.type}={.status}/{.reason} {end}',
    );
    expect(conditions).toBe('Accepted=True/Accepted Programmed=True/Programmed ');
    const listener = await jsonpath(
      c,
      'gateway',
      'edge',
      '-o',
      'jsonpath={.status.listeners[0].attachedRoutes} {.status.listeners[0].supportedKinds[0].kind} {range .status.listeners[0].conditions[*]}{.type}={.status} {end}',
    );
    expect(listener).toBe('1 HTTPRoute Accepted=True ResolvedRefs=True Programmed=True ');
    const route = await jsonpath(
      c,
      'httproute',
      'shop',
      '-o',
      'jsonpath={.status.parents[0].controllerName} {range .status.parents[0].conditions[*]}{.type}={.status}/{.reason} {end}',
    );
    expect(route).toBe('kubesim.io/gateway Accepted=True/Accepted ResolvedRefs=True/ResolvedRefs ');
  });

  it('a Service of the pool and a Gateway never share an address', async () => {
    const c = await gatewayCluster(`
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
`);
    const svc = await jsonpath(c, 'svc', 'lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}');
    const gw = await jsonpath(c, 'gateway', 'edge', '-o', 'jsonpath={.status.addresses[0].value}');
    expect(new Set([svc, gw]).size).toBe(2);
    expect([svc, gw].sort()).toEqual(['172.18.255.200', '172.18.255.201']);
  });

  it('a backend in another namespace is refused without a ReferenceGrant (RefNotPermitted), and resolves with one', async () => {
    const other = `
apiVersion: v1
kind: Namespace
metadata: {name: payments}
---
apiVersion: v1
kind: Service
metadata: {name: pay, namespace: payments}
spec: {selector: {app: pay}, ports: [{port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: pay}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{name: pay, namespace: payments, port: 80}]
`;
    const c = await gatewayCluster(other);
    const resolved = `jsonpath={range .status.parents[0].conditions[?(@.type=="ResolvedRefs")]}{.status}/{.reason}: {.message}{end}`;
    expect(await jsonpath(c, 'httproute', 'pay', '-o', resolved)).toBe(
      'False/RefNotPermitted: Backend ref to Service payments/pay not permitted by any ReferenceGrant',
    );
    c.file(
      'grant.yaml',
      `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-default, namespace: payments}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service}]
`,
    );
    expect((await c.run('apply', '-f', 'grant.yaml')).stdout).toBe('referencegrant.gateway.networking.k8s.io/from-default created\n');
    expect(await jsonpath(c, 'httproute', 'pay', '-o', resolved)).toBe('True/ResolvedRefs: All references resolved');
  });

  it('a backend Service that does not exist is BackendNotFound; a parentRef to no listener is NoMatchingParent', async () => {
    const c = await gatewayCluster(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: broken}
spec:
  parentRefs: [{name: edge, sectionName: https}]
  rules:
  - backendRefs: [{name: nothing, port: 80}]
`);
    const conds = await jsonpath(
      c,
      'httproute',
      'broken',
      '-o',
      'jsonpath={range .status.parents[0].conditions[*]}{.type}={.status}/{.reason} {end}',
    );
    expect(conds).toBe('Accepted=False/NoMatchingParent ResolvedRefs=False/BackendNotFound ');
  });
});
