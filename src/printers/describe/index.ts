// Each file registers the describer for one kind.
export {};
import './poddisruptionbudget';
import './daemonset';
import './statefulset';
import './resourcequota';
import './limitrange';
import './secret';
import './configmap';
import './ingress';
import './job';
import './persistentvolumeclaim';
import './pod';
import './deployment';
import './replicaset';
import './node';
import './service';
import './namespace';
