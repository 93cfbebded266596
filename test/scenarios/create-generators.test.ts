/**
 * `kubectl create` generators: serviceaccount, rolebinding, clusterrolebinding, clusterrole, role,
 * service (externalname, loadbalancer, clusterip), secret docker-registry, secret tls, priorityclass and ingress.
 *
 * Every expected literal in this file (YAML on stdout, message on stderr) is what kubectl v1.32 prints
 * for the same arguments with `--dry-run=client -o yaml`; none of these cases needs a server.
 * The TLS fixtures in test/fixtures/create-generators/ were made once with openssl:
 *   openssl req -x509 -newkey rsa:2048 -nodes -keyout tls.key -out tls.crt -days 36500 -subj /CN=example.com
 *   openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out other.key
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it, expect } from 'vitest';
import { kubesim, manualCluster } from '../support/cli';

const fixtures = path.join(__dirname, '..', 'fixtures', 'create-generators');

/** A fresh cluster whose working directory holds tls.crt, tls.key and other.key. */
async function clusterWithTlsFiles() {
  const c = await manualCluster();
  for (const name of ['tls.crt', 'tls.key', 'other.key']) c.file(name, fs.readFileSync(path.join(fixtures, name), 'utf8'));
  return c;
}

const dryRun = ['--dry-run=client', '-o', 'yaml'];

const yamlCases: Array<[string, string[], string]> = [
  [
    'serviceaccount',
    ['serviceaccount', 'builder'],
    `apiVersion: v1
kind: ServiceAccount
metadata:
  creationTimestamp: null
  name: builder
`,
  ],
  [
    'serviceaccount in kube-system',
    ['serviceaccount', 'builder', '-n', 'kube-system'],
    `apiVersion: v1
kind: ServiceAccount
metadata:
  creationTimestamp: null
  name: builder
  namespace: kube-system
`,
  ],
  [
    'rolebinding to a role with users, groups and service accounts',
    [
      'rolebinding',
      'rb',
      '--role=reader',
      '--user=alice',
      '--user=bob',
      '--group=devs',
      '--group=ops',
      '--serviceaccount=default:builder',
      '--serviceaccount=ci:runner',
    ],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  creationTimestamp: null
  name: rb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: bob
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: devs
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: ops
- kind: ServiceAccount
  name: builder
  namespace: default
- kind: ServiceAccount
  name: runner
  namespace: ci
`,
  ],
  [
    'rolebinding to a clusterrole in a namespace',
    ['rolebinding', 'rb', '--clusterrole=view', '--user=alice', '-n', 'team'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  creationTimestamp: null
  name: rb
  namespace: team
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: alice
`,
  ],
  [
    'clusterrolebinding',
    [
      'clusterrolebinding',
      'crb',
      '--clusterrole=cluster-admin',
      '--serviceaccount=kube-system:admin',
      '--user=root',
      '--group=system:masters',
    ],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  creationTimestamp: null
  name: crb
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: User
  name: root
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:masters
- kind: ServiceAccount
  name: admin
  namespace: kube-system
`,
  ],
  [
    'clusterrole with non-resource URLs',
    ['clusterrole', 'cr', '--verb=get', '--non-resource-url=/logs/*,/healthz', '--non-resource-url=/metrics'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: cr
rules:
- nonResourceURLs:
  - /logs/*
  - /healthz
  - /metrics
  verbs:
  - get
`,
  ],
  [
    'clusterrole with a verb list and a wildcard URL',
    ['clusterrole', 'cr', '--verb=get,post', '--non-resource-url=/api/*'],
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: cr
rules:
- nonResourceURLs:
  - /api/*
  verbs:
  - get
  - post
`,
  ],
  [
    'clusterrole with an aggregation rule',
    ['clusterrole', 'cr', '--aggregation-rule=a=b,c=d'],
    `aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      a: b
      c: d
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  creationTimestamp: null
  name: cr
rules: null
`,
  ],
  [
    'externalname service',
    ['service', 'externalname', 'ext', '--external-name=example.com'],
    `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: ext
  name: ext
spec:
  externalName: example.com
  selector:
    app: ext
  type: ExternalName
status:
  loadBalancer: {}
`,
  ],
  [
    'externalname service with a port',
    ['service', 'externalname', 'ext', '--external-name=example.com', '--tcp=80'],
    `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: ext
  name: ext
spec:
  externalName: example.com
  ports:
  - name: "80"
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: ext
  type: ExternalName
status:
  loadBalancer: {}
`,
  ],
  [
    'loadbalancer service',
    ['service', 'loadbalancer', 's', '--tcp=443'],
    `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: s
  name: s
spec:
  ports:
  - name: "443"
    port: 443
    protocol: TCP
    targetPort: 443
  selector:
    app: s
  type: LoadBalancer
status:
  loadBalancer: {}
`,
  ],
  [
    'clusterip service with a named target port',
    ['service', 'clusterip', 's', '--tcp=443', '--tcp=80:http'],
    `apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: s
  name: s
spec:
  ports:
  - name: "443"
    port: 443
    protocol: TCP
    targetPort: 443
  - name: 80-http
    port: 80
    protocol: TCP
    targetPort: http
  selector:
    app: s
  type: ClusterIP
status:
  loadBalancer: {}
`,
  ],
  [
    'docker-registry secret',
    [
      'secret',
      'docker-registry',
      'reg',
      '--docker-server=registry.example.com',
      '--docker-username=u',
      '--docker-password=p',
      '--docker-email=u@example.com',
    ],
    `apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJlbWFpbCI6InVAZXhhbXBsZS5jb20iLCJhdXRoIjoiZFRwdyJ9fX0=
kind: Secret
metadata:
  creationTimestamp: null
  name: reg
type: kubernetes.io/dockerconfigjson
`,
  ],
  [
    'docker-registry secret for the default server',
    ['secret', 'docker-registry', 'reg', '--docker-username=u', '--docker-password=p'],
    `apiVersion: v1
data:
  .dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19
kind: Secret
metadata:
  creationTimestamp: null
  name: reg
type: kubernetes.io/dockerconfigjson
`,
  ],
  [
    'tls secret',
    ['secret', 'tls', 't', '--cert=tls.crt', '--key=tls.key'],
    `apiVersion: v1
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUREekNDQWZlZ0F3SUJBZ0lVQnR4Vnp2RjhWY29KVnNBaG1NMytyL0YxZW5rd0RRWUpLb1pJaHZjTkFRRUwKQlFBd0ZqRVVNQklHQTFVRUF3d0xaWGhoYlhCc1pTNWpiMjB3SUJjTk1qWXhNakF6TURZMU1qVTFXaGdQTWpFeQpOakV4TURrd05qVXlOVFZhTUJZeEZEQVNCZ05WQkFNTUMyVjRZVzF3YkdVdVkyOXRNSUlCSWpBTkJna3Foa2lHCjl3MEJBUUVGQUFPQ0FROEFNSUlCQ2dLQ0FRRUEweThTZzlnV1RweTFzcE55enlIOGlScVZVaFVOdTRTMFdiTnMKZFYwMmVuS20yUlNCMHhzSkxWNmhXcjRuamp4TWw5S2lPRXBlbVNDbUJQdmMwTlBocDY2UEdnQzEvUHZZVytyUQprb0tPeDNGT0IrakVrMVVVRjhUQk9jZHVuU2VjZ3U5OUlwYWxlMFN0bjRvT2R0bVRGeTJLYytwOC9CK3k3cVZTClMxTXF0T2M4eXJpUVdEenVOU1loZnp5U3NIOU5FOFkzaGpaNGNHdndNeVhoMTFqTDZNbVJiOHBMRlM2em5MYjUKVGUvM1VXbVA2dkhrTUxTVFNqU01ReXFyR09GcHlzR3RmUHlqWm9HZGZmR2w0NC9kVGtTOHpvNlpneklMQTNlbAo1dGJpVjVIaHNKMG8raE5SSlc0MTRid0V4c3c4WERRcUUvTVBJQm9lcDZxcEF0MW9ZUUlEQVFBQm8xTXdVVEFkCkJnTlZIUTRFRmdRVXphdnJtbzVmK0VNbEZyWlJuMEtncUV1aHd0b3dId1lEVlIwakJCZ3dGb0FVemF2cm1vNWYKK0VNbEZyWlJuMEtncUV1aHd0b3dEd1lEVlIwVEFRSC9CQVV3QXdFQi96QU5CZ2txaGtpRzl3MEJBUXNGQUFPQwpBUUVBUDlyNENBR3Fxc2Y0TEE5em5HenI5Q2s4a3V5RERjTW80dWFQQnZZYlkrZkdRbTBEWlVtMUhIOVpqOTJUClJRYUZSRTVXakJGVlppUC96ckpzdFdwcFJ3UTI2RGRLbzR5cUtCOVF1SnJtWEZvdzhiV0RJcXhpV0d5YzFqY1EKK2h0dERYVlRjUFdLa3BYT3o3L3BRWG9CQXpzKzN6R2hXNnFWa2dWR0J2ZjIyR0JBQ245dUJDeWhTU2oxRDRYZwpQRnQyZGVCMStkN000RVVoZGRzNTFpcmpkWm1yc3YzeGZ5NVVCR2lQaHEveG5vQjVuSE9sUEVrbWZKNFNCdiszClNvVVhWdzdFSmR1cjRaSENUTnIzc3owUjByODVRNVVzSmwxQ0wwRElSVHlZaEVyWGZvMitLcmpad3VpaDRkRXkKSU1RTjczUllsTzVNWmExTkJyTXEvaUFydHc9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg==
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2d0lCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktrd2dnU2xBZ0VBQW9JQkFRRFRMeEtEMkJaT25MV3kKazNMUElmeUpHcFZTRlEyN2hMUlpzMngxWFRaNmNxYlpGSUhUR3drdFhxRmF2aWVPUEV5WDBxSTRTbDZaSUtZRQorOXpRMCtHbnJvOGFBTFg4KzloYjZ0Q1NnbzdIY1U0SDZNU1RWUlFYeE1FNXgyNmRKNXlDNzMwaWxxVjdSSzJmCmlnNTIyWk1YTFlwejZuejhIN0x1cFZKTFV5cTA1enpLdUpCWVBPNDFKaUYvUEpLd2YwMFR4amVHTm5od2EvQXoKSmVIWFdNdm95WkZ2eWtzVkxyT2N0dmxONy9kUmFZL3E4ZVF3dEpOS05JeERLcXNZNFduS3dhMTgvS05tZ1oxOQo4YVhqajkxT1JMek9qcG1ETWdzRGQ2WG0xdUpYa2VHd25TajZFMUVsYmpYaHZBVEd6RHhjTkNvVDh3OGdHaDZuCnFxa0MzV2hoQWdNQkFBRUNnZ0VBTmthZFdCUlQyMTFzVjFxTkFjNUcxTWZudzZKVWxyS3JGWGpITWJ6RXNTREIKWC81a3hXaG42ZWl0eUtBaGsyMU05Q0kyL2dlakczRG9LbFMrOGs3YWFwbXkvcWhiSFl0dWxtVVp1T1hrSXo4cwpJbDFCRkdxajBONEpHVHYzNGwwWlhRK0hGam9vaXE5aWZpUGh4c3J4Z2wzNmZRTXhueXpZZEh3NTA5RXFvelpwCmZaMlZ5L1lMOGRyVWt5WVp6QlJVMkNka3dST0k1d0U3K0xXK0RpTjhxeG9yaWR3VkpzSDdJa0tMRE1HdFV6enAKOHpmc1RlbzBrTkhxdXRReGo2c2JuSmN4eGhIVmg1ekpLSGp6WWpTYk5FSUJMOFVLUmx2WW5oL3ZlZXY3dGtaYgo4dUlsd21MZ3I2b0ZRYStwV3BQZjluNHc1V0N5NUozWFhaYkdpZlBwSndLQmdRRHR5anI2dk1BUGpMcE5VK2tHCkRWRDZzbzZLNmFxRkVYeHJSbm5BZmRqMzRKRmtTV3dXRmh2NnNQWjNva3ZjUGdpN09RbXd4UjU3ZzBGQVkyblkKcWFEYUhnYVJkYk1mRnpiVzUrS1hvMDhUODlJbmRzd1I5YSttMlNmYmRUbW8vSTRrVHp6TzFrTUpRV04zVERlZgpjZVBZeDBCckkvVjNVSUNMOFhUQWxTMkxTd0tCZ1FEald6MjRldTFHQXNZRzIzd1YwWXJ4cjRLYS95THpVeHZpCmZTSVhYYWZScnJ0UkNvOWY4VjZVdHI1aHNCRnA4MnRVajFqV29IWnJRM0dMUWJQaHg2RmJsZXVvQlNLSnhGTkEKcExHTUwzVm43SUViU3ZHako3eWFVWjlXNTdkeWkySXViTWdVMDFXTXhWWmQ5SFVWSGQ2aGV4RDdlUmJqSDU0aQpDMmVzbkQvRGd3S0JnUUNCbmxjQURwdHkzbmMvWjVvQ0hvZ2gzK3NyZGF2cDFWcEk3NlcyYytNdFcxQmxwbEF3CnllUitockFURG5qam1UMFJNVXBDL1hCY1MzUHFNVWFsUC9IYWM3dUkxdXZJNnRLTjJ1RDlYNXZmZUd6NTdodlgKUG1GOVJhb2dTb29mdjJ1TUIxVlNPaUZZampnMTgybnVsQnByTkZHOUZXRGNwUmt0TDNWQTlSQmFlUUtCZ1FDeQpTOFJzWHlLaVM5eUdWaXZLWklqRkhuR2JJY2lENzhJbmJTQ0dHSEZhTStBOEhyN3ZhN2RUZ3Joc25Zb2FmOFhGCkM2R010MHdHdEY1ZjZnZXFZVWErTHlVZW4rQkZFQXlGM21KS1lKRi9EVzcyTzJDaUpiQjNpTmtmYXhwbkhyM0IKVUpmY0ZSdTdDS3JCaGNzbjQwUExlVnFKQzU0U1FhSmVhbmxFV1VoOEJ3S0JnUURYSnV3dzZ3QUVOa1hqZDh4WApybTZXOEs0NVoxZ3U3RDJDR3plZXltZllZSEIxWW9LVVdhbXJsSlJxUjlPUEl2a1lhNGV3OXdyb2RGQjZtSURqCkF1UDFYbTQ2RkVBRUxyUWhlVVRKWFJudFRKYXpFdTluZkhkV3p6elBSaE0xOUIyY0JJTFpyLytVRWUzUjlPS3cKT0YvNTR6RGpQNVcvUjVxWVEvQU04ZU5SblE9PQotLS0tLUVORCBQUklWQVRFIEtFWS0tLS0tCg==
kind: Secret
metadata:
  creationTimestamp: null
  name: t
type: kubernetes.io/tls
`,
  ],
  [
    'priorityclass with a description',
    ['priorityclass', 'p', '--value=1000', '--description=x'],
    `apiVersion: scheduling.k8s.io/v1
description: x
kind: PriorityClass
metadata:
  creationTimestamp: null
  name: p
preemptionPolicy: PreemptLowerPriority
value: 1000
`,
  ],
  [
    'global default priorityclass',
    ['priorityclass', 'p', '--value=1', '--global-default'],
    `apiVersion: scheduling.k8s.io/v1
globalDefault: true
kind: PriorityClass
metadata:
  creationTimestamp: null
  name: p
preemptionPolicy: PreemptLowerPriority
value: 1
`,
  ],
  [
    'ingress with one rule',
    ['ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: simple
spec:
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc1
            port:
              number: 8080
        path: /bar
        pathType: Exact
  tls:
  - hosts:
    - foo.com
    secretName: my-cert
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress with a class and a catch-all path',
    ['ingress', 'catch-all', '--class=otheringress', '--rule=/path=svc:port'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: catch-all
spec:
  ingressClassName: otheringress
  rules:
  - http:
      paths:
      - backend:
          service:
            name: svc
            port:
              name: port
        path: /path
        pathType: Exact
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress with annotations',
    [
      'ingress',
      'annotated',
      '--class=default',
      '--rule=foo.com/bar=svc:port',
      '--annotation',
      'ingress.annotation1=foo',
      '--annotation',
      'ingress.annotation2=a=b',
    ],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  annotations:
    ingress.annotation1: foo
    ingress.annotation2: a=b
  creationTimestamp: null
  name: annotated
spec:
  ingressClassName: default
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              name: port
        path: /bar
        pathType: Exact
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress with one host and two paths',
    ['ingress', 'multipath', '--rule=foo.com/=svc:port', '--rule=foo.com/admin/=svcadmin:portadmin'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: multipath
spec:
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              name: port
        path: /
        pathType: Exact
      - backend:
          service:
            name: svcadmin
            port:
              name: portadmin
        path: /admin/
        pathType: Exact
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress with Prefix paths',
    ['ingress', 'ingress1', '--rule=foo.com/path*=svc:8080', '--rule=bar.com/admin*=svc2:http'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: ingress1
spec:
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              number: 8080
        path: /path
        pathType: Prefix
  - host: bar.com
    http:
      paths:
      - backend:
          service:
            name: svc2
            port:
              name: http
        path: /admin
        pathType: Prefix
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress sharing TLS secrets between hosts',
    ['ingress', 'two', '--rule=a.com/=s:80,tls=x', '--rule=b.com/=s:80,tls=x', '--rule=c.com/=s:80,tls', '--rule=a.com/z=s:80,tls=y'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: two
spec:
  rules:
  - host: a.com
    http:
      paths:
      - backend:
          service:
            name: s
            port:
              number: 80
        path: /
        pathType: Exact
      - backend:
          service:
            name: s
            port:
              number: 80
        path: /z
        pathType: Exact
  - host: b.com
    http:
      paths:
      - backend:
          service:
            name: s
            port:
              number: 80
        path: /
        pathType: Exact
  - host: c.com
    http:
      paths:
      - backend:
          service:
            name: s
            port:
              number: 80
        path: /
        pathType: Exact
  tls:
  - hosts:
    - a.com
    - b.com
    secretName: x
  - hosts:
    - c.com
status:
  loadBalancer: {}
`,
  ],
  [
    'ingress with a default backend',
    ['ingress', 'ingdefault', '--default-backend=defaultsvc:http', '--rule=foo.com/*=svc:8080,tls=secret1', '-n', 'shop'],
    `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  creationTimestamp: null
  name: ingdefault
  namespace: shop
spec:
  defaultBackend:
    service:
      name: defaultsvc
      port:
        name: http
  rules:
  - host: foo.com
    http:
      paths:
      - backend:
          service:
            name: svc
            port:
              number: 8080
        path: /
        pathType: Prefix
  tls:
  - hosts:
    - foo.com
    secretName: secret1
status:
  loadBalancer: {}
`,
  ],
];

const errorCases: Array<[string[], string]> = [
  [['rolebinding', 'rb', '--user=alice'], 'error: exactly one of clusterrole or role must be specified\n'],
  [['rolebinding', 'rb', '--role=r', '--clusterrole=view'], 'error: exactly one of clusterrole or role must be specified\n'],
  [['rolebinding', 'rb', '--role=r', '--serviceaccount=bad'], 'error: serviceaccount must be <namespace>:<name>\n'],
  [['clusterrolebinding', 'crb', '--user=root'], 'error: required flag(s) "clusterrole" not set\n'],
  [['clusterrolebinding', 'crb', '--clusterrole=x', '--serviceaccount=bad'], 'error: serviceaccount must be <namespace>:<name>\n'],
  [['clusterrole', 'cr', '--non-resource-url=/logs'], 'error: at least one verb must be specified\n'],
  [['clusterrole', 'cr', '--verb=get'], 'error: one of resource or nonResourceURL must be specified\n'],
  [['clusterrole', 'cr', '--verb=list', '--non-resource-url=/logs'], "error: invalid verb: 'list' for nonResourceURL\n"],
  [['clusterrole', 'cr', '--verb=get', '--non-resource-url=logs'], 'error: nonResourceURL should start with /\n'],
  [
    ['clusterrole', 'cr', '--verb=get', '--non-resource-url=/lo*gs'],
    "error: nonResourceURL only supports wildcard matches when '*' is at the end\n",
  ],
  [
    ['clusterrole', 'cr', '--verb=get', '--aggregation-rule=a=b'],
    'error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n',
  ],
  [['role', 'r', '--resource=pods'], 'error: at least one verb must be specified\n'],
  [['role', 'r', '--verb=get'], 'error: at least one resource must be specified\n'],
  [['service', 'externalname', 'ext'], 'error: required flag(s) "external-name" not set\n'],
  [
    ['secret', 'docker-registry', 'reg', '--docker-username=u'],
    'error: either --from-file or the combination of --docker-username, --docker-password and --docker-server is required\n',
  ],
  [['secret', 'tls', 't', '--cert=tls.crt', '--key=other.key'], 'error: tls: private key does not match public key\n'],
  [
    ['secret', 'tls', 't', '--cert=tls.key', '--key=tls.crt'],
    'error: tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched\n',
  ],
  [
    ['secret', 'tls', 't', '--cert=tls.crt', '--key=tls.crt'],
    'error: tls: found a certificate rather than a key in the PEM for the private key\n',
  ],
  [
    ['secret', 'tls', 't', '--cert=nope.crt', '--key=tls.key'],
    'error: Cannot read file nope.crt, open nope.crt: no such file or directory\n',
  ],
  [['secret', 'tls', 't'], 'error: key and cert must be specified\n'],
  [
    ['ingress', 'e1'],
    'error: not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)\n',
  ],
  [['ingress', 'e2', '--rule=foo'], 'error: rule foo is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n'],
  [['ingress', 'e3', '--rule=a.com/=s:80', '--annotation=noeq'], 'error: annotation noeq is invalid and should be in format key=[value]\n'],
  [['ingress', 'e4', '--default-backend=svc'], 'error: default-backend should be in format servicename:serviceport\n'],
];

describe('create generators with --dry-run=client -o yaml', () => {
  it.each(yamlCases)('print the %s kubectl prints', async (_title, args, expected) => {
    const c = await clusterWithTlsFiles();
    expect(await c.run('create', ...args, ...dryRun)).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it.each(errorCases)("refuse create %j with kubectl's message", async (args, expected) => {
    const c = await clusterWithTlsFiles();
    expect(await c.run('create', ...args, ...dryRun)).toEqual({ code: 1, stdout: '', stderr: expected });
  });
});

describe('create generators against the cluster', () => {
  it('create a serviceaccount', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'serviceaccount', 'builder')).toEqual({ code: 0, stdout: 'serviceaccount/builder created\n', stderr: '' });
    const got = (await c.run('get', 'serviceaccount', 'builder', '-o', 'yaml')).stdout;
    expect(got).toContain('kind: ServiceAccount\n');
    expect(got).toContain('  name: builder\n  namespace: default\n');
  });

  it('create a rolebinding', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:builder')).toEqual({
      code: 0,
      stdout: 'rolebinding.rbac.authorization.k8s.io/rb created\n',
      stderr: '',
    });
    const got = (await c.run('get', 'rolebinding', 'rb', '-o', 'yaml')).stdout;
    expect(got).toContain('kind: RoleBinding\n');
    expect(got).toContain('roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\n');
    expect(got).toContain(
      'subjects:\n- apiGroup: rbac.authorization.k8s.io\n  kind: User\n  name: alice\n- kind: ServiceAccount\n  name: builder\n  namespace: default\n',
    );
  });

  it('create an externalname service', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'service', 'externalname', 'ext', '--external-name=example.com')).toEqual({
      code: 0,
      stdout: 'service/ext created\n',
      stderr: '',
    });
    const got = (await c.run('get', 'service', 'ext', '-o', 'yaml')).stdout;
    expect(got).toContain('  externalName: example.com\n');
    expect(got).toContain('  type: ExternalName\n');
  });

  it('create a docker-registry secret', async () => {
    const c = await manualCluster();
    expect(await c.run('create', 'secret', 'docker-registry', 'reg', '--docker-username=u', '--docker-password=p')).toEqual({
      code: 0,
      stdout: 'secret/reg created\n',
      stderr: '',
    });
    const got = (await c.run('get', 'secret', 'reg', '-o', 'yaml')).stdout;
    expect(got).toContain(
      '  .dockerconfigjson: eyJhdXRocyI6eyJodHRwczovL2luZGV4LmRvY2tlci5pby92MS8iOnsidXNlcm5hbWUiOiJ1IiwicGFzc3dvcmQiOiJwIiwiYXV0aCI6ImRUcHcifX19\n',
    );
    expect(got).toContain('type: kubernetes.io/dockerconfigjson\n');
  });
});

// --from-file/--from-literal/--from-env-file, --append-hash and `-- COMMAND`: each expected literal is
// kubectl v1.32's output in a directory holding the files sourceFiles() writes, with E set in the
// environment (a bare key in an env file takes the environment's value)
const sourceCases: Array<[string, string[], string]> = [
  [
    'configmap from an env file (BOM, indented key, bare key from the environment)',
    ['configmap', 'c1', '--from-env-file=app.env'],
    `apiVersion: v1
data:
  A: "1"
  B: 'x y '
  E: from-the-environment
  F: a=b
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c1
`,
  ],
  [
    'configmap from files, a keyed file and a directory',
    ['configmap', 'c2', '--from-file=f.txt', '--from-file=k=f.txt', '--from-file=dir'],
    `apiVersion: v1
data:
  f.txt: |
    hello
  k: |
    hello
  one: |
    x
  two: |
    y
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c2
`,
  ],
  [
    'configmap with a binary file as binaryData',
    ['configmap', 'c3', '--from-file=bin.dat', '--from-literal=x=1'],
    `apiVersion: v1
binaryData:
  bin.dat: AAEC//4=
data:
  x: "1"
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c3
`,
  ],
  [
    'configmap with commas kept in a literal',
    ['configmap', 'c4', '--from-literal=a=1,2', '--from-literal=b='],
    `apiVersion: v1
data:
  a: 1,2
  b: ""
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c4
`,
  ],
  [
    'configmap with --append-hash',
    ['configmap', 'c5', '--from-literal=a=1', '--append-hash'],
    `apiVersion: v1
data:
  a: "1"
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c5-md5b6f24fm
`,
  ],
  [
    'configmap with --append-hash and binary data',
    ['configmap', 'c6', '--from-file=bin.dat', '--append-hash'],
    `apiVersion: v1
binaryData:
  bin.dat: AAEC//4=
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: c6-f574btg728
`,
  ],
  [
    'secret from a binary file',
    ['secret', 'generic', 's1', '--from-file=bin.dat', '--type=Opaque'],
    `apiVersion: v1
data:
  bin.dat: AAEC//4=
kind: Secret
metadata:
  creationTimestamp: null
  name: s1
type: Opaque
`,
  ],
  [
    'secret from an env file',
    ['secret', 'generic', 's2', '--from-env-file=app.env'],
    `apiVersion: v1
data:
  A: MQ==
  B: eCB5IA==
  E: ZnJvbS10aGUtZW52aXJvbm1lbnQ=
  F: YT1i
kind: Secret
metadata:
  creationTimestamp: null
  name: s2
`,
  ],
  [
    'secret with --append-hash and a type',
    ['secret', 'generic', 's3', '--from-literal=a=1', '--type=kubernetes.io/basic-auth', '--append-hash'],
    `apiVersion: v1
data:
  a: MQ==
kind: Secret
metadata:
  creationTimestamp: null
  name: s3-ft7fh7bghk
type: kubernetes.io/basic-auth
`,
  ],
  [
    'deployment running a command',
    ['deployment', 'd', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '10'],
    `apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: d
  name: d
spec:
  replicas: 1
  selector:
    matchLabels:
      app: d
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: d
    spec:
      containers:
      - command:
        - sleep
        - "10"
        image: busybox
        name: busybox
        resources: {}
status: {}
`,
  ],
  [
    'job running a command',
    ['job', 'j', '--image=busybox', '--dry-run=client', '-o', 'yaml', '--', 'echo', 'hi'],
    `apiVersion: batch/v1
kind: Job
metadata:
  creationTimestamp: null
  name: j
spec:
  template:
    metadata:
      creationTimestamp: null
    spec:
      containers:
      - command:
        - echo
        - hi
        image: busybox
        name: j
        resources: {}
      restartPolicy: Never
status: {}
`,
  ],
];

const sourceErrorCases: Array<[string[], string]> = [
  [
    ['configmap', 'c', '--from-env-file=bad.env'],
    "error: \"B \" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n",
  ],
  [
    ['configmap', 'c', '--from-literal=a=1', '--from-literal=a=2'],
    'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "c"\n',
  ],
  [
    ['configmap', 'c', '--from-literal=a=1', '--from-env-file=app.env'],
    'error: from-env-file cannot be combined with from-file or from-literal\n',
  ],
  [
    ['configmap', 'c', '--from-file=bin.dat', '--from-file=bin.dat'],
    'error: cannot add key "bin.dat", another key by that name already exists in BinaryData for ConfigMap "c"\n',
  ],
  [
    ['configmap', 'c', '--from-literal=bad key=1'],
    "error: \"bad key\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n",
  ],
  [['configmap', 'c', '--from-literal=..x=1'], 'error: "..x" is not a valid key name for a ConfigMap: must not start with \'..\'\n'],
  [['configmap', 'c', '--from-file==f.txt'], 'error: key name for file path f.txt missing\n'],
  [['configmap', 'c', '--from-file=k='], 'error: file path for key name k missing\n'],
  [['configmap', 'c', '--from-file=a=b=c'], "error: key names or file paths cannot contain '='\n"],
  [['configmap', 'c', '--from-file=k=dir'], 'error: cannot give a key name for a directory path\n'],
  [['configmap', 'c', '--from-env-file=dir'], 'error: env config file cannot be a directory\n'],
  [
    ['secret', 'generic', 's', '--from-literal=a=1', '--from-literal=a=2'],
    'error: cannot add key a, another key by that name already exists\n',
  ],
  [
    ['secret', 'generic', 's', '--from-literal=bad key=1'],
    "error: \"bad key\" is not valid key name for a Secret a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')\n",
  ],
  [
    ['deployment', 'd', '--image=a', '--image=b', '--dry-run=client', '-o', 'yaml', '--', 'sleep', '1'],
    'error: cannot specify multiple --image options and command\n',
  ],
];

/** A fresh cluster whose working directory holds the source files (one of them not UTF-8). */
async function clusterWithSourceFiles() {
  const c = await manualCluster();
  c.file('app.env', '\ufeffA=1\n  B=x y \n#c\n\nE\nF=a=b\n');
  c.file('bad.env', 'B = two\n');
  c.file('f.txt', 'hello\n');
  fs.writeFileSync(path.join(c.dir, 'bin.dat'), Buffer.from([0, 1, 2, 0xff, 0xfe]));
  c.file('dir/one', 'x\n');
  c.file('dir/two', 'y\n');
  return c;
}

describe('create generators from files, literals and env files', () => {
  it.each(sourceCases)('print the %s kubectl prints', async (_title, args, expected) => {
    const c = await clusterWithSourceFiles();
    const flags = args.includes('--dry-run=client') ? [] : dryRun;
    expect(await kubesim(c.state, ['create', ...args, ...flags], { cwd: c.dir, env: { E: 'from-the-environment' } })).toEqual({
      code: 0,
      stdout: expected,
      stderr: '',
    });
  });

  it.each(sourceErrorCases)("refuse create %j with kubectl's message", async (args, expected) => {
    const c = await clusterWithSourceFiles();
    const flags = args.includes('--dry-run=client') ? [] : dryRun;
    expect(await c.run('create', ...args, ...flags)).toEqual({ code: 1, stdout: '', stderr: expected });
  });

  it('counts only the arguments before -- as the NAME', async () => {
    const c = await manualCluster();
    for (const [what, args] of [
      ['deployment', ['deployment', 'd', 'e', '--image=a']],
      ['deployment', ['deployment', 'd', 'e', '--image=a', '--', 'x']],
      ['job', ['job', 'j', 'k', '--image=a']],
    ] as const) {
      expect(await c.run('create', ...args, ...dryRun)).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: exactly one NAME is required, got 2\nSee 'kubesim create ${what} -h' for help and examples\n`,
      });
    }
  });
});
