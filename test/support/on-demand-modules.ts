// The in-process test runner cannot require() a TypeScript module: the modules src/ loads on
// demand (util/on-demand) are imported here and handed over before any test runs.
import { provideModule } from '../../src/util/on-demand';
import '../../src/api/kinds/index'; // first: the kinds' declarations, then their modules fill them in
import * as kindNamespace from '../../src/api/kinds/namespace';
import * as kindNode from '../../src/api/kinds/node';
import * as kindPod from '../../src/api/kinds/pod';
import * as kindConfigmap from '../../src/api/kinds/configmap';
import * as kindSecret from '../../src/api/kinds/secret';
import * as kindServiceaccount from '../../src/api/kinds/serviceaccount';
import * as kindService from '../../src/api/kinds/service';
import * as kindEndpoints from '../../src/api/kinds/endpoints';
import * as kindEndpointslice from '../../src/api/kinds/endpointslice';
import * as kindIngress from '../../src/api/kinds/ingress';
import * as kindNetworkpolicy from '../../src/api/kinds/networkpolicy';
import * as kindEvent from '../../src/api/kinds/event';
import * as kindComponentStatus from '../../src/api/kinds/componentstatus';
import * as kindEventsEvent from '../../src/api/kinds/events-event';
import * as kindPriorityclass from '../../src/api/kinds/priorityclass';
import * as kindDeployment from '../../src/api/kinds/deployment';
import * as kindReplicaset from '../../src/api/kinds/replicaset';
import * as kindReplicationcontroller from '../../src/api/kinds/replicationcontroller';
import * as kindPodtemplate from '../../src/api/kinds/podtemplate';
import * as kindPoddisruptionbudget from '../../src/api/kinds/poddisruptionbudget';
import * as kindDaemonset from '../../src/api/kinds/daemonset';
import * as kindPersistentvolume from '../../src/api/kinds/persistentvolume';
import * as kindPersistentvolumeclaim from '../../src/api/kinds/persistentvolumeclaim';
import * as kindStatefulset from '../../src/api/kinds/statefulset';
import * as kindControllerrevision from '../../src/api/kinds/controllerrevision';
import * as kindLimitrange from '../../src/api/kinds/limitrange';
import * as kindResourcequota from '../../src/api/kinds/resourcequota';
import * as kindValidatingadmissionpolicy from '../../src/api/kinds/validatingadmissionpolicy';
import * as kindWebhookconfiguration from '../../src/api/kinds/webhookconfiguration';
import * as kindApiservice from '../../src/api/kinds/apiservice';
import * as cliSubresource from '../../src/cli/subresource';
import * as simContainerRuntime from '../../src/sim/container-runtime';
import * as simPodLogs from '../../src/sim/pod-logs';
import * as serveRouter from '../../src/serve/router';
import * as kindFlowcontrol from '../../src/api/kinds/flowcontrol';
import * as flowControlBootstrap from '../../src/api/kinds/flowcontrol-bootstrap';
import * as kindHorizontalpodautoscaler from '../../src/api/kinds/horizontalpodautoscaler';
import * as kindNodegroup from '../../src/api/kinds/nodegroup';
import * as kindSimulationprofile from '../../src/api/kinds/simulationprofile';
import * as kindStorageclass from '../../src/api/kinds/storageclass';
import * as kindCsidriver from '../../src/api/kinds/csidriver';
import * as kindCsinode from '../../src/api/kinds/csinode';
import * as kindCsistoragecapacity from '../../src/api/kinds/csistoragecapacity';
import * as kindVolumeattachment from '../../src/api/kinds/volumeattachment';
import * as kindLease from '../../src/api/kinds/lease';
import * as kindRuntimeclass from '../../src/api/kinds/runtimeclass';
import * as kindCertificatesigningrequest from '../../src/api/kinds/certificatesigningrequest';
import * as kindJob from '../../src/api/kinds/job';
import * as kindCronjob from '../../src/api/kinds/cronjob';
import * as kindRole from '../../src/api/kinds/role';
import * as kindClusterrole from '../../src/api/kinds/clusterrole';
import * as kindRolebinding from '../../src/api/kinds/rolebinding';
import * as kindClusterrolebinding from '../../src/api/kinds/clusterrolebinding';
import * as kindCustomresourcedefinition from '../../src/api/kinds/customresourcedefinition';
import * as clusterManagers from '../../src/api/managed-fields/cluster-managers';
import * as applier from '../../src/engine/applier';
import * as controllers from '../../src/engine/controllers';
import * as server from '../../src/api/server';
import * as bootstrapPolicy from '../../src/sim/bootstrap-policy';
import * as authenticate from '../../src/auth/authenticate';
import * as manifestParser from '../../src/api/manifest-parser';
import * as merge from '../../src/api/merge';
import * as jsonPath from '../../src/printers/jsonpath';
import * as customColumns from '../../src/printers/custom-columns';
import * as crdColumns from '../../src/printers/crd-columns';
import * as sortBy from '../../src/printers/sort-by';
import * as clusterShape from '../../src/sim/cluster-shape';
import * as evictionManager from '../../src/sim/eviction-manager';
import * as nodePodCounts from '../../src/sim/node-pod-counts';
import * as nodeStubs from '../../src/scheduler/node-stubs';
import * as quietObjects from '../../src/engine/quiet-objects';
import * as customKinds from '../../src/api/crd/custom-kinds';
import * as celRules from '../../src/api/crd/cel-rules';
import * as cel from '../../src/api/cel';
import * as celValues from '../../src/api/cel-values';
import * as celCost from '../../src/api/cel-cost';
import * as manifests from '../../src/cli/manifests';
import * as applyObject from '../../src/cli/apply-object';
import * as kustomizeBuild from '../../src/kustomize/build';
import * as kustomizeHelm from '../../src/kustomize/helm';
import * as kustomizeFunctions from '../../src/kustomize/functions';
import * as goTemplate from '../../src/printers/go-template/template';
import * as goTemplateFmt from '../../src/printers/go-template/fmt';
import * as goTemplateValues from '../../src/printers/go-template/values';
import * as fitHint from '../../src/scheduler/fit-hint';

/** every id src/ passes to onDemand, with its module */
export const ON_DEMAND_MODULES: Record<string, unknown> = {
  'engine/applier': applier,
  'engine/controllers': controllers,
  'api/server': server,
  'sim/bootstrap-policy': bootstrapPolicy,
  'api/kinds/flowcontrol-bootstrap': flowControlBootstrap,
  'api/crd/custom-kinds': customKinds,
  'api/crd/cel-rules': celRules,
  'api/cel': cel,
  'api/cel-values': celValues,
  'api/cel-cost': celCost,
  'sim/cluster-shape': clusterShape,
  'sim/eviction-manager': evictionManager,
  'sim/node-pod-counts': nodePodCounts,
  'scheduler/node-stubs': nodeStubs,
  'engine/quiet-objects': quietObjects,
  'printers/jsonpath': jsonPath,
  'printers/custom-columns': customColumns,
  'printers/crd-columns': crdColumns,
  'printers/sort-by': sortBy,
  'api/managed-fields/cluster-managers': clusterManagers,
  'api/manifest-parser': manifestParser,
  'api/merge': merge,
  'auth/authenticate': authenticate,
  'cli/manifests': manifests,
  'cli/apply-object': applyObject,
  'kustomize/build': kustomizeBuild,
  'kustomize/helm': kustomizeHelm,
  'kustomize/functions': kustomizeFunctions,
  'printers/go-template/template': goTemplate,
  'printers/go-template/fmt': goTemplateFmt,
  'printers/go-template/values': goTemplateValues,
  'scheduler/fit-hint': fitHint,
  'api/kinds/namespace': kindNamespace,
  'api/kinds/node': kindNode,
  'api/kinds/pod': kindPod,
  'api/kinds/configmap': kindConfigmap,
  'api/kinds/secret': kindSecret,
  'api/kinds/serviceaccount': kindServiceaccount,
  'api/kinds/service': kindService,
  'api/kinds/endpoints': kindEndpoints,
  'api/kinds/endpointslice': kindEndpointslice,
  'api/kinds/ingress': kindIngress,
  'api/kinds/networkpolicy': kindNetworkpolicy,
  'api/kinds/event': kindEvent,
  'api/kinds/componentstatus': kindComponentStatus,
  'api/kinds/events-event': kindEventsEvent,
  'api/kinds/priorityclass': kindPriorityclass,
  'api/kinds/deployment': kindDeployment,
  'api/kinds/replicaset': kindReplicaset,
  'api/kinds/replicationcontroller': kindReplicationcontroller,
  'api/kinds/podtemplate': kindPodtemplate,
  'api/kinds/poddisruptionbudget': kindPoddisruptionbudget,
  'api/kinds/daemonset': kindDaemonset,
  'api/kinds/persistentvolume': kindPersistentvolume,
  'api/kinds/persistentvolumeclaim': kindPersistentvolumeclaim,
  'api/kinds/statefulset': kindStatefulset,
  'api/kinds/controllerrevision': kindControllerrevision,
  'api/kinds/limitrange': kindLimitrange,
  'api/kinds/resourcequota': kindResourcequota,
  'api/kinds/validatingadmissionpolicy': kindValidatingadmissionpolicy,
  'api/kinds/webhookconfiguration': kindWebhookconfiguration,
  'api/kinds/apiservice': kindApiservice,
  'api/kinds/flowcontrol': kindFlowcontrol,
  'cli/subresource': cliSubresource,
  'sim/container-runtime': simContainerRuntime,
  'sim/pod-logs': simPodLogs,
  'serve/router': serveRouter,
  'api/kinds/horizontalpodautoscaler': kindHorizontalpodautoscaler,
  'api/kinds/nodegroup': kindNodegroup,
  'api/kinds/simulationprofile': kindSimulationprofile,
  'api/kinds/storageclass': kindStorageclass,
  'api/kinds/csidriver': kindCsidriver,
  'api/kinds/csinode': kindCsinode,
  'api/kinds/csistoragecapacity': kindCsistoragecapacity,
  'api/kinds/volumeattachment': kindVolumeattachment,
  'api/kinds/lease': kindLease,
  'api/kinds/runtimeclass': kindRuntimeclass,
  'api/kinds/certificatesigningrequest': kindCertificatesigningrequest,
  'api/kinds/job': kindJob,
  'api/kinds/cronjob': kindCronjob,
  'api/kinds/role': kindRole,
  'api/kinds/clusterrole': kindClusterrole,
  'api/kinds/rolebinding': kindRolebinding,
  'api/kinds/clusterrolebinding': kindClusterrolebinding,
  'api/kinds/customresourcedefinition': kindCustomresourcedefinition,
};
for (const [id, mod] of Object.entries(ON_DEMAND_MODULES)) provideModule(id, mod);
