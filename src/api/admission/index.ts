// The built-in admission plugins, registered in the API server's order
// (kube-apiserver's AllOrderedPlugins): the mutating LimitRanger, ServiceAccount, Priority and
// DefaultStorageClass, StorageObjectInUseProtection, RuntimeClass and MutatingAdmissionWebhook (with the VPA's
// admission controller, a webhook upstream), then the validating
// PodSecurity, ValidatingAdmissionPolicy, ValidatingAdmissionWebhook and, last, ResourceQuota. DefaultTolerationSeconds
// lives in ../admission.ts.
import './limit-ranger';
import './service-account';
import './priority';
import './default-storage-class';
import './storage-object-in-use-protection';
import './runtime-class';
import './mutating-webhook';
import './vpa';
import './pod-security';
import './validating-admission-policy';
import './validating-webhook';
import './resource-quota';
