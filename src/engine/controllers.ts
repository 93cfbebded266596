import type { Controller } from '../reconcile/controller';
import { namespaceController } from '../controllers/namespace';
import { serviceAccountController } from '../controllers/serviceaccount';
import { rootCACertPublisher } from '../controllers/root-ca-publisher';
import { garbageCollector } from '../controllers/garbage-collector';
import { schedulerController } from '../scheduler/controller';
import { replicaSetController, replicationManager } from '../controllers/replicaset';
import { deploymentController } from '../controllers/deployment';
import { kubelet } from '../sim/kubelet';
import { nodeLeaseController } from '../sim/node-lease';
import { resourceQuotaController } from '../controllers/resource-quota';
import { disruptionController } from '../controllers/disruption';
import { daemonSetController } from '../controllers/daemonset';
import { statefulSetController } from '../controllers/statefulset';
import { nodeLifecycleController } from '../controllers/node-lifecycle';
import { nodePressureEviction } from '../sim/eviction-manager';
import { jobController } from '../controllers/job';
import { cronJobController } from '../controllers/cronjob';
import { persistentVolumeClaimBinder, persistentVolumeReclaimer } from '../controllers/pv-binder';
import { endpointSliceController, endpointsCleanup } from '../controllers/endpointslice';
import { loadBalancerController, ingressStatusController } from '../controllers/service-lb';
import { gatewayClassController, gatewayController, httpRouteController } from '../controllers/gateway';
import { hpaController } from '../controllers/hpa';
import { vpaRecommender } from '../controllers/vpa-recommender';
import { vpaUpdater } from '../controllers/vpa-updater';
import { clusterAutoscaler } from '../controllers/cluster-autoscaler';
import { apiServiceAvailabilityController } from '../controllers/apiservice-availability';
import { apfConfigurationController } from '../controllers/apf-configuration';
import { apfBootstrapEnsurer } from '../controllers/apf-bootstrap';
import { clusterRoleAggregationController } from '../controllers/clusterrole-aggregation';
import { csrSigningController } from '../controllers/csr-signing';

/**
 * The controllers, in the order each pass runs them. Order only affects how many
 * passes quiescence takes, never the result (controllers are level-based).
 */
export function allControllers(): Controller[] {
  return [
    namespaceController,
    serviceAccountController,
    rootCACertPublisher,
    garbageCollector,
    schedulerController,
    deploymentController,
    replicaSetController,
    replicationManager,
    daemonSetController,
    statefulSetController,
    cronJobController,
    jobController,
    persistentVolumeClaimBinder,
    persistentVolumeReclaimer,
    loadBalancerController,
    ingressStatusController,
    gatewayClassController,
    gatewayController,
    httpRouteController,
    nodeLifecycleController,
    kubelet,
    nodeLeaseController,
    endpointSliceController,
    endpointsCleanup,
    apiServiceAvailabilityController,
    apfBootstrapEnsurer,
    apfConfigurationController,
    clusterRoleAggregationController,
    nodePressureEviction,
    disruptionController,
    resourceQuotaController,
    hpaController,
    vpaRecommender,
    vpaUpdater,
    clusterAutoscaler,
    csrSigningController,
  ];
}
