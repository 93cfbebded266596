/**
 * What the dashboard shows and an HTML report holds: the cluster at one or more instants of
 * virtual time (nodes, pods, workloads), the events on a timeline, and charts. The dashboard builds
 * it in the browser from the API's lists and watches; `kubesim report --html`, `traffic run
 * --report` (and `scenario run --report`) build it from a session and embed it in one HTML file.
 * Plain JSON: times are virtual milliseconds since the epoch, CPU in millicores, memory in bytes.
 */
export interface ReportModel {
  title: string;
  /** virtual now when the report was taken */
  now: number;
  /** the cluster at successive instants, oldest first (at least one: the last is `now`) */
  snapshots: ClusterSnapshot[];
  events: ReportEvent[];
  charts: ReportChart[];
  /** lines of text shown above the charts (a traffic run's summary) */
  summary?: string[];
}

export interface ClusterSnapshot {
  time: number;
  nodes: ReportNode[];
  pods: ReportPod[];
  workloads: ReportWorkload[];
}

export interface ResourceAmounts {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
  pods: number;
}

export interface ReportNode {
  name: string;
  ready: boolean;
  /** cordoned (spec.unschedulable) */
  unschedulable: boolean;
  /** `key=value:Effect` of each taint */
  taints: string[];
  zone?: string;
  allocatable: ResourceAmounts;
  /** the sum of the requests of the pods bound to it that still hold resources */
  requested: ResourceAmounts;
}

export interface ReportPod {
  namespace: string;
  name: string;
  /** the node it is bound to, if any */
  node?: string;
  /** Pending, Running, Succeeded, Failed, Unknown; `Terminating` while it has a deletionTimestamp */
  phase: string;
  ready: boolean;
  /** the STATUS column of `kubectl get pods` (ImagePullBackOff, CrashLoopBackOff, …) */
  status: string;
  /** `Kind/name` of its controller */
  owner?: string;
  /** the pod-template-hash label (or controller-revision-hash): which revision of its workload it runs */
  revision?: string;
}

export interface ReportWorkload {
  kind: string;
  namespace: string;
  name: string;
  desired: number;
  /** pods of the current revision */
  updated: number;
  ready: number;
  available: number;
  /** the current revision's hash, as its pods' `revision` */
  revision?: string;
  images: string[];
}

export interface ReportEvent {
  /** virtual time of the last occurrence */
  time: number;
  type: string;
  reason: string;
  /** `Kind/name` */
  object: string;
  namespace?: string;
  message: string;
  count: number;
}

export interface ReportChart {
  title: string;
  /** x: virtual times (ms); each series has one value (or null for no data) per x */
  x: number[];
  series: { label: string; values: (number | null)[] }[];
}
