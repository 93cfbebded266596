// The built-in admission plugins, registered in the API server's order
// (kube-apiserver's AllOrderedPlugins): mutating LimitRanger and Priority, then the
// validating PodSecurity, ValidatingAdmissionPolicy and, last, ResourceQuota.
import './limit-ranger';
import './priority';
import './pod-security';
import './validating-admission-policy';
import './resource-quota';
