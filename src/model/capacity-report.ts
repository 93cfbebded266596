/** What `kubesim capacity` answers (cluster-capacity's question, and nodes of a shape to add). */

export interface WorkloadCapacity {
  name: string;
  replicas: number;
  /** of the requested replicas, how many fit (workloads placed in input order) */
  fit: number;
  /** how many replicas fit before the first failure (cluster-capacity's answer), up to MAX_PROBE */
  max: number;
  /** the FailedScheduling text of the first replica that did not fit */
  firstFailure?: string;
}

export interface CapacityReport {
  workloads: WorkloadCapacity[];
  /** nodes of the shape to add for every requested replica to fit (undefined: no shape given, or more than MAX_NODES) */
  nodesToAdd?: number;
  /** the most nodes of the shape looked for */
  maxNodes: number;
}
