// The built-in kinds, in the order of `kubesim api-resources`: what discovery and resource names
// need is declared here; each kind's module (columns, defaulting, validation, describe) is loaded
// when first needed (registry.declareKind). A kind's names live only here: a new kind is its module
// (`registerKind('Kind', { columns, defaults, validate… })`, through ./register) and its
// declaration here.
import { declareKind } from '../registry';
import { onDemand } from '../../util/on-demand';

/* eslint-disable @typescript-eslint/no-require-imports */
const namespace = onDemand('api/kinds/namespace', () => require('./namespace') as unknown);
const node = onDemand('api/kinds/node', () => require('./node') as unknown);
const pod = onDemand('api/kinds/pod', () => require('./pod') as unknown);
const configmap = onDemand('api/kinds/configmap', () => require('./configmap') as unknown);
const secret = onDemand('api/kinds/secret', () => require('./secret') as unknown);
const serviceaccount = onDemand('api/kinds/serviceaccount', () => require('./serviceaccount') as unknown);
const service = onDemand('api/kinds/service', () => require('./service') as unknown);
const endpoints = onDemand('api/kinds/endpoints', () => require('./endpoints') as unknown);
const endpointslice = onDemand('api/kinds/endpointslice', () => require('./endpointslice') as unknown);
const ingress = onDemand('api/kinds/ingress', () => require('./ingress') as unknown);
const networkpolicy = onDemand('api/kinds/networkpolicy', () => require('./networkpolicy') as unknown);
const event = onDemand('api/kinds/event', () => require('./event') as unknown);
const eventsEvent = onDemand('api/kinds/events-event', () => require('./events-event') as unknown);
const componentstatus = onDemand('api/kinds/componentstatus', () => require('./componentstatus') as unknown);
const priorityclass = onDemand('api/kinds/priorityclass', () => require('./priorityclass') as unknown);
const deployment = onDemand('api/kinds/deployment', () => require('./deployment') as unknown);
const replicaset = onDemand('api/kinds/replicaset', () => require('./replicaset') as unknown);
const replicationcontroller = onDemand('api/kinds/replicationcontroller', () => require('./replicationcontroller') as unknown);
const podtemplate = onDemand('api/kinds/podtemplate', () => require('./podtemplate') as unknown);
const poddisruptionbudget = onDemand('api/kinds/poddisruptionbudget', () => require('./poddisruptionbudget') as unknown);
const daemonset = onDemand('api/kinds/daemonset', () => require('./daemonset') as unknown);
const persistentvolume = onDemand('api/kinds/persistentvolume', () => require('./persistentvolume') as unknown);
const persistentvolumeclaim = onDemand('api/kinds/persistentvolumeclaim', () => require('./persistentvolumeclaim') as unknown);
const statefulset = onDemand('api/kinds/statefulset', () => require('./statefulset') as unknown);
const controllerrevision = onDemand('api/kinds/controllerrevision', () => require('./controllerrevision') as unknown);
const limitrange = onDemand('api/kinds/limitrange', () => require('./limitrange') as unknown);
const resourcequota = onDemand('api/kinds/resourcequota', () => require('./resourcequota') as unknown);
const validatingadmissionpolicy = onDemand('api/kinds/validatingadmissionpolicy', () => require('./validatingadmissionpolicy') as unknown);
const webhookconfiguration = onDemand('api/kinds/webhookconfiguration', () => require('./webhookconfiguration') as unknown);
const apiservice = onDemand('api/kinds/apiservice', () => require('./apiservice') as unknown);
const flowcontrol = onDemand('api/kinds/flowcontrol', () => require('./flowcontrol') as unknown);
const horizontalpodautoscaler = onDemand('api/kinds/horizontalpodautoscaler', () => require('./horizontalpodautoscaler') as unknown);
const nodegroup = onDemand('api/kinds/nodegroup', () => require('./nodegroup') as unknown);
const simulationprofile = onDemand('api/kinds/simulationprofile', () => require('./simulationprofile') as unknown);
const storageclass = onDemand('api/kinds/storageclass', () => require('./storageclass') as unknown);
const csidriver = onDemand('api/kinds/csidriver', () => require('./csidriver') as unknown);
const csinode = onDemand('api/kinds/csinode', () => require('./csinode') as unknown);
const csistoragecapacity = onDemand('api/kinds/csistoragecapacity', () => require('./csistoragecapacity') as unknown);
const volumeattachment = onDemand('api/kinds/volumeattachment', () => require('./volumeattachment') as unknown);
const lease = onDemand('api/kinds/lease', () => require('./lease') as unknown);
const runtimeclass = onDemand('api/kinds/runtimeclass', () => require('./runtimeclass') as unknown);
const certificatesigningrequest = onDemand('api/kinds/certificatesigningrequest', () => require('./certificatesigningrequest') as unknown);
const job = onDemand('api/kinds/job', () => require('./job') as unknown);
const cronjob = onDemand('api/kinds/cronjob', () => require('./cronjob') as unknown);
const role = onDemand('api/kinds/role', () => require('./role') as unknown);
const clusterrole = onDemand('api/kinds/clusterrole', () => require('./clusterrole') as unknown);
const rolebinding = onDemand('api/kinds/rolebinding', () => require('./rolebinding') as unknown);
const clusterrolebinding = onDemand('api/kinds/clusterrolebinding', () => require('./clusterrolebinding') as unknown);
const customresourcedefinition = onDemand('api/kinds/customresourcedefinition', () => require('./customresourcedefinition') as unknown);
/* eslint-enable @typescript-eslint/no-require-imports */

declareKind(
  {
    kind: 'Namespace',
    group: '',
    version: 'v1',
    plural: 'namespaces',
    singular: 'namespace',
    shortNames: ['ns'],
    namespaced: false,
    // a namespace is deleted one by one (its contents go with it): no deletecollection
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  namespace,
);
declareKind({ kind: 'Node', group: '', version: 'v1', plural: 'nodes', singular: 'node', shortNames: ['no'], namespaced: false }, node);
declareKind(
  { kind: 'Pod', group: '', version: 'v1', plural: 'pods', singular: 'pod', shortNames: ['po'], namespaced: true, inAll: true },
  pod,
);
declareKind(
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', shortNames: ['cm'], namespaced: true },
  configmap,
);
declareKind({ kind: 'Secret', group: '', version: 'v1', plural: 'secrets', singular: 'secret', shortNames: [], namespaced: true }, secret);
declareKind(
  {
    kind: 'ServiceAccount',
    group: '',
    version: 'v1',
    plural: 'serviceaccounts',
    singular: 'serviceaccount',
    shortNames: ['sa'],
    namespaced: true,
  },
  serviceaccount,
);
declareKind(
  {
    kind: 'Service',
    group: '',
    version: 'v1',
    plural: 'services',
    singular: 'service',
    shortNames: ['svc'],
    namespaced: true,
    inAll: true,
  },
  service,
);
declareKind(
  { kind: 'Endpoints', group: '', version: 'v1', plural: 'endpoints', singular: 'endpoints', shortNames: ['ep'], namespaced: true },
  endpoints,
);
declareKind(
  {
    kind: 'EndpointSlice',
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    singular: 'endpointslice',
    shortNames: [],
    namespaced: true,
  },
  endpointslice,
);
declareKind(
  {
    kind: 'Ingress',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    singular: 'ingress',
    shortNames: ['ing'],
    namespaced: true,
  },
  ingress,
);
declareKind(
  {
    kind: 'IngressClass',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    shortNames: [],
    namespaced: false,
  },
  ingress,
);
declareKind(
  {
    kind: 'NetworkPolicy',
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    namespaced: true,
  },
  networkpolicy,
);
declareKind({ kind: 'Event', group: '', version: 'v1', plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true }, event);
// the same storage through events.k8s.io (pkg/registry/events reuses core's event storage, short name and all)
declareKind(
  {
    kind: 'Event',
    group: 'events.k8s.io',
    version: 'v1',
    plural: 'events',
    singular: 'event',
    shortNames: ['ev'],
    namespaced: true,
    viewOf: true,
  },
  eventsEvent,
);
declareKind(
  {
    kind: 'ComponentStatus',
    group: '',
    version: 'v1',
    plural: 'componentstatuses',
    singular: 'componentstatus',
    shortNames: ['cs'],
    namespaced: false,
    // pkg/registry/core/componentstatus: a Getter and Lister only, probing on each request
    verbs: ['get', 'list'],
    computed: true,
    deprecatedIn: '1.19',
  },
  componentstatus,
);
declareKind(
  {
    kind: 'PriorityClass',
    group: 'scheduling.k8s.io',
    version: 'v1',
    plural: 'priorityclasses',
    singular: 'priorityclass',
    shortNames: ['pc'],
    namespaced: false,
  },
  priorityclass,
);
declareKind(
  {
    kind: 'Deployment',
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    singular: 'deployment',
    shortNames: ['deploy'],
    namespaced: true,
    inAll: true,
  },
  deployment,
);
declareKind(
  {
    kind: 'ReplicaSet',
    group: 'apps',
    version: 'v1',
    plural: 'replicasets',
    singular: 'replicaset',
    shortNames: ['rs'],
    namespaced: true,
    inAll: true,
  },
  replicaset,
);
declareKind(
  {
    kind: 'ReplicationController',
    group: '',
    version: 'v1',
    plural: 'replicationcontrollers',
    singular: 'replicationcontroller',
    shortNames: ['rc'],
    namespaced: true,
    inAll: true,
  },
  replicationcontroller,
);
declareKind(
  { kind: 'PodTemplate', group: '', version: 'v1', plural: 'podtemplates', singular: 'podtemplate', shortNames: [], namespaced: true },
  podtemplate,
);
declareKind(
  {
    kind: 'PodDisruptionBudget',
    group: 'policy',
    version: 'v1',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    shortNames: ['pdb'],
    namespaced: true,
  },
  poddisruptionbudget,
);
declareKind(
  {
    kind: 'DaemonSet',
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    singular: 'daemonset',
    shortNames: ['ds'],
    namespaced: true,
    inAll: true,
  },
  daemonset,
);
declareKind(
  {
    kind: 'PersistentVolume',
    group: '',
    version: 'v1',
    plural: 'persistentvolumes',
    singular: 'persistentvolume',
    shortNames: ['pv'],
    namespaced: false,
  },
  persistentvolume,
);
declareKind(
  {
    kind: 'PersistentVolumeClaim',
    group: '',
    version: 'v1',
    plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    shortNames: ['pvc'],
    namespaced: true,
  },
  persistentvolumeclaim,
);
declareKind(
  {
    kind: 'StatefulSet',
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    singular: 'statefulset',
    shortNames: ['sts'],
    namespaced: true,
    inAll: true,
  },
  statefulset,
);
declareKind(
  {
    kind: 'ControllerRevision',
    group: 'apps',
    version: 'v1',
    plural: 'controllerrevisions',
    singular: 'controllerrevision',
    shortNames: [],
    namespaced: true,
  },
  controllerrevision,
);
declareKind(
  { kind: 'LimitRange', group: '', version: 'v1', plural: 'limitranges', singular: 'limitrange', shortNames: ['limits'], namespaced: true },
  limitrange,
);
declareKind(
  {
    kind: 'ResourceQuota',
    group: '',
    version: 'v1',
    plural: 'resourcequotas',
    singular: 'resourcequota',
    shortNames: ['quota'],
    namespaced: true,
  },
  resourcequota,
);
declareKind(
  {
    kind: 'ValidatingAdmissionPolicy',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingadmissionpolicies',
    singular: 'validatingadmissionpolicy',
    shortNames: [],
    namespaced: false,
    categories: ['api-extensions'],
  },
  validatingadmissionpolicy,
);
declareKind(
  {
    kind: 'ValidatingAdmissionPolicyBinding',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingadmissionpolicybindings',
    singular: 'validatingadmissionpolicybinding',
    shortNames: [],
    namespaced: false,
    categories: ['api-extensions'],
  },
  validatingadmissionpolicy,
);
declareKind(
  {
    kind: 'MutatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'mutatingwebhookconfigurations',
    singular: 'mutatingwebhookconfiguration',
    shortNames: [],
    namespaced: false,
  },
  webhookconfiguration,
);
declareKind(
  {
    kind: 'ValidatingWebhookConfiguration',
    group: 'admissionregistration.k8s.io',
    version: 'v1',
    plural: 'validatingwebhookconfigurations',
    singular: 'validatingwebhookconfiguration',
    shortNames: [],
    namespaced: false,
  },
  webhookconfiguration,
);
declareKind(
  {
    kind: 'APIService',
    group: 'apiregistration.k8s.io',
    version: 'v1',
    plural: 'apiservices',
    singular: 'apiservice',
    shortNames: [],
    namespaced: false,
  },
  apiservice,
);
declareKind(
  {
    kind: 'FlowSchema',
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1',
    plural: 'flowschemas',
    singular: 'flowschema',
    shortNames: [],
    namespaced: false,
  },
  flowcontrol,
);
declareKind(
  {
    kind: 'PriorityLevelConfiguration',
    group: 'flowcontrol.apiserver.k8s.io',
    version: 'v1',
    plural: 'prioritylevelconfigurations',
    singular: 'prioritylevelconfiguration',
    shortNames: [],
    namespaced: false,
  },
  flowcontrol,
);
declareKind(
  {
    kind: 'HorizontalPodAutoscaler',
    group: 'autoscaling',
    version: 'v2',
    otherVersions: ['v1'],
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    shortNames: ['hpa'],
    namespaced: true,
    inAll: true,
  },
  horizontalpodautoscaler,
);
declareKind(
  {
    kind: 'NodeGroup',
    group: 'autoscaling.kubesim.io',
    version: 'v1',
    plural: 'nodegroups',
    singular: 'nodegroup',
    shortNames: ['ng'],
    namespaced: false,
  },
  nodegroup,
);
declareKind(
  {
    kind: 'SimulationProfile',
    group: 'sim.kubesim.io',
    version: 'v1',
    plural: 'simulationprofiles',
    singular: 'simulationprofile',
    shortNames: ['simprofile'],
    namespaced: false,
  },
  simulationprofile,
);
declareKind(
  {
    kind: 'StorageClass',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'storageclasses',
    singular: 'storageclass',
    shortNames: ['sc'],
    namespaced: false,
  },
  storageclass,
);
declareKind(
  {
    kind: 'CSIDriver',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'csidrivers',
    singular: 'csidriver',
    shortNames: [],
    namespaced: false,
  },
  csidriver,
);
declareKind(
  { kind: 'CSINode', group: 'storage.k8s.io', version: 'v1', plural: 'csinodes', singular: 'csinode', shortNames: [], namespaced: false },
  csinode,
);
// (namespaced, no short name: pkg/registry/storage/csistoragecapacity/storage)
declareKind(
  {
    kind: 'CSIStorageCapacity',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'csistoragecapacities',
    singular: 'csistoragecapacity',
    shortNames: [],
    namespaced: true,
  },
  csistoragecapacity,
);
declareKind(
  {
    kind: 'VolumeAttachment',
    group: 'storage.k8s.io',
    version: 'v1',
    plural: 'volumeattachments',
    singular: 'volumeattachment',
    shortNames: [],
    namespaced: false,
  },
  volumeattachment,
);
declareKind(
  { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases', singular: 'lease', shortNames: [], namespaced: true },
  lease,
);
declareKind(
  {
    kind: 'RuntimeClass',
    group: 'node.k8s.io',
    version: 'v1',
    plural: 'runtimeclasses',
    singular: 'runtimeclass',
    shortNames: [],
    namespaced: false,
  },
  runtimeclass,
);
declareKind(
  {
    kind: 'CertificateSigningRequest',
    group: 'certificates.k8s.io',
    version: 'v1',
    plural: 'certificatesigningrequests',
    singular: 'certificatesigningrequest',
    shortNames: ['csr'],
    namespaced: false,
  },
  certificatesigningrequest,
);
declareKind(
  { kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', shortNames: [], namespaced: true, inAll: true },
  job,
);
declareKind(
  {
    kind: 'CronJob',
    group: 'batch',
    version: 'v1',
    plural: 'cronjobs',
    singular: 'cronjob',
    shortNames: ['cj'],
    namespaced: true,
    inAll: true,
  },
  cronjob,
);
declareKind(
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', singular: 'role', shortNames: [], namespaced: true },
  role,
);
declareKind(
  {
    kind: 'ClusterRole',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterroles',
    singular: 'clusterrole',
    shortNames: [],
    namespaced: false,
  },
  clusterrole,
);
declareKind(
  {
    kind: 'RoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'rolebindings',
    singular: 'rolebinding',
    shortNames: [],
    namespaced: true,
  },
  rolebinding,
);
declareKind(
  {
    kind: 'ClusterRoleBinding',
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    plural: 'clusterrolebindings',
    singular: 'clusterrolebinding',
    shortNames: [],
    namespaced: false,
  },
  clusterrolebinding,
);
declareKind(
  {
    kind: 'CustomResourceDefinition',
    group: 'apiextensions.k8s.io',
    version: 'v1',
    plural: 'customresourcedefinitions',
    singular: 'customresourcedefinition',
    shortNames: ['crd', 'crds'],
    namespaced: false,
  },
  customresourcedefinition,
);
