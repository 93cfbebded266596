import { describe, it, expect } from 'vitest';
import { manualCluster } from '../support/cli';

const objects = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata: {name: gvisor, labels: {sandbox: "true", tier: b}}
handler: runsc
overhead: {podFixed: {cpu: 250m}}
scheduling:
  nodeSelector: {sandbox: gvisor}
  tolerations: [{key: sandbox, operator: Exists, effect: NoSchedule}]
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tpl, namespace: default}
template:
  metadata: {labels: {app: web}}
  spec:
    containers: [{name: web, image: nginx, args: [a, b]}]
---
apiVersion: storage.k8s.io/v1
kind: VolumeAttachment
metadata: {name: va-1}
spec: {attacher: ebs.csi.aws.com, nodeName: node-1, source: {persistentVolumeName: pv-1}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: policy}
webhooks:
- name: check.example.com
  clientConfig: {url: "https://example.com/check"}
  rules: [{operations: [CREATE], apiGroups: [""], apiVersions: [v1], resources: [pods]}]
  admissionReviewVersions: [v1]
  sideEffects: None
  failurePolicy: Ignore
`;

/** The object's resourceVersion and uid vary with what the cluster made before it. */
const masked = (text: string) => text.replace(/^( *)(Resource Version|UID):( +)\S+$/gm, '$1$2:$3X');

/**
 * kubectl v1.32 has no describer of its own for these kinds, so `describe` uses GenericDescriberFor:
 * Name, Namespace, Labels, Annotations, then printUnstructuredContent of the object as the API
 * returns it (sorted keys, smartLabelFor labels, list items one under another), then the events,
 * all through one tabwriter (so `Events:` lines up with the block above it).
 */
describe('describe of kinds kubectl describes generically', () => {
  it('RuntimeClass, PodTemplate, VolumeAttachment, ValidatingWebhookConfiguration, APIService', async () => {
    const c = await manualCluster();
    c.file('objs.yaml', objects);
    expect((await c.run('apply', '-f', 'objs.yaml')).code).toBe(0);
    expect(masked((await c.run('describe', 'runtimeclass', 'gvisor')).stdout)).toBe(`Name:         gvisor
Namespace:    
Labels:       sandbox=true
              tier=b
Annotations:  <none>
API Version:  node.k8s.io/v1
Handler:      runsc
Kind:         RuntimeClass
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Resource Version:    X
  UID:                 X
Overhead:
  Pod Fixed:
    Cpu:  250m
Scheduling:
  Node Selector:
    Sandbox:  gvisor
  Tolerations:
    Effect:    NoSchedule
    Key:       sandbox
    Operator:  Exists
Events:        <none>
`);
    expect(masked((await c.run('describe', 'podtemplate', 'tpl')).stdout)).toBe(`Name:         tpl
Namespace:    default
Labels:       <none>
Annotations:  <none>
API Version:  v1
Kind:         PodTemplate
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Resource Version:    X
  UID:                 X
Template:
  Metadata:
    Creation Timestamp:  <nil>
    Labels:
      App:  web
  Spec:
    Containers:
      Args:
        a
        b
      Image:              nginx
      Image Pull Policy:  Always
      Name:               web
      Resources:
      Termination Message Path:    /dev/termination-log
      Termination Message Policy:  File
    Dns Policy:                    ClusterFirst
    Restart Policy:                Always
    Scheduler Name:                default-scheduler
    Security Context:
    Termination Grace Period Seconds:  30
Events:                                <none>
`);
    expect(masked((await c.run('describe', 'volumeattachment', 'va-1')).stdout)).toBe(`Name:         va-1
Namespace:    
Labels:       <none>
Annotations:  <none>
API Version:  storage.k8s.io/v1
Kind:         VolumeAttachment
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Resource Version:    X
  UID:                 X
Spec:
  Attacher:   ebs.csi.aws.com
  Node Name:  node-1
  Source:
    Persistent Volume Name:  pv-1
Events:                      <none>
`);
    // an empty string in a list prints as an empty line at its indent
    expect(masked((await c.run('describe', 'validatingwebhookconfiguration', 'policy')).stdout)).toBe(`Name:         policy
Namespace:    
Labels:       <none>
Annotations:  <none>
API Version:  admissionregistration.k8s.io/v1
Kind:         ValidatingWebhookConfiguration
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Generation:          1
  Resource Version:    X
  UID:                 X
Webhooks:
  Admission Review Versions:
    v1
  Client Config:
    URL:           https://example.com/check
  Failure Policy:  Ignore
  Match Policy:    Equivalent
  Name:            check.example.com
  Namespace Selector:
  Object Selector:
  Rules:
    API Groups:
      
    API Versions:
      v1
    Operations:
      CREATE
    Resources:
      pods
    Scope:          *
  Side Effects:     None
  Timeout Seconds:  10
Events:             <none>
`);
    expect(masked((await c.run('describe', 'apiservice', 'v1.apps')).stdout)).toBe(`Name:         v1.apps
Namespace:    
Labels:       kube-aggregator.kubernetes.io/automanaged=onstart
Annotations:  <none>
API Version:  apiregistration.k8s.io/v1
Kind:         APIService
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Resource Version:    X
  UID:                 X
Spec:
  Group:                   apps
  Group Priority Minimum:  17800
  Version:                 v1
  Version Priority:        15
Status:
  Conditions:
    Last Transition Time:  2025-01-01T00:00:00Z
    Message:               Local APIServices are always available
    Reason:                Local
    Status:                True
    Type:                  Available
Events:                    <none>
`);
  });

  it('a node heartbeat Lease: owner references as a list of maps', async () => {
    const c = await manualCluster();
    const out = masked((await c.run('describe', 'lease', '-n', 'kube-node-lease', 'node-1')).stdout);
    expect(out).toBe(`Name:         node-1
Namespace:    kube-node-lease
Labels:       <none>
Annotations:  <none>
API Version:  coordination.k8s.io/v1
Kind:         Lease
Metadata:
  Creation Timestamp:  2025-01-01T00:00:00Z
  Owner References:
    API Version:     v1
    Kind:            Node
    Name:            node-1
    UID:             X
  Resource Version:  X
  UID:               X
Spec:
  Holder Identity:         node-1
  Lease Duration Seconds:  40
  Renew Time:              2025-01-01T00:00:00.000000Z
Events:                    <none>
`);
  });
});

describe('describe with nothing to describe', () => {
  it('says so in the namespace, even for a cluster-scoped kind, and without one under -A (describe.go Run)', async () => {
    const c = await manualCluster();
    expect(await c.run('describe', 'pods')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await c.run('describe', 'pods', '-A', '-l', 'app=none')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
    expect(await c.run('describe', 'runtimeclasses')).toEqual({
      code: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    });
  });
});
