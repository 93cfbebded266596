/**
 * Kubernetes API field types under the names the code base uses (PodSpec, Container, Taint…), from
 * the types generated from the v1.32 API definitions (./generated/definitions.ts, `npm run
 * gen-types`), whose names carry the version (`V1PodSpec`, `V2HorizontalPodAutoscalerSpec`).
 * Outside src/model, import Kubernetes types from here, not from ./generated directly.
 */
import type { V1PodCondition, V1PodSpec, V1PodStatus } from './generated/definitions';

/** resource.Quantity: serialized as a string ("100m", "1Gi"); the definitions hold it as one. */
export type Quantity = string;
/** metav1.Time: an RFC 3339 string. */
export type Time = string;

export type { V1Affinity as Affinity } from './generated/definitions';
export type { V1AggregationRule as AggregationRule } from './generated/definitions';
export type { V1Capabilities as Capabilities } from './generated/definitions';
export type { V1Condition as Condition } from './generated/definitions';
export type { V1ConfigMapKeySelector as ConfigMapKeySelector } from './generated/definitions';
export type { V1Container as Container } from './generated/definitions';
export type { V1ContainerPort as ContainerPort } from './generated/definitions';
export type { V1ContainerState as ContainerState } from './generated/definitions';
export type { V1ContainerStatus as ContainerStatus } from './generated/definitions';
export type { V1CronJobSpec as CronJobSpec } from './generated/definitions';
export type { V1CronJobStatus as CronJobStatus } from './generated/definitions';
export type { V2CrossVersionObjectReference as CrossVersionObjectReference } from './generated/definitions';
export type { V1DaemonSetCondition as DaemonSetCondition } from './generated/definitions';
export type { V1DaemonSetSpec as DaemonSetSpec } from './generated/definitions';
export type { V1DaemonSetStatus as DaemonSetStatus } from './generated/definitions';
export type { V1DaemonSetUpdateStrategy as DaemonSetUpdateStrategy } from './generated/definitions';
export type { V1DeploymentCondition as DeploymentCondition } from './generated/definitions';
export type { V1DeploymentSpec as DeploymentSpec } from './generated/definitions';
export type { V1DeploymentStatus as DeploymentStatus } from './generated/definitions';
export type { V1DeploymentStrategy as DeploymentStrategy } from './generated/definitions';
export type { V1EndpointAddress as EndpointAddress } from './generated/definitions';
export type { V1EndpointConditions as EndpointConditions } from './generated/definitions';
export type { V1EndpointHints as EndpointHints } from './generated/definitions';
export type { CoreV1EndpointPort as EndpointPort } from './generated/definitions';
export type { V1EndpointSubset as EndpointSubset } from './generated/definitions';
export type { V1EnvFromSource as EnvFromSource } from './generated/definitions';
export type { V1EnvVar as EnvVar } from './generated/definitions';
export type { V1EphemeralContainer as EphemeralContainer } from './generated/definitions';
export type { V2HorizontalPodAutoscalerBehavior as HorizontalPodAutoscalerBehavior } from './generated/definitions';
export type { V2HorizontalPodAutoscalerCondition as HorizontalPodAutoscalerCondition } from './generated/definitions';
export type { V2HorizontalPodAutoscalerSpec as HorizontalPodAutoscalerSpec } from './generated/definitions';
export type { V2HorizontalPodAutoscalerStatus as HorizontalPodAutoscalerStatus } from './generated/definitions';
export type { V1HostPathVolumeSource as HostPathVolumeSource } from './generated/definitions';
export type { V2HPAScalingPolicy as HPAScalingPolicy } from './generated/definitions';
export type { V2HPAScalingRules as HPAScalingRules } from './generated/definitions';
export type { V1HTTPIngressPath as HTTPIngressPath } from './generated/definitions';
export type { V1IngressBackend as IngressBackend } from './generated/definitions';
export type { V1IngressClassSpec as IngressClassSpec } from './generated/definitions';
export type { V1IngressRule as IngressRule } from './generated/definitions';
export type { V1IngressSpec as IngressSpec } from './generated/definitions';
export type { V1IngressStatus as IngressStatus } from './generated/definitions';
export type { V1JobCondition as JobCondition } from './generated/definitions';
export type { V1JobSpec as JobSpec } from './generated/definitions';
export type { V1JobStatus as JobStatus } from './generated/definitions';
export type { V1JobTemplateSpec as JobTemplateSpec } from './generated/definitions';
export type { V1LabelSelector as LabelSelector } from './generated/definitions';
export type { V1LabelSelectorRequirement as LabelSelectorRequirement } from './generated/definitions';
export type { V1LimitRangeItem as LimitRangeItem } from './generated/definitions';
export type { V1LimitRangeSpec as LimitRangeSpec } from './generated/definitions';
export type { V1LoadBalancerIngress as LoadBalancerIngress } from './generated/definitions';
export type { V1LoadBalancerStatus as LoadBalancerStatus } from './generated/definitions';
export type { V1LocalObjectReference as LocalObjectReference } from './generated/definitions';
export type { V2MetricSpec as MetricSpec } from './generated/definitions';
export type { V2MetricStatus as MetricStatus } from './generated/definitions';
export type { V2MetricTarget as MetricTarget } from './generated/definitions';
export type { V2MetricValueStatus as MetricValueStatus } from './generated/definitions';
export type { V1NamespaceSpec as NamespaceSpec } from './generated/definitions';
export type { V1NamespaceStatus as NamespaceStatus } from './generated/definitions';
export type { V1NamespaceCondition as NamespaceCondition } from './generated/definitions';
export type { V1NodeAddress as NodeAddress } from './generated/definitions';
export type { V1NodeAffinity as NodeAffinity } from './generated/definitions';
export type { V1NodeCondition as NodeCondition } from './generated/definitions';
export type { V1NodeSelector as NodeSelector } from './generated/definitions';
export type { V1NodeSelectorRequirement as NodeSelectorRequirement } from './generated/definitions';
export type { V1NodeSelectorTerm as NodeSelectorTerm } from './generated/definitions';
export type { V1NodeSpec as NodeSpec } from './generated/definitions';
export type { V1NodeStatus as NodeStatus } from './generated/definitions';
export type { V1NodeSystemInfo as NodeSystemInfo } from './generated/definitions';
export type { V1ObjectReference as ObjectReference } from './generated/definitions';
export type { V1PersistentVolumeClaimCondition as PersistentVolumeClaimCondition } from './generated/definitions';
export type { V1PersistentVolumeClaimSpec as PersistentVolumeClaimSpec } from './generated/definitions';
export type { V1PersistentVolumeClaimStatus as PersistentVolumeClaimStatus } from './generated/definitions';
export type { V1PersistentVolumeClaimTemplate as PersistentVolumeClaimTemplate } from './generated/definitions';
export type { V1PersistentVolumeSpec as PersistentVolumeSpec } from './generated/definitions';
export type { V1PersistentVolumeStatus as PersistentVolumeStatus } from './generated/definitions';
export type { V1PodAffinity as PodAffinity } from './generated/definitions';
export type { V1PodAffinityTerm as PodAffinityTerm } from './generated/definitions';
export type { V1PodAntiAffinity as PodAntiAffinity } from './generated/definitions';
export type { V1PodDisruptionBudgetSpec as PodDisruptionBudgetSpec } from './generated/definitions';
export type { V1PodDisruptionBudgetStatus as PodDisruptionBudgetStatus } from './generated/definitions';
export type { V1PodFailurePolicy as PodFailurePolicy } from './generated/definitions';
export type { V1PodFailurePolicyRule as PodFailurePolicyRule } from './generated/definitions';
export type { V1PodIP as PodIP } from './generated/definitions';
export type { V1PodReadinessGate as PodReadinessGate } from './generated/definitions';
export type { V1PodSchedulingGate as PodSchedulingGate } from './generated/definitions';
export type { V1PodSecurityContext as PodSecurityContext } from './generated/definitions';
export type { V1PodTemplateSpec as PodTemplateSpec } from './generated/definitions';
export type { V1PolicyRule as PolicyRule } from './generated/definitions';
export type { V1PreferredSchedulingTerm as PreferredSchedulingTerm } from './generated/definitions';
export type { V1Probe as Probe } from './generated/definitions';
export type { V1ReplicaSetCondition as ReplicaSetCondition } from './generated/definitions';
export type { V1ReplicaSetSpec as ReplicaSetSpec } from './generated/definitions';
export type { V1ReplicaSetStatus as ReplicaSetStatus } from './generated/definitions';
export type { V1ReplicationControllerSpec as ReplicationControllerSpec } from './generated/definitions';
export type { V1ReplicationControllerStatus as ReplicationControllerStatus } from './generated/definitions';
export type { V1ResourceQuotaSpec as ResourceQuotaSpec } from './generated/definitions';
export type { V1ResourceQuotaStatus as ResourceQuotaStatus } from './generated/definitions';
export type { V1ResourceRequirements as ResourceRequirements } from './generated/definitions';
export type { V1RoleRef as RoleRef } from './generated/definitions';
export type { V1RollingUpdateDaemonSet as RollingUpdateDaemonSet } from './generated/definitions';
export type { V1RollingUpdateDeployment as RollingUpdateDeployment } from './generated/definitions';
export type { V1RollingUpdateStatefulSetStrategy as RollingUpdateStatefulSetStrategy } from './generated/definitions';
export type { V1SecretKeySelector as SecretKeySelector } from './generated/definitions';
export type { V1ServicePort as ServicePort } from './generated/definitions';
export type { V1ServiceSpec as ServiceSpec } from './generated/definitions';
export type { V1SuccessPolicy as SuccessPolicy } from './generated/definitions';
export type { V1ServiceStatus as ServiceStatus } from './generated/definitions';
export type { V1Endpoint as SliceEndpoint } from './generated/definitions';
export type { DiscoveryV1EndpointPort as SlicePort } from './generated/definitions';
export type { V1StatefulSetCondition as StatefulSetCondition } from './generated/definitions';
export type { V1StatefulSetPersistentVolumeClaimRetentionPolicy as StatefulSetPersistentVolumeClaimRetentionPolicy } from './generated/definitions';
export type { V1StatefulSetSpec as StatefulSetSpec } from './generated/definitions';
export type { V1StatefulSetStatus as StatefulSetStatus } from './generated/definitions';
export type { V1StatefulSetUpdateStrategy as StatefulSetUpdateStrategy } from './generated/definitions';
export type { RbacV1Subject as Subject } from './generated/definitions';
export type { V1Taint as Taint } from './generated/definitions';
export type { V1Toleration as Toleration } from './generated/definitions';
export type { V1TopologySelectorTerm as TopologySelectorTerm } from './generated/definitions';
export type { V1TopologySpreadConstraint as TopologySpreadConstraint } from './generated/definitions';
export type { V1UncountedTerminatedPods as UncountedTerminatedPods } from './generated/definitions';
export type { V1ValidatingAdmissionPolicyBindingSpec as ValidatingAdmissionPolicyBindingSpec } from './generated/definitions';
export type { V1ValidatingAdmissionPolicySpec as ValidatingAdmissionPolicySpec } from './generated/definitions';
export type { V1ValidatingAdmissionPolicyStatus as ValidatingAdmissionPolicyStatus } from './generated/definitions';
export type { V1Volume as Volume } from './generated/definitions';
export type { V1PersistentVolumeClaim as VolumeClaimTemplate } from './generated/definitions';
export type { V1VolumeMount as VolumeMount } from './generated/definitions';
export type { V1WeightedPodAffinityTerm as WeightedPodAffinityTerm } from './generated/definitions';
export type {
  AdmissionregistrationV1ServiceReference as WebhookServiceReference,
  V1MutatingWebhook as MutatingWebhook,
  V1RuleWithOperations as RuleWithOperations,
  V1ValidatingWebhook as ValidatingWebhook,
} from './generated/definitions';
export type {
  V1APIServiceSpec as APIServiceSpec,
  V1APIServiceStatus as APIServiceStatus,
  V1NetworkPolicyEgressRule as NetworkPolicyEgressRule,
  V1NetworkPolicyIngressRule as NetworkPolicyIngressRule,
  V1NetworkPolicyPeer as NetworkPolicyPeer,
  V1NetworkPolicyPort as NetworkPolicyPort,
} from './generated/definitions';

// the kinds' own parts (src/api/kinds): CRDs, flow control, webhooks, storage
export type {
  ApiextensionsV1ServiceReference as ConversionServiceReference,
  V1CustomResourceColumnDefinition as CustomResourceColumnDefinition,
  V1CustomResourceDefinitionNames as CustomResourceDefinitionNames,
  V1CustomResourceDefinitionSpec as CustomResourceDefinitionSpec,
  V1CustomResourceDefinitionVersion as CustomResourceDefinitionVersion,
  V1CustomResourceSubresources as CustomResourceSubresources,
  AdmissionregistrationV1WebhookClientConfig as WebhookClientConfig,
  V1CertificateSigningRequestCondition as CertificateSigningRequestCondition,
  V1CertificateSigningRequestStatus as CertificateSigningRequestStatus,
  V1PolicyRulesWithSubjects as PolicyRulesWithSubjects,
  V1PriorityLevelConfigurationSpec as PriorityLevelConfigurationSpec,
  V1ResourcePolicyRule as ResourcePolicyRule,
} from './generated/definitions';

/** metav1.Time's zero value serializes as null: the API server writes `lastProbeTime: null` (apimachinery meta/v1/time.go MarshalJSON). */
export interface PodCondition extends Omit<V1PodCondition, 'lastProbeTime' | 'lastTransitionTime'> {
  lastProbeTime?: Time | null;
  /** null on a condition the strategy sets at create (the scheduling-gated PodScheduled) */
  lastTransitionTime?: Time | null;
}
export type PodSpec = V1PodSpec;
export interface PodStatus extends Omit<V1PodStatus, 'conditions'> {
  conditions?: PodCondition[];
}
