// Each file registers the describer for one kind.
export {};
import './poddisruptionbudget';
import './daemonset';
import './statefulset';
import './resourcequota';
import './limitrange';
