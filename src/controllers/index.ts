import type { Controller } from '../reconcile/controller';
import { namespaceController } from './namespace';
import { serviceAccountController } from './serviceaccount';
import { garbageCollector } from './garbage-collector';
import { schedulerController } from '../scheduler/controller';
import { replicaSetController } from './replicaset';
import { deploymentController } from './deployment';
import { kubelet } from '../sim/kubelet';
import { resourceQuotaController } from './resource-quota';
import { disruptionController } from './disruption';
import { daemonSetController } from './daemonset';
import { statefulSetController } from './statefulset';
import { nodeLifecycleController } from './node-lifecycle';
import { nodePressureEviction } from '../sim/eviction-manager';
import { jobController } from './job';
import { cronJobController } from './cronjob';
import { persistentVolumeClaimBinder, persistentVolumeReclaimer } from './pv-binder';
import { endpointSliceController, endpointsCleanup } from './endpointslice';
import { loadBalancerController, ingressStatusController } from './service-lb';
import { hpaController } from './hpa';
import { clusterAutoscaler } from './cluster-autoscaler';

/**
 * The controllers, in the order each pass runs them. Order only affects how many
 * passes quiescence takes, never the result (controllers are level-based).
 */
export function allControllers(): Controller[] {
  return [
    namespaceController,
    serviceAccountController,
    garbageCollector,
    schedulerController,
    deploymentController,
    replicaSetController,
    daemonSetController,
    statefulSetController,
    cronJobController,
    jobController,
    persistentVolumeClaimBinder,
    persistentVolumeReclaimer,
    loadBalancerController,
    ingressStatusController,
    nodeLifecycleController,
    kubelet,
    endpointSliceController,
    endpointsCleanup,
    nodePressureEviction,
    disruptionController,
    resourceQuotaController,
    hpaController,
    clusterAutoscaler,
  ];
}
