/**
 * The status/spec split of the API server's registry strategies (pkg/registry/<group>/<kind>/
 * strategy.go): for a kind served with a status subresource, a write of the object itself
 * (create, update, patch) does not set status: PrepareForCreate resets it (Deployment
 * `Status = DeploymentStatus{}`; Pod `PodStatus{Phase: Pending, QOSClass}`, Namespace phase
 * Active and PersistentVolume phase Pending, which kubesim's defaulting fills back in), and
 * PrepareForUpdate copies the stored status over the new one. Only the status subresource
 * writes status. Custom resources follow their CRD's `subresources.status`.
 */
import type { KindInfo } from './registry';
import { hasStatusSubresource } from './crd/custom-kinds';

/** Built-in kinds (group/kind) served with a status subresource in v1.32. */
const BUILT_IN_STATUS = new Set([
  '/Pod',
  '/Node',
  '/Namespace',
  '/Service',
  '/ReplicationController',
  '/PersistentVolume',
  '/PersistentVolumeClaim',
  '/ResourceQuota',
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  'autoscaling/HorizontalPodAutoscaler',
  'policy/PodDisruptionBudget',
  'networking.k8s.io/Ingress',
  'certificates.k8s.io/CertificateSigningRequest',
  'storage.k8s.io/VolumeAttachment',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
]);

/** nodeStrategy.PrepareForCreate: "Nodes allow *all* fields, including status, to be set on create." */
const STATUS_SET_ON_CREATE = new Set(['/Node']);

/** Whether the kind's status is written only through its status subresource. */
export function statusOwnedBySubresource(info: KindInfo): boolean {
  if (info.crd) return hasStatusSubresource(info);
  return BUILT_IN_STATUS.has(`${info.group}/${info.kind}`);
}

/** Whether a user's create drops the status it sends (PrepareForCreate resets it). */
export function createResetsStatus(info: KindInfo): boolean {
  return statusOwnedBySubresource(info) && !STATUS_SET_ON_CREATE.has(`${info.group}/${info.kind}`);
}
