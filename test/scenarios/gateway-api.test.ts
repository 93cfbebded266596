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

  it('a 90/10 weighted split sends about 10% of 1,000 seeded curl requests to the canary', async () => {
    const c = await gatewayCluster(SPLIT);
    const r = await c.run('curl', 'http://172.18.255.200/', '-H', 'Host: shop.example.com', '--count', '1000');
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1000);
    const canary = lines.filter((l) => l.startsWith('Hostname: web-canary-')).length;
    const stable = lines.filter((l) => /^Hostname: web-[a-z0-9]+-[a-z0-9]{5}$/.test(l) && !l.includes('canary')).length;
    expect(canary + stable).toBe(1000);
    expect(canary).toBeGreaterThanOrEqual(75);
    expect(canary).toBeLessThanOrEqual(125);
    // the same seed, the same answers: a second cluster built the same way draws the same split
    const again = await gatewayCluster(SPLIT);
    const r2 = await again.run('curl', 'http://172.18.255.200/', '-H', 'Host: shop.example.com', '--count', '1000');
    expect(r2.stdout.split('\n').filter((l) => l.includes('canary')).length).toBe(canary);
  });

  it('curl reaches a Gateway by a hostname its routes serve, and the Gateway answers 404 for a host no route serves', async () => {
    const c = await gatewayCluster(SPLIT);
    const byName = await c.run('curl', 'http://shop.example.com/cart?id=7');
    expect(byName.stdout).toMatch(/^Hostname: web-\S+\nIP: 10\.244\.\S+\nGET \/cart\?id=7 HTTP\/1\.1\nHost: shop\.example\.com\n$/);
    const none = await c.run('curl', '-i', 'http://172.18.255.200/', '-H', 'Host: other.example.com');
    expect(none.stdout).toBe('HTTP/1.1 404 Not Found\nContent-Type: text/plain\n\nno route matches the request\n');
    expect(none.code).toBe(0);
    const unknown = await c.run('curl', 'http://nowhere.example.com/');
    expect(unknown.stderr).toBe('curl: (6) Could not resolve host: nowhere.example.com\n');
  });

  it("matches by the spec's precedence: Exact path, longest prefix, method, most headers, most query params", async () => {
    const svc = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: nginx:1.27}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec: {selector: {app: ${name}}, ports: [{port: 80}]}
`;
    const c = await gatewayCluster(
      ...['root', 'api', 'api-v2', 'exact', 'post', 'beta', 'beta-eu', 'debug'].map(svc),
      `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: a-routes}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{name: root, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api/v2}}]
    backendRefs: [{name: api-v2, port: 80}]
  - matches: [{path: {type: Exact, value: /api/v2/status}}]
    backendRefs: [{name: exact, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: b-routes}
spec:
  parentRefs: [{name: edge}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}, method: POST}]
    backendRefs: [{name: post, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-beta, value: "1"}]}]
    backendRefs: [{name: beta, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, headers: [{name: x-beta, value: "1"}, {name: x-region, value: eu}]}]
    backendRefs: [{name: beta-eu, port: 80}]
  - matches: [{path: {type: PathPrefix, value: /api}, queryParams: [{name: debug, value: "true"}]}]
    backendRefs: [{name: debug, port: 80}]
`,
    );
    const who = async (...args: string[]) => /^Hostname: (.+)-[a-z0-9]+-[a-z0-9]{5}$/m.exec((await c.run('curl', ...args)).stdout)?.[1];
    expect(await who('http://172.18.255.200/')).toBe('root');
    expect(await who('http://172.18.255.200/apix')).toBe('root');
    expect(await who('http://172.18.255.200/api/users')).toBe('api');
    expect(await who('http://172.18.255.200/api/v2/users')).toBe('api-v2');
    expect(await who('http://172.18.255.200/api/v2/status')).toBe('exact');
    expect(await who('-X', 'POST', 'http://172.18.255.200/api/users')).toBe('post');
    expect(await who('-H', 'X-Beta: 1', 'http://172.18.255.200/api/users')).toBe('beta');
    expect(await who('-H', 'X-Beta: 1', '-H', 'X-Region: eu', 'http://172.18.255.200/api/users')).toBe('beta-eu');
    expect(await who('http://172.18.255.200/api/users?debug=true')).toBe('debug');
    // a method match outranks header matches
    expect(await who('-X', 'POST', '-H', 'X-Beta: 1', 'http://172.18.255.200/api/users')).toBe('post');
  });

  it('applies the filters: request and response header modifiers, URL rewrite, redirect', async () => {
    const c = await gatewayCluster(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: filters}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, hostname: www.example.com, statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}
  - matches: [{path: {type: PathPrefix, value: /store}}]
    filters:
    - type: URLRewrite
      urlRewrite: {hostname: internal.shop, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set: [{name: X-Env, value: prod}]
        add: [{name: X-Trace, value: gw}]
        remove: [X-Debug]
    - type: ResponseHeaderModifier
      responseHeaderModifier: {add: [{name: X-Served-By, value: kubesim}]}
    backendRefs: [{name: web, port: 80}]
`);
    const moved = await c.run('curl', '-i', 'http://shop.example.com/old/page?x=1');
    expect(moved.stdout).toBe('HTTP/1.1 301 Moved Permanently\nLocation: https://www.example.com/new/page?x=1\n\n');
    const rewritten = await c.run(
      'curl',
      '-i',
      'http://shop.example.com/store/items?id=3',
      '-H',
      'X-Debug: yes',
      '-H',
      'X-Trace: client',
      '-H',
      'x-env: dev',
    );
    expect(rewritten.stdout).toMatch(
      /^HTTP\/1\.1 200 OK\nContent-Type: text\/plain; charset=utf-8\nX-Served-By: kubesim\n\nHostname: web-\S+\nIP: \S+\nGET \/items\?id=3 HTTP\/1\.1\nHost: internal\.shop\nX-Env: prod\nX-Trace: client,gw\n$/,
    );
  });

  it('answers 500 for a cross-namespace backend until a ReferenceGrant permits it', async () => {
    const c = await gatewayCluster(`
apiVersion: v1
kind: Namespace
metadata: {name: payments}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: pay, namespace: payments}
spec:
  replicas: 1
  selector: {matchLabels: {app: pay}}
  template:
    metadata: {labels: {app: pay}}
    spec: {containers: [{name: pay, image: nginx:1.27}]}
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
  hostnames: [pay.example.com]
  rules:
  - backendRefs: [{name: pay, namespace: payments, port: 80}]
`);
    const refused = await c.run('curl', '-i', 'http://pay.example.com/');
    expect(refused.stdout).toBe(
      'HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\n\nRefNotPermitted: Backend ref to Service payments/pay not permitted by any ReferenceGrant\n',
    );
    c.file(
      'grant.yaml',
      `
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-default, namespace: payments}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: default}]
  to: [{group: "", kind: Service, name: pay}]
`,
    );
    await c.run('apply', '-f', 'grant.yaml');
    expect((await c.run('curl', 'http://pay.example.com/')).stdout).toMatch(/^Hostname: pay-/);
  });

  it('traffic run --gateway --host drives the load through the route: each backend gets its weight and reports served and latency', async () => {
    const c = await gatewayCluster(SPLIT);
    const r = await c.run('traffic', 'run', '--gateway', 'edge', '--host', 'shop.example.com', '--rps', '100', '--duration', '1m');
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Traffic through gateway/edge (host shop.example.com, path /, route default/shop) for 1m0s (tick 1s, seed 1)');
    expect(lines[1]).toBe('Requests: 6000 offered, 6000 served, 0 dropped (0.0%), 0 answered 500 by the gateway');
    expect(lines[3]).toMatch(/^BACKEND\s+WEIGHT\s+SHARE\s+OFFERED\s+SERVED\s+DROPPED\s+P50\s+P99\s+READY PODS$/);
    expect(lines[4]).toMatch(/^default\/web:80\s+90\s+90\.0%\s+5400\s+5400\s+0\s+\d+(\.\d)?ms\s+\d+(\.\d)?ms\s+2→2$/);
    expect(lines[5]).toMatch(/^default\/web-canary:80\s+10\s+10\.0%\s+600\s+600\s+0\s+\d+(\.\d)?ms\s+\d+(\.\d)?ms\s+1→1$/);
    // the load each Service carries is its share (what the metrics pipeline and an HPA see)
    const share = await c.run('get', 'svc', 'web-canary', '-o', 'jsonpath={.metadata.annotations.sim\\.kubesim\\.io/traffic}');
    expect(JSON.parse(share.stdout).share).toBe(0.1);
  });

  it('traffic run --gateway answers the share of a backend it may not use with 500s, and refuses what it cannot route', async () => {
    const c = await gatewayCluster(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop}
spec:
  parentRefs: [{name: edge}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs:
    - {name: web, port: 80, weight: 3}
    - {name: pay, namespace: kube-system, port: 80, weight: 1}
`);
    const r = await c.run('traffic', 'run', '--gateway', 'edge', '--host', 'shop.example.com', '--duration', '10s');
    expect(r.stdout.split('\n')[1]).toBe('Requests: 1000 offered, 750 served, 0 dropped (0.0%), 250 answered 500 by the gateway');
    expect(r.stdout).toMatch(/kube-system\/pay:80\s+1\s+25\.0%\s+-\s+-\s+-\s+-\s+-\s+RefNotPermitted\n/);
    const noHost = await c.run('traffic', 'run', '--gateway', 'edge');
    expect([noHost.code, noHost.stderr]).toEqual([1, 'error: required flag(s) "host" not set\n']);
    const nothing = await c.run('traffic', 'run', '--gateway', 'edge', '--host', 'other.example.com');
    expect(nothing.stderr).toBe('error: no HTTPRoute of gateway/edge matches GET http://other.example.com/\n');
    const missing = await c.run('traffic', 'run', '--gateway', 'nope', '--host', 'shop.example.com');
    expect(missing.stderr).toBe('Error from server (NotFound): gateways.gateway.networking.k8s.io "nope" not found\n');
  });
});
