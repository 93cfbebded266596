/**
 * Kubernetes API field types, from the v1.30 types of the kubernetes-types package (type-only:
 * nothing of it exists at run time), with the v1.31/v1.32 fields kubesim uses that v1.30 lacks.
 * Each addition names the v1.32 source it is checked against (staging/src/k8s.io/api/…/types.go).
 * Outside src/model, import Kubernetes types from here, not from kubernetes-types directly.
 */
export type { Quantity } from 'kubernetes-types/api/resource';
export type { Condition, LabelSelector, LabelSelectorRequirement, Time } from 'kubernetes-types/meta/v1';
export type {
  Affinity,
  Capabilities,
  ConfigMapKeySelector,
  Container,
  ContainerPort,
  ContainerState,
  ContainerStatus,
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  EnvFromSource,
  EnvVar,
  EphemeralContainer,
  HostPathVolumeSource,
  LimitRangeItem,
  LimitRangeSpec,
  LoadBalancerIngress,
  LoadBalancerStatus,
  LocalObjectReference,
  NamespaceSpec,
  NamespaceStatus,
  NodeAddress,
  NodeAffinity,
  NodeCondition,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  NodeSpec,
  NodeStatus,
  NodeSystemInfo,
  ObjectReference,
  PersistentVolumeClaimCondition,
  PersistentVolumeClaimSpec,
  PersistentVolumeClaimStatus,
  PersistentVolumeClaimTemplate,
  PersistentVolumeSpec,
  PersistentVolumeStatus,
  PodAffinity,
  PodAffinityTerm,
  PodAntiAffinity,
  PodIP,
  PodReadinessGate,
  PodSchedulingGate,
  PodSecurityContext,
  PodTemplateSpec,
  PreferredSchedulingTerm,
  ReplicationControllerSpec,
  ReplicationControllerStatus,
  Probe,
  ResourceQuotaSpec,
  ResourceQuotaStatus,
  ResourceRequirements,
  SecretKeySelector,
  ServicePort,
  ServiceSpec,
  ServiceStatus,
  Taint,
  Toleration,
  TopologySpreadConstraint,
  Volume,
  VolumeMount,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1';
export type {
  DaemonSetCondition,
  DaemonSetSpec,
  DaemonSetStatus,
  DaemonSetUpdateStrategy,
  DeploymentCondition,
  DeploymentSpec,
  DeploymentStatus,
  DeploymentStrategy,
  ReplicaSetCondition,
  ReplicaSetSpec,
  ReplicaSetStatus,
  RollingUpdateDaemonSet,
  RollingUpdateDeployment,
  RollingUpdateStatefulSetStrategy,
  StatefulSetCondition,
  StatefulSetPersistentVolumeClaimRetentionPolicy,
  StatefulSetSpec,
  StatefulSetStatus,
  StatefulSetUpdateStrategy,
} from 'kubernetes-types/apps/v1';
export type {
  CronJobSpec,
  CronJobStatus,
  JobCondition,
  JobSpec,
  JobStatus,
  JobTemplateSpec,
  PodFailurePolicy,
  PodFailurePolicyRule,
  UncountedTerminatedPods,
} from 'kubernetes-types/batch/v1';
export type {
  CrossVersionObjectReference,
  HorizontalPodAutoscalerBehavior,
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  HPAScalingPolicy,
  HPAScalingRules,
  MetricSpec,
  MetricStatus,
  MetricTarget,
  MetricValueStatus,
} from 'kubernetes-types/autoscaling/v2';
export type { PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
export type {
  IngressClassSpec,
  IngressSpec,
  IngressStatus,
  IngressRule,
  IngressBackend,
  HTTPIngressPath,
} from 'kubernetes-types/networking/v1';
export type {
  Endpoint as SliceEndpoint,
  EndpointConditions,
  EndpointPort as SlicePort,
  EndpointHints,
} from 'kubernetes-types/discovery/v1';
export type { TopologySelectorTerm } from 'kubernetes-types/core/v1';
export type { AggregationRule, PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
export type {
  ValidatingAdmissionPolicyBindingSpec,
  ValidatingAdmissionPolicySpec,
  ValidatingAdmissionPolicyStatus,
} from 'kubernetes-types/admissionregistration/v1';

import type {
  PodCondition as PodConditionV130,
  PodSpec as PodSpecV130,
  PodStatus as PodStatusV130,
  ResourceRequirements,
} from 'kubernetes-types/core/v1';
import type { Time } from 'kubernetes-types/meta/v1';

/** metav1.Time's zero value serializes as null: the API server writes `lastProbeTime: null` (apimachinery meta/v1/time.go MarshalJSON). */
export interface PodCondition extends Omit<PodConditionV130, 'lastProbeTime'> {
  lastProbeTime?: Time | null;
}
/** v1.32 adds the pod-level `resources` (alpha, PodLevelResources; core/v1/types.go PodSpec.Resources *ResourceRequirements). */
export interface PodSpec extends PodSpecV130 {
  resources?: ResourceRequirements;
}
export interface PodStatus extends Omit<PodStatusV130, 'conditions'> {
  conditions?: PodCondition[];
}

/** A StatefulSet's volumeClaimTemplates entry: a whole claim (metadata optional), as the API declares it. */
export type { PersistentVolumeClaim as VolumeClaimTemplate } from 'kubernetes-types/core/v1';
