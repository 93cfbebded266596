// The built-in admission plugins, registered in the API server's order
// (kube-apiserver's AllOrderedPlugins): mutating LimitRanger, Priority and
// DefaultStorageClass, then the
// validating PodSecurity, ValidatingAdmissionPolicy and, last, ResourceQuota.
import './limit-ranger';
import './priority';
import './default-storage-class';
import './pod-security';
import './validating-admission-policy';
import './resource-quota';
