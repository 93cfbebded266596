import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;
const json = async (c: Cluster, ...args: string[]) => JSON.parse((await c.run(...args, '-o', 'json')).stdout);

const deployment = (name: string, replicas: number, annotations = '{}') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}, annotations: ${annotations}}
    spec:
      nodeName: node-1
      containers:
      - name: app
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
`;

const service = (name: string, spec: string) => `apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
${spec}`;

async function webApp(c: Cluster, replicas = 3, svcExtra = ''): Promise<void> {
  c.file('web.yaml', deployment('web', replicas));
  c.file('svc.yaml', service('web', `  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: http}]\n${svcExtra}`));
  await c.run('apply', '-f', 'web.yaml');
  await c.run('apply', '-f', 'svc.yaml');
  await c.run('clock', 'advance', '10s');
}

describe('Services', () => {
  it('shows ClusterIP, NodePort, headless, ExternalName and LoadBalancer services with kubectl columns', async () => {
    const c = await manualCluster();
    c.file(
      'svcs.yaml',
      [
        service('a-cluster', '  selector: {app: a}\n  ports: [{port: 80}]\n'),
        service('b-node', '  type: NodePort\n  selector: {app: b}\n  ports: [{port: 80, nodePort: 30080}]\n'),
        service('c-headless', '  clusterIP: None\n  selector: {app: c}\n  ports: [{port: 5432}]\n'),
        service('d-external', '  type: ExternalName\n  externalName: db.example.com\n'),
        service('e-lb', '  type: LoadBalancer\n  selector: {app: e}\n  ports: [{port: 443, nodePort: 31443}]\n'),
      ].join('---\n'),
    );
    await c.run('apply', '-f', 'svcs.yaml');
    const out = (await c.run('get', 'svc', '-o', 'wide')).stdout.split('\n');
    expect(out[0]).toMatch(/^NAME {9}TYPE {11}CLUSTER-IP +EXTERNAL-IP {6}PORT\(S\) {9}AGE {3}SELECTOR$/);
    expect(out[1]).toMatch(/^a-cluster\s+ClusterIP\s+10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+\s+<none>\s+80\/TCP\s+0s\s+app=a$/);
    expect(out[2]).toMatch(/^b-node\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:30080\/TCP\s+0s\s+app=b$/);
    expect(out[3]).toMatch(/^c-headless\s+ClusterIP\s+None\s+<none>\s+5432\/TCP\s+0s\s+app=c$/);
    expect(out[4]).toMatch(/^d-external\s+ExternalName\s+<none>\s+db\.example\.com\s+<none>\s+0s\s+<none>$/);
    expect(out[5]).toMatch(/^e-lb\s+LoadBalancer\s+10\.\d+\.\d+\.\d+\s+172\.18\.255\.200\s+443:31443\/TCP\s+0s\s+app=e$/);
    expect((await c.run('events', '--for', 'service/e-lb')).stdout).toMatch(
      /IPAllocated\s+Service\/e-lb\s+Assigned IP \["172\.18\.255\.200"\]/,
    );
  });

  it('leaves a LoadBalancer <pending> when the address pool is empty, until an address frees up', async () => {
    const c = await manualCluster();
    c.file(
      'pool.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubesim-loadbalancer-pool, namespace: kube-system}\ndata: {addresses: 172.18.255.10}\n',
    );
    await c.run('apply', '-f', 'pool.yaml');
    await c.run('create', 'service', 'loadbalancer', 'one', '--tcp=80:8080');
    await c.run('create', 'service', 'loadbalancer', 'two', '--tcp=80:8080');
    expect((await c.run('get', 'svc', 'one')).stdout).toMatch(/^one\s+LoadBalancer\s+\S+\s+172\.18\.255\.10\s+80:3\d{4}\/TCP/m);
    expect((await c.run('get', 'svc', 'two')).stdout).toMatch(/^two\s+LoadBalancer\s+\S+\s+<pending>\s+80:3\d{4}\/TCP/m);
    expect((await c.run('events', '--for', 'service/two')).stdout).toContain('Failed to allocate IP for "default/two": no available IPs');
    await c.run('delete', 'svc', 'one');
    expect((await c.run('get', 'svc', 'two')).stdout).toMatch(/^two\s+LoadBalancer\s+\S+\s+172\.18\.255\.10\s+/m);
  });

  it('rejects a NodePort that is taken or out of range, writing nothing', async () => {
    const c = await manualCluster();
    c.file('a.yaml', service('a', '  type: NodePort\n  selector: {app: a}\n  ports: [{port: 80, nodePort: 30080}]\n'));
    c.file('b.yaml', service('b', '  type: NodePort\n  selector: {app: b}\n  ports: [{port: 80, nodePort: 30080}]\n'));
    c.file('c.yaml', service('c', '  type: NodePort\n  selector: {app: c}\n  ports: [{port: 80, nodePort: 8080}]\n'));
    await c.run('apply', '-f', 'a.yaml');
    const taken = await c.run('apply', '-f', 'b.yaml');
    expect([taken.code, taken.stderr]).toEqual([
      1,
      'The Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n',
    ]);
    const range = await c.run('apply', '-f', 'c.yaml');
    expect([range.code, range.stderr]).toEqual([
      1,
      'The Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767\n',
    ]);
    expect((await c.run('get', 'svc', '-o', 'name')).stdout).toBe('service/a\nservice/kubernetes\n');
  });
});

describe('Endpoints and EndpointSlices', () => {
  it('list ready pods with the named target port resolved, and not-ready pods as not ready', async () => {
    const c = await manualCluster();
    await webApp(c, 2);
    c.file(
      'slow.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata: {name: slow, labels: {app: web}, annotations: {sim.kubesim.io/never-ready: 'true'}}\nspec:\n  nodeName: node-2\n  containers: [{name: app, image: nginx:1.27, ports: [{name: http, containerPort: 9090}]}]\n`,
    );
    await c.run('apply', '-f', 'slow.yaml');
    await c.run('clock', 'advance', '5s');
    const pods = (await json(c, 'get', 'pods', '-l', 'app=web')).items as { metadata: { name: string }; status: { podIP: string } }[];
    const ipOf = (prefix: string) =>
      pods
        .filter((p) => p.metadata.name.startsWith(prefix))
        .map((p) => p.status.podIP)
        .sort();
    const [ip1, ip2] = ipOf('web-');
    const endpoints = `${ip1}:8080,${ip2}:8080`;
    expect((await c.run('get', 'endpoints', 'web')).stdout).toBe(
      `NAME   ${'ENDPOINTS'.padEnd(endpoints.length)}   AGE\nweb    ${endpoints}   15s\n`,
    );
    const ep = await json(c, 'get', 'ep', 'web');
    expect(
      ep.subsets.map((s: { notReadyAddresses?: { ip: string }[]; ports: { port: number }[] }) => [
        s.notReadyAddresses?.map((a) => a.ip),
        s.ports[0].port,
      ]),
    ).toContainEqual([[ipOf('slow')[0]], 9090]);
    const slices = (await json(c, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items as {
      metadata: { name: string };
      ports: { port: number }[];
      endpoints: { addresses: string[]; conditions: { ready: boolean } }[];
    }[];
    expect(slices.map((s) => s.ports[0].port).sort()).toEqual([8080, 9090]);
    const slow = slices.find((s) => s.ports[0].port === 9090)!;
    expect(slow.endpoints[0].conditions).toEqual({ ready: false, serving: false, terminating: false });
    const table = (await c.run('get', 'endpointslices')).stdout;
    expect(table.split('\n')[0]).toMatch(/^NAME {8}ADDRESSTYPE {3}PORTS {3}ENDPOINTS +AGE$/);
    expect(table).toMatch(
      new RegExp(`^web-[a-z0-9]{5}\\s+IPv4\\s+8080\\s+${ip1.replace(/\./g, '\\.')},${ip2.replace(/\./g, '\\.')}\\s+15s$`, 'm'),
    );
  });

  it("are described as kubectl describes them: subsets, ports, and each endpoint's readiness and place", async () => {
    const c = await manualCluster();
    await webApp(c, 1);
    c.file(
      'slow.yaml',
      `apiVersion: v1\nkind: Pod\nmetadata: {name: slow, labels: {app: web}, annotations: {sim.kubesim.io/never-ready: 'true'}}\nspec:\n  nodeName: node-2\n  containers: [{name: app, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]\n`,
    );
    await c.run('apply', '-f', 'slow.yaml');
    await c.run('clock', 'advance', '5s');
    const pods = (await json(c, 'get', 'pods', '-l', 'app=web')).items as { metadata: { name: string }; status: { podIP: string } }[];
    const ipOf = (prefix: string) => pods.find((p) => p.metadata.name.startsWith(prefix))!.status.podIP;
    const ep = (await c.run('describe', 'endpoints', 'web')).stdout;
    expect(ep).toContain(
      `Subsets:\n  Addresses:          ${ipOf('web-')}\n  NotReadyAddresses:  ${ipOf('slow')}\n  Ports:\n    Name  Port  Protocol\n    ----  ----  --------\n    http  8080  TCP\n\nEvents:  <none>\n`,
    );
    const slice = (await c.run('describe', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).stdout;
    expect(slice).toMatch(
      /\nAddressType: {2}IPv4\nPorts:\n {2}Name {2}Port {2}Protocol\n {2}---- {2}---- {2}--------\n {2}http {2}8080 {2}TCP\nEndpoints:\n/,
    );
    expect(slice).toContain(
      `  - Addresses:  ${ipOf('slow')}\n    Conditions:\n      Ready:    false\n    Hostname:   <unset>\n    TargetRef:  Pod/slow\n    NodeName:   node-2\n    Zone:       zone-b\n`,
    );
  });

  it('drop a pod from Endpoints when it stops being ready or starts terminating', async () => {
    const c = await manualCluster();
    await webApp(c, 1);
    const pod = (await json(c, 'get', 'pods', '-l', 'app=web')).items[0];
    expect((await c.run('get', 'ep', 'web')).stdout).toContain(`${pod.status.podIP}:8080`);
    await c.run('delete', 'pod', pod.metadata.name, '--wait=false');
    const ep = await json(c, 'get', 'ep', 'web');
    expect(JSON.stringify(ep)).not.toContain(pod.status.podIP);
    const slice = (await json(c, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')).items[0];
    const terminating = slice.endpoints.find((e: { addresses: string[] }) => e.addresses[0] === pod.status.podIP);
    expect(terminating.conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('give a Service without pods one empty slice and <none> endpoints', async () => {
    const c = await manualCluster();
    await c.run('create', 'service', 'clusterip', 'lonely', '--tcp=80:8080');
    expect((await c.run('get', 'ep', 'lonely')).stdout).toBe('NAME     ENDPOINTS   AGE\nlonely   <none>      0s\n');
    expect((await c.run('get', 'endpointslices')).stdout).toMatch(/^lonely-[a-z0-9]{5}\s+IPv4\s+<unset>\s+<unset>\s+0s$/m);
    await c.run('delete', 'svc', 'lonely');
    expect((await c.run('get', 'ep')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('Cluster DNS', () => {
  it('resolves a Service by short, namespaced and fully qualified names', async () => {
    const c = await manualCluster();
    await webApp(c, 1);
    const ip = (await json(c, 'get', 'svc', 'web')).spec.clusterIP;
    for (const name of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local', 'web.default.svc.cluster.local.']) {
      const r = await c.run('dns', name);
      expect([name, r.code, r.stdout]).toEqual([name, 0, `web.default.svc.cluster.local has address ${ip}\n`]);
    }
    await c.run('create', 'namespace', 'other');
    expect((await c.run('dns', 'web', '-n', 'other')).stderr).toBe('Host web not found: 3(NXDOMAIN)\n');
    expect((await c.run('dns', 'web.default', '-n', 'other')).stdout).toBe(`web.default.svc.cluster.local has address ${ip}\n`);
    const missing = await c.run('dns', 'nope');
    expect([missing.code, missing.stderr]).toEqual([1, 'Host nope not found: 3(NXDOMAIN)\n']);
  });

  it('answers headless Services with ready pod addresses and StatefulSet-style pod names', async () => {
    const c = await manualCluster();
    const member = (n: number) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: db-${n}, labels: {app: db}}\nspec:\n  hostname: db-${n}\n  subdomain: db\n  nodeName: node-${n + 1}\n  containers: [{name: db, image: postgres:16}]\n`;
    c.file(
      'db.yaml',
      [member(0), member(1), service('db', '  clusterIP: None\n  selector: {app: db}\n  ports: [{port: 5432}]\n')].join('---\n'),
    );
    await c.run('apply', '-f', 'db.yaml');
    await c.run('clock', 'advance', '10s');
    const ips = (await json(c, 'get', 'pods')).items.map((p: { status: { podIP: string } }) => p.status.podIP);
    expect((await c.run('dns', 'db')).stdout).toBe(ips.map((ip: string) => `db.default.svc.cluster.local has address ${ip}\n`).join(''));
    expect((await c.run('dns', 'db-1.db.default.svc.cluster.local')).stdout).toBe(
      `db-1.db.default.svc.cluster.local has address ${ips[1]}\n`,
    );
    expect((await c.run('dns', 'db-0.db')).stdout).toBe(`db-0.db.default.svc.cluster.local has address ${ips[0]}\n`);
    expect((await c.run('dns', `${ips[0].replace(/\./g, '-')}.default.pod.cluster.local`)).stdout).toBe(
      `${ips[0].replace(/\./g, '-')}.default.pod.cluster.local has address ${ips[0]}\n`,
    );
    c.file('ext.yaml', service('mail', '  type: ExternalName\n  externalName: smtp.example.com\n'));
    await c.run('apply', '-f', 'ext.yaml');
    expect((await c.run('dns', 'mail')).stdout).toBe('mail.default.svc.cluster.local is an alias for smtp.example.com.\n');
  });
});

describe('Traffic through Services (kubesim curl)', () => {
  it('spreads requests over ready pods and names the pod that answered', async () => {
    const c = await manualCluster();
    await webApp(c, 3);
    const r = await c.run('curl', 'http://web/hello');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Hostname: web-[a-z0-9]+-[a-z0-9]{5}\nIP: 10\.244\.0\.\d+\nGET \/hello HTTP\/1\.1\nHost: web\n$/);
    const many = (await c.run('curl', 'http://web.default.svc.cluster.local', '--count', '30')).stdout.trim().split('\n');
    expect(many.length).toBe(30);
    expect(new Set(many).size).toBe(3);
  });

  it('sends every request from one client to the same pod with ClientIP session affinity', async () => {
    const c = await manualCluster();
    await webApp(c, 3, '  sessionAffinity: ClientIP\n');
    expect((await json(c, 'get', 'svc', 'web')).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const answers = (await c.run('curl', 'http://web', '--count', '10')).stdout.trim().split('\n');
    expect(new Set(answers).size).toBe(1);
  });

  it('reaches a NodePort on any node and a LoadBalancer address', async () => {
    const c = await manualCluster();
    await webApp(c, 1, '  type: LoadBalancer\n');
    const svc = await json(c, 'get', 'svc', 'web');
    const nodeIp = (await json(c, 'get', 'node', 'node-3')).status.addresses[0].address;
    expect((await c.run('curl', `http://${nodeIp}:${svc.spec.ports[0].nodePort}/`)).stdout).toMatch(/^Hostname: web-/);
    expect((await c.run('curl', `http://${svc.status.loadBalancer.ingress[0].ip}/`)).stdout).toMatch(/^Hostname: web-/);
  });

  it('fails to connect like curl when no endpoint is ready, and cannot resolve unknown names', async () => {
    const c = await manualCluster();
    c.file('web.yaml', deployment('web', 2, "{sim.kubesim.io/never-ready: 'true'}"));
    c.file('svc.yaml', service('web', '  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n'));
    await c.run('apply', '-f', 'web.yaml');
    await c.run('apply', '-f', 'svc.yaml');
    await c.run('clock', 'advance', '30s');
    const refused = await c.run('curl', 'http://web/');
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([
      7,
      '',
      "curl: (7) Failed to connect to web port 80 after 0 ms: Couldn't connect to server\n",
    ]);
    const unknown = await c.run('curl', 'http://nope/');
    expect([unknown.code, unknown.stderr]).toEqual([6, 'curl: (6) Could not resolve host: nope\n']);
  });
});

const ingress = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: 'true'}}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
      - {path: /health, pathType: Exact, backend: {service: {name: down, port: {number: 80}}}}
`;

describe('Ingress', () => {
  it('routes by host and path to the Service behind it and shows kubectl ingress columns', async () => {
    const c = await manualCluster();
    await webApp(c, 1);
    c.file('api.yaml', deployment('api', 1));
    c.file('apisvc.yaml', service('api', '  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n'));
    c.file('down.yaml', service('down', '  selector: {app: nothing}\n  ports: [{port: 80}]\n'));
    c.file('ing.yaml', ingress);
    for (const f of ['api.yaml', 'apisvc.yaml', 'down.yaml', 'ing.yaml']) await c.run('apply', '-f', f);
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'ing')).stdout).toBe(
      'NAME   CLASS   HOSTS              ADDRESS      PORTS     AGE\nshop   nginx   shop.example.com   172.18.0.2   80, 443   10s\n',
    );
    expect((await c.run('get', 'ingressclass')).stdout).toBe(
      'NAME    CONTROLLER             PARAMETERS   AGE\nnginx   k8s.io/ingress-nginx   <none>       10s\n',
    );
    expect((await c.run('curl', 'http://shop.example.com/api/orders')).stdout).toMatch(
      /^Hostname: api-.*\nGET \/api\/orders HTTP\/1\.1\nHost: shop\.example\.com\n$/s,
    );
    expect((await c.run('curl', 'http://shop.example.com/apis')).stdout).toMatch(/^Hostname: web-/);
    expect((await c.run('curl', 'http://shop.example.com/')).stdout).toMatch(/^Hostname: web-/);
    // through the controller's address with a Host header, as from outside
    expect((await c.run('curl', 'http://172.18.0.2/api', '-H', 'Host: shop.example.com')).stdout).toMatch(/^Hostname: api-/);
    // an Exact path whose Service has no endpoints: ingress-nginx answers 503
    expect((await c.run('curl', 'http://shop.example.com/health')).stdout).toContain(
      '<head><title>503 Service Temporarily Unavailable</title></head>',
    );
    expect((await c.run('curl', 'http://172.18.0.2/', '-H', 'Host: other.example.com')).stdout).toContain(
      '<center><h1>404 Not Found</h1></center>',
    );
    const described = (await c.run('describe', 'ingress', 'shop')).stdout;
    expect(described).toContain(
      'Ingress Class:    nginx\nDefault backend:  <default>\nTLS:\n  shop-tls terminates shop.example.com\nRules:\n',
    );
    expect(described).toMatch(/^ {20}\/api +api:80 \(10\.244\.0\.\d+:8080\)$/m);
    expect(described).toMatch(/^ {20}\/health +down:80 \(<none>\)$/m);
  });

  it('serves the fake certificate while the TLS secret is missing', async () => {
    const c = await manualCluster();
    await webApp(c, 1);
    c.file('ing.yaml', ingress);
    await c.run('apply', '-f', 'ing.yaml');
    const r = await c.run('curl', 'https://shop.example.com/');
    expect([r.code, r.stderr]).toEqual([60, 'curl: (60) SSL certificate problem: self-signed certificate\n']);
    expect((await c.run('curl', '-k', 'https://shop.example.com/')).stdout).toMatch(/^Hostname: web-/);
    await c.run('create', 'secret', 'generic', 'shop-tls', '--from-literal=tls.crt=x', '--from-literal=tls.key=y');
    expect((await c.run('curl', 'https://shop.example.com/')).code).toBe(0);
  });

  it('gets an address only from a controller that serves its class', async () => {
    const c = await manualCluster();
    const ing = (name: string, cls: string) =>
      `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}}\nspec:\n  ${cls}defaultBackend: {service: {name: web, port: {number: 80}}}\n`;
    c.file(
      'classes.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: nginx}\nspec: {controller: k8s.io/ingress-nginx}\n---\n' +
        'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: external-lb}\nspec: {controller: example.com/ingress-controller}\n',
    );
    c.file(
      'ings.yaml',
      [
        ing('served', 'ingressClassName: nginx\n  '),
        ing('docs', 'ingressClassName: example-class\n  '),
        ing('other', 'ingressClassName: external-lb\n  '),
        ing('bare', ''),
      ].join('---\n'),
    );
    await c.run('apply', '-f', 'classes.yaml');
    await c.run('apply', '-f', 'ings.yaml');
    await c.run('clock', 'advance', '10s');
    expect((await c.run('get', 'ing')).stdout).toBe(
      [
        'NAME     CLASS           HOSTS   ADDRESS      PORTS   AGE',
        'bare     <none>          *                    80      10s',
        'docs     example-class   *                    80      10s',
        'other    external-lb     *                    80      10s',
        'served   nginx           *       172.18.0.2   80      10s',
        '',
      ].join('\n'),
    );
    // deployed ingress-nginx controller pods are the controller: no address while none is Ready
    const controller = (annotations: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: ingress-nginx, app.kubernetes.io/component: controller}
      annotations: ${annotations}
    spec:
      containers: [{name: controller, image: registry.k8s.io/ingress-nginx/controller:v1.12.0}]
`;
    c.file('controller.yaml', controller("{sim.kubesim.io/never-ready: 'true'}"));
    await c.run('apply', '-f', 'controller.yaml');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'ing', 'served', '--no-headers')).stdout).toMatch(/^served +nginx +\* +80 +40s\n$/);
    c.file('controller.yaml', controller('{}'));
    await c.run('apply', '-f', 'controller.yaml');
    await c.run('clock', 'advance', '30s');
    expect((await c.run('get', 'ing', 'served', '--no-headers')).stdout).toMatch(/^served +nginx +\* +172\.18\.0\.2 +80 +70s\n$/);
  });

  it('rejects a path without pathType, naming the field', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\nspec:\n  rules:\n  - http:\n      paths:\n      - {path: /, backend: {service: {name: web, port: {number: 80}}}}\n',
    );
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect([r.code, r.stderr]).toEqual([
      1,
      'The Ingress "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified\n',
    ]);
  });
});
