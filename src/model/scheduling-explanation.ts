/** The explanation of a scheduling attempt, as `kubesim why` reports it and kube-scheduler-simulator records it. */

/** node → plugin → value, as the simulator's annotations hold them */
export type PerNode = Record<string, Record<string, string>>;

/** One scheduling attempt explained: each plugin's verdict and scores per node. */
export interface SchedulingExplanation {
  /** PreFilter rejections: plugin → message (every node got it) */
  preFilterStatus: Record<string, string>;
  /** plugin → "passed" or the rejection's message, for each node the cycle evaluated */
  filter: PerNode;
  /** plugin → the raw score */
  score: PerNode;
  /** plugin → the normalized score times the plugin's weight */
  finalScore: PerNode;
  selectedNode: string;
}

/** What `why` shows: the explanation, where it comes from, and the message of a failed attempt. */
export interface PodExplanation {
  explanation: SchedulingExplanation;
  /** recorded when the pod was scheduled, or evaluated against the cluster as it is now */
  source: 'recorded' | 'now';
  schedulerName: string;
  /** plugin → weight, of the pod's profile */
  weights: Record<string, number>;
  /** the FailedScheduling text when no node fits */
  message?: string;
  /** how many nodes the cluster has */
  nodes: number;
}
