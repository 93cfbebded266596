/**
 * One alias per kind kubesim serves, built from the Kubernetes v1.32 field types (./k8s, generated
 * from the API definitions: ./generated), and the
 * narrowing helpers. A kind with a spec is `KObject<Spec, Status>` whose spec is always there
 * (defaulting sets it, as Go's value-typed spec always serializes); status is optional (a new
 * object has none yet). A kind whose fields sit at the top level (ConfigMap.data, Role.rules…)
 * extends KObject with them.
 */
import type {
  CoreV1Event,
  V1ComponentStatus,
  V1APIServiceSpec,
  V1APIServiceStatus,
  V1CertificateSigningRequestSpec,
  V1CertificateSigningRequestStatus,
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1ControllerRevision,
  V1EndpointSlice,
  V1Endpoints,
  V1LeaseSpec,
  V1NetworkPolicySpec,
  V1PodTemplate,
  V1PriorityClass,
  V1Role,
  V1RoleBinding,
  V1Secret,
  V1ServiceAccount,
  V1StorageClass,
  V1CSIStorageCapacity,
  V1CSIDriverSpec,
  V1CSINodeSpec,
  V1CustomResourceDefinitionSpec,
  V1CustomResourceDefinitionStatus,
  V1FlowSchemaSpec,
  V1FlowSchemaStatus,
  V1MutatingWebhookConfiguration,
  V1PriorityLevelConfigurationSpec,
  V1PriorityLevelConfigurationStatus,
  V1RuntimeClass,
  V1ValidatingWebhookConfiguration,
  V1VolumeAttachmentSpec,
  V1VolumeAttachmentStatus,
} from './generated/definitions';
import type { KObject } from './objects';
import type * as t from './k8s';

/** The top-level fields of a Kubernetes type other than its identity (kind, apiVersion, metadata). */
type TopLevel<T> = Omit<T, 'apiVersion' | 'kind' | 'metadata'>;

export interface Pod extends KObject<t.PodSpec, t.PodStatus> {
  spec: t.PodSpec;
}
export interface Node extends KObject<t.NodeSpec, t.NodeStatus> {
  spec: t.NodeSpec;
}
export interface Namespace extends KObject<t.NamespaceSpec, t.NamespaceStatus> {
  spec: t.NamespaceSpec;
}
export interface Service extends KObject<t.ServiceSpec, t.ServiceStatus> {
  spec: t.ServiceSpec;
}
export interface PersistentVolumeClaim extends KObject<t.PersistentVolumeClaimSpec, t.PersistentVolumeClaimStatus> {
  spec: t.PersistentVolumeClaimSpec;
}
export interface PersistentVolume extends KObject<t.PersistentVolumeSpec, t.PersistentVolumeStatus> {
  spec: t.PersistentVolumeSpec;
}
export interface ResourceQuota extends KObject<t.ResourceQuotaSpec, t.ResourceQuotaStatus> {
  spec: t.ResourceQuotaSpec;
}
export interface LimitRange extends KObject<t.LimitRangeSpec, never> {
  spec: t.LimitRangeSpec;
}
export interface Deployment extends KObject<t.DeploymentSpec, t.DeploymentStatus> {
  spec: t.DeploymentSpec;
}
export interface ReplicaSet extends KObject<t.ReplicaSetSpec, t.ReplicaSetStatus> {
  spec: t.ReplicaSetSpec;
}
export interface ReplicationController extends KObject<t.ReplicationControllerSpec, t.ReplicationControllerStatus> {
  spec: t.ReplicationControllerSpec;
}
export interface StatefulSet extends KObject<t.StatefulSetSpec, t.StatefulSetStatus> {
  spec: t.StatefulSetSpec;
}
export interface DaemonSet extends KObject<t.DaemonSetSpec, t.DaemonSetStatus> {
  spec: t.DaemonSetSpec;
}
export interface Job extends KObject<t.JobSpec, t.JobStatus> {
  spec: t.JobSpec;
}
export interface CronJob extends KObject<t.CronJobSpec, t.CronJobStatus> {
  spec: t.CronJobSpec;
}
export interface HorizontalPodAutoscaler extends KObject<t.HorizontalPodAutoscalerSpec, t.HorizontalPodAutoscalerStatus> {
  spec: t.HorizontalPodAutoscalerSpec;
}
export interface PodDisruptionBudget extends KObject<t.PodDisruptionBudgetSpec, t.PodDisruptionBudgetStatus> {
  spec: t.PodDisruptionBudgetSpec;
}
export interface Ingress extends KObject<t.IngressSpec, t.IngressStatus> {
  spec: t.IngressSpec;
}
export interface IngressClass extends KObject<t.IngressClassSpec, never> {
  spec: t.IngressClassSpec;
}
export interface ValidatingAdmissionPolicy extends KObject<t.ValidatingAdmissionPolicySpec, t.ValidatingAdmissionPolicyStatus> {
  spec: t.ValidatingAdmissionPolicySpec;
}
export interface ValidatingAdmissionPolicyBinding extends KObject<t.ValidatingAdmissionPolicyBindingSpec, never> {
  spec: t.ValidatingAdmissionPolicyBindingSpec;
}
export interface Lease extends KObject<V1LeaseSpec, never> {
  spec: V1LeaseSpec;
}
export interface NetworkPolicy extends KObject<V1NetworkPolicySpec, never> {
  spec: V1NetworkPolicySpec;
}
export interface APIService extends KObject<V1APIServiceSpec, V1APIServiceStatus> {
  spec: V1APIServiceSpec;
}
export interface CertificateSigningRequest extends KObject<V1CertificateSigningRequestSpec, V1CertificateSigningRequestStatus> {
  spec: V1CertificateSigningRequestSpec;
}
export interface CustomResourceDefinition extends KObject<V1CustomResourceDefinitionSpec, V1CustomResourceDefinitionStatus> {
  spec: V1CustomResourceDefinitionSpec;
}
export interface FlowSchema extends KObject<V1FlowSchemaSpec, V1FlowSchemaStatus> {
  spec: V1FlowSchemaSpec;
}
export interface PriorityLevelConfiguration extends KObject<V1PriorityLevelConfigurationSpec, V1PriorityLevelConfigurationStatus> {
  spec: V1PriorityLevelConfigurationSpec;
}

export interface CSIDriver extends KObject<V1CSIDriverSpec, never> {
  spec: V1CSIDriverSpec;
}
export interface CSINode extends KObject<V1CSINodeSpec, never> {
  spec: V1CSINodeSpec;
}
export interface VolumeAttachment extends KObject<V1VolumeAttachmentSpec, V1VolumeAttachmentStatus> {
  spec: V1VolumeAttachmentSpec;
}

export interface PodTemplate extends KObject<never, never>, TopLevel<V1PodTemplate> {}
export interface ConfigMap extends KObject<never, never>, TopLevel<V1ConfigMap> {}
export interface Secret extends KObject<never, never>, TopLevel<V1Secret> {}
export interface ServiceAccount extends KObject<never, never>, TopLevel<V1ServiceAccount> {}
export interface Endpoints extends KObject<never, never>, TopLevel<V1Endpoints> {}
export interface CoreEvent extends KObject<never, never>, TopLevel<CoreV1Event> {}
export interface ComponentStatus extends KObject<never, never>, TopLevel<V1ComponentStatus> {}
export interface EndpointSlice extends KObject<never, never>, TopLevel<V1EndpointSlice> {}
export interface StorageClass extends KObject<never, never>, TopLevel<V1StorageClass> {}
export interface CSIStorageCapacity extends KObject<never, never>, TopLevel<V1CSIStorageCapacity> {}
export interface PriorityClass extends KObject<never, never>, TopLevel<V1PriorityClass> {}
export interface ControllerRevision extends KObject<never, never>, TopLevel<V1ControllerRevision> {}
export interface Role extends KObject<never, never>, TopLevel<V1Role> {}
export interface ClusterRole extends KObject<never, never>, TopLevel<V1ClusterRole> {}
export interface RoleBinding extends KObject<never, never>, TopLevel<V1RoleBinding> {}
export interface ClusterRoleBinding extends KObject<never, never>, TopLevel<V1ClusterRoleBinding> {}
export interface RuntimeClass extends KObject<never, never>, TopLevel<V1RuntimeClass> {}
export interface MutatingWebhookConfiguration extends KObject<never, never>, TopLevel<V1MutatingWebhookConfiguration> {}
export interface ValidatingWebhookConfiguration extends KObject<never, never>, TopLevel<V1ValidatingWebhookConfiguration> {}

/** kubesim's NodeGroup (autoscaling.kubesim.io/v1): a cloud node group the Cluster Autoscaler resizes. */
export interface NodeGroupSpec {
  minSize?: number;
  maxSize?: number;
  provisionSeconds?: number;
  template?: { cpu?: t.Quantity; memory?: t.Quantity; pods?: number; labels?: Record<string, string>; taints?: t.Taint[] };
}
export interface NodeGroupStatus {
  targetSize?: number;
  currentSize?: number;
  readyNodes?: number;
  nodesCreated?: number;
  /** nodes asked for and not registered yet; readyAt is RFC 3339 */
  provisioning?: { count: number; readyAt: string }[];
  lastScaleUpTime?: string;
}
export interface NodeGroup extends KObject<NodeGroupSpec, NodeGroupStatus> {
  spec: NodeGroupSpec;
}

/**
 * A duration in seconds drawn from a distribution (exactly one of the four), per pod or per node
 * from a PRNG seeded by the object's identity (src/sim/simulation-profile.ts).
 */
export interface Distribution {
  fixed?: number;
  uniform?: { min?: number; max?: number };
  /** clamped at 0 */
  normal?: { mean?: number; stddev?: number };
  exponential?: { mean?: number };
}
/** kubesim's SimulationProfile (sim.kubesim.io/v1): lifecycle timings and failures for the pods it matches. */
export interface SimulationProfileSpec {
  /** higher wins when several profiles match a pod (then the more specific match, then name order) */
  priority?: number;
  match?: { namespaces?: string[]; podSelector?: t.LabelSelector; images?: string[] };
  imagePullSeconds?: Distribution;
  startupSeconds?: Distribution;
  readinessSeconds?: Distribution;
  shutdownSeconds?: Distribution;
  /** the chance that a running container crashes (exit 1) within an hour, in [0, 1) */
  crashProbabilityPerHour?: number;
  /** the chance that a running container is OOM-killed (exit 137, OOMKilled) within an hour, in [0, 1) */
  oomKillProbabilityPerHour?: number;
  /** how long the Cluster Autoscaler's new nodes take to register (NodeGroups named, or all) */
  nodeBoot?: { nodeGroups?: string[]; seconds?: Distribution };
}
export interface SimulationProfile extends KObject<SimulationProfileSpec, never> {
  spec: SimulationProfileSpec;
}

/** Kind name → its typed object. */
export interface KindMap {
  Pod: Pod;
  Node: Node;
  Namespace: Namespace;
  Service: Service;
  PersistentVolumeClaim: PersistentVolumeClaim;
  PersistentVolume: PersistentVolume;
  ResourceQuota: ResourceQuota;
  LimitRange: LimitRange;
  Deployment: Deployment;
  ReplicaSet: ReplicaSet;
  ReplicationController: ReplicationController;
  PodTemplate: PodTemplate;
  StatefulSet: StatefulSet;
  DaemonSet: DaemonSet;
  Job: Job;
  CronJob: CronJob;
  HorizontalPodAutoscaler: HorizontalPodAutoscaler;
  PodDisruptionBudget: PodDisruptionBudget;
  Ingress: Ingress;
  IngressClass: IngressClass;
  ValidatingAdmissionPolicy: ValidatingAdmissionPolicy;
  ValidatingAdmissionPolicyBinding: ValidatingAdmissionPolicyBinding;
  Lease: Lease;
  NetworkPolicy: NetworkPolicy;
  APIService: APIService;
  CertificateSigningRequest: CertificateSigningRequest;
  ConfigMap: ConfigMap;
  Secret: Secret;
  ServiceAccount: ServiceAccount;
  Endpoints: Endpoints;
  Event: CoreEvent;
  ComponentStatus: ComponentStatus;
  EndpointSlice: EndpointSlice;
  StorageClass: StorageClass;
  PriorityClass: PriorityClass;
  ControllerRevision: ControllerRevision;
  Role: Role;
  ClusterRole: ClusterRole;
  RoleBinding: RoleBinding;
  ClusterRoleBinding: ClusterRoleBinding;
  NodeGroup: NodeGroup;
  SimulationProfile: SimulationProfile;
  CSIDriver: CSIDriver;
  CSINode: CSINode;
  CSIStorageCapacity: CSIStorageCapacity;
  VolumeAttachment: VolumeAttachment;
  FlowSchema: FlowSchema;
  PriorityLevelConfiguration: PriorityLevelConfiguration;
  CustomResourceDefinition: CustomResourceDefinition;
  RuntimeClass: RuntimeClass;
  MutatingWebhookConfiguration: MutatingWebhookConfiguration;
  ValidatingWebhookConfiguration: ValidatingWebhookConfiguration;
}
export type KindName = keyof KindMap;

/** The typed object of a kind named by a literal; a plain KObject for a kind named at run time. */
export type ObjectOf<K extends string> = K extends KindName ? KindMap[K] : KObject;

/**
 * A pod or Service as code that may be handed any KObject sees it (printers, commands, helpers
 * shared with them): the kind's typed spec and status, both optional. A Pod/Service fits, and so
 * does a plain KObject.
 */
export type PodLike = KObject<t.PodSpec, t.PodStatus>;
export type ServiceLike = KObject<t.ServiceSpec, t.ServiceStatus>;

/** The kinds with the scale subresource. */
export const SCALABLE_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];
/** What the scale subresource reads of a workload: spec.replicas and spec.selector, status.replicas. */
export type Scalable = KObject<{ replicas?: number; selector?: t.LabelSelector }, { replicas?: number }>;
export function isScalable(obj: KObject | undefined): obj is Scalable {
  return obj !== undefined && SCALABLE_KINDS.includes(obj.kind);
}

/** Narrows an object to the kind it is. */
export function isKind<K extends KindName>(obj: KObject, kind: K): obj is KindMap[K] {
  return obj.kind === kind;
}

/** Narrows an object to one of the kinds named (a verb's allowed kinds, a controller's owners). */
export function isKindIn<K extends KindName>(obj: KObject, kinds: readonly K[]): obj is KindMap[K] {
  return (kinds as readonly string[]).includes(obj.kind);
}
