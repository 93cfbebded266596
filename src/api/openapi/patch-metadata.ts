/**
 * The strategic-merge and structured-merge metadata of the built-in types: the `patchStrategy` and
 * `patchMergeKey` struct tags and the `+listType`, `+listMapKey`, `+mapType` and `+structType` markers
 * of the Go types in k8s.io/api v0.32 (`<group>/<version>/types.go`) and k8s.io/apimachinery v0.32
 * (`pkg/apis/meta/v1/types.go`), which openapi-gen publishes as `x-kubernetes-patch-strategy`,
 * `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`, `x-kubernetes-list-map-keys` and
 * `x-kubernetes-map-type`. third_party/kubernetes-openapi lacks them (its models come through
 * openapi-generator, which drops vendor extensions). Keyed by served definition name, then JSON field
 * name; only fields with metadata are listed. Custom resources have none of these (their schemas carry
 * their own list types).
 */

export interface FieldPatchMetadata {
  /** `merge`, `replace`, `retainKeys` or `merge,retainKeys` */
  patchStrategy?: string;
  patchMergeKey?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: readonly string[];
  mapType?: 'atomic' | 'granular';
}

export interface TypePatchMetadata {
  /** `+structType=atomic` / `+mapType=atomic` on the type itself */
  mapType?: 'atomic' | 'granular';
  fields?: Readonly<Record<string, FieldPatchMetadata>>;
}

export const PATCH_METADATA: Readonly<Record<string, TypePatchMetadata>> = {
  'io.k8s.api.admissionregistration.v1.MatchResources': {
    mapType: 'atomic',
    fields: {
      resourceRules: { listType: 'atomic' },
      excludeResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': {
    fields: {
      rules: { listType: 'atomic' },
      admissionReviewVersions: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration': {
    fields: {
      webhooks: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.NamedRuleWithOperations': {
    mapType: 'atomic',
    fields: {
      resourceNames: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1.ParamKind': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1.ParamRef': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1.RuleWithOperations': {
    fields: {
      operations: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1.TypeChecking': {
    fields: {
      expressionWarnings: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyBindingSpec': {
    fields: {
      validationActions: { listType: 'set' },
    },
  },
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicySpec': {
    fields: {
      validations: { listType: 'atomic' },
      auditAnnotations: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      variables: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.ValidatingAdmissionPolicyStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': {
    fields: {
      rules: { listType: 'atomic' },
      admissionReviewVersions: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration': {
    fields: {
      webhooks: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1.Variable': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1alpha1.MatchResources': {
    mapType: 'atomic',
    fields: {
      resourceRules: { listType: 'atomic' },
      excludeResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec': {
    fields: {
      variables: { listType: 'atomic' },
      mutations: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.NamedRuleWithOperations': {
    mapType: 'atomic',
    fields: {
      resourceNames: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.ParamKind': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1alpha1.ParamRef': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1alpha1.TypeChecking': {
    fields: {
      expressionWarnings: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.ValidatingAdmissionPolicyBindingSpec': {
    fields: {
      validationActions: { listType: 'set' },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.ValidatingAdmissionPolicySpec': {
    fields: {
      validations: { listType: 'atomic' },
      auditAnnotations: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      variables: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1alpha1.ValidatingAdmissionPolicyStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.MatchResources': {
    mapType: 'atomic',
    fields: {
      resourceRules: { listType: 'atomic' },
      excludeResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.NamedRuleWithOperations': {
    mapType: 'atomic',
    fields: {
      resourceNames: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.ParamKind': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1beta1.ParamRef': {
    mapType: 'atomic',
  },
  'io.k8s.api.admissionregistration.v1beta1.TypeChecking': {
    fields: {
      expressionWarnings: { listType: 'atomic' },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicyBindingSpec': {
    fields: {
      validationActions: { listType: 'set' },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicySpec': {
    fields: {
      validations: { listType: 'atomic' },
      auditAnnotations: { listType: 'atomic' },
      matchConditions: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      variables: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.ValidatingAdmissionPolicyStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.admissionregistration.v1beta1.Variable': {
    mapType: 'atomic',
  },
  'io.k8s.api.apiserverinternal.v1alpha1.ServerStorageVersion': {
    fields: {
      decodableVersions: { listType: 'set' },
      servedVersions: { listType: 'set' },
    },
  },
  'io.k8s.api.apiserverinternal.v1alpha1.StorageVersionStatus': {
    fields: {
      storageVersions: { listType: 'map', listMapKeys: ['apiServerID'] },
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.apps.v1.DaemonSetStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    fields: {
      strategy: { patchStrategy: 'retainKeys' },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.apps.v1.ReplicaSetStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    fields: {
      volumeClaimTemplates: { listType: 'atomic' },
    },
  },
  'io.k8s.api.apps.v1.StatefulSetStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.authentication.v1.TokenRequestSpec': {
    fields: {
      audiences: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authentication.v1.TokenReviewSpec': {
    fields: {
      audiences: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authentication.v1.TokenReviewStatus': {
    fields: {
      audiences: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authentication.v1.UserInfo': {
    fields: {
      groups: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.FieldSelectorAttributes': {
    fields: {
      requirements: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.LabelSelectorAttributes': {
    fields: {
      requirements: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.NonResourceRule': {
    fields: {
      verbs: { listType: 'atomic' },
      nonResourceURLs: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.ResourceRule': {
    fields: {
      verbs: { listType: 'atomic' },
      apiGroups: { listType: 'atomic' },
      resources: { listType: 'atomic' },
      resourceNames: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.SubjectAccessReviewSpec': {
    fields: {
      groups: { listType: 'atomic' },
    },
  },
  'io.k8s.api.authorization.v1.SubjectRulesReviewStatus': {
    fields: {
      resourceRules: { listType: 'atomic' },
      nonResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.autoscaling.v1.CrossVersionObjectReference': {
    mapType: 'atomic',
  },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': {
    fields: {
      policies: { listType: 'atomic' },
    },
  },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': {
    fields: {
      metrics: { listType: 'atomic' },
    },
  },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': {
    fields: {
      currentMetrics: { listType: 'atomic' },
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.batch.v1.CronJobStatus': {
    fields: {
      active: { listType: 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.JobStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.PodFailurePolicy': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': {
    fields: {
      values: { listType: 'set' },
    },
  },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': {
    fields: {
      onPodConditions: { listType: 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.SuccessPolicy': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': {
    fields: {
      succeeded: { listType: 'set' },
      failed: { listType: 'set' },
    },
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec': {
    fields: {
      request: { listType: 'atomic' },
      usages: { listType: 'atomic' },
      groups: { listType: 'atomic' },
    },
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
      certificate: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.Capabilities': {
    fields: {
      add: { listType: 'atomic' },
      drop: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.CephFSPersistentVolumeSource': {
    fields: {
      monitors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.CephFSVolumeSource': {
    fields: {
      monitors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ComponentStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.core.v1.ConfigMapKeySelector': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.ConfigMapProjection': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ConfigMapVolumeSource': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.Container': {
    fields: {
      command: { listType: 'atomic' },
      args: { listType: 'atomic' },
      ports: { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
      envFrom: { listType: 'atomic' },
      env: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      resizePolicy: { listType: 'atomic' },
      volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
      volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
    },
  },
  'io.k8s.api.core.v1.ContainerImage': {
    fields: {
      names: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    fields: {
      volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
      allocatedResourcesStatus: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.core.v1.DownwardAPIProjection': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.DownwardAPIVolumeSource': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.EndpointAddress': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.EndpointPort': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.EndpointSubset': {
    fields: {
      addresses: { listType: 'atomic' },
      notReadyAddresses: { listType: 'atomic' },
      ports: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.Endpoints': {
    fields: {
      subsets: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ExecAction': {
    fields: {
      command: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.FCVolumeSource': {
    fields: {
      targetWWNs: { listType: 'atomic' },
      wwids: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    fields: {
      httpHeaders: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.HostAlias': {
    fields: {
      hostnames: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ISCSIPersistentVolumeSource': {
    fields: {
      portals: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ISCSIVolumeSource': {
    fields: {
      portals: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.LimitRangeSpec': {
    fields: {
      limits: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.LinuxContainerUser': {
    fields: {
      supplementalGroups: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.LoadBalancerIngress': {
    fields: {
      ports: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.LoadBalancerStatus': {
    fields: {
      ingress: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.LocalObjectReference': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.NamespaceSpec': {
    fields: {
      finalizers: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NamespaceStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.core.v1.NodeAffinity': {
    fields: {
      preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NodeSelector': {
    mapType: 'atomic',
    fields: {
      nodeSelectorTerms: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    fields: {
      values: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NodeSelectorTerm': {
    mapType: 'atomic',
    fields: {
      matchExpressions: { listType: 'atomic' },
      matchFields: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NodeSpec': {
    fields: {
      podCIDRs: { patchStrategy: 'merge', listType: 'set' },
      taints: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.NodeStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      addresses: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      images: { listType: 'atomic' },
      volumesInUse: { listType: 'atomic' },
      volumesAttached: { listType: 'atomic' },
      runtimeHandlers: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ObjectFieldSelector': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.ObjectReference': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    fields: {
      accessModes: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    fields: {
      accessModes: { listType: 'atomic' },
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      allocatedResourceStatuses: { mapType: 'granular' },
    },
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    fields: {
      accessModes: { listType: 'atomic' },
      claimRef: { mapType: 'granular' },
      mountOptions: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodAffinity': {
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
      preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodAffinityTerm': {
    fields: {
      namespaces: { listType: 'atomic' },
      matchLabelKeys: { listType: 'atomic' },
      mismatchLabelKeys: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodAntiAffinity': {
    fields: {
      requiredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
      preferredDuringSchedulingIgnoredDuringExecution: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodDNSConfig': {
    fields: {
      nameservers: { listType: 'atomic' },
      searches: { listType: 'atomic' },
      options: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    fields: {
      supplementalGroups: { listType: 'atomic' },
      sysctls: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.PodSpec': {
    fields: {
      volumes: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      initContainers: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      containers: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      ephemeralContainers: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      nodeSelector: { mapType: 'atomic' },
      imagePullSecrets: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      tolerations: { listType: 'atomic' },
      hostAliases: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
      readinessGates: { listType: 'atomic' },
      topologySpreadConstraints: {
        patchStrategy: 'merge',
        patchMergeKey: 'topologyKey',
        listType: 'map',
        listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
      },
      schedulingGates: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.core.v1.PodStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
      hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
      podIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
      initContainerStatuses: { listType: 'atomic' },
      containerStatuses: { listType: 'atomic' },
      ephemeralContainerStatuses: { listType: 'atomic' },
      resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.core.v1.ProjectedVolumeSource': {
    fields: {
      sources: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.RBDPersistentVolumeSource': {
    fields: {
      monitors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.RBDVolumeSource': {
    fields: {
      monitors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ReplicationControllerSpec': {
    fields: {
      selector: { mapType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ReplicationControllerStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.core.v1.ResourceFieldSelector': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    fields: {
      scopes: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ResourceRequirements': {
    fields: {
      claims: { listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.core.v1.ResourceStatus': {
    fields: {
      resources: { listType: 'map', listMapKeys: ['resourceID'] },
    },
  },
  'io.k8s.api.core.v1.ScopeSelector': {
    mapType: 'atomic',
    fields: {
      matchExpressions: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    fields: {
      values: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.SecretKeySelector': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.SecretProjection': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.SecretReference': {
    mapType: 'atomic',
  },
  'io.k8s.api.core.v1.SecretVolumeSource': {
    fields: {
      items: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ServiceAccount': {
    fields: {
      secrets: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
      imagePullSecrets: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    fields: {
      ports: { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
      selector: { mapType: 'atomic' },
      clusterIPs: { listType: 'atomic' },
      externalIPs: { listType: 'atomic' },
      loadBalancerSourceRanges: { listType: 'atomic' },
      ipFamilies: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.ServiceStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.core.v1.TopologySelectorLabelRequirement': {
    fields: {
      values: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.TopologySelectorTerm': {
    mapType: 'atomic',
    fields: {
      matchLabelExpressions: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    fields: {
      matchLabelKeys: { listType: 'atomic' },
    },
  },
  'io.k8s.api.core.v1.TypedLocalObjectReference': {
    mapType: 'atomic',
  },
  'io.k8s.api.discovery.v1.Endpoint': {
    fields: {
      addresses: { listType: 'set' },
    },
  },
  'io.k8s.api.discovery.v1.EndpointHints': {
    fields: {
      forZones: { listType: 'atomic' },
    },
  },
  'io.k8s.api.discovery.v1.EndpointPort': {
    mapType: 'atomic',
  },
  'io.k8s.api.discovery.v1.EndpointSlice': {
    fields: {
      endpoints: { listType: 'atomic' },
      ports: { listType: 'atomic' },
    },
  },
  'io.k8s.api.flowcontrol.v1.FlowSchemaSpec': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.flowcontrol.v1.FlowSchemaStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.flowcontrol.v1.NonResourcePolicyRule': {
    fields: {
      verbs: { listType: 'set' },
      nonResourceURLs: { listType: 'set' },
    },
  },
  'io.k8s.api.flowcontrol.v1.PolicyRulesWithSubjects': {
    fields: {
      subjects: { listType: 'atomic' },
      resourceRules: { listType: 'atomic' },
      nonResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.flowcontrol.v1.ResourcePolicyRule': {
    fields: {
      verbs: { listType: 'set' },
      apiGroups: { listType: 'set' },
      resources: { listType: 'set' },
      namespaces: { listType: 'set' },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.FlowSchemaSpec': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.FlowSchemaStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.NonResourcePolicyRule': {
    fields: {
      verbs: { listType: 'set' },
      nonResourceURLs: { listType: 'set' },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.PolicyRulesWithSubjects': {
    fields: {
      subjects: { listType: 'atomic' },
      resourceRules: { listType: 'atomic' },
      nonResourceRules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.PriorityLevelConfigurationStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.flowcontrol.v1beta3.ResourcePolicyRule': {
    fields: {
      verbs: { listType: 'set' },
      apiGroups: { listType: 'set' },
      resources: { listType: 'set' },
      namespaces: { listType: 'set' },
    },
  },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': {
    fields: {
      paths: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.IPBlock': {
    fields: {
      except: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': {
    fields: {
      ports: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.IngressLoadBalancerStatus': {
    fields: {
      ingress: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.IngressSpec': {
    fields: {
      tls: { listType: 'atomic' },
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.IngressTLS': {
    fields: {
      hosts: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyEgressRule': {
    fields: {
      ports: { listType: 'atomic' },
      to: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicyIngressRule': {
    fields: {
      ports: { listType: 'atomic' },
      from: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.NetworkPolicySpec': {
    fields: {
      ingress: { listType: 'atomic' },
      egress: { listType: 'atomic' },
      policyTypes: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1.ServiceBackendPort': {
    mapType: 'atomic',
  },
  'io.k8s.api.networking.v1alpha1.ServiceCIDRSpec': {
    fields: {
      cidrs: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1alpha1.ServiceCIDRStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.networking.v1beta1.ServiceCIDRSpec': {
    fields: {
      cidrs: { listType: 'atomic' },
    },
  },
  'io.k8s.api.networking.v1beta1.ServiceCIDRStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.node.v1.Scheduling': {
    fields: {
      nodeSelector: { mapType: 'atomic' },
      tolerations: { listType: 'atomic' },
    },
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': {
    fields: {
      selector: { patchStrategy: 'replace' },
    },
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.rbac.v1.AggregationRule': {
    fields: {
      clusterRoleSelectors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.ClusterRole': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': {
    fields: {
      subjects: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.PolicyRule': {
    fields: {
      verbs: { listType: 'atomic' },
      apiGroups: { listType: 'atomic' },
      resources: { listType: 'atomic' },
      resourceNames: { listType: 'atomic' },
      nonResourceURLs: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.Role': {
    fields: {
      rules: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.RoleBinding': {
    fields: {
      subjects: { listType: 'atomic' },
    },
  },
  'io.k8s.api.rbac.v1.RoleRef': {
    mapType: 'atomic',
  },
  'io.k8s.api.rbac.v1.Subject': {
    mapType: 'atomic',
  },
  'io.k8s.api.resource.v1alpha3.AllocatedDeviceStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceAllocationConfiguration': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceAllocationResult': {
    fields: {
      results: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceClaim': {
    fields: {
      requests: { listType: 'atomic' },
      constraints: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceClaimConfiguration': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceClassSpec': {
    fields: {
      selectors: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceConstraint': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.DeviceRequest': {
    fields: {
      selectors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.NetworkDeviceData': {
    fields: {
      ips: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1alpha3.ResourceClaimStatus': {
    fields: {
      reservedFor: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
      devices: { listType: 'map', listMapKeys: ['driver', 'device', 'pool'] },
    },
  },
  'io.k8s.api.resource.v1alpha3.ResourceSliceSpec': {
    fields: {
      devices: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.AllocatedDeviceStatus': {
    fields: {
      conditions: { listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceAllocationConfiguration': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceAllocationResult': {
    fields: {
      results: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceClaim': {
    fields: {
      requests: { listType: 'atomic' },
      constraints: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceClaimConfiguration': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceClassSpec': {
    fields: {
      selectors: { listType: 'atomic' },
      config: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceConstraint': {
    fields: {
      requests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.DeviceRequest': {
    fields: {
      selectors: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.NetworkDeviceData': {
    fields: {
      ips: { listType: 'atomic' },
    },
  },
  'io.k8s.api.resource.v1beta1.ResourceClaimStatus': {
    fields: {
      reservedFor: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
      devices: { listType: 'map', listMapKeys: ['driver', 'device', 'pool'] },
    },
  },
  'io.k8s.api.resource.v1beta1.ResourceSliceSpec': {
    fields: {
      devices: { listType: 'atomic' },
    },
  },
  'io.k8s.api.storage.v1.CSIDriverSpec': {
    fields: {
      volumeLifecycleModes: { listType: 'set' },
      tokenRequests: { listType: 'atomic' },
    },
  },
  'io.k8s.api.storage.v1.CSINodeDriver': {
    fields: {
      topologyKeys: { listType: 'atomic' },
    },
  },
  'io.k8s.api.storage.v1.CSINodeSpec': {
    fields: {
      drivers: { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    },
  },
  'io.k8s.api.storage.v1.StorageClass': {
    fields: {
      mountOptions: { listType: 'atomic' },
      allowedTopologies: { listType: 'atomic' },
    },
  },
  'io.k8s.api.storagemigration.v1alpha1.StorageVersionMigrationList': {
    fields: {
      items: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.api.storagemigration.v1alpha1.StorageVersionMigrationStatus': {
    fields: {
      conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroup': {
    fields: {
      versions: { listType: 'atomic' },
      serverAddressByClientCIDRs: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIGroupList': {
    fields: {
      groups: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResource': {
    fields: {
      shortNames: { listType: 'atomic' },
      categories: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList': {
    fields: {
      resources: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.APIVersions': {
    fields: {
      versions: { listType: 'atomic' },
      serverAddressByClientCIDRs: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions': {
    fields: {
      dryRun: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldSelectorRequirement': {
    fields: {
      values: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    mapType: 'atomic',
    fields: {
      matchExpressions: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': {
    fields: {
      values: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    fields: {
      ownerReferences: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
      finalizers: { patchStrategy: 'merge', listType: 'set' },
      managedFields: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
    mapType: 'atomic',
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Status': {
    fields: {
      details: { listType: 'atomic' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.StatusDetails': {
    fields: {
      causes: { listType: 'atomic' },
    },
  },
};
