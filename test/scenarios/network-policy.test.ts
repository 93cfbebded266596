import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

type Cluster = Awaited<ReturnType<typeof manualCluster>>;

/** A Deployment of one pod with `labels`, serving named port http (8080), and its Service on port 80. */
const app = (name: string, labels: string, namespace = 'default') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, ${labels}}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  selector: {app: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`;

async function podName(c: Cluster, app: string, namespace = 'default'): Promise<string> {
  return (await c.run('get', 'pods', '-n', namespace, '-l', `app=${app}`, '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
}

/** web (role=backend) in default, client (role=frontend) and other (role=other) in default, tools in namespace ops. */
async function shop(c: Cluster): Promise<{ client: string; other: string; tools: string }> {
  await c.run('create', 'namespace', 'ops');
  c.file(
    'apps.yaml',
    [app('web', 'role: backend'), app('client', 'role: frontend'), app('other', 'role: other'), app('tools', 'role: frontend', 'ops')].join(
      '---\n',
    ),
  );
  await c.run('apply', '-f', 'apps.yaml');
  await c.run('clock', 'advance', '10s');
  return { client: await podName(c, 'client'), other: await podName(c, 'other'), tools: await podName(c, 'tools', 'ops') };
}

const TIMEOUT = "curl: (28) Failed to connect to web port 80 after 127000 ms: Couldn't connect to server\n";

describe('NetworkPolicy objects', () => {
  it('defaults policyTypes and protocol, lists POD-SELECTOR and describes as kubectl does', async () => {
    const c = await manualCluster();
    c.file(
      'np.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-allow}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: frontend}}
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector: {matchExpressions: [{key: tier, operator: In, values: [b, a]}]}
    ports: [{port: http}, {port: 8000, endPort: 8100, protocol: UDP}]
  - from: [{ipBlock: {cidr: 172.17.0.0/16, except: [172.17.1.0/24]}}]
  egress:
  - {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
`,
    );
    expect((await c.run('apply', '-f', 'np.yaml')).stdout).toBe(
      'networkpolicy.networking.k8s.io/api-allow created\nnetworkpolicy.networking.k8s.io/default-deny created\n',
    );
    const stored = JSON.parse((await c.run('get', 'netpol', 'api-allow', '-o', 'json')).stdout);
    expect(stored.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(stored.spec.ingress[0].ports).toEqual([
      { port: 'http', protocol: 'TCP' },
      { port: 8000, endPort: 8100, protocol: 'UDP' },
    ]);
    expect(JSON.parse((await c.run('get', 'networkpolicy', 'default-deny', '-o', 'json')).stdout).spec.policyTypes).toEqual(['Ingress']);
    expect((await c.run('get', 'networkpolicies')).stdout).toBe(
      'NAME           POD-SELECTOR   AGE\napi-allow      app=web        0s\ndefault-deny   <none>         0s\n',
    );
    expect((await c.run('describe', 'netpol', 'api-allow')).stdout).toBe(
      [
        'Name:         api-allow',
        'Namespace:    default',
        'Created on:   2025-01-01 00:00:00 +0000 UTC',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Spec:',
        '  PodSelector:     app=web',
        '  Allowing ingress traffic:',
        '    To Port: http/TCP',
        '    To Port Range: 8000-8100/UDP',
        '    From:',
        '      PodSelector: role=frontend',
        '    From:',
        '      NamespaceSelector: team=ops',
        '      PodSelector: tier in (a,b)',
        '    ----------',
        '    To Port: <any> (traffic allowed to all ports)',
        '    From:',
        '      IPBlock:',
        '        CIDR: 172.17.0.0/16',
        '        Except: 172.17.1.0/24',
        '  Allowing egress traffic:',
        '    To Port: <any> (traffic allowed to all ports)',
        '    To: <any> (traffic not restricted by destination)',
        '  Policy Types: Ingress, Egress',
        '',
      ].join('\n'),
    );
    expect((await c.run('describe', 'netpol', 'default-deny')).stdout).toContain(
      '  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n',
    );
  });

  it('refuses invalid policies with the API server field errors', async () => {
    const c = await manualCluster();
    c.file(
      'bad.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad}
spec:
  podSelector: {}
  policyTypes: [Ingress, Sideways]
  ingress:
  - from: [{}, {ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}, podSelector: {}}]
    ports: [{port: 90, endPort: 80}, {port: web, endPort: 100}, {protocol: ICMP}]
`,
    );
    const r = await c.run('apply', '-f', 'bad.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'The NetworkPolicy "bad" is invalid: ' +
        [
          'spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`',
          'spec.ingress[0].ports[1].endPort: Invalid value: 100: may not be specified when `port` is non-numeric',
          'spec.ingress[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
          'spec.ingress[0].from[0]: Required value: must specify a peer',
          'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
          'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
          'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
        ]
          .map((e) => `\n* ${e}`)
          .join('') +
        '\n',
    );
    expect((await c.run('get', 'netpol')).stderr).toBe('No resources found in default namespace.\n');
  });
});

describe('NetworkPolicy enforcement (kubesim curl --from)', () => {
  it('lets only the pods an ingress rule allows reach a selected pod; the rest time out', async () => {
    const c = await manualCluster();
    const { client, other, tools } = await shop(c);
    expect((await c.run('curl', '--from', other, 'http://web/')).code).toBe(0);
    c.file(
      'np.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-frontend}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{port: http}]
`,
    );
    await c.run('apply', '-f', 'np.yaml');
    expect((await c.run('curl', '--from', client, 'http://web/')).stdout).toMatch(/^Hostname: web-/);
    const denied = await c.run('curl', '--from', other, 'http://web/');
    expect([denied.code, denied.stdout, denied.stderr]).toEqual([28, '', TIMEOUT]);
    // a podSelector alone means this namespace only
    expect((await c.run('curl', '-n', 'ops', '--from', tools, 'http://web.default/')).code).toBe(28);
    // curl's own timeout when one is given
    expect((await c.run('curl', '--from', other, '--connect-timeout', '5', 'http://web/')).stderr).toBe(
      'curl: (28) Connection timed out after 5000 milliseconds\n',
    );
    // the throwaway client without --from has no labels
    expect((await c.run('curl', 'http://web/')).code).toBe(28);
    // unselected pods stay open
    expect((await c.run('curl', '--from', other, 'http://client/')).code).toBe(0);
    await c.run('delete', 'netpol', 'web-from-frontend');
    expect((await c.run('curl', '--from', other, 'http://web/')).code).toBe(0);
  });

  it('matches namespaceSelector with podSelector, ipBlock with except, and port ranges', async () => {
    const c = await manualCluster();
    const { client, other, tools } = await shop(c);
    await c.run('label', 'namespace', 'ops', 'team=ops');
    const ip = (pod: string, ns = 'default') => c.run('get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.status.podIP}').then((r) => r.stdout);
    const otherIp = await ip(other);
    c.file(
      'np.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {role: frontend}}}]
  - from: [{ipBlock: {cidr: 10.244.0.0/16, except: [${otherIp}/32]}}]
    ports: [{port: 8000, endPort: 8090}]
`,
    );
    await c.run('apply', '-f', 'np.yaml');
    expect((await c.run('curl', '-n', 'ops', '--from', tools, 'http://web.default/')).code).toBe(0);
    // client is in the ipBlock, and 8080 is within 8000-8090
    expect((await c.run('curl', '--from', client, 'http://web/')).code).toBe(0);
    // other is the except
    expect((await c.run('curl', '--from', other, 'http://web/')).code).toBe(28);
    // the same rule on a range that misses the port
    c.file('np.yaml', (await c.run('get', 'netpol', 'web', '-o', 'yaml')).stdout.replace('endPort: 8090', 'endPort: 8079'));
    await c.run('apply', '-f', 'np.yaml');
    expect((await c.run('curl', '--from', client, 'http://web/')).code).toBe(28);
  });

  it('isolates egress: DNS fails first, then only the allowed destinations answer', async () => {
    const c = await manualCluster();
    const { client } = await shop(c);
    c.file(
      'np.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client-egress}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 8080}]
`,
    );
    await c.run('apply', '-f', 'np.yaml');
    const noDns = await c.run('curl', '--from', client, 'http://web/');
    expect([noDns.code, noDns.stderr]).toEqual([6, 'curl: (6) Could not resolve host: web\n']);
    const webIp = (await c.run('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    // by address: the Service's port 80 reaches the pod's 8080, which the rule allows
    expect((await c.run('curl', '--from', client, `http://${webIp}/`)).stdout).toMatch(/^Hostname: web-/);
    const otherIp = (await c.run('get', 'svc', 'other', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    expect((await c.run('curl', '--from', client, `http://${otherIp}/`)).code).toBe(28);
    c.file(
      'dns.yaml',
      `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}]
`,
    );
    await c.run('apply', '-f', 'dns.yaml');
    expect((await c.run('curl', '--from', client, 'http://web/')).code).toBe(0);
  });
});
