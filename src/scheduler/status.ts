/**
 * framework.Status: what a plugin says about a pod on a node. Success is `null` on the
 * hot path (no allocation); rejections carry the human reasons that the FailedScheduling
 * message is assembled from.
 */
export enum Code {
  Success = 0,
  Error = 1,
  /** the pod may fit if something changes on the node (preemption can help) */
  Unschedulable = 2,
  /** nothing that preemption can do on this node will help */
  UnschedulableAndUnresolvable = 3,
  /** the plugin has nothing to say about this pod (PreFilter / PreScore) */
  Skip = 5,
}

export class Status {
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[],
    /** the plugin that rejected */
    readonly plugin = '',
  ) {}

  /** Status.Message(): reasons joined with ", " */
  message(): string {
    return this.reasons.join(', ');
  }

  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable;
  }
}

export const SKIP = new Status(Code.Skip, []);
export const SUCCESS = new Status(Code.Success, []);

export function unschedulable(plugin: string, ...reasons: string[]): Status {
  return new Status(Code.Unschedulable, reasons, plugin);
}

export function unresolvable(plugin: string, ...reasons: string[]): Status {
  return new Status(Code.UnschedulableAndUnresolvable, reasons, plugin);
}

export function isSkip(value: unknown): boolean {
  return value === SKIP || (value instanceof Status && value.code === Code.Skip);
}
